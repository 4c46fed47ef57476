//! A table split into files: `adult_train.csv` and `adult_test.csv`, Kaggle's `train.csv` and
//! `test.csv`. Files whose names differ only by a split word are parts of one table and are
//! read as one ([`join_parts`]); the split means nothing to clustering.

use thiserror::Error;

use super::csv_build::column_names;
use super::csv_table::{
    CsvError, CsvOptions, CsvParse, LabelColumn, PartLines, ReadRecords, read_noted_records,
};
use super::prepare::Role;
use super::spaced::{SPACES, written_with};

/// Words that name a split of one set (`X_train`, `X_test`), in the order parts are joined:
/// training parts first, test parts last.
pub(super) const SPLITS: [&str; 9] = [
    "train",
    "training",
    "dev",
    "val",
    "valid",
    "validation",
    "eval",
    "test",
    "testing",
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

/// Words that name a file of classes (`y_train.txt`, `labels.csv`, `activity_labels.txt`).
const CLASS_WORDS: [&str; 9] = [
    "y",
    "label",
    "labels",
    "class",
    "classes",
    "target",
    "targets",
    "activity",
    "activities",
];

/// Whether a file's name (its [`key_and_split`] key) says it holds classes: its first word is
/// one of [`CLASS_WORDS`] (`y`, `labels`, `activity_labels`), or its last is, but for `y`
/// (`body_acc_y` is a channel).
pub(crate) fn names_classes(key: &str) -> bool {
    let words: Vec<String> = key.split('_').map(str::to_ascii_lowercase).collect();
    let is_class = |w: Option<&String>| w.is_some_and(|w| CLASS_WORDS.contains(&w.as_str()));
    is_class(words.first()) || (is_class(words.last()) && words.last().is_some_and(|w| w != "y"))
}

/// Words that name a file saying whose or which each row is (UCI HAR's `subject_train.txt`,
/// `groups.csv`, `patient_ids.txt`).
const ROW_WORDS: [&str; 12] = [
    "subject",
    "subjects",
    "id",
    "ids",
    "group",
    "groups",
    "user",
    "users",
    "participant",
    "participants",
    "patient",
    "patients",
];

/// Whether a file's name (its [`key_and_split`] key) says it identifies rows: its first or last
/// word is one of [`ROW_WORDS`], and it does not name classes.
fn names_rows(key: &str) -> bool {
    let words: Vec<String> = key.split('_').map(str::to_ascii_lowercase).collect();
    let is_row = |w: Option<&String>| w.is_some_and(|w| ROW_WORDS.contains(&w.as_str()));
    !names_classes(key) && (is_row(words.first()) || is_row(words.last()))
}

/// The distinct items, in the order first seen.
pub(crate) fn in_order<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// How files make one table, by their names.
#[derive(Debug, PartialEq)]
enum Layout {
    /// Parts named alike but for a split word: `adult_train.csv`, `adult_test.csv`.
    Parts,
    /// A table with files of one value a row beside it, split alike or not: its classes
    /// (`X_train.txt` with `y_train.txt`, and `X_test.txt` with `y_test.txt`) and files that
    /// say whose each row is (`subject_train.txt`). The keys of each.
    Beside {
        table: String,
        classes: Option<String>,
        rows: Vec<String>,
    },
}

fn layout(names: &[String]) -> Option<Layout> {
    let named: Vec<(String, String)> = names.iter().map(|n| key_and_split(n)).collect();
    let keys = in_order(named.iter().map(|(k, _)| k));
    // A key's splits, each once.
    let splits = |key: &String| -> Option<Vec<&String>> {
        let of: Vec<&String> = named
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, s)| s)
            .collect();
        let distinct = of.iter().enumerate().all(|(i, s)| !of[..i].contains(s));
        distinct.then_some(of)
    };
    match keys[..] {
        [key] => {
            let of = splits(key)?;
            (of.len() >= 2 && of.iter().all(|s| !s.is_empty())).then_some(Layout::Parts)
        }
        // `x` and `y`, or `X` and `Y`, are two axes; scikit-learn's `X` and `y` are a table and
        // its classes.
        [a, b]
            if [["x", "y"], ["y", "x"], ["X", "Y"], ["Y", "X"]]
                .contains(&[a.as_str(), b.as_str()]) =>
        {
            None
        }
        _ => {
            let classes: Vec<&String> = keys.iter().copied().filter(|k| names_classes(k)).collect();
            let rows: Vec<&String> = keys.iter().copied().filter(|k| names_rows(k)).collect();
            let tables: Vec<&String> = keys
                .iter()
                .copied()
                .filter(|k| !classes.contains(k) && !rows.contains(k))
                .collect();
            let [table] = tables[..] else {
                return None;
            };
            if classes.len() > 1 {
                return None;
            }
            let of_table = splits(table)?;
            for key in classes.iter().chain(&rows) {
                let of = splits(key)?;
                if of.len() != of_table.len() || !of_table.iter().all(|s| of.contains(s)) {
                    return None;
                }
            }
            Some(Layout::Beside {
                table: table.clone(),
                classes: classes.first().map(|c| (*c).clone()),
                rows: rows.into_iter().cloned().collect(),
            })
        }
    }
}

/// Whether files so named make one table ([`join_parts`]): two or more, named alike but for a
/// split word each (`adult_train.csv`, `adult_test.csv`), or a table with its classes in a
/// file beside it (`X_train.txt` and `y_train.txt`, split alike or not).
pub fn are_parts(names: &[String]) -> bool {
    layout(names).is_some()
}

#[derive(Debug, Error, PartialEq)]
pub enum PartsError {
    #[error(
        "these files are not one table: name its parts alike but for train, test or val, and a file of its classes y or labels"
    )]
    NotParts,
    #[error(
        "{name} has {got} columns; a file beside a table (its classes, or whose each row is) has one value a row, for the same row of {table}"
    )]
    BesideWidth {
        name: String,
        got: usize,
        table: String,
    },
    #[error(
        "{name} has {got} rows but {table} has {expected}; a file beside a table (its classes, or whose each row is) has one row for each row of the table"
    )]
    BesideRows {
        name: String,
        got: usize,
        table: String,
        expected: usize,
    },
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
    /// `adult_train+test.csv` for `adult_train.csv` and `adult_test.csv`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub note: String,
    /// The column the classes file became, the label unless one is chosen.
    pub classes: Option<String>,
    /// The columns that files saying whose each row is became: not features unless chosen.
    pub rows: Vec<String>,
    lines: PartLines,
}

impl JoinedParts {
    /// The joined file, read a slice at a time as one file is ([`CsvParse`]): the note comes
    /// first among the table's notes, an error names the part and its own line, and a file of
    /// classes is the label unless `options` choose one; the columns of [`JoinedParts::rows`]
    /// are left out unless `options` give them a role.
    pub fn parse(self, mut options: CsvOptions) -> Result<CsvParse, CsvError> {
        if let (Some(classes), LabelColumn::Auto) = (&self.classes, &options.label) {
            options.label = LabelColumn::Name(classes.clone());
        }
        for column in &self.rows {
            if !options.roles.iter().any(|(c, _)| c == column) {
                options.roles.push((column.clone(), Role::Ignored));
            }
        }
        Ok(CsvParse::new(self.bytes, options)?.of_parts(self.note, self.lines))
    }
}

/// Where a split word sorts ([`SPLITS`]' order).
fn split_rank(split: &str) -> usize {
    SPLITS
        .iter()
        .position(|s| *s == split)
        .unwrap_or(usize::MAX)
}

/// "a", "a and b", "a, b and c".
fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One file's records, its header (if it has one) apart, and its delimiter.
fn read_part(name: &str, bytes: &[u8]) -> Result<ReadRecords, PartsError> {
    read_noted_part(name, bytes).map(|(read, _)| read)
}

/// [`read_part`], with the notes on rows left out above and below its table, naming it.
fn read_noted_part(name: &str, bytes: &[u8]) -> Result<(ReadRecords, Vec<String>), PartsError> {
    let options = CsvOptions {
        label: LabelColumn::None,
        ..CsvOptions::default()
    };
    let (read, notes) = read_noted_records(bytes, &options).map_err(|error| PartsError::Csv {
        file: name.to_string(),
        error,
    })?;
    Ok((
        read,
        notes.into_iter().map(|n| format!("{name}: {n}")).collect(),
    ))
}

/// The values of `name`, a file of one value a row beside `table` (of `rows` rows): its
/// classes, or whose each row is.
fn one_a_row(
    name: &str,
    bytes: &[u8],
    table: &str,
    rows: usize,
) -> Result<Vec<String>, PartsError> {
    let (named, mut values, spaced) = read_part(name, bytes)?;
    // Names with spaces (`Iris setosa`) in a file split at spaces are one value; columns of
    // numbers stay columns (and are refused below).
    let words = values
        .iter()
        .any(|r| r.fields.iter().any(|f| f.trim().parse::<f64>().is_err()));
    if spaced == SPACES && words {
        for record in &mut values {
            let whole = record.fields.iter().collect::<Vec<_>>().join(" ");
            record.fields = csv::StringRecord::from(vec![whole]);
        }
    }
    // A column of words does not show its header; one row too many, a word first, does.
    let values = match values.split_first() {
        Some((first, rest))
            if named.is_none()
                && rest.len() == rows
                && first
                    .fields
                    .get(0)
                    .is_some_and(|f| f.trim().parse::<f64>().is_err()) =>
        {
            rest
        }
        _ => &values[..],
    };
    let got = values.first().map_or(0, |r| r.fields.len());
    if got != 1 {
        return Err(PartsError::BesideWidth {
            name: name.to_string(),
            got,
            table: table.to_string(),
        });
    }
    if values.len() != rows {
        return Err(PartsError::BesideRows {
            name: name.to_string(),
            got: values.len(),
            table: table.to_string(),
            expected: rows,
        });
    }
    Ok(values.iter().map(|r| r.fields[0].to_string()).collect())
}

/// Joins the parts of one table ([`are_parts`]), training parts first. With header rows the
/// columns are matched by name (blank and repeated names told apart as the table does); a
/// part without one of the columns leaves its cells empty (missing), and the note says which.
/// Written with the first part's delimiter (commas for runs of spaces), so decimal commas stay
/// readable.
pub fn join_parts(files: &[(String, Vec<u8>)]) -> Result<JoinedParts, PartsError> {
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let layout = layout(&names).ok_or(PartsError::NotParts)?;
    let mut files: Vec<&(String, Vec<u8>)> = files.iter().collect();
    files.sort_by_key(|(name, _)| split_rank(&key_and_split(name).1));
    let mut read = Vec::with_capacity(files.len());
    let mut beside_notes = Vec::new();
    let mut left_out = Vec::new();
    let mut classes_column: Option<String> = None;
    let mut row_columns: Vec<String> = Vec::new();
    for (name, bytes) in &files {
        let (key, split) = key_and_split(name);
        // The files beside this part of the table (its split's), classes first.
        let beside: Vec<(&String, &Vec<u8>, bool)> = match &layout {
            Layout::Parts => Vec::new(),
            Layout::Beside { table, .. } if key != *table => continue,
            Layout::Beside { classes, rows, .. } => {
                let keys = classes.iter().map(|c| (c, true));
                keys.chain(rows.iter().map(|r| (r, false)))
                    .filter_map(|(k, is_classes)| {
                        let (n, b) = files
                            .iter()
                            .find(|(n, _)| key_and_split(n) == (k.clone(), split.clone()))?;
                        Some((n, b, is_classes))
                    })
                    .collect()
            }
        };
        let ((header, mut records, delimiter), dropped) = read_noted_part(name, bytes)?;
        left_out.extend(dropped);
        let width = records.first().map_or(0, |r| r.fields.len());
        let own = header.is_some();
        let mut header = header.map(|h| column_names(Some(&h), width));
        if !beside.is_empty() {
            // Each becomes a last column of the table: the classes under a name the label is
            // found by, the others under their own name.
            let mut columns = header.unwrap_or_else(|| column_names(None, width));
            for (beside_name, beside_bytes, is_classes) in beside {
                let values = one_a_row(beside_name, beside_bytes, name, records.len())?;
                let taken = |c: &str| columns.iter().any(|h| h.eq_ignore_ascii_case(c));
                let column = if is_classes {
                    ["label", "class", "target"]
                        .into_iter()
                        .find(|l| !taken(l))
                        .map_or_else(|| format!("class ({beside_name})"), str::to_string)
                } else {
                    let own = key_and_split(beside_name).0;
                    if taken(&own) {
                        format!("{own} ({beside_name})")
                    } else {
                        own
                    }
                };
                if is_classes {
                    beside_notes.push(format!(
                        "{beside_name} gives the classes of {name}'s rows, as its column \"{column}\""
                    ));
                    classes_column.get_or_insert_with(|| column.clone());
                } else {
                    beside_notes.push(format!(
                        "{beside_name} gives each of {name}'s rows its {}, as the column \"{column}\", not a feature",
                        key_and_split(beside_name).0
                    ));
                    if !row_columns.contains(&column) {
                        row_columns.push(column.clone());
                    }
                }
                columns.push(column);
                for (record, value) in records.iter_mut().zip(&values) {
                    record.fields.push_field(value);
                }
            }
            header = Some(columns);
        }
        read.push((name, header, records, delimiter, width, own));
    }
    let Some((first, first_header, _, delimiter, width, first_own)) = read.first() else {
        return Err(PartsError::NotParts);
    };
    let mut columns: Option<Vec<String>> = first_header.clone();
    for (name, header, _, _, got, own) in &read[1..] {
        // Parts are compared as they came: made-up names for classes do not make a header.
        match (*first_own, *own) {
            (true, true) => {
                let columns = columns.as_mut().expect("the first part has a header");
                for h in header.iter().flatten() {
                    if !columns.contains(h) {
                        columns.push(h.clone());
                    }
                }
            }
            (false, false) if got != width => {
                return Err(PartsError::Width {
                    name: (*name).clone(),
                    got: *got,
                    first: (*first).clone(),
                    expected: *width,
                });
            }
            (false, false) => {}
            _ => {
                return Err(PartsError::Header {
                    name: (*name).clone(),
                    has: if *own {
                        "has a header row"
                    } else {
                        "has no header row"
                    },
                    first: (*first).clone(),
                    other: if *first_own { "has one" } else { "has none" },
                });
            }
        }
    }
    let missing: Vec<String> = match &columns {
        Some(columns) => read
            .iter()
            .filter_map(|(name, header, ..)| {
                let header = header.as_ref()?;
                let absent: Vec<String> = columns
                    .iter()
                    .filter(|c| !header.contains(c))
                    .map(|c| format!("\"{c}\""))
                    .collect();
                (!absent.is_empty()).then(|| format!("{name} has no {}", listed(&absent)))
            })
            .collect(),
        None => Vec::new(),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(written_with(*delimiter))
        .from_writer(Vec::new());
    const WRITTEN: &str = "writing to memory cannot fail";
    // One line a row (a cell holding a line break shifts the lines an error names).
    let mut line = 1;
    if let Some(columns) = &columns {
        writer.write_record(columns).expect(WRITTEN);
        line += 1;
    }
    let mut lines = Vec::with_capacity(read.len());
    for (name, header, records, _, width, _) in &read {
        // Each output column's place in this part's rows, if it has it.
        let at: Vec<Option<usize>> = match (&columns, header) {
            (Some(columns), Some(header)) => columns
                .iter()
                .map(|c| header.iter().position(|h| h == c))
                .collect(),
            _ => (0..*width).map(Some).collect(),
        };
        for record in records {
            let row = at.iter().map(|c| c.map_or("", |c| &record.fields[c]));
            writer.write_record(row).expect(WRITTEN);
        }
        lines.push((
            (*name).clone(),
            line,
            records.iter().map(|r| r.line).collect(),
        ));
        line += records.len() as u64;
    }
    let splits: Vec<String> = read.iter().map(|(n, ..)| key_and_split(n).1).collect();
    let names: Vec<String> = read.iter().map(|(n, ..)| (*n).clone()).collect();
    let splits_named: Vec<String> = splits.iter().filter(|s| !s.is_empty()).cloned().collect();
    let counts: Vec<String> = read
        .iter()
        .map(|(_, _, r, ..)| r.len().to_string())
        .collect();
    let mut clauses = Vec::new();
    if read.len() > 1 {
        clauses.push(format!(
            "{} are parts of one table (their names differ only by {}): read as one, {} rows",
            listed(&names),
            listed(&splits),
            counts.join(" + "),
        ));
    }
    clauses.extend(beside_notes);
    clauses.extend(left_out);
    if !missing.is_empty() {
        clauses.push(format!(
            "{}: those cells are empty (missing) in its rows",
            missing.join("; ")
        ));
    }
    let note = clauses.join("; ");
    let (key, _) = key_and_split(first);
    let ext = first.rsplit_once('.').map_or("", |(_, e)| e);
    let stem = [key, splits_named.join("+")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    Ok(JoinedParts {
        name: if ext.is_empty() || ext.contains(['/', '\\']) {
            stem
        } else {
            format!("{stem}.{ext}")
        },
        bytes: writer.into_inner().expect(WRITTEN),
        note,
        classes: classes_column,
        rows: row_columns,
        lines: PartLines(lines),
    })
}

/// The class of each file in a folder (a recording, a picture): its folder at the first level
/// where the files' folders differ, folders named as splits ([`SPLITS`]) passed over
/// (`walking/2024-03-01 10-00-00/Raw Data.csv` beside `running/…` is `walking`; so is
/// `project/data/train/walking/r1.csv` beside `project/data/train/running/r2.csv`; and
/// `photos/beach/2023 trip/a.jpg` beside `photos/forest/b.jpg` is `beach`). None for all when
/// no level differs, or when each file would be a class of its own (a flat folder of dated
/// recordings).
pub(crate) fn class_folders(paths: &[&str]) -> Vec<Option<String>> {
    let folders: Vec<Vec<&str>> = paths
        .iter()
        .map(|p| {
            let dirs = p.rsplit_once('/').map_or("", |(d, _)| d);
            dirs.split('/')
                .filter(|f| !f.is_empty() && !SPLITS.contains(&f.to_ascii_lowercase().as_str()))
                .collect()
        })
        .collect();
    let deepest = folders.iter().map(Vec::len).max().unwrap_or(0);
    let level = (0..deepest).find(|&d| folders.iter().any(|f| f.get(d) != folders[0].get(d)));
    let classes: Vec<Option<String>> = match level {
        Some(d) => folders.iter().map(|f| f.get(d).map(|c| c.to_string())).collect(),
        None => return vec![None; paths.len()],
    };
    let distinct = in_order(classes.iter().flatten()).len();
    if paths.len() > 1 && distinct == paths.len() {
        return vec![None; paths.len()];
    }
    classes
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
        assert_eq!(
            key_and_split("walk-03.csv"),
            ("walk_03".into(), String::new())
        );
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(are_parts(&names(&["adult_train.csv", "adult_test.csv"])));
        assert!(are_parts(&names(&[
            "data/train.csv",
            "data/test.csv",
            "data/val.csv"
        ])));
        assert!(!are_parts(&names(&["adult_train.csv"])));
        assert!(!are_parts(&names(&["a_train.csv", "b_test.csv"])));
        assert!(!are_parts(&names(&["walk_1.csv", "walk_2.csv"])));
        assert!(
            !are_parts(&names(&["x_train.csv", "x_train.txt"])),
            "the same split twice"
        );
        assert!(are_parts(&names(&["X_train.txt", "y_train.txt"])));
        assert!(are_parts(&names(&[
            "X_train.txt",
            "y_train.txt",
            "X_test.txt",
            "y_test.txt"
        ])));
        assert!(are_parts(&names(&["features.csv", "labels.csv"])));
        assert!(
            !are_parts(&names(&["X_train.txt", "y_test.txt"])),
            "classes of another split"
        );
        assert!(
            !are_parts(&names(&["y_train.txt", "labels_train.txt"])),
            "two files of classes"
        );
        assert!(are_parts(&names(&[
            "X_train.txt",
            "y_train.txt",
            "subject_train.txt",
            "X_test.txt",
            "y_test.txt",
            "subject_test.txt"
        ])));
        assert!(are_parts(&names(&["features.csv", "patient_ids.csv"])));
        assert!(
            !are_parts(&names(&["X_train.txt", "y_train.txt", "Z_train.txt"])),
            "two tables"
        );
        assert!(
            !are_parts(&names(&["X_train.txt", "subject_test.txt"])),
            "whose rows of another split"
        );
        assert!(
            names_rows("subject")
                && names_rows("patient_ids")
                && !names_rows("X")
                && !names_rows("user_labels"),
            "a file of classes is one of classes"
        );
        assert!(
            !are_parts(&names(&["acc_x_train.txt", "acc_y_train.txt"])),
            "an axis called y is a channel"
        );
        assert!(
            !are_parts(&names(&["x_train.txt", "y_train.txt"])),
            "two axes"
        );
        assert!(!are_parts(&names(&["X.csv", "Y.csv"])), "two axes");
        assert!(
            names_classes("y") && names_classes("activity_labels") && names_classes("my_labels")
        );
        assert!(!names_classes("body_acc_y") && !names_classes("subject"));
    }

    #[test]
    fn a_table_and_its_classes_in_files_beside_it_are_one_table() {
        // UCI HAR's 561 features: X and y, split in train and test, no headers, spaces.
        let joined = join_parts(&[
            file("y_test.txt", "2\n"),
            file("X_test.txt", " 5.0e-1 6.0e-1\n"),
            file("X_train.txt", " 1.0e-1 2.0e-1\n 3.0e-1 4.0e-1\n"),
            file("y_train.txt", "1\n1\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "X_train+test.txt");
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "col1,col2,label\n1.0e-1,2.0e-1,1\n3.0e-1,4.0e-1,1\n5.0e-1,6.0e-1,2\n"
        );
        assert_eq!(
            joined.note,
            "X_train.txt and X_test.txt are parts of one table (their names differ only by train and test): read as one, 2 + 1 rows; y_train.txt gives the classes of X_train.txt's rows, as its column \"label\"; y_test.txt gives the classes of X_test.txt's rows, as its column \"label\""
        );
        // Unsplit, with a header that has a label already: the classes are \"class\", and the
        // label, so the table's own column is not mistaken for it nor the classes trained on.
        let joined = join_parts(&[
            file("data.csv", "a,label\n1,x\n2,y\n"),
            file("labels.csv", "kind\np\nq\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "data.csv");
        assert_eq!(
            String::from_utf8(joined.bytes.clone()).unwrap(),
            "a,label,class\n1,x,p\n2,y,q\n"
        );
        assert_eq!(
            joined.note,
            "labels.csv gives the classes of data.csv's rows, as its column \"class\""
        );
        let mut parse = joined.parse(CsvOptions::default()).unwrap();
        while !parse.done() {
            parse.advance(10).unwrap();
        }
        assert_eq!(
            parse.finish().unwrap().0.label_column.as_deref(),
            Some("class")
        );
        // Class names with spaces in a file split at spaces stay whole.
        let joined = join_parts(&[
            file("X.txt", " 1 2\n 3 4\n"),
            file("y.txt", "Iris setosa\nIris virginica\n"),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "col1,col2,label\n1,2,Iris setosa\n3,4,Iris virginica\n"
        );
        // A number first is a class, never a header: one row too many is said, not shifted.
        assert!(matches!(
            join_parts(&[file("X.txt", " 1 2\n 3 4\n"), file("y.txt", "1\n2\n3\n")]).unwrap_err(),
            PartsError::BesideRows {
                got: 3,
                expected: 2,
                ..
            }
        ));
    }

    #[test]
    fn a_file_saying_whose_each_row_is_becomes_a_column_left_out() {
        // UCI HAR's 561 features with the subject of each row, both splits.
        let joined = join_parts(&[
            file(
                "X_train.txt",
                " 1.0e-1 2.0e-1\n 3.0e-1 4.0e-1\n 5.0e-1 6.0e-1\n",
            ),
            file("subject_train.txt", "1\n1\n3\n"),
            file("y_train.txt", "1\n2\n1\n"),
            file("X_test.txt", " 7.0e-1 8.0e-1\n 9.0e-1 1.0e-1\n"),
            file("y_test.txt", "2\n1\n"),
            file("subject_test.txt", "2\n2\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "X_train+test.txt");
        assert_eq!(
            String::from_utf8(joined.bytes.clone()).unwrap(),
            "col1,col2,label,subject\n1.0e-1,2.0e-1,1,1\n3.0e-1,4.0e-1,2,1\n5.0e-1,6.0e-1,1,3\n7.0e-1,8.0e-1,2,2\n9.0e-1,1.0e-1,1,2\n"
        );
        assert!(
            joined.note.contains(
                "subject_test.txt gives each of X_test.txt's rows its subject, as the column \"subject\", not a feature"
            ),
            "{}",
            joined.note
        );
        assert_eq!(joined.rows, ["subject"]);
        let read = |options: CsvOptions| {
            let joined = join_parts(&[
                file("X_train.txt", " 1 2\n 3 4\n 5 7\n"),
                file("subject_train.txt", "1\n1\n3\n"),
                file("y_train.txt", "a\nb\na\n"),
            ])
            .unwrap();
            let mut parse = joined.parse(options).unwrap();
            while !parse.done() {
                parse.advance(10).unwrap();
            }
            parse.finish().unwrap().0
        };
        let d = read(CsvOptions::default());
        assert_eq!(d.feature_names, ["col1", "col2"]);
        assert_eq!(d.label_column.as_deref(), Some("label"));
        // Chosen as a feature, it is one.
        let d = read(CsvOptions {
            roles: vec![("subject".into(), Role::Feature)],
            ..CsvOptions::default()
        });
        assert_eq!(d.feature_names, ["col1", "col2", "subject"]);
        // Without classes, and with a header that has the name already.
        let joined = join_parts(&[
            file("features.csv", "a,subject\n1,x\n2,y\n"),
            file("subject.csv", "7\n8\n"),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "a,subject,subject (subject.csv)\n1,x,7\n2,y,8\n"
        );
        assert_eq!(joined.classes, None);
        assert!(matches!(
            join_parts(&[
                file("X_train.txt", " 1 2\n 3 4\n"),
                file("subject_train.txt", "1\n")
            ])
            .unwrap_err(),
            PartsError::BesideRows {
                got: 1,
                expected: 2,
                ..
            }
        ));
    }

    #[test]
    fn parts_join_by_column_name_and_say_what_a_part_lacks() {
        // Kaggle's layout: the test part has no label column, and its columns come in
        // another order.
        // Given test first, as a file picker may list them: training rows still come first.
        let joined = join_parts(&[
            file("data/test.csv", "x,id\n2.5,3\n"),
            file("data/train.csv", "id,x,label\n1,0.5,a\n2,1.5,b\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "train+test.csv");
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,\n"
        );
        assert_eq!(
            joined.note,
            "data/train.csv and data/test.csv are parts of one table (their names differ only by train and test): read as one, 2 + 1 rows; data/test.csv has no \"label\": those cells are empty (missing) in its rows"
        );
        // Three parts; the first one lacks a column the others have.
        let joined = join_parts(&[
            file("a_train.csv", "x\n1\n"),
            file("a_val.csv", "x,y\n2,3\n"),
            file("a_test.csv", "y,x\n4,5\n"),
        ])
        .unwrap();
        assert_eq!(joined.name, "a_train+val+test.csv");
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "x,y\n1,\n2,3\n5,4\n"
        );
        assert!(joined.note.starts_with("a_train.csv, a_val.csv and a_test.csv are parts of one table (their names differ only by train, val and test)"), "{}", joined.note);
        assert!(
            joined
                .note
                .ends_with("a_train.csv has no \"y\": those cells are empty (missing) in its rows"),
            "{}",
            joined.note
        );
        // Repeated and blank names are told apart as the table does, not merged.
        let joined = join_parts(&[
            file("b_train.csv", ",x,x\n1,2,3\n"),
            file("b_test.csv", ",x,x\n4,5,6\n"),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "column 1,x,x (2)\n1,2,3\n4,5,6\n"
        );
        // Without headers, by position; runs of spaces come back as commas, semicolons stay.
        let joined = join_parts(&[
            file("a_train.txt", " 1 2\n 3 4\n"),
            file("a_test.txt", " 5 6\n"),
        ])
        .unwrap();
        assert_eq!(String::from_utf8(joined.bytes).unwrap(), "1,2\n3,4\n5,6\n");
        let joined = join_parts(&[
            file("a_train.csv", "x;y\n1,5;2\n"),
            file("a_test.csv", "x;y\n3;4,5\n"),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(joined.bytes).unwrap(),
            "x;y\n1,5;2\n3;4,5\n"
        );
    }

    #[test]
    fn a_note_on_a_part_names_the_part_and_its_own_line() {
        let joined = join_parts(&[
            file("a_train.csv", "x,y\n1,2\n3,4\n5,6\n"),
            file("a_test.csv", "x,y\n7,8\n\n9,oops\n"),
        ])
        .unwrap();
        let mut parse = joined.parse(CsvOptions::default()).unwrap();
        while !parse.done() {
            parse.advance(1).unwrap();
        }
        let (d, ..) = parse.finish().unwrap();
        assert!(
            d.warnings.iter().any(|w| w.starts_with("Column \"y\": 1 cell is not a number (a_test.csv line 4 \"oops\")")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn parts_with_classes_are_checked_as_they_came() {
        // Without headers, widths must agree (the classes' column not counted).
        assert_eq!(
            join_parts(&[
                file("X_train.txt", " 1 2 3\n"),
                file("y_train.txt", "1\n"),
                file("X_test.txt", " 1 2\n"),
                file("y_test.txt", "2\n"),
            ])
            .unwrap_err(),
            PartsError::Width {
                name: "X_test.txt".into(),
                got: 2,
                first: "X_train.txt".into(),
                expected: 3
            }
        );
        assert!(matches!(
            join_parts(&[
                file("X_train.csv", "a,b\n1,2\n"),
                file("y_train.csv", "1\n"),
                file("X_test.csv", "5,6\n"),
                file("y_test.csv", "2\n")
            ])
            .unwrap_err(),
            PartsError::Header { .. }
        ));
    }

    #[test]
    fn parts_that_do_not_fit_say_why() {
        assert_eq!(join_parts(&[]).unwrap_err(), PartsError::NotParts);
        assert_eq!(
            join_parts(&[
                file("X_train.txt", " 1 2\n 3 4\n"),
                file("y_train.txt", "1 2\n3 4\n")
            ])
            .unwrap_err()
            .to_string(),
            "y_train.txt has 2 columns; a file beside a table (its classes, or whose each row is) has one value a row, for the same row of X_train.txt"
        );
        assert_eq!(
            join_parts(&[
                file("X_train.txt", " 1 2\n 3 4\n"),
                file("y_train.txt", "1\n")
            ])
            .unwrap_err(),
            PartsError::BesideRows {
                name: "y_train.txt".into(),
                got: 1,
                table: "X_train.txt".into(),
                expected: 2
            }
        );
        assert_eq!(
            join_parts(&[
                file("a_train.csv", "1,2\n3,4\n"),
                file("a_test.csv", "1,2,3\n4,5,6\n")
            ])
            .unwrap_err(),
            PartsError::Width {
                name: "a_test.csv".into(),
                got: 3,
                first: "a_train.csv".into(),
                expected: 2
            }
        );
        let err = join_parts(&[
            file("a_train.csv", "x,y\n1,2\n"),
            file("a_test.csv", "1,2\n3,4\n"),
        ])
        .unwrap_err();
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
