//! Trustworthiness (Venna & Kaski 2001), as scikit-learn's `sklearn.manifold.trustworthiness`:
//! how far a 2-D map's nearest neighbours are from being neighbours in the original space.
//! 1 when every map neighbour is a true neighbour; lower when the map brings strangers close.

use crate::cluster::sq_dist;

/// `high` is row-major `rows × high_dim`, `low` row-major `rows × low_dim`; `k < rows / 2`.
/// T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^low(i) \ N_k^high(i)} (r(i, j) − k),
/// with r(i, j) the rank of j among i's neighbours in the original space. Costs n² log n.
pub fn trustworthiness(
    high: &[f32],
    high_dim: usize,
    low: &[f32],
    low_dim: usize,
    k: usize,
) -> f64 {
    let n = high.len() / high_dim;
    assert_eq!(low.len() / low_dim, n);
    assert!(k >= 1 && 2 * k < n, "k must be below n/2");
    let order = |data: &[f32], dim: usize, i: usize| -> Vec<usize> {
        let x = &data[i * dim..(i + 1) * dim];
        let mut others: Vec<(f32, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (sq_dist(x, &data[j * dim..(j + 1) * dim]), j))
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        others.into_iter().map(|(_, j)| j).collect()
    };
    let mut penalty = 0f64;
    let mut rank = vec![0usize; n];
    for i in 0..n {
        for (r, j) in order(high, high_dim, i).into_iter().enumerate() {
            rank[j] = r + 1;
        }
        for &j in &order(low, low_dim, i)[..k] {
            if rank[j] > k {
                penalty += (rank[j] - k) as f64;
            }
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fitted_map_of_blobs_keeps_neighbours() {
        use crate::data::synthetic_sample;
        use crate::project::layout::{LayoutConfig, LayoutFit};
        // Four 2-D blobs lifted to 6-D by a fixed linear map, then mapped back to 2-D.
        let s = synthetic_sample("blobs", 5).unwrap();
        let rows = s.rows();
        let high: Vec<f32> = s
            .points
            .chunks_exact(2)
            .flat_map(|p| {
                let (x, y) = (p[0], p[1]);
                [x, y, x + y, x - y, 0.5 * x, 2.0 * y]
            })
            .collect();
        let mut fit = LayoutFit::new(&high, rows, 6, LayoutConfig::map_2d(1));
        fit.epochs(usize::MAX);
        let t = trustworthiness(&high, 6, fit.coords(), 2, 10);
        // A random map scores about 0.5; UMAP-style maps of well separated blobs score
        // above 0.9.
        assert!(t > 0.9, "trustworthiness {t}");
    }

    #[test]
    fn a_faithful_map_scores_one_and_a_scrambled_one_less() {
        // 8 points on a line in 3-D; the map keeps their order exactly.
        let high: Vec<f32> = (0..8).flat_map(|i| [i as f32, 0.0, 1.0]).collect();
        let low: Vec<f32> = (0..8).flat_map(|i| [2.0 * i as f32, 5.0]).collect();
        assert_eq!(trustworthiness(&high, 3, &low, 2, 2), 1.0);
        // Swap the map places of points 0 and 7: scikit-learn 1.9.1 gives 2/3 for this case
        // (trustworthiness(X, X_embedded, n_neighbors=2) with X, X_embedded as here).
        let mut swapped = low.clone();
        swapped.swap(0, 14);
        swapped.swap(1, 15);
        let t = trustworthiness(&high, 3, &swapped, 2, 2);
        assert!((t - SKLEARN_SWAPPED).abs() < 1e-9, "{t}");
    }

    const SKLEARN_SWAPPED: f64 = 0.6666666666666667;
}
