//! Series from a CSV whose rows are series (a table of heartbeats, one per row; the UCR's
//! layout with a header): each row's value columns, in the file's order, are its time steps,
//! one channel. An optional column names each series, the label column gives its class, and
//! ignored columns are left out.

use super::super::csv_build::column_names;
use super::super::prepare::{ColumnInfo, Kind, Role};
use super::Series;
use super::cells::{end_at_last_value, padding_notes, value_with};
use super::long::{LongColumns, LongCsvError, column_index, csv_records};

/// A table has this many number columns, at least, before they are said to look like time
/// steps ([`time_step_columns`]).
pub const TIME_STEPS_HINT: usize = 24;

/// How many number columns of a table read as a table look like the time steps of a series
/// in each row: at least [`TIME_STEPS_HINT`], named by no header (`col1`…) or by numbers
/// (sample indices, wavelengths, as exported tables of heartbeats or spectra are). 0 when they
/// do not: columns with names of their own (`age`, `px3`) are features, which is what a table
/// reading assumes.
pub fn time_step_columns(columns: &[ColumnInfo]) -> usize {
    let named_like_steps = |n: &str| {
        n.trim().parse::<f64>().is_ok()
            || n.strip_prefix("col")
                .is_some_and(|d| d.parse::<usize>().is_ok())
    };
    let numbers: Vec<&ColumnInfo> = columns
        .iter()
        .filter(|c| c.kind == Kind::Numeric && c.role != Role::Label)
        .collect();
    if numbers.len() >= TIME_STEPS_HINT && numbers.iter().all(|c| named_like_steps(&c.name)) {
        numbers.len()
    } else {
        0
    }
}

/// The series of one CSV with a series in each row, and notes on what was done.
pub fn wide_csv(
    file: &str,
    bytes: &[u8],
    columns: &LongColumns,
) -> Result<(Vec<Series>, Vec<String>), LongCsvError> {
    if columns.time.is_some() {
        return Err(LongCsvError::TimeInWide { file: file.into() });
    }
    let (header, records, delimiter) = csv_records(file, bytes, None)?;
    let width = records.first().map_or(0, |r| r.fields.len());
    // The names the columns table shows, so the roles it sends find their columns.
    let names = column_names(header.as_deref(), width);
    let find = |name: &String| column_index(file, &names, name);
    let id = columns.id.as_ref().map(find).transpose()?;
    let label = columns.label.as_ref().map(find).transpose()?;
    let ignored: Vec<usize> = columns
        .ignored
        .iter()
        .filter_map(|n| find(n).ok())
        .collect();
    let steps: Vec<usize> = (0..width)
        .filter(|c| Some(*c) != id && Some(*c) != label && !ignored.contains(c))
        .collect();
    if steps.is_empty() {
        return Err(LongCsvError::NoChannels { file: file.into() });
    }
    let decimal_comma = delimiter != b',';
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let (mut series, mut shortened) = (Vec::with_capacity(records.len()), 0);
    for (r, rec) in records.iter().enumerate() {
        let name = id.map_or_else(
            || format!("{stem}#{}", r + 1),
            |c| rec.fields[c].trim().to_string(),
        );
        let mut values = Vec::with_capacity(steps.len());
        for &c in &steps {
            let text = rec.fields[c].trim();
            values.push(value_with(text, decimal_comma).ok_or_else(|| {
                LongCsvError::NotANumber {
                    file: file.into(),
                    line: rec.line,
                    column: names[c].clone(),
                    got: text.chars().take(40).collect(),
                }
            })?);
        }
        // Empty cells at the end: a shorter series.
        let shorter = end_at_last_value(&mut values).ok_or_else(|| LongCsvError::AllMissing {
            file: file.into(),
            series: name.clone(),
            column: "time step".into(),
        })?;
        shortened += usize::from(shorter);
        series.push(Series {
            name,
            channels: vec![values],
            label: label.map(|c| rec.fields[c].trim().to_string()),
        });
    }
    let mut notes = vec![format!(
        "{file}: each row read as one series, its {} value columns ({} to {}) in order as its time steps",
        steps.len(),
        names[steps[0]],
        names[*steps.last().expect("not empty")],
    )];
    notes.extend(padding_notes(file, shortened, 0, "empty cells"));
    Ok((series, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_a_series_with_names_classes_and_ignored_columns() {
        let text = "beat,t1,t2,t3,t4,kind,note\nb1,0.1,0.5,0.2,0.1,normal,x\nb2,0.9,0.2,,,ectopic,y\nb3,0.2,NA,0.3,0.2,normal,z\n";
        let columns = LongColumns {
            id: Some("beat".into()),
            label: Some("kind".into()),
            ignored: vec!["note".into()],
            ..LongColumns::default()
        };
        let (series, notes) = wide_csv("beats.csv", text.as_bytes(), &columns).expect("reads");
        assert_eq!(series.len(), 3);
        assert_eq!(series[0].name, "b1");
        assert_eq!(series[0].channels, vec![vec![0.1, 0.5, 0.2, 0.1]]);
        assert_eq!(series[1].label.as_deref(), Some("ectopic"));
        // Empty cells at the end shorten the series; one inside is a gap.
        assert_eq!(series[1].channels, vec![vec![0.9, 0.2]]);
        assert!(series[2].channels[0][1].is_nan());
        assert!(
            notes[0].contains("its 4 value columns (t1 to t4)"),
            "{notes:?}"
        );
        assert!(
            notes[1].contains("1 series end in missing values (empty cells)"),
            "{notes:?}"
        );
    }

    #[test]
    fn without_a_header_columns_are_named_as_the_table_names_them() {
        // Kaggle's heartbeat tables: no header, the class last.
        let text = "0.1;0,5;0.2;1\n0.3;0.4;0.5;0\n";
        let columns = LongColumns {
            label: Some("col4".into()),
            ..LongColumns::default()
        };
        let (series, notes) = wide_csv("dir/beats.csv", text.as_bytes(), &columns).expect("reads");
        assert_eq!(series[0].name, "beats.csv#1");
        assert_eq!(series[0].channels, vec![vec![0.1, 0.5, 0.2]]);
        assert_eq!(series[1].label.as_deref(), Some("0"));
        assert!(notes[0].contains("(col1 to col3)"), "{notes:?}");
    }

    #[test]
    fn unnamed_or_numbered_number_columns_look_like_time_steps() {
        let table = |names: &[String], kind: Kind| -> Vec<ColumnInfo> {
            names
                .iter()
                .map(|n| ColumnInfo {
                    name: n.clone(),
                    kind,
                    role: Role::Feature,
                    missing: 0,
                    distinct: 10,
                    reason: String::new(),
                    categories: Vec::new(),
                })
                .collect()
        };
        let unnamed: Vec<String> = (1..=30).map(|i| format!("col{i}")).collect();
        let numbered: Vec<String> = (0..30)
            .map(|i| format!("{}", 400.0 + 0.5 * i as f64))
            .collect();
        let pixels: Vec<String> = (0..64).map(|i| format!("px{i}")).collect();
        assert_eq!(time_step_columns(&table(&unnamed, Kind::Numeric)), 30);
        let mut with_label = table(&numbered, Kind::Numeric);
        with_label[29].role = Role::Label;
        assert_eq!(time_step_columns(&with_label), 29);
        assert_eq!(
            time_step_columns(&table(&pixels, Kind::Numeric)),
            0,
            "named columns are features"
        );
        assert_eq!(
            time_step_columns(&table(&unnamed[..10], Kind::Numeric)),
            0,
            "too few"
        );
        assert_eq!(time_step_columns(&table(&unnamed, Kind::Categorical)), 0);
    }

    #[test]
    fn mistakes_say_what_to_do() {
        let text = "t1,t2\n1,2\n3,x\n";
        let err = wide_csv("w.csv", text.as_bytes(), &LongColumns::default()).unwrap_err();
        assert_eq!(
            err,
            LongCsvError::NotANumber {
                file: "w.csv".into(),
                line: 3,
                column: "t2".into(),
                got: "x".into()
            }
        );
        let err = wide_csv("w.csv", b"t1,t2\n1,2\n,NA\n", &LongColumns::default()).unwrap_err();
        assert!(
            matches!(err, LongCsvError::AllMissing { ref series, .. } if series == "w.csv#2"),
            "{err:?}"
        );
        let timed = LongColumns {
            time: Some("t1".into()),
            ..LongColumns::default()
        };
        assert_eq!(
            wide_csv("w.csv", b"t1,t2\n1,2\n", &timed).unwrap_err(),
            LongCsvError::TimeInWide {
                file: "w.csv".into()
            }
        );
        let all = LongColumns {
            ignored: vec!["t1".into(), "t2".into()],
            ..LongColumns::default()
        };
        assert_eq!(
            wide_csv("w.csv", b"t1,t2\n1,2\n", &all).unwrap_err(),
            LongCsvError::NoChannels {
                file: "w.csv".into()
            }
        );
    }
}
