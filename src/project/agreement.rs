//! How far a point's neighbours share its cluster: the memberships (as UMAP weighs its
//! neighbours, [`memberships`]) of those in its cluster over all of them. N2D's confidence:
//! its Gaussian mixture's posteriors are all but 1 in UMAP's tight clusters (every COIL-20
//! image got 1.0000, the misplaced ones too), while a point at the edge of a cluster has
//! neighbours across it.

use super::affinity::memberships;
use super::neighbours::Neighbours;

/// For each row of `neighbours`, the membership-weighted share of its neighbours whose label
/// in `reference` is its own label in `labels`; between 0 and 1.
pub fn agreement(neighbours: &Neighbours, labels: &[u32], reference: &[u32]) -> Vec<f32> {
    let k = neighbours.k;
    if k == 0 {
        return vec![1.0; labels.len()];
    }
    neighbours
        .indices
        .chunks_exact(k)
        .zip(neighbours.distances.chunks_exact(k))
        .zip(labels)
        .map(|((idx, d), &own)| {
            let w = memberships(d);
            let total: f32 = w.iter().sum();
            let same: f32 = idx
                .iter()
                .zip(&w)
                .filter(|&(&j, _)| reference[j as usize] == own)
                .map(|(_, &wj)| wj)
                .sum();
            if total > 0.0 { same / total } else { 1.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::neighbours::nearest_neighbours;

    #[test]
    fn a_point_among_its_own_cluster_agrees_fully_and_one_between_two_clusters_less() {
        // Two groups on a line, 0..5 and 10..15, and a point at 7.5 labelled with the first.
        let mut x: Vec<f32> = (0..5)
            .map(|i| i as f32)
            .chain((10..15).map(|i| i as f32))
            .collect();
        x.push(7.5);
        let mut labels = vec![0u32; 5];
        labels.extend([1; 5]);
        labels.push(0);
        let near = nearest_neighbours(&x, x.len(), 1, 4, 1);
        let a = agreement(&near, &labels, &labels);
        assert_eq!(
            a[0], 1.0,
            "the first group's end: its 4 nearest are its own"
        );
        assert!(a[10] > 0.0 && a[10] < 1.0, "the point between: {}", a[10]);
        // Labelled with the other group, it agrees as much as the first group's share is
        // missing from it.
        let mut other = labels.clone();
        other[10] = 1;
        let b = agreement(&near, &other, &other);
        assert!((a[10] + b[10] - 1.0).abs() < 1e-6, "{} + {}", a[10], b[10]);
    }

    #[test]
    fn nearer_neighbours_count_for_more() {
        // Point 0's nearest (at 1) is of its cluster, its farther two (at 3, 3.1) are not.
        let x = [0.0f32, 1.0, 3.0, 3.1];
        let labels = [0u32, 0, 1, 1];
        let near = nearest_neighbours(&x, 4, 1, 3, 1);
        let a = agreement(&near, &labels, &labels)[0];
        assert!(a > 1.0 / 3.0, "weighted above a plain count of 1 in 3: {a}");
    }
}
