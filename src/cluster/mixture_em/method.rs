//! The neural mixture as the trainer runs it: components seeded far apart (no k-means), EM
//! batch by batch, and a dying component re-seeded inside the largest one.

use std::sync::Arc;

use burn::tensor::{Tensor, TensorData};

use super::{
    DYING_SHARE, HostMixture, NeuralMixtureModel, TEMPERATURE, best_spread_directions,
    centred_directions, mean_row, uniform_log_prior,
};
use crate::cluster::argmax_rows;
use crate::cluster::explain::{Explanation, Explanations};
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::data::augment::shift_and_noise;
use crate::model::Autoencoder;
use crate::train::{
    Algorithm, Assignment, BatchMethod, Batched, DataShape, ImageShape, RefineOptimizer, Start,
    TrainConfig, TrainError, Trainer, read_back,
};

const SEEDED: Explanation = Explanation {
    title: "Cluster directions seeded (no k-means)",
    text: "{k} points were drawn far apart from each other, judged by the angle between their embeddings about the embedding’s centre, and each gave one cluster its direction w<sub>k</sub>. No k-means ran: from here on the clusters are the mixture’s components, and EM moves them batch by batch.",
    formulas: &[
        "first: any point; next: a point drawn with probability ∝ (1 − cos to its nearest direction)²",
    ],
    after: "",
};

const UPDATE: Explanation = Explanation {
    title: "Responsibilities recomputed ({updates})",
    text: "Every point’s responsibilities were recomputed: how likely each cluster is to have produced it. Cluster k is a bump around a direction w<sub>k</sub>, measured by the cosine s<sub>ik</sub> between the point’s embedding (about the embedding’s centre) and w<sub>k</sub>. In every batch the forward pass is this E-step; the backward pass is the M-step, which moves the network and the directions so that each point becomes more likely under the cluster most responsible for it, while the network keeps reconstructing its input.",
    formulas: &[
        "f<sub>k</sub>(x<sub>i</sub>) ∝ σ((s<sub>ik</sub> − 1) / τ), γ<sub>ik</sub> = f<sub>k</sub>(x<sub>i</sub>) / Σ<sub>j</sub> f<sub>j</sub>(x<sub>i</sub>)",
        "loss = L<sub>rec</sub> − γ · mean<sub>i</sub> log f<sub>k*</sub>(x<sub>i</sub>), k* = most responsible cluster",
    ],
    after: "{changed} of the points changed cluster since the last update.",
};

pub static METHOD: MethodDef = MethodDef {
    name: "mixture-em",
    title: "Neural mixture (EM)",
    paper: Some("Tissera et al. 2022"),
    summary: "a mixture over directions in the embedding, trained by batch-wise EM; no k-means",
    help: "Neural mixture model trained by EM (Tissera et al. 2022), with no k-means anywhere. Each cluster is a bump of probability around a direction in the compressed space, and the network itself is part of the model. Every batch does the two halves of the classic EM algorithm: the forward pass works out how likely each point is to come from each cluster, the backward pass moves the network and the clusters so those points become more likely under the clusters they belong to. If a cluster is about to die out (almost no points), it is restarted inside the biggest cluster, and you are told.",
    loss: "reconstruction − γ·expected log-likelihood",
    deep: true,
    takes: Takes::Any,
    settings: &[
        Setting::Gamma,
        Setting::Temperature,
        Setting::SoftEm,
        Setting::Consistency,
    ],
    explain: Explanations {
        initialised: Some(SEEDED),
        update: Some(UPDATE),
    },
    rules: &[&super::rule::READER],
    algorithm: &MixtureMethod,
};

struct MixtureMethod;

impl Algorithm for MixtureMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // Smaller steps: at 1e-3 the embedding drifts faster than the components follow.
        config.refine_optimizer = RefineOptimizer::Adam;
        config.refine_lr = 1e-4;
        config.update_interval = data.batches;
        config.temperature = TEMPERATURE;
        // On images, the paper's consistency term: shifted, noisy copies of each batch must
        // fall in the clusters of the originals.
        config.consistency = data.image.is_some();
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let (k, dim) = (t.config.n_clusters, t.embedding_dim());
        let centre = mean_row(z, dim);
        let w = best_spread_directions(
            z,
            &centre,
            t.rows,
            dim,
            k,
            t.config.temperature,
            t.config.n_init,
            &mut t.rng,
        );
        let ae = autoencoder.expect("deep methods pretrain");
        let model = NeuralMixtureModel::new(ae, w, k, &t.device);
        Ok(Start::Refine(Batched::boxed(MixtureRefinement {
            model: Some(model),
            centre,
            reseeds: 0,
            gave_up_reseeding: false,
        })))
    }
}

pub(crate) struct MixtureRefinement {
    pub(crate) model: Option<NeuralMixtureModel>,
    /// The embedding's mean when the components were seeded: their cosines are taken about
    /// it.
    centre: Vec<f32>,
    /// Components re-seeded so far, and whether it stopped doing so.
    pub(crate) reseeds: usize,
    gave_up_reseeding: bool,
}

impl MixtureRefinement {
    fn model(&self) -> &NeuralMixtureModel {
        self.model.as_ref().expect("present between batches")
    }

    async fn host(&self, t: &Trainer) -> Result<HostMixture, TrainError> {
        Ok(HostMixture {
            centre: self.centre.clone(),
            directions: read_back(self.model().components.val()).await?,
            log_prior: uniform_log_prior(t.config.n_clusters),
            temperature: t.config.temperature,
        })
    }

    /// The guard against one component taking everything: a component left with under
    /// 0.1/K of the rows is re-seeded at the row the largest component explains worst. After
    /// K re-seeds it gives up and says so.
    fn reseed_dying(
        &mut self,
        t: &mut Trainer,
        model: NeuralMixtureModel,
        z: &[f32],
        mut w: Vec<f32>,
        post: &[f32],
    ) -> NeuralMixtureModel {
        let (k, dim) = (t.config.n_clusters, t.embedding_dim());
        let mut counts = vec![0usize; k];
        for &l in &t.labels {
            counts[l as usize] += 1;
        }
        let floor = DYING_SHARE * t.rows as f32 / k as f32;
        let dying: Vec<usize> = (0..k).filter(|&j| (counts[j] as f32) < floor).collect();
        if dying.is_empty() {
            return model;
        }
        if self.reseeds >= k {
            if !self.gave_up_reseeding {
                self.gave_up_reseeding = true;
                t.warnings.push(format!(
                    "the neural mixture kept losing clusters (cluster {} fell below 0.1/K of the rows after {} re-seeds); the data may hold fewer than {k} clusters",
                    dying[0], self.reseeds
                ));
            }
            return model;
        }
        for j in dying {
            let largest = (0..k).max_by_key(|&a| counts[a]).expect("k ≥ 2");
            let worst = (0..t.rows)
                .filter(|&r| t.labels[r] as usize == largest)
                .min_by(|&a, &b| post[a * k + largest].total_cmp(&post[b * k + largest]));
            let Some(r) = worst else { continue };
            w[j * dim..(j + 1) * dim].copy_from_slice(&centred_directions(
                &z[r * dim..(r + 1) * dim],
                &self.centre,
                dim,
            ));
            t.warnings.push(format!(
                "the neural mixture's cluster {j} was dying ({} rows, under 0.1/K); it was re-seeded inside cluster {largest}, which held {}",
                counts[j], counts[largest]
            ));
            counts[largest] -= 1;
            counts[j] += 1;
            t.labels[r] = j as u32;
            self.reseeds += 1;
        }
        t.optim = t.refine_optimizer();
        NeuralMixtureModel::new(model.autoencoder, w, k, &t.device)
    }
}

impl BatchMethod for MixtureRefinement {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let k = t.config.n_clusters;
        let mixture = self.host(t).await?;
        let post = mixture.posterior(z);
        (t.labels, t.confidence) = argmax_rows(&post, k);
        let model = self.model.take().expect("present between batches");
        self.model = Some(self.reseed_dying(t, model, z, mixture.directions, &post));
        Ok(())
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let k = t.config.n_clusters;
        let log_pi = Tensor::<1>::from_data(TensorData::new(uniform_log_prior(k), [k]), &t.device);
        let centre = Tensor::<1>::from_data(
            TensorData::new(self.centre.clone(), [self.centre.len()]),
            &t.device,
        );
        let augmented = match (t.config.image, t.config.consistency) {
            (Some(ImageShape { channels, side }), true) => {
                // Noise is clipped to the 0..1 pixel range: shift before dividing.
                let pixels = t.stored_rows(rows);
                let mut shifted = shift_and_noise(&pixels, channels, side, &mut t.rng);
                t.to_network(&mut shifted);
                Some(Tensor::<2>::from_data(
                    TensorData::new(shifted, [rows.len(), t.cols]),
                    &t.device,
                ))
            }
            _ => None,
        };
        let model = self.model.take().expect("present between batches");
        let loss = model.batch_em(
            x,
            t.valid_tensor(rows),
            augmented,
            centre,
            log_pi,
            t.config.gamma,
            t.config.temperature,
            t.config.soft_em,
        );
        self.model = Some(t.descend(model, &loss));
        Ok(loss)
    }

    async fn assignment(&self, t: &Trainer) -> Result<Assignment, TrainError> {
        Ok(Box::new(self.host(t).await?))
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::Device;

    use super::*;
    use crate::cluster::Method;
    use crate::rng::Rng;
    use crate::train::{Phase, TrainConfig, block_on};

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
        while t.phase() != Phase::Refine {
            block_on(t.step(0.0)).unwrap();
        }
        t
    }

    /// Runs `f` on the mixture being refined.
    fn with_mixture<R>(
        t: &mut Trainer,
        f: impl FnOnce(&mut MixtureRefinement, &mut Trainer) -> R,
    ) -> R {
        t.with_refinement(|r, t| {
            let m = r
                .as_any_mut()
                .downcast_mut::<MixtureRefinement>()
                .expect("refining a mixture");
            f(m, t)
        })
    }

    /// A target update, as the refinement loop makes it.
    fn update(t: &mut Trainer) {
        with_mixture(t, |m, t| {
            let z = block_on(t.embed_with(Some(m.autoencoder()))).unwrap();
            block_on(m.update(t, &z)).unwrap();
        });
    }

    /// Two components merged into one direction: the second one gets no rows (ties go to the
    /// first), which is the degenerate solution in small.
    fn merge_component_2_into_0(t: &mut Trainer) -> Vec<f32> {
        with_mixture(t, |m, t| {
            let model = m.model.take().unwrap();
            let dim = t.embedding_dim();
            let mut w = block_on(read_back(model.components.val())).unwrap();
            let first = w[..dim].to_vec();
            w[2 * dim..3 * dim].copy_from_slice(&first);
            m.model = Some(NeuralMixtureModel::new(
                model.autoencoder,
                w.clone(),
                3,
                &t.device,
            ));
            w
        })
    }

    fn components(t: &mut Trainer) -> Vec<f32> {
        with_mixture(t, |m, _| {
            block_on(read_back(m.model().components.val())).unwrap()
        })
    }

    #[test]
    fn a_dying_mixture_component_is_reported_and_reseeded() {
        let mut t = refining_mixture();
        let merged = merge_component_2_into_0(&mut t);
        update(&mut t);
        assert!(
            t.warnings()
                .iter()
                .any(|w| w.contains("cluster 2 was dying") && w.contains("re-seeded")),
            "{:?}",
            t.warnings()
        );
        let dim = t.embedding_dim();
        let after = components(&mut t);
        assert_ne!(after[2 * dim..3 * dim], merged[2 * dim..3 * dim]);
        assert_eq!(after[..2 * dim], merged[..2 * dim], "the others are kept");
        assert!(t.labels.contains(&2), "the re-seeded cluster starts with its row");
        // The run goes on to the end, and no cluster ends empty without a word. Whether the
        // re-seeded one survives depends on the embedding 10 epochs leave, which rounds
        // differently from one CPU to another (on an AMD EPYC it died three more times).
        while t.phase() != Phase::Done {
            block_on(t.step(0.0)).unwrap();
        }
        let labels = t.output().unwrap().labels;
        let said_empty: Vec<String> = t
            .warnings()
            .iter()
            .filter_map(|w| w.split_once("ended empty (cluster ")?.1.split_once(')'))
            .flat_map(|(list, _)| list.split(", ").map(str::to_string))
            .collect();
        for j in 0..3u32 {
            assert!(
                labels.contains(&j) || said_empty.contains(&j.to_string()),
                "cluster {j} ended empty and no warning says so: {:?}",
                t.warnings()
            );
        }
    }

    #[test]
    fn the_mixture_gives_up_reseeding_after_k_tries_and_says_so() {
        let mut t = refining_mixture();
        with_mixture(&mut t, |m, _| m.reseeds = 3);
        let merged = merge_component_2_into_0(&mut t);
        update(&mut t);
        assert_eq!(components(&mut t), merged, "no more re-seeding");
        let gave_up: Vec<&String> = t
            .warnings()
            .iter()
            .filter(|w| w.contains("kept losing clusters"))
            .collect();
        assert_eq!(gave_up.len(), 1, "{:?}", t.warnings());
        update(&mut t);
        assert_eq!(
            t.warnings()
                .iter()
                .filter(|w| w.contains("kept losing clusters"))
                .count(),
            1,
            "said once"
        );
    }
}
