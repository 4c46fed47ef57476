//! DEC settings: what the user may set, checked before any work starts.

use thiserror::Error;

/// Settings as given. [`DecConfig::for_data`] picks defaults that scale with the data;
/// [`DecConfig::check`] validates them.
#[derive(Debug, Clone, PartialEq)]
pub struct DecConfig {
    pub n_clusters: usize,
    /// Encoder layer sizes from input to embedding, e.g. `[784, 500, 500, 2000, 10]`; the
    /// decoder mirrors them.
    pub dims: Vec<usize>,
    /// Degrees of freedom of the Student-t kernel (the paper uses 1).
    pub alpha: f32,
    pub batch_size: usize,
    pub pretrain_epochs: usize,
    /// Share of inputs zeroed during pretraining (the paper's denoising autoencoder uses 0.2).
    pub corruption: f32,
    pub pretrain_lr: f64,
    /// Upper bound on refinement epochs; training usually stops earlier on `tol`.
    pub refine_epochs: usize,
    pub refine_lr: f64,
    /// Batches between target-distribution updates (the paper's T).
    pub update_interval: usize,
    /// Stop when fewer than this fraction of points change cluster between target updates
    /// (the paper's 0.1 %).
    pub tol: f32,
    /// k-means restarts in the embedding when choosing initial centres (the paper uses 20).
    pub n_init: usize,
    pub seed: u64,
}

impl DecConfig {
    /// Defaults sized for `rows × cols` data: the paper's d-500-500-2000-10 network for large
    /// high-dimensional sets, a small network for small tables, where the big one would only
    /// overfit and be slow in a browser.
    pub fn for_data(n_clusters: usize, rows: usize, cols: usize) -> Self {
        let dims = if rows >= 5_000 && cols >= 64 {
            vec![cols, 500, 500, 2000, 10]
        } else {
            let hidden = (2 * cols).next_multiple_of(8).clamp(16, 256);
            let latent = cols.saturating_sub(1).clamp(2, 10);
            vec![cols, hidden, hidden, latent]
        };
        // Small tables still get several updates per epoch: one full batch per epoch learns a
        // far worse embedding in the same number of epochs.
        let batch_size = (rows / 6).clamp(16, 256).min(rows.max(1));
        let batches = rows.div_ceil(batch_size).max(1);
        Self {
            n_clusters,
            dims,
            alpha: 1.0,
            batch_size,
            // ~4000 Adam steps, within [10, 300] epochs: long enough to learn a useful
            // embedding, short enough for a browser tab.
            pretrain_epochs: (4000 / batches).clamp(10, 300),
            corruption: 0.2,
            pretrain_lr: 1e-3,
            refine_epochs: (10_000 / batches).clamp(5, 200),
            refine_lr: 0.01,
            update_interval: batches.min(140),
            tol: 0.001,
            n_init: 20,
            seed: 42,
        }
    }

    pub fn check(self, rows: usize, cols: usize) -> Result<DecValidConfig, DecConfigError> {
        use DecConfigError::*;
        if self.n_clusters < 2 {
            return Err(TooFewClusters(self.n_clusters));
        }
        if self.n_clusters > rows {
            return Err(MoreClustersThanRows { n_clusters: self.n_clusters, rows });
        }
        if self.dims.len() < 2 {
            return Err(TooFewLayers);
        }
        if self.dims[0] != cols {
            return Err(InputSizeMismatch { first: self.dims[0], cols });
        }
        if let Some(i) = self.dims.iter().position(|&d| d == 0) {
            return Err(EmptyLayer(i));
        }
        if !(self.alpha > 0.0 && self.alpha.is_finite()) {
            return Err(BadAlpha(self.alpha));
        }
        if self.batch_size == 0 {
            return Err(ZeroBatch);
        }
        for (name, lr) in [("pretrain_lr", self.pretrain_lr), ("refine_lr", self.refine_lr)] {
            if !(lr > 0.0 && lr.is_finite()) {
                return Err(BadLearningRate { name, value: lr });
            }
        }
        if !(0.0..1.0).contains(&self.corruption) {
            return Err(BadCorruption(self.corruption));
        }
        if self.update_interval == 0 {
            return Err(ZeroUpdateInterval);
        }
        if !(0.0..1.0).contains(&self.tol) {
            return Err(BadTol(self.tol));
        }
        if self.n_init == 0 {
            return Err(ZeroInit);
        }
        Ok(DecValidConfig(self))
    }
}

/// Settings that passed [`DecConfig::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct DecValidConfig(DecConfig);

impl std::ops::Deref for DecValidConfig {
    type Target = DecConfig;
    fn deref(&self) -> &DecConfig {
        &self.0
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum DecConfigError {
    #[error("k = {0}: choose at least 2 clusters")]
    TooFewClusters(usize),
    #[error("k = {n_clusters} is more clusters than the {rows} rows in the data; choose k ≤ {rows}")]
    MoreClustersThanRows { n_clusters: usize, rows: usize },
    #[error("the network needs at least an input and an embedding size, e.g. 784,500,500,2000,10")]
    TooFewLayers,
    #[error("the network's first layer has {first} inputs but the data has {cols} columns; start the layer sizes with {cols}")]
    InputSizeMismatch { first: usize, cols: usize },
    #[error("layer {0} has size 0; every layer needs at least one unit")]
    EmptyLayer(usize),
    #[error("alpha must be a positive number (the paper uses 1), got {0}")]
    BadAlpha(f32),
    #[error("batch size must be at least 1")]
    ZeroBatch,
    #[error("{name} must be a positive number, got {value}")]
    BadLearningRate { name: &'static str, value: f64 },
    #[error("corruption is the share of inputs hidden during pretraining and must be in [0, 1), got {0}")]
    BadCorruption(f32),
    #[error("the target update interval must be at least 1 batch")]
    ZeroUpdateInterval,
    #[error("tol is a fraction of points and must be in [0, 1), got {0}")]
    BadTol(f32),
    #[error("n_init must be at least 1")]
    ZeroInit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_scale_with_the_data() {
        assert_eq!(DecConfig::for_data(10, 70_000, 784).dims, [784, 500, 500, 2000, 10]);
        let iris = DecConfig::for_data(3, 150, 4);
        assert_eq!(iris.dims, [4, 16, 16, 3]);
        assert_eq!(iris.batch_size, 25);
        assert_eq!(DecConfig::for_data(2, 10, 3).batch_size, 10);
        assert_eq!(DecConfig::for_data(10, 70_000, 784).batch_size, 256);
        assert!(iris.clone().check(150, 4).is_ok());
    }

    #[test]
    fn each_rule_has_its_error() {
        let ok = DecConfig::for_data(3, 100, 5);
        let bad = |f: &dyn Fn(&mut DecConfig)| {
            let mut c = ok.clone();
            f(&mut c);
            c.check(100, 5).unwrap_err()
        };
        assert_eq!(bad(&|c| c.n_clusters = 1), DecConfigError::TooFewClusters(1));
        assert_eq!(bad(&|c| c.n_clusters = 101), DecConfigError::MoreClustersThanRows { n_clusters: 101, rows: 100 });
        assert_eq!(bad(&|c| c.dims = vec![5]), DecConfigError::TooFewLayers);
        assert_eq!(bad(&|c| c.dims[0] = 6), DecConfigError::InputSizeMismatch { first: 6, cols: 5 });
        assert_eq!(bad(&|c| c.dims[1] = 0), DecConfigError::EmptyLayer(1));
        assert_eq!(bad(&|c| c.alpha = 0.0), DecConfigError::BadAlpha(0.0));
        assert_eq!(bad(&|c| c.batch_size = 0), DecConfigError::ZeroBatch);
        assert!(matches!(bad(&|c| c.refine_lr = -1.0), DecConfigError::BadLearningRate { name: "refine_lr", .. }));
        assert_eq!(bad(&|c| c.corruption = 1.0), DecConfigError::BadCorruption(1.0));
        assert_eq!(bad(&|c| c.update_interval = 0), DecConfigError::ZeroUpdateInterval);
        assert_eq!(bad(&|c| c.tol = 1.0), DecConfigError::BadTol(1.0));
        assert_eq!(bad(&|c| c.n_init = 0), DecConfigError::ZeroInit);
    }
}
