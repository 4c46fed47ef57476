//! The UCR/UEA archive's `.ts` format (sktime's): `#` comments, `@` header lines, then after
//! `@data` one series per line, its channels separated by `:`, values by `,`, `?` for a
//! missing value, and the class label last when `@classLabel true`.

use thiserror::Error;

use super::Series;
use super::cells::value;

/// What the header says (each field optional: files in the archive omit some).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TsHeader {
    pub problem_name: Option<String>,
    pub timestamps: bool,
    pub missing: Option<bool>,
    pub univariate: Option<bool>,
    pub dimensions: Option<usize>,
    pub equal_length: Option<bool>,
    pub series_length: Option<usize>,
    /// `@classLabel true a b c`: the classes, in the file's order.
    pub class_labels: Option<Vec<String>>,
    /// `@targetLabel true`: a number to predict is last (regression sets).
    pub target_label: bool,
}

/// One `.ts` file: its header and its series, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct TsFile {
    pub header: TsHeader,
    pub series: Vec<Series>,
    /// Things the user should know that did not stop reading.
    pub warnings: Vec<String>,
}

#[derive(Debug, Error, PartialEq)]
pub enum TsError {
    #[error(
        "{file}: the file has no @data line; a .ts file lists its header, then @data, then one series per line"
    )]
    NoData { file: String },
    #[error("{file} line {line}: {field} expects {expected}, got \"{got}\"")]
    BadHeader {
        file: String,
        line: usize,
        field: String,
        expected: &'static str,
        got: String,
    },
    #[error(
        "{file} line {line}, channel {channel}, value {position}: \"{got}\" is not a number; use ? for a missing value"
    )]
    NotANumber {
        file: String,
        line: usize,
        channel: usize,
        position: usize,
        got: String,
    },
    #[error(
        "{file} line {line}: {got} channels, but {expected}; every series needs the same channels"
    )]
    ChannelCount {
        file: String,
        line: usize,
        got: usize,
        expected: String,
    },
    #[error(
        "{file} line {line}, channel {channel}: no values; a channel needs at least one number"
    )]
    EmptyChannel {
        file: String,
        line: usize,
        channel: usize,
    },
    #[error(
        "{file} line {line}, channel {channel}: every value is missing (?); leave the series out or fill the channel"
    )]
    AllMissing {
        file: String,
        line: usize,
        channel: usize,
    },
    #[error("{file}: @data is followed by no series")]
    NoSeries { file: String },
    #[error("{file} is not text (UTF-8); save the .ts file as plain text")]
    NotText { file: String },
}

fn flag(file: &str, line: usize, field: &str, words: &[&str]) -> Result<bool, TsError> {
    match words.first().map(|w| w.to_ascii_lowercase()).as_deref() {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        other => Err(TsError::BadHeader {
            file: file.into(),
            line,
            field: field.into(),
            expected: "true or false",
            got: other.unwrap_or("").into(),
        }),
    }
}

fn count(file: &str, line: usize, field: &str, words: &[&str]) -> Result<usize, TsError> {
    words
        .first()
        .and_then(|w| w.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| TsError::BadHeader {
            file: file.into(),
            line,
            field: field.into(),
            expected: "a whole number above 0",
            got: words.join(" "),
        })
}

impl TsHeader {
    fn read(&mut self, file: &str, line: usize, text: &str) -> Result<(), TsError> {
        let mut words = text.split_whitespace();
        let key = words.next().unwrap_or("").to_ascii_lowercase();
        let rest: Vec<&str> = words.collect();
        match key.as_str() {
            "@problemname" => self.problem_name = Some(rest.join(" ")),
            "@timestamps" => self.timestamps = flag(file, line, "@timeStamps", &rest)?,
            "@missing" => self.missing = Some(flag(file, line, "@missing", &rest)?),
            "@univariate" => self.univariate = Some(flag(file, line, "@univariate", &rest)?),
            "@dimension" | "@dimensions" => {
                self.dimensions = Some(count(file, line, "@dimensions", &rest)?)
            }
            "@equallength" => self.equal_length = Some(flag(file, line, "@equalLength", &rest)?),
            "@serieslength" => {
                self.series_length = Some(count(file, line, "@seriesLength", &rest)?)
            }
            "@classlabel" => {
                if flag(file, line, "@classLabel", &rest)? {
                    self.class_labels = Some(rest[1..].iter().map(|s| s.to_string()).collect());
                }
            }
            "@targetlabel" => self.target_label = flag(file, line, "@targetLabel", &rest)?,
            // Other fields (sktime adds some) say nothing the reader needs.
            _ => {}
        }
        Ok(())
    }

    /// Channels every series should have, when the header says.
    fn channels(&self) -> Option<usize> {
        match (self.dimensions, self.univariate) {
            (Some(d), _) => Some(d),
            (None, Some(true)) => Some(1),
            _ => None,
        }
    }
}

/// With `@timeStamps true` each value is `(time,value)`: the time gives only the order,
/// which the file already has.
fn timestamped_values(channel: &str) -> Vec<&str> {
    channel
        .split(')')
        .filter_map(|part| {
            let inner = part.trim_start_matches([',', ' ']).strip_prefix('(')?;
            Some(inner.rsplit_once(',').map_or(inner, |(_, v)| v))
        })
        .collect()
}

/// A data line's channels (and label): split at `:` outside the parentheses of timestamped
/// values, whose times may hold colons.
fn split_channels(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in line.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ':' if depth <= 0 => {
                parts.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&line[start..]);
    parts
}

/// Reads `bytes` of the `.ts` file called `file` (for messages and series names).
pub fn read_ts(file: &str, bytes: &[u8]) -> Result<TsFile, TsError> {
    let text = std::str::from_utf8(bytes).map_err(|_| TsError::NotText { file: file.into() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header = TsHeader::default();
    let mut series = Vec::new();
    let mut in_data = false;
    let mut expected = None;
    let mut unknown_labels = std::collections::BTreeSet::new();
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    for (i, raw) in crate::data::text_lines(text).enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if !in_data {
            if l.to_ascii_lowercase().starts_with("@data") {
                in_data = true;
                expected = header.channels();
            } else if l.starts_with('@') {
                header.read(file, line, l)?;
            }
            continue;
        }
        let mut parts = split_channels(l);
        let label = if header.class_labels.is_some() || header.target_label {
            let last = parts.pop().unwrap_or("").trim().to_string();
            (!header.target_label).then_some(last)
        } else {
            None
        };
        if let (Some(classes), Some(label)) = (&header.class_labels, &label)
            && !classes.is_empty()
            && !classes.contains(label)
        {
            unknown_labels.insert(label.clone());
        }
        let want = *expected.get_or_insert(parts.len());
        if parts.len() != want {
            let source = if header.channels().is_some() {
                "the header says"
            } else {
                "the first series has"
            };
            return Err(TsError::ChannelCount {
                file: file.into(),
                line,
                got: parts.len(),
                expected: format!("{source} {want}"),
            });
        }
        let mut channels = Vec::with_capacity(parts.len());
        for (c, part) in parts.iter().enumerate() {
            let texts: Vec<&str> = if header.timestamps {
                timestamped_values(part)
            } else {
                part.split(',').collect()
            };
            let mut values = Vec::with_capacity(texts.len());
            for (p, t) in texts.iter().enumerate() {
                values.push(value(t).ok_or_else(|| TsError::NotANumber {
                    file: file.into(),
                    line,
                    channel: c + 1,
                    position: p + 1,
                    got: t.trim().chars().take(40).collect(),
                })?);
            }
            // A trailing comma leaves one empty value: not a missing point.
            if values.len() > 1 && texts.last().is_some_and(|t| t.trim().is_empty()) {
                values.pop();
            }
            if values.is_empty() || (values.len() == 1 && texts[0].trim().is_empty()) {
                return Err(TsError::EmptyChannel {
                    file: file.into(),
                    line,
                    channel: c + 1,
                });
            }
            if values.iter().all(|v| v.is_nan()) {
                return Err(TsError::AllMissing {
                    file: file.into(),
                    line,
                    channel: c + 1,
                });
            }
            channels.push(values);
        }
        series.push(Series {
            name: format!("{stem}#{}", series.len() + 1),
            channels,
            label,
        });
    }
    if !in_data {
        return Err(TsError::NoData { file: file.into() });
    }
    if series.is_empty() {
        return Err(TsError::NoSeries { file: file.into() });
    }
    let mut warnings = Vec::new();
    if !unknown_labels.is_empty() {
        let list: Vec<String> = unknown_labels.into_iter().take(5).collect();
        warnings.push(format!(
            "{file}: class labels not listed in @classLabel ({}); they are kept as classes",
            list.join(", ")
        ));
    }
    if header.target_label {
        warnings.push(format!(
            "{file}: the last value of each series is a regression target (@targetLabel); it is left out"
        ));
    }
    let missing = series
        .iter()
        .flat_map(|s| s.channels.iter().flatten())
        .filter(|v| v.is_nan())
        .count();
    if missing > 0 {
        warnings.push(format!(
            "{file}: {missing} missing values (?) filled by straight lines between their neighbours"
        ));
    }
    Ok(TsFile {
        header,
        series,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASIC: &str = "# a comment\n@problemName Demo set\n@timeStamps false\n@missing true\n@univariate false\n@dimensions 2\n@equalLength false\n@seriesLength 4\n@classLabel true up down\n@data\n1,2,3,4:5,6,7,8:up\n1,?,3:4,5,6:down\n";

    #[test]
    fn reads_every_header_field_and_the_series() {
        let f = read_ts("demo_TRAIN.ts", BASIC.as_bytes()).unwrap();
        let h = &f.header;
        assert_eq!(h.problem_name.as_deref(), Some("Demo set"));
        assert!(!h.timestamps);
        assert_eq!(h.missing, Some(true));
        assert_eq!(h.univariate, Some(false));
        assert_eq!(h.dimensions, Some(2));
        assert_eq!(h.equal_length, Some(false));
        assert_eq!(h.series_length, Some(4));
        assert_eq!(
            h.class_labels,
            Some(vec!["up".to_string(), "down".to_string()])
        );
        assert_eq!(f.series.len(), 2);
        assert_eq!(f.series[0].name, "demo_TRAIN.ts#1");
        assert_eq!(
            f.series[0].channels,
            vec![vec![1., 2., 3., 4.], vec![5., 6., 7., 8.]]
        );
        assert_eq!(f.series[1].label.as_deref(), Some("down"));
        // Unequal lengths stay as they are; `?` is NaN.
        assert_eq!(f.series[1].channels[0].len(), 3);
        assert!(f.series[1].channels[0][1].is_nan());
        assert!(
            f.warnings.iter().any(|w| w.contains("1 missing values")),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn univariate_without_labels_and_with_timestamps() {
        let f = read_ts(
            "u.ts",
            b"@univariate true\n@classLabel false\n@data\n1,2,3\n4,5,6,\n",
        )
        .unwrap();
        assert_eq!(f.series[1].channels, vec![vec![4., 5., 6.]]);
        assert_eq!(f.series[0].label, None);
        let t = read_ts(
            "t.ts",
            b"@timeStamps true\n@classLabel true a\n@data\n(2007-01-01 00:00:00,1.5),(2007-01-01 01:00:00,?),(2007-01-01 02:00:00,3):a\n",
        )
        .unwrap();
        assert_eq!(t.series[0].channels[0].len(), 3);
        assert_eq!(t.series[0].channels[0][0], 1.5);
        assert!(t.series[0].channels[0][1].is_nan());
        assert_eq!(t.series[0].label.as_deref(), Some("a"));
    }

    #[test]
    fn regression_targets_are_left_out_and_said() {
        let f = read_ts("r.ts", b"@targetLabel true\n@data\n1,2,3:0.5\n").unwrap();
        assert_eq!(f.series[0].channels, vec![vec![1., 2., 3.]]);
        assert_eq!(f.series[0].label, None);
        assert!(f.warnings[0].contains("regression target"));
    }

    #[test]
    fn damaged_files_say_where() {
        let e = read_ts("a.ts", b"@problemName x\n1,2,3\n").unwrap_err();
        assert_eq!(
            e,
            TsError::NoData {
                file: "a.ts".into()
            }
        );
        let e = read_ts("a.ts", b"@dimensions 2\n@data\n1,2:3,4\n1,2\n").unwrap_err();
        assert!(
            matches!(
                e,
                TsError::ChannelCount {
                    line: 4,
                    got: 1,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("the header says 2"), "{e}");
        // Old Macs' line ends count lines too.
        let e = read_ts("a.ts", b"@data\r1,2:3,4\r1,2:3,x4\r").unwrap_err();
        assert!(matches!(e, TsError::NotANumber { line: 3, .. }), "{e}");
        let e = read_ts("a.ts", b"@data\n1,2:3,4\n1,2:3,x4\n").unwrap_err();
        assert_eq!(
            e,
            TsError::NotANumber {
                file: "a.ts".into(),
                line: 3,
                channel: 2,
                position: 2,
                got: "x4".into()
            }
        );
        assert!(
            e.to_string().starts_with("a.ts line 3, channel 2, value 2"),
            "{e}"
        );
        let e = read_ts("a.ts", b"@dimensions zero\n@data\n").unwrap_err();
        assert!(matches!(e, TsError::BadHeader { line: 1, .. }), "{e}");
        let e = read_ts("a.ts", b"@data\n?,?:1\n").unwrap_err();
        assert_eq!(
            e,
            TsError::AllMissing {
                file: "a.ts".into(),
                line: 2,
                channel: 1
            }
        );
        let e = read_ts("a.ts", b"@data\n").unwrap_err();
        assert_eq!(
            e,
            TsError::NoSeries {
                file: "a.ts".into()
            }
        );
        let e = read_ts("a.ts", &[0xff, 0xfe, 0]).unwrap_err();
        assert_eq!(
            e,
            TsError::NotText {
                file: "a.ts".into()
            }
        );
        let e = read_ts("a.ts", b"@classLabel maybe\n@data\n1\n").unwrap_err();
        assert!(e.to_string().contains("true or false"), "{e}");
    }

    #[test]
    fn unlisted_labels_are_kept_and_said() {
        let f = read_ts("a.ts", b"@classLabel true a b\n@data\n1,2:a\n3,4:c\n").unwrap();
        assert_eq!(f.series[1].label.as_deref(), Some("c"));
        assert!(f.warnings[0].contains("(c)"), "{:?}", f.warnings);
    }
}
