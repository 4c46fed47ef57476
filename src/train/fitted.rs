//! A trained model on its own: what is needed to place new rows in the clusters found during
//! training, with nothing of the training state. [`super::model_file`] saves and loads it.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};

use super::config::ImageShape;
use super::rule::Assignment;
use super::trainer::{TrainError, read_back};
use crate::cluster::Method;
use crate::data::prepare::Preparation;
use crate::data::series::{SeriesInput, SeriesSet};
use crate::data::{CsvOptions, Table, divide_pixels_by, join_parts};
use crate::model::{Architecture, Autoencoder};
use crate::project::Pca2;
use crate::project::agreement::agreement;
use crate::project::layout::Layout;

/// Rows embedded per forward pass: bounded memory on any data size. Training and prediction
/// use the same chunks so a saved model reproduces its training labels bit for bit.
pub(super) const EMBED_CHUNK: usize = 2048;

/// What the model expects as input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSpec {
    pub cols: usize,
    /// Names of the feature columns (CSV) or pixels.
    pub feature_names: Vec<String>,
    /// How the training table's columns became features (fill values, categories,
    /// scaling); `None` for images (pixels in 0..1).
    pub preparation: Option<Preparation>,
    pub image: Option<ImageShape>,
    /// For images: what the network divides pixels by (see `TrainConfig::pixel_divisor`).
    pub pixel_divisor: Option<f32>,
    /// For series: their shape and how they were scaled.
    pub series: Option<SeriesInput>,
}

/// A trained model: the encoder (when the method has one) and the cluster rule in its
/// embedding.
#[derive(Debug, Clone)]
pub struct FittedModel {
    pub(super) method: Method,
    pub(super) seed: u64,
    pub(super) input: InputSpec,
    pub(super) autoencoder: Option<(Architecture, Autoencoder)>,
    /// N2D's UMAP layout of the autoencoder's embedding, which places new rows.
    pub(super) manifold: Option<Layout>,
    /// The page's 2-D map of the training rows' cluster space, when one was fitted before
    /// saving: new rows land on it too.
    pub(super) map: Option<Layout>,
    pub(super) assignment: Assignment,
    /// The 2-D view of the training embedding shown when the model was trained, so new rows
    /// can be drawn into the same picture. Absent in files saved before it existed.
    pub(super) projection: Option<Pca2>,
    pub(super) device: Device,
}

/// New rows placed by a model.
#[derive(Debug, Clone)]
pub struct Placement {
    pub labels: Vec<u32>,
    pub confidence: Vec<f32>,
    /// Row-major `rows × 2`, in the training plot's coordinates (when the model has them).
    pub xy: Option<Vec<f32>>,
    /// Row-major `rows × 2` on the model's 2-D map (when it has one).
    pub map_xy: Option<Vec<f32>>,
}

impl FittedModel {
    pub fn method(&self) -> Method {
        self.method
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn input(&self) -> &InputSpec {
        &self.input
    }
    pub fn architecture(&self) -> Option<&Architecture> {
        self.autoencoder.as_ref().map(|(a, _)| a)
    }
    pub fn assignment(&self) -> &dyn super::ClusterRule {
        self.assignment.as_ref()
    }
    pub fn projection(&self) -> Option<&Pca2> {
        self.projection.as_ref()
    }

    /// The model's 2-D map of its training rows (row-major `rows × 2`), when it has one.
    pub fn map_coords(&self) -> Option<&[f32]> {
        self.map.as_ref().map(|m| &m.coords[..])
    }

    /// The clusters of the training rows on the model's 2-D map, when it has one.
    pub fn map_labels(&self) -> Option<Vec<u32>> {
        let m = self.map.as_ref()?;
        Some(self.assignment.assign(&m.inputs, m.dim).0)
    }

    /// The same model with `map` (a 2-D layout of the training rows' cluster space) kept in
    /// it; refused when the map is of another space.
    pub fn with_map(self, map: Layout) -> Result<Self, TrainError> {
        if map.dim != self.embedding_dim() || map.out_dim() != 2 {
            return Err(TrainError::Shape {
                rows: map.rows(),
                cols: map.dim,
                len: map.inputs.len(),
            });
        }
        Ok(Self {
            map: Some(map),
            ..self
        })
    }
    pub fn n_clusters(&self) -> usize {
        self.assignment.n_clusters(self.embedding_dim())
    }
    /// Width of the space the clusters live in (N2D: its manifold).
    pub fn embedding_dim(&self) -> usize {
        if let Some(m) = &self.manifold {
            return m.out_dim();
        }
        match &self.autoencoder {
            Some((arch, _)) => arch.embedding_size(),
            None => self.input.cols,
        }
    }

    /// The embedding of row-major `rows × input.cols` features, already scaled as the
    /// training rows were.
    pub async fn embed(&self, features: &[f32], rows: usize) -> Result<Vec<f32>, TrainError> {
        let z = self.network_embedding(features, rows).await?;
        Ok(match &self.manifold {
            Some(m) => m.transform(&z),
            None => z,
        })
    }

    /// The network's embedding of the rows (the features themselves without a network).
    async fn network_embedding(
        &self,
        features: &[f32],
        rows: usize,
    ) -> Result<Vec<f32>, TrainError> {
        self.check_shape(features, rows)?;
        Ok(match &self.autoencoder {
            Some((_, ae)) => {
                let (cols, divisor) = (self.input.cols, self.input.pixel_divisor);
                embed_rows(ae, features, rows, cols, divisor, &self.device).await?
            }
            None => features.to_vec(),
        })
    }

    /// The rows in the space the clusters live in, with their clusters and confidences: for
    /// N2D, how far each row's neighbours among the training rows share its cluster, as
    /// training computed it (the same for a training row where training's neighbours were
    /// exact, up to `project::neighbours::EXACT_LIMIT` rows).
    async fn cluster(
        &self,
        features: &[f32],
        rows: usize,
    ) -> Result<(Vec<f32>, Vec<u32>, Vec<f32>), TrainError> {
        let z = self.network_embedding(features, rows).await?;
        let Some(m) = &self.manifold else {
            let (labels, confidence) = self.assignment.assign(&z, self.embedding_dim());
            return Ok((z, labels, confidence));
        };
        let (y, neighbours) = m.place(&z);
        let (labels, _) = self.assignment.assign(&y, m.out_dim());
        let (reference, _) = self.assignment.assign(&m.coords, m.out_dim());
        let confidence = agreement(&neighbours, &labels, &reference);
        Ok((y, labels, confidence))
    }

    /// The same model with its network's weights in main memory, read asynchronously, so it
    /// can be saved whichever device trained it (see [`super::host_copy`]).
    pub async fn on_host(&self) -> Result<FittedModel, TrainError> {
        let autoencoder = match &self.autoencoder {
            Some((arch, ae)) => Some((
                arch.clone(),
                super::host_copy::autoencoder_on_host(ae, arch).await?,
            )),
            None => None,
        };
        Ok(FittedModel {
            autoencoder,
            device: Device::flex(),
            ..self.clone()
        })
    }

    /// Cluster labels and confidences of new rows (scaled as the training rows were).
    pub async fn predict(
        &self,
        features: &[f32],
        rows: usize,
    ) -> Result<(Vec<u32>, Vec<f32>), TrainError> {
        // Without `place`'s pictures: placing rows on a 2-D map searches every training row.
        let (_, labels, confidence) = self.cluster(features, rows).await?;
        Ok((labels, confidence))
    }

    /// [`predict`](Self::predict), plus where the rows land in the training plot.
    pub async fn place(&self, features: &[f32], rows: usize) -> Result<Placement, TrainError> {
        let (z, labels, confidence) = self.cluster(features, rows).await?;
        let xy = self
            .projection
            .as_ref()
            .filter(|p| p.dim() == self.embedding_dim())
            .map(|p| p.project(&z));
        let map_xy = self.map.as_ref().map(|m| m.transform(&z));
        Ok(Placement {
            labels,
            confidence,
            xy,
            map_xy,
        })
    }

    /// New rows for this model from CSV bytes, prepared as the training rows were: its
    /// columns found by name (in order, without a header), missing cells filled with the
    /// training values, categories it never saw noted in the table's warnings. A label column
    /// is found by the same rule as in training.
    pub fn csv_table(&self, bytes: Vec<u8>) -> Result<Table, String> {
        Table::from_csv(bytes, self.table_options()?).map_err(|e| e.to_string())
    }

    /// New rows from the parts of one table (`X_test.txt` with `y_test.txt`), joined as in
    /// training ([`join_parts`]), then read as [`FittedModel::csv_table`] reads one file.
    pub fn parts_table(&self, files: &[(String, Vec<u8>)]) -> Result<Table, String> {
        let options = self.table_options()?;
        let joined = join_parts(files).map_err(|e| e.to_string())?;
        let parse = joined.parse(options).map_err(|e| e.to_string())?;
        Table::from_parse(parse).map_err(|e| e.to_string())
    }

    /// How new rows are read for this model: with its training file's preparation.
    fn table_options(&self) -> Result<CsvOptions, String> {
        if self.input.series.is_some() {
            return Err("this model was trained on time series; give it .ts files or CSV files of series".into());
        }
        let Some(preparation) = &self.input.preparation else {
            return Err("this model was trained on images; give it images of the same kind".into());
        };
        Ok(CsvOptions {
            prepared: Some(preparation.clone()),
            ..CsvOptions::default()
        })
    }

    /// New series read as the training series were (length, scaling); refused for a model
    /// trained on anything else.
    pub fn series_table(&self, set: SeriesSet) -> Result<Table, String> {
        let Some(input) = &self.input.series else {
            return Err("this model was not trained on time series; give it the kind of data it was trained on".into());
        };
        set.read_as(input).map(Table::from_series).map_err(|e| e.to_string())
    }

    fn check_shape(&self, features: &[f32], rows: usize) -> Result<(), TrainError> {
        if features.len() != rows * self.input.cols {
            return Err(TrainError::Shape {
                rows,
                cols: self.input.cols,
                len: features.len(),
            });
        }
        Ok(())
    }
}

/// Encodes every row in chunks of [`EMBED_CHUNK`] and reads the result back in one transfer.
/// Image rows are divided by `pixel_divisor` chunk by chunk, never copied whole.
pub(super) async fn embed_rows(
    ae: &Autoencoder,
    features: &[f32],
    rows: usize,
    cols: usize,
    pixel_divisor: Option<f32>,
    device: &Device,
) -> Result<Vec<f32>, TrainError> {
    match encode_untracked(ae, features, rows, cols, pixel_divisor, device) {
        Some(z) => read_back(z).await,
        None => Ok(Vec::new()),
    }
}

/// `[rows, embedding]`, or `None` for no rows.
///
/// Runs a validation copy of the model on the plain device: on the autodiff device every chunk
/// recorded its activations for a backward pass that never comes, and they stayed alive until
/// the next training step's backward freed the graph. On a large image set that was nearly
/// all of wasm32's address space during k-means initialisation (measurements:
/// docs/DECISIONS.md, "Embedding every row without autodiff").
fn encode_untracked(
    ae: &Autoencoder,
    features: &[f32],
    rows: usize,
    cols: usize,
    pixel_divisor: Option<f32>,
    device: &Device,
) -> Option<Tensor<2>> {
    let ae = ae.valid();
    let device = &device.clone().without_autodiff();
    let parts: Vec<Tensor<2>> = (0..rows)
        .step_by(EMBED_CHUNK)
        .map(|start| {
            let end = (start + EMBED_CHUNK).min(rows);
            let mut chunk = features[start * cols..end * cols].to_vec();
            if let Some(d) = pixel_divisor {
                divide_pixels_by(&mut chunk, d);
            }
            let x = Tensor::<2>::from_data(TensorData::new(chunk, [end - start, cols]), device);
            ae.encode(x)
        })
        .collect();
    (!parts.is_empty()).then(|| Tensor::cat(parts, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn the_embedding_pass_leaves_no_graph_and_changes_nothing() {
        let arch = Architecture::Dense(vec![3, 4, 2]);
        let device = Device::flex().autodiff();
        let ae = arch.init(&device, &mut Rng::new(3));
        // More than one chunk, the last one short.
        let rows = EMBED_CHUNK + 5;
        let x: Vec<f32> = (0..rows * 3)
            .map(|i| (i % 11) as f32 / 11.0 - 0.5)
            .collect();

        let z = encode_untracked(&ae, &x, rows, 3, None, &device).unwrap();
        assert!(
            !z.is_autodiff(),
            "the embedding pass ran on the autodiff device"
        );
        assert_eq!(z.dims(), [rows, 2]);

        // Same numbers as the training model's own forward pass, row for row.
        let direct = ae.encode(Tensor::<2>::from_data(
            TensorData::new(x, [rows, 3]),
            &device,
        ));
        let (a, b) = (z.into_data(), direct.into_data());
        assert_eq!(a.as_slice::<f32>().unwrap(), b.as_slice::<f32>().unwrap());

        // The training model is untouched: its forward pass is still recorded for backward.
        assert!(ae.encode(Tensor::<2>::ones([1, 3], &device)).is_tracked());
        assert!(encode_untracked(&ae, &[], 0, 3, None, &device).is_none());
    }
}
