//! A loaded input, whichever kind of file it came from: the numbers to train on, and what
//! is needed to write the results back in the form the user gave them. The browser and the
//! command line both load through here.

use super::{
    CsvError, CsvOptions, CsvParse, Dataset, ImageSet, LabelSource, append_result_columns, as_utf8,
    discover_labels, image_results_csv, parse_csv,
};
use super::csv_build::{MISSING_LABEL, column_names, model_columns, read_prepared};
use super::csv_table::read_records;
use super::prepare::{Cells, Profiles};
use super::series::{ChannelDifference, SeriesInput, SeriesSet};
use crate::metrics::Scores;

/// Where a table's rows came from.
#[derive(Debug, Clone)]
pub enum Source {
    Csv { bytes: Vec<u8>, options: CsvOptions },
    Images(ImageSet),
    Series(SeriesSet),
}

/// What kind of data a table holds: what defaults are chosen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Table,
    Images,
    Series,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub source: Source,
    pub dataset: Dataset,
}

impl Table {
    pub fn from_csv(bytes: Vec<u8>, options: CsvOptions) -> Result<Self, CsvError> {
        // Kept as UTF-8 (marked so when decoded), as the results file is written from them.
        let decoded = match as_utf8(&bytes).0 {
            std::borrow::Cow::Owned(text) => Some(text),
            std::borrow::Cow::Borrowed(_) => None,
        };
        let bytes = decoded.unwrap_or(bytes);
        let dataset = parse_csv(&bytes, &options)?;
        Ok(Self {
            source: Source::Csv { bytes, options },
            dataset,
        })
    }

    /// The table of a finished [`CsvParse`].
    pub fn from_parse(parse: CsvParse) -> Result<Self, CsvError> {
        let (dataset, bytes, options) = parse.finish()?;
        Ok(Self {
            source: Source::Csv { bytes, options },
            dataset,
        })
    }

    pub fn from_images(set: ImageSet) -> Self {
        Self {
            dataset: set.to_dataset(),
            source: Source::Images(set),
        }
    }

    pub fn from_series(set: SeriesSet) -> Self {
        Self {
            dataset: set.to_dataset(),
            source: Source::Series(set),
        }
    }

    pub fn kind(&self) -> DataKind {
        match &self.source {
            Source::Csv { .. } => DataKind::Table,
            Source::Images(_) => DataKind::Images,
            Source::Series(_) => DataKind::Series,
        }
    }

    /// How the series became rows, for a saved model; `None` for other data.
    pub fn series_input(&self) -> Option<SeriesInput> {
        match &self.source {
            Source::Series(set) => Some(set.input()),
            _ => None,
        }
    }

    /// `(channels, side)` of square images; `None` for a CSV or series.
    pub fn image_shape(&self) -> Option<(usize, usize)> {
        match &self.source {
            Source::Images(set) => Some((set.channels, set.width)),
            Source::Csv { .. } | Source::Series(_) => None,
        }
    }

    /// `(channels, length)` of series; `None` for a CSV or images.
    pub fn series_shape(&self) -> Option<(usize, usize)> {
        match &self.source {
            Source::Series(set) => Some((set.channels(), set.length)),
            Source::Csv { .. } | Source::Images(_) => None,
        }
    }

    /// Whether series line up in time (see [`crate::data::series::alignment`]); `None` for a
    /// CSV, images, or series a saved model reads.
    pub fn series_aligned(&self) -> Option<bool> {
        match &self.source {
            Source::Series(set) => set.aligned(),
            Source::Csv { .. } | Source::Images(_) => None,
        }
    }

    /// How each channel of series tells the `k` clusters apart, most first, with the channels'
    /// names (see [`crate::data::series::channels_sentence`]); `None` for a CSV or images.
    pub fn channel_differences(&self, labels: &[u32], k: usize) -> Option<(Vec<ChannelDifference>, &[String])> {
        match &self.source {
            Source::Series(set) => Some((set.channel_differences(labels, k), &set.channel_names)),
            Source::Csv { .. } | Source::Images(_) => None,
        }
    }

    /// The original CSV with `cluster` and `confidence` columns appended; for images,
    /// `file,cluster,confidence` with one row per image; for series,
    /// `series,cluster,confidence`.
    pub fn result_csv(&self, labels: &[u32], confidence: &[f32]) -> Result<Vec<u8>, CsvError> {
        match &self.source {
            Source::Csv { bytes, options } => append_result_columns(
                bytes,
                options,
                self.dataset.kept.as_deref(),
                labels,
                confidence,
            ),
            Source::Images(set) => {
                Ok(image_results_csv(&set.names, labels, confidence).into_bytes())
            }
            Source::Series(set) => Ok(set.results_csv(labels, confidence).into_bytes()),
        }
    }

    /// What sets each of the `k` clusters apart (`labels` of the rows trained on), from the
    /// file's own cells, or for series each channel's level and movement
    /// ([`SeriesSet::profiles`]); `None` for images.
    pub fn profiles(&self, labels: &[u32], k: usize) -> Result<Option<Profiles>, CsvError> {
        if let Source::Series(set) = &self.source {
            return Ok(Some(set.profiles(labels, k)));
        }
        let (Source::Csv { bytes, options }, Some(preparation)) =
            (&self.source, &self.dataset.preparation)
        else {
            return Ok(None);
        };
        let (header, records, delimiter) = read_records(bytes, options)?;
        let width = records.first().map_or(0, |r| r.fields.len());
        let names = column_names(header.as_deref(), width);
        let label = names.iter().position(|n| Some(n) == self.dataset.label_column.as_ref());
        let indices = model_columns(preparation, header.is_some(), &names, label)?;
        let (cells, _) = read_prepared(preparation, &indices, &names, &records, delimiter != b',', &Default::default());
        let all: Vec<u32> = (0..records.len() as u32).collect();
        let rows = self.dataset.kept.as_deref().unwrap_or(&all);
        let cells: Vec<&Cells> = cells.iter().collect();
        Ok(Some(Profiles::new(preparation, &cells, rows, labels, k)))
    }

    /// ACC, NMI and ARI against the known classes, when there are any; rows whose class is
    /// missing are left out of them (they are not a class).
    pub fn scores(&self, labels: &[u32]) -> Option<Scores> {
        let truth = self.dataset.labels.as_ref()?;
        let Some(unknown) = self.dataset.label_names.iter().position(|n| n == MISSING_LABEL) else {
            return Some(Scores::new(truth, labels));
        };
        let (known, kept): (Vec<u32>, Vec<u32>) = truth
            .iter()
            .zip(labels)
            .filter(|(t, _)| **t as usize != unknown)
            .map(|(&t, &l)| (if t as usize > unknown { t - 1 } else { t }, l))
            .unzip();
        (!known.is_empty()).then(|| Scores::new(&known, &kept))
    }

    /// How many classes the label column names, a missing label not counted.
    pub fn classes(&self) -> usize {
        self.dataset.label_names.iter().filter(|n| *n != MISSING_LABEL).count()
    }
}

impl ImageSet {
    /// Decoded pictures: `planes` holds `names.len()` images of `channels × side × side`
    /// bytes, channel-major. Labels come from `labels_csv` (`filename,label`) or from the
    /// folders in `names`, when either names every image.
    pub fn from_pictures(
        planes: Vec<u8>,
        side: usize,
        channels: usize,
        names: Vec<String>,
        labels_csv: Option<&str>,
    ) -> Result<Self, String> {
        if names.is_empty() {
            return Err("none of the files could be read as an image; use PNG, JPEG, WebP, GIF or BMP files".into());
        }
        if planes.len() != names.len() * channels * side * side {
            return Err("image data and names disagree in count".into());
        }
        let mut warnings = Vec::new();
        let (labels, label_names) = match discover_labels(&names, labels_csv) {
            Some((ids, classes, source)) => {
                let from = match source {
                    LabelSource::LabelsCsv => "labels.csv",
                    LabelSource::Folders => "the folder names",
                };
                warnings.push(format!(
                    "{} found in {from}; they are used only to score",
                    if classes.len() == 1 { "1 class".to_string() } else { format!("{} classes", classes.len()) }
                ));
                (Some(ids), classes)
            }
            None => (None, Vec::new()),
        };
        Ok(ImageSet {
            width: side,
            height: side,
            channels,
            pixels: planes,
            names,
            labels,
            label_names,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_without_a_header_is_described_past_its_left_out_columns() {
        // An id column first (left out), then numbers: the made-up names find the columns.
        let mut text = String::new();
        for i in 0..12 {
            text.push_str(&format!("P{i},{}.5,{}\n", i % 3, 10 - i % 3));
        }
        let table = Table::from_csv(text.into_bytes(), CsvOptions::default()).unwrap();
        assert_eq!(table.dataset.feature_names, ["col2", "col3"]);
        let labels: Vec<u32> = (0..12).map(|i| i % 3).collect();
        let profiles = table.profiles(&labels, 3).unwrap().expect("a table is described");
        assert_eq!(profiles.clusters.len(), 3);
    }

    #[test]
    fn a_windows_file_gets_its_results_marked_as_utf8() {
        let table = Table::from_csv(b"Ort;Preis\nK\xF6ln;1,5\nBonn;2,5\nUlm;3\n".to_vec(), CsvOptions::default()).unwrap();
        let csv = String::from_utf8(table.result_csv(&[0, 1, 1], &[1.0, 0.5, 0.25]).unwrap()).unwrap();
        assert!(csv.starts_with("\u{FEFF}Ort;Preis;cluster;confidence\nKöln;1,5;0;1,0000\n"), "{csv}");
    }

    #[test]
    fn a_column_of_marks_reads_its_blanks_as_in_training() {
        let text = "vip,x\nx,1\n,2\n,3\nx,4\nx,5\n,6\n";
        let trained = Table::from_csv(text.as_bytes().to_vec(), CsvOptions::default()).unwrap();
        let options = CsvOptions { prepared: trained.dataset.preparation.clone(), ..CsvOptions::default() };
        let new = Table::from_csv(b"vip,x\n,7\nx,8\n".to_vec(), options).unwrap();
        assert!(new.dataset.warnings.iter().all(|w| !w.contains("filled")), "{:?}", new.dataset.warnings);
        let profiles = trained.profiles(&[0, 1, 1, 0, 0, 1], 2).unwrap().unwrap();
        let text = String::from_utf8(profiles.to_csv()).unwrap();
        assert!(text.contains("vip,(empty)"), "the blanks are a category of the profiles too: {text}");
    }

    #[test]
    fn rows_without_a_class_are_not_scored() {
        let text = "x,class\n1,a\n2,NA\n3,b\n4,a\n5,\n6,b\n";
        let table = Table::from_csv(text.as_bytes().to_vec(), CsvOptions::default()).unwrap();
        assert_eq!((table.dataset.label_names.len(), table.classes()), (3, 2));
        // The known rows each in their class's cluster; the unlabelled ones anywhere.
        let scores = table.scores(&[0, 1, 1, 0, 0, 1]).unwrap();
        assert_eq!((scores.acc, scores.ari), (1.0, 1.0));
        assert!(table.dataset.warnings.iter().any(|w| w.starts_with("2 rows have no value in the label column \"class\"; they are left out of the scores")));
    }

    #[test]
    fn classes_written_in_other_letters_are_one_class() {
        let text = "x,class\n1,Setosa\n2,setosa\n3,Virginica\n4,SETOSA\n5,virginica\n";
        let table = Table::from_csv(text.as_bytes().to_vec(), CsvOptions::default()).unwrap();
        assert_eq!(table.dataset.label_names, ["Setosa", "Virginica"]);
        let scores = table.scores(&[0, 0, 1, 0, 1]).unwrap();
        assert_eq!((scores.acc, scores.ari), (1.0, 1.0));
    }
}
