//! Series from CSV files in the "long" layout: one row per time step, a column naming the
//! series, optionally a time (or order) column and a label column, every other column a
//! channel. Without an id column the whole file is one series (a folder of such files). The
//! "wide" layout, a series in each row, is [`super::wide`]'s.

use thiserror::Error;

use super::super::csv_table::{ReadRecords, read_records};
use super::super::{CsvError, CsvOptions, LabelColumn};
use super::Series;
use super::cells::value;

/// Which columns are not channels (or, with `wide`, not time steps).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LongColumns {
    /// Each row is a series, its value columns in order its time steps ([`super::wide`]).
    pub wide: bool,
    /// The series id; `None`: the file is one series (wide: each row is named `FILE#n`).
    pub id: Option<String>,
    /// Orders the rows of a series (numbers, or text such as ISO dates); `None`: file order.
    pub time: Option<String>,
    /// Classes, used only to score.
    pub label: Option<String>,
    /// Columns left out.
    pub ignored: Vec<String>,
    /// Several files without an id column: more series, or each one channel of the same
    /// series ([`super::channel_files`]).
    pub files_as: super::FilesAs,
}

#[derive(Debug, Error, PartialEq)]
pub enum LongCsvError {
    #[error("{file}: {error}")]
    Csv { file: String, error: CsvError },
    #[error(
        "{file} has no header row; its first row must name the columns (the series id, time and each channel)"
    )]
    NoHeader { file: String },
    #[error("{file} has no column \"{name}\"; its columns are {columns}")]
    NoColumn {
        file: String,
        name: String,
        columns: String,
    },
    #[error(
        "{file} has no value columns left once the id, time, label and ignored columns are set aside"
    )]
    NoChannels { file: String },
    #[error(
        "{file} line {line}, column \"{column}\": \"{got}\" is not a number; leave the cell empty for a missing value, or leave the column out (role Ignored in the page, --ignore on the command line)"
    )]
    NotANumber {
        file: String,
        line: u64,
        column: String,
        got: String,
    },
    #[error(
        "{file}: a time column orders the rows of one series; with each row a series, its columns are already in time order"
    )]
    TimeInWide { file: String },
    #[error("{file}, series \"{series}\": every {column} value is missing")]
    AllMissing {
        file: String,
        series: String,
        column: String,
    },
}

/// A CSV's header (`has_header`: `None` to detect one), records and delimiter, no column
/// taken for a label; errors name the file.
pub(super) fn csv_records(
    file: &str,
    bytes: &[u8],
    has_header: Option<bool>,
) -> Result<ReadRecords, LongCsvError> {
    let options = CsvOptions {
        label: LabelColumn::None,
        has_header,
        ..CsvOptions::default()
    };
    read_records(bytes, &options).map_err(|error| LongCsvError::Csv {
        file: file.into(),
        error,
    })
}

/// Where column `name` is among `names`, or an error listing them.
fn column_index(file: &str, names: &[String], name: &str) -> Result<usize, LongCsvError> {
    names
        .iter()
        .position(|h| h.trim() == name.trim())
        .ok_or_else(|| LongCsvError::NoColumn {
            file: file.into(),
            name: name.to_string(),
            columns: names.join(", "),
        })
}

/// Where the columns chosen in a [`LongColumns`] are among a file's column names.
pub(super) struct Placed {
    pub id: Option<usize>,
    pub time: Option<usize>,
    pub label: Option<usize>,
    pub ignored: Vec<usize>,
}

impl Placed {
    /// An error names the file and lists its columns when a chosen id, time or label column is
    /// not among `names`; an ignored column that is not there is nothing to leave out.
    pub fn find(file: &str, names: &[String], columns: &LongColumns) -> Result<Self, LongCsvError> {
        let find = |name: &String| column_index(file, names, name);
        Ok(Self {
            id: columns.id.as_ref().map(find).transpose()?,
            time: columns.time.as_ref().map(find).transpose()?,
            label: columns.label.as_ref().map(find).transpose()?,
            ignored: columns.ignored.iter().filter_map(|n| find(n).ok()).collect(),
        })
    }

    /// The columns of `width` that hold values: none of the chosen ones.
    pub fn values(&self, width: usize) -> Vec<usize> {
        let chosen = |c: usize| [self.id, self.time, self.label].contains(&Some(c)) || self.ignored.contains(&c);
        (0..width).filter(|&c| !chosen(c)).collect()
    }
}

/// The series of one long CSV, in order of first appearance, with the channel names.
pub fn long_csv(
    file: &str,
    bytes: &[u8],
    columns: &LongColumns,
) -> Result<(Vec<Series>, Vec<String>), LongCsvError> {
    let named = columns.id.is_some() || columns.time.is_some() || columns.label.is_some();
    // Columns chosen by name need a header; a file of channels alone may have none.
    let (header, records, _) = csv_records(file, bytes, named.then_some(true))?;
    let width = records.first().map_or(0, |r| r.fields.len());
    let header = match header {
        Some(h) => h,
        None if named => return Err(LongCsvError::NoHeader { file: file.into() }),
        None => (1..=width).map(|c| format!("channel {c}")).collect(),
    };
    let placed = Placed::find(file, &header, columns)?;
    let (id, time, label) = (placed.id, placed.time, placed.label);
    let channels = placed.values(header.len());
    if channels.is_empty() {
        return Err(LongCsvError::NoChannels { file: file.into() });
    }
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    // Rows of each series in first-appearance order.
    let mut order: Vec<String> = Vec::new();
    let mut rows: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (r, rec) in records.iter().enumerate() {
        let key = id.map_or_else(|| stem.to_string(), |c| rec.fields[c].trim().to_string());
        rows.entry(key.clone())
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(r);
    }
    let mut out = Vec::with_capacity(order.len());
    for key in order {
        let mut members = rows.remove(&key).expect("listed");
        if let Some(t) = time {
            let numbers: Option<Vec<f64>> = members
                .iter()
                .map(|&r| records[r].fields[t].trim().parse::<f64>().ok())
                .collect();
            match numbers {
                Some(n) => {
                    let mut keyed: Vec<(f64, usize)> = n.into_iter().zip(members).collect();
                    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                    members = keyed.into_iter().map(|(_, r)| r).collect();
                }
                None => members.sort_by(|&a, &b| records[a].fields[t].cmp(&records[b].fields[t])),
            }
        }
        let mut values = vec![Vec::with_capacity(members.len()); channels.len()];
        for &r in &members {
            let rec = &records[r];
            for (v, &c) in values.iter_mut().zip(&channels) {
                v.push(
                    value(&rec.fields[c]).ok_or_else(|| LongCsvError::NotANumber {
                        file: file.into(),
                        line: rec.line,
                        column: header[c].clone(),
                        got: rec.fields[c].trim().chars().take(40).collect(),
                    })?,
                );
            }
        }
        if let Some((v, &c)) = values
            .iter()
            .zip(&channels)
            .find(|(v, _)| v.iter().all(|x| x.is_nan()))
        {
            let _ = v;
            return Err(LongCsvError::AllMissing {
                file: file.into(),
                series: key,
                column: header[c].clone(),
            });
        }
        let label = label.map(|c| records[members[0]].fields[c].trim().to_string());
        out.push(Series {
            name: key,
            channels: values,
            label,
        });
    }
    let names = channels
        .iter()
        .map(|&c| header[c].trim().to_string())
        .collect();
    Ok((out, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "id,t,x,y,activity\nb,2,5,50,run\na,1,1,10,walk\nb,1,4,40,run\na,2,2,NA,walk\na,3,3,30,walk\n";

    fn cols(id: Option<&str>, time: Option<&str>, label: Option<&str>) -> LongColumns {
        LongColumns {
            id: id.map(Into::into),
            time: time.map(Into::into),
            label: label.map(Into::into),
            ignored: Vec::new(),
            wide: false,
            ..LongColumns::default()
        }
    }

    #[test]
    fn rows_become_series_ordered_by_time() {
        let (series, names) = long_csv(
            "l.csv",
            LONG.as_bytes(),
            &cols(Some("id"), Some("t"), Some("activity")),
        )
        .unwrap();
        assert_eq!(names, vec!["x", "y"]);
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].name, "b");
        assert_eq!(series[0].channels, vec![vec![4.0, 5.0], vec![40.0, 50.0]]);
        assert_eq!(series[1].channels[0], vec![1.0, 2.0, 3.0]);
        assert!(series[1].channels[1][1].is_nan());
        assert_eq!(series[1].label.as_deref(), Some("walk"));
    }

    #[test]
    fn without_a_time_column_the_file_order_holds_and_text_times_sort() {
        let (series, _) = long_csv(
            "l.csv",
            LONG.as_bytes(),
            &cols(Some("id"), None, Some("activity")),
        )
        .unwrap();
        // `t` is not the time column now, so it is a channel
        assert_eq!(series[0].channels[1], vec![5.0, 4.0]);
        let dated = "id,when,v\na,2024-01-03,3\na,2024-01-01,1\na,2024-01-02,2\n";
        let (series, _) = long_csv(
            "d.csv",
            dated.as_bytes(),
            &cols(Some("id"), Some("when"), None),
        )
        .unwrap();
        assert_eq!(series[0].channels[0], vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_file_without_an_id_is_one_series() {
        let (series, names) = long_csv(
            "walk/rec1.csv",
            b"ax,ay\n1,2\n3,4\n5,6\n",
            &cols(None, None, None),
        )
        .unwrap();
        assert_eq!(names, vec!["ax", "ay"]);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].name, "rec1.csv");
        assert_eq!(series[0].channels[1], vec![2.0, 4.0, 6.0]);
        let (series, names) = long_csv("rec2.csv", b"1,2\n3,4\n", &cols(None, None, None)).unwrap();
        assert_eq!(names, vec!["channel 1", "channel 2"]);
        assert_eq!(series[0].channels[0], vec![1.0, 3.0]);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let e = long_csv("l.csv", LONG.as_bytes(), &cols(Some("series"), None, None)).unwrap_err();
        assert!(
            e.to_string()
                .contains("no column \"series\"; its columns are id, t, x, y, activity"),
            "{e}"
        );
        // the label column, not chosen, is text: a channel that is not numbers
        let e = long_csv("l.csv", LONG.as_bytes(), &cols(Some("id"), Some("t"), None)).unwrap_err();
        assert_eq!(
            e,
            LongCsvError::NotANumber {
                file: "l.csv".into(),
                line: 4,
                column: "activity".into(),
                got: "run".into()
            }
        );
        let mut ignoring = cols(Some("id"), Some("t"), None);
        ignoring.ignored = vec!["activity".into()];
        assert!(long_csv("l.csv", LONG.as_bytes(), &ignoring).is_ok());
        let e = long_csv("l.csv", b"id,t\na,1\n", &cols(Some("id"), Some("t"), None)).unwrap_err();
        assert_eq!(
            e,
            LongCsvError::NoChannels {
                file: "l.csv".into()
            }
        );
        let e = long_csv("l.csv", b"id,v\na,NA\n", &cols(Some("id"), None, None)).unwrap_err();
        assert!(
            e.to_string()
                .contains("series \"a\": every v value is missing"),
            "{e}"
        );
    }
}
