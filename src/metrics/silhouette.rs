//! Silhouette (Rousseeuw 1987): how much closer each point is to its own cluster than to the
//! nearest other one. Needs no known classes, so it can help choose k.

/// Mean silhouette of row-major `rows × dim` points under `labels`, with Euclidean distances,
/// as scikit-learn's `silhouette_score`: for point i, a = mean distance to the other members
/// of its cluster, b = the smallest mean distance to another cluster's members,
/// s = (b − a) / max(a, b), and s = 0 for a point alone in its cluster. NaN when fewer than
/// two clusters are used or every point is its own cluster (the score is undefined there).
/// Costs rows² distances: score a sample of large sets.
pub fn silhouette_score(data: &[f32], rows: usize, dim: usize, labels: &[u32]) -> f64 {
    assert_eq!(data.len(), rows * dim);
    assert_eq!(labels.len(), rows);
    let k = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l as usize] += 1);
    let used = sizes.iter().filter(|&&n| n > 0).count();
    if used < 2 || used == rows {
        return f64::NAN;
    }
    let mut sums = vec![0f64; k];
    let mut total = 0f64;
    for i in 0..rows {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let xi = &data[i * dim..(i + 1) * dim];
        for (j, xj) in data.chunks_exact(dim).enumerate() {
            if j != i {
                sums[labels[j] as usize] += distance(xi, xj);
            }
        }
        let own = labels[i] as usize;
        if sizes[own] < 2 {
            continue; // s = 0
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        total += (b - a) / a.max(b);
    }
    total / rows as f64
}

fn distance(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y as f64).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Twelve points in three loose groups, with one point placed between two groups so that
    // its silhouette is negative. The expected values come from scikit-learn 1.9.1 (X as float32, then float64):
    //   from sklearn.metrics import silhouette_score
    //   silhouette_score(X, labels)   (metric="euclidean")
    const X: [f32; 24] = [
        0.0, 0.0, 0.5, 0.2, -0.3, 0.4, 0.2, -0.5, // group 0
        4.0, 4.0, 4.6, 3.8, 3.7, 4.5, 4.2, 4.9, // group 1
        8.0, 0.0, 8.4, 0.6, 7.5, -0.2, // group 2
        2.5, 2.4, // between 0 and 1, labelled 2
    ];
    const LABELS: [u32; 12] = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];

    #[test]
    fn matches_scikit_learn_on_a_small_case() {
        let s = silhouette_score(&X, 12, 2, &LABELS);
        assert!((s - SKLEARN_SCORE).abs() < 1e-6, "{s} vs {SKLEARN_SCORE}");
        // The same partition with other label numbers and a cluster id left unused.
        let renamed: Vec<u32> = LABELS.iter().map(|&l| [5, 0, 2][l as usize]).collect();
        assert!((silhouette_score(&X, 12, 2, &renamed) - s).abs() < 1e-12);
    }

    #[test]
    fn singletons_count_zero_and_one_cluster_is_undefined() {
        let mut labels = LABELS;
        labels[11] = 3; // the in-between point alone
        let s = silhouette_score(&X, 12, 2, &labels);
        assert!((s - SKLEARN_SCORE_SINGLETON).abs() < 1e-6, "{s}");
        assert!(silhouette_score(&X, 12, 2, &[0; 12]).is_nan());
        let own: Vec<u32> = (0..12).collect();
        assert!(silhouette_score(&X, 12, 2, &own).is_nan());
    }

    const SKLEARN_SCORE: f64 = 0.6604342744519006;
    const SKLEARN_SCORE_SINGLETON: f64 = 0.6998502727736086;
}
