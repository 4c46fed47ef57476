//! The Student-t rule: each row goes to its nearest centre, with max_j q_ij as its confidence.
//! DEC, IDEC, DCEC, the hard-regularised method, k-means and DeepCluster (on unit-length
//! embeddings) end with it.

use std::any::Any;

use super::soft_assignment;
use crate::cluster::{argmax_rows, l2_normalise};
use crate::train::{Assignment, ClusterRule, Header, ModelFileError, RuleReader, join};

#[derive(Debug, Clone, PartialEq)]
pub struct StudentT {
    /// Row-major `k × dim`.
    pub centroids: Vec<f32>,
    pub alpha: f32,
    /// Whether rows are scaled to unit length first (DeepCluster's k-means runs there).
    pub normalise: bool,
}

impl StudentT {
    pub fn boxed(centroids: Vec<f32>, alpha: f32, normalise: bool) -> Assignment {
        Box::new(Self {
            centroids,
            alpha,
            normalise,
        })
    }
}

impl ClusterRule for StudentT {
    fn n_clusters(&self, dim: usize) -> usize {
        self.centroids.len() / dim.max(1)
    }

    fn assign(&self, z: &[f32], dim: usize) -> (Vec<u32>, Vec<f32>) {
        let q = if self.normalise {
            soft_assignment(&l2_normalise(z, dim), &self.centroids, dim, self.alpha)
        } else {
            soft_assignment(z, &self.centroids, dim, self.alpha)
        };
        argmax_rows(&q, self.n_clusters(dim))
    }

    /// Centres on the unit sphere are not drawn: the picture is of the embedding itself.
    fn plot_centres(&self) -> Option<Vec<f32>> {
        (!self.normalise).then(|| self.centroids.clone())
    }

    fn header_lines(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "assignment",
                format!("student-t {} {}", self.alpha, self.normalise),
            ),
            ("centroids", join(&self.centroids)),
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
    tag: "student-t",
    read: read_student_t,
};

fn read_student_t(args: &[&str], h: &Header, dim: usize) -> Result<Assignment, ModelFileError> {
    let [alpha, normalise] = args else {
        return Err(h.bad_assignment());
    };
    let centroids = h.rows_of("centroids", dim)?;
    let alpha = alpha.parse().map_err(|_| h.bad_assignment())?;
    Ok(StudentT::boxed(centroids, alpha, *normalise == "true"))
}
