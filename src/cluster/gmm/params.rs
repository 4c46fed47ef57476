use thiserror::Error;

/// Shape of each component's covariance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Covariance {
    /// One variance per feature: cheap, and robust when features are many.
    #[default]
    Diagonal,
    /// A full matrix per component: models correlated features, costs O(d²) memory and
    /// O(d³) time per component and iteration.
    Full,
}

impl Covariance {
    pub fn name(self) -> &'static str {
        match self {
            Covariance::Diagonal => "diag",
            Covariance::Full => "full",
        }
    }
}

/// Widest data a full covariance is allowed on: beyond it EM is slow in a browser and the
/// estimates are poor without far more rows than features.
pub const MAX_FULL_COVARIANCE_DIM: usize = 100;

/// Settings as given; [`GmmParams::check`] validates them against the data's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct GmmParams {
    pub n_components: usize,
    pub covariance: Covariance,
    pub max_iter: usize,
    /// Stop when the mean log-likelihood per point improves by less than this.
    pub tol: f64,
    /// Added to every variance so that no component shrinks onto a single point.
    pub reg_covar: f64,
    pub n_init: usize,
    pub seed: u64,
}

impl GmmParams {
    pub fn new(n_components: usize) -> Self {
        Self {
            n_components,
            covariance: Covariance::Diagonal,
            max_iter: 100,
            tol: 1e-3,
            reg_covar: 1e-6,
            n_init: 1,
            seed: 42,
        }
    }
    pub fn covariance(mut self, c: Covariance) -> Self {
        self.covariance = c;
        self
    }
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }
    pub fn n_init(mut self, n: usize) -> Self {
        self.n_init = n;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn check(self, rows: usize, cols: usize) -> Result<GmmValidParams, GmmParamsError> {
        use GmmParamsError::*;
        if self.n_components == 0 {
            return Err(NoComponents);
        }
        if self.n_components > rows {
            return Err(MoreComponentsThanRows {
                n_components: self.n_components,
                rows,
            });
        }
        if cols == 0 {
            return Err(NoFeatures);
        }
        if self.covariance == Covariance::Full && cols > MAX_FULL_COVARIANCE_DIM {
            return Err(FullCovarianceTooWide { cols });
        }
        if self.max_iter == 0 {
            return Err(NoIterations);
        }
        if self.n_init == 0 {
            return Err(NoInit);
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return Err(BadTolerance(self.tol));
        }
        if !(self.reg_covar >= 0.0 && self.reg_covar.is_finite()) {
            return Err(BadRegularisation(self.reg_covar));
        }
        Ok(GmmValidParams(self))
    }
}

/// Settings that passed [`GmmParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct GmmValidParams(GmmParams);

impl std::ops::Deref for GmmValidParams {
    type Target = GmmParams;
    fn deref(&self) -> &GmmParams {
        &self.0
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum GmmParamsError {
    #[error("a Gaussian mixture needs at least 1 component")]
    NoComponents,
    #[error(
        "asked for {n_components} components but the data has only {rows} rows; choose at most {rows}"
    )]
    MoreComponentsThanRows { n_components: usize, rows: usize },
    #[error("the data has no feature columns")]
    NoFeatures,
    #[error(
        "full covariance on {cols} features is too slow and too poorly estimated here (limit {MAX_FULL_COVARIANCE_DIM}); choose diagonal covariance, or cluster the learned embedding instead"
    )]
    FullCovarianceTooWide { cols: usize },
    #[error("max_iter must be at least 1")]
    NoIterations,
    #[error("n_init must be at least 1")]
    NoInit,
    #[error("tol must be a finite number ≥ 0, got {0}")]
    BadTolerance(f64),
    #[error("reg_covar must be a finite number ≥ 0, got {0}")]
    BadRegularisation(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_error() {
        use GmmParamsError::*;
        assert_eq!(GmmParams::new(0).check(5, 2).unwrap_err(), NoComponents);
        assert_eq!(
            GmmParams::new(6).check(5, 2).unwrap_err(),
            MoreComponentsThanRows {
                n_components: 6,
                rows: 5
            }
        );
        assert_eq!(GmmParams::new(2).check(5, 0).unwrap_err(), NoFeatures);
        assert_eq!(
            GmmParams::new(2)
                .covariance(Covariance::Full)
                .check(500, 101)
                .unwrap_err(),
            FullCovarianceTooWide { cols: 101 }
        );
        assert!(GmmParams::new(2).check(500, 101).is_ok());
        assert_eq!(
            GmmParams::new(2).max_iter(0).check(5, 2).unwrap_err(),
            NoIterations
        );
        assert_eq!(GmmParams::new(2).n_init(0).check(5, 2).unwrap_err(), NoInit);
        let mut p = GmmParams::new(2);
        p.tol = -1.0;
        assert_eq!(p.check(5, 2).unwrap_err(), BadTolerance(-1.0));
        let mut p = GmmParams::new(2);
        p.reg_covar = f64::NAN;
        assert!(matches!(p.check(5, 2).unwrap_err(), BadRegularisation(_)));
    }
}
