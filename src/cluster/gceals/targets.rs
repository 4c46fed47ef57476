/// p_ij = softmax_j(−d_M(z_i, μ_j)) with d_M² = Σ_d (z_id − μ_jd)² / σ²_jd; row-major
/// `rows × k`. `z` is `rows × dim`, `mu` and `variance` are `k × dim`.
pub fn gaussian_target(z: &[f32], mu: &[f32], variance: &[f32], dim: usize) -> Vec<f32> {
    let k = mu.len() / dim;
    let mut p = Vec::with_capacity(z.len() / dim * k);
    let mut logits = vec![0f64; k];
    for zi in z.chunks_exact(dim) {
        for (j, l) in logits.iter_mut().enumerate() {
            let (m, v) = (
                &mu[j * dim..(j + 1) * dim],
                &variance[j * dim..(j + 1) * dim],
            );
            let d2: f64 = zi
                .iter()
                .zip(m)
                .zip(v)
                .map(|((&x, &m), &v)| ((x - m) as f64).powi(2) / v as f64)
                .sum();
            *l = -d2.sqrt();
        }
        let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logits.iter().map(|l| (l - max).exp()).sum();
        p.extend(logits.iter().map(|l| ((l - max).exp() / sum) as f32));
    }
    p
}

/// ω_j = mean_i p_ij.
pub fn cluster_weights(p: &[f32], k: usize) -> Vec<f32> {
    let rows = (p.len() / k).max(1);
    let mut w = vec![0f64; k];
    for row in p.chunks_exact(k) {
        for (wj, &v) in w.iter_mut().zip(row) {
            *wj += v as f64;
        }
    }
    w.iter().map(|&v| (v / rows as f64) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_by_hand() {
        // z = 1, centres 0 and 2 with variances 1 and 4: distances 1 and ½,
        // p_0 = e⁻¹ / (e⁻¹ + e^−½) = 1 / (1 + e^½) = 0.3775406687981454.
        let p = gaussian_target(&[1.0], &[0.0, 2.0], &[1.0, 4.0], 1);
        assert!(
            (p[0] - 0.377_540_67).abs() < 1e-6 && (p[0] + p[1] - 1.0).abs() < 1e-6,
            "{p:?}"
        );
        assert_eq!(cluster_weights(&[0.2, 0.8, 0.6, 0.4], 2), vec![0.4, 0.6]);
    }
}
