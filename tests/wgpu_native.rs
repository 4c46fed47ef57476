//! Every deep method on the wgpu backend (natively: Vulkan, in CI Mesa's lavapipe), so the
//! tensor code the browser runs on WebGPU is exercised outside a browser too. Skips with a
//! note when no adapter comes up.

mod common;

use burn::tensor::Device;
use common::blobs;
use deepclust::cluster::Method;
use deepclust::data::standardize;
use deepclust::metrics::accuracy;
use deepclust::train::{Backend, Phase, TrainConfig, Trainer, block_on, choose_device};

#[test]
fn deep_methods_train_on_wgpu() {
    let (device, backend, why_not) = block_on(choose_device(true));
    if backend != Backend::Gpu {
        // `./build.sh test` installs Mesa's lavapipe and sets this, so there a missing adapter
        // is a failure rather than a silent skip.
        assert!(
            std::env::var_os("DEEPCLUST_REQUIRE_WGPU").is_none(),
            "no wgpu adapter came up ({}), and DEEPCLUST_REQUIRE_WGPU is set",
            why_not.clone().unwrap_or_default()
        );
        eprintln!(
            "SKIPPED deep_methods_train_on_wgpu: no wgpu adapter ({})",
            why_not.unwrap_or_default()
        );
        return;
    }
    let (k, per, dim) = (3, 40, 5);
    let rows = k * per;
    let (mut x, truth) = blobs(k, per, dim, 3);
    standardize(&mut x, rows, dim);
    for method in Method::ALL
        .into_iter()
        .filter(|m| m.is_deep() && *m != Method::Dcec)
    {
        let mut config = TrainConfig::for_data(method, k, rows, dim);
        config.pretrain_epochs = 30;
        config.refine_epochs = 5;
        let mut trainer =
            Trainer::new(config, x.clone(), rows, dim, Device::clone(&device)).unwrap();
        trainer.set_batches_per_step(8);
        let mut step = 0;
        while trainer.phase() != Phase::Done {
            block_on(trainer.step(step as f64))
                .unwrap_or_else(|e| panic!("{}: {e}", method.name()));
            step += 1;
        }
        let out = trainer.output().unwrap();
        let acc = accuracy(&truth, &out.labels);
        println!("wgpu blobs {}: ACC {acc:.3}", method.name());
        assert!(
            acc > 0.9,
            "{}: ACC {acc} on well-separated blobs",
            method.name()
        );
    }
}
