//! The rule that places an embedded row in a cluster, and how a model file keeps it. Each
//! method's folder defines the rules its runs end with (see `MethodDef::rules`); saved
//! models find a rule's reader by the first word of their `assignment` line.

use std::any::Any;
use std::fmt::Debug;

use super::model_file::{Header, ModelFileError};

/// How an embedded row gets its cluster: the rule a method's final labels came from.
pub trait ClusterRule: Debug + Send + Sync + 'static {
    /// Clusters, for rows of `dim` values.
    fn n_clusters(&self, dim: usize) -> usize;

    /// Labels and confidences of row-major `rows × dim` embedded rows.
    fn assign(&self, z: &[f32], dim: usize) -> (Vec<u32>, Vec<f32>);

    /// Centres to draw in the embedding's picture, when the rule has centres there.
    fn plot_centres(&self) -> Option<Vec<f32>> {
        None
    }

    /// The model file's lines for this rule: `("assignment", "<tag> <arguments>")` first, then
    /// the rule's values under keys of its own.
    fn header_lines(&self) -> Vec<(&'static str, String)>;

    fn clone_box(&self) -> Box<dyn ClusterRule>;

    fn as_any(&self) -> &dyn Any;
}

/// A trained model's cluster rule.
pub type Assignment = Box<dyn ClusterRule>;

impl Clone for Box<dyn ClusterRule> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Reads a rule back from a model file: `tag` is the first word of its `assignment` line, and
/// `read` gets the other words, the header, and the width of the space the rule works in.
pub struct RuleReader {
    pub tag: &'static str,
    pub read: fn(args: &[&str], h: &Header, dim: usize) -> Result<Assignment, ModelFileError>,
}

/// Space-separated values joined for a header line.
pub fn join<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}
