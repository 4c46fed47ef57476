//! Clustering methods. Each folder holds one method, everything it is; [`registry`] lists
//! them; shared maths lives beside them.

pub mod dcec;
pub mod dec;
pub mod deepcluster;
pub mod dkm;
pub mod explain;
pub mod gceals;
pub mod gmm;
pub mod hardreg;
pub mod idec;
pub mod kmeans;
pub mod ksweep;
pub mod mixture_em;
pub mod n2d;
pub mod registry;

pub use registry::{FeatureSpace, METHODS, Method, MethodDef, Setting, Takes, UnknownMethod};

/// Squared Euclidean distance.
pub fn sq_dist(a: &[f32], b: &[f32]) -> f32 {
    // Four independent sums: one running sum makes every add wait for the previous one,
    // and distances are most of k-means' and the targets' time.
    let mut acc = [0f32; 4];
    let (a4, a_rest) = a.split_at(a.len() / 4 * 4);
    let (b4, b_rest) = b.split_at(a4.len().min(b.len()));
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        for i in 0..4 {
            let t = x[i] - y[i];
            acc[i] += t * t;
        }
    }
    let rest: f32 = a_rest
        .iter()
        .zip(b_rest)
        .map(|(x, y)| (x - y) * (x - y))
        .sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
}

/// Rows scaled to unit length (zero rows stay zero).
pub fn l2_normalise(z: &[f32], dim: usize) -> Vec<f32> {
    z.chunks_exact(dim)
        .flat_map(|row| {
            let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
            row.iter()
                .map(move |v| if norm > 0.0 { v / norm } else { 0.0 })
        })
        .collect()
}

/// Index and value of the largest entry of each `k`-wide row: labels and confidences from
/// a row-major `rows × k` assignment matrix.
pub fn argmax_rows(q: &[f32], k: usize) -> (Vec<u32>, Vec<f32>) {
    q.chunks_exact(k)
        .map(|row| {
            let (j, v) = row
                .iter()
                .enumerate()
                .fold((0, f32::MIN), |b, (j, &v)| if v > b.1 { (j, v) } else { b });
            (j as u32, v)
        })
        .unzip()
}

/// Warnings for clusters that ended empty or with under 0.5 % of the points, the threshold at
/// which a cluster stops meaning much (and scikit-learn-style tools speak up).
pub fn collapse_warnings(labels: &[u32], k: usize) -> Vec<String> {
    let mut counts = vec![0usize; k];
    for &l in labels {
        counts[l as usize] += 1;
    }
    let n = labels.len().max(1);
    let mut out = Vec::new();
    let empty: Vec<String> = (0..k)
        .filter(|&j| counts[j] == 0)
        .map(|j| j.to_string())
        .collect();
    if !empty.is_empty() {
        out.push(format!(
            "{} of {k} clusters ended empty (cluster {}); the data may hold fewer clusters, try a smaller k",
            empty.len(),
            empty.join(", ")
        ));
    }
    for (j, &c) in counts.iter().enumerate() {
        if c > 0 && (c as f64) < 0.005 * n as f64 {
            out.push(format!(
                "cluster {j} holds only {c} of {n} points ({:.2}%)",
                100.0 * c as f64 / n as f64
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_clusters_are_reported() {
        let mut labels = vec![0u32; 999];
        labels.push(1);
        let w = collapse_warnings(&labels, 3);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("cluster 2") && w[1].contains("cluster 1 holds only 1 of 1000"),
            "{w:?}"
        );
        assert!(collapse_warnings(&[0, 1, 0, 1], 2).is_empty());
        assert_eq!(
            argmax_rows(&[0.2, 0.8, 0.6, 0.4], 2),
            (vec![1, 0], vec![0.8, 0.6])
        );
    }
}
