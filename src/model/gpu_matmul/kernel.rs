//! A matrix product for GPUs without matrix instructions, such as the CPU emulations browsers
//! fall back to (SwiftShader) or Mesa's lavapipe.
//!
//! Each invocation computes a 4 × 4 block of the output straight from global memory: no shared
//! memory and no barriers. On an emulated GPU "global memory" is the CPU's cached RAM, so the
//! staging through shared memory that cubek's kernels do buys nothing, and every barrier is a
//! switch between the emulator's coroutines; with burn's default kernel on SwiftShader nearly
//! all of a training step went to matrix products (measurements: docs/DECISIONS.md, "Our
//! matrix-product kernel on software adapters"). Sixteen accumulators in registers give 16
//! multiply-adds for every 8 loads.
//!
//! Operands come with their strides, so a transposed view (the backward pass's `aᵀ·g` and
//! `g·bᵀ`) is read in place rather than copied first.

use cubecl::prelude::*;

/// Output rows and columns one invocation computes.
pub const BLOCK: usize = 4;

/// `out[m × n] = a[m × k] · b[k × n]`, with `a[i][p]` at `i·a_row + p·a_col` and
/// `b[p][j]` at `p·b_row + j·b_col`; `out` is contiguous. Launched over
/// `⌈n/4⌉ × ⌈m/4⌉` invocations (x along columns).
#[cube(launch_unchecked)]
#[allow(clippy::too_many_arguments)]
pub fn matmul_block4(
    a: &Tensor<f32>,
    b: &Tensor<f32>,
    out: &mut Tensor<f32>,
    m: usize,
    n: usize,
    k: usize,
    a_row: usize,
    a_col: usize,
    b_row: usize,
    b_col: usize,
) {
    let col0 = ABSOLUTE_POS_X as usize * 4;
    let row0 = ABSOLUTE_POS_Y as usize * 4;
    if row0 >= m || col0 >= n {
        terminate!();
    }
    // Rows and columns past the edge read the last valid one, so every load stays in bounds
    // without a branch in the inner loop; their results are not written.
    let r0 = row0 * a_row;
    let r1 = select(row0 + 1 < m, row0 + 1, m - 1) * a_row;
    let r2 = select(row0 + 2 < m, row0 + 2, m - 1) * a_row;
    let r3 = select(row0 + 3 < m, row0 + 3, m - 1) * a_row;
    let c0 = col0 * b_col;
    let c1 = select(col0 + 1 < n, col0 + 1, n - 1) * b_col;
    let c2 = select(col0 + 2 < n, col0 + 2, n - 1) * b_col;
    let c3 = select(col0 + 3 < n, col0 + 3, n - 1) * b_col;

    let mut s00 = 0.0f32;
    let mut s01 = 0.0f32;
    let mut s02 = 0.0f32;
    let mut s03 = 0.0f32;
    let mut s10 = 0.0f32;
    let mut s11 = 0.0f32;
    let mut s12 = 0.0f32;
    let mut s13 = 0.0f32;
    let mut s20 = 0.0f32;
    let mut s21 = 0.0f32;
    let mut s22 = 0.0f32;
    let mut s23 = 0.0f32;
    let mut s30 = 0.0f32;
    let mut s31 = 0.0f32;
    let mut s32 = 0.0f32;
    let mut s33 = 0.0f32;

    for p in 0..k {
        let pa = p * a_col;
        let a0 = a[r0 + pa];
        let a1 = a[r1 + pa];
        let a2 = a[r2 + pa];
        let a3 = a[r3 + pa];
        let pb = p * b_row;
        let b0 = b[pb + c0];
        let b1 = b[pb + c1];
        let b2 = b[pb + c2];
        let b3 = b[pb + c3];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s02 += a0 * b2;
        s03 += a0 * b3;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s12 += a1 * b2;
        s13 += a1 * b3;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s22 += a2 * b2;
        s23 += a2 * b3;
        s30 += a3 * b0;
        s31 += a3 * b1;
        s32 += a3 * b2;
        s33 += a3 * b3;
    }

    let full_cols = col0 + 4 <= n;
    let o0 = row0 * n + col0;
    write_row(out, o0, n - col0, full_cols, s00, s01, s02, s03);
    if row0 + 1 < m {
        write_row(out, o0 + n, n - col0, full_cols, s10, s11, s12, s13);
    }
    if row0 + 2 < m {
        write_row(out, o0 + 2 * n, n - col0, full_cols, s20, s21, s22, s23);
    }
    if row0 + 3 < m {
        write_row(out, o0 + 3 * n, n - col0, full_cols, s30, s31, s32, s33);
    }
}

/// Up to four values of one output row from `at`; `left` is how many columns remain.
#[cube]
#[allow(clippy::too_many_arguments)]
fn write_row(
    out: &mut Tensor<f32>,
    at: usize,
    left: usize,
    full: bool,
    v0: f32,
    v1: f32,
    v2: f32,
    v3: f32,
) {
    out[at] = v0;
    if full || left > 1 {
        out[at + 1] = v1;
    }
    if full || left > 2 {
        out[at + 2] = v2;
    }
    if full || left > 3 {
        out[at + 3] = v3;
    }
}
