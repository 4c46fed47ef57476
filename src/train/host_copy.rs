//! Copies a network's weights into main memory with asynchronous reads. Saving goes through
//! burn's record, which reads every weight synchronously, and WebGPU has no synchronous
//! reads (the call traps in the browser); a copy on the CPU device saves anywhere.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::trainer::{TrainError, read_back};
use crate::model::{Architecture, Autoencoder};
use crate::rng::Rng;

/// Every float parameter, flattened, in the module's own visiting order.
struct Gather(Vec<(Vec<usize>, Tensor<1>)>);

impl ModuleVisitor for Gather {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val();
        let shape = value.dims().to_vec();
        let len: usize = shape.iter().product();
        self.0.push((shape, value.reshape([len])));
    }
}

/// Replaces each float parameter, in the same order, with the gathered values.
struct Fill {
    values: std::vec::IntoIter<(Vec<usize>, Vec<f32>)>,
    device: Device,
}

impl ModuleMapper for Fill {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (shape, values) = self
            .values
            .next()
            .expect("a network of the same architecture has the same parameters");
        let device = self.device.clone();
        param.map(move |_| Tensor::from_data(TensorData::new(values, shape), &device))
    }
}

/// `fresh`, a module of the same structure on the CPU device, given `source`'s weights.
pub(super) async fn weights_into<M: Module>(source: &M, fresh: M) -> Result<M, TrainError> {
    let mut gather = Gather(Vec::new());
    source.visit(&mut gather);
    let mut values = Vec::with_capacity(gather.0.len());
    for (shape, tensor) in gather.0 {
        values.push((shape, read_back(tensor.detach()).await?));
    }
    Ok(fresh.map(&mut Fill {
        values: values.into_iter(),
        device: Device::flex(),
    }))
}

/// The same network with its weights on the CPU device.
pub(super) async fn autoencoder_on_host(
    ae: &Autoencoder,
    arch: &Architecture,
) -> Result<Autoencoder, TrainError> {
    // Any initial weights: every one is replaced.
    weights_into(ae, arch.init(&Device::flex(), &mut Rng::new(0))).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::block_on;

    #[test]
    fn the_copy_computes_what_the_original_does() {
        for arch in [
            Architecture::Dense(vec![3, 5, 2]),
            Architecture::Conv {
                channels: 1,
                side: 12,
                embedding: 3,
            },
            Architecture::Conv1d {
                channels: 2,
                length: 9,
                embedding: 3,
                pooled: true,
            },
            Architecture::Conv1d {
                channels: 2,
                length: 9,
                embedding: 3,
                pooled: false,
            },
            Architecture::Gru {
                channels: 2,
                length: 9,
                embedding: 3,
            },
        ] {
            let device = Device::flex().autodiff();
            let ae = arch.init(&device, &mut Rng::new(9));
            let copy = block_on(autoencoder_on_host(&ae, &arch)).unwrap();
            let cols = arch.input_size();
            let x: Vec<f32> = (0..2 * cols).map(|i| (i % 7) as f32 / 7.0 - 0.4).collect();
            let a = block_on(super::super::fitted::embed_rows(
                &ae, &x, 2, cols, None, &device,
            ))
            .unwrap();
            let b = block_on(super::super::fitted::embed_rows(
                &copy,
                &x,
                2,
                cols,
                None,
                &Device::flex(),
            ))
            .unwrap();
            assert_eq!(a, b);
            // And it is not the fresh network it was built from.
            let fresh = arch.init(&Device::flex(), &mut Rng::new(0));
            let c = block_on(super::super::fitted::embed_rows(
                &fresh,
                &x,
                2,
                cols,
                None,
                &Device::flex(),
            ))
            .unwrap();
            assert_ne!(a, c);
        }
    }
}
