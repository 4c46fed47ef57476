//! Training settings for every method: what the user may set, checked before any work starts.

use thiserror::Error;

use super::method_api::DataShape;
use crate::cluster::gmm::{Covariance, GmmParamsError};
use crate::cluster::{FeatureSpace, Method};
use crate::data::{PIXEL_MAX, Table};
use crate::model::{Architecture, MIN_SIDE};

/// Square images as rows: `channels × side × side` features per row, channel-major.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageShape {
    pub channels: usize,
    pub side: usize,
}

/// Series as rows: `channels × length` features per row, channel-major.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesShape {
    pub channels: usize,
    pub length: usize,
}

/// The network series train: convolutions along time, pooled over it or in time order
/// ([`TrainConfig::for_table`] picks by [`crate::data::series::alignment`]), or a recurrent
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesNetwork {
    /// Convolutions along time, pooled over it ([`crate::model::Conv1dAutoencoder`]): a
    /// pattern counts wherever it happens.
    #[default]
    Conv,
    /// The same convolutions, their maps kept in time order: for series that line up.
    ConvAligned,
    /// A GRU encoder and decoder, as DISC ([`crate::model::GruAutoencoder`]).
    Gru,
}

impl SeriesNetwork {
    pub const ALL: [Self; 3] = [Self::Conv, Self::ConvAligned, Self::Gru];

    pub fn name(self) -> &'static str {
        match self {
            Self::Conv => "conv",
            Self::ConvAligned => "conv-aligned",
            Self::Gru => "gru",
        }
    }

    /// What automatic trains on series that do (`true`) or do not line up in time.
    pub fn automatic(aligned: bool) -> Self {
        if aligned { Self::ConvAligned } else { Self::Conv }
    }

    /// A name from [`Self::name`]; "auto" and anything else are `None` (the data decides).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.name() == name)
    }
}

/// How the refinement phase moves the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefineOptimizer {
    /// SGD with momentum 0.9, as in the DEC, IDEC and DeepCluster papers.
    Sgd,
    /// Adam, as in the G-CEALS and hard-regularisation papers' code.
    Adam,
}

/// Settings as given. [`TrainConfig::for_data`] picks defaults that scale with the data and
/// suit the method; [`TrainConfig::check`] validates them.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    pub method: Method,
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
    /// DEC and IDEC stop when fewer than this fraction of points change cluster between
    /// target updates (the paper's 0.1 %); the other methods run their epochs.
    pub tol: f32,
    /// k-means restarts in the embedding when choosing initial centres (the paper uses 20).
    pub n_init: usize,
    pub seed: u64,
    pub refine_optimizer: RefineOptimizer,
    /// Weight of the clustering loss next to reconstruction (IDEC, G-CEALS, the neural
    /// mixture: 0.1).
    pub gamma: f32,
    /// The neural mixture's τ: its components are σ((cosine − 1) / τ).
    pub temperature: f32,
    /// The neural mixture's M-step weighs every component by its responsibility (soft EM)
    /// instead of taking the most responsible one (classification EM, the default; see
    /// `cluster::mixture_em`).
    pub soft_em: bool,
    /// The neural mixture on images adds the paper's consistency term: shifted, noisy copies
    /// of each batch must fall in the clusters of the originals.
    pub consistency: bool,
    /// N2D: neighbours per row in UMAP's graph (the paper's 20; for images, fewer when the
    /// clusters are small: see [`crate::cluster::n2d::image_neighbours`]).
    pub neighbours: usize,
    /// Covariance of the Gaussian-mixture baseline.
    pub covariance: Covariance,
    /// What the k-means and Gaussian-mixture baselines cluster.
    pub space: FeatureSpace,
    /// Set when the rows are images; DCEC needs it for its convolutions.
    pub image: Option<ImageShape>,
    /// Set when the rows are series: every autoencoder method then trains `series_network`.
    pub series: Option<SeriesShape>,
    pub series_network: SeriesNetwork,
    /// Images reach the network as pixel / `pixel_divisor`: 255 puts them in 0..1 (DEC,
    /// DCEC); IDEC's authors divide MNIST by 50, and IDEC here by the images' RMS pixel
    /// (see [`TrainConfig::for_table`]). Ignored for tables, whose columns are standardised.
    pub pixel_divisor: f32,
}

/// Whether defaults use the DEC paper's d-500-500-2000-10 network: enough rows to train it
/// and enough columns to be worth compressing.
fn papers_network(rows: usize, cols: usize) -> bool {
    rows >= 5_000 && cols >= 64
}

/// Small tables still get several updates per epoch: one full batch per epoch learns a far
/// worse embedding in the same number of epochs.
fn default_batch_size(rows: usize) -> usize {
    (rows / 6).clamp(16, 256).min(rows.max(1))
}

impl TrainConfig {
    /// Defaults sized for `rows × cols` data: the paper's d-500-500-2000-10 network for large
    /// high-dimensional sets, a small network for small tables, where the big one would only
    /// overfit and be slow in a browser. The method then adjusts them
    /// ([`crate::train::Algorithm::defaults`]).
    pub fn for_data(method: Method, n_clusters: usize, rows: usize, cols: usize) -> Self {
        Self::build(method, n_clusters, rows, cols, None, None)
    }

    fn build(
        method: Method,
        n_clusters: usize,
        rows: usize,
        cols: usize,
        image: Option<ImageShape>,
        series: Option<SeriesShape>,
    ) -> Self {
        let data = Self::shape(n_clusters, rows, cols, image, series);
        let dims = if data.papers_network {
            vec![cols, 500, 500, 2000, 10]
        } else {
            let hidden = (2 * cols).next_multiple_of(8).clamp(16, 256);
            let latent = cols.saturating_sub(1).clamp(2, 10);
            vec![cols, hidden, hidden, latent]
        };
        let mut config = Self {
            method,
            n_clusters,
            dims,
            alpha: 1.0,
            batch_size: default_batch_size(rows),
            // ~4000 Adam steps, within [10, 300] epochs: long enough to learn a useful
            // embedding, short enough for a browser tab.
            pretrain_epochs: (4000 / data.batches).clamp(10, 300),
            corruption: 0.2,
            pretrain_lr: 1e-3,
            refine_epochs: (10_000 / data.batches).clamp(5, 200),
            refine_optimizer: RefineOptimizer::Sgd,
            refine_lr: 0.01,
            // DEC's T, for the methods that update targets every T batches.
            update_interval: data.batches.min(140),
            tol: 0.001,
            n_init: 20,
            seed: 42,
            gamma: 0.1,
            temperature: 0.1,
            soft_em: false,
            consistency: false,
            neighbours: 20,
            covariance: Covariance::Diagonal,
            space: FeatureSpace::Raw,
            image,
            series,
            series_network: SeriesNetwork::default(),
            pixel_divisor: PIXEL_MAX,
        };
        method.algorithm().defaults(&mut config, &data);
        config
    }

    /// What the defaults of `rows × cols` data are chosen from.
    fn shape(
        n_clusters: usize,
        rows: usize,
        cols: usize,
        image: Option<ImageShape>,
        series: Option<SeriesShape>,
    ) -> DataShape {
        DataShape {
            rows,
            cols,
            n_clusters,
            image,
            series,
            batches: rows.div_ceil(default_batch_size(rows)).max(1),
            papers_network: papers_network(rows, cols),
        }
    }

    /// Defaults for `rows` images of `shape`: the methods see the flattened pixels, except
    /// those that use the shape (convolutions). Defaults that depend on the pixels themselves
    /// are set by [`TrainConfig::for_table`].
    pub fn for_images(method: Method, n_clusters: usize, rows: usize, shape: ImageShape) -> Self {
        let cols = shape.channels * shape.side * shape.side;
        Self::build(method, n_clusters, rows, cols, Some(shape), None)
    }

    /// Defaults for `rows` series of `shape`: every autoencoder method convolves along time
    /// ([`Self::default_architecture`]).
    pub fn for_series(method: Method, n_clusters: usize, rows: usize, shape: SeriesShape) -> Self {
        let cols = shape.channels * shape.length;
        Self::build(method, n_clusters, rows, cols, None, Some(shape))
    }

    /// Defaults for a loaded file, images or table: what the browser and the command line
    /// both start from.
    pub fn for_table(method: Method, n_clusters: usize, table: &Table) -> Self {
        let d = &table.dataset;
        match table.image_shape() {
            Some((channels, side)) => {
                let shape = ImageShape { channels, side };
                let mut config = Self::for_images(method, n_clusters, d.rows, shape);
                let data = Self::shape(n_clusters, d.rows, d.cols, Some(shape), None);
                method
                    .algorithm()
                    .pixel_defaults(&mut config, &data, &d.features);
                config
            }
            None => match table.series_shape() {
                Some((channels, length)) => {
                    let mut config = Self::for_series(
                        method,
                        n_clusters,
                        d.rows,
                        SeriesShape { channels, length },
                    );
                    if let Some(aligned) = table.series_aligned() {
                        config.series_network = SeriesNetwork::automatic(aligned);
                    }
                    config
                }
                None => Self::for_data(method, n_clusters, d.rows, d.cols),
            },
        }
    }

    /// The network a method trains unless it has its own: along time for series, fully
    /// connected on anything else.
    pub fn default_architecture(&self) -> Architecture {
        let embedding = *self.dims.last().expect("checked: at least 2 sizes");
        match (self.series, self.series_network) {
            (Some(SeriesShape { channels, length }), SeriesNetwork::Conv | SeriesNetwork::ConvAligned) => {
                Architecture::Conv1d {
                    channels,
                    length,
                    embedding,
                    pooled: self.series_network == SeriesNetwork::Conv,
                }
            }
            (Some(SeriesShape { channels, length }), SeriesNetwork::Gru) => Architecture::Gru {
                channels,
                length,
                embedding,
            },
            (None, _) => Architecture::Dense(self.dims.clone()),
        }
    }

    /// The autoencoder this configuration trains.
    pub fn architecture(&self) -> Architecture {
        self.method.algorithm().architecture(self)
    }

    /// Whether the method pretrains an autoencoder (every deep method, and the baselines when
    /// they cluster its embedding).
    pub fn pretrains(&self) -> bool {
        self.method.algorithm().pretrains(self)
    }

    /// Whether a baseline clusters an autoencoder's embedding rather than the columns.
    pub fn clusters_embedding(&self) -> bool {
        self.space == FeatureSpace::Embedding
    }

    pub fn check(self, rows: usize, cols: usize) -> Result<ValidTrainConfig, ConfigError> {
        use ConfigError::*;
        if self.n_clusters < 2 {
            return Err(TooFewClusters(self.n_clusters));
        }
        if self.n_clusters > rows {
            let items = match (&self.image, &self.series) {
                (Some(_), _) => "images",
                (_, Some(_)) => "series",
                _ => "rows",
            };
            return Err(MoreClustersThanRows {
                n_clusters: self.n_clusters,
                rows,
                items,
            });
        }
        if self.dims.len() < 2 {
            return Err(TooFewLayers);
        }
        if self.dims[0] != cols {
            return Err(InputSizeMismatch {
                first: self.dims[0],
                cols,
            });
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
        if self.pretrain_epochs == 0 && self.pretrains() {
            return Err(NoPretraining);
        }
        for (name, lr) in [
            ("pretrain_lr", self.pretrain_lr),
            ("refine_lr", self.refine_lr),
        ] {
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
        if !(self.gamma > 0.0 && self.gamma.is_finite()) {
            return Err(BadGamma(self.gamma));
        }
        if !(self.temperature > 0.0 && self.temperature.is_finite()) {
            return Err(BadTemperature(self.temperature));
        }
        if self.neighbours < 2 {
            return Err(TooFewNeighbours(self.neighbours));
        }
        if !(self.pixel_divisor > 0.0 && self.pixel_divisor.is_finite()) {
            return Err(BadPixelDivisor(self.pixel_divisor));
        }
        if let Some(ImageShape { channels, side }) = self.image
            && channels * side * side != cols
        {
            return Err(ImageShapeMismatch {
                channels,
                side,
                cols,
            });
        }
        if let Some(SeriesShape { channels, length }) = self.series
            && channels * length != cols
        {
            return Err(SeriesShapeMismatch {
                channels,
                length,
                cols,
            });
        }
        self.method.algorithm().check(&self, rows, cols)?;
        Ok(ValidTrainConfig(self))
    }
}

/// Settings that passed [`TrainConfig::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTrainConfig(TrainConfig);

impl std::ops::Deref for ValidTrainConfig {
    type Target = TrainConfig;
    fn deref(&self) -> &TrainConfig {
        &self.0
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error("k = {0}: choose at least 2 clusters")]
    TooFewClusters(usize),
    #[error(
        "k = {n_clusters} is more clusters than the {rows} {items} in the data; choose k ≤ {rows}"
    )]
    MoreClustersThanRows {
        n_clusters: usize,
        rows: usize,
        /// What the data's rows are: `rows`, `images` or `series`.
        items: &'static str,
    },
    #[error("the network needs at least an input and an embedding size, e.g. 784,500,500,2000,10")]
    TooFewLayers,
    #[error(
        "the network's first layer has {first} inputs but the data has {cols} columns; start the layer sizes with {cols}"
    )]
    InputSizeMismatch { first: usize, cols: usize },
    #[error("layer {0} has size 0; every layer needs at least one unit")]
    EmptyLayer(usize),
    #[error("alpha must be a positive number (the paper uses 1), got {0}")]
    BadAlpha(f32),
    #[error("batch size must be at least 1")]
    ZeroBatch,
    #[error(
        "Pretraining epochs must be at least 1; leave the field empty for the default sized to the data"
    )]
    NoPretraining,
    #[error("{name} must be a positive number, got {value}")]
    BadLearningRate { name: &'static str, value: f64 },
    #[error(
        "corruption is the share of inputs hidden during pretraining and must be in [0, 1), got {0}"
    )]
    BadCorruption(f32),
    #[error("the target update interval must be at least 1 batch")]
    ZeroUpdateInterval,
    #[error("tol is a fraction of points and must be in [0, 1), got {0}")]
    BadTol(f32),
    #[error("n_init must be at least 1")]
    ZeroInit,
    #[error(
        "the clustering weight γ weighs the clustering loss against reconstruction and must be a positive number (the papers use 0.1), got {0}"
    )]
    BadGamma(f32),
    #[error(
        "the temperature τ sharpens the neural mixture's components and must be a positive number (0.1 by default), got {0}"
    )]
    BadTemperature(f32),
    #[error(
        "Neighbours per point: N2D's graph needs at least 2 neighbours per row (its paper uses 20; 5 to 10 suit classes that are thin sequences of views), got {0}"
    )]
    TooFewNeighbours(usize),
    #[error(
        "Divide pixels by (the pixel divisor) must be a positive number (255 puts pixels in 0 to 1; IDEC's authors use 50), got {0}"
    )]
    BadPixelDivisor(f32),
    #[error(transparent)]
    Gmm(#[from] GmmParamsError),
    #[error(
        "{method} clusters images with convolutions; drop a folder of images or MNIST-style IDX files, or choose another method for a table"
    )]
    NeedsImages { method: &'static str },
    #[error(
        "images of {side}×{side} pixels are too small for {method}'s three stride-2 convolutions; choose an image size of at least {MIN_SIDE}"
    )]
    ImageTooSmall { method: &'static str, side: usize },
    #[error("{channels} channels × {length} points make {} values but the rows have {cols}", channels * length)]
    SeriesShapeMismatch {
        channels: usize,
        length: usize,
        cols: usize,
    },
    #[error("{channels}×{side}×{side} images have {} values but the rows have {cols}", channels * side * side)]
    ImageShapeMismatch {
        channels: usize,
        side: usize,
        cols: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n2d_neighbours_are_the_papers_for_tables_and_sized_for_small_image_clusters() {
        let shape = ImageShape {
            channels: 1,
            side: 64,
        };
        assert_eq!(TrainConfig::for_data(Method::N2d, 3, 150, 4).neighbours, 20);
        assert_eq!(
            TrainConfig::for_images(Method::N2d, 20, 1_440, shape).neighbours,
            5
        );
        assert_eq!(
            TrainConfig::for_images(Method::N2d, 10, 70_000, shape).neighbours,
            20
        );
    }

    #[test]
    fn defaults_scale_with_the_data() {
        assert_eq!(
            TrainConfig::for_data(Method::Dec, 10, 70_000, 784).dims,
            [784, 500, 500, 2000, 10]
        );
        let iris = TrainConfig::for_data(Method::Dec, 3, 150, 4);
        assert_eq!(iris.dims, [4, 16, 16, 3]);
        assert_eq!(iris.batch_size, 25);
        assert_eq!(TrainConfig::for_data(Method::Dec, 2, 10, 3).batch_size, 10);
        assert_eq!(
            TrainConfig::for_data(Method::Dec, 10, 70_000, 784).batch_size,
            256
        );
        assert!(iris.clone().check(150, 4).is_ok());
    }

    #[test]
    fn idec_pretrains_the_papers_network_plainly_and_longer() {
        let pretraining = |method, rows, cols| {
            let c = TrainConfig::for_data(method, 10, rows, cols);
            (c.pretrain_epochs, c.corruption)
        };
        assert_eq!(pretraining(Method::Dec, 70_000, 784), (14, 0.2));
        assert_eq!(pretraining(Method::Idec, 70_000, 784), (50, 0.0));
        // Very large data keeps at least ten passes rather than an endless run.
        assert_eq!(pretraining(Method::Idec, 1_000_000, 784), (10, 0.0));
        // The small networks keep DEC's recipe.
        for (rows, cols) in [(2_000, 784), (150, 4), (70_000, 20)] {
            assert_eq!(
                pretraining(Method::Idec, rows, cols),
                pretraining(Method::Dec, rows, cols)
            );
        }
    }

    #[test]
    fn idec_scales_images_to_unit_mean_square_on_the_papers_network_only() {
        use crate::data::ImageSet;
        // `rows` 8 × 8 images, every pixel 90 but the first image's first, 0.
        let divisor = |method, rows: usize| {
            let mut pixels = vec![90u8; rows * 64];
            pixels[0] = 0;
            let set = ImageSet {
                width: 8,
                height: 8,
                channels: 1,
                pixels,
                names: (0..rows).map(|i| format!("image {i}")).collect(),
                labels: None,
                label_names: Vec::new(),
                warnings: Vec::new(),
            };
            TrainConfig::for_table(method, 10, &Table::from_images(set)).pixel_divisor
        };
        // √(90² · (1 − 1/320,000)) = 89.99986: 90.00 to hundredths.
        assert_eq!(divisor(Method::Idec, 5_000), 90.0);
        assert_eq!(divisor(Method::Dec, 5_000), PIXEL_MAX);
        assert_eq!(divisor(Method::Idec, 4_999), PIXEL_MAX);
        assert_eq!(
            TrainConfig::for_data(Method::Idec, 10, 70_000, 784).pixel_divisor,
            PIXEL_MAX
        );
    }

    #[test]
    fn each_rule_has_its_error() {
        let ok = TrainConfig::for_data(Method::Dec, 3, 100, 5);
        let bad = |f: &dyn Fn(&mut TrainConfig)| {
            let mut c = ok.clone();
            f(&mut c);
            c.check(100, 5).unwrap_err()
        };
        assert_eq!(bad(&|c| c.n_clusters = 1), ConfigError::TooFewClusters(1));
        assert_eq!(
            bad(&|c| c.n_clusters = 101),
            ConfigError::MoreClustersThanRows {
                n_clusters: 101,
                rows: 100,
                items: "rows"
            }
        );
        assert_eq!(bad(&|c| c.dims = vec![5]), ConfigError::TooFewLayers);
        assert_eq!(
            bad(&|c| c.dims[0] = 6),
            ConfigError::InputSizeMismatch { first: 6, cols: 5 }
        );
        assert_eq!(bad(&|c| c.dims[1] = 0), ConfigError::EmptyLayer(1));
        assert_eq!(bad(&|c| c.alpha = 0.0), ConfigError::BadAlpha(0.0));
        assert_eq!(bad(&|c| c.batch_size = 0), ConfigError::ZeroBatch);
        assert_eq!(bad(&|c| c.pretrain_epochs = 0), ConfigError::NoPretraining);
        assert!(matches!(
            bad(&|c| c.refine_lr = -1.0),
            ConfigError::BadLearningRate {
                name: "refine_lr",
                ..
            }
        ));
        assert_eq!(
            bad(&|c| c.corruption = 1.0),
            ConfigError::BadCorruption(1.0)
        );
        assert_eq!(
            bad(&|c| c.update_interval = 0),
            ConfigError::ZeroUpdateInterval
        );
        assert_eq!(bad(&|c| c.tol = 1.0), ConfigError::BadTol(1.0));
        assert_eq!(bad(&|c| c.n_init = 0), ConfigError::ZeroInit);
        assert_eq!(bad(&|c| c.gamma = 0.0), ConfigError::BadGamma(0.0));
        assert_eq!(
            bad(&|c| c.temperature = -1.0),
            ConfigError::BadTemperature(-1.0)
        );
        assert_eq!(bad(&|c| c.neighbours = 1), ConfigError::TooFewNeighbours(1));
        assert_eq!(
            bad(&|c| c.pixel_divisor = 0.0),
            ConfigError::BadPixelDivisor(0.0)
        );
        assert_eq!(
            bad(&|c| c.method = Method::Dcec),
            ConfigError::NeedsImages { method: "DCEC" }
        );
        let shape = ImageShape {
            channels: 1,
            side: 28,
        };
        assert_eq!(
            bad(&|c| c.image = Some(shape)),
            ConfigError::ImageShapeMismatch {
                channels: 1,
                side: 28,
                cols: 5
            }
        );
        let dcec = TrainConfig::for_images(Method::Dcec, 10, 1000, shape);
        assert!(dcec.clone().check(1000, 784).is_ok());
        assert_eq!(
            dcec.architecture(),
            Architecture::Conv {
                channels: 1,
                side: 28,
                embedding: 10
            }
        );
        let tiny = TrainConfig::for_images(
            Method::Dcec,
            2,
            100,
            ImageShape {
                channels: 1,
                side: 8,
            },
        );
        assert_eq!(
            tiny.check(100, 64).unwrap_err(),
            ConfigError::ImageTooSmall {
                method: "DCEC",
                side: 8
            }
        );
        let wide = TrainConfig {
            method: Method::Gmm,
            covariance: Covariance::Full,
            ..TrainConfig::for_data(Method::Gmm, 3, 500, 200)
        };
        assert_eq!(
            wide.clone().check(500, 200).unwrap_err(),
            ConfigError::Gmm(GmmParamsError::FullCovarianceTooWide { cols: 200 })
        );
        // On the 10-d embedding the same settings are fine.
        assert!(
            TrainConfig {
                space: FeatureSpace::Embedding,
                ..wide
            }
            .check(500, 200)
            .is_ok()
        );
    }
}
