use super::contingency::Contingency;
use super::min_cost_assignment;

/// Unsupervised clustering accuracy: the share of points whose cluster maps to their class
/// under the best one-to-one mapping of clusters to classes (found by the Hungarian method).
pub fn accuracy(truth: &[u32], predicted: &[u32]) -> f64 {
    let t = Contingency::new(truth, predicted);
    let n = t.classes.max(t.clusters);
    // Maximise matches = minimise (max − matches) on a square matrix padded with zeros.
    let max = t.counts.iter().copied().max().unwrap_or(0) as f64;
    let mut cost = vec![max; n * n];
    for c in 0..t.clusters {
        for k in 0..t.classes {
            cost[c * n + k] = max - t.get(k, c) as f64;
        }
    }
    let assignment = min_cost_assignment(&cost, n);
    let matched: usize = (0..t.clusters).filter(|&c| assignment[c] < t.classes).map(|c| t.get(assignment[c], c)).sum();
    matched as f64 / truth.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permuted_labels_are_perfect_and_errors_count() {
        assert_eq!(accuracy(&[0, 0, 1, 1, 2, 2], &[2, 2, 0, 0, 1, 1]), 1.0);
        // clusters {0,0,0,1}: best map 0→0, 1→1 gets 3 of 4 (the 4th point, class 1, sits in cluster 0)
        assert_eq!(accuracy(&[0, 0, 1, 1], &[0, 0, 0, 1]), 0.75);
        // more clusters than classes: only one cluster can map to each class
        assert_eq!(accuracy(&[0, 0, 0, 0], &[0, 0, 1, 1]), 0.5);
    }
}
