//! Series from a CSV whose rows are series (a table of heartbeats, one per row; the UCR's
//! layout with a header): each row's value columns, in the file's order, are its time steps.
//! Columns named as one channel's steps after another's (`acc_x_1`…`acc_x_50`, `acc_y_1`…)
//! are that many channels ([`channels_by_name`]); otherwise all are one channel. An optional
//! column names each series, the label column gives its class, and ignored columns are left
//! out.

use super::super::csv_build::column_names;
use super::super::prepare::{ColumnInfo, Kind, Role, is_missing};
use super::Series;
use super::cells::{end_at_last_value, padding_notes, value_with};
use super::long::{LongColumns, LongCsvError, Placed, csv_records};

/// A table has this many number columns, at least, before they are said to look like time
/// steps ([`series_in_rows_hint`]).
pub const TIME_STEPS_HINT: usize = 24;

/// Why a table's number columns look like the time steps of a series in each row, when they
/// do: at least [`TIME_STEPS_HINT`] of them, named by no header (`col1`…) or by numbers
/// (sample indices, wavelengths, as exported tables of heartbeats or spectra are), or named as
/// several channels' steps (`acc_x_1`…, `acc_y_1`…). `None` for columns with names of their
/// own (`age`, `px3`): features, which is what a table reading assumes.
pub fn series_in_rows_hint(columns: &[ColumnInfo]) -> Option<String> {
    let named_like_steps = |n: &str| {
        n.trim().parse::<f64>().is_ok()
            || n.strip_prefix("col")
                .is_some_and(|d| d.parse::<usize>().is_ok())
    };
    let numbers: Vec<String> = columns
        .iter()
        .filter(|c| c.kind == Kind::Numeric && c.role != Role::Label)
        .map(|c| c.name.clone())
        .collect();
    let n = numbers.len();
    if n < TIME_STEPS_HINT {
        return None;
    }
    if numbers.iter().all(|c| named_like_steps(c)) {
        return Some(format!(
            "its {n} number columns have no names of their own (no header, or numbers), as the time steps of recordings often do"
        ));
    }
    match channels_by_name(&numbers, &(0..n).collect::<Vec<_>>()) {
        Channels::Named(channels) => {
            let mut named: Vec<&str> = channels.iter().take(8).map(|c| c.0.as_str()).collect();
            if channels.len() > 8 {
                named.push("…");
            }
            Some(format!(
                "its {n} number columns are named as the time steps of {} channels ({}), {} each",
                channels.len(),
                named.join(", "),
                channels[0].1.len(),
            ))
        }
        _ => None,
    }
}

/// Rows looked at to tell a column of text from a column of numbers with a few mistakes.
const TEXT_SAMPLE: usize = 200;

/// Most channels told by column names: more prefixes than this are the parts of other names
/// (`wl400.0`, `wl400.5`, `wl401.0`…), not sensors.
const MAX_NAMED_CHANNELS: usize = 64;

/// How the step columns split into channels by their names.
#[derive(Debug, PartialEq)]
enum Channels {
    /// All one channel: the names are not a prefix and a step number each.
    One,
    /// Each channel's name and its columns in time order.
    Named(Vec<(String, Vec<usize>)>),
    /// Names of the shape of channels whose step numbers differ: read as one channel, with
    /// the channels and their column counts for the note saying so.
    Unlike(Vec<(String, usize)>),
}

/// A column name as a prefix with a letter in it and a step number at its end (`acc_x_12`,
/// `dim_0__3`, `x7`); not the decimals of a number (`wl400.5`, `f1,5`).
fn prefix_and_step(name: &str) -> Option<(&str, u64)> {
    let name = name.trim();
    let prefix = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if prefix.len() == name.len() || !prefix.chars().any(char::is_alphabetic) {
        return None;
    }
    let mut end = prefix.chars().rev();
    if matches!(end.next(), Some('.' | ',')) && end.next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((prefix, name[prefix.len()..].parse().ok()?))
}

/// Channels told by the names of the `steps` columns: at least two prefixes (at most
/// [`MAX_NAMED_CHANNELS`]) that each number the same steps, increasing from 0 or 1, at least
/// three of them. Numbers that start elsewhere are not steps (`Jan2019`, `Feb2019`…: months
/// of years).
fn channels_by_name(names: &[String], steps: &[usize]) -> Channels {
    let mut groups: Vec<(&str, Vec<(u64, usize)>)> = Vec::new();
    for &c in steps {
        let Some((prefix, step)) = prefix_and_step(&names[c]) else {
            return Channels::One;
        };
        match groups.iter_mut().find(|g| g.0 == prefix) {
            Some(group) => group.1.push((step, c)),
            None => groups.push((prefix, vec![(step, c)])),
        }
    }
    if groups.len() < 2 || groups.len() > MAX_NAMED_CHANNELS || groups.iter().any(|g| g.1.len() < 3)
    {
        return Channels::One;
    }
    let shown = |prefix: &str| {
        prefix
            .trim_end_matches(['_', '-', '.', ' ', ':'])
            .to_string()
    };
    let numbers = |g: &[(u64, usize)]| g.iter().map(|s| s.0).collect::<Vec<u64>>();
    let first = numbers(&groups[0].1);
    if first[0] > 1 {
        return Channels::One;
    }
    if first.windows(2).all(|w| w[0] < w[1]) && groups.iter().all(|g| numbers(&g.1) == first) {
        Channels::Named(
            groups
                .into_iter()
                .map(|(p, g)| (shown(p), g.into_iter().map(|s| s.1).collect()))
                .collect(),
        )
    } else {
        Channels::Unlike(
            groups
                .into_iter()
                .map(|(p, g)| (shown(p), g.len()))
                .collect(),
        )
    }
}

/// The series of one CSV with a series in each row, the channels' names when the column names
/// make several, and notes on what was done.
pub fn wide_csv(
    file: &str,
    bytes: &[u8],
    columns: &LongColumns,
) -> Result<(Vec<Series>, Option<Vec<String>>, Vec<String>), LongCsvError> {
    if columns.time.is_some() {
        return Err(LongCsvError::TimeInWide { file: file.into() });
    }
    let (header, records, delimiter) = csv_records(file, bytes, None)?;
    let width = records.first().map_or(0, |r| r.fields.len());
    // The names the columns table shows, so the roles it sends find their columns.
    let names = column_names(header.as_deref(), width);
    let placed = Placed::find(file, &names, columns)?;
    let (id, label) = (placed.id, placed.label);
    let decimal_comma = delimiter != b',';
    // Columns of text (a name, a date, an activity) are set aside, as a table reading does;
    // a stray word in a column of numbers is still a mistake to point at.
    let sample = &records[..records.len().min(TEXT_SAMPLE)];
    let is_text = |c: usize| {
        let cells = sample
            .iter()
            .map(|r| r.fields[c].trim())
            .filter(|t| !is_missing(t));
        let (words, all) = cells.fold((0, 0), |(w, a), t| {
            (
                w + usize::from(value_with(t, decimal_comma).is_none()),
                a + 1,
            )
        });
        2 * words > all
    };
    let (steps, text): (Vec<usize>, Vec<usize>) =
        placed.values(width).into_iter().partition(|&c| !is_text(c));
    if steps.is_empty() {
        return Err(LongCsvError::NoChannels { file: file.into() });
    }
    let split = channels_by_name(&names, &steps);
    let channels: Vec<(String, Vec<usize>)> = match &split {
        Channels::Named(channels) => channels.clone(),
        _ => vec![("time step".into(), steps.clone())],
    };
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let (mut series, mut shortened) = (Vec::with_capacity(records.len()), 0);
    for (r, rec) in records.iter().enumerate() {
        let name = id.map_or_else(
            || format!("{stem}#{}", r + 1),
            |c| rec.fields[c].trim().to_string(),
        );
        let mut row = Vec::with_capacity(channels.len());
        let mut shorter = false;
        for (_, columns) in &channels {
            let mut values = Vec::with_capacity(columns.len());
            for &c in columns {
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
            // Empty cells at the end: a shorter series. A channel with no value at all stays
            // empty for the set to leave out, saying so.
            shorter |= end_at_last_value(&mut values).unwrap_or(false);
            row.push(values);
        }
        shortened += usize::from(shorter);
        series.push(Series {
            name,
            channels: row,
            label: label.map(|c| rec.fields[c].trim().to_string()),
        });
    }
    let mut notes: Vec<String> = super::long::encoding_note(file, bytes).into_iter().collect();
    notes.push(format!(
        "{file}: each row read as one series, its {} value columns ({} to {}){}",
        steps.len(),
        names[steps[0]],
        names[*steps.last().expect("not empty")],
        if matches!(split, Channels::Named(_)) {
            ""
        } else {
            " in order as its time steps"
        },
    ));
    if !text.is_empty() {
        let named: Vec<String> = text.iter().map(|&c| format!("\"{}\"", names[c])).collect();
        notes.push(format!(
            "{file}: {} not numbers: left out of the series (make a column of classes the label to score against it)",
            if text.len() == 1 { format!("column {} holds text,", named[0]) } else { format!("columns {} hold text,", named.join(", ")) },
        ));
    }
    match split {
        Channels::Named(channels) => notes.push(format!(
            "{file}: the column names make {} channels ({}) of {} time steps each",
            channels.len(),
            channels.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(", "),
            channels[0].1.len(),
        )),
        Channels::Unlike(channels) => notes.push(format!(
            "{file}: the column names look like {} channels ({}), but they do not number the same time steps in the same order, so all are read as one channel; name each channel's columns with the same step numbers, in order (x_1…x_50, y_1…y_50), to read them as channels",
            channels.len(),
            channels
                .iter()
                .map(|(n, count)| format!("{n}: {count} columns"))
                .collect::<Vec<_>>()
                .join(", "),
        )),
        Channels::One => {}
    }
    notes.extend(padding_notes(file, shortened, 0, "empty cells"));
    let names = (channels.len() > 1).then(|| channels.into_iter().map(|c| c.0).collect());
    Ok((series, names, notes))
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
        let (series, _, notes) = wide_csv("beats.csv", text.as_bytes(), &columns).expect("reads");
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
    fn columns_named_by_channel_make_channels() {
        let names = |list: &str| list.split(',').map(String::from).collect::<Vec<_>>();
        let all = |n: usize| (0..n).collect::<Vec<_>>();
        // One channel after another, interleaved, or as sktime writes a wide frame.
        for (header, shown) in [
            (
                "acc_x_1,acc_x_2,acc_x_3,acc_y_1,acc_y_2,acc_y_3",
                ["acc_x", "acc_y"],
            ),
            ("x1,y1,x2,y2,x3,y3", ["x", "y"]),
            (
                "dim_0__0,dim_0__1,dim_0__2,dim_1__0,dim_1__1,dim_1__2",
                ["dim_0", "dim_1"],
            ),
        ] {
            let Channels::Named(channels) = channels_by_name(&names(header), &all(6)) else {
                panic!("{header}: not two channels");
            };
            assert_eq!(
                channels.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
                shown
            );
            assert!(channels.iter().all(|c| c.1.len() == 3), "{header}");
        }
        // One prefix, no letters, too few steps a channel, or the parts of other names: one channel.
        for header in [
            "t1,t2,t3,t4,t5,t6",
            "400.0,400.5,401.0,401.5,402.0,402.5",
            "wl400.0,wl400.5,wl401.0,wl401.5,wl402.0,wl402.5",
            "wl400.0,wl400.1,wl400.2,wl401.0,wl401.1,wl401.2",
            "Jan2019,Feb2019,Jan2020,Feb2020,Jan2021,Feb2021",
            "x1,x2,y1,y2,z1,z2",
            "x1,x2,x3,y1,y2,mean",
        ] {
            assert_eq!(
                channels_by_name(&names(header), &all(6)),
                Channels::One,
                "{header}"
            );
        }
        assert_eq!(
            channels_by_name(&names("x1,x2,x3,x4,y1,y2,y3"), &all(7)),
            Channels::Unlike(vec![("x".into(), 4), ("y".into(), 3)])
        );
        // Each channel ends at its own last value; the notes say what was read.
        let text = "id,x_1,x_2,x_3,y_1,y_2,y_3,kind\na,1,2,3,4,5,6,up\nb,1,2,,4,5,6,down\n";
        let columns = LongColumns {
            id: Some("id".into()),
            label: Some("kind".into()),
            ..LongColumns::default()
        };
        let (series, names, notes) = wide_csv("s.csv", text.as_bytes(), &columns).expect("reads");
        assert_eq!(names, Some(vec!["x".to_string(), "y".to_string()]));
        assert_eq!(
            series[0].channels,
            vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]
        );
        assert_eq!(
            series[1].channels,
            vec![vec![1.0, 2.0], vec![4.0, 5.0, 6.0]]
        );
        assert!(
            notes[1].contains("make 2 channels (x, y) of 3 time steps each"),
            "{notes:?}"
        );
        assert!(
            notes[2].contains("1 series end in missing values"),
            "{notes:?}"
        );
        let unlike = "x1,x2,x3,x4,y1,y2,y3\n1,2,3,4,5,6,7\n";
        let (series, names, notes) =
            wide_csv("u.csv", unlike.as_bytes(), &LongColumns::default()).expect("reads");
        assert_eq!(names, None);
        assert_eq!(series[0].channels.len(), 1);
        assert!(
            notes[1].contains("look like 2 channels (x: 4 columns, y: 3 columns)"),
            "{notes:?}"
        );
        let (series, ..) = wide_csv(
            "s.csv",
            b"x1,x2,x3,y1,y2,y3\n1,2,3,,,\n",
            &LongColumns::default(),
        )
        .unwrap();
        assert!(series[0].channels[1].iter().all(|v| v.is_nan()), "left for the set to leave out");
    }

    #[test]
    fn without_a_header_columns_are_named_as_the_table_names_them() {
        // Kaggle's heartbeat tables: no header, the class last.
        let text = "0.1;0,5;0.2;1\n0.3;0.4;0.5;0\n";
        let columns = LongColumns {
            label: Some("col4".into()),
            ..LongColumns::default()
        };
        let (series, _, notes) =
            wide_csv("dir/beats.csv", text.as_bytes(), &columns).expect("reads");
        assert_eq!(series[0].name, "beats.csv#1");
        assert_eq!(series[0].channels, vec![vec![0.1, 0.5, 0.2]]);
        assert_eq!(series[1].label.as_deref(), Some("0"));
        assert!(notes[0].contains("(col1 to col3)"), "{notes:?}");
    }

    #[test]
    fn unnamed_numbered_or_channel_named_number_columns_look_like_time_steps() {
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
        let hint = |names: &[String], kind: Kind| series_in_rows_hint(&table(names, kind));
        assert!(
            hint(&unnamed, Kind::Numeric)
                .is_some_and(|h| h.starts_with("its 30 number columns have no names of their own"))
        );
        let mut with_label = table(&numbered, Kind::Numeric);
        with_label[29].role = Role::Label;
        assert!(series_in_rows_hint(&with_label).is_some_and(|h| h.starts_with("its 29 number")));
        let sensors: Vec<String> = ["acc_x_", "acc_y_", "acc_z_"]
            .iter()
            .flat_map(|c| (0..10).map(move |t| format!("{c}{t}")))
            .collect();
        assert_eq!(
            hint(&sensors, Kind::Numeric).as_deref(),
            Some(
                "its 30 number columns are named as the time steps of 3 channels (acc_x, acc_y, acc_z), 10 each"
            )
        );
        assert_eq!(
            hint(&pixels, Kind::Numeric),
            None,
            "named columns are features"
        );
        assert_eq!(hint(&unnamed[..10], Kind::Numeric), None, "too few");
        assert_eq!(hint(&unnamed, Kind::Categorical), None);
    }

    #[test]
    fn columns_of_text_are_left_out_with_a_note() {
        let text =
            "id,x_1,x_2,x_3,activity,when\n1,0.1,0.2,0.3,walk,monday\n2,0.4,0.5,0.6,run,tuesday\n";
        let columns = LongColumns {
            id: Some("id".into()),
            ..LongColumns::default()
        };
        let (series, _, notes) = wide_csv("a.csv", text.as_bytes(), &columns).expect("reads");
        assert_eq!(series[1].channels, vec![vec![0.4, 0.5, 0.6]]);
        assert!(
            notes
                .iter()
                .any(|n| n
                    .contains("columns \"activity\", \"when\" hold text, not numbers: left out")),
            "{notes:?}"
        );
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
        let (series, ..) = wide_csv("w.csv", b"t1,t2\n1,2\n,NA\n", &LongColumns::default()).unwrap();
        assert!(series[1].channels[0].iter().all(|v| v.is_nan()));
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
