//! A CSV file's records → a [`Dataset`]: every column read and classified, roles applied,
//! features prepared (fitted here, or a saved model's), labels encoded, and notes for the
//! user on what was done.

use std::borrow::Cow;
use std::sync::Arc;

use super::Dataset;
use super::csv_table::{
    AUTO_LABEL_NAMES, CsvError, CsvOptions, Decimals, LabelColumn, PartLines, Record, column_by_name,
};
use super::prepare::{
    EMPTY, Cells, Column, Encoding, MissingPolicy, Preparation, Role, Strays, case_free,
    read_codes, read_numbers,
};

/// Column names: the header's (blank ones numbered, a repeated one given ` (2)`, ` (3)`…, so
/// every column can be found by its name), or `col1`… without one.
pub(super) fn column_names(header: Option<&[String]>, width: usize) -> Vec<String> {
    let mut names = given_names(header, width);
    for i in 1..names.len() {
        let mut n = 2;
        let base = names[i].clone();
        while names[..i].contains(&names[i]) {
            names[i] = format!("{base} ({n})");
            n += 1;
        }
    }
    names
}

fn given_names(header: Option<&[String]>, width: usize) -> Vec<String> {
    match header {
        Some(h) => h
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if n.trim().is_empty() {
                    format!("column {}", i + 1)
                } else {
                    n.trim().to_string()
                }
            })
            .collect(),
        None => (1..=width).map(|i| format!("col{i}")).collect(),
    }
}

pub(super) fn build_dataset(
    header: Option<Vec<String>>,
    records: Vec<Record>,
    comma: bool,
    options: &CsvOptions,
    parts: &PartLines,
) -> Result<Dataset, CsvError> {
    let width = records
        .first()
        .map(|r| r.fields.len())
        .or(header.as_ref().map(Vec::len))
        .unwrap_or(0);
    let names = column_names(header.as_deref(), width);
    if records.is_empty() && header.is_some() {
        return Err(CsvError::HeaderOnly {
            names: names.join(", "),
        });
    }
    let column = |name: &str| {
        names
            .iter()
            .position(|n| n == name.trim())
            .ok_or_else(|| CsvError::UnknownColumn {
                name: name.to_string(),
                available: names.join(", "),
            })
    };
    let chosen_label = options.roles.iter().find(|(_, r)| *r == Role::Label);
    let label_index = match chosen_label {
        Some((name, _)) => Some(column(name)?),
        None => resolve_label(&options.label, header.is_some(), &names)?,
    };
    if let Some(p) = &options.prepared {
        return for_model(p, header.is_some(), &names, &records, label_index, comma, parts);
    }
    let mut columns: Vec<Column> = (0..width)
        .map(|c| {
            let decimals = column_decimals(&records, c, comma);
            Column::scan(&names[c], records.iter().map(|r| &r.fields[c]), |f| decimals.parse(f))
        })
        .collect();
    for (name, role) in &options.roles {
        let c = column(name)?;
        let info = &mut columns[c].info;
        if *role == Role::Feature && !info.kind.can_be_feature() {
            return Err(CsvError::NotAFeature {
                name: info.name.clone(),
                why: info.reason.split(';').next().unwrap_or("").to_string(),
            });
        }
        info.role = *role;
    }
    for (c, col) in columns.iter_mut().enumerate() {
        if Some(c) == label_index {
            col.info.role = Role::Label;
        } else if col.info.role == Role::Label {
            // An earlier label the user has since replaced.
            col.info.role = if col.info.kind.can_be_feature() {
                Role::Feature
            } else {
                Role::Ignored
            };
        }
    }
    let features: Vec<usize> = (0..width)
        .filter(|&c| columns[c].info.role == Role::Feature)
        .collect();
    if features.is_empty() {
        let left_out: Vec<String> = columns
            .iter()
            .filter(|c| c.info.role == Role::Ignored)
            .map(|c| format!("{}: {}", c.info.name, c.info.kind.name()))
            .collect();
        let skipped = if left_out.is_empty() {
            String::new()
        } else {
            format!(" (left out: {})", left_out.join(", "))
        };
        return Err(CsvError::NoNumericColumns { skipped });
    }
    let strays: Vec<String> = features
        .iter()
        .filter_map(|&c| strays_note(&columns[c].strays, &records, &names[c], parts))
        .collect();
    if records.len() < 2 {
        return Err(CsvError::TooFewRows {
            rows: records.len(),
        });
    }

    let missing_cell = |r: usize| features.iter().any(|&c| columns[c].cells.is_missing(r));
    let kept: Option<Vec<u32>> = match options.missing {
        MissingPolicy::Fill => None,
        MissingPolicy::Drop => {
            let kept: Vec<u32> = (0..records.len())
                .filter(|&r| !missing_cell(r))
                .map(|r| r as u32)
                .collect();
            if kept.is_empty() {
                return Err(CsvError::EveryRowMissing);
            }
            (kept.len() < records.len()).then_some(kept)
        }
    };
    let all: Vec<u32> = (0..records.len() as u32).collect();
    let rows = kept.as_deref().unwrap_or(&all);
    let named: Vec<(&str, &Cells)> = features
        .iter()
        .map(|&c| (names[c].as_str(), &columns[c].cells))
        .collect();
    let preparation = Preparation::fit(&named, kept.as_deref(), options.missing, options.scaling);
    let cells: Vec<&Cells> = named.iter().map(|(_, c)| *c).collect();
    let (values, _) = preparation.encode(&cells, rows);

    let mut warnings = notes(&columns, &features, &preparation, records.len(), rows.len());
    warnings.splice(0..0, strays);
    if let Some(note) = formatted_note(&records, &columns, &features, comma) {
        warnings.insert(0, note);
    }
    let (labels, label_names, missing) = labels_of(&records, rows, label_index);
    if let (Some(c), true) = (label_index, missing > 0) {
        warnings.push(format!(
            "{missing} rows have no value in the label column \"{}\"; they are left out of the scores and shown as \"(missing)\" among the classes.",
            names[c]
        ));
    }
    Ok(Dataset {
        features: Arc::new(values),
        valid: None,
        rows: rows.len(),
        cols: preparation.width(),
        feature_names: preparation.feature_names(),
        label_column: label_index.map(|c| names[c].clone()),
        columns: names.clone(),
        labels,
        label_names,
        warnings,
        column_info: columns.into_iter().map(|c| c.info).collect(),
        file_rows: records.len(),
        kept,
        preparation: Some(preparation),
    })
}

/// What was done with a numeric column's cells that are not finite numbers, naming the first
/// few by line (`None` when it has none).
fn strays_note(strays: &Strays, records: &[Record], name: &str, parts: &PartLines) -> Option<String> {
    if strays.count == 0 {
        return None;
    }
    let shown: Vec<String> = strays
        .first
        .iter()
        .map(|b| format!("{} \"{}\"", parts.name(records[b.row].line), b.value.chars().take(40).collect::<String>()))
        .collect();
    let more = strays.count - shown.len();
    let one = strays.count == 1;
    let what = match strays.infinite {
        0 if one => "is not a number",
        0 => "are not numbers",
        n if n == strays.count && one => "is infinite",
        n if n == strays.count => "are infinite",
        _ => "are not finite numbers",
    };
    Some(format!(
        "Column \"{name}\": {} {what} ({}{}); read as missing{}.",
        if one { "1 cell".to_string() } else { format!("{} cells", strays.count) },
        shown.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() },
        match (strays.infinite == strays.count, one) {
            (true, _) => "",
            (false, true) => "; correct it in the file if it holds a value",
            (false, false) => "; correct them in the file if they hold values",
        },
    ))
}

/// How column `c` writes its decimals ([`Decimals`]).
fn column_decimals(records: &[Record], c: usize, file_comma: bool) -> Decimals {
    Decimals::of(records.iter().map(|r| &r.fields[c]), file_comma)
}

/// Which numeric features were written as a spreadsheet shows numbers (`$1,200.50`, `47%`),
/// with an example, told from the first thousand rows.
fn formatted_note(records: &[Record], columns: &[Column], features: &[usize], comma: bool) -> Option<String> {
    let mut named = Vec::new();
    let mut example = None;
    for &c in features {
        if !matches!(columns[c].cells, Cells::Numbers(_)) {
            continue;
        }
        let decimals = column_decimals(records, c, comma);
        let shown = records
            .iter()
            .take(1000)
            .map(|r| r.fields[c].trim())
            .find(|f| decimals.formatted(f))
            .and_then(|f| Some((f.to_string(), decimals.parse(f)?)));
        if let Some(shown) = shown {
            named.push(format!("\"{}\"", columns[c].info.name));
            example.get_or_insert(shown);
        }
    }
    let (cell, value) = example?;
    Some(format!(
        "{} {} numbers written with thousands separators, currency or percent signs (\"{cell}\" is read as {value}).",
        named.join(", "),
        if named.len() == 1 { "holds" } else { "hold" }
    ))
}

/// What was done to the table, in words: missing cells, columns left out, categories, the
/// scaling, constant columns.
fn notes(
    columns: &[Column],
    features: &[usize],
    preparation: &Preparation,
    file_rows: usize,
    rows: usize,
) -> Vec<String> {
    let mut notes = Vec::new();
    let with_missing: Vec<&Column> = features
        .iter()
        .map(|&c| &columns[c])
        .filter(|c| c.info.missing > 0)
        .collect();
    let cells: usize = with_missing.iter().map(|c| c.info.missing).sum();
    if cells > 0 {
        let plural = |n: usize, one: &str, many: &str| if n == 1 { one.to_string() } else { many.to_string() };
        let in_columns = format!(
            "{cells} {} missing in {} {} ({})",
            plural(cells, "cell", "cells"),
            with_missing.len(),
            plural(with_missing.len(), "column", "columns"),
            with_missing.iter().map(|c| c.info.name.as_str()).collect::<Vec<_>>().join(", ")
        );
        notes.push(match preparation.missing {
            MissingPolicy::Fill => format!(
                "{in_columns}, filled with each column's median or most frequent value."
            ),
            MissingPolicy::Drop => format!(
                "{in_columns}: {} of {file_rows} rows were left out; they keep an empty cluster in the results.",
                file_rows - rows
            ),
        });
    }
    let left_out: Vec<String> = columns
        .iter()
        .filter(|c| c.info.role == Role::Ignored)
        .map(|c| format!("\"{}\" ({})", c.info.name, c.info.reason.split(';').next().unwrap_or("")))
        .collect();
    if !left_out.is_empty() {
        notes.push(format!("Left out: {}.", left_out.join(", ")));
    }
    let categorical: Vec<&str> = preparation
        .columns
        .iter()
        .filter(|p| matches!(p.encoding, Encoding::Categorical { .. }))
        .map(|p| p.name.as_str())
        .collect();
    if !categorical.is_empty() {
        notes.push(format!(
            "Categories in {} become one feature per value; rows of two different values are as far apart as one standard deviation of a number.",
            categorical.join(", ")
        ));
    }
    if preparation.shared {
        notes.push(
            "The numeric columns look like one measurement on one scale (pixels, counts): they are centred and share one scaling rather than each being standardised."
                .into(),
        );
    }
    for p in &preparation.columns {
        if let Encoding::Numeric { std, .. } = p.encoding
            && std == 0.0
        {
            notes.push(format!(
                "Column \"{}\" has the same value in every row and carries no information.",
                p.name
            ));
        }
    }
    notes
}

/// New rows for a saved model: its columns found by name (by position in a file without a
/// header), missing cells filled with the training values, unseen categories noted.
fn for_model(
    preparation: &Preparation,
    has_header: bool,
    names: &[String],
    records: &[Record],
    label_index: Option<usize>,
    comma: bool,
    parts: &PartLines,
) -> Result<Dataset, CsvError> {
    let indices = model_columns(preparation, has_header, names, label_index)?;
    let (cells, strays) = read_prepared(preparation, &indices, names, records, comma, parts);
    let cell_refs: Vec<&Cells> = cells.iter().collect();
    let all: Vec<u32> = (0..records.len() as u32).collect();
    let (values, unseen) = preparation.encode(&cell_refs, &all);
    let mut warnings = strays;
    let filled: usize = cells.iter().map(Cells::missing).sum();
    if filled > 0 {
        warnings.push(format!(
            "{filled} missing {} filled with the training data's median or most frequent value.",
            if filled == 1 { "cell was" } else { "cells were" }
        ));
    }
    for u in &unseen {
        warnings.push(format!(
            "Column \"{}\": {} rows hold values the model never saw ({}); they count as none of the known categories.",
            u.column,
            u.rows,
            u.examples.join(", ")
        ));
    }
    let (labels, label_names, _) = labels_of(records, &all, label_index);
    Ok(Dataset {
        features: Arc::new(values),
        valid: None,
        rows: records.len(),
        cols: preparation.width(),
        feature_names: preparation.feature_names(),
        columns: names.to_vec(),
        label_column: label_index.map(|c| names[c].clone()),
        labels,
        label_names,
        warnings,
        column_info: Vec::new(),
        file_rows: records.len(),
        kept: None,
        preparation: Some(preparation.clone()),
    })
}

/// Where each of the preparation's columns is in the file.
pub(super) fn model_columns(
    preparation: &Preparation,
    has_header: bool,
    names: &[String],
    label_index: Option<usize>,
) -> Result<Vec<usize>, CsvError> {
    let by_name: Result<Vec<usize>, CsvError> = preparation
        .columns
        .iter()
        .map(|p| {
            column_by_name(names, &p.name).ok_or_else(|| CsvError::ModelColumnMissing {
                    count: preparation.columns.len(),
                    name: p.name.clone(),
                })
        })
        .collect();
    if has_header {
        return by_name;
    }
    // Without a header: a file of just the model's columns (new rows without the label) is
    // taken in order; else the names made up by position (`col3`) find them, as in a file laid
    // out like the training file, left-out columns included.
    let unlabelled: Vec<usize> = (0..names.len()).filter(|&c| Some(c) != label_index).collect();
    if unlabelled.len() != preparation.columns.len() && by_name.is_ok() {
        return by_name;
    }
    if unlabelled.len() != preparation.columns.len() {
        return Err(CsvError::ColumnCount {
            expected: preparation.columns.len(),
            found: unlabelled.len(),
        });
    }
    Ok(unlabelled)
}

/// The cells of the preparation's columns (at `indices`), each read as its encoding needs,
/// and the notes on numeric cells that are not numbers (read as missing).
pub(super) fn read_prepared(
    preparation: &Preparation,
    indices: &[usize],
    names: &[String],
    records: &[Record],
    comma: bool,
    parts: &PartLines,
) -> (Vec<Cells>, Vec<String>) {
    let mut notes = Vec::new();
    let cells = preparation
        .columns
        .iter()
        .zip(indices)
        .map(|(p, &c)| {
            let cells = records.iter().map(|r| &r.fields[c]);
            let decimals = column_decimals(records, c, comma);
            match p.encoding {
                Encoding::Numeric { .. } => {
                    let (cells, strays) = read_numbers(cells, |f| decimals.parse(f));
                    notes.extend(strays_note(&strays, records, &names[c], parts));
                    cells
                }
                Encoding::Categorical { ref categories, .. } => {
                    let mut cells = read_codes(cells);
                    // A column of marks: its empty cells are the category they were in training.
                    if categories.iter().any(|c| c == EMPTY) {
                        cells.blanks_as(EMPTY);
                    }
                    cells
                }
            }
        })
        .collect();
    (cells, notes)
}

pub(super) fn resolve_label(
    label: &LabelColumn,
    has_header: bool,
    names: &[String],
) -> Result<Option<usize>, CsvError> {
    match label {
        LabelColumn::None => Ok(None),
        LabelColumn::Auto if !has_header => Ok(None),
        LabelColumn::Auto => Ok(AUTO_LABEL_NAMES
            .iter()
            .find_map(|want| names.iter().position(|n| n.eq_ignore_ascii_case(want)))),
        LabelColumn::Name(want) => names
            .iter()
            .position(|n| n == want.trim())
            .map(Some)
            .ok_or_else(|| CsvError::UnknownLabelColumn {
                name: want.clone(),
                available: names.join(", "),
            }),
        LabelColumn::Index(i) if *i < names.len() => Ok(Some(*i)),
        LabelColumn::Index(i) => Err(CsvError::LabelIndexOutOfRange {
            index: *i,
            cols: names.len(),
        }),
    }
}

/// The classes of `rows` in the label column, when there is one (see [`encode_labels`]).
fn labels_of(
    records: &[Record],
    rows: &[u32],
    label_index: Option<usize>,
) -> (Option<Vec<u32>>, Vec<String>, usize) {
    match label_index {
        Some(c) => {
            let (ids, classes, missing) = encode_labels(records, rows, c);
            (Some(ids), classes, missing)
        }
        None => (None, Vec::new(), 0),
    }
}

/// The class of a row whose label cell is missing: shown among the classes, not scored.
pub const MISSING_LABEL: &str = "(missing)";

/// Class ids of `rows` in order of first appearance, so the encoding does not depend on
/// sorting rules; a missing label is a class of its own, `(missing)`. Labels that differ only
/// in letter case (`Setosa`, `setosa`) are one class, named as first written, as categories
/// are. Returns how many were missing.
fn encode_labels(records: &[Record], rows: &[u32], c: usize) -> (Vec<u32>, Vec<String>, usize) {
    const MISSING: &str = MISSING_LABEL;
    let mut names: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<Cow<'_, str>, u32> = std::collections::HashMap::new();
    let mut ids = Vec::with_capacity(rows.len());
    let mut missing = 0;
    for &r in rows {
        let raw = &records[r as usize].fields[c];
        let value = if super::prepare::is_missing(raw) {
            missing += 1;
            MISSING
        } else {
            raw.trim()
        };
        let id = *index.entry(case_free(value)).or_insert_with(|| {
            names.push(value.to_string());
            (names.len() - 1) as u32
        });
        ids.push(id);
    }
    (ids, names, missing)
}
