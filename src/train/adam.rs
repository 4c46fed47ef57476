//! Adam exactly as burn's `AdamConfig::new()` computes it (β₁ 0.9, β₂ 0.999, ε 1e-5, the same
//! bias correction, the same operations in the same order, so the same bits), with one fused
//! pass per parameter on the CPU backend.
//!
//! burn's Adam is thirteen tensor operations per parameter. On the `flex` CPU backend each is
//! its own single-threaded pass over the parameter, most with a fresh output buffer: for the
//! 784-500-500-2000-10 autoencoder that was a large share of a training step while the other
//! core sat idle (measurements: docs/DECISIONS.md, "Adam fused on the CPU"). Here the CPU path
//! reads parameter, gradient and both moments once, in place, split over the cores natively.
//! On other devices (WebGPU) it is burn's tensor expression, which runs as GPU kernels.
//!
//! The state is burn's own [`AdamState`], so nothing else changes (checkpoints keep no
//! optimiser state either way).

use burn::optim::{AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer};
use burn::tensor::{DType, Device, Tensor, TensorData};

const BETA_1: f32 = 0.9;
const BETA_2: f32 = 0.999;
const EPSILON: f32 = 1e-5;

/// burn's default Adam (see the module doc), fused on the CPU.
#[derive(Clone, Copy, Debug)]
pub struct Adam {
    /// Off only in tests, to check burn's expression on the CPU backend too.
    fuse_on_cpu: bool,
}

impl Adam {
    pub fn init() -> ModuleOptimizer {
        ModuleOptimizer::from(Adam { fuse_on_cpu: true })
    }
}

/// The step's scalars, as burn computes them from the step count `time` (≥ 1).
struct Factors {
    /// √(1 − β₂ᵗ) / (1 − β₁ᵗ): the bias corrections of both moments folded into one.
    combined: f32,
    /// ε·√(1 − β₂ᵗ): ε moved inside the corrected denominator.
    epsilon: f32,
}

impl Factors {
    fn at(time: usize) -> Self {
        let t = time as i32;
        let bias_correction2_sqrt = (1.0 - BETA_2.powi(t)).sqrt();
        Self {
            combined: bias_correction2_sqrt / (1.0 - BETA_1.powi(t)),
            epsilon: EPSILON * bias_correction2_sqrt,
        }
    }
}

impl Optimizer for Adam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        let fuse =
            self.fuse_on_cpu && tensor.device() == Device::flex() && tensor.dtype() == DType::F32;
        let (tensor, state) = if fuse {
            fused(lr as f32, tensor, grad, state.map(|s| s.momentum))
        } else {
            tensors(lr as f32, tensor, grad, state.map(|s| s.momentum))
        };
        (tensor, Some(AdamState::new(state)))
    }

    fn to_device<const D: usize>(mut state: Self::State<D>, device: &Device) -> Self::State<D> {
        state.momentum.moment_1 = state.momentum.moment_1.to_device(device);
        state.momentum.moment_2 = state.momentum.moment_2.to_device(device);
        state
    }
}

/// burn's own expression (burn-optim's `AdaptiveMomentum::transform`, without AMSGrad).
fn tensors<const D: usize>(
    lr: f32,
    tensor: Tensor<D>,
    grad: Tensor<D>,
    state: Option<AdaptiveMomentumState<D>>,
) -> (Tensor<D>, AdaptiveMomentumState<D>) {
    let (moment_1, moment_2, time) = match state {
        Some(s) => (
            s.moment_1
                .mul_scalar(BETA_1)
                .add(grad.clone().mul_scalar(1.0 - BETA_1)),
            s.moment_2
                .mul_scalar(BETA_2)
                .add(grad.square().mul_scalar(1.0 - BETA_2)),
            s.time + 1,
        ),
        None => (
            grad.clone().mul_scalar(1.0 - BETA_1),
            grad.square().mul_scalar(1.0 - BETA_2),
            1,
        ),
    };
    let f = Factors::at(time);
    let update = moment_1
        .clone()
        .mul_scalar(f.combined)
        .div(moment_2.clone().sqrt().add_scalar(f.epsilon));
    let tensor = tensor - update.mul_scalar(lr);
    (tensor, AdaptiveMomentumState::new(time, moment_1, moment_2))
}

/// The same arithmetic on host buffers in one pass. On the CPU backend a tensor's buffer is
/// handed over without a copy when nothing else holds it.
fn fused<const D: usize>(
    lr: f32,
    tensor: Tensor<D>,
    grad: Tensor<D>,
    state: Option<AdaptiveMomentumState<D>>,
) -> (Tensor<D>, AdaptiveMomentumState<D>) {
    let device = tensor.device();
    let shape = tensor.shape();
    let mut param = tensor.into_data();
    let grad = grad.into_data();
    let (mut m, mut v, time) = match state {
        Some(s) => (s.moment_1.into_data(), s.moment_2.into_data(), s.time + 1),
        None => (
            TensorData::zeros::<f32, _>(shape.clone()),
            TensorData::zeros::<f32, _>(shape.clone()),
            1,
        ),
    };
    let f = Factors::at(time);
    update_in_place(
        lr,
        &f,
        param.as_mut_slice::<f32>().expect("f32 parameter"),
        grad.as_slice::<f32>().expect("f32 gradient"),
        m.as_mut_slice::<f32>().expect("f32 moment"),
        v.as_mut_slice::<f32>().expect("f32 moment"),
    );
    (
        Tensor::from_data(param, &device),
        AdaptiveMomentumState::new(
            time,
            Tensor::from_data(m, &device),
            Tensor::from_data(v, &device),
        ),
    )
}

/// Below this many values a second thread costs more than it saves.
#[cfg(not(target_family = "wasm"))]
const SPLIT_AT: usize = 1 << 15;

fn update_in_place(lr: f32, f: &Factors, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    #[cfg(not(target_family = "wasm"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && p.len() >= SPLIT_AT {
            let chunk = p.len().div_ceil(threads);
            std::thread::scope(|s| {
                let parts = p
                    .chunks_mut(chunk)
                    .zip(g.chunks(chunk))
                    .zip(m.chunks_mut(chunk))
                    .zip(v.chunks_mut(chunk));
                for (((p, g), m), v) in parts {
                    s.spawn(move || update_serial(lr, f, p, g, m, v));
                }
            });
            return;
        }
    }
    update_serial(lr, f, p, g, m, v);
}

/// Each line is one of burn's tensor operations, rounded where burn rounds: no fused
/// multiply-add, so the bits match.
fn update_serial(lr: f32, f: &Factors, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        *m = *m * BETA_1 + g * (1.0 - BETA_1);
        *v = *v * BETA_2 + g * g * (1.0 - BETA_2);
        let update = *m * f.combined / (v.sqrt() + f.epsilon);
        *p -= update * lr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, Autoencoder};
    use crate::rng::Rng;
    use burn::module::{Module, ModuleVisitor, Param};
    use burn::optim::{AdamConfig, GradientsParams};

    struct Collect(Vec<Vec<f32>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0
                .push(param.val().into_data().try_into_vec::<f32>().unwrap());
        }
    }

    /// Every weight after `steps` optimiser steps on the same seeded batches.
    fn train(optim: ModuleOptimizer, steps: usize) -> Vec<Vec<f32>> {
        let device = Device::flex().autodiff();
        let dims = [12, 80, 600, 3];
        let mut rng = Rng::new(5);
        let mut ae: Autoencoder = Architecture::Dense(dims.to_vec()).init(&device, &mut rng);
        let mut optim = optim;
        for _ in 0..steps {
            let v = (0..16 * 12).map(|_| rng.normal() as f32).collect();
            let x = Tensor::from_data(TensorData::new(v, [16, 12]), &device);
            let loss = ae.reconstruction_loss(x);
            let grads = GradientsParams::from_grads(loss.backward(), &ae);
            ae = optim.step(1e-2, ae, grads);
        }
        let mut out = Collect(Vec::new());
        ae.visit(&mut out);
        out.0
    }

    #[test]
    fn fused_cpu_path_gives_burns_bits() {
        // 80 × 600 = 48,000 weights: above SPLIT_AT, so the threaded path runs too.
        let burn = train(AdamConfig::new().init(), 6);
        let ours = train(Adam::init(), 6);
        assert_eq!(burn.len(), ours.len());
        assert_ne!(
            burn,
            train(AdamConfig::new().init(), 5),
            "the steps move the weights"
        );
        for (a, b) in burn.iter().zip(&ours) {
            assert_eq!(a, b, "every weight equal after six steps");
        }
    }

    #[test]
    fn tensor_path_gives_burns_bits() {
        let burn = train(AdamConfig::new().init(), 4);
        let ours = train(ModuleOptimizer::from(Adam { fuse_on_cpu: false }), 4);
        assert_eq!(burn, ours);
    }

    #[test]
    fn first_step_moves_each_weight_by_about_the_learning_rate() {
        // Adam's first step is lr·g/|g| (up to ε) whatever the gradient's size: a hand check of
        // the bias correction.
        let mut p = vec![1.0f32, 1.0, 1.0];
        let g = [1e-3f32, -5.0, 40.0];
        let (mut m, mut v) = (vec![0.0; 3], vec![0.0; 3]);
        update_serial(0.01, &Factors::at(1), &mut p, &g, &mut m, &mut v);
        for (p, want) in p.iter().zip([0.99, 1.01, 0.99]) {
            assert!((p - want).abs() < 1e-4, "{p} against {want}");
        }
    }
}
