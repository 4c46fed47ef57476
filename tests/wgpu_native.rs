//! Every deep method on the wgpu backend (natively: Vulkan, in CI Mesa's lavapipe), so the
//! tensor code the browser runs on WebGPU is exercised outside a browser too. Skips with a
//! note when no adapter comes up.

mod common;

use std::sync::OnceLock;

use burn::tensor::{Device, Tensor, TensorData};
use common::blobs;
use deepclust::cluster::Method;
use deepclust::data::standardize;
use deepclust::metrics::accuracy;
use deepclust::model::{block_matmul, dense_layers_use_block_kernel};
use deepclust::rng::Rng;
use deepclust::train::{Backend, Phase, TrainConfig, Trainer, block_on, choose_device};

/// The one wgpu device of this process (wgpu comes up once per process), or `None` with a
/// note when there is no adapter.
fn gpu(test: &str) -> Option<Device> {
    static GPU: OnceLock<Result<Device, String>> = OnceLock::new();
    let gpu = GPU.get_or_init(|| {
        let (device, backend, why_not) = block_on(choose_device(true));
        if backend == Backend::Gpu {
            Ok(device)
        } else {
            Err(why_not.unwrap_or_default())
        }
    });
    match gpu {
        Ok(device) => Some(device.clone()),
        Err(why_not) => {
            // `./build.sh test` installs Mesa's lavapipe and sets this, so there a missing
            // adapter is a failure rather than a silent skip.
            assert!(
                std::env::var_os("DEEPCLUST_REQUIRE_WGPU").is_none(),
                "no wgpu adapter came up ({why_not}), and DEEPCLUST_REQUIRE_WGPU is set"
            );
            eprintln!("SKIPPED {test}: no wgpu adapter ({why_not})");
            None
        }
    }
}

#[test]
fn deep_methods_train_on_wgpu() {
    let Some(device) = gpu("deep_methods_train_on_wgpu") else {
        return;
    };
    let block = dense_layers_use_block_kernel(&device);
    println!(
        "dense layers' matrix product: {}",
        if block { "our block kernel" } else { "burn's" }
    );
    // `./build.sh test` runs this file a second time on Chromium's SwiftShader, where the
    // choice by adapter must pick our kernel, as it does in the browser.
    if std::env::var_os("DEEPCLUST_EXPECT_BLOCK_KERNEL").is_some() {
        assert!(
            block,
            "a software adapter other than llvmpipe kept burn's matrix product"
        );
    }
    let (k, per, dim) = (3, 40, 5);
    let rows = k * per;
    let (mut x, truth) = blobs(k, per, dim, 3);
    standardize(&mut x, rows, dim);
    for method in Method::all().filter(|m| m.is_deep() && *m != Method::Dcec) {
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

/// Values in ±1 from the crate's seeded generator, so every run sees the same matrices.
fn matrix(rows: usize, cols: usize, seed: u64, device: &Device) -> Tensor<2> {
    let mut rng = Rng::new(seed);
    let values: Vec<f32> = (0..rows * cols)
        .map(|_| (rng.next_f64() * 2.0 - 1.0) as f32)
        .collect();
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

fn assert_close(got: Tensor<2>, want: Tensor<2>, what: &str) {
    assert_eq!(got.dims(), want.dims(), "{what}: shape");
    let got = got.into_data().try_to_vec::<f32>().unwrap();
    let want = want.into_data().try_to_vec::<f32>().unwrap();
    let scale = want.iter().fold(1.0f32, |m, v| m.max(v.abs()));
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-4 * scale,
            "{what}: element {i} is {g}, burn's product gives {w}"
        );
    }
}

/// Our kernel (src/model/gpu_matmul/) against burn's product on the same device: sizes that
/// are and are not multiples of its 4 × 4 blocks and of its 64 × 64 workgroups, a single row,
/// column or inner element, and transposed views read in place.
#[test]
fn block_matmul_matches_burns_product() {
    let Some(device) = gpu("block_matmul_matches_burns_product") else {
        return;
    };
    for (seed, &(m, k, n)) in [
        (1, 1, 1),
        (5, 7, 3),
        (4, 4, 4),
        (64, 33, 130),
        (67, 129, 61),
        (256, 784, 500),
        (1, 40, 9),
        (9, 40, 1),
    ]
    .iter()
    .enumerate()
    {
        let seed = seed as u64 * 2;
        let a = matrix(m, k, seed, &device);
        let b = matrix(k, n, seed + 1, &device);
        let what = format!("{m}×{k} · {k}×{n}");
        assert_close(
            block_matmul(a.clone(), b.clone()),
            a.clone().matmul(b.clone()),
            &what,
        );
        // The backward pass's shapes: aᵀ·g and g·bᵀ, as strided views.
        let at = matrix(k, m, seed + 7, &device).transpose();
        let bt = matrix(n, k, seed + 9, &device).transpose();
        assert_close(
            block_matmul(at.clone(), b.clone()),
            at.clone().matmul(b),
            &format!("{what}, lhs transposed"),
        );
        assert_close(
            block_matmul(a.clone(), bt.clone()),
            a.matmul(bt.clone()),
            &format!("{what}, rhs transposed"),
        );
        assert_close(
            block_matmul(at.clone(), bt.clone()),
            at.matmul(bt),
            &format!("{what}, both transposed"),
        );
    }
}

/// Its backward pass gives burn's gradients, for both operands and for one of them tracked.
#[test]
fn block_matmul_gradients_match_burns() {
    let Some(device) = gpu("block_matmul_gradients_match_burns") else {
        return;
    };
    let device = device.autodiff();
    let (m, k, n) = (37, 70, 23);
    let weights = matrix(m, n, 5, &device);
    let grads = |product: fn(Tensor<2>, Tensor<2>) -> Tensor<2>, track_b: bool| {
        let a = matrix(m, k, 3, &device).require_grad();
        let mut b = matrix(k, n, 4, &device);
        if track_b {
            b = b.require_grad();
        }
        // A weighted sum, so each output element gets a different gradient.
        let loss = (product(a.clone(), b.clone()) * weights.clone()).sum();
        let mut g = loss.backward();
        let ga = a.grad_remove(&mut g).expect("lhs gradient");
        let gb = track_b.then(|| b.grad_remove(&mut g).expect("rhs gradient"));
        (ga, gb)
    };
    for track_b in [true, false] {
        let (ours_a, ours_b) = grads(block_matmul, track_b);
        let (burn_a, burn_b) = grads(|a, b| a.matmul(b), track_b);
        assert_close(ours_a, burn_a, "∂lhs");
        if let (Some(ours), Some(burn)) = (ours_b, burn_b) {
            assert_close(ours, burn, "∂rhs");
        }
    }
}
