use thiserror::Error;

/// Settings as the user gave them; [`KMeansParams::check`] turns them into settings that can
/// be fitted, so a bad value is reported before any work starts.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    pub n_clusters: usize,
    pub n_init: usize,
    pub max_iter: usize,
    /// Convergence when the squared centre shift, relative to the data's mean variance, falls
    /// below this (scikit-learn's definition).
    pub tol: f64,
    pub seed: u64,
    pub empty_clusters: EmptyClusters,
}

/// What to do when a cluster loses all its points during Lloyd iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmptyClusters {
    /// Move the centre to the point worst served by its own centre (scikit-learn).
    #[default]
    FarthestPoint,
    /// Copy a random non-empty cluster's centre and push the two copies slightly apart, so
    /// that cluster's points split between them (DeepCluster, Caron et al. 2018, via faiss).
    SplitPerturbed,
}

impl KMeansParams {
    pub fn new(n_clusters: usize) -> Self {
        Self {
            n_clusters,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 42,
            empty_clusters: EmptyClusters::FarthestPoint,
        }
    }
    pub fn empty_clusters(mut self, policy: EmptyClusters) -> Self {
        self.empty_clusters = policy;
        self
    }
    pub fn n_init(mut self, n: usize) -> Self {
        self.n_init = n;
        self
    }
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the settings against a data set of `rows` points.
    pub fn check(self, rows: usize) -> Result<KMeansValidParams, KMeansParamsError> {
        if self.n_clusters == 0 {
            return Err(KMeansParamsError::NoClusters);
        }
        if self.n_clusters > rows {
            return Err(KMeansParamsError::MoreClustersThanRows {
                n_clusters: self.n_clusters,
                rows,
            });
        }
        if self.n_init == 0 {
            return Err(KMeansParamsError::NoInit);
        }
        if self.max_iter == 0 {
            return Err(KMeansParamsError::NoIterations);
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return Err(KMeansParamsError::BadTolerance(self.tol));
        }
        Ok(KMeansValidParams(self))
    }
}

/// Settings that passed [`KMeansParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValidParams(pub(super) KMeansParams);

impl std::ops::Deref for KMeansValidParams {
    type Target = KMeansParams;
    fn deref(&self) -> &KMeansParams {
        &self.0
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum KMeansParamsError {
    #[error("the number of clusters must be at least 1")]
    NoClusters,
    #[error(
        "asked for {n_clusters} clusters but the data has only {rows} rows; choose at most {rows} clusters"
    )]
    MoreClustersThanRows { n_clusters: usize, rows: usize },
    #[error("n_init must be at least 1 (it is how many k-means++ starts to try)")]
    NoInit,
    #[error("max_iter must be at least 1")]
    NoIterations,
    #[error("tol must be a finite number ≥ 0, got {0}")]
    BadTolerance(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(
            KMeansParams::new(0).check(5).unwrap_err(),
            KMeansParamsError::NoClusters
        );
        assert_eq!(
            KMeansParams::new(6).check(5).unwrap_err(),
            KMeansParamsError::MoreClustersThanRows {
                n_clusters: 6,
                rows: 5
            }
        );
        assert_eq!(
            KMeansParams::new(2).n_init(0).check(5).unwrap_err(),
            KMeansParamsError::NoInit
        );
        assert_eq!(
            KMeansParams::new(2).max_iter(0).check(5).unwrap_err(),
            KMeansParamsError::NoIterations
        );
        assert!(matches!(
            KMeansParams::new(2).tol(f64::NAN).check(5).unwrap_err(),
            KMeansParamsError::BadTolerance(_)
        ));
        assert!(KMeansParams::new(5).check(5).is_ok());
    }
}
