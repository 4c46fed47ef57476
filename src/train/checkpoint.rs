//! Where a run picks up after its device is lost (a WebGPU device can vanish: a driver reset,
//! the GPU process crashing). At the end of every pretraining epoch, and of every refinement
//! epoch of the methods whose refinement can hand over its cluster state
//! ([`super::Refinement::checkpoint`]: centres in the embedding), the network and that state
//! are copied to main memory with asynchronous reads; a fresh run with the same settings and
//! data, on any device, goes on from that epoch. What is not kept, and why that is sound:
//! - the optimiser's moment estimates (Adam, SGD momentum) restart, which costs a few batches
//!   of slightly different steps;
//! - a resumed refinement recomputes its target distribution at once, from the restored
//!   network, instead of at the next scheduled update;
//! - methods that carry more state between epochs (cluster weights, pseudo-label samplers, a
//!   layout computed on the CPU and quick to redo) resume from the end of pretraining.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;

use super::host_copy::autoencoder_on_host;
use super::model_file::record_bytes;
use super::trainer::{Phase, Stage, TrainError, Trainer};
use crate::model::Autoencoder;
use crate::rng::Rng;

/// A run's state at the end of an epoch, as bytes the page can hold and hand to a new worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// Whole epochs done in `phase` (pretraining: all of them once it has finished).
    pub epochs_done: usize,
    pub phase: Phase,
    /// Refinement only: the method's cluster state (see [`super::Refinement::checkpoint`]),
    /// each row's cluster, and the number of target updates so far.
    pub state: Vec<f32>,
    pub labels: Vec<u32>,
    pub updates: usize,
    /// The autoencoder's record.
    pub weights: Vec<u8>,
}

const MAGIC: &[u8; 8] = b"dccheck1";

fn bad(why: &str) -> TrainError {
    TrainError::Checkpoint(format!("the checkpoint is damaged ({why})"))
}

impl Checkpoint {
    /// "pretraining epoch 4", for a notice.
    pub fn describe(&self) -> String {
        match self.phase {
            Phase::Refine => format!("refinement epoch {}", self.epochs_done),
            _ => format!("pretraining epoch {}", self.epochs_done),
        }
    }

    /// Little-endian: magic, phase, epochs, updates, cluster state, labels, record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let phase: u32 = if self.phase == Phase::Refine { 2 } else { 0 };
        for v in [phase, self.epochs_done as u32, self.updates as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.state.len() as u32).to_le_bytes());
        self.state
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        self.labels
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        out.extend_from_slice(&self.weights);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TrainError> {
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("not a checkpoint"))?;
        let mut at = 0usize;
        let mut word = || -> Result<[u8; 4], TrainError> {
            let w = rest.get(at..at + 4).ok_or_else(|| bad("cut short"))?;
            at += 4;
            Ok([w[0], w[1], w[2], w[3]])
        };
        let phase = match u32::from_le_bytes(word()?) {
            0 => Phase::Pretrain,
            2 => Phase::Refine,
            _ => return Err(bad("unknown phase")),
        };
        let epochs_done = u32::from_le_bytes(word()?) as usize;
        let updates = u32::from_le_bytes(word()?) as usize;
        let n = u32::from_le_bytes(word()?) as usize;
        let state = (0..n)
            .map(|_| word().map(f32::from_le_bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let n = u32::from_le_bytes(word()?) as usize;
        let labels = (0..n)
            .map(|_| word().map(u32::from_le_bytes))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            epochs_done,
            phase,
            state,
            labels,
            updates,
            weights: rest[at..].to_vec(),
        })
    }
}

impl Trainer {
    /// A checkpoint when the run sits at the end of an epoch it can resume from (see the
    /// module comment); `None` at other moments.
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, TrainError> {
        let stage = self.stage.as_ref().expect("stage is present between steps");
        let at_boundary = self.cursor == 0 && self.epoch > 0;
        let (phase, epochs_done, ae, state) = match (self.phase, stage) {
            (Phase::Pretrain, Stage::Pretrain(ae)) if at_boundary => {
                (Phase::Pretrain, self.epoch, ae, Vec::new())
            }
            (Phase::Init, Stage::Pretrain(ae)) => {
                (Phase::Pretrain, self.config.pretrain_epochs, ae, Vec::new())
            }
            (Phase::Refine, Stage::Refine(r)) if at_boundary => match r.checkpoint(self).await? {
                Some(state) => (Phase::Refine, self.epoch, r.autoencoder(), state),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let host = autoencoder_on_host(ae, &self.config.architecture()).await?;
        let weights = record_bytes(&host).map_err(|e| TrainError::Checkpoint(e.to_string()))?;
        let refining = phase == Phase::Refine;
        Ok(Some(Checkpoint {
            epochs_done,
            phase,
            labels: if refining {
                self.labels.clone()
            } else {
                Vec::new()
            },
            updates: if refining { self.updates } else { 0 },
            state,
            weights,
        }))
    }

    /// Continues this fresh run (same settings and data as the checkpointed one) from `cp`.
    pub fn resume_from(&mut self, cp: &Checkpoint) -> Result<(), TrainError> {
        let fresh = self.phase == Phase::Pretrain && self.epoch == 0 && self.cursor == 0;
        if !fresh {
            return Err(TrainError::Checkpoint(
                "only a run that has not started can resume from a checkpoint".into(),
            ));
        }
        let ae = self.autoencoder_from(&cp.weights)?;
        if cp.phase != Phase::Refine {
            self.stage = Some(Stage::Pretrain(ae));
            if cp.epochs_done >= self.config.pretrain_epochs {
                self.phase = Phase::Init;
            } else {
                self.epoch = cp.epochs_done;
            }
            return Ok(());
        }
        let k = self.config.n_clusters;
        let labels_fit =
            cp.labels.len() == self.rows && cp.labels.iter().all(|&l| (l as usize) < k);
        let refinement = match labels_fit {
            true => self.config.method.algorithm().resume(self, ae, &cp.state)?,
            false => None,
        };
        let Some(mut refinement) = refinement else {
            return Err(TrainError::Checkpoint(
                "its clusters do not fit this run's method, data or k".into(),
            ));
        };
        self.labels = cp.labels.clone();
        self.updates = cp.updates;
        self.phase = Phase::Refine;
        self.epoch = cp.epochs_done;
        // The target is recomputed from the restored network at once.
        refinement.begin(self);
        self.stage = Some(Stage::Refine(refinement));
        Ok(())
    }

    fn autoencoder_from(&self, weights: &[u8]) -> Result<Autoencoder, TrainError> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
            .map_err(|e| TrainError::Checkpoint(e.to_string()))?;
        self.config
            .architecture()
            .init(&self.device, &mut Rng::new(0))
            .try_load_record(record)
            .map_err(|e| {
                TrainError::Checkpoint(format!("its weights do not fit this network: {e}"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Method;
    use crate::train::{TrainConfig, block_on};
    use burn::tensor::Device;

    fn data() -> (Vec<f32>, usize, usize) {
        let (rows, cols) = (90, 4);
        let mut rng = Rng::new(3);
        let x = (0..rows * cols)
            .map(|i| rng.normal() as f32 * 0.2 + ((i / cols) % 3) as f32)
            .collect();
        (x, rows, cols)
    }

    fn trainer(epochs: usize) -> Trainer {
        let (x, rows, cols) = data();
        let mut config = TrainConfig::for_data(Method::Dec, 3, rows, cols);
        config.pretrain_epochs = epochs;
        let mut t = Trainer::new(config, x, rows, cols, Device::flex()).unwrap();
        t.set_batches_per_step(1 << 20); // a step is then one epoch
        t
    }

    fn step_until(t: &mut Trainer, done: impl Fn(&Trainer) -> bool) -> Vec<f32> {
        let mut losses = Vec::new();
        while !done(t) {
            let s = block_on(t.step(0.0)).unwrap();
            if s.phase == Phase::Pretrain || (s.phase == Phase::Init && s.loss.is_finite()) {
                losses.push(s.loss);
            }
        }
        losses
    }

    #[test]
    fn a_resumed_run_goes_on_from_the_checkpointed_epoch() {
        let mut first = trainer(12);
        assert_eq!(
            block_on(first.checkpoint()).unwrap(),
            None,
            "nothing to keep yet"
        );
        step_until(&mut first, |t| t.epoch == 4 && t.cursor == 0);
        let cp = block_on(first.checkpoint())
            .unwrap()
            .expect("at an epoch boundary");
        assert_eq!(cp.epochs_done, 4);

        let mut resumed = trainer(12);
        resumed.resume_from(&cp).unwrap();
        assert_eq!((resumed.phase, resumed.epoch), (Phase::Pretrain, 4));
        // The same network: the checkpointed weights, not fresh ones.
        assert_eq!(
            block_on(resumed.embed_all()).unwrap(),
            block_on(first.embed_all()).unwrap()
        );
        // And it trains on: pretraining finishes and the loss keeps falling.
        let after = step_until(&mut resumed, |t| t.phase != Phase::Pretrain);
        assert_eq!(after.len(), 8, "the 8 epochs left");
        let fresh_start = step_until(&mut trainer(12), |t| t.epoch == 1);
        assert!(
            after[after.len() - 1] < fresh_start[0],
            "{after:?} vs {fresh_start:?}"
        );
        assert!(
            resumed.resume_from(&cp).is_err(),
            "a started run cannot resume"
        );
        // At the end of pretraining the checkpoint says so; resuming goes straight to k-means.
        let cp = block_on(resumed.checkpoint())
            .unwrap()
            .expect("pretraining just finished");
        assert_eq!(cp.epochs_done, 12);
        let mut last = trainer(12);
        last.resume_from(&cp).unwrap();
        assert_eq!(last.phase, Phase::Init);
    }

    #[test]
    fn a_checkpoint_of_another_network_is_refused() {
        let mut t = trainer(3);
        step_until(&mut t, |t| t.epoch == 1 && t.cursor == 0);
        let cp = block_on(t.checkpoint()).unwrap().unwrap();
        let (x, rows, _) = data();
        let wide: Vec<f32> = x
            .chunks_exact(4)
            .flat_map(|r| [r[0], r[1], r[2], r[3], 0.5])
            .collect();
        let config = TrainConfig::for_data(Method::Dec, 3, rows, 5);
        let mut other = Trainer::new(config, wide, rows, 5, Device::flex()).unwrap();
        let err = other.resume_from(&cp).unwrap_err();
        assert!(err.to_string().contains("do not fit"), "{err}");
        let err = other
            .resume_from(&Checkpoint {
                weights: b"not a record".to_vec(),
                ..cp.clone()
            })
            .unwrap_err();
        assert!(matches!(err, TrainError::Checkpoint(_)), "{err}");
    }

    #[test]
    fn checkpoints_round_trip_as_bytes_and_damage_is_named() {
        let cp = Checkpoint {
            epochs_done: 7,
            phase: Phase::Refine,
            state: vec![0.5, -1.25, 3.0, 1e-7, 0.75],
            labels: vec![0, 1, 1, 0, 1],
            updates: 3,
            weights: vec![9, 8, 7],
        };
        let bytes = cp.to_bytes();
        assert_eq!(Checkpoint::from_bytes(&bytes).unwrap(), cp);
        assert_eq!(cp.describe(), "refinement epoch 7");
        for cut in [bytes.len() - 4 - 3, 10, 3] {
            let err = Checkpoint::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(err.to_string().contains("damaged"), "{err}");
        }
    }

    fn dec_trainer(method: Method) -> Trainer {
        let (x, rows, cols) = data();
        let mut config = TrainConfig::for_data(method, 3, rows, cols);
        config.pretrain_epochs = 4;
        config.refine_epochs = 12;
        config.tol = 0.0; // run every refinement epoch
        let mut t = Trainer::new(config, x, rows, cols, Device::flex()).unwrap();
        t.set_batches_per_step(1 << 20);
        t
    }

    #[test]
    fn a_refining_run_resumes_with_its_network_centres_and_labels() {
        let mut first = dec_trainer(Method::Dec);
        step_until(&mut first, |t| {
            t.phase == Phase::Refine && t.epoch == 3 && t.cursor == 0
        });
        let cp = block_on(first.checkpoint())
            .unwrap()
            .expect("a refinement epoch ended");
        assert_eq!((cp.phase, cp.epochs_done), (Phase::Refine, 3));
        assert_eq!(cp.state.len(), 3 * first.embedding_dim());
        assert!(cp.updates >= 1);
        let cp = Checkpoint::from_bytes(&cp.to_bytes()).unwrap();

        let mut resumed = dec_trainer(Method::Dec);
        resumed.resume_from(&cp).unwrap();
        assert_eq!((resumed.phase, resumed.epoch), (Phase::Refine, 3));
        assert_eq!(resumed.labels, first.labels);
        assert_eq!(
            block_on(resumed.embed_all()).unwrap(),
            block_on(first.embed_all()).unwrap()
        );
        // What it would checkpoint now is what it was given (the record's parameter ids
        // differ; its values are compared through the embedding above).
        let again = block_on(resumed.checkpoint())
            .unwrap()
            .expect("at the same boundary");
        assert_eq!(
            (again.phase, again.epochs_done, again.updates),
            (cp.phase, cp.epochs_done, cp.updates)
        );
        assert!(again.state == cp.state && again.labels == cp.labels);
        // Both finish; the resumed run ends where the original does, give or take its
        // recomputed target.
        step_until(&mut first, |t| t.phase == Phase::Done);
        step_until(&mut resumed, |t| t.phase == Phase::Done);
        let (a, b) = (
            first.output().unwrap().labels,
            resumed.output().unwrap().labels,
        );
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        assert!(
            same as f64 >= 0.95 * a.len() as f64,
            "{same} of {} agree",
            a.len()
        );
    }

    #[test]
    fn methods_with_more_refinement_state_checkpoint_only_their_pretraining() {
        let mut t = dec_trainer(Method::Gceals);
        step_until(&mut t, |t| {
            t.phase == Phase::Refine && t.epoch == 2 && t.cursor == 0
        });
        assert_eq!(block_on(t.checkpoint()).unwrap(), None);
        // And a refinement checkpoint of DEC does not fit G-CEALS.
        let mut dec = dec_trainer(Method::Dec);
        step_until(&mut dec, |t| {
            t.phase == Phase::Refine && t.epoch == 1 && t.cursor == 0
        });
        let cp = block_on(dec.checkpoint()).unwrap().unwrap();
        let err = dec_trainer(Method::Gceals).resume_from(&cp).unwrap_err();
        assert!(err.to_string().contains("do not fit"), "{err}");
    }
}
