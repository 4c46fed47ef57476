/// The paper's greedy regularised assignment of one batch. `costs` is row-major
/// `batch × k`; returns one cluster per row.
pub fn greedy_assign(costs: &[f32], k: usize) -> Vec<u32> {
    let batch = costs.len() / k;
    let mut assigned: Vec<Option<u32>> = vec![None; batch];
    let mut counts = vec![0usize; k];
    // log(n + 1) per cluster, updated as clusters fill.
    let mut penalty = vec![0f32; k];
    for _ in 0..batch {
        let mut best = (usize::MAX, 0usize, f32::INFINITY);
        for (i, a) in assigned.iter().enumerate() {
            if a.is_some() {
                continue;
            }
            for j in 0..k {
                let c = costs[i * k + j] + penalty[j];
                if c < best.2 {
                    best = (i, j, c);
                }
            }
        }
        let (i, j, _) = best;
        if i == usize::MAX {
            // Only NaN costs left; the caller reports divergence from the loss.
            break;
        }
        assigned[i] = Some(j as u32);
        counts[j] += 1;
        penalty[j] = ((counts[j] + 1) as f32).ln();
    }
    assigned.into_iter().map(|a| a.unwrap_or(0)).collect()
}

/// Mean squared distance to the own centre per dimension: σ² of isotropic clusters.
pub fn within_cluster_variance(z: &[f32], labels: &[u32], mu: &[f32], dim: usize) -> f32 {
    let total: f64 = z
        .chunks_exact(dim)
        .zip(labels)
        .map(|(zi, &l)| {
            crate::cluster::sq_dist(zi, &mu[l as usize * dim..(l as usize + 1) * dim]) as f64
        })
        .sum();
    ((total / (labels.len().max(1) * dim) as f64) as f32).max(1e-6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_order_on_three_points_two_clusters() {
        // Costs (rows: points, columns: clusters). Cluster 0 is nearest for every point.
        let costs = [0.0, 5.0, 0.1, 5.0, 0.2, 0.9];
        // 1st: (p0, c0) at 0 + ln 1 = 0 → n0 = 1.
        // 2nd: p1→c0 0.1 + ln 2 = 0.793, p2→c0 0.2 + ln 2 = 0.893, p2→c1 0.9 → (p1, c0), n0 = 2.
        // 3rd: p2→c0 0.2 + ln 3 = 1.299 > p2→c1 0.9 → c1.
        assert_eq!(greedy_assign(&costs, 2), vec![0, 0, 1]);
        // Without the regulariser every point would go to cluster 0.
    }

    #[test]
    fn collapse_is_resisted_even_when_one_centre_is_nearest_for_all() {
        let costs: Vec<f32> = (0..100).flat_map(|i| [0.0, 0.01 * i as f32]).collect();
        let a = greedy_assign(&costs, 2);
        let ones = a.iter().filter(|&&l| l == 1).count();
        assert!(ones > 20, "{ones} of 100 went to the second cluster");
    }

    #[test]
    fn variance_of_a_partition() {
        // 1-d: points 0, 2 around 1 and 5 around 5 → (1 + 1 + 0) / 3.
        let v = within_cluster_variance(&[0.0, 2.0, 5.0], &[0, 0, 1], &[1.0, 5.0], 1);
        assert!((v - 2.0 / 3.0).abs() < 1e-6);
    }
}
