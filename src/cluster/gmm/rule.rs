//! A fitted mixture as a model's rule: the Gaussian-mixture baseline's and N2D's.

use std::any::Any;

use super::{Covariance, GaussianMixture, MixtureParts};
use crate::cluster::argmax_rows;
use crate::train::{Assignment, ClusterRule, Header, ModelFileError, RuleReader, join};

impl ClusterRule for GaussianMixture {
    fn n_clusters(&self, _dim: usize) -> usize {
        self.n_components()
    }

    fn assign(&self, z: &[f32], _dim: usize) -> (Vec<u32>, Vec<f32>) {
        argmax_rows(&self.predict_proba(z), self.n_components())
    }

    fn plot_centres(&self) -> Option<Vec<f32>> {
        Some(self.parts().means.iter().map(|&m| m as f32).collect())
    }

    fn header_lines(&self) -> Vec<(&'static str, String)> {
        let p = self.parts();
        let cov = match p.covariance {
            Covariance::Diagonal => "diagonal",
            Covariance::Full => "full",
        };
        vec![
            ("assignment", format!("mixture {} {} {cov}", p.k, p.dim)),
            ("weights", join(&p.weights)),
            ("means", join(&p.means)),
            ("spread", join(&p.spread)),
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
    tag: "mixture",
    read: read_mixture,
};

fn read_mixture(args: &[&str], h: &Header, dim: usize) -> Result<Assignment, ModelFileError> {
    let [k, d, cov] = args else {
        return Err(h.bad_assignment());
    };
    let k: usize = k.parse().map_err(|_| h.bad_assignment())?;
    let d: usize = d.parse().map_err(|_| h.bad_assignment())?;
    let covariance = match *cov {
        "diagonal" => Covariance::Diagonal,
        "full" => Covariance::Full,
        _ => return Err(h.bad_assignment()),
    };
    if d != dim {
        return Err(h.bad_assignment());
    }
    let parts = MixtureParts {
        k,
        dim: d,
        weights: h.list("weights", Some(k))?,
        means: h.list("means", Some(k * d))?,
        covariance,
        spread: h.list("spread", None)?,
    };
    GaussianMixture::from_parts(parts)
        .map(|gm| Box::new(gm) as Assignment)
        .ok_or_else(|| h.bad_assignment())
}
