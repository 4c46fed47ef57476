use std::sync::Arc;

use super::prepare::{ColumnInfo, Preparation};

/// A table of numbers, one row per item, ready for training.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Row-major `rows × cols` features. Shared, not copied, with the trainer: for a large
    /// image set they are most of a browser tab's memory.
    pub features: Arc<Vec<f32>>,
    /// Series padded to one length: 1 where a feature is data, 0 where it is padding, which
    /// the reconstruction loss leaves out. `None`: every feature is data.
    pub valid: Option<Arc<Vec<f32>>>,
    pub rows: usize,
    pub cols: usize,
    /// Names of the feature columns (generated as `col1`… when the file has no header).
    pub feature_names: Vec<String>,
    /// Every column of the file in order (header names, or `col1`… without a header).
    pub columns: Vec<String>,
    /// The column the labels came from.
    pub label_column: Option<String>,
    /// Class ids per row when a label column was chosen; used only to score, never to train.
    pub labels: Option<Vec<u32>>,
    /// `label_names[id]` is the original text of class `id`.
    pub label_names: Vec<String>,
    /// Things the user should know that did not stop loading (skipped columns, constant columns).
    pub warnings: Vec<String>,
    /// How a table's columns became the features; `None` for images (pixels stay pixels).
    pub preparation: Option<Preparation>,
    /// Every column of a table as the columns table shows it (empty for images and for rows
    /// prepared by a saved model).
    pub column_info: Vec<ColumnInfo>,
    /// Data rows in the file (images: the images); `rows` of them are trained on.
    pub file_rows: usize,
    /// The file rows trained on, in order, when rows with missing cells were left out.
    pub kept: Option<Vec<u32>>,
}

/// The rows of a set of whole items (images, series) rather than of a table: their features,
/// `file_column` naming each item in the results, and known classes to score.
pub struct Items {
    pub features: Vec<f32>,
    /// Padded series: 1 where a feature is data, 0 where it is padding.
    pub valid: Option<Vec<f32>>,
    pub cols: usize,
    pub feature_names: Vec<String>,
    pub file_column: &'static str,
    pub labels: Option<Vec<u32>>,
    pub label_names: Vec<String>,
    pub warnings: Vec<String>,
}

impl From<Items> for Dataset {
    /// Every item is a row: nothing prepared, nothing left out.
    fn from(items: Items) -> Self {
        let rows = items.features.len() / items.cols.max(1);
        Dataset {
            features: Arc::new(items.features),
            valid: items.valid.map(Arc::new),
            rows,
            cols: items.cols,
            feature_names: items.feature_names,
            columns: vec![items.file_column.into()],
            label_column: items.labels.as_ref().map(|_| "label".to_string()),
            labels: items.labels,
            label_names: items.label_names,
            warnings: items.warnings,
            preparation: None,
            column_info: Vec::new(),
            file_rows: rows,
            kept: None,
        }
    }
}

impl Dataset {
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.cols..(i + 1) * self.cols]
    }
}
