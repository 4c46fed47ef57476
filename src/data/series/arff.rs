//! The UCR/UEA archive's `.arff` files (Weka's format, the archive's other download beside
//! `.ts`): `%` comments, `@relation`, `@attribute` lines, then after `@data` one series per
//! line. Univariate sets give each time step a numeric attribute; multivariate sets one
//! relational attribute whose quoted value holds the channels, separated by `\n`. A nominal
//! (or string) attribute last is the class; `?` is a missing value, and a series of a set of
//! unequal lengths ends in them.

use thiserror::Error;

use super::Series;
use super::cells::{end_at_last_value, padding_notes, value};

#[derive(Debug, Error, PartialEq)]
pub enum ArffError {
    #[error("{file} is not text (UTF-8); save the .arff file as plain text")]
    NotText { file: String },
    #[error(
        "{file}: no @data line; an .arff file lists its @attribute lines, then @data, then one series per line"
    )]
    NoData { file: String },
    #[error("{file}: no numeric or relational @attribute holds the series' values")]
    NoValues { file: String },
    #[error(
        "{file} line {line}: {what}; only dense rows of numbers (one relational attribute for several channels) are read"
    )]
    Unsupported {
        file: String,
        line: usize,
        what: String,
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
    #[error("{file} line {line}: {got} values, but the @attribute lines give {expected}")]
    ValueCount {
        file: String,
        line: usize,
        got: usize,
        expected: usize,
    },
    #[error(
        "{file} line {line}: {got} channels, but the first series has {expected}; every series needs the same channels"
    )]
    ChannelCount {
        file: String,
        line: usize,
        got: usize,
        expected: usize,
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
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    /// Nominal or string: a class.
    Text,
    Relational,
    /// Dates and anything else: not read.
    Other,
}

fn unquote(text: &str) -> &str {
    let t = text.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    t
}

/// `@attribute NAME TYPE`, the name perhaps quoted: the type's kind.
fn attribute_kind(rest: &str) -> Kind {
    let rest = rest.trim_start();
    let after_name = match rest.chars().next() {
        Some(q @ ('\'' | '"')) => rest[1..].find(q).map_or("", |end| &rest[end + 2..]),
        _ => rest.split_once(char::is_whitespace).map_or("", |(_, t)| t),
    };
    let kind = after_name.trim().to_ascii_lowercase();
    if kind.starts_with('{') || kind == "string" {
        Kind::Text
    } else if ["numeric", "real", "integer"].contains(&kind.as_str()) {
        Kind::Number
    } else if kind == "relational" {
        Kind::Relational
    } else {
        Kind::Other
    }
}

/// A data line's cells, split at commas outside quotes (`'…'` or `"…"`, `\` escaping).
fn cells(line: &str) -> Vec<String> {
    let (mut out, mut cell, mut quote, mut escaped) = (Vec::new(), String::new(), None, false);
    for ch in line.chars() {
        match (quote, ch) {
            (Some(_), _) if escaped => {
                // Keep `\n` as written: it separates a relational value's channels.
                if ch == 'n' {
                    cell.push('\\');
                }
                cell.push(ch);
                escaped = false;
            }
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cell.push(c),
            (None, '\'' | '"') if cell.trim().is_empty() => quote = Some(ch),
            (None, ',') => out.push(std::mem::take(&mut cell).trim().to_string()),
            (None, c) => cell.push(c),
        }
    }
    out.push(cell.trim().to_string());
    out
}

/// Channel `channel`'s values on line `line`, ended at the last one; whether missing values at
/// the end shortened it.
fn channel_values(
    file: &str,
    line: usize,
    channel: usize,
    texts: &[&str],
) -> Result<(Vec<f32>, bool), ArffError> {
    let mut values = Vec::with_capacity(texts.len());
    for (p, t) in texts.iter().enumerate() {
        let t = t.trim();
        values.push(value(t).ok_or_else(|| ArffError::NotANumber {
            file: file.into(),
            line,
            channel: channel + 1,
            position: p + 1,
            got: t.chars().take(40).collect(),
        })?);
    }
    let shortened = end_at_last_value(&mut values).ok_or(ArffError::AllMissing {
        file: file.into(),
        line,
        channel: channel + 1,
    })?;
    Ok((values, shortened))
}

/// Reads `bytes` of the `.arff` file called `file` (for messages and series names, `FILE#n`),
/// with notes on what was done.
pub fn read_arff(file: &str, bytes: &[u8]) -> Result<(Vec<Series>, Vec<String>), ArffError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ArffError::NotText { file: file.into() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let mut kinds = Vec::new();
    let mut inside = false;
    let mut data_line = None;
    let mut lines = crate::data::text_lines(text).enumerate();
    for (i, raw) in lines.by_ref() {
        let l = raw.trim();
        let lower = l.to_ascii_lowercase();
        if lower.starts_with("@data") {
            data_line = Some(i + 1);
            break;
        } else if lower.starts_with("@end") {
            inside = false;
        } else if let Some(rest) = lower
            .strip_prefix("@attribute")
            .map(|_| &l["@attribute".len()..])
        {
            // A relational attribute's own attributes are its channels' time steps.
            if !inside {
                let kind = attribute_kind(rest);
                inside = kind == Kind::Relational;
                kinds.push(kind);
            }
        }
    }
    let data_line = data_line.ok_or_else(|| ArffError::NoData { file: file.into() })?;
    let relational = kinds.iter().filter(|k| **k == Kind::Relational).count();
    let numbers = kinds.iter().filter(|k| **k == Kind::Number).count();
    if relational + numbers == 0 {
        return Err(ArffError::NoValues { file: file.into() });
    }
    if relational > 1 || (relational == 1 && numbers > 0) {
        return Err(ArffError::Unsupported {
            file: file.into(),
            line: data_line,
            what: "its attributes are several relational ones, or one beside numeric ones".into(),
        });
    }
    let class = kinds.iter().rposition(|k| *k == Kind::Text);
    let relational_at = kinds.iter().position(|k| *k == Kind::Relational);
    let (mut series, mut shortened, mut missing, mut expected) = (Vec::new(), 0, 0, None);
    for (i, raw) in lines {
        let (line, l) = (i + 1, raw.trim());
        if l.is_empty() || l.starts_with('%') {
            continue;
        }
        if l.starts_with('{') {
            return Err(ArffError::Unsupported {
                file: file.into(),
                line,
                what: "a sparse row ({index value, …})".into(),
            });
        }
        let cells = cells(l);
        if cells.len() != kinds.len() {
            return Err(ArffError::ValueCount {
                file: file.into(),
                line,
                got: cells.len(),
                expected: kinds.len(),
            });
        }
        let (mut channels, mut shorter) = (Vec::new(), false);
        let texts: Vec<Vec<&str>> = match relational_at {
            Some(at) => cells[at]
                .split("\\n")
                .map(|c| c.split(',').collect())
                .collect(),
            None => vec![
                cells
                    .iter()
                    .zip(&kinds)
                    .filter(|(_, k)| **k == Kind::Number)
                    .map(|(c, _)| c.as_str())
                    .collect(),
            ],
        };
        for (c, texts) in texts.iter().enumerate() {
            let (values, shortened) = channel_values(file, line, c, texts)?;
            channels.push(values);
            shorter |= shortened;
        }
        let want = *expected.get_or_insert(channels.len());
        if channels.len() != want {
            return Err(ArffError::ChannelCount {
                file: file.into(),
                line,
                got: channels.len(),
                expected: want,
            });
        }
        shortened += usize::from(shorter);
        missing += channels.iter().flatten().filter(|v| v.is_nan()).count();
        series.push(Series {
            name: format!("{stem}#{}", series.len() + 1),
            channels,
            label: class.map(|c| unquote(&cells[c]).to_string()),
        });
    }
    if series.is_empty() {
        return Err(ArffError::NoSeries { file: file.into() });
    }
    Ok((series, padding_notes(file, shortened, missing, "?")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIVARIATE: &str = "% Coffee, shortened\n@relation Coffee\n\n@attribute att0 numeric\n@attribute 'att 1' real\n@attribute att2 NUMERIC\n@attribute target {Arabica,Robusta}\n\n@data\n1.5,2.5,3.5,Arabica\n4,?,6,Robusta\n7,8,?,'Robusta'\n";

    #[test]
    fn univariate_values_classes_and_missing() {
        let (series, notes) =
            read_arff("sets/Coffee_TRAIN.arff", UNIVARIATE.as_bytes()).expect("reads");
        assert_eq!(series.len(), 3);
        assert_eq!(series[0].name, "Coffee_TRAIN.arff#1");
        assert_eq!(series[0].channels, vec![vec![1.5, 2.5, 3.5]]);
        assert_eq!(series[0].label.as_deref(), Some("Arabica"));
        assert_eq!(series[2].label.as_deref(), Some("Robusta"));
        assert!(series[1].channels[0][1].is_nan());
        // A missing last value: a shorter series.
        assert_eq!(series[2].channels, vec![vec![7.0, 8.0]]);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 series end in missing values")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 missing values (?) filled")),
            "{notes:?}"
        );
    }

    #[test]
    fn multivariate_channels_in_a_relational_attribute() {
        let text = "@relation 'BasicMotions'\n@attribute relationalAtt relational\n@attribute att0 numeric\n@attribute att1 numeric\n@attribute att2 numeric\n@end relationalAtt\n@attribute activity {Standing,Running}\n@data\n'0.1,0.2,0.3\\n1,2,3',Standing\n\"4,5,?\\n7,8,9\",Running\n";
        let (series, notes) = read_arff("BasicMotions_TEST.arff", text.as_bytes()).expect("reads");
        assert_eq!(series.len(), 2);
        assert_eq!(
            series[0].channels,
            vec![vec![0.1, 0.2, 0.3], vec![1.0, 2.0, 3.0]]
        );
        assert_eq!(series[1].label.as_deref(), Some("Running"));
        assert_eq!(series[1].channels[0], vec![4.0, 5.0]);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 series end in missing values (?)")),
            "{notes:?}"
        );
        let no_class = "@relation x\n@attribute a numeric\n@attribute b numeric\n@data\n1,2\n";
        let (series, _) = read_arff("x.arff", no_class.as_bytes()).expect("reads");
        assert_eq!(
            (series[0].label.clone(), series[0].channels.clone()),
            (None, vec![vec![1.0, 2.0]])
        );
    }

    #[test]
    fn damaged_files_say_where() {
        let no_data = read_arff("a.arff", b"@relation a\n@attribute x numeric\n1\n").unwrap_err();
        assert_eq!(
            no_data,
            ArffError::NoData {
                file: "a.arff".into()
            }
        );
        let bad = UNIVARIATE.replace("4,?,6", "4,x,6");
        assert_eq!(
            read_arff("c.arff", bad.as_bytes()).unwrap_err(),
            ArffError::NotANumber {
                file: "c.arff".into(),
                line: 11,
                channel: 1,
                position: 2,
                got: "x".into()
            }
        );
        let short = UNIVARIATE.replace("4,?,6,", "4,6,");
        assert_eq!(
            read_arff("c.arff", short.as_bytes()).unwrap_err(),
            ArffError::ValueCount {
                file: "c.arff".into(),
                line: 11,
                got: 3,
                expected: 4
            }
        );
        let sparse = UNIVARIATE.replace("4,?,6,Robusta", "{0 4, 3 Robusta}");
        assert!(matches!(
            read_arff("c.arff", sparse.as_bytes()),
            Err(ArffError::Unsupported { line: 11, .. })
        ));
        let empty = UNIVARIATE.replace("4,?,6", "?,?,?");
        assert!(matches!(
            read_arff("c.arff", empty.as_bytes()),
            Err(ArffError::AllMissing { line: 11, .. })
        ));
        let mixed = "@relation m\n@attribute r relational\n@attribute a numeric\n@end r\n@attribute x numeric\n@data\n'1,2',3\n";
        assert!(
            matches!(
                read_arff("m.arff", mixed.as_bytes()),
                Err(ArffError::Unsupported { line: 6, .. })
            ),
            "reported at @data, before any series"
        );
        let text_only = "@relation t\n@attribute c {a,b}\n@data\na\n";
        assert_eq!(
            read_arff("t.arff", text_only.as_bytes()).unwrap_err(),
            ArffError::NoValues {
                file: "t.arff".into()
            }
        );
        let header_only = "@relation t\n@attribute v numeric\n@data\n% nothing\n";
        assert_eq!(
            read_arff("t.arff", header_only.as_bytes()).unwrap_err(),
            ArffError::NoSeries {
                file: "t.arff".into()
            }
        );
        let channels = "@relation m\n@attribute r relational\n@attribute a numeric\n@end r\n@attribute c {x}\n@data\n'1,2\\n3,4',x\n'1,2',x\n";
        assert_eq!(
            read_arff("m.arff", channels.as_bytes()).unwrap_err(),
            ArffError::ChannelCount {
                file: "m.arff".into(),
                line: 8,
                got: 1,
                expected: 2
            }
        );
    }
}
