//! A table split into files: `adult_train.csv` and `adult_test.csv`, Kaggle's `train.csv` and
//! `test.csv`. Files whose names differ only by a split word are parts of one table and are
//! read as one ([`join_parts`]); the split means nothing to clustering.

use thiserror::Error;

use super::csv_table::{CsvError, CsvOptions, LabelColumn, read_records};
use super::spaced::SPACES;

/// Words that name a split of one set (`X_train`, `X_test`).
const SPLITS: [&str; 9] = [
    "train",
    "test",
    "training",
    "testing",
    "val",
    "valid",
    "validation",
    "dev",
    "eval",
];

/// A file's name split into what it holds (`body_acc_x` for `body_acc_x_train.txt`) and the
/// split of the set it belongs to (`train`, or empty): its base name without the extension,
/// cut into words at `_`, `-`, `.` and spaces, the first split word taken out.
pub(crate) fn key_and_split(file: &str) -> (String, String) {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut kept: Vec<&str> = Vec::new();
    let mut split = String::new();
    for token in stem.split(['_', '-', '.', ' ']) {
        let lower = token.to_ascii_lowercase();
        if split.is_empty() && SPLITS.contains(&lower.as_str()) {
            split = lower;
        } else {
            kept.push(token);
        }
    }
    (kept.join("_"), split)
}

/// Whether files so named are parts of one table: two or more, each named with a different
/// split word and otherwise the same.
pub fn are_parts(names: &[String]) -> bool {
    let named: Vec<(String, String)> = names.iter().map(|n| key_and_split(n)).collect();
    let Some((key, _)) = named.first() else {
        return false;
    };
    named.len() >= 2
        && named.iter().all(|(k, s)| k == key && !s.is_empty())
        && named
            .iter()
            .enumerate()
            .all(|(i, (_, s))| named[..i].iter().all(|(_, t)| t != s))
}

#[derive(Debug, Error, PartialEq)]
pub enum PartsError {
    #[error("{file}: {error}")]
    Csv { file: String, error: CsvError },
    #[error(
        "{name} {has} but {first} {other}; give every part of the table the same header row, or none"
    )]
    Header {
        name: String,
        has: &'static str,
        first: String,
        other: &'static str,
    },
    #[error(
        "{name} has {got} columns but {first} has {expected}; parts of one table without a header row need the same columns in the same order"
    )]
    Width {
        name: String,
        got: usize,
        first: String,
        expected: usize,
    },
}

/// Parts joined into one CSV: the columns of every part (by name, the first part's order,
/// then any new ones), the rows of each part in turn, and a note saying so.
#[derive(Debug)]
pub struct JoinedParts {
    pub name: String,
    pub bytes: Vec<u8>,
    pub note: String,
}

/// Joins the parts of one table ([`are_parts`]) given in order. A part without one of the
/// columns leaves its cells empty (missing), and the note says which. Written with the first
/// part's delimiter (commas for runs of spaces), so decimal commas stay readable.
pub fn join_parts(files: &[(String, Vec<u8>)]) -> Result<JoinedParts, PartsError> {
    let options = CsvOptions {
        label: LabelColumn::None,
        ..CsvOptions::default()
    };
    let mut read = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let (header, records, delimiter) =
            read_records(bytes, &options).map_err(|error| PartsError::Csv {
                file: name.clone(),
                error,
            })?;
        read.push((name, header, records, delimiter));
    }
    let (first, first_header, first_records, delimiter) = &read[0];
    let width = first_records.first().map_or(0, |r| r.fields.len());
    let mut columns: Option<Vec<String>> = first_header.clone();
    let mut missing = Vec::new();
    for (name, header, records, _) in &read[1..] {
        match (&mut columns, header) {
            (Some(columns), Some(header)) => {
                let absent: Vec<&String> = columns.iter().filter(|c| !header.contains(c)).collect();
                if !absent.is_empty() {
                    let quoted: Vec<String> = absent.iter().map(|c| format!("\"{c}\"")).collect();
                    missing.push(format!("{name} has no {}", quoted.join(", ")));
                }
                for h in header {
                    if !columns.contains(h) {
                        columns.push(h.clone());
                    }
                }
            }
            (None, None) => {
                let got = records.first().map_or(0, |r| r.fields.len());
                if got != width {
                    return Err(PartsError::Width {
                        name: (*name).clone(),
                        got,
                        first: (*first).clone(),
                        expected: width,
                    });
                }
            }
            (theirs, _) => {
                let first_has = theirs.is_some();
                return Err(PartsError::Header {
                    name: (*name).clone(),
                    has: if header.is_some() { "has a header row" } else { "has no header row" },
                    first: (*first).clone(),
                    other: if first_has { "has one" } else { "has none" },
                });
            }
        }
    }
    let out_delimiter = if *delimiter == SPACES { b',' } else { *delimiter };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(out_delimiter)
        .from_writer(Vec::new());
    const WRITTEN: &str = "writing to memory cannot fail";
    if let Some(columns) = &columns {
        writer.write_record(columns).expect(WRITTEN);
    }
    let mut counts = Vec::with_capacity(read.len());
    for (_, header, records, _) in &read {
        // Each output column's place in this part's rows, if it has it.
        let at: Vec<Option<usize>> = match (&columns, header) {
            (Some(columns), Some(header)) => columns
                .iter()
                .map(|c| header.iter().position(|h| h == c))
                .collect(),
            _ => (0..width).map(Some).collect(),
        };
        for record in records {
            let row = at.iter().map(|c| c.map_or("", |c| &record.fields[c]));
            writer.write_record(row).expect(WRITTEN);
        }
        counts.push(records.len().to_string());
    }
    let names: Vec<&str> = read.iter().map(|(n, ..)| n.as_str()).collect();
    let mut note = format!(
        "{} are parts of one table (their names differ only by {}): read as one, {} rows",
        names.join(" and "),
        read.iter()
            .map(|(n, ..)| key_and_split(n).1)
            .collect::<Vec<_>>()
            .join(" and "),
        counts.join(" + "),
    );
    if !missing.is_empty() {
        note.push_str(&format!(
            "; {}: those cells are empty (missing) in its rows",
            missing.join("; ")
        ));
    }
    Ok(JoinedParts {
        name: names.join(" + "),
        bytes: writer.into_inner().expect(WRITTEN),
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn names_give_what_a_file_holds_and_its_split() {
        assert_eq!(
            key_and_split("Inertial Signals/body_acc_x_train.txt"),
            ("body_acc_x".into(), "train".into())
        );
        assert_eq!(
            key_and_split("BasicMotionsDimension2_TEST.csv"),
            ("BasicMotionsDimension2".into(), "test".into())
        );
        assert_eq!(key_and_split("walk-03.csv"), ("walk_03".into(), String::new()));
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(are_parts(&names(&["adult_train.csv", "adult_test.csv"])));
        assert!(are_parts(&names(&["data/train.csv", "data/test.csv", "data/val.csv"])));
        assert!(!are_parts(&names(&["adult_train.csv"])));
        assert!(!are_parts(&names(&["a_train.csv", "b_test.csv"])));
        assert!(!are_parts(&names(&["walk_1.csv", "walk_2.csv"])));
        assert!(!are_parts(&names(&["x_train.csv", "x_train.txt"])), "the same split twice");
    }

    #[test]
    fn parts_join_by_column_name_and_say_what_a_part_lacks() {
        // Kaggle's layout: the test part has no label column, and its columns come in
        // another order.
        let joined = join_parts(&[
            file("train.csv", "id,x,label\n1,0.5,a\n2,1.5,b\n"),
            file("test.csv", "x,id\n2.5,3\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "train.csv + test.csv");
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,\n"
        );
        assert_eq!(
            joined.note,
            "train.csv and test.csv are parts of one table (their names differ only by train and test): read as one, 2 + 1 rows; test.csv has no \"label\": those cells are empty (missing) in its rows"
        );
        // Without headers, by position; runs of spaces come back as commas, semicolons stay.
        let joined = join_parts(&[file("a_train.txt", " 1 2\n 3 4\n"), file("a_test.txt", " 5 6\n")]).unwrap();
        assert_eq!(String::from_utf8(joined.bytes).unwrap(), "1,2\n3,4\n5,6\n");
        let joined = join_parts(&[file("a_train.csv", "x;y\n1,5;2\n"), file("a_test.csv", "x;y\n3;4,5\n")]).unwrap();
        assert_eq!(String::from_utf8(joined.bytes).unwrap(), "x;y\n1,5;2\n3;4,5\n");
    }

    #[test]
    fn parts_that_do_not_fit_say_why() {
        assert_eq!(
            join_parts(&[file("a_train.csv", "1,2\n3,4\n"), file("a_test.csv", "1,2,3\n4,5,6\n")]).unwrap_err(),
            PartsError::Width { name: "a_test.csv".into(), got: 3, first: "a_train.csv".into(), expected: 2 }
        );
        let err = join_parts(&[file("a_train.csv", "x,y\n1,2\n"), file("a_test.csv", "1,2\n3,4\n")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a_test.csv has no header row but a_train.csv has one; give every part of the table the same header row, or none"
        );
        assert!(matches!(
            join_parts(&[file("a_train.csv", "x\n1\n"), file("a_test.csv", "")]).unwrap_err(),
            PartsError::Csv { file, error: CsvError::Empty } if file == "a_test.csv"
        ));
    }
}
