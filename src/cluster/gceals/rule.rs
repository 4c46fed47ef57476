//! G-CEALS' rule: diagonal Gaussians with equal weights, as its target distribution has.

use std::any::Any;

use super::gaussian_target;
use crate::cluster::argmax_rows;
use crate::train::{Assignment, ClusterRule, Header, ModelFileError, RuleReader, join};

#[derive(Debug, Clone, PartialEq)]
pub struct Gaussians {
    /// Row-major `k × dim`.
    pub means: Vec<f32>,
    pub variance: Vec<f32>,
}

impl ClusterRule for Gaussians {
    fn n_clusters(&self, dim: usize) -> usize {
        self.means.len() / dim.max(1)
    }

    fn assign(&self, z: &[f32], dim: usize) -> (Vec<u32>, Vec<f32>) {
        let p = gaussian_target(z, &self.means, &self.variance, dim);
        argmax_rows(&p, self.n_clusters(dim))
    }

    fn header_lines(&self) -> Vec<(&'static str, String)> {
        vec![
            ("assignment", "gaussian".into()),
            ("means", join(&self.means)),
            ("variance", join(&self.variance)),
        ]
    }

    fn clone_box(&self) -> Assignment {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

pub const READER: RuleReader = RuleReader {
    tag: "gaussian",
    read: read_gaussians,
};

fn read_gaussians(args: &[&str], h: &Header, dim: usize) -> Result<Assignment, ModelFileError> {
    if !args.is_empty() {
        return Err(h.bad_assignment());
    }
    let means = h.rows_of("means", dim)?;
    let variance = h.list("variance", Some(means.len()))?;
    Ok(Box::new(Gaussians { means, variance }))
}
