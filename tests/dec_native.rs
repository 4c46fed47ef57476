//! DEC end to end on the CPU backend, scored against known classes.

mod common;

use burn::tensor::Device;
use common::{blobs, run_to_end, shared_csv};
use deepclust::cluster::Method;
use deepclust::cluster::kmeans::KMeansParams;
use deepclust::data::standardize;
use deepclust::metrics::accuracy;
use deepclust::train::{Phase, TrainConfig, Trainer, block_on};

fn dec(k: usize, rows: usize, cols: usize) -> TrainConfig {
    TrainConfig::for_data(Method::Dec, k, rows, cols)
}

#[test]
fn dec_separates_gaussian_blobs() {
    let (k, per, dim) = (4, 100, 8);
    let (mut x, truth) = blobs(k, per, dim, 11);
    let rows = k * per;
    standardize(&mut x, rows, dim);
    let (out, _) = run_to_end(dec(k, rows, dim), x, rows, dim);
    let acc = accuracy(&truth, &out.labels);
    println!("blobs: DEC ACC {acc:.3}");
    assert!(acc >= 0.95, "ACC {acc}");
    assert_eq!(out.confidence.len(), rows);
    assert!(
        out.confidence
            .iter()
            .all(|&c| c > 1.0 / k as f32 - 1e-6 && c <= 1.0)
    );
}

#[test]
fn dec_on_wine_is_no_worse_than_kmeans() {
    let Some(d) = shared_csv("wine.csv", "dec_on_wine_is_no_worse_than_kmeans") else {
        return;
    };
    assert_eq!(
        (d.rows, d.cols),
        (178, 13),
        "label column must stay out of the features"
    );
    let truth = d.labels.clone().unwrap();
    let km = KMeansParams::new(3)
        .n_init(10)
        .seed(0)
        .check(d.rows)
        .unwrap()
        .fit(&d.features, d.rows, d.cols);
    let acc_km = accuracy(&truth, km.labels());
    let (out, _) = run_to_end(dec(3, d.rows, d.cols), d.features.clone(), d.rows, d.cols);
    let acc_dec = accuracy(&truth, &out.labels);
    println!("wine: k-means ACC {acc_km:.3}, DEC ACC {acc_dec:.3}");
    assert!(
        acc_dec >= acc_km - 0.03,
        "DEC {acc_dec} vs k-means {acc_km}"
    );
}

#[test]
fn same_seed_gives_the_same_clusters() {
    let (mut x, _) = blobs(3, 30, 4, 5);
    standardize(&mut x, 90, 4);
    let mut config = dec(3, 90, 4);
    config.pretrain_epochs = 20;
    let (a, _) = run_to_end(config.clone(), x.clone(), 90, 4);
    let (b, _) = run_to_end(config, x, 90, 4);
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.embedding, b.embedding);
}

#[test]
fn every_pretrain_and_refine_step_trains() {
    // A step that runs no batch reports a NaN loss. In refinement that once meant two target
    // updates with no training between them, which stopped DEC after a single epoch.
    let (mut x, _) = blobs(3, 30, 4, 9);
    standardize(&mut x, 90, 4);
    let mut config = dec(3, 90, 4);
    config.pretrain_epochs = 5;
    // Only the epoch limit may end refinement, so it crosses several epoch boundaries.
    config.tol = 0.0;
    config.refine_epochs = 3;
    let mut trainer = Trainer::new(config, x, 90, 4, Device::flex()).unwrap();
    let mut refine_steps = 0;
    for step in 0..10_000 {
        let before = trainer.phase();
        let stats = block_on(trainer.step(step as f64)).unwrap();
        if stats.phase == Phase::Done {
            break;
        }
        if matches!(before, Phase::Pretrain | Phase::Refine) {
            assert!(
                stats.loss.is_finite(),
                "step {step} in {before:?} trained nothing: {stats:?}"
            );
        }
        refine_steps += usize::from(before == Phase::Refine);
    }
    assert_eq!(trainer.phase(), Phase::Done);
    let batches_per_epoch = 90usize.div_ceil(dec(3, 90, 4).batch_size);
    assert_eq!(
        refine_steps,
        3 * batches_per_epoch,
        "3 epochs of one-batch steps"
    );
}
