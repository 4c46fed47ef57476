//! Series from CSV files in the "long" layout: one row per time step, a column naming the
//! series, optionally a time (or order) column and a label column, every other column a
//! channel. Without an id column the whole file is one series (a folder of such files). The
//! "wide" layout, a series in each row, is [`super::wide`]'s.

use thiserror::Error;

use super::super::csv_table::{ReadRecords, Record, column_by_name, read_records};
use super::super::prepare::looks_like_date;
use super::super::{CsvError, CsvOptions, LabelColumn};
use super::Series;
use super::cells::value_with;

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

/// What reading said of a file that was not UTF-8 (Windows-1252, UTF-16), if it was not.
pub(super) fn encoding_note(file: &str, bytes: &[u8]) -> Option<String> {
    crate::data::as_utf8(bytes).1.map(|e| e.note(file))
}

/// Where column `name` is among `names` (in other letters when only one matches so), or an
/// error listing them.
fn column_index(file: &str, names: &[String], name: &str) -> Result<usize, LongCsvError> {
    column_by_name(names, name).ok_or_else(|| LongCsvError::NoColumn {
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

/// What one long CSV holds.
#[derive(Debug)]
pub struct LongRead {
    /// In order of first appearance.
    pub series: Vec<Series>,
    /// The channels' names.
    pub names: Vec<String>,
    /// What was done with columns that are not channels: a time column found by itself, text
    /// columns left out.
    pub notes: Vec<String>,
    /// Whether the names are the file's own (else `channel 1`…).
    pub own_header: bool,
    /// The column found to be the time, when none was chosen.
    pub time: Option<String>,
    /// Text columns left out.
    pub text: Vec<String>,
}

/// First words of a column of times: `Time (s)`, `timestamp`, `date_utc`, `seconds_elapsed`.
const TIME_WORDS: [&str; 8] = [
    "time",
    "timestamp",
    "date",
    "datetime",
    "seconds",
    "elapsed",
    "millis",
    "milliseconds",
];

fn names_time(name: &str) -> bool {
    let first = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .map(str::to_ascii_lowercase);
    first.is_some_and(|w| TIME_WORDS.contains(&w.as_str()))
}

/// The time column chosen for a file of a row per time step when there is none (the page's
/// *time* menu set back to *channel*, `--series-time none`): rows keep the file's order and no
/// column is taken for the time by itself.
pub const NO_TIME: &str = "";

/// Up to 200 cells of column `c` that hold something.
fn sample_cells(records: &[Record], c: usize) -> Vec<&str> {
    records
        .iter()
        .map(|r| r.fields[c].trim())
        .filter(|f| !f.is_empty())
        .take(200)
        .collect()
}

/// Whether column `c`'s cells that hold something are all numbers (none missing).
fn all_numbers(records: &[Record], c: usize, comma: bool) -> bool {
    let cells = sample_cells(records, c);
    !cells.is_empty() && cells.iter().all(|f| value_with(f, comma).is_some_and(|v| !v.is_nan()))
}

/// Whether column `c` takes two different values within one series (a birth date does not
/// order a patient's rows); `id` names the series, or the file is one.
fn varies(records: &[Record], c: usize, id: Option<usize>) -> bool {
    let mut first: std::collections::HashMap<&str, &str> = Default::default();
    records.iter().any(|r| {
        let key = id.map_or("", |i| r.fields[i].trim());
        let cell = r.fields[c].trim();
        *first.entry(key).or_insert(cell) != cell
    })
}

/// Whether column `c`'s numbers never go down in the file's order: a clock.
fn rising(records: &[Record], c: usize, comma: bool) -> bool {
    let values: Vec<f32> = records
        .iter()
        .filter_map(|r| value_with(r.fields[c].trim(), comma))
        .filter(|v| !v.is_nan())
        .collect();
    values.windows(2).all(|w| w[0] <= w[1])
}

/// The column of times among `free` (columns no role was given): one named like a time
/// (`Time (s)`, `timestamp`) that holds numbers or dates, else one of dates and clock times
/// (`2024-03-01T07:30:00Z`); either must vary.
fn time_column(
    header: &[String],
    records: &[Record],
    free: &[usize],
    id: Option<usize>,
    comma: bool,
) -> Option<usize> {
    let dated = |c: usize| {
        let cells = sample_cells(records, c);
        !cells.is_empty() && cells.iter().all(|f| looks_like_date(f))
    };
    let named = free.iter().copied().find(|&c| {
        names_time(&header[c]) && (all_numbers(records, c, comma) || dated(c)) && varies(records, c, id)
    });
    named.or_else(|| free.iter().copied().find(|&c| dated(c) && varies(records, c, id)))
}

/// Whether column `c` is text rather than numbers with a stray word: most of its cells that
/// hold something are not numbers.
fn is_text(records: &[Record], c: usize, comma: bool) -> bool {
    mostly_text(&sample_cells(records, c), comma)
}

/// Whether most of `cells` are not numbers.
fn mostly_text(cells: &[&str], comma: bool) -> bool {
    2 * cells.iter().filter(|f| value_with(f, comma).is_none()).count() > cells.len()
}

/// Whether a time cell sorts as text: a date written year first, zero-padded
/// (`2024-03-01 07:30:00`, `2024/03/01`).
fn year_first(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'-' | b'/')
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b[4]
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// A column of names in runs of rows (`walk walk walk run run`), each name one run of at
/// least two rows: several recordings exported into one file, the column saying whose each
/// row is. Text columns are looked at, and columns of whole numbers not among `known` (the
/// channels a model was trained on); not a column named like a time or holding dates (a
/// clock to the second repeats in runs too). Of several, the one with the most runs (an
/// `activity` column whose runs hold several recordings each gives way to `recording`).
pub fn recordings_column(file: &str, bytes: &[u8], known: &[String]) -> Option<String> {
    let (header, records, delimiter) = csv_records(file, bytes, None).ok()?;
    let header = header?;
    let comma = delimiter != b',';
    (0..header.len())
        .filter(|&c| {
            let cells = sample_cells(&records, c);
            if names_time(&header[c]) || cells.iter().any(|f| looks_like_date(f)) {
                return false;
            }
            let whole = !cells.is_empty() && cells.iter().all(|f| value_with(f, comma).is_some_and(|v| v.fract() == 0.0));
            mostly_text(&cells, comma) || (whole && !known.iter().any(|k| k.trim().eq_ignore_ascii_case(header[c].trim())))
        })
        .filter_map(|c| Some((c, runs_of(&records, c)?)))
        .max_by_key(|&(c, runs)| (runs, std::cmp::Reverse(c)))
        .map(|(c, _)| header[c].trim().to_string())
}

/// How many runs column `c` falls into when it takes two values or more, each in one run of
/// at least two rows; else none.
fn runs_of(records: &[Record], c: usize) -> Option<usize> {
    let mut seen: std::collections::HashSet<&str> = Default::default();
    let mut runs: Vec<usize> = Vec::new();
    let mut last: Option<&str> = None;
    for r in records {
        let cell = r.fields[c].trim();
        if cell.is_empty() {
            return None;
        }
        if last == Some(cell) {
            *runs.last_mut().expect("a run is open") += 1;
            continue;
        }
        if !seen.insert(cell) {
            return None;
        }
        runs.push(1);
        last = Some(cell);
    }
    (runs.len() >= 2 && runs.iter().all(|&n| n >= 2)).then_some(runs.len())
}

/// The series of one long CSV, in order of first appearance, with the channel names. Without
/// a chosen time column, one named like a time or holding dates orders the rows; text
/// columns are left out; both are said.
pub fn long_csv(file: &str, bytes: &[u8], columns: &LongColumns) -> Result<LongRead, LongCsvError> {
    let no_time = columns.time.as_deref() == Some(NO_TIME);
    let named = columns.id.is_some() || (columns.time.is_some() && !no_time) || columns.label.is_some();
    // Columns chosen by name need a header; a file of channels alone may have none.
    let (header, records, delimiter) = csv_records(file, bytes, named.then_some(true))?;
    let comma = delimiter != b',';
    let width = records.first().map_or(0, |r| r.fields.len());
    let (header, own_header) = match header {
        Some(h) => (h, true),
        None if named => return Err(LongCsvError::NoHeader { file: file.into() }),
        None => ((1..=width).map(|c| format!("channel {c}")).collect(), false),
    };
    let chosen = LongColumns {
        time: columns.time.clone().filter(|_| !no_time),
        ..columns.clone()
    };
    let mut placed = Placed::find(file, &header, &chosen)?;
    // Without the file's name: a folder's recordings, all from one app, share one note.
    let mut notes: Vec<String> = encoding_note("", bytes).into_iter().collect();
    let mut found_time = None;
    if placed.time.is_none() && own_header && !no_time {
        placed.time = time_column(&header, &records, &placed.values(header.len()), placed.id, comma);
        if let Some(t) = placed.time {
            found_time = Some(header[t].trim().to_string());
            // A second clock (Sensor Logger's `seconds_elapsed` beside `time`) would leak each
            // recording's length as a channel.
            let clocks: Vec<usize> = placed
                .values(header.len())
                .into_iter()
                .filter(|&c| names_time(&header[c]) && all_numbers(&records, c, comma) && rising(&records, c, comma))
                .collect();
            let also = clocks.iter().map(|&c| format!(", and \"{}\" (another clock) is left out", header[c].trim()));
            notes.push(format!(
                "\"{}\" is read as the time of each row, not as a channel{}",
                header[t].trim(),
                also.collect::<String>()
            ));
            placed.ignored.extend(clocks);
        }
    }
    let text: Vec<usize> = placed
        .values(header.len())
        .into_iter()
        .filter(|&c| is_text(&records, c, comma))
        .collect();
    if !text.is_empty() {
        let named: Vec<String> = text.iter().map(|&c| format!("\"{}\"", header[c].trim())).collect();
        notes.push(format!(
            "{} {} text, not measurements: left out",
            named.join(", "),
            if text.len() == 1 { "holds" } else { "hold" }
        ));
        placed.ignored.extend(text.iter().copied());
    }
    let text: Vec<String> = text.iter().map(|&c| header[c].trim().to_string()).collect();
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
    let mut unordered = false;
    for key in order {
        let mut members = rows.remove(&key).expect("listed");
        if let Some(t) = time {
            let cell = |r: usize| records[r].fields[t].trim();
            let numbers: Option<Vec<f32>> = members
                .iter()
                .map(|&r| value_with(cell(r), comma).filter(|v| !v.is_nan()))
                .collect();
            match numbers {
                Some(n) => {
                    let mut keyed: Vec<(f32, usize)> = n.into_iter().zip(members).collect();
                    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                    members = keyed.into_iter().map(|(_, r)| r).collect();
                }
                // A time found by itself orders the rows only when its text sorts as time
                // does; clock times and day-first dates keep the file's order.
                None if found_time.is_none() || members.iter().all(|&r| year_first(cell(r))) => {
                    members.sort_by(|&a, &b| cell(a).cmp(cell(b)));
                }
                None => unordered = true,
            }
        }
        let mut values = vec![Vec::with_capacity(members.len()); channels.len()];
        for &r in &members {
            let rec = &records[r];
            for (v, &c) in values.iter_mut().zip(&channels) {
                v.push(
                    value_with(&rec.fields[c], comma).ok_or_else(|| LongCsvError::NotANumber {
                        file: file.into(),
                        line: rec.line,
                        column: header[c].clone(),
                        got: rec.fields[c].trim().chars().take(40).collect(),
                    })?,
                );
            }
        }
        let label = label.map(|c| records[members[0]].fields[c].trim().to_string());
        out.push(Series {
            name: key,
            channels: values,
            label,
        });
    }
    if unordered && let (Some(note), Some(t)) = (notes.first_mut(), time) {
        note.push_str(&format!(
            " (its values sort neither as numbers nor as dates written year first, so the rows keep the file's order: choose \"{}\" as the time to sort them as text)",
            header[t].trim()
        ));
    }
    let names = channels
        .iter()
        .map(|&c| header[c].trim().to_string())
        .collect();
    Ok(LongRead {
        series: out,
        names,
        notes,
        own_header,
        time: found_time,
        text,
    })
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
        let LongRead { series, names, .. } = long_csv(
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
        let LongRead { series, .. } = long_csv(
            "l.csv",
            LONG.as_bytes(),
            &cols(Some("id"), None, Some("activity")),
        )
        .unwrap();
        // `t` is not the time column now, so it is a channel
        assert_eq!(series[0].channels[1], vec![5.0, 4.0]);
        let dated = "id,when,v\na,2024-01-03,3\na,2024-01-01,1\na,2024-01-02,2\n";
        let LongRead { series, .. } = long_csv(
            "d.csv",
            dated.as_bytes(),
            &cols(Some("id"), Some("when"), None),
        )
        .unwrap();
        assert_eq!(series[0].channels[0], vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_file_without_an_id_is_one_series() {
        let LongRead { series, names, .. } = long_csv(
            "walk/rec1.csv",
            b"ax,ay\n1,2\n3,4\n5,6\n",
            &cols(None, None, None),
        )
        .unwrap();
        assert_eq!(names, vec!["ax", "ay"]);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].name, "rec1.csv");
        assert_eq!(series[0].channels[1], vec![2.0, 4.0, 6.0]);
        let LongRead { series, names, .. } = long_csv("rec2.csv", b"1,2\n3,4\n", &cols(None, None, None)).unwrap();
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
        // A stray word in a column of numbers is the user's to fix.
        let e = long_csv("l.csv", b"id,x\na,1\na,2\na,oops\na,4\n", &cols(Some("id"), None, None)).unwrap_err();
        assert_eq!(
            e,
            LongCsvError::NotANumber {
                file: "l.csv".into(),
                line: 4,
                column: "x".into(),
                got: "oops".into()
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
    }

    #[test]
    fn a_time_column_is_found_and_text_columns_are_left_out() {
        // A watch's export: ISO times, shuffled; a database's: an id, a time, a text column.
        let garmin = "timestamp,heart_rate,speed\n2024-03-01T07:30:02Z,120,3.1\n2024-03-01T07:30:00Z,110,2.9\n2024-03-01T07:30:01Z,115,\n";
        let r = long_csv("run/a.csv", garmin.as_bytes(), &cols(None, None, None)).unwrap();
        assert_eq!(r.names, ["heart_rate", "speed"]);
        assert_eq!(r.series[0].channels[0], [110.0, 115.0, 120.0], "ordered by the time");
        assert_eq!(r.series[0].channels[1].iter().filter(|v| v.is_nan()).count(), 1);
        assert_eq!(r.notes, ["\"timestamp\" is read as the time of each row, not as a channel"]);
        // Phyphox: a time in seconds, named so.
        let phyphox = "\"Time (s)\",\"Acceleration x (m/s^2)\"\n0.0,1.5\n0.01,1.7\n0.02,1.6\n";
        assert_eq!(long_csv("p.csv", phyphox.as_bytes(), &cols(None, None, None)).unwrap().names, ["Acceleration x (m/s^2)"]);
        let meters = "meter_id,reading_time,kwh,site_type\nmeter-2,2024-03-01 00:15:00,2.5,shop\nmeter-1,2024-03-01 00:15:00,1.5,household\nmeter-1,2024-03-01 00:00:00,1.0,household\n";
        let r = long_csv("m.csv", meters.as_bytes(), &cols(Some("meter_id"), None, None)).unwrap();
        assert_eq!(r.names, ["kwh"]);
        assert_eq!(r.series[1].channels[0], [1.0, 1.5]);
        assert!(r.notes[1].starts_with("\"site_type\" holds text, not measurements: left out"), "{:?}", r.notes);
        // A column of temperatures called t stays a channel.
        let r = long_csv("l.csv", LONG.as_bytes(), &cols(Some("id"), None, Some("activity"))).unwrap();
        assert_eq!(r.names, ["t", "x", "y"]);
        // Sensor Logger: a second clock beside the time is left out too.
        let logger = "time,seconds_elapsed,z\n1709287200000,0.0,1.5\n1709287200010,0.01,1.7\n1709287200020,0.02,1.6\n";
        let r = long_csv("s.csv", logger.as_bytes(), &cols(None, None, None)).unwrap();
        assert_eq!(r.names, ["z"]);
        assert!(r.notes[0].contains("and \"seconds_elapsed\" (another clock) is left out"), "{:?}", r.notes);
        // Clock times do not sort as text: the file's order stays, and the note says so.
        let clock = "time,v\n9:59:58,1\n9:59:59,2\n10:00:00,3\n";
        let r = long_csv("c.csv", clock.as_bytes(), &cols(None, None, None)).unwrap();
        assert_eq!((r.names.clone(), r.series[0].channels[0].clone()), (vec!["v".to_string()], vec![1.0, 2.0, 3.0]));
        assert!(r.notes[0].contains("the rows keep the file's order"), "{:?}", r.notes);
        // No time at all, asked for: the clock stays a channel.
        let r = long_csv("c.csv", clock.as_bytes(), &cols(None, Some(NO_TIME), None)).unwrap();
        assert_eq!(r.names, ["v"], "clock times are text: left out as such");
        let r = long_csv("s.csv", logger.as_bytes(), &cols(None, Some(NO_TIME), None)).unwrap();
        assert_eq!(r.names, ["time", "seconds_elapsed", "z"]);
        // A birth date does not order a patient's rows; the measurement time does.
        let ward = "patient,born,measured_at,hr\np1,1950-01-02,2024-03-01 10:00,80\np1,1950-01-02,2024-03-01 09:00,70\np2,1961-05-06,2024-03-01 09:00,60\n";
        let r = long_csv("w.csv", ward.as_bytes(), &cols(Some("patient"), None, None)).unwrap();
        assert_eq!(r.time.as_deref(), Some("measured_at"));
        assert_eq!(r.series[0].channels[0], [70.0, 80.0]);
        // Decimal commas in a file split at semicolons (Phyphox's European export).
        let comma = "\"Time (s)\";\"x\"\n0,00;1,5\n0,01;1,7\n";
        let r = long_csv("e.csv", comma.as_bytes(), &cols(None, None, None)).unwrap();
        assert_eq!((r.names.clone(), r.series[0].channels[0].clone()), (vec!["x".to_string()], vec![1.5, 1.7]));
    }

    #[test]
    fn a_column_of_names_in_runs_is_found_as_the_recordings_and_clocks_are_not() {
        let runs = "id,time,x\na,0,1\na,1,2\nb,0,3\nb,1,4\nb,2,5\n";
        assert_eq!(recordings_column("f.csv", runs.as_bytes(), &[]).as_deref(), Some("id"));
        // A name that comes back later, a run of one row, a single name: not recordings.
        let back = "id,x\na,1\na,2\nb,3\nb,4\na,5\na,6\n";
        assert_eq!(recordings_column("f.csv", back.as_bytes(), &[]), None);
        let short = "id,x\na,1\na,2\nb,3\n";
        assert_eq!(recordings_column("f.csv", short.as_bytes(), &[]), None);
        let one = "id,x\na,1\na,2\na,3\n";
        assert_eq!(recordings_column("f.csv", one.as_bytes(), &[]), None);
        // An activity whose runs hold several recordings each gives way to the recordings.
        let nested = "activity,recording,x\nwalk,r1,1\nwalk,r1,2\nwalk,r2,3\nwalk,r2,4\nrun,r3,5\nrun,r3,6\n";
        assert_eq!(recordings_column("f.csv", nested.as_bytes(), &[]).as_deref(), Some("recording"));
        // Whole numbers in runs: a recording number unless the model knows the column.
        let numbered = "trial,x\n1,0.5\n1,0.7\n2,0.1\n2,0.2\n";
        assert_eq!(recordings_column("f.csv", numbered.as_bytes(), &[]).as_deref(), Some("trial"));
        assert_eq!(recordings_column("f.csv", numbered.as_bytes(), &["Trial".into(), "x".into()]), None);
        // A clock to the second and timestamps repeat in runs too.
        let clock = "seconds,x\n0,0.5\n0,0.7\n1,0.1\n1,0.2\n";
        assert_eq!(recordings_column("f.csv", clock.as_bytes(), &[]), None);
        let stamps = "stamp,x\n2024-03-01 07:30:00,1\n2024-03-01 07:30:00,2\n2024-03-01 07:30:01,3\n2024-03-01 07:30:01,4\n";
        assert_eq!(recordings_column("f.csv", stamps.as_bytes(), &[]), None);
    }
}
