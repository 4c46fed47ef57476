use burn::tensor::Shape;
use burn_cubecl::CubeBackend;
use burn_cubecl::ops::numeric::empty_device_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::{CubeCount, CubeDim};

use super::BlockMatmul;
use super::kernel::{BLOCK, matmul_block4};

/// Invocations per workgroup along columns and rows: 16 × 16, each a 4 × 4 block, so one
/// workgroup covers a 64 × 64 tile of the output.
const GROUP: u32 = 16;

impl BlockMatmul for CubeBackend {
    fn block_matmul(lhs: CubeTensor, rhs: CubeTensor) -> CubeTensor {
        lhs.assert_is_on_same_device(&rhs);
        assert_eq!(lhs.meta.num_dims(), 2, "block_matmul takes matrices");
        assert_eq!(rhs.meta.num_dims(), 2, "block_matmul takes matrices");
        let (m, k) = (lhs.meta.shape()[0], lhs.meta.shape()[1]);
        let (k2, n) = (rhs.meta.shape()[0], rhs.meta.shape()[1]);
        assert_eq!(
            k, k2,
            "block_matmul: inner sizes differ ({m}×{k} · {k2}×{n})"
        );
        let dtype = lhs.dtype;
        assert_eq!(
            dtype,
            burn::tensor::DType::F32,
            "block_matmul is written for f32"
        );
        let out = empty_device_dtype(
            lhs.client.clone(),
            lhs.device.clone(),
            Shape::new([m, n]),
            dtype,
        );
        if m == 0 || n == 0 {
            return out;
        }
        let (a_row, a_col) = (lhs.meta.strides()[0], lhs.meta.strides()[1]);
        let (b_row, b_col) = (rhs.meta.strides()[0], rhs.meta.strides()[1]);
        let blocks_x = n.div_ceil(BLOCK) as u32;
        let blocks_y = m.div_ceil(BLOCK) as u32;
        let count = CubeCount::Static(blocks_x.div_ceil(GROUP), blocks_y.div_ceil(GROUP), 1);
        // SAFETY: every index the kernel reads is clamped into the operands' shapes through
        // their strides, and it writes only rows < m and columns < n of the contiguous output.
        unsafe {
            matmul_block4::launch_unchecked(
                &out.client,
                count,
                CubeDim::new_2d(GROUP, GROUP),
                lhs.into_tensor_arg(),
                rhs.into_tensor_arg(),
                out.clone().into_tensor_arg(),
                m,
                n,
                k,
                a_row,
                a_col,
                b_row,
                b_col,
            );
        }
        out
    }
}
