use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

use super::TrainError;
use super::adam::Adam;
use crate::model::{Architecture, Autoencoder};
use crate::rng::Rng;

/// Adam steps of an autoencoder on fixed random data, for measuring training speed on a
/// device. The caller times [`AutoencoderSteps::step`]; each step reads its loss back, so
/// the time includes finishing the GPU work.
pub struct AutoencoderSteps {
    ae: Option<Autoencoder>,
    optim: ModuleOptimizer,
    x: Tensor<2>,
}

impl AutoencoderSteps {
    pub fn new(architecture: &Architecture, batch: usize, seed: u64, device: Device) -> Self {
        let device = device.autodiff();
        let mut rng = Rng::new(seed);
        let ae = architecture.init(&device, &mut rng);
        let input = architecture.input_size();
        let values = (0..batch * input).map(|_| rng.next_f64() as f32).collect();
        let x = Tensor::from_data(TensorData::new(values, [batch, input]), &device);
        Self {
            ae: Some(ae),
            optim: Adam::init(),
            x,
        }
    }

    /// One optimiser step; returns the reconstruction loss before it.
    pub async fn step(&mut self) -> Result<f32, TrainError> {
        let ae = self.ae.take().expect("present between steps");
        let loss = ae.reconstruction_loss(self.x.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &ae);
        self.ae = Some(self.optim.step(1e-3, ae, grads));
        loss.into_scalar_async()
            .await
            .map_err(|e| TrainError::Readback(format!("{e:?}")))
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    #[test]
    fn loss_goes_down_on_fixed_data() {
        let mut s =
            AutoencoderSteps::new(&Architecture::Dense(vec![8, 16, 4]), 32, 1, Device::flex());
        let first = super::super::block_on(s.step()).unwrap();
        let mut last = first;
        for _ in 0..50 {
            last = super::super::block_on(s.step()).unwrap();
        }
        assert!(last < first * 0.8, "{first} → {last}");
    }

    #[test]
    fn conv_autoencoder_steps_learn_too() {
        let conv = Architecture::Conv {
            channels: 1,
            side: 12,
            embedding: 4,
        };
        let mut s = AutoencoderSteps::new(&conv, 8, 1, Device::flex());
        let first = super::super::block_on(s.step()).unwrap();
        let mut last = first;
        for _ in 0..30 {
            last = super::super::block_on(s.step()).unwrap();
        }
        assert!(last < first * 0.8, "{first} → {last}");
    }
}
