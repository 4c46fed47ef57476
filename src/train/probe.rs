//! Which device trains this run faster: a few real training steps of the run's network on
//! each, timed. A software GPU adapter (SwiftShader, lavapipe) or a small table can make the
//! CPU many times faster than "the GPU"; a large network on a real GPU the other way round.

use burn::tensor::Device;

use super::{AutoencoderSteps, TrainError};
use crate::model::Architecture;

/// Steps timed after the first (which compiles kernels and fills caches), at most.
const MAX_STEPS: usize = 8;

/// Milliseconds per training step of `architecture` on batches of `batch` rows on `device`:
/// the median of the steps that fit in `budget_ms` (at least two) after one untimed step.
/// `now` is a clock in milliseconds (the browser's or the process's).
pub async fn step_ms(
    architecture: &Architecture,
    batch: usize,
    device: Device,
    budget_ms: f64,
    now: &dyn Fn() -> f64,
) -> Result<f64, TrainError> {
    let mut steps = AutoencoderSteps::new(architecture, batch.max(1), 7, device);
    steps.step().await?;
    let start = now();
    let mut times = Vec::new();
    while times.len() < 2 || (times.len() < MAX_STEPS && now() - start < budget_ms) {
        let t = now();
        steps.step().await?;
        times.push(now() - t);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The probe's finding, in words for the badge: which device is faster, by how much.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbeResult {
    pub cpu_ms: f64,
    pub gpu_ms: f64,
}

impl ProbeResult {
    pub fn gpu_faster(&self) -> bool {
        self.gpu_ms < self.cpu_ms
    }

    /// How many times faster the faster device is (at least 1).
    pub fn ratio(&self) -> f64 {
        let (fast, slow) = if self.gpu_faster() {
            (self.gpu_ms, self.cpu_ms)
        } else {
            (self.cpu_ms, self.gpu_ms)
        };
        slow / fast.max(1e-6)
    }

    /// "CPU · 40× faster than this GPU (SwiftShader) for this data", or the other way round;
    /// starts with `WebGPU`/`wgpu` or `CPU` as the badge's callers expect.
    pub fn describe(&self, gpu_word: &str, adapter: &str) -> String {
        let times = |r: f64| {
            if r >= 10.0 {
                format!("{r:.0}×")
            } else {
                format!("{r:.1}×")
            }
        };
        let adapter = if adapter.is_empty() {
            String::new()
        } else {
            format!(" ({adapter})")
        };
        if self.gpu_faster() {
            format!("{gpu_word}{adapter} · {} faster than the CPU for this data", times(self.ratio()))
        } else {
            format!("CPU · {} faster than this GPU{adapter} for this data", times(self.ratio()))
        }
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_timed_on_the_cpu() {
        let started = std::time::Instant::now();
        let now = move || started.elapsed().as_secs_f64() * 1000.0;
        let arch = Architecture::dense(vec![13, 32, 8]).unwrap();
        let ms = crate::train::block_on(step_ms(&arch, 64, Device::flex(), 50.0, &now)).unwrap();
        assert!(ms > 0.0 && ms < 5_000.0, "{ms}");
    }

    #[test]
    fn the_badge_names_the_faster_device_and_the_ratio() {
        let slow_gpu = ProbeResult { cpu_ms: 2.0, gpu_ms: 80.0 };
        assert_eq!(
            slow_gpu.describe("WebGPU", "SwiftShader, a software adapter"),
            "CPU · 40× faster than this GPU (SwiftShader, a software adapter) for this data"
        );
        let fast_gpu = ProbeResult { cpu_ms: 30.0, gpu_ms: 12.0 };
        assert_eq!(fast_gpu.describe("WebGPU", ""), "WebGPU · 2.5× faster than the CPU for this data");
    }
}
