use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::contingency::Contingency;

/// Unsupervised clustering accuracy: the share of points whose cluster maps to their class
/// under the best one-to-one mapping of clusters to classes (Kuhn–Munkres on the counts).
pub fn accuracy(truth: &[u32], predicted: &[u32]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    let t = Contingency::new(truth, predicted);
    // Square, zero-padded: kuhn_munkres wants rows ≤ columns, and a padded row or column
    // matches nothing.
    let n = t.classes.max(t.clusters);
    let weights = Matrix::from_fn(n, n, |(cluster, class)| {
        if cluster < t.clusters && class < t.classes {
            t.get(class, cluster) as i64
        } else {
            0
        }
    });
    let (matched, _) = kuhn_munkres(&weights);
    matched as f64 / truth.len() as f64
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
        // more classes than clusters
        assert_eq!(accuracy(&[0, 1, 2, 2], &[0, 0, 0, 0]), 0.5);
    }
}
