use crate::cluster::sq_dist;

/// Student-t soft assignment, row-major `rows × k`, for row-major embeddings `z` (`rows × dim`)
/// and centres `mu` (`k × dim`).
pub fn soft_assignment(z: &[f32], mu: &[f32], dim: usize, alpha: f32) -> Vec<f32> {
    let exponent = -(alpha as f64 + 1.0) / 2.0;
    let k = mu.len() / dim;
    let mut q = Vec::with_capacity(z.len() / dim * k);
    for zi in z.chunks_exact(dim) {
        let start = q.len();
        q.extend(
            mu.chunks_exact(dim)
                .map(|mj| (1.0 + sq_dist(zi, mj) as f64 / alpha as f64).powf(exponent) as f32),
        );
        let sum: f32 = q[start..].iter().sum();
        q[start..].iter_mut().for_each(|v| *v /= sum);
    }
    q
}

/// DEC's target: p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j'), f_j = Σ_i q_ij.
pub fn target_distribution(q: &[f32], k: usize) -> Vec<f32> {
    let mut f = vec![0f64; k];
    for row in q.chunks_exact(k) {
        for (fj, &v) in f.iter_mut().zip(row) {
            *fj += v as f64;
        }
    }
    let mut p = Vec::with_capacity(q.len());
    for row in q.chunks_exact(k) {
        let weights: Vec<f64> = row
            .iter()
            .zip(&f)
            .map(|(&v, &fj)| (v as f64).powi(2) / fj)
            .collect();
        let sum: f64 = weights.iter().sum();
        p.extend(weights.iter().map(|w| (w / sum) as f32));
    }
    p
}

/// KL(P‖Q) averaged over rows, with 0·log 0 taken as 0.
pub fn kl_divergence(p: &[f32], q: &[f32], k: usize) -> f64 {
    let rows = p.len() / k;
    let total: f64 = p
        .iter()
        .zip(q)
        .filter(|(pi, _)| **pi > 0.0)
        .map(|(&pi, &qi)| pi as f64 * (pi as f64 / qi as f64).ln())
        .sum();
    total / rows as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f32], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((*x as f64 - y).abs() < 1e-6, "{a:?} vs {b:?}");
        }
    }

    // z = (0,0), (1,0); μ = (0,0), (2,0); α = 1, so the kernel is 1/(1+d²).
    const Z: [f32; 4] = [0.0, 0.0, 1.0, 0.0];
    const MU: [f32; 4] = [0.0, 0.0, 2.0, 0.0];

    #[test]
    fn q_for_two_points_and_two_centres() {
        // point 0: d² = 0, 4 → kernels 1, 1/5 → q = 5/6, 1/6
        // point 1: d² = 1, 1 → kernels 1/2, 1/2 → q = 1/2, 1/2
        let q = soft_assignment(&Z, &MU, 2, 1.0);
        close(&q, &[5.0 / 6.0, 1.0 / 6.0, 0.5, 0.5]);
    }

    #[test]
    fn alpha_changes_the_kernel() {
        // α = 2: kernel (1 + d²/2)^(-3/2); point 0: 1 and 3^(-3/2)
        let q = soft_assignment(&Z[..2], &MU, 2, 2.0);
        let b = 3f64.powf(-1.5);
        close(&q, &[1.0 / (1.0 + b), b / (1.0 + b)]);
    }

    #[test]
    fn p_from_a_given_q() {
        // f = (4/3, 2/3); row 0: (25/36)/(4/3) = 25/48, (1/36)/(2/3) = 1/24 → p = 25/27, 2/27
        // row 1: (1/4)/(4/3) = 3/16, (1/4)/(2/3) = 3/8 → p = 1/3, 2/3
        let p = target_distribution(&[5.0 / 6.0, 1.0 / 6.0, 0.5, 0.5], 2);
        close(&p, &[25.0 / 27.0, 2.0 / 27.0, 1.0 / 3.0, 2.0 / 3.0]);
    }

    #[test]
    fn kl_value() {
        let q = [5.0 / 6.0, 1.0 / 6.0, 0.5, 0.5];
        let p = [25.0 / 27.0, 2.0 / 27.0, 1.0 / 3.0, 2.0 / 3.0];
        let row0 = 25.0 / 27.0 * (10.0f64 / 9.0).ln() + 2.0 / 27.0 * (4.0f64 / 9.0).ln();
        let row1 = 1.0 / 3.0 * (2.0f64 / 3.0).ln() + 2.0 / 3.0 * (4.0f64 / 3.0).ln();
        let kl = kl_divergence(&p, &q, 2);
        assert!((kl - (row0 + row1) / 2.0).abs() < 1e-6, "{kl}");
        assert!((kl - 0.047_060).abs() < 1e-5);
        assert_eq!(kl_divergence(&q, &q, 2), 0.0);
    }
}
