//! The dense layers' matrix product on a software WebGPU adapter, through our own kernel
//! (`kernel.rs`, and why), as a burn backend extension with its own backward pass. Elsewhere
//! (the CPU, real cards) the layers keep burn's product, so those results stay bit for bit
//! what they were.

mod autodiff;
mod cube;
mod kernel;

use burn::backend::tensor::FloatTensor;
use burn::backend::{Dispatch, DispatchDevice, backend_extension};
use burn::nn::Linear;
use burn::tensor::{Device, Tensor};
use std::sync::OnceLock;

#[backend_extension(Cube, Flex, Autodiff)]
pub trait BlockMatmul: burn::backend::Backend {
    /// `[m, k] · [k, n]` → `[m, n]`; either operand may be a strided view.
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// burn's product: only reached if a caller routes a CPU tensor here.
impl BlockMatmul for burn::backend::Flex {
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::backend::ops::FloatTensorOps;
        Self::float_matmul(lhs, rhs)
    }
}

/// Whether the dense layers' products on `device` go through our kernel: on a CubeCL (wgpu)
/// device whose adapter is software (no physical card: SwiftShader in a browser without a
/// usable GPU), under autodiff or not. Mesa's llvmpipe (lavapipe) is software too, but there
/// burn's kernel is the faster one, so it stays; on real cards burn's tiled kernels stay.
/// `DEEPCLUST_GPU_MATMUL=block` or `=burn` forces one natively, to compare them (measurements:
/// docs/DECISIONS.md, "Our matrix-product kernel on software adapters").
pub fn dense_layers_use_block_kernel(device: &Device) -> bool {
    // Decided once: asking the adapter opens the device, too slow for every layer's forward,
    // and a process has one wgpu device (src/train/device.rs).
    static CHOICE: OnceLock<bool> = OnceLock::new();
    if !is_cube(device) {
        return false;
    }
    *CHOICE.get_or_init(|| match std::env::var("DEEPCLUST_GPU_MATMUL").as_deref() {
        Ok("block") => true,
        Ok("burn") => false,
        _ => device.identity().is_some_and(|id| {
            id.physical.is_none() && !id.name.to_lowercase().contains("llvmpipe")
        }),
    })
}

/// `[m, k] · [k, n]` → `[m, n]` through our kernel on any CubeCL (wgpu) device, whatever its
/// adapter, with its own backward pass; burn's product on other devices. Either operand may
/// be a transposed view.
pub fn block_matmul(lhs: Tensor<2>, rhs: Tensor<2>) -> Tensor<2> {
    if !is_cube(&lhs.device()) {
        return lhs.matmul(rhs);
    }
    Tensor::from_dispatch(Dispatch::block_matmul(
        lhs.into_dispatch(),
        rhs.into_dispatch(),
    ))
}

fn is_cube(device: &Device) -> bool {
    let mut dispatch = device.as_dispatch().clone();
    if let DispatchDevice::Autodiff(inner) = dispatch {
        dispatch = inner.inner();
    }
    matches!(dispatch, DispatchDevice::Cube(_))
}

/// `Linear::forward` for `[batch, d_in]` input, with our kernel where
/// `dense_layers_use_block_kernel` says.
pub fn forward_linear(layer: &Linear, x: Tensor<2>) -> Tensor<2> {
    if !dense_layers_use_block_kernel(&x.device()) {
        return layer.forward(x);
    }
    let y = block_matmul(x, layer.weight.val());
    match &layer.bias {
        Some(bias) => y + bias.val().unsqueeze(),
        None => y,
    }
}
