//! Time series (sensor recordings, ECGs, any measured curve): one row per series, its channels
//! resampled to one common length and scaled, channel-major. Read from the UCR/UEA archive's
//! files (`.ts`: [`read_ts`]; `.arff`: [`read_arff`]; the UCR's own `NAME_TRAIN.tsv`:
//! [`read_ucr`]) or a CSV, a row per time step ([`long_csv`]) or a series per row
//! ([`wide_csv`]).

mod align;
mod arff;
mod cells;
mod channel_files;
mod clusters;
mod long;
mod resample;
mod samples;
mod scaling;
mod ts;
mod ucr;
mod wide;


use thiserror::Error;

pub use align::{ALIGNED, alignment, match_in_place};
pub use arff::{ArffError, read_arff};
pub use channel_files::FilesAs;
pub use clusters::{Aspect, ChannelDifference, NAMED_CHANNELS, channels_sentence};
pub use long::{LongColumns, LongCsvError, LongRead, NO_TIME, long_csv, recordings_column};
pub use resample::{fill_missing, resample};
pub use samples::{SERIES_SAMPLES, SeriesSample, cylinder_bell_funnel, series_sample};
pub use scaling::{FLAT, SeriesScaling, automatic_scaling, scale, typical_movement};
pub use ts::{TsError, TsFile, TsHeader, read_ts};
pub use ucr::{UcrError, is_ucr_name, read_ucr};
pub use wide::{TIME_STEPS_HINT, series_in_rows_hint, wide_csv};

use super::{Dataset, Items, PartsError, are_parts, join_parts};
use super::csv_parts::class_folders;
use channel_files::{channel_files, stack_channels};
use super::capacity::{LARGEST_BLOCK, TooManySeries, check_series_fit};
use super::images::named_results_csv;
use super::prepare::case_free;
use scaling::{apply_channel_scale, channel_moments, scaling_note};

/// The shortest common length: the convolutional autoencoder halves it three times.
pub const MIN_LENGTH: usize = 8;
/// Longer series are resampled down to this by default (the user may keep more).
pub const MAX_DEFAULT_LENGTH: usize = 512;
/// Automatic pads series of unequal lengths when, padded, they match this many times better
/// than resampled: resampling keeps each series' whole course, so near-ties resample.
pub const PAD_BETTER: f64 = 1.05;
/// The longest length a user may ask for: a row is `channels × length` values.
pub const MAX_LENGTH: usize = 16_384;

/// One recording: every channel in time order, NaN where a value is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub channels: Vec<Vec<f32>>,
    /// The class the file gives it, used only to score.
    pub label: Option<String>,
}

impl Series {
    /// The longest channel's length.
    pub fn len(&self) -> usize {
        self.channels.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How series of unequal lengths reach one length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesLengths {
    /// Whichever makes the series match better as they stand ([`match_in_place`]).
    #[default]
    Auto,
    /// Each series stretched or squeezed to the common length: one event at different
    /// speeds.
    Resample,
    /// Shorter series padded at the end, the padding left out of the reconstruction loss:
    /// recordings that start together and stop at different times.
    Pad,
}

impl SeriesLengths {
    pub const ALL: [SeriesLengths; 3] = [Self::Auto, Self::Resample, Self::Pad];

    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Resample => "resample",
            Self::Pad => "pad",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The formats of the UCR/UEA archive's files, told by their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    Ts,
    Arff,
    /// The UCR's own text files: `NAME_TRAIN.tsv`, `NAME_TEST.txt`, … ([`is_ucr_name`]).
    Ucr,
}

impl ArchiveFormat {
    pub fn of(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".ts") {
            Some(Self::Ts)
        } else if lower.ends_with(".arff") {
            Some(Self::Arff)
        } else if is_ucr_name(name) {
            Some(Self::Ucr)
        } else {
            None
        }
    }
}

/// For one file of an archive set split in two (`X_TRAIN…` alone), a note naming the other
/// half: said where series are clustered, not where a saved model places new ones.
pub fn other_half_note(names: &[String]) -> Option<String> {
    let [name] = names else { return None };
    let other = other_half(name)?;
    Some(format!(
        "{name} is one half of a set of the archive: add {other} to cluster all its series (the split into training and test files means nothing to clustering)"
    ))
}

/// The other file of an archive set split in two: `X_TEST.ts` for `X_TRAIN.ts`, and back;
/// in capitals when the half given is.
fn other_half(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let ext = [".ts", ".arff", ".tsv", ".txt"]
        .into_iter()
        .find(|e| lower.ends_with(e))
        .map_or(0, str::len);
    let (stem, ext) = base.split_at(base.len() - ext);
    [("_train", "_test"), ("_test", "_train")]
        .iter()
        .find_map(|(from, to)| {
            let at = stem.len().checked_sub(from.len())?;
            let found = stem.get(at..)?;
            found.eq_ignore_ascii_case(from).then(|| {
                let to = if found == from.to_ascii_uppercase() {
                    to.to_ascii_uppercase()
                } else {
                    to.to_string()
                };
                format!("{}{to}{ext}", &stem[..at])
            })
        })
}

/// What the user may choose when series are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeriesOptions {
    /// Common length; `None` for the default (see [`default_length`]).
    pub length: Option<usize>,
    /// `None`: automatic ([`automatic_scaling`]).
    pub scaling: Option<SeriesScaling>,
    pub lengths: SeriesLengths,
}

#[derive(Debug, Error, PartialEq)]
pub enum SeriesError {
    #[error(transparent)]
    Ts(#[from] TsError),
    #[error(transparent)]
    Long(#[from] LongCsvError),
    #[error(transparent)]
    Ucr(#[from] UcrError),
    #[error(transparent)]
    Arff(#[from] ArffError),
    #[error(
        "{name} is not a series file of the archive (.ts, .arff, NAME_TRAIN.tsv): use the archive's files on their own, or CSV files on their own, not both"
    )]
    NotArchive { name: String },
    #[error(
        "{name} has {} but {first} has {}; drop series with the same channels together", channels(*got), channels(*expected)
    )]
    ChannelMismatch {
        name: String,
        got: usize,
        first: String,
        expected: usize,
    },
    #[error(
        "{name}'s columns make the channels {got} but {first}'s make {expected}; give every file the same channel columns"
    )]
    ChannelNames {
        name: String,
        got: String,
        first: String,
        expected: String,
    },
    #[error(
        "{name} has {rows} rows but {first} has {expected}; with each file one channel, row n of every file is the same series, so the files need the same rows"
    )]
    ChannelRows {
        name: String,
        rows: usize,
        first: String,
        expected: usize,
    },
    #[error(
        "reading each file as one channel needs two or more files of numbers, named differently, with the same number of values (at least {MIN_LENGTH}) in every row; found {found}"
    )]
    TooFewChannelFiles { found: String },
    #[error(
        "no file holds channel \"{channel}\" among {split}; each split (train, test) needs a file for every channel"
    )]
    MissingChannelFile { channel: String, split: String },
    #[error("{first} and {second} are the same channel of the same series; drop one of them")]
    SameChannelTwice { first: String, second: String },
    #[error(
        "no series to cluster; drop .ts, .arff or NAME_TRAIN.tsv files, or a CSV with one row per time step and a series id column"
    )]
    Empty,
    #[error(
        "every series has a channel with no values (\"{column}\" in {example}); fill the empty channels or leave their columns out"
    )]
    NoFullSeries { example: String, column: String },
    #[error("length {0}: choose a common length from {MIN_LENGTH} to {MAX_LENGTH} points")]
    BadLength(usize),
    #[error("these series have {} but the model was trained on series with {expected}", channels(*got))]
    ModelChannels { got: usize, expected: usize },
    #[error(
        "these series have no channel \"{missing}\" (their channels: {got}); the model was trained on {expected}: give new files those columns, in any order"
    )]
    ModelChannelNames {
        missing: String,
        got: String,
        expected: String,
    },
    #[error(
        "every \"{missing}\" value is missing in these series; the model was trained on {expected} and needs each of them"
    )]
    ModelChannelEmpty { missing: String, expected: String },
    #[error(transparent)]
    TooMany(#[from] TooManySeries),
    #[error(transparent)]
    Parts(#[from] PartsError),
}

/// "1 channel", "2 channels".
fn channels(n: usize) -> String {
    format!("{n} channel{}", if n == 1 { "" } else { "s" })
}

/// The common length when the user gives none: the series' own when they agree, else their
/// median, within [`MIN_LENGTH`] and [`MAX_DEFAULT_LENGTH`].
pub fn default_length(series: &[Series]) -> usize {
    let mut lengths: Vec<usize> = series.iter().map(Series::len).collect();
    lengths.sort_unstable();
    let median = lengths
        .get(lengths.len() / 2)
        .copied()
        .unwrap_or(MIN_LENGTH);
    median.clamp(MIN_LENGTH, MAX_DEFAULT_LENGTH)
}

/// How a set's series became rows, for a saved model to read new series the same way: their
/// shape, the scaling, and for [`SeriesScaling::PerChannel`] each channel's (mean, standard
/// deviation) over the training series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInput {
    pub channels: usize,
    pub length: usize,
    pub scaling: SeriesScaling,
    pub channel_scale: Vec<(f32, f32)>,
    /// Padded, not resampled: the factor every series was shrunk by ([`SeriesSet::shrink`]).
    pub shrink: Option<f64>,
    /// Read from a CSV with a series in each row, or in the long layout with a series id,
    /// with these columns ([`SeriesSet::rows`]).
    pub rows: Option<LongColumns>,
    /// Read from files that were each one channel ([`SeriesSet::channel_files`]).
    pub channel_files: bool,
    /// The channels' names as the training files' headers gave them (empty when they had
    /// none): new files' channels are found by them.
    pub channel_names: Vec<String>,
}

impl SeriesInput {
    /// How new CSV files are read for this model: a series in each row with the training
    /// file's columns, or as before (one series per file). The class column is left out
    /// where it is and not asked for: new series often come without one.
    pub fn columns(&self) -> LongColumns {
        let Some(rows) = &self.rows else {
            let files_as = if self.channel_files { FilesAs::Channels } else { FilesAs::Auto };
            return LongColumns { files_as, ..LongColumns::default() };
        };
        let mut columns = rows.clone();
        columns.ignored.extend(columns.label.take());
        columns
    }

    /// How `files` (name, bytes) are read for this model: as [`columns`](Self::columns) says,
    /// except that one CSV given to a model trained on a recording per file, with a column of
    /// names in runs of rows ([`recordings_column`]), is read a recording per name (several
    /// recordings exported together), with a note saying so.
    pub fn columns_for(&self, files: &[(String, Vec<u8>)]) -> (LongColumns, Option<String>) {
        let columns = self.columns();
        let [(name, bytes)] = files else {
            return (columns, None);
        };
        if self.rows.is_some() || self.channel_files || ArchiveFormat::of(name).is_some() {
            return (columns, None);
        }
        let Some(id) = recordings_column(name, bytes, &self.channel_names) else {
            return (columns, None);
        };
        let note = format!("\"{id}\" names a recording in each run of rows: each is read as one series");
        (LongColumns { id: Some(id), ..columns }, Some(note))
    }

    /// The reading new series get for this model: its length, scaling and padding, so
    /// nothing is measured to choose them.
    pub fn options(&self) -> SeriesOptions {
        SeriesOptions {
            length: Some(self.length),
            scaling: Some(self.scaling),
            lengths: if self.shrink.is_some() {
                SeriesLengths::Pad
            } else {
                SeriesLengths::Resample
            },
        }
    }
}

/// Series of equal channels, resampled to one length, ready to become rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSet {
    pub series: Vec<Series>,
    pub channel_names: Vec<String>,
    pub length: usize,
    pub scaling: SeriesScaling,
    /// Each channel's (mean, sd) from a saved model's training set; `None` fits them here.
    pub channel_scale: Option<Vec<(f32, f32)>>,
    /// Class ids per series when every series has a label; used only to score.
    pub labels: Option<Vec<u32>>,
    pub label_names: Vec<String>,
    pub warnings: Vec<String>,
    /// How well the series line up in time ([`alignment`]), which picks the automatic
    /// series network; `None` once a saved model's network reads them ([`Self::read_as`]).
    pub alignment: Option<f64>,
    /// Set when shorter series are padded at the end instead of resampled: every series is
    /// shrunk by this factor (1 unless the longest exceeds the common length), then padded.
    pub shrink: Option<f64>,
    /// How well series of unequal lengths match as they stand, (resampled, padded)
    /// ([`match_in_place`]), when automatic chose between them; `None` once a saved model
    /// reads them.
    pub length_scores: Option<(f64, f64)>,
    /// How much the typical series moves against the few that would set the scale
    /// ([`typical_movement`]), when automatic chose the scaling; `None` when the scaling was
    /// given (by the user, or a saved model's).
    pub movement: Option<f64>,
    /// The columns of a CSV with a series in each row, or in the long layout with a series
    /// id, it was read from: a saved model reads new files the same way.
    pub rows: Option<LongColumns>,
    /// Whether [`Self::channel_names`] are the files' own column names, not `channel 1`….
    pub own_names: bool,
    /// Read from files that are each one channel ([`FilesAs::Channels`]).
    pub channel_files: bool,
    /// Read from CSV files of a row per time step: the column found to be the time (none
    /// chosen) and the text columns left out, for the page's columns table.
    pub found_columns: FoundColumns,
}

/// Columns of a CSV of a row per time step that reading gave a role by itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FoundColumns {
    pub time: Option<String>,
    pub text: Vec<String>,
    /// Channels left out for having no value in any series.
    pub empty: Vec<String>,
}

/// A folder's files that have the recordings' columns: those most files share, the longer
/// files' on a tie (Phyphox writes a short `meta/time.csv` beside each recording), when at
/// least two and half the files share them. The others are taken out and described
/// (`meta/time.csv (experiment time, system time)`) when they look like notes about the
/// recordings rather than recordings: in a `meta` folder, or less than a tenth of the
/// recordings' typical length. Otherwise all stay, and reading them says which differ.
fn keep_the_recordings(read: &mut Vec<(&String, LongRead)>) -> Option<String> {
    let values: Vec<usize> = read
        .iter()
        .map(|(_, r)| r.series.iter().flat_map(|s| &s.channels).map(Vec::len).sum())
        .collect();
    let mut counts: Vec<(&Vec<String>, usize, usize)> = Vec::new();
    for ((_, r), &v) in read.iter().zip(&values) {
        match counts.iter_mut().find(|(names, ..)| alike(names, &r.names)) {
            Some((_, n, total)) => (*n, *total) = (*n + 1, *total + v),
            None => counts.push((&r.names, 1, v)),
        }
    }
    let Some(&(most, n, _)) = counts.iter().max_by_key(|(_, n, v)| (*n, *v)) else {
        return None;
    };
    if n == read.len() || n < 2 || 2 * n < read.len() {
        return None;
    }
    let most = most.clone();
    let mut lengths: Vec<usize> =
        read.iter().zip(&values).filter(|((_, r), _)| alike(&r.names, &most)).map(|(_, &v)| v).collect();
    lengths.sort_unstable();
    let typical = lengths[lengths.len() / 2];
    let notes_about = |name: &str, v: usize| name.split('/').any(|f| f.eq_ignore_ascii_case("meta")) || 10 * v < typical;
    if read.iter().zip(&values).any(|((name, r), &v)| !alike(&r.names, &most) && !notes_about(name, v)) {
        return None;
    }
    let (kept, other): (Vec<_>, Vec<_>) = std::mem::take(read).into_iter().partition(|(_, r)| alike(&r.names, &most));
    *read = kept;
    if other.is_empty() {
        return None;
    }
    let said: Vec<String> = other
        .iter()
        .map(|(name, r)| format!("{name} ({})", r.names.join(", ")))
        .collect();
    Some(format!(
        "{} whose columns differ from the recordings' ({}): {}",
        files_count(said.len()),
        most.join(", "),
        a_few(&said)
    ))
}

/// Where each of `first`'s columns is among `other`'s, when `other` names the same columns
/// (letter case aside) in another order.
fn same_columns(first: &[String], other: &[String]) -> Option<Vec<usize>> {
    if first.len() != other.len() {
        return None;
    }
    find_columns(first, other).ok()
}

/// Where each of `first`'s columns is among `other`'s (letter case aside), or the first that
/// is not there.
fn find_columns<'a>(first: &'a [String], other: &[String]) -> Result<Vec<usize>, &'a str> {
    let mut order = Vec::with_capacity(first.len());
    for name in first {
        let at = (0..other.len())
            .find(|&c| other[c].trim().eq_ignore_ascii_case(name.trim()) && !order.contains(&c))
            .ok_or(name.as_str())?;
        order.push(at);
    }
    Ok(order)
}

/// Whether two files name the same columns, in any order.
fn alike(first: &[String], other: &[String]) -> bool {
    first == other || same_columns(first, other).is_some()
}

/// Channels without a value in any series are left out (an app's unused sensor column); then
/// series in which a channel has no value (a sensor off for one recording) are left out, as
/// there is nothing to fill it from. What was left out is said, and the channels left out are
/// named (in `found`); an error when no series is left.
fn leave_out_empty(
    series: &mut Vec<Series>,
    names: &mut Vec<String>,
    found: &mut FoundColumns,
) -> Result<Vec<String>, SeriesError> {
    let empty = |s: &Series, c: usize| s.channels[c].iter().all(|v| v.is_nan());
    let mut notes = Vec::new();
    if series.is_empty() {
        return Ok(notes);
    }
    let unused: Vec<usize> = (0..names.len()).filter(|&c| series.iter().all(|s| empty(s, c))).collect();
    if !unused.is_empty() && unused.len() < names.len() {
        found.empty = unused.iter().map(|&c| names[c].clone()).collect();
        let said: Vec<String> = unused.iter().map(|&c| format!("\"{}\"", names[c])).collect();
        notes.push(format!("{} {} no values: left out", said.join(", "), if said.len() == 1 { "has" } else { "have" }));
        for s in series.iter_mut() {
            for &c in unused.iter().rev() {
                s.channels.remove(c);
            }
        }
        for &c in unused.iter().rev() {
            names.remove(c);
        }
    }
    let gap = |s: &Series| (0..s.channels.len()).find(|&c| empty(s, c));
    let (kept, out): (Vec<Series>, Vec<Series>) = std::mem::take(series).into_iter().partition(|s| gap(s).is_none());
    if kept.is_empty() {
        let example = &out[0];
        let column = names.get(gap(example).unwrap_or(0)).cloned().unwrap_or_default();
        return Err(SeriesError::NoFullSeries { example: example.name.clone(), column });
    }
    *series = kept;
    if !out.is_empty() {
        let one = names.len() == 1;
        let said: Vec<String> = out
            .iter()
            .map(|s| match names.get(gap(s).unwrap_or(0)) {
                Some(channel) if !one => format!("{} ({channel})", s.name),
                _ => s.name.clone(),
            })
            .collect();
        notes.push(format!(
            "Left out {} {}: {}",
            if out.len() == 1 { "1 series".to_string() } else { format!("{} series", out.len()) },
            if one { "with no values" } else { "in which a channel has no values at all" },
            a_few(&said)
        ));
    }
    Ok(notes)
}

fn files_count(n: usize) -> String {
    if n == 1 { "1 file".into() } else { format!("{n} files") }
}

/// The first three of `items`, and how many more.
fn a_few(items: &[String]) -> String {
    let shown = items[..items.len().min(3)].join(", ");
    match items.len() {
        0..=3 => shown,
        n => format!("{shown} and {} more", n - 3),
    }
}

impl SeriesSet {
    /// Checks that every series has the channels of the first, picks the length and the
    /// classes. `channel_names` defaults to `channel 1`….
    pub fn new(
        series: Vec<Series>,
        channel_names: Option<Vec<String>>,
        mut warnings: Vec<String>,
        options: SeriesOptions,
    ) -> Result<Self, SeriesError> {
        let first = series.first().ok_or(SeriesError::Empty)?;
        let channels = first.channels.len();
        if let Some(s) = series.iter().find(|s| s.channels.len() != channels) {
            return Err(SeriesError::ChannelMismatch {
                name: s.name.clone(),
                got: s.channels.len(),
                first: first.name.clone(),
                expected: channels,
            });
        }
        if let Some(l) = options.length.filter(|l| !(MIN_LENGTH..=MAX_LENGTH).contains(l)) {
            return Err(SeriesError::BadLength(l));
        }
        let (shortest, longest) = length_range(&series);
        let unequal = shortest != longest;
        let scores = (unequal && options.lengths == SeriesLengths::Auto).then(|| {
            (
                match_in_place(&series, channels, false),
                match_in_place(&series, channels, true),
            )
        });
        let pad = unequal
            && match options.lengths {
                SeriesLengths::Resample => false,
                SeriesLengths::Pad => true,
                SeriesLengths::Auto => {
                    scores.is_some_and(|(resampled, padded)| padded > resampled * PAD_BETTER)
                }
            };
        let length = options.length.unwrap_or_else(|| {
            if pad {
                longest.clamp(MIN_LENGTH, MAX_DEFAULT_LENGTH)
            } else {
                default_length(&series)
            }
        });
        check_series_fit(series.len(), channels, length, LARGEST_BLOCK)?;
        let shrink = pad.then(|| (length as f64 / longest as f64).min(1.0));
        let (labels, label_names) = if series.iter().all(|s| s.label.is_some()) {
            let mut names: Vec<String> = Vec::new();
            let ids = series
                .iter()
                .map(|s| {
                    let l = s.label.as_ref().expect("all labelled");
                    // In other letters (`Walk`, `walk`), one class, as a table's labels are.
                    match names.iter().position(|n| case_free(n) == case_free(l)) {
                        Some(i) => i as u32,
                        None => {
                            names.push(l.clone());
                            (names.len() - 1) as u32
                        }
                    }
                })
                .collect();
            warnings.push(format!(
                "{} found in the files' labels; they are used only to score",
                if names.len() == 1 { "1 class".to_string() } else { format!("{} classes", names.len()) }
            ));
            (Some(ids), names)
        } else {
            (None, Vec::new())
        };
        let alignment = Some(alignment(&series, channels, pad));
        let (scaling, movement) = match options.scaling {
            Some(given) => (given, None),
            None => {
                let movement = typical_movement(&series, channels);
                (automatic_scaling(movement), Some(movement))
            }
        };
        let channel_names = channel_names
            .filter(|n| n.len() == channels)
            .unwrap_or_else(|| (1..=channels).map(|c| format!("channel {c}")).collect());
        Ok(Self {
            series,
            channel_names,
            length,
            scaling,
            channel_scale: None,
            labels,
            label_names,
            warnings,
            alignment,
            shrink,
            length_scores: scores,
            movement,
            rows: None,
            own_names: false,
            channel_files: false,
            found_columns: FoundColumns::default(),
        })
    }

    /// Files of the archive dropped together (a set's train and test files), in the order
    /// given, each read by its format ([`ArchiveFormat`]); files of one channel each whose
    /// names differ by more than the split are that many channels ([`stack_channels`]).
    pub fn from_archive_files(
        files: &[(String, Vec<u8>)],
        options: SeriesOptions,
    ) -> Result<Self, SeriesError> {
        let mut each = Vec::new();
        let mut warnings = Vec::new();
        for (name, bytes) in files {
            let (read, notes) = match ArchiveFormat::of(name) {
                Some(ArchiveFormat::Ts) => {
                    let file = read_ts(name, bytes)?;
                    (file.series, file.warnings)
                }
                Some(ArchiveFormat::Arff) => read_arff(name, bytes)?,
                Some(ArchiveFormat::Ucr) => read_ucr(name, bytes)?,
                None => return Err(SeriesError::NotArchive { name: name.clone() }),
            };
            each.push((name.clone(), read));
            for note in notes {
                if !warnings.contains(&note) {
                    warnings.push(note);
                }
            }
        }
        if let Some((series, names, note)) = stack_channels(&each) {
            warnings.insert(0, note);
            return Self::new(series, Some(names), warnings, options);
        }
        let series = each.into_iter().flat_map(|(_, s)| s).collect();
        Self::new(series, None, warnings, options)
    }

    /// Series files given together: the archive's ([`Self::from_archive_files`]) or CSV files
    /// ([`Self::from_csv_files`], read as `columns` say), not both.
    pub fn from_files(
        files: &[(String, Vec<u8>)],
        columns: &LongColumns,
        options: SeriesOptions,
    ) -> Result<Self, SeriesError> {
        if files.iter().all(|(n, _)| ArchiveFormat::of(n).is_none()) {
            Self::from_csv_files(files, columns, options)
        } else {
            Self::from_archive_files(files, options)
        }
    }

    /// CSV files dropped together: each one channel of the same series when
    /// `columns.files_as` says so or they look it ([`channel_files`]); else with `wide`, a
    /// series in each row; with an id column each is in the long layout; without, each file is
    /// one series, named by its path, its class the folder it is in (when every file is in one).
    pub fn from_csv_files(
        files: &[(String, Vec<u8>)],
        columns: &LongColumns,
        options: SeriesOptions,
    ) -> Result<Self, SeriesError> {
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        if (columns.wide || columns.id.is_some()) && columns.files_as != FilesAs::Channels && are_parts(&names) {
            // A table split into parts (ECG_train.csv, ECG_test.csv): its rows read as one file's.
            let joined = join_parts(files)?;
            let mut set = Self::from_csv_files(&[(joined.name, joined.bytes)], columns, options)?;
            set.warnings.insert(0, joined.note);
            return Ok(set);
        }
        let forced = columns.files_as == FilesAs::Channels;
        // Columns chosen by name (a label, columns left out) belong to one file's table, which
        // channel files have none of: automatic reading as channels stays out of their way.
        let chosen = columns.label.is_some() || !columns.ignored.is_empty();
        if columns.id.is_none() && (forced || (files.len() > 1 && columns.files_as == FilesAs::Auto && !chosen)) {
            if let Some(read) = channel_files(files, forced)? {
                let mut set = Self::new(read.series, Some(read.names), read.notes, options)?;
                set.channel_files = true;
                return Ok(set);
            }
        }
        let mut all = Vec::new();
        let mut channel_names: Option<Vec<String>> = None;
        if columns.wide {
            let mut notes = Vec::new();
            // The channels the first file's column names make; every file must make the same.
            let mut first: Option<(&String, Option<Vec<String>>)> = None;
            for (name, bytes) in files {
                let (series, channels, said) = wide_csv(name, bytes, columns)?;
                match &first {
                    None => first = Some((name, channels)),
                    Some((file, expected)) if *expected != channels => {
                        let say = |c: &Option<Vec<String>>| c.as_ref().map_or("one channel".into(), |c| c.join(", "));
                        return Err(SeriesError::ChannelNames {
                            name: name.clone(),
                            got: say(&channels),
                            first: (*file).clone(),
                            expected: say(expected),
                        });
                    }
                    Some(_) => {}
                }
                all.extend(series);
                notes.extend(said);
            }
            let mut names = first.and_then(|f| f.1);
            let own_names = names.is_some();
            let mut said = names.clone().unwrap_or_else(|| vec!["values".into()]);
            let mut found = FoundColumns::default();
            notes.extend(leave_out_empty(&mut all, &mut said, &mut found)?);
            if own_names {
                names = Some(said);
            }
            let mut set = Self::new(all, names, notes, options)?;
            set.own_names = own_names;
            set.found_columns = found;
            set.rows = Some(columns.clone());
            return Ok(set);
        }
        // Read by itself, a folder keeps its recordings and leaves the rest out, saying so; a
        // forced reading of each file as series takes every file, and refuses what differs.
        let folder = files.len() > 1 && columns.id.is_none() && columns.files_as == FilesAs::Auto;
        let mut read = Vec::with_capacity(files.len());
        let mut text_files = Vec::new();
        let mut left_out = Vec::new();
        for (name, bytes) in files {
            match long_csv(name, bytes, columns) {
                Ok(r) => read.push((name, r)),
                // A file of text beside recordings (Phyphox's meta/device.csv, a list of names).
                Err(LongCsvError::NoChannels { .. }) if folder => text_files.push(name.clone()),
                Err(e) => return Err(e.into()),
            }
        }
        if !text_files.is_empty() {
            left_out.push(format!("{} with no column of numbers ({})", files_count(text_files.len()), a_few(&text_files)));
        }
        if folder {
            left_out.extend(keep_the_recordings(&mut read));
        }
        let mut notes: Vec<String> = Vec::new();
        let mut found = FoundColumns::default();
        let mut reordered = Vec::new();
        let classes = class_folders(&read.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>());
        let mut first: Option<(&String, Vec<String>, bool)> = None;
        for ((name, r), class) in read.into_iter().zip(classes) {
            found.time = found.time.or(r.time);
            for t in r.text {
                if !found.text.contains(&t) {
                    found.text.push(t);
                }
            }
            let mut series = r.series;
            if columns.id.is_none() {
                for s in &mut series {
                    s.name = name.clone();
                    if columns.label.is_none() {
                        s.label = class.clone();
                    }
                }
            }
            for note in r.notes {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            match &first {
                None => first = Some((name, r.names, r.own_header)),
                Some((file, names, own)) if *own && r.own_header && *names != r.names => {
                    let order = same_columns(names, &r.names).ok_or_else(|| SeriesError::ChannelNames {
                        name: name.clone(),
                        got: r.names.join(", "),
                        first: (*file).clone(),
                        expected: names.join(", "),
                    })?;
                    // The same names in other letters need no moving, nor a note.
                    if order.iter().enumerate().any(|(i, &c)| i != c) {
                        for s in &mut series {
                            s.channels = order.iter().map(|&c| std::mem::take(&mut s.channels[c])).collect();
                        }
                        reordered.push(name.clone());
                    }
                }
                Some(_) => {}
            }
            all.extend(series);
        }
        if !reordered.is_empty() {
            notes.push(format!(
                "{} {} the channels in another order ({}); each column is read by its name",
                files_count(reordered.len()),
                if reordered.len() == 1 { "names" } else { "name" },
                a_few(&reordered)
            ));
        }
        let mut own_names = false;
        if let Some((_, names, own)) = first {
            channel_names = Some(names);
            own_names = own;
        }
        if let Some(names) = channel_names.as_mut() {
            notes.extend(leave_out_empty(&mut all, names, &mut found)?);
        }
        let missing = all.iter().flat_map(|s| &s.channels).flatten().filter(|v| v.is_nan()).count();
        if missing > 0 {
            notes.push(format!("{missing} missing values (empty cells, NA, NaN) filled by straight lines between their neighbours"));
        }
        if !left_out.is_empty() {
            notes.push(format!("Left out {}", left_out.join("; ")));
        }
        let mut set = Self::new(all, channel_names, notes, options)?;
        set.found_columns = found;
        set.own_names = own_names;
        set.rows = columns.id.is_some().then(|| columns.clone());
        Ok(set)
    }

    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    pub fn channels(&self) -> usize {
        self.channel_names.len()
    }

    /// What reaching the common length did to the series, and why when automatic chose.
    fn lengths_note(&self) -> Option<String> {
        let (shortest, longest) = length_range(&self.series);
        if shortest != longest {
            Some(lengths_note(shortest, longest, self.length, self.shrink.is_some(), self.length_scores))
        } else if longest != self.length {
            Some(format!(
                "every series has {longest} points; they are resampled to {} (change Length to keep more or less detail)",
                self.length
            ))
        } else {
            None
        }
    }

    /// Whether the series have different lengths (so [`SeriesLengths`] applies).
    pub fn unequal(&self) -> bool {
        let (shortest, longest) = length_range(&self.series);
        shortest != longest
    }

    /// Whether the series line up in time ([`ALIGNED`]); `None` once a model reads them.
    pub fn aligned(&self) -> Option<bool> {
        self.alignment.map(|a| a >= ALIGNED)
    }

    /// Values per row: `channels × length`.
    pub fn row_len(&self) -> usize {
        self.channels() * self.length
    }

    /// Every series at the common length, gaps filled, unscaled: `len × channels × length`,
    /// channel-major, NaN where a series is padded. What the galleries draw.
    pub fn resampled(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.len() * self.row_len());
        let own = self.own_lengths();
        for (s, &own) in self.series.iter().zip(&own) {
            for c in &s.channels {
                out.extend(resample(&fill_missing(c), own));
                out.extend(std::iter::repeat_n(f32::NAN, self.length - own));
            }
        }
        out
    }

    /// Each series' points before padding: the common length when resampling; when padding,
    /// its own length, all shrunk alike when the longest exceeds the common length.
    fn own_lengths(&self) -> Vec<usize> {
        let Some(shrink) = self.shrink else {
            return vec![self.length; self.len()];
        };
        self.series
            .iter()
            .map(|s| ((s.len() as f64 * shrink).round() as usize).clamp(1, self.length))
            .collect()
    }

    /// 1 where a row's value is the series', 0 where it is padding; `None` when nothing is
    /// padded.
    pub fn valid(&self) -> Option<Vec<f32>> {
        let own = self.own_lengths();
        if own.iter().all(|&l| l == self.length) {
            return None;
        }
        let mut out = Vec::with_capacity(self.len() * self.row_len());
        for &own in &own {
            for _ in 0..self.channels() {
                out.extend(std::iter::repeat_n(1.0, own));
                out.extend(std::iter::repeat_n(0.0, self.length - own));
            }
        }
        Some(out)
    }

    /// [`resampled`](Self::resampled) scaled as [`SeriesScaling`] says: the network's rows.
    pub fn features(&self) -> Vec<f32> {
        let mut v = self.resampled();
        let (channels, length) = (self.channels(), self.length);
        match (&self.channel_scale, self.scaling) {
            (Some(given), SeriesScaling::PerChannel) => apply_channel_scale(&mut v, length, given),
            _ => scale(&mut v, channels, length, self.scaling),
        }
        // Padding reaches the network as the channel's mean (or the series' own, scaled per
        // series); the loss leaves it out (`valid`).
        for v in v.iter_mut().filter(|v| v.is_nan()) {
            *v = 0.0;
        }
        v
    }

    /// What a saved model keeps to read new series as these were read.
    pub fn input(&self) -> SeriesInput {
        let channel_scale = match (&self.channel_scale, self.scaling) {
            (Some(given), _) => given.clone(),
            (None, SeriesScaling::PerChannel) => {
                channel_moments(&self.resampled(), self.channels(), self.length)
            }
            (None, _) => Vec::new(),
        };
        SeriesInput {
            channels: self.channels(),
            length: self.length,
            scaling: self.scaling,
            channel_scale,
            shrink: self.shrink,
            rows: self.rows.clone(),
            channel_files: self.channel_files,
            channel_names: if self.own_names { self.channel_names.clone() } else { Vec::new() },
        }
    }

    /// These series read as a model's training series were: its length and scaling, its
    /// channel means and spreads; refused when the channels differ.
    pub fn read_as(mut self, input: &SeriesInput) -> Result<Self, SeriesError> {
        if self.own_names && !input.channel_names.is_empty() && self.channel_names != input.channel_names {
            self.take_channels(&input.channel_names)?;
        }
        if self.channels() != input.channels {
            return Err(SeriesError::ModelChannels {
                got: self.channels(),
                expected: input.channels,
            });
        }
        // The model's network and lengths are already chosen: what automatic would pick does
        // not apply.
        self.alignment = None;
        self.length_scores = None;
        self.movement = None;
        self.length = input.length;
        self.shrink = input.shrink;
        self.scaling = input.scaling;
        self.channel_scale =
            (input.scaling == SeriesScaling::PerChannel).then(|| input.channel_scale.clone());
        Ok(self)
    }

    /// The channels named `names`, in that order, found among these series' by name (a
    /// model's channels in new files that order them otherwise or hold more); what was done
    /// is said, an error names a channel that is not there.
    fn take_channels(&mut self, names: &[String]) -> Result<(), SeriesError> {
        let order = find_columns(names, &self.channel_names).map_err(|missing| {
            let (missing, expected) = (missing.to_string(), names.join(", "));
            if self.found_columns.empty.iter().any(|e| e.eq_ignore_ascii_case(&missing)) {
                SeriesError::ModelChannelEmpty { missing, expected }
            } else {
                SeriesError::ModelChannelNames { missing, got: self.channel_names.join(", "), expected }
            }
        })?;
        let extra: Vec<&str> = (0..self.channel_names.len())
            .filter(|c| !order.contains(c))
            .map(|c| self.channel_names[c].as_str())
            .collect();
        if !extra.is_empty() {
            let them = if extra.len() == 1 { "it" } else { "them" };
            self.warnings.push(format!("{} left out: the model was not trained on {them}", extra.join(", ")));
        } else if order.iter().enumerate().any(|(i, &c)| i != c) {
            self.warnings.push("the channels are in another order than the model's; each is read by its name".to_string());
        }
        for s in &mut self.series {
            s.channels = order.iter().map(|&c| std::mem::take(&mut s.channels[c])).collect();
        }
        self.channel_names = names.to_vec();
        Ok(())
    }

    pub fn to_dataset(&self) -> Dataset {
        let cols = self.row_len();
        let feature_names = self
            .channel_names
            .iter()
            .flat_map(|c| (0..self.length).map(move |t| format!("{c} t{t}")))
            .collect();
        Items {
            features: self.features(),
            valid: self.valid(),
            cols,
            feature_names,
            file_column: "series",
            labels: self.labels.clone(),
            label_names: self.label_names.clone(),
            warnings: self
                .warnings
                .iter()
                .cloned()
                .chain(self.lengths_note())
                .chain(self.movement.and_then(scaling_note))
                .chain(self.alignment.map(alignment_note))
                .collect(),
        }
        .into()
    }

    pub fn names(&self) -> Vec<String> {
        self.series.iter().map(|s| s.name.clone()).collect()
    }

    /// `series,cluster,confidence`, one row per series.
    pub fn results_csv(&self, labels: &[u32], confidence: &[f32]) -> String {
        named_results_csv("series", &self.names(), labels, confidence)
    }
}

/// The shortest and the longest series' lengths ((`usize::MAX`, 0) for none).
fn length_range(series: &[Series]) -> (usize, usize) {
    series.iter().fold((usize::MAX, 0), |(lo, hi), s| (lo.min(s.len()), hi.max(s.len())))
}

/// What was done with series of unequal lengths, and why when the data chose.
fn lengths_note(
    shortest: usize,
    longest: usize,
    length: usize,
    pad: bool,
    scores: Option<(f64, f64)>,
) -> String {
    let done = if pad {
        format!("shorter ones are padded at the end to {length} points, and the padding is left out of training")
    } else {
        format!("each is resampled to {length} points")
    };
    let why = match scores {
        Some((resampled, padded)) => format!(
            ": as they stand, padded they match {:.0} % and resampled {:.0} % ({}; choose Unequal lengths, --series-lengths, to change it)",
            padded * 100.0,
            resampled * 100.0,
            if pad {
                "they start together and stop at different times"
            } else if padded > resampled {
                "padding is not clearly better, and resampling keeps each whole course"
            } else {
                "they look like one course at different speeds"
            }
        ),
        None => String::new(),
    };
    format!("series have {shortest} to {longest} points; {done}{why}")
}

/// What the notes say about [`alignment`] and the network it picks.
fn alignment_note(alignment: f64) -> String {
    let aligned = alignment >= ALIGNED;
    format!(
        "the series {} in time: as they stand they match {:.0} % as well as at their best shift ({:.0} % or more counts as lined up), so the automatic network {}",
        if aligned { "line up" } else { "do not line up" },
        alignment * 100.0,
        ALIGNED * 100.0,
        if aligned {
            "keeps time order (conv-aligned)"
        } else {
            "looks for patterns wherever they happen (conv)"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, channels: Vec<Vec<f32>>, label: Option<&str>) -> Series {
        Series {
            name: name.into(),
            channels,
            label: label.map(str::to_string),
        }
    }

    #[test]
    fn unequal_lengths_meet_at_the_median_and_the_user_may_choose() {
        let set = SeriesSet::new(
            vec![
                series("a", vec![vec![0.0; 10]], Some("x")),
                series("b", vec![vec![1.0; 20]], Some("y")),
                series("c", vec![vec![2.0; 30]], Some("x")),
            ],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap();
        assert_eq!(set.length, 20);
        assert_eq!(set.labels, Some(vec![0, 1, 0]));
        assert_eq!(set.label_names, vec!["x", "y"]);
        let notes = set.to_dataset().warnings;
        assert!(notes.iter().any(|n| n.contains("10 to 30 points")), "{notes:?}");
        assert_eq!(set.resampled().len(), 60);
        assert_eq!(set.to_dataset().cols, 20);
        let opts = SeriesOptions {
            length: Some(4),
            ..Default::default()
        };
        let e = SeriesSet::new(
            vec![series("a", vec![vec![0.0; 10]], None)],
            None,
            vec![],
            opts,
        );
        assert_eq!(e.unwrap_err(), SeriesError::BadLength(4));
    }

    /// 60 series of three kinds (a bump, a rise, a dip at fixed places in 100 steps), each
    /// cut to a prefix (`truncate`) or squeezed to a random 50 to 100 steps.
    fn unequal(truncate: bool) -> Vec<Series> {
        let mut rng = crate::rng::Rng::new(11);
        (0..60)
            .map(|i| {
                let full: Vec<f32> = (0..100)
                    .map(|t| {
                        let u = t as f64 / 100.0;
                        let v = match i % 3 {
                            0 => (-((u - 0.3) / 0.04).powi(2)).exp(),
                            1 => (u - 0.2).max(0.0) * 2.0,
                            _ => -(-((u - 0.45) / 0.04).powi(2)).exp(),
                        };
                        (v + 0.05 * rng.normal()) as f32
                    })
                    .collect();
                let n = 50 + rng.below(51);
                let channel = if truncate { full[..n].to_vec() } else { resample(&full, n) };
                series(&format!("s{i}"), vec![channel], Some(["a", "b", "c"][i % 3]))
            })
            .collect()
    }

    #[test]
    fn automatic_pads_recordings_cut_short_and_resamples_one_course_at_other_speeds() {
        let cut = SeriesSet::new(unequal(true), None, vec![], SeriesOptions::default()).unwrap();
        assert_eq!(cut.shrink, Some(1.0), "{:?}", cut.length_scores);
        assert_eq!(cut.length, cut.series.iter().map(Series::len).max().unwrap());
        let notes = |set: &SeriesSet| set.to_dataset().warnings.join(" | ");
        assert!(notes(&cut).contains("padded at the end"), "{}", notes(&cut));
        let squeezed =
            SeriesSet::new(unequal(false), None, vec![], SeriesOptions::default()).unwrap();
        assert_eq!(squeezed.shrink, None);
        assert!(notes(&squeezed).contains("one course at different speeds"), "{}", notes(&squeezed));
        // A forced choice is kept, and says nothing of the scores.
        let forced = SeriesSet::new(
            unequal(false),
            None,
            vec![],
            SeriesOptions { lengths: SeriesLengths::Pad, ..Default::default() },
        )
        .unwrap();
        assert!(forced.shrink.is_some());
        assert!(notes(&forced).contains("padded at the end") && !notes(&forced).contains("as they stand, padded"), "{}", notes(&forced));
    }

    #[test]
    fn padding_is_nan_to_draw_zero_to_train_and_left_out_of_the_scale_and_the_bands() {
        let pad = SeriesOptions { lengths: SeriesLengths::Pad, ..Default::default() };
        let set = SeriesSet::new(
            vec![
                series("long", vec![(0..8).map(|t| t as f32).collect(), vec![0.0; 8]], None),
                series("short", vec![vec![3.0, 5.0, 4.0, 1.0], vec![2.0; 4]], None),
            ],
            None,
            vec![],
            pad,
        )
        .unwrap();
        // The longest sets the length; the shorter is padded, not stretched.
        assert_eq!((set.length, set.shrink), (8, Some(1.0)));
        let drawn = set.resampled();
        assert_eq!(drawn.len(), 2 * 2 * 8);
        assert!(drawn[..16].iter().all(|v| !v.is_nan()));
        let short = &drawn[16..24];
        assert!(short[..4].iter().all(|v| !v.is_nan()) && short[4..].iter().all(|v| v.is_nan()), "{short:?}");
        let valid = set.valid().unwrap();
        assert_eq!(&valid[16..24], &[1., 1., 1., 1., 0., 0., 0., 0.]);
        let features = set.features();
        assert!(features.iter().all(|v| v.is_finite()));
        assert_eq!(&features[20..24], &[0.0; 4]);
        let moments = set.input().channel_scale;
        assert!(moments.iter().all(|(m, sd)| m.is_finite() && sd.is_finite()), "{moments:?}");
        let bands = set.cluster_bands(&[0, 0], 1);
        // Step 6 of channel 1: only the long series has a value there, so the band is its own.
        assert_eq!(bands[12], drawn[6]);
        assert_eq!(bands[13], 0.0);
        // Longer than the common length: every series shrunk alike.
        let shrunk = SeriesSet::new(
            vec![series("a", vec![vec![0.0; 40]], None), series("b", vec![vec![1.0; 20]], None)],
            None,
            vec![],
            SeriesOptions { length: Some(10), ..pad },
        )
        .unwrap();
        assert_eq!(shrunk.shrink, Some(0.25));
        assert_eq!(shrunk.valid().unwrap()[10..].iter().sum::<f32>(), 5.0);
        assert_eq!(shrunk.to_dataset().valid.unwrap().len(), 20);
    }

    #[test]
    fn channels_must_agree() {
        let e = SeriesSet::new(
            vec![
                series("a", vec![vec![0.0; 10]; 2], None),
                series("b", vec![vec![0.0; 10]], None),
            ],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("b has 1 channel but a has 2 channels"),
            "{e}"
        );
        assert_eq!(
            SeriesSet::new(vec![], None, vec![], SeriesOptions::default()).unwrap_err(),
            SeriesError::Empty
        );
    }

    #[test]
    fn wide_files_carry_their_channel_names_and_must_agree() {
        let columns = LongColumns { wide: true, ..LongColumns::default() };
        let a = ("a.csv".to_string(), b"x_1,x_2,x_3,y_1,y_2,y_3\n1,2,3,4,5,6\n".to_vec());
        let b = ("b.csv".to_string(), b"y_1,y_2,y_3,x_1,x_2,x_3\n1,2,3,4,5,6\n".to_vec());
        let set = SeriesSet::from_csv_files(&[a.clone()], &columns, SeriesOptions::default()).unwrap();
        assert_eq!(set.channel_names, ["x", "y"]);
        let err = SeriesSet::from_csv_files(&[a, b], &columns, SeriesOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b.csv's columns make the channels y, x but a.csv's make x, y; give every file the same channel columns"
        );
    }

    #[test]
    fn new_series_are_scaled_with_the_training_sets_moments() {
        let train = SeriesSet::new(
            vec![
                series("a", vec![vec![0.0; 8]], None),
                series("b", vec![vec![4.0; 8]], None),
            ],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap();
        let input = train.input();
        assert_eq!(input.channel_scale, vec![(2.0, 2.0)]);
        let noted = |set: &SeriesSet| {
            set.to_dataset()
                .warnings
                .iter()
                .any(|w| w.contains("automatic network"))
        };
        assert!(noted(&train));
        let new = SeriesSet::new(
            vec![series("c", vec![vec![4.0; 20]], None)],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap()
        .read_as(&input)
        .unwrap();
        // 4 is one sd above the training mean, whatever the new set alone would say.
        assert_eq!(new.features(), vec![1.0; 8]);
        // The model's network is fixed: nothing is said about the automatic one.
        assert!(!noted(&new));
        let two = SeriesSet::new(
            vec![series("d", vec![vec![0.0; 8]; 2], None)],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap();
        assert_eq!(
            two.read_as(&input).unwrap_err(),
            SeriesError::ModelChannels {
                got: 2,
                expected: 1
            }
        );
    }

    #[test]
    fn new_series_for_a_model_are_read_its_way_without_measuring_a_choice() {
        // Trained padded on recordings cut short: new ones at other speeds are padded too, at
        // the model's length, with no scores measured to choose.
        let trained =
            SeriesSet::new(unequal(true), None, vec![], SeriesOptions::default()).unwrap();
        let input = trained.input();
        let options = input.options();
        assert_eq!(options.lengths, SeriesLengths::Pad);
        assert_eq!(options.length, Some(trained.length));
        let new = SeriesSet::new(unequal(false), None, vec![], options).unwrap();
        assert_eq!(new.length_scores, None);
        assert_eq!((new.length, new.shrink), (trained.length, trained.shrink));
        // Trained resampled: new series are resampled.
        let trained =
            SeriesSet::new(unequal(false), None, vec![], SeriesOptions::default()).unwrap();
        assert_eq!(trained.input().options().lengths, SeriesLengths::Resample);
    }

    #[test]
    fn results_name_each_series() {
        let set = SeriesSet::new(
            vec![
                series("f.ts#1", vec![vec![0.0; 8]], None),
                series("f.ts#2", vec![vec![1.0; 8]], None),
            ],
            None,
            Vec::new(),
            SeriesOptions::default(),
        )
        .unwrap();
        assert_eq!(
            set.results_csv(&[1, 0], &[0.5, 1.0]),
            "series,cluster,confidence\nf.ts#1,1,0.5000\nf.ts#2,0,1.0000\n"
        );
    }

    #[test]
    fn basic_motions_train_and_test_files_join() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/timeseries");
        let Ok(train) = std::fs::read(dir.join("BasicMotions_TRAIN.ts")) else {
            eprintln!("skipped: ../shared/data/timeseries is not here");
            return;
        };
        let test = std::fs::read(dir.join("BasicMotions_TEST.ts")).unwrap();
        let set = SeriesSet::from_archive_files(
            &[
                ("BasicMotions_TRAIN.ts".into(), train),
                ("BasicMotions_TEST.ts".into(), test),
            ],
            SeriesOptions::default(),
        )
        .unwrap();
        assert_eq!((set.len(), set.channels(), set.length), (80, 6, 100));
        assert_eq!(set.label_names.len(), 4);
        assert_eq!(set.series[40].name, "BasicMotions_TEST.ts#1");
    }

    #[test]
    fn one_half_of_a_set_says_where_the_other_is() {
        assert_eq!(other_half("sets/GunPoint_TRAIN.ts").as_deref(), Some("GunPoint_TEST.ts"));
        assert_eq!(other_half("Coffee_TEST.txt").as_deref(), Some("Coffee_TRAIN.txt"));
        assert_eq!(other_half("Coffee_TEST").as_deref(), Some("Coffee_TRAIN"));
        assert_eq!(other_half("motions_train.arff").as_deref(), Some("motions_test.arff"));
        assert_eq!(other_half("shapes.ts"), None);
        assert!(other_half_note(&["Up_TRAIN.tsv".into()]).is_some_and(|n| n.contains("add Up_TEST.tsv")));
        assert_eq!(other_half_note(&["Up_TRAIN.tsv".into(), "Up_TEST.tsv".into()]), None);
    }

    #[test]
    fn a_folder_of_phone_recordings_keeps_the_recordings_and_their_activities() {
        // Phyphox's layout: activity/date/Raw Data.csv, with its meta/ files beside each.
        let recording = |shift: f32| {
            let mut text = String::from("\"Time (s)\",\"x (m/s^2)\",\"y (m/s^2)\"\n");
            for t in 0..40 {
                text.push_str(&format!("{},{},{}\n", t as f32 * 0.01, (t as f32 * shift).sin(), shift));
            }
            text.into_bytes()
        };
        let mut files = Vec::new();
        for (activity, shift) in [("walking", 0.3), ("running", 0.9)] {
            for day in ["2024-03-01 10-00-00", "2024-03-02 10-00-00"] {
                let dir = format!("train/{activity}/{day}");
                files.push((format!("{dir}/Raw Data.csv"), recording(shift)));
                files.push((format!("{dir}/meta/time.csv"), b"event,experiment time,system time,system time text\nSTART,0.0,1709287200.0,2024-03-01 10:00:00\nPAUSE,0.4,1709287200.4,2024-03-01 10:00:00\n".to_vec()));
                files.push((format!("{dir}/meta/device.csv"), b"property,value\nmodel,Pixel\nbrand,Google\n".to_vec()));
            }
        }
        let set = SeriesSet::from_csv_files(&files, &LongColumns::default(), SeriesOptions::default()).unwrap();
        assert_eq!((set.len(), set.channel_names.clone()), (4, vec!["x (m/s^2)".to_string(), "y (m/s^2)".into()]));
        let labels: Vec<Option<&str>> = set.series.iter().map(|s| s.label.as_deref()).collect();
        assert_eq!(labels, [Some("walking"), Some("walking"), Some("running"), Some("running")]);
        let said = set.warnings.join(" | ");
        assert_eq!(
            class_folders(&["project/data/train/walking/r1.csv", "project/data/train/running/r2.csv", "project/data/test/walking/r3.csv"]),
            [Some("walking".to_string()), Some("running".into()), Some("walking".into())]
        );
        assert_eq!(class_folders(&["2024-03-01/Raw Data.csv", "2024-03-02/Raw Data.csv"]), [None, None], "each its own class");
        assert_eq!(class_folders(&["a.csv", "b.csv"]), [None, None]);
        // A real recording with another column is not dropped: reading says which differs.
        let extra = |name: &str, pressure: bool| {
            let mut text = String::from(if pressure { "x,y,p\n" } else { "x,y\n" });
            for t in 0..30 {
                text.push_str(&format!("{t},{}{}\n", t % 3, if pressure { ",1000" } else { "" }));
            }
            (name.to_string(), text.into_bytes())
        };
        let folder = [extra("w/1.csv", false), extra("w/2.csv", false), extra("r/3.csv", true)];
        let err = SeriesSet::from_csv_files(&folder, &LongColumns::default(), SeriesOptions::default()).unwrap_err();
        assert!(err.to_string().contains("r/3.csv's columns make the channels x, y, p but w/1.csv's make x, y"), "{err}");
        assert!(said.contains("\"Time (s)\" is read as the time of each row"), "{said}");
        assert!(said.contains("Left out 4 files with no column of numbers (train/walking/2024-03-01 10-00-00/meta/device.csv,"), "{said}");
        assert!(said.contains("4 files whose columns differ from the recordings' (x (m/s^2), y (m/s^2)): train/walking/2024-03-01 10-00-00/meta/time.csv (experiment time, system time)"), "{said}");
        // Recordings that disagree with no majority still say which differ.
        let odd = [
            ("a.csv".to_string(), b"x,y\n1,2\n3,4\n".to_vec()),
            ("b.csv".to_string(), b"x,y,z\n1,2,3\n3,4,5\n".to_vec()),
            ("c.csv".to_string(), b"x\n1\n3\n".to_vec()),
        ];
        assert!(SeriesSet::from_csv_files(&odd, &LongColumns::default(), SeriesOptions::default()).is_err());
    }

    /// A recording of `names`' columns, `rows` rows, channel c at row t holding c·100 + t, ""
    /// for the columns in `empty`.
    fn recording(name: &str, names: &[&str], empty: &[&str], rows: usize) -> (String, Vec<u8>) {
        let mut text = names.join(",") + "\n";
        for t in 0..rows {
            let cells: Vec<String> = names
                .iter()
                .map(|n| {
                    let c = n.bytes().last().unwrap_or(b'0') as usize;
                    if empty.contains(n) { String::new() } else { (c * 100 + t).to_string() }
                })
                .collect();
            text += &(cells.join(",") + "\n");
        }
        (name.to_string(), text.into_bytes())
    }

    #[test]
    fn recordings_are_matched_by_their_column_names() {
        let files = [
            recording("a/1.csv", &["x1", "y2", "z3"], &[], 20),
            recording("a/2.csv", &["Z3", "x1", "y2"], &[], 20),
            recording("b/3.csv", &["x1", "y2", "z3"], &[], 20),
        ];
        let set = SeriesSet::from_csv_files(&files, &LongColumns::default(), SeriesOptions::default()).unwrap();
        assert_eq!(set.channel_names, ["x1", "y2", "z3"]);
        for s in &set.series {
            let firsts: Vec<f32> = s.channels.iter().map(|c| c[0]).collect();
            assert_eq!(firsts, [4900.0, 5000.0, 5100.0], "{}", s.name);
        }
        assert!(set.warnings.iter().any(|w| w.starts_with("1 file names the channels in another order (a/2.csv)")), "{:?}", set.warnings);
        // Other columns with the same count are not matched by place.
        let files = [recording("1.csv", &["x1", "y2"], &[], 20), recording("2.csv", &["gx1", "gy2"], &[], 20)];
        let err = SeriesSet::from_csv_files(&files, &LongColumns::default(), SeriesOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("2.csv's columns make the channels gx1, gy2 but 1.csv's make x1, y2"), "{err}");
    }

    #[test]
    fn a_models_channels_are_found_in_new_files_by_name() {
        let read = |files: &[(String, Vec<u8>)]| SeriesSet::from_csv_files(files, &LongColumns::default(), SeriesOptions::default()).unwrap();
        let trained = read(&[recording("a/1.csv", &["x1", "y2"], &[], 20), recording("b/2.csv", &["x1", "y2"], &[], 20)]);
        let input = trained.input();
        assert_eq!(input.channel_names, ["x1", "y2"]);
        let new = read(&[recording("n/1.csv", &["Y2", "p3", "x1"], &[], 20), recording("n/2.csv", &["Y2", "p3", "x1"], &[], 20)]);
        let placed = new.read_as(&input).unwrap();
        assert_eq!(placed.channel_names, ["x1", "y2"]);
        assert_eq!(placed.series[0].channels[0][0], 4900.0, "x1 first");
        assert!(placed.warnings.iter().any(|w| w == "p3 left out: the model was not trained on it"), "{:?}", placed.warnings);
        let upper = read(&[recording("n/1.csv", &["X1", "Y2"], &[], 20), recording("n/2.csv", &["X1", "Y2"], &[], 20)]);
        assert!(upper.warnings.iter().all(|w| !w.contains("order")), "{:?}", upper.warnings);
        let placed = upper.read_as(&input).unwrap();
        assert!(placed.warnings.iter().all(|w| !w.contains("order")), "the same order in capitals: {:?}", placed.warnings);
        let new = read(&[recording("n/1.csv", &["x1", "z3"], &[], 20), recording("n/2.csv", &["x1", "z3"], &[], 20)]);
        let err = new.read_as(&input).unwrap_err();
        assert!(err.to_string().starts_with("these series have no channel \"y2\" (their channels: x1, z3)"), "{err}");
        let empty = read(&[recording("n/1.csv", &["x1", "y2", "z3"], &["y2"], 20), recording("n/2.csv", &["x1", "y2", "z3"], &["y2"], 20)]);
        let err = empty.read_as(&input).unwrap_err();
        assert_eq!(err.to_string(), "every \"y2\" value is missing in these series; the model was trained on x1, y2 and needs each of them");
        // Files without a header are read by place, as before.
        let bare = |name: &str| (name.to_string(), b"1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n".to_vec());
        let new = read(&[bare("1.csv"), bare("2.csv")]);
        assert!(new.read_as(&input).is_ok());
        assert!(read(&[bare("1.csv"), bare("2.csv")]).input().channel_names.is_empty());
    }

    #[test]
    fn empty_channels_and_recordings_without_a_channel_are_left_out_and_said() {
        // A sensor off for one recording: that recording is left out; an app's column that is
        // always empty: that column is left out.
        let files = [
            recording("w/1.csv", &["x1", "g2", "p3"], &["p3"], 20),
            recording("w/2.csv", &["x1", "g2", "p3"], &["g2", "p3"], 20),
            recording("r/3.csv", &["x1", "g2", "p3"], &["p3"], 20),
            recording("r/4.csv", &["x1", "g2", "p3"], &["p3"], 20),
        ];
        let set = SeriesSet::from_csv_files(&files, &LongColumns::default(), SeriesOptions::default()).unwrap();
        assert_eq!(set.channel_names, ["x1", "g2"]);
        let names: Vec<&str> = set.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["w/1.csv", "r/3.csv", "r/4.csv"]);
        let said = set.warnings.join(" | ");
        assert!(said.contains("\"p3\" has no values: left out"), "{said}");
        assert!(said.contains("Left out 1 series in which a channel has no values at all: w/2.csv (g2)"), "{said}");
        assert!(!said.contains("missing values"), "an empty channel is not a gap to fill: {said}");
        // One long CSV: a series without a value in one channel goes, the others stay.
        let long = "id,v,w\na,1,\na,2,\nb,1,5\nb,2,6\nc,3,7\nc,4,8\n";
        let columns = LongColumns { id: Some("id".into()), ..LongColumns::default() };
        let set = SeriesSet::from_csv_files(&[("l.csv".into(), long.as_bytes().to_vec())], &columns, SeriesOptions::default()).unwrap();
        assert_eq!(set.len(), 2);
        assert!(set.warnings.iter().any(|w| w.ends_with("no values at all: a (w)")), "{:?}", set.warnings);
        // A CSV with a series in each row: a row with its name and no values.
        let mut wide = String::from("name,t1,t2,t3,t4,t5,t6,t7,t8\n");
        for r in 0..4 {
            wide += &format!("s{r},{}\n", (0..8).map(|t| (t * r).to_string()).collect::<Vec<_>>().join(","));
        }
        wide += "s4,,,,,,,,\n";
        let columns = LongColumns { id: Some("name".into()), wide: true, ..LongColumns::default() };
        let set = SeriesSet::from_csv_files(&[("w.csv".into(), wide.into_bytes())], &columns, SeriesOptions::default()).unwrap();
        assert_eq!(set.len(), 4);
        assert!(set.warnings.iter().any(|w| w == "Left out 1 series with no values: s4"), "{:?}", set.warnings);
        // Nothing left: the error says which channel of which series, and what to do.
        let files = [recording("1.csv", &["x1", "g2"], &["g2"], 20), recording("2.csv", &["x1", "g2"], &["x1"], 20)];
        let err = SeriesSet::from_csv_files(&files, &LongColumns::default(), SeriesOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "every series has a channel with no values (\"g2\" in 1.csv); fill the empty channels or leave their columns out");
    }
}
