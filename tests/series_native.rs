//! Time series natively: the convolutional autoencoder under DEC finds three shapes that are
//! shifted in time and noisy (Cylinder-Bell-Funnel), through the same path as a dropped `.ts`
//! file.

mod common;

use deepclust::cluster::Method;
use deepclust::data::Table;
use deepclust::data::series::{Series, SeriesOptions, SeriesSet, cylinder_bell_funnel, read_ts};
use deepclust::metrics::Scores;
use deepclust::model::Architecture;
use deepclust::train::{SeriesNetwork, TrainConfig};

const LENGTH: usize = 128;

#[test]
fn dec_on_the_series_autoencoder_finds_cylinders_bells_and_funnels() {
    let text = cylinder_bell_funnel(40, 7);
    let set = SeriesSet::from_archive_files(
        &[("cbf.ts".into(), text.into_bytes())],
        SeriesOptions::default(),
    )
    .expect("reads");
    let table = Table::from_series(set);
    let d = &table.dataset;
    let truth = d.labels.as_ref().expect("labelled");
    let kmeans = {
        let (out, _) = common::run_to_end(
            TrainConfig::for_table(Method::KMeans, 3, &table),
            d.features.clone(),
            d.rows,
            d.cols,
        );
        Scores::new(truth, &out.labels).acc
    };
    // One run swings by a few points with the seed (0.84 to 0.91 measured), so three seeds
    // are averaged: the shapes start anywhere in 16..32 and last 32 to 96 steps, which
    // Euclidean k-means on the raw series cannot see past.
    let mut accs = Vec::new();
    for seed in [42, 1, 2] {
        let mut config = TrainConfig::for_table(Method::Dec, 3, &table);
        assert_eq!(
            config.architecture(),
            Architecture::Conv1d {
                channels: 1,
                length: LENGTH,
                embedding: 10,
                pooled: true
            },
            "shifted shapes get the pooled convolutional network"
        );
        config.seed = seed;
        let (out, _) = common::run_to_end(config, d.features.clone(), d.rows, d.cols);
        accs.push(Scores::new(truth, &out.labels).acc);
    }
    let mean = accs.iter().sum::<f64>() / 3.0;
    eprintln!(
        "Cylinder-Bell-Funnel: DEC on the series autoencoder ACC {accs:?} (mean {mean:.3}), k-means on the series {kmeans:.3}"
    );
    assert!(mean >= 0.8, "mean ACC {mean}: {accs:?}");
    assert!(mean > kmeans + 0.05, "DEC {mean} against k-means {kmeans}");
}

#[test]
fn every_autoencoder_method_trains_on_series() {
    // Short runs: each method must build, pretrain and refine either series network.
    let text = cylinder_bell_funnel(8, 3);
    let file = read_ts("s.ts", text.as_bytes()).expect("reads");
    let series: Vec<Series> = file.series;
    let set = SeriesSet::new(series, None, Vec::new(), SeriesOptions::default()).expect("set");
    let table = Table::from_series(set);
    let d = &table.dataset;
    for network in SeriesNetwork::ALL {
        for method in Method::all().filter(|m| m.is_deep() && m.name() != "dcec") {
            let mut config = TrainConfig::for_table(method, 3, &table);
            config.pretrain_epochs = 2;
            config.refine_epochs = 2;
            config.series_network = network;
            let arch = config.architecture();
            let expected = match network {
                SeriesNetwork::Conv => matches!(arch, Architecture::Conv1d { pooled: true, .. }),
                SeriesNetwork::ConvAligned => {
                    matches!(arch, Architecture::Conv1d { pooled: false, .. })
                }
                SeriesNetwork::Gru => matches!(arch, Architecture::Gru { .. }),
            };
            assert!(expected, "{} on {network:?}: {arch:?}", method.name());
            let (out, _) = common::run_to_end(config, d.features.clone(), d.rows, d.cols);
            assert_eq!(out.labels.len(), 24, "{} on {network:?}", method.name());
        }
    }
    // DCEC is for pictures and says so.
    let config = TrainConfig::for_table(Method::Dcec, 3, &table);
    let err = config.check(d.rows, d.cols).unwrap_err();
    assert!(err.to_string().contains("images"), "{err}");
}
