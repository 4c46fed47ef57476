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

impl Dataset {
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.cols..(i + 1) * self.cols]
    }
}
