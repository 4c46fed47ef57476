//! The UCR archive's own text files: `NAME_TRAIN.tsv` and `NAME_TEST.tsv` since 2018 (tabs),
//! `NAME_TRAIN.txt` or plain `NAME_TRAIN` before (spaces or commas). No header; one series per
//! line, its class first, then one value per time step; a set of unequal lengths ends its
//! shorter series with `NaN`.

use thiserror::Error;

use super::Series;
use super::cells::{end_at_last_value, padding_notes, value};

#[derive(Debug, Error, PartialEq)]
pub enum UcrError {
    #[error("{file} is not text (UTF-8); a UCR archive file is plain text")]
    NotText { file: String },
    #[error(
        "{file} line {line}, value {position}: \"{got}\" is not a number. A file named like the UCR archive's (NAME_TRAIN.tsv, NAME_TEST.tsv) has no header: each line is a class, then one value per time step. Rename the file (without _TRAIN or _TEST) to open it as a table"
    )]
    NotANumber {
        file: String,
        line: usize,
        position: usize,
        got: String,
    },
    #[error(
        "{file} line {line}: a class and no values; each line is a class, then one value per time step"
    )]
    NoValues { file: String, line: usize },
    #[error("{file} line {line}: every value is missing (NaN); leave the series out")]
    AllMissing { file: String, line: usize },
    #[error("{file} holds no series")]
    Empty { file: String },
}

/// Whether a file's name is one the UCR archive gives its sets: `NAME_TRAIN` or `NAME_TEST`
/// in capitals, as the archive writes them (a table of one's own is more likely called
/// `results_test.tsv`), bare or ending in `.tsv` or `.txt` (any case).
pub fn is_ucr_name(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = if lower.ends_with(".tsv") || lower.ends_with(".txt") {
        &base[..base.len() - 4]
    } else {
        base
    };
    ["_TRAIN", "_TEST"]
        .iter()
        .any(|s| stem.len() > s.len() && stem.ends_with(s))
}

/// A class as the archive writes it, named as a person would: `1.0000000e+00` is class `1`.
fn class_name(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => text.to_string(),
    }
}

/// Reads `bytes` of the UCR file called `file` (for messages and series names, `FILE#n`), and
/// says what it did: how many series ended early, how many values inside were missing.
pub fn read_ucr(file: &str, bytes: &[u8]) -> Result<(Vec<Series>, Vec<String>), UcrError> {
    let text = std::str::from_utf8(bytes).map_err(|_| UcrError::NotText { file: file.into() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let (mut series, mut shortened, mut missing) = (Vec::new(), 0usize, 0usize);
    for (i, raw) in crate::data::text_lines(text).enumerate() {
        let line = i + 1;
        // One delimiter a line, so an empty cell is a missing value, not a skipped one: tabs
        // (2018), else commas, else runs of spaces (the older files align their columns).
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let mut cells: Box<dyn Iterator<Item = &str>> = if raw.contains('\t') {
            Box::new(raw.split('\t'))
        } else if raw.contains(',') {
            Box::new(raw.split(','))
        } else {
            Box::new(raw.split_whitespace())
        };
        let Some(class) = cells.next().map(str::trim) else { continue };
        let mut values = Vec::new();
        for (p, cell) in cells.enumerate() {
            values.push(value(cell).ok_or_else(|| UcrError::NotANumber {
                file: file.into(),
                line,
                position: p + 1,
                got: cell.trim().chars().take(40).collect(),
            })?);
        }
        if values.is_empty() {
            return Err(UcrError::NoValues {
                file: file.into(),
                line,
            });
        }
        let shorter = end_at_last_value(&mut values).ok_or_else(|| UcrError::AllMissing {
            file: file.into(),
            line,
        })?;
        shortened += usize::from(shorter);
        missing += values.iter().filter(|v| v.is_nan()).count();
        series.push(Series {
            name: format!("{stem}#{}", series.len() + 1),
            channels: vec![values],
            label: Some(class_name(class)),
        });
    }
    if series.is_empty() {
        return Err(UcrError::Empty { file: file.into() });
    }
    // The same for every file of a set: said once (the set's files are joined).
    let mut notes = vec![
        "read as the UCR archive's text layout (a class, then one value per time step, on each line)".to_string(),
    ];
    notes.extend(padding_notes(file, shortened, missing, "NaN"));
    Ok((series, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_archive_and_only_those() {
        for name in [
            "GunPoint_TRAIN.tsv",
            "sets/GunPoint_TEST.tsv",
            "Coffee_TRAIN.txt",
            "Coffee_TEST",
            "c:\\data\\Wafer_TEST.TSV",
        ] {
            assert!(is_ucr_name(name), "{name}");
        }
        for name in [
            "GunPoint_TRAIN.csv",
            "_TRAIN.tsv",
            "train.tsv",
            "GunPoint.tsv",
            "TRAIN_data.tsv",
            "results_test.tsv",
        ] {
            assert!(!is_ucr_name(name), "{name}");
        }
    }

    #[test]
    fn tabs_with_nan_padding_of_the_2018_archive() {
        let text = "1\t0.5\t1.5\t2.5\t3.5\n-1\t4\tNaN\t6\tNaN\tNaN\n2\t7\t8\t9\t10\n";
        let (series, notes) = read_ucr("Set_TRAIN.tsv", text.as_bytes()).expect("reads");
        assert_eq!(series.len(), 3);
        assert_eq!(series[0].name, "Set_TRAIN.tsv#1");
        assert_eq!(series[0].channels, vec![vec![0.5, 1.5, 2.5, 3.5]]);
        assert_eq!(series[1].label.as_deref(), Some("-1"));
        // Trailing NaN is the end of a shorter series; one inside is a gap.
        assert_eq!(series[1].channels[0].len(), 3);
        assert!(series[1].channels[0][1].is_nan());
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 series end in missing values")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 missing values (NaN) filled")),
            "{notes:?}"
        );
    }

    #[test]
    fn spaces_and_float_classes_of_the_older_archive() {
        let text =
            "   1.0000000e+00  -5.18e-01  -4.85e-01\n   2.0000000e+00   3.0e-01   2.0e-01\n\n";
        let (series, _) = read_ucr("Coffee_TEST.txt", text.as_bytes()).expect("reads");
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].label.as_deref(), Some("1"));
        assert_eq!(series[1].label.as_deref(), Some("2"));
        assert_eq!(series[0].channels, vec![vec![-0.518, -0.485]]);
        let commas = read_ucr("X_TRAIN", b"a,1,2,3\nb,4,,6\n").expect("commas and text classes");
        assert_eq!(commas.0[1].label.as_deref(), Some("b"));
        // An empty cell is a missing value in its place, not a skipped one.
        assert_eq!(commas.0[1].channels[0].len(), 3);
        assert!(commas.0[1].channels[0][1].is_nan());
    }

    #[test]
    fn damaged_files_say_where() {
        let err = read_ucr("S_TRAIN.tsv", b"1\t2\t3\n2\t4\tx5\t6\n").unwrap_err();
        assert_eq!(
            err,
            UcrError::NotANumber {
                file: "S_TRAIN.tsv".into(),
                line: 2,
                position: 2,
                got: "x5".into()
            }
        );
        assert!(err.to_string().contains("Rename the file"), "{err}");
        // A header row: a table named like the archive's files.
        let header = read_ucr("S_TRAIN.tsv", b"class\tt1\tt2\n1\t2\t3\n").unwrap_err();
        assert!(
            matches!(
                header,
                UcrError::NotANumber {
                    line: 1,
                    position: 1,
                    ..
                }
            ),
            "{header:?}"
        );
        assert_eq!(
            read_ucr("S_TEST.tsv", b"1\t2\n3\n").unwrap_err(),
            UcrError::NoValues {
                file: "S_TEST.tsv".into(),
                line: 2
            }
        );
        assert_eq!(
            read_ucr("S_TEST.tsv", b"1\tNaN\tNaN\n").unwrap_err(),
            UcrError::AllMissing {
                file: "S_TEST.tsv".into(),
                line: 1
            }
        );
        assert_eq!(
            read_ucr("S_TEST.tsv", b"\n\n").unwrap_err(),
            UcrError::Empty {
                file: "S_TEST.tsv".into()
            }
        );
        assert!(matches!(
            read_ucr("S_TEST.tsv", &[0xff, 0xfe, 0x00]),
            Err(UcrError::NotText { .. })
        ));
    }
}
