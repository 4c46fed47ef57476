//! Where a run picks up after its device is lost (a WebGPU device can vanish: a driver reset,
//! the GPU process crashing). Pretraining is the bulk of a run, so a checkpoint is the
//! autoencoder's weights after a whole pretraining epoch, copied to main memory with
//! asynchronous reads; a fresh run with the same settings and data, on any device, goes on
//! from that epoch. Adam's moment estimates are not kept: they restart, which costs a few
//! batches of slightly larger steps. Refinement is not checkpointed: a run lost while
//! refining resumes from the end of pretraining and refines again.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;

use super::host_copy::autoencoder_on_host;
use super::model_file::record_bytes;
use super::trainer::{Phase, Stage, TrainError, Trainer};
use crate::rng::Rng;

/// The autoencoder after `epochs_done` pretraining epochs, as record bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub epochs_done: usize,
    pub weights: Vec<u8>,
}

impl Trainer {
    /// A checkpoint when the run sits at a pretraining epoch boundary or has just finished
    /// pretraining; `None` at other moments and for methods without an autoencoder.
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, TrainError> {
        let epochs_done = match self.phase {
            Phase::Pretrain if self.cursor == 0 && self.epoch > 0 => self.epoch,
            Phase::Init => self.config.pretrain_epochs,
            _ => return Ok(None),
        };
        let Some(Stage::Pretrain(ae)) = self.stage.as_ref() else {
            return Ok(None);
        };
        let host = autoencoder_on_host(ae, &self.config.architecture()).await?;
        let weights = record_bytes(&host).map_err(|e| TrainError::Checkpoint(e.to_string()))?;
        Ok(Some(Checkpoint {
            epochs_done,
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
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(cp.weights.clone()))
            .map_err(|e| TrainError::Checkpoint(e.to_string()))?;
        let ae = self
            .config
            .architecture()
            .init(&self.device, &mut Rng::new(0))
            .try_load_record(record)
            .map_err(|e| {
                TrainError::Checkpoint(format!("its weights do not fit this network: {e}"))
            })?;
        self.stage = Some(Stage::Pretrain(ae));
        if cp.epochs_done >= self.config.pretrain_epochs {
            self.phase = Phase::Init;
        } else {
            self.epoch = cp.epochs_done;
        }
        Ok(())
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
        assert_eq!(block_on(first.checkpoint()).unwrap(), None, "nothing to keep yet");
        step_until(&mut first, |t| t.epoch == 4 && t.cursor == 0);
        let cp = block_on(first.checkpoint()).unwrap().expect("at an epoch boundary");
        assert_eq!(cp.epochs_done, 4);

        let mut resumed = trainer(12);
        resumed.resume_from(&cp).unwrap();
        assert_eq!((resumed.phase, resumed.epoch), (Phase::Pretrain, 4));
        // The same network: the checkpointed weights, not fresh ones.
        assert_eq!(block_on(resumed.embed_all()).unwrap(), block_on(first.embed_all()).unwrap());
        // And it trains on: pretraining finishes and the loss keeps falling.
        let after = step_until(&mut resumed, |t| t.phase != Phase::Pretrain);
        assert_eq!(after.len(), 8, "the 8 epochs left");
        let fresh_start = step_until(&mut trainer(12), |t| t.epoch == 1);
        assert!(after[after.len() - 1] < fresh_start[0], "{after:?} vs {fresh_start:?}");
        assert!(resumed.resume_from(&cp).is_err(), "a started run cannot resume");
        // At the end of pretraining the checkpoint says so; resuming goes straight to k-means.
        let cp = block_on(resumed.checkpoint()).unwrap().expect("pretraining just finished");
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
        let wide: Vec<f32> = x.chunks_exact(4).flat_map(|r| [r[0], r[1], r[2], r[3], 0.5]).collect();
        let config = TrainConfig::for_data(Method::Dec, 3, rows, 5);
        let mut other = Trainer::new(config, wide, rows, 5, Device::flex()).unwrap();
        let err = other.resume_from(&cp).unwrap_err();
        assert!(err.to_string().contains("do not fit"), "{err}");
        let err = other
            .resume_from(&Checkpoint {
                epochs_done: 1,
                weights: b"not a record".to_vec(),
            })
            .unwrap_err();
        assert!(matches!(err, TrainError::Checkpoint(_)), "{err}");
    }
}
