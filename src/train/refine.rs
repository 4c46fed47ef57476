//! Initialisation and refinement for each method: what differs between them once the
//! autoencoder is pretrained.

use std::sync::Arc;

use burn::optim::{GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::tensor::{Tensor, TensorData};

use super::adam::Adam;
use super::config::{ImageShape, RefineOptimizer};
use super::fitted::Assignment;
use super::trainer::{LossSum, Phase, Stage, TrainError, Trainer, read_back};
use crate::cluster::deepcluster::{DeepClusterModel, l2_normalise, uniform_over_labels};
use crate::cluster::gceals::{self, GcealsModel};
use crate::cluster::gmm::{Covariance, GmmParams};
use crate::cluster::kmeans::{EmptyClusters, KMeansParams};
use crate::cluster::mixture_em::{self, HostMixture, NeuralMixtureModel};
use crate::cluster::{Method, argmax_rows, collapse_warnings, dec, hardreg, idec};
use crate::data::augment::shift_and_noise;
use crate::metrics::accuracy;
use crate::model::AutoencoderWithCentroids;
use crate::project::layout::{LayoutConfig, LayoutFit};

/// N2D's mixture keeps the best of several EM runs: in a manifold of well separated groups a
/// single run still often merges two and splits another.
const GMM_RESTARTS: usize = 10;

/// log p must stay finite in the losses; 1e-12 changes nothing measurable.
const TARGET_FLOOR: f32 = 1e-12;

impl Trainer {
    /// k-means (or the baseline's own clustering) on the embedding of every row.
    pub(super) async fn initialise(&mut self) -> Result<(), TrainError> {
        let z = self.embed_all().await?;
        let dim = self.embedding_dim();
        let k = self.config.n_clusters;
        if self.config.method == Method::Gmm {
            let params = GmmParams::new(k).covariance(self.config.covariance);
            self.labels_from_mixture(params, &z, dim);
            self.embedding = z;
            self.keep_autoencoder_only();
            self.finish();
            return Ok(());
        }
        if self.config.method == Method::N2d {
            let Some(Stage::Pretrain(ae)) = self.stage.take() else {
                unreachable!("N2D pretrains")
            };
            let mut config = LayoutConfig::n2d(k, self.rng.next_u64());
            config.epochs = Some(self.config.refine_epochs);
            config.n_neighbors = self.config.neighbours;
            let fit = LayoutFit::new(&z, self.rows, dim, config);
            self.stage = Some(Stage::Manifold(ae, Box::new(fit)));
            self.embedding = z;
            self.phase = Phase::Refine;
            self.epoch = 0;
            self.cursor = 0;
            return Ok(());
        }
        if self.config.method == Method::MixtureEm {
            let Some(Stage::Pretrain(ae)) = self.stage.take() else {
                unreachable!("the neural mixture pretrains")
            };
            self.centre = mixture_em::mean_row(&z, dim);
            let w = mixture_em::best_spread_directions(
                &z,
                &self.centre,
                self.rows,
                dim,
                k,
                self.config.temperature,
                self.config.n_init,
                &mut self.rng,
            );
            let model = NeuralMixtureModel::new(ae, w, k, &self.device);
            self.start_refinement(Stage::Mixture(model), z);
            return Ok(());
        }
        let km = KMeansParams::new(k)
            .n_init(self.config.n_init)
            .seed(self.rng.next_u64())
            .check(self.rows)
            .expect("k ≤ rows and n_init ≥ 1 were checked with the training settings")
            .fit(&z, self.rows, dim);
        self.warnings.extend(
            km.warnings()
                .iter()
                .map(|w| format!("k-means initialisation: {w}")),
        );
        let centroids = km.centroids().to_vec();
        self.labels = km.labels().to_vec();
        self.confidence = argmax_rows(
            &dec::soft_assignment(&z, &centroids, dim, self.config.alpha),
            k,
        )
        .1;
        if self.config.method == Method::KMeans {
            self.assignment = Some(Assignment::StudentT {
                centroids,
                alpha: self.config.alpha,
                normalise: false,
            });
            self.embedding = z;
            self.keep_autoencoder_only();
            self.finish();
            return Ok(());
        }
        let Some(Stage::Pretrain(ae)) = self.stage.take() else {
            unreachable!("deep methods pretrain")
        };
        let stage = match self.config.method {
            Method::Dec | Method::Idec | Method::Dcec => Stage::Centroids(
                AutoencoderWithCentroids::new(ae, centroids, k, &self.device),
            ),
            Method::HardReg => {
                self.variance = hardreg::within_cluster_variance(&z, &self.labels, &centroids, dim);
                Stage::Centroids(AutoencoderWithCentroids::new(
                    ae,
                    centroids,
                    k,
                    &self.device,
                ))
            }
            Method::Gceals => {
                self.weights = vec![1.0 / k as f32; k];
                // Equal minibatches from the k-means clusters, for the whole run.
                self.balance_labels = Some(self.labels.clone());
                Stage::Gaussian(GcealsModel::new(
                    ae,
                    centroids,
                    k,
                    &self.device,
                    &mut self.rng,
                ))
            }
            Method::DeepCluster => {
                Stage::Classifier(DeepClusterModel::new(ae, k, &self.device, &mut self.rng))
            }
            Method::KMeans | Method::Gmm | Method::N2d | Method::MixtureEm => {
                unreachable!("handled above")
            }
        };
        self.start_refinement(stage, z);
        Ok(())
    }

    fn start_refinement(&mut self, stage: Stage, z: Arc<Vec<f32>>) {
        self.stage = Some(stage);
        self.embedding = z;
        self.optim = self.refine_optimizer();
        self.phase = Phase::Refine;
        self.epoch = 0;
        self.cursor = 0;
        self.since_update = 0;
        self.order = self.epoch_order();
    }

    /// A fresh optimiser of the kind the method refines with.
    pub(super) fn refine_optimizer(&self) -> ModuleOptimizer {
        match self.config.refine_optimizer {
            RefineOptimizer::Sgd => {
                let momentum = MomentumConfig::new().with_momentum(0.9).with_dampening(0.0);
                SgdConfig::new().with_momentum(Some(momentum)).init()
            }
            RefineOptimizer::Adam => Adam::init(),
        }
    }

    /// Row order for a new epoch: shuffled, or balanced over clusters for the methods that
    /// sample that way.
    pub(super) fn epoch_order(&mut self) -> Vec<usize> {
        match (&self.balance_labels, self.phase) {
            (Some(labels), Phase::Refine) => {
                uniform_over_labels(labels, self.config.n_clusters, self.rows, &mut self.rng)
            }
            _ => self.rng.permutation(self.rows),
        }
    }

    fn keep_autoencoder_only(&mut self) {
        let ae = match self.stage.take() {
            Some(Stage::Pretrain(ae)) => Some(ae),
            _ => None,
        };
        self.stage = Some(Stage::Fixed(ae));
    }

    /// N2D's refinement: epochs of the UMAP layout (one per batch asked for); at the end,
    /// the Gaussian mixture in the layout gives the clusters.
    async fn manifold_batches(&mut self, batches: usize) -> Result<f32, TrainError> {
        let Some(Stage::Manifold(_, fit)) = self.stage.as_mut() else {
            unreachable!("N2D refines a manifold")
        };
        let loss = fit.epochs(batches);
        self.epoch = (fit.progress() * self.config.refine_epochs as f32) as usize;
        if fit.done() {
            let (y, k) = self.cluster_space().await?;
            let params = GmmParams::new(k)
                .covariance(Covariance::Full)
                .n_init(GMM_RESTARTS);
            self.labels_from_mixture(params, &y, k);
            self.finish();
        }
        Ok(loss)
    }

    /// Fits a Gaussian mixture (its settings were checked with the training settings) to
    /// row-major `rows × dim` points; its labels, confidences and rule become the result.
    fn labels_from_mixture(&mut self, params: GmmParams, points: &[f32], dim: usize) {
        let gm = params
            .seed(self.rng.next_u64())
            .check(self.rows, dim)
            .expect("checked with the training settings")
            .fit(points, self.rows, dim);
        self.warnings.extend(
            gm.warnings()
                .iter()
                .map(|w| format!("Gaussian mixture: {w}")),
        );
        (self.labels, self.confidence) = argmax_rows(gm.responsibilities(), gm.n_components());
        self.assignment = Some(Assignment::Mixture(gm));
    }

    pub(super) fn finish(&mut self) {
        self.phase = Phase::Done;
        let warnings = collapse_warnings(&self.labels, self.config.n_clusters);
        self.warnings.extend(warnings);
    }

    /// Recomputes whatever the method derives from the whole data set (targets, labels,
    /// pseudo-labels) and returns the share of rows whose cluster changed.
    async fn update(&mut self) -> Result<f32, TrainError> {
        let z = self.embed_all().await?;
        let (k, dim, alpha) = (
            self.config.n_clusters,
            self.embedding_dim(),
            self.config.alpha,
        );
        let previous = std::mem::take(&mut self.labels);
        match self.stage.take().expect("stage is present between steps") {
            Stage::Centroids(model) => {
                let mu = read_back(model.centroids.val()).await;
                self.stage = Some(Stage::Centroids(model));
                let q = dec::soft_assignment(&z, &mu?, dim, alpha);
                if self.config.method != Method::HardReg {
                    self.target = dec::target_distribution(&q, k);
                    self.target
                        .iter_mut()
                        .for_each(|v| *v = v.max(TARGET_FLOOR));
                }
                // For the hard-regularised method too: the Student-t argmax is the nearest
                // centre, and max q reads as a confidence.
                (self.labels, self.confidence) = argmax_rows(&q, k);
            }
            Stage::Gaussian(model) => {
                let mu = read_back(model.means.val()).await;
                let variance = read_back(model.variance()).await;
                self.stage = Some(Stage::Gaussian(model));
                let p = gceals::gaussian_target(&z, &mu?, &variance?, dim);
                // ω stays uniform for the first epoch, as in the authors' code.
                if self.changed.is_some() {
                    self.weights = gceals::cluster_weights(&p, k);
                }
                (self.labels, self.confidence) = argmax_rows(&p, k);
            }
            Stage::Classifier(model) => {
                let zn = l2_normalise(&z, dim);
                let km = KMeansParams::new(k)
                    .n_init(self.config.n_init.min(3))
                    .empty_clusters(EmptyClusters::SplitPerturbed)
                    .seed(self.rng.next_u64())
                    .check(self.rows)
                    .expect("k ≤ rows was checked")
                    .fit(&zn, self.rows, dim);
                self.labels = km.labels().to_vec();
                self.confidence =
                    argmax_rows(&dec::soft_assignment(&zn, km.centroids(), dim, alpha), k).1;
                self.assignment = Some(Assignment::StudentT {
                    centroids: km.centroids().to_vec(),
                    alpha,
                    normalise: true,
                });
                self.balance_labels = Some(self.labels.clone());
                self.order = self.epoch_order();
                self.stage = Some(Stage::Classifier(model.with_new_head(
                    k,
                    &self.device,
                    &mut self.rng,
                )));
            }
            Stage::Mixture(model) => {
                let mixture = HostMixture {
                    centre: self.centre.clone(),
                    directions: read_back(model.components.val()).await?,
                    log_prior: mixture_em::uniform_log_prior(k),
                    temperature: self.config.temperature,
                };
                let post = mixture.posterior(&z);
                (self.labels, self.confidence) = argmax_rows(&post, k);
                let model = self.reseed_dying(model, &z, mixture.directions, &post);
                self.stage = Some(Stage::Mixture(model));
            }
            Stage::Pretrain(_) | Stage::Fixed(_) | Stage::Manifold(..) => {
                unreachable!("only refinement updates")
            }
        }
        self.embedding = z;
        Ok(if self.config.method == Method::DeepCluster {
            // Pseudo-label numbers are arbitrary between clusterings: compare partitions.
            1.0 - accuracy(&previous, &self.labels) as f32
        } else {
            self.labels
                .iter()
                .zip(&previous)
                .filter(|(a, b)| a != b)
                .count() as f32
                / self.rows as f32
        })
    }

    /// Runs up to `batches_per_step` refinement batches, with target updates and stopping
    /// checks in between.
    pub(super) async fn refine_batches(&mut self, batches: usize) -> Result<f32, TrainError> {
        if self.config.method == Method::N2d {
            return self.manifold_batches(batches).await;
        }
        let mut losses = LossSum::default();
        let k = self.config.n_clusters;
        for _ in 0..batches {
            let updated = self
                .since_update
                .is_multiple_of(self.config.update_interval);
            if updated {
                let first = self.changed.is_none();
                let changed = self.update().await?;
                self.changed = Some(changed);
                self.updates += 1;
                if self.config.method == Method::Gceals && self.gceals_collapsing() {
                    self.finish();
                    break;
                }
                // DEC's stopping rule (kept by IDEC); it applies from the second update on,
                // the first compares with k-means' labels. The other methods run their epochs.
                let converged = matches!(
                    self.config.method,
                    Method::Dec | Method::Idec | Method::Dcec
                ) && !first
                    && changed < self.config.tol;
                if converged || self.epoch >= self.config.refine_epochs {
                    self.finish();
                    break;
                }
            }
            let (batch, epoch_end) = self.next_batch();
            let x = self.rows_tensor(&batch);
            let lr = self.config.refine_lr;
            let stage = self.stage.take().expect("stage is present between steps");
            let (stage, loss) = match stage {
                Stage::Centroids(model) => {
                    let loss = match self.config.method {
                        Method::Dec => {
                            dec::dec_loss(&model, x, self.batch_target(&batch), self.config.alpha)
                        }
                        Method::Idec | Method::Dcec => idec::idec_loss(
                            &model,
                            x,
                            self.batch_target(&batch),
                            self.config.alpha,
                            self.config.gamma,
                        ),
                        Method::HardReg => {
                            let (reconstruction, costs) =
                                hardreg::reconstruction_and_costs(&model, x, self.variance);
                            let host = read_back(costs.clone().detach()).await?;
                            let chosen = hardreg::greedy_assign(&host, k);
                            hardreg::hardreg_loss(
                                reconstruction,
                                costs,
                                self.one_hot(&chosen),
                                self.config.gamma,
                            )
                        }
                        _ => unreachable!("centroid stage is DEC, IDEC or hard-regularised"),
                    };
                    let grads = GradientsParams::from_grads(loss.backward(), &model);
                    (Stage::Centroids(self.optim.step(lr, model, grads)), loss)
                }
                Stage::Gaussian(model) => {
                    let loss = gceals::gceals_loss(&model, x, &self.weights, self.config.gamma);
                    let grads = GradientsParams::from_grads(loss.backward(), &model);
                    (Stage::Gaussian(self.optim.step(lr, model, grads)), loss)
                }
                Stage::Classifier(model) => {
                    let pseudo: Vec<u32> = batch.iter().map(|&r| self.labels[r]).collect();
                    let loss = model.loss(x, self.one_hot(&pseudo));
                    let grads = GradientsParams::from_grads(loss.backward(), &model);
                    (Stage::Classifier(self.optim.step(lr, model, grads)), loss)
                }
                Stage::Mixture(model) => {
                    let log_pi = Tensor::<1>::from_data(
                        TensorData::new(mixture_em::uniform_log_prior(k), [k]),
                        &self.device,
                    );
                    let centre = Tensor::<1>::from_data(
                        TensorData::new(self.centre.clone(), [self.centre.len()]),
                        &self.device,
                    );
                    let augmented = match (self.config.image, self.config.consistency) {
                        (Some(ImageShape { channels, side }), true) => {
                            // Noise is clipped to the 0..1 pixel range: shift before dividing.
                            let pixels = self.stored_rows(&batch);
                            let mut shifted =
                                shift_and_noise(&pixels, channels, side, &mut self.rng);
                            self.to_network(&mut shifted);
                            Some(Tensor::<2>::from_data(
                                TensorData::new(shifted, [batch.len(), self.cols]),
                                &self.device,
                            ))
                        }
                        _ => None,
                    };
                    let loss = model.batch_em(
                        x,
                        augmented,
                        centre,
                        log_pi,
                        self.config.gamma,
                        self.config.temperature,
                        self.config.soft_em,
                    );
                    let grads = GradientsParams::from_grads(loss.backward(), &model);
                    (Stage::Mixture(self.optim.step(lr, model, grads)), loss)
                }
                Stage::Pretrain(_) | Stage::Fixed(_) | Stage::Manifold(..) => {
                    unreachable!("refining")
                }
            };
            self.stage = Some(stage);
            self.since_update += 1;
            losses.add(loss);
            // The batch after an update still runs, so the next step does not update again.
            if epoch_end || (updated && self.pause_at_updates) {
                break;
            }
        }
        losses.mean().await
    }

    /// The neural mixture's guard against one component taking everything: a component left
    /// with under 0.1/K of the rows is re-seeded at the row the largest component explains
    /// worst (see `cluster::mixture_em`). After K re-seeds it gives up and says so.
    fn reseed_dying(
        &mut self,
        model: NeuralMixtureModel,
        z: &[f32],
        mut w: Vec<f32>,
        post: &[f32],
    ) -> NeuralMixtureModel {
        let k = self.config.n_clusters;
        let dim = self.embedding_dim();
        let mut counts = vec![0usize; k];
        for &l in &self.labels {
            counts[l as usize] += 1;
        }
        let floor = mixture_em::DYING_SHARE * self.rows as f32 / k as f32;
        let dying: Vec<usize> = (0..k).filter(|&j| (counts[j] as f32) < floor).collect();
        if dying.is_empty() {
            return model;
        }
        if self.reseeds >= k {
            if !self.gave_up_reseeding {
                self.gave_up_reseeding = true;
                self.warnings.push(format!(
                    "the neural mixture kept losing clusters (cluster {} fell below 0.1/K of the rows after {} re-seeds); the data may hold fewer than {k} clusters",
                    dying[0], self.reseeds
                ));
            }
            return model;
        }
        for j in dying {
            let largest = (0..k).max_by_key(|&a| counts[a]).expect("k ≥ 2");
            let worst = (0..self.rows)
                .filter(|&r| self.labels[r] as usize == largest)
                .min_by(|&a, &b| post[a * k + largest].total_cmp(&post[b * k + largest]));
            let Some(r) = worst else { continue };
            w[j * dim..(j + 1) * dim].copy_from_slice(&mixture_em::centred_directions(
                &z[r * dim..(r + 1) * dim],
                &self.centre,
                dim,
            ));
            self.warnings.push(format!(
                "the neural mixture's cluster {j} was dying ({} rows, under 0.1/K); it was re-seeded inside cluster {largest}, which held {}",
                counts[j], counts[largest]
            ));
            counts[largest] -= 1;
            counts[j] += 1;
            self.labels[r] = j as u32;
            self.reseeds += 1;
        }
        self.optim = self.refine_optimizer();
        NeuralMixtureModel::new(model.autoencoder, w, k, &self.device)
    }

    /// G-CEALS stops once a cluster's weight falls to 0.1/K, before it vanishes.
    fn gceals_collapsing(&mut self) -> bool {
        let k = self.config.n_clusters;
        let floor = 0.1 / k as f32;
        let Some((j, w)) = self
            .weights
            .iter()
            .copied()
            .enumerate()
            .find(|&(_, w)| w <= floor)
        else {
            return false;
        };
        self.warnings.push(format!(
            "G-CEALS stopped early: cluster {j}'s weight fell to {w:.4}, at or below 0.1/K = {floor:.4} (the paper's guard against a cluster vanishing)"
        ));
        true
    }

    fn batch_target(&self, batch: &[usize]) -> Tensor<2> {
        let k = self.config.n_clusters;
        let mut p = Vec::with_capacity(batch.len() * k);
        for &r in batch {
            p.extend_from_slice(&self.target[r * k..(r + 1) * k]);
        }
        Tensor::from_data(TensorData::new(p, [batch.len(), k]), &self.device)
    }

    fn one_hot(&self, labels: &[u32]) -> Tensor<2> {
        let k = self.config.n_clusters;
        let mut v = vec![0f32; labels.len() * k];
        for (i, &l) in labels.iter().enumerate() {
            v[i * k + l as usize] = 1.0;
        }
        Tensor::from_data(TensorData::new(v, [labels.len(), k]), &self.device)
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::Device;

    use super::*;
    use crate::rng::Rng;
    use crate::train::{TrainConfig, block_on};

    /// Three blobs, and a neural mixture stopped at the start of refinement.
    fn refining_mixture() -> Trainer {
        let (rows, cols) = (90, 4);
        let mut rng = Rng::new(3);
        let x = (0..rows * cols)
            .map(|i| rng.normal() as f32 * 0.2 + ((i / cols) % 3) as f32 * 2.0)
            .collect::<Vec<f32>>();
        let mut config = TrainConfig::for_data(Method::MixtureEm, 3, rows, cols);
        config.pretrain_epochs = 10;
        let mut t = Trainer::new(config, x, rows, cols, Device::flex()).unwrap();
        t.set_batches_per_step(1 << 20);
        while t.phase != Phase::Refine {
            block_on(t.step(0.0)).unwrap();
        }
        t
    }

    /// Two components merged into one direction: the second one gets no rows (ties go to the
    /// first), which is the degenerate solution in small.
    fn merge_component_2_into_0(t: &mut Trainer) -> Vec<f32> {
        let Some(Stage::Mixture(model)) = t.stage.take() else {
            panic!("refining a mixture")
        };
        let dim = t.embedding_dim();
        let mut w = block_on(read_back(model.components.val())).unwrap();
        let first = w[..dim].to_vec();
        w[2 * dim..3 * dim].copy_from_slice(&first);
        t.stage = Some(Stage::Mixture(NeuralMixtureModel::new(
            model.autoencoder,
            w.clone(),
            3,
            &t.device,
        )));
        w
    }

    fn components(t: &Trainer) -> Vec<f32> {
        let Some(Stage::Mixture(model)) = t.stage.as_ref() else {
            panic!("refining a mixture")
        };
        block_on(read_back(model.components.val())).unwrap()
    }

    #[test]
    fn a_dying_mixture_component_is_reported_and_reseeded() {
        let mut t = refining_mixture();
        let merged = merge_component_2_into_0(&mut t);
        block_on(t.update()).unwrap();
        assert!(
            t.warnings
                .iter()
                .any(|w| w.contains("cluster 2 was dying") && w.contains("re-seeded")),
            "{:?}",
            t.warnings
        );
        let dim = t.embedding_dim();
        let after = components(&t);
        assert_ne!(after[2 * dim..3 * dim], merged[2 * dim..3 * dim]);
        assert_eq!(after[..2 * dim], merged[..2 * dim], "the others are kept");
        // The run goes on to the end with three clusters in use.
        while t.phase != Phase::Done {
            block_on(t.step(0.0)).unwrap();
        }
        for j in 0..3 {
            assert!(t.labels.contains(&j), "cluster {j} is empty");
        }
    }

    #[test]
    fn the_mixture_gives_up_reseeding_after_k_tries_and_says_so() {
        let mut t = refining_mixture();
        t.reseeds = 3;
        let merged = merge_component_2_into_0(&mut t);
        block_on(t.update()).unwrap();
        assert_eq!(components(&t), merged, "no more re-seeding");
        let gave_up: Vec<&String> = t
            .warnings
            .iter()
            .filter(|w| w.contains("kept losing clusters"))
            .collect();
        assert_eq!(gave_up.len(), 1, "{:?}", t.warnings);
        block_on(t.update()).unwrap();
        assert_eq!(
            t.warnings
                .iter()
                .filter(|w| w.contains("kept losing clusters"))
                .count(),
            1,
            "said once"
        );
    }
}
