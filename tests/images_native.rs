//! Images end to end on the CPU backend: MNIST from its IDX files, DEC on flattened pixels and
//! DCEC's convolutional autoencoder. CI runs a seeded 2,000-image subset of the test set; the
//! whole 10,000-image test set runs with `cargo test --release --test images_native -- --ignored --nocapture`.

mod common;

use common::run_to_end;
use deepclust::cluster::Method;
use deepclust::cluster::kmeans::KMeansParams;
use deepclust::data::{ImageSet, Table, read_idx};
use deepclust::metrics::{Scores, accuracy};
use deepclust::rng::Rng;
use deepclust::train::{ImageShape, TrainConfig, block_on};

fn mnist_test(test: &str) -> Option<ImageSet> {
    let dir = format!("{}/../shared/data/mnist", env!("CARGO_MANIFEST_DIR"));
    let (Ok(images), Ok(labels)) = (
        std::fs::read(format!("{dir}/t10k-images-idx3-ubyte.gz")),
        std::fs::read(format!("{dir}/t10k-labels-idx1-ubyte.gz")),
    ) else {
        eprintln!(
            "SKIPPED {test}: {dir}/t10k-*-ubyte.gz are absent (the shared data folder holds them)"
        );
        return None;
    };
    Some(read_idx(images, Some(&labels)).expect("MNIST parses"))
}

/// A seeded subset of `n` images.
fn subset(set: &ImageSet, n: usize, seed: u64) -> ImageSet {
    let pick = &Rng::new(seed).permutation(set.len())[..n];
    let len = set.image_len();
    let labels = set.labels.as_ref().unwrap();
    ImageSet {
        pixels: pick
            .iter()
            .flat_map(|&i| set.pixels[i * len..(i + 1) * len].iter().copied())
            .collect(),
        names: pick.iter().map(|&i| set.names[i].clone()).collect(),
        labels: Some(pick.iter().map(|&i| labels[i]).collect()),
        ..set.clone()
    }
}

fn run(method: Method, set: &ImageSet, pretrain_epochs: Option<usize>) -> Scores {
    // The page's and the CLI's defaults, which read the pixels (IDEC's divisor on large sets).
    let table = Table::from_images(set.clone());
    let mut config = TrainConfig::for_table(method, 10, &table);
    if let Some(e) = pretrain_epochs {
        config.pretrain_epochs = e;
    }
    let d = table.dataset;
    let (out, warnings) = run_to_end(config, d.features, d.rows, d.cols);
    let s = Scores::new(d.labels.as_ref().unwrap(), &out.labels);
    println!(
        "MNIST-test {} images, {}: ACC {:.3} NMI {:.3} ARI {:.3} {warnings:?}",
        d.rows,
        method.name(),
        s.acc,
        s.nmi,
        s.ari
    );
    s
}

fn kmeans_on_pixels(set: &ImageSet) -> f64 {
    let d = set.to_dataset();
    let km = KMeansParams::new(10)
        .n_init(10)
        .seed(0)
        .check(d.rows)
        .unwrap()
        .fit(&d.features, d.rows, d.cols);
    let acc = accuracy(d.labels.as_ref().unwrap(), km.labels());
    println!(
        "MNIST-test {} images, k-means on pixels: ACC {acc:.3}",
        d.rows
    );
    acc
}

/// The pixel divisor reaches every place the network sees rows (pretraining and refinement
/// batches, the embedding of all rows, the saved model): training on pixels / 255 with divisor
/// 50 is training on pixels / 50 with divisor 255, bit for bit, and differs from plain / 255.
#[test]
fn the_pixel_divisor_is_what_the_network_sees() {
    let (rows, side) = (90, 4);
    let mut rng = Rng::new(5);
    let pixels: Vec<u8> = (0..rows * side * side)
        .map(|i| (((i / (side * side)) % 3) * 80 + (rng.next_f64() * 60.0) as usize) as u8)
        .collect();
    let shape = ImageShape { channels: 1, side };
    let config = |divisor: f32| {
        let mut c = TrainConfig::for_images(Method::Idec, 3, rows, shape);
        c.pretrain_epochs = 3;
        c.refine_epochs = 3;
        c.pixel_divisor = divisor;
        c
    };
    let over = |d: f32| -> Vec<f32> { pixels.iter().map(|&p| p as f32 / d).collect() };
    let cols = side * side;
    let trained = common::train(config(50.0), over(255.0), rows, cols);
    let (a, b, plain) = (
        trained.output().unwrap(),
        run_to_end(config(255.0), over(50.0), rows, cols).0,
        run_to_end(config(255.0), over(255.0), rows, cols).0,
    );
    assert_eq!((&a.embedding, &a.labels), (&b.embedding, &b.labels));
    assert_ne!(a.embedding, plain.embedding);
    let model = block_on(trained.fitted(Vec::new(), None, None)).unwrap().unwrap();
    assert_eq!(model.input().pixel_divisor, Some(50.0));
    let (labels, _) = block_on(model.predict(&over(255.0), rows)).unwrap();
    assert_eq!(labels, a.labels);
}

#[test]
fn idx_files_load_as_28_by_28_digits() {
    let Some(set) = mnist_test("idx_files_load_as_28_by_28_digits") else {
        return;
    };
    assert_eq!(
        (set.len(), set.width, set.height, set.channels),
        (10_000, 28, 28, 1)
    );
    assert_eq!(set.label_names.len(), 10);
    // The first test digit is a 7, famously.
    assert_eq!(set.labels.as_ref().unwrap()[0], 7);
}

#[test]
fn dec_on_a_mnist_subset_beats_kmeans_on_pixels() {
    let Some(set) = mnist_test("dec_on_a_mnist_subset_beats_kmeans_on_pixels") else {
        return;
    };
    let small = subset(&set, 2000, 1);
    let baseline = kmeans_on_pixels(&small);
    let dec = run(Method::Dec, &small, None);
    // Working DEC matches or beats k-means on the raw pixels even on this small subset
    // (0.599 vs 0.582 when written); broken training does not. The paper's 84% is for all
    // 70,000 digits and its much longer schedule.
    assert!(
        dec.acc >= baseline && dec.nmi >= 0.55,
        "DEC ACC {:.3} NMI {:.3} vs k-means on pixels ACC {baseline:.3}",
        dec.acc,
        dec.nmi
    );
}

#[test]
fn n2d_on_a_mnist_subset_beats_kmeans_on_pixels() {
    let Some(set) = mnist_test("n2d_on_a_mnist_subset_beats_kmeans_on_pixels") else {
        return;
    };
    let small = subset(&set, 2000, 1);
    let baseline = kmeans_on_pixels(&small);
    let n2d = run(Method::N2d, &small, None);
    // The manifold and the mixture on top of the autoencoder do better than k-means on the
    // pixels by a wide margin when they work (0.667 vs 0.499 when written on another subset);
    // a broken graph, loss or mixture falls to k-means level or below.
    assert!(
        n2d.acc >= baseline + 0.05 && n2d.nmi >= 0.6,
        "N2D ACC {:.3} NMI {:.3} vs k-means on pixels ACC {baseline:.3}",
        n2d.acc,
        n2d.nmi
    );
}

#[test]
fn neural_mixture_clusters_a_mnist_subset() {
    let Some(set) = mnist_test("neural_mixture_clusters_a_mnist_subset") else {
        return;
    };
    // The neural mixture (with its consistency term over shifted, noisy copies) is well
    // below DEC here and far below the paper's 98.9% on all 70,000 digits (see the module
    // doc); this bar only fails when EM stops finding digit structure (chance: 0.1 ACC, 0 NMI).
    let small = subset(&set, 2000, 1);
    let mixture = run(Method::MixtureEm, &small, None);
    assert!(
        mixture.acc >= 0.3 && mixture.nmi >= 0.3,
        "mixture-em ACC {:.3}, NMI {:.3}",
        mixture.acc,
        mixture.nmi
    );
}

#[test]
fn dcec_trains_on_a_mnist_subset() {
    let Some(set) = mnist_test("dcec_trains_on_a_mnist_subset") else {
        return;
    };
    // Convolutions on burn's pure-Rust CPU backend are slow (see the benchmark), so this only
    // shows that DCEC learns: a small subset and a short pretraining, scored against chance
    // (0.1 for ten digits); its accuracy on the whole test set is measured with --ignored.
    let small = subset(&set, 400, 2);
    let dcec = run(Method::Dcec, &small, Some(15));
    assert!(
        dcec.acc >= 0.3 && dcec.nmi >= 0.2,
        "DCEC ACC {:.3}, NMI {:.3}",
        dcec.acc,
        dcec.nmi
    );
}

#[test]
#[ignore = "the whole MNIST test set takes minutes; run with --ignored"]
fn every_image_method_on_the_whole_mnist_test_set() {
    let Some(set) = mnist_test("every_image_method_on_the_whole_mnist_test_set") else {
        return;
    };
    kmeans_on_pixels(&set);
    run(Method::Dec, &set, None);
    run(Method::N2d, &set, None);
    run(Method::MixtureEm, &set, None);
    run(Method::Dcec, &set, None);
}
