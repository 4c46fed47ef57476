//! Shared by the native integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use burn::tensor::Device;
use deepclust::data::{CsvOptions, Dataset, parse_csv};
use deepclust::rng::Rng;
use deepclust::train::{Phase, TrainConfig, Trainer, TrainerOutput, block_on};

pub fn run_to_end(
    config: TrainConfig,
    features: impl Into<Arc<Vec<f32>>>,
    rows: usize,
    cols: usize,
) -> (TrainerOutput, Vec<String>) {
    let trainer = train(config, features, rows, cols);
    (trainer.output().expect("done"), trainer.warnings().to_vec())
}

/// A trainer run to [`Phase::Done`] on the CPU.
pub fn train(
    config: TrainConfig,
    features: impl Into<Arc<Vec<f32>>>,
    rows: usize,
    cols: usize,
) -> Trainer {
    let mut trainer =
        Trainer::new(config, features, rows, cols, Device::flex()).expect("valid settings");
    trainer.set_batches_per_step(16);
    let mut steps = 0;
    while trainer.phase() != Phase::Done {
        let stats = block_on(trainer.step(steps as f64)).expect("training step");
        assert!(stats.progress >= 0.0 && stats.progress <= 1.0, "{stats:?}");
        steps += 1;
        assert!(steps < 100_000, "training never finished");
    }
    trainer
}

/// `k` Gaussian blobs with unit spread around centres drawn far apart.
pub fn blobs(k: usize, per: usize, dim: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
    let mut rng = Rng::new(seed);
    let centres: Vec<f64> = (0..k * dim).map(|_| rng.normal() * 8.0).collect();
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..k * per {
        let c = i % k;
        x.extend((0..dim).map(|d| (centres[c * dim + d] + rng.normal()) as f32));
        y.push(c as u32);
    }
    (x, y)
}

/// A CSV from `../shared/data/tabular`, or `None` (with a note on stderr) when the shared
/// data folder is absent.
pub fn shared_csv(name: &str, test: &str) -> Option<Dataset> {
    let path = format!(
        "{}/../shared/data/tabular/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("SKIPPED {test}: {path} is absent (the shared data folder holds it)");
        return None;
    };
    Some(parse_csv(&bytes, &CsvOptions::default()).expect("shared CSVs parse"))
}
