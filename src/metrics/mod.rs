//! Clustering scores against known classes. Labels are only ever used here, to score.

mod accuracy;
mod contingency;
mod silhouette;
#[cfg(test)]
mod sklearn_reference;

pub use accuracy::accuracy;
pub use contingency::{
    NmiAverage, adjusted_rand_index, confusion_matrix, normalized_mutual_info,
    normalized_mutual_info_with,
};
pub use silhouette::silhouette_score;

/// ACC, NMI (arithmetic mean) and ARI together, the three numbers every table reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub acc: f64,
    pub nmi: f64,
    pub ari: f64,
}

impl Scores {
    pub fn new(truth: &[u32], predicted: &[u32]) -> Self {
        Self {
            acc: accuracy(truth, predicted),
            nmi: normalized_mutual_info(truth, predicted),
            ari: adjusted_rand_index(truth, predicted),
        }
    }
}
