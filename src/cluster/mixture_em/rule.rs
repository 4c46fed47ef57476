//! The neural mixture's rule: components σ(cos(z, w_k)/τ) with mixing weights π; the label is
//! the largest responsibility, which is also the confidence.

use std::any::Any;

use super::HostMixture;
use crate::cluster::argmax_rows;
use crate::train::{Assignment, ClusterRule, Header, ModelFileError, RuleReader, join};

impl ClusterRule for HostMixture {
    fn n_clusters(&self, _dim: usize) -> usize {
        HostMixture::n_clusters(self)
    }

    fn assign(&self, z: &[f32], _dim: usize) -> (Vec<u32>, Vec<f32>) {
        argmax_rows(&self.posterior(z), HostMixture::n_clusters(self))
    }

    fn header_lines(&self) -> Vec<(&'static str, String)> {
        vec![
            ("assignment", format!("neural-mixture {}", self.temperature)),
            ("centre", join(&self.centre)),
            ("components", join(&self.directions)),
            ("log_prior", join(&self.log_prior)),
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
    tag: "neural-mixture",
    read: read_neural_mixture,
};

fn read_neural_mixture(
    args: &[&str],
    h: &Header,
    dim: usize,
) -> Result<Assignment, ModelFileError> {
    let [temperature] = args else {
        return Err(h.bad_assignment());
    };
    let components = h.rows_of("components", dim)?;
    let log_prior = h.list("log_prior", Some(components.len() / dim))?;
    Ok(Box::new(HostMixture {
        centre: h.list("centre", Some(dim))?,
        directions: components,
        log_prior,
        temperature: temperature
            .parse()
            .ok()
            .filter(|t: &f32| *t > 0.0)
            .ok_or_else(|| h.bad_assignment())?,
    }))
}
