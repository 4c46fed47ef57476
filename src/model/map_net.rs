use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Device, Tensor};

use super::dense::{linear, stack};
use crate::rng::Rng;

/// A small network that places points of a fixed embedding in a low-dimensional map
/// (parametric UMAP, Sainburg, McInnes & Gentner 2021): ReLU hidden layers, linear output.
#[derive(Module, Debug)]
pub struct MapNet {
    layers: Vec<Linear>,
}

impl MapNet {
    /// `dims` from input to output, e.g. `[10, 100, 100, 2]`.
    pub fn new(dims: &[usize], device: &Device, rng: &mut Rng) -> Self {
        Self {
            layers: dims
                .windows(2)
                .map(|w| linear(w[0], w[1], device, rng))
                .collect(),
        }
    }

    /// `[batch, input]` → `[batch, output]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        stack(&self.layers, x)
    }
}
