//! Neighbour affinities in the high-dimensional space, as UMAP defines them (McInnes, Healy &
//! Melville 2018, section 3 and appendix): each point trusts its nearest neighbour fully and
//! the others with an exponential fall-off whose scale makes the memberships sum to log2(k);
//! the two directions are joined as a fuzzy union.

use super::neighbours::Neighbours;

/// A symmetric weighted graph as an edge list (both directions listed).
#[derive(Debug, Clone, PartialEq)]
pub struct Affinities {
    pub rows: usize,
    /// `(i, j, w)`, w in (0, 1].
    pub edges: Vec<(u32, u32, f32)>,
}

/// Weaker edges are dropped (UMAP drops those under max/epochs, 1/200 by default).
const MIN_WEIGHT: f32 = 1e-3;

/// Per point: ρ = distance to the nearest neighbour, σ such that
/// Σ_j exp(−max(0, d_ij − ρ)/σ) = log2(k) (bisection, as in UMAP's `smooth_knn_dist`).
fn rho_sigma(distances: &[f32]) -> (f32, f32) {
    let rho = distances.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
    (rho, sigma(distances, rho as f64))
}

/// A point's memberships in its neighbours (`distances`, nearest first), as the graph's
/// directed memberships: 1 for the nearest, falling off with σ.
pub fn memberships(distances: &[f32]) -> Vec<f32> {
    let (rho, sigma) = rho_sigma(distances);
    distances
        .iter()
        .map(|&d| (-((d - rho).max(0.0)) / sigma).exp())
        .collect()
}

/// Memberships of a new point in its reference neighbours, as UMAP's `transform` computes
/// them: no distance is trusted fully (ρ = 0, its local connectivity minus one), so a new
/// point that coincides with a reference point leans on it most.
pub fn query_memberships(distances: &[f32]) -> Vec<f32> {
    let s = sigma(distances, 0.0);
    distances.iter().map(|&d| (-d / s).exp()).collect()
}

fn sigma(distances: &[f32], rho: f64) -> f32 {
    let target = (distances.len() as f64).log2();
    let total = |sigma: f64| -> f64 {
        distances
            .iter()
            .map(|&d| (-((d as f64 - rho).max(0.0)) / sigma).exp())
            .sum()
    };
    let (mut lo, mut hi, mut sigma) = (0.0f64, f64::INFINITY, 1.0f64);
    for _ in 0..64 {
        let t = total(sigma);
        if (t - target).abs() < 1e-5 {
            break;
        }
        if t > target {
            hi = sigma;
            sigma = (lo + hi) / 2.0;
        } else {
            lo = sigma;
            sigma = if hi.is_infinite() {
                sigma * 2.0
            } else {
                (lo + hi) / 2.0
            };
        }
    }
    // UMAP's floor: σ stays above 1e-3 of the mean neighbour distance.
    let mean = distances.iter().map(|&d| d as f64).sum::<f64>() / distances.len().max(1) as f64;
    sigma.max(1e-3 * mean).max(1e-12) as f32
}

/// Fuzzy-union affinities w_ij = a + b − a·b of the directed memberships
/// a = exp(−max(0, d_ij − ρ_i)/σ_i) and b (the same from j's side, 0 if i is not among j's
/// neighbours).
pub fn fuzzy_affinities(n: &Neighbours) -> Affinities {
    let (rows, k) = (n.rows(), n.k);
    let mut directed: Vec<std::collections::HashMap<u32, f32>> = vec![Default::default(); rows];
    for ((members, d), row) in directed
        .iter_mut()
        .zip(n.distances.chunks_exact(k))
        .zip(n.indices.chunks_exact(k))
    {
        for (&j, a) in row.iter().zip(memberships(d)) {
            members.insert(j, a);
        }
    }
    let mut edges = Vec::with_capacity(rows * k * 2);
    for (i, members) in directed.iter().enumerate() {
        for (&j, &a) in members {
            let b = directed[j as usize]
                .get(&(i as u32))
                .copied()
                .unwrap_or(0.0);
            let w = a + b - a * b;
            // UMAP drops edges too weak to be sampled during training.
            if w < MIN_WEIGHT {
                continue;
            }
            edges.push((i as u32, j, w));
            if b == 0.0 {
                edges.push((j, i as u32, w)); // j does not list i: add the reverse here
            }
        }
    }
    // A fixed order, whatever the hash maps did.
    edges.sort_unstable_by_key(|e| (e.0, e.1));
    Affinities { rows, edges }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::neighbours::nearest_neighbours;

    #[test]
    fn sigma_makes_memberships_sum_to_log2_k() {
        let d = [0.5, 1.0, 2.0, 4.0];
        let (rho, sigma) = rho_sigma(&d);
        assert_eq!(rho, 0.5);
        let sum: f32 = d.iter().map(|&x| (-(x - rho) / sigma).exp()).sum();
        assert!((sum - 2.0).abs() < 1e-4, "{sum}");
    }

    #[test]
    fn four_points_by_hand() {
        // Points 0, 1, 3, 7 on a line, k = 2. log2(2) = 1, so Σ = 1: the nearest neighbour
        // gets weight 1 and the second exp(−(d2 − d1)/σ) → 0 as σ → 0, floored at 1e-3·mean.
        let data = [0.0, 1.0, 3.0, 7.0];
        let a = fuzzy_affinities(&nearest_neighbours(&data, 4, 1, 2, 0));
        let w = |i: u32, j: u32| a.edges.iter().find(|e| e.0 == i && e.1 == j).map(|e| e.2);
        // 0's neighbours: 1 (d 1), 2 (d 3). σ_0 = 1e-3·2 → exp(−2/0.002) = 0.
        // 1's: 0 (d 1), 2 (d 2). 2's: 1 (d 2), 0 (d 3). 3's: 2 (d 4), 1 (d 6).
        assert_eq!(w(0, 1), Some(1.0));
        assert_eq!(w(1, 2), Some(1.0)); // 1 → 2 is ~0, 2 → 1 is 1: union 1
        assert_eq!(w(2, 1), Some(1.0));
        assert_eq!(w(3, 2), Some(1.0)); // 2 does not list 3: the union is 3's own membership
        assert_eq!(w(2, 3), Some(1.0));
        assert_eq!(w(0, 2), None, "too weak to keep");
        assert_eq!(w(0, 3), None);
        // Symmetric: every edge is listed both ways with the same weight.
        for &(i, j, x) in &a.edges {
            assert_eq!(w(j, i), Some(x), "{i}-{j}");
        }
    }
}
