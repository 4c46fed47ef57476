//! Series whose channels come in separate files: each file one channel, a series in each row,
//! row n of every file the same series. UCI HAR's `Inertial Signals` (`body_acc_x_train.txt`,
//! …, nine files of 7,352 rows × 128 values) and the UEA archive's per-dimension files are laid
//! out so. Files dropped together are read this way when [`FilesAs::Channels`] says so, or on
//! [`FilesAs::Auto`] when they look it ([`channel_files`]); otherwise each file adds series.

use super::super::csv_parts::{in_order, key_and_split, names_classes};
use super::super::csv_table::ReadRecords;
use super::cells::{end_at_last_value, value_with};
use super::long::{LongCsvError, csv_records};
use super::{MIN_LENGTH, Series, SeriesError};

/// How CSV files given together become series when no column names the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FilesAs {
    /// Channels when the files look like channels ([`channel_files`]), else [`Self::Series`].
    #[default]
    Auto,
    /// Each file adds series: it is one (a recording, a row per time step), or with a series in
    /// each row, its rows are (a set's train and test files).
    Series,
    /// Each file is one channel of the same series, a series in each row.
    Channels,
}

impl FilesAs {
    pub const ALL: [FilesAs; 3] = [Self::Auto, Self::Series, Self::Channels];

    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Series => "series",
            Self::Channels => "channels",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Auto reads files as channels only when a row changes less from one value to the next than
/// a column does from one row to the next, by this factor: a row is then a course in time
/// (files of recordings, a row per time step, are the other way round).
const ROWS_SMOOTHER: f64 = 0.8;

/// Series read from channel files: each channel's name, and notes on what was done.
#[derive(Debug)]
pub(super) struct ChannelFiles {
    pub series: Vec<Series>,
    pub names: Vec<String>,
    pub notes: Vec<String>,
}

/// One file's cells as numbers, row by row.
struct Grid {
    file: String,
    key: String,
    split: String,
    rows: Vec<Vec<f32>>,
}

impl Grid {
    fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    /// Mean absolute change from one value to the next along rows and down columns, over
    /// the first rows.
    fn changes(&self) -> (f64, f64) {
        let rows = &self.rows[..self.rows.len().min(200)];
        let mean = |pairs: &mut dyn Iterator<Item = (f32, f32)>| {
            let (sum, n) = pairs
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .fold((0.0, 0usize), |(s, n), (a, b)| {
                    (s + f64::from((a - b).abs()), n + 1)
                });
            sum / n.max(1) as f64
        };
        let along = mean(&mut rows.iter().flat_map(|r| r.windows(2).map(|w| (w[0], w[1]))));
        let down = mean(
            &mut rows
                .windows(2)
                .flat_map(|p| p[0].iter().zip(&p[1]).map(|(&a, &b)| (a, b))),
        );
        (along, down)
    }
}

/// Reads a file as a grid of numbers under a header, if it has one (`None` for a file with
/// one unless `headed`); any other text is an error.
fn grid(file: &str, bytes: &[u8], headed: bool) -> Result<Option<Grid>, LongCsvError> {
    let (header, records, delimiter): ReadRecords = csv_records(file, bytes, None)?;
    let (key, split) = key_and_split(file);
    // A one-column file of classes may name its column (`label`).
    let classes = records.first().is_some_and(|r| r.fields.len() == 1) && names_classes(&key);
    if header.is_some() && !headed && !classes {
        return Ok(None);
    }
    let decimal_comma = delimiter != b',';
    let mut rows = Vec::with_capacity(records.len());
    for record in &records {
        let mut row = Vec::with_capacity(record.fields.len());
        for (c, cell) in record.fields.iter().enumerate() {
            let cell = cell.trim();
            row.push(
                value_with(cell, decimal_comma).ok_or_else(|| LongCsvError::NotANumber {
                    file: file.into(),
                    line: record.line,
                    column: format!("col{}", c + 1),
                    got: cell.chars().take(40).collect(),
                })?,
            );
        }
        rows.push(row);
    }
    Ok(Some(Grid {
        file: file.into(),
        key,
        split,
        rows,
    }))
}

/// Why a file is not one of numbers, briefly, for the note that leaves it out.
fn why_not(error: &LongCsvError) -> String {
    match error {
        LongCsvError::NotANumber { line, got, .. } => {
            format!("not numbers alone (line {line}: \"{got}\")")
        }
        LongCsvError::Csv { error, .. } => format!("not a table of numbers ({error})"),
        other => other.to_string(),
    }
}

/// A list of class names for `labels` (`1 WALKING` a line; UCI HAR's activity_labels.txt): a
/// file named like classes whose rows are a class as written in the classes' file, then its
/// name, covering every class; `(class, name)` pairs, else `None`.
fn class_names(file: &str, bytes: &[u8], labels: &[&str]) -> Option<Vec<(String, String)>> {
    let (key, _) = key_and_split(file);
    if !names_classes(&key) {
        return None;
    }
    let (_, records, delimiter) = csv_records(file, bytes, Some(false)).ok()?;
    let mut pairs = Vec::with_capacity(records.len());
    for record in &records {
        let [class, name] = [record.fields.get(0)?, record.fields.get(1)?].map(str::trim);
        let class = value_with(class, delimiter != b',').filter(|v| v.is_finite())?;
        pairs.push((format!("{class}"), name.to_string()));
    }
    labels
        .iter()
        .all(|l| pairs.iter().any(|(c, _)| c == l))
        .then_some(pairs)
}

/// Reads `files` as channel files. On auto (`forced` false), `None` unless they look like
/// them: at least two files of numbers without a header, of the same width (at least
/// [`MIN_LENGTH`] values, the most common such width), named differently once a split word is
/// taken off, each split with every channel once and every file of a split with the same
/// rows, and the rows smoother than the columns ([`ROWS_SMOOTHER`]). Files that are not
/// numbers, or of another width, are left out with a note; a file of one value per row named
/// like classes (`y_train.txt`) gives each series its class.
pub(super) fn channel_files(
    files: &[(String, Vec<u8>)],
    forced: bool,
) -> Result<Option<ChannelFiles>, SeriesError> {
    let mut grids = Vec::new();
    let mut notes = Vec::new();
    // Files of text, where a list of class names may be (UCI HAR's activity_labels.txt).
    let mut texts = Vec::new();
    for (name, bytes) in files {
        // Recordings have headers (time, x, y, z); channel files seldom do.
        match grid(name, bytes, forced) {
            Ok(Some(g)) => grids.push(g),
            Ok(None) => notes.push(format!("{name}: has a header row; left out")),
            Err(e) => texts.push((name, bytes, e)),
        }
    }
    // The channels' width: the most common one of at least MIN_LENGTH values (the first on a tie).
    let mut widths: Vec<(usize, usize)> = Vec::new();
    for w in grids.iter().map(Grid::width).filter(|&w| w >= MIN_LENGTH) {
        match widths.iter_mut().find(|(x, _)| *x == w) {
            Some((_, n)) => *n += 1,
            None => widths.push((w, 1)),
        }
    }
    let width = widths
        .iter()
        .fold(None, |best: Option<(usize, usize)>, &(w, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((w, n)),
        })
        .map(|(w, _)| w);
    let too_few = |grids: &[Grid]| SeriesError::TooFewChannelFiles {
        found: grids
            .iter()
            .map(|g| format!("{} ({} values a row)", g.file, g.width()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let Some(width) = width else {
        return if forced {
            Err(too_few(&grids))
        } else {
            Ok(None)
        };
    };
    let (channels, others): (Vec<Grid>, Vec<Grid>) =
        grids.into_iter().partition(|g| g.width() == width);
    // Channel names in the order of the files; splits likewise.
    let keys: Vec<String> = in_order(channels.iter().map(|g| g.key.clone()));
    let splits: Vec<String> = in_order(channels.iter().map(|g| g.split.clone()));
    if keys.len() < 2 {
        return if forced {
            Err(too_few(&channels))
        } else {
            Ok(None)
        };
    }
    let (along, down) = channels
        .iter()
        .map(Grid::changes)
        .fold((0.0, 0.0), |(a, d), (x, y)| (a + x, d + y));
    if !forced && along >= ROWS_SMOOTHER * down {
        return Ok(None);
    }
    let mut series = Vec::new();
    // The files of classes used, one a split.
    let mut labelled: Vec<&str> = Vec::new();
    for split in &splits {
        let mut in_split: Vec<&Grid> = Vec::with_capacity(keys.len());
        for key in &keys {
            let found: Vec<&Grid> = channels
                .iter()
                .filter(|g| &g.split == split && &g.key == key)
                .collect();
            match found[..] {
                [one] => in_split.push(one),
                _ if !forced => return Ok(None),
                [] => {
                    return Err(SeriesError::MissingChannelFile {
                        channel: key.clone(),
                        split: if split.is_empty() {
                            "the files named without train or test".into()
                        } else {
                            format!("the {split} files")
                        },
                    });
                }
                [a, b, ..] => {
                    return Err(SeriesError::SameChannelTwice {
                        first: a.file.clone(),
                        second: b.file.clone(),
                    });
                }
            }
        }
        let rows = in_split[0].rows.len();
        if let Some(odd) = in_split.iter().find(|g| g.rows.len() != rows) {
            if !forced {
                return Ok(None);
            }
            return Err(SeriesError::ChannelRows {
                name: odd.file.clone(),
                rows: odd.rows.len(),
                first: in_split[0].file.clone(),
                expected: rows,
            });
        }
        let classes = others.iter().find(|g| {
            g.split == *split && g.width() == 1 && g.rows.len() == rows && names_classes(&g.key)
        });
        if let Some(c) = classes {
            labelled.push(&c.file);
            notes.push(format!(
                "{}: each row's value read as its series' class",
                c.file
            ));
        }
        let prefix = if split.is_empty() { "row" } else { split };
        for r in 0..rows {
            let mut row = Vec::with_capacity(keys.len());
            for g in &in_split {
                let mut values = g.rows[r].clone();
                if end_at_last_value(&mut values).is_none() {
                    return Err(LongCsvError::AllMissing {
                        file: g.file.clone(),
                        series: format!("row {}", r + 1),
                        column: g.key.clone(),
                    }
                    .into());
                }
                row.push(values);
            }
            series.push(Series {
                name: format!("{prefix}#{}", r + 1),
                channels: row,
                label: classes.map(|c| format!("{}", c.rows[r][0])),
            });
        }
    }
    let every_split = labelled.len() == splits.len();
    if !labelled.is_empty() && !every_split {
        // Classes for some splits only would leave the rest unlabelled: score none.
        for s in &mut series {
            s.label = None;
        }
        notes.push("classes are given for some of the splits only, so none are used".into());
    }
    let mut named_by = None;
    if !labelled.is_empty() && every_split {
        let labels: Vec<&str> = series.iter().filter_map(|s| s.label.as_deref()).collect();
        named_by = texts.iter().find_map(|(name, bytes, _)| {
            let names = class_names(name, bytes, &labels)?;
            Some((name.to_string(), names))
        });
        if let Some((_, names)) = &named_by {
            for s in &mut series {
                if let Some(l) = s.label.as_mut() {
                    *l = names
                        .iter()
                        .find(|(n, _)| n == l)
                        .map_or(l.clone(), |(_, v)| v.clone());
                }
            }
        }
    }
    for (name, _, why) in &texts {
        match &named_by {
            Some((by, _)) if by == *name => {
                notes.push(format!("{name}: the classes' names"));
            }
            _ => notes.push(format!("{name}: left out, {}", why_not(why))),
        }
    }
    for g in &others {
        if !(every_split && labelled.contains(&g.file.as_str())) {
            notes.push(format!(
                "{}: {} value{} a row where the channel files have {width}; left out",
                g.file,
                g.width(),
                if g.width() == 1 { "" } else { "s" }
            ));
        }
    }
    notes.insert(
        0,
        format!(
            "read the {} files as {} channels ({}) of {} series, a series in each row and row n of each file the same series; each row's {width} values are its time steps{}",
            channels.len(),
            keys.len(),
            keys.join(", "),
            series.len(),
            if forced {
                String::new()
            } else {
                format!(
                    " (each row changes {:.0} % as much from one value to the next as a column from one row to the next; to read them otherwise, set Files to \"each file adds series\" in the page, or --files-as series on the command line)",
                    100.0 * along / down.max(f64::MIN_POSITIVE)
                )
            }
        ),
    );
    Ok(Some(ChannelFiles {
        series,
        names: keys,
        notes,
    }))
}

/// The archive's files of one channel each (the UEA's `BasicMotionsDimension1_TRAIN.arff`, …):
/// when their names differ by more than the split, each name is one channel, every split has
/// one file of each with the same series, and the series' lengths and classes agree file to file, they are
/// stacked into series of that many channels, named and labelled by the first channel's file;
/// `None` otherwise (the files add series). With a note saying so.
pub(super) fn stack_channels(
    files: &[(String, Vec<Series>)],
) -> Option<(Vec<Series>, Vec<String>, String)> {
    let named: Vec<(String, String, &Vec<Series>)> = files
        .iter()
        .map(|(name, series)| {
            let (key, split) = key_and_split(name);
            (key, split, series)
        })
        .collect();
    if named
        .iter()
        .any(|(_, _, series)| series.iter().any(|s| s.channels.len() != 1))
    {
        return None;
    }
    let keys: Vec<String> = in_order(named.iter().map(|(k, ..)| k.clone()));
    let splits: Vec<String> = in_order(named.iter().map(|(_, s, _)| s.clone()));
    if keys.len() < 2 || named.len() != keys.len() * splits.len() {
        return None;
    }
    let mut stacked = Vec::new();
    for split in &splits {
        let of = |key: &String| {
            named
                .iter()
                .find(|(k, s, _)| k == key && s == split)
                .map(|(_, _, series)| *series)
        };
        let channels: Vec<&Vec<Series>> = keys.iter().map(of).collect::<Option<_>>()?;
        let first = channels[0];
        // The same series in every file: as many, as long, of the same classes (two sets of
        // one shape would rarely agree class by class).
        let agree = channels.iter().all(|c| {
            c.len() == first.len()
                && c.iter()
                    .zip(first)
                    .all(|(a, b)| a.len() == b.len() && a.label == b.label)
        });
        if !agree {
            return None;
        }
        for (i, series) in first.iter().enumerate() {
            stacked.push(Series {
                name: series.name.clone(),
                channels: channels.iter().map(|c| c[i].channels[0].clone()).collect(),
                label: series.label.clone(),
            });
        }
    }
    let note = format!(
        "read the {} files as {} channels ({}) of {} series: their names differ by more than train or test, and each has the same series of one channel",
        named.len(),
        keys.len(),
        keys.join(", "),
        stacked.len()
    );
    Some((stacked, keys, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` rows of `len` smooth values (a sine whose phase and size depend on the row).
    fn channel(n: usize, len: usize, shift: f32) -> String {
        let mut text = String::new();
        for r in 0..n {
            for t in 0..len {
                let v = (1.0 + r as f32 % 3.0) * ((t as f32 * 0.3) + r as f32 * 1.7 + shift).sin();
                text.push_str(&format!(" {v:.6e}"));
            }
            text.push('\n');
        }
        text
    }

    fn file(name: &str, text: String) -> (String, Vec<u8>) {
        (name.to_string(), text.into_bytes())
    }

    #[test]
    fn uci_har_s_layout_is_read_as_channels_with_classes_and_splits() {
        let labels = |n: usize| {
            (0..n)
                .map(|r| format!("{}\n", 1 + r % 3))
                .collect::<String>()
        };
        let files = vec![
            file(
                "train/Inertial Signals/acc_x_train.txt",
                channel(12, 32, 0.0),
            ),
            file(
                "train/Inertial Signals/acc_y_train.txt",
                channel(12, 32, 1.0),
            ),
            file("train/subject_train.txt", labels(12)),
            file("train/X_train.txt", channel(12, 20, 0.0)),
            file("train/y_train.txt", labels(12)),
            file("test/Inertial Signals/acc_x_test.txt", channel(6, 32, 0.0)),
            file("test/Inertial Signals/acc_y_test.txt", channel(6, 32, 1.0)),
            file("test/y_test.txt", labels(6)),
            file(
                "README.txt",
                "The data were recorded with a phone.\nSee the paper.\n".into(),
            ),
            file(
                "activity_labels.txt",
                "1 WALKING\n2 SITTING\n3 LAYING\n".into(),
            ),
        ];
        let read = channel_files(&files, false)
            .unwrap()
            .expect("channel files");
        assert_eq!(read.names, ["acc_x", "acc_y"]);
        assert_eq!(read.series.len(), 18);
        assert_eq!(read.series[0].name, "train#1");
        assert_eq!(read.series[12].name, "test#1");
        assert_eq!(read.series[13].channels[1].len(), 32);
        let expected: Vec<String> = channel(6, 32, 1.0)
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse::<f32>().unwrap().to_string())
            .collect();
        let got: Vec<String> = read.series[13].channels[1]
            .iter()
            .map(f32::to_string)
            .collect();
        assert_eq!(got, expected, "row 2 of the test split's second channel");
        assert_eq!(
            read.series[4].label.as_deref(),
            Some("SITTING"),
            "named by activity_labels.txt"
        );
        let said = read.notes.join("\n");
        for note in [
            "read the 4 files as 2 channels (acc_x, acc_y) of 18 series",
            "y_train.txt: each row's value read as its series' class",
            "subject_train.txt: 1 value a row",
            "X_train.txt: 20 values a row",
            "README.txt: left out, not numbers alone (line 1: \"The data were recorded with a phone.\")",
            "activity_labels.txt: the classes' names",
        ] {
            assert!(said.contains(note), "{note}: {said}");
        }
    }

    #[test]
    fn the_archives_files_of_one_dimension_each_are_stacked() {
        let one = |name: &str, values: &[[f32; 8]]| {
            let series = values
                .iter()
                .enumerate()
                .map(|(i, v)| Series {
                    name: format!("{name}#{}", i + 1),
                    channels: vec![v.to_vec()],
                    label: Some(format!("c{i}")),
                })
                .collect();
            (name.to_string(), series)
        };
        let (a, b) = ([[1.0; 8], [2.0; 8]], [[3.0; 8], [4.0; 8]]);
        let files = [
            one("MotionsDimension1_TRAIN.arff", &a),
            one("MotionsDimension2_TRAIN.arff", &b),
            one("MotionsDimension1_TEST.arff", &b),
            one("MotionsDimension2_TEST.arff", &a),
        ];
        let (series, names, note) = stack_channels(&files).expect("stacked");
        assert_eq!(names, ["MotionsDimension1", "MotionsDimension2"]);
        assert_eq!(series.len(), 4);
        assert_eq!(series[2].name, "MotionsDimension1_TEST.arff#1");
        assert_eq!(series[2].channels, [vec![3.0; 8], vec![1.0; 8]]);
        assert_eq!(series[1].label.as_deref(), Some("c1"));
        assert!(note.starts_with("read the 4 files as 2 channels"), "{note}");
        // A set's train and test files, or a channel missing from a split: more series.
        assert!(stack_channels(&files[..1]).is_none());
        assert!(stack_channels(&[files[0].clone(), files[2].clone()]).is_none());
        assert!(stack_channels(&files[..3]).is_none());
        // Two sets of the same shape whose classes disagree are not one set's channels.
        let mut other = files[1].clone();
        other.1[0].label = Some("c1".into());
        assert!(stack_channels(&[files[0].clone(), other]).is_none());
    }

    #[test]
    fn recordings_and_splits_of_one_channel_are_not_channel_files() {
        // A folder of recordings, a row per time step (columns are channels): rows jump.
        let transposed = |shift: f32| {
            let rows: Vec<Vec<String>> = channel(12, 32, shift)
                .lines()
                .map(|l| l.split_whitespace().map(String::from).collect())
                .collect();
            (0..32)
                .map(|t| {
                    rows.iter()
                        .map(|r| r[t].clone())
                        .collect::<Vec<_>>()
                        .join(",")
                        + "\n"
                })
                .collect::<String>()
        };
        let recordings = vec![
            file("walk_1.csv", transposed(0.0)),
            file("run_1.csv", transposed(1.0)),
        ];
        assert!(channel_files(&recordings, false).unwrap().is_none());
        // The train and test files of one channel: more series.
        let halves = vec![
            file("ECG_TRAIN.csv", channel(12, 32, 0.0)),
            file("ECG_TEST.csv", channel(12, 32, 1.0)),
        ];
        assert!(channel_files(&halves, false).unwrap().is_none());
        // Different rows: not the same series.
        let unequal = vec![
            file("a.txt", channel(12, 32, 0.0)),
            file("b.txt", channel(11, 32, 1.0)),
        ];
        assert!(channel_files(&unequal, false).unwrap().is_none());
        // Asked for, the same files say what is wrong.
        assert_eq!(
            channel_files(&unequal, true).unwrap_err(),
            SeriesError::ChannelRows {
                name: "b.txt".into(),
                rows: 11,
                first: "a.txt".into(),
                expected: 12
            }
        );
        assert!(matches!(
            channel_files(&halves, true).unwrap_err(),
            SeriesError::TooFewChannelFiles { .. }
        ));
        // A stray word leaves its file out, saying where; with one channel left, too few.
        let mut lines: Vec<String> = channel(3, 32, 1.0).lines().map(String::from).collect();
        lines[1] = lines[1].replacen(' ', " x", 1);
        let stray = vec![
            file("a.txt", channel(3, 32, 0.0)),
            file("b.txt", lines.join("\n")),
            file("c.txt", channel(3, 32, 2.0)),
        ];
        let read = channel_files(&stray, true).unwrap().unwrap();
        assert_eq!(read.names, ["a", "c"]);
        assert!(
            read.notes
                .iter()
                .any(|n| n.starts_with("b.txt: left out, not numbers alone (line 2: \"x")),
            "{:?}",
            read.notes
        );
        assert!(matches!(
            channel_files(&stray[..2], true).unwrap_err(),
            SeriesError::TooFewChannelFiles { .. }
        ));
        // Recordings asked to be channels are read so, without the measurement in the note.
        let forced = channel_files(&recordings, true).unwrap().unwrap();
        assert_eq!((forced.series.len(), forced.names.len()), (32, 2));
    }
}
