//! Epoch orders that draw equally from every cluster.

use crate::rng::Rng;

/// An epoch's worth (`n`) of row indices drawn uniformly over pseudo-labels: each non-empty
/// cluster contributes ⌈n / clusters⌉ members (with replacement only if it is too small),
/// shuffled together. Mirrors the paper's `UnifLabelSampler`.
pub fn uniform_over_labels(labels: &[u32], k: usize, n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        members[l as usize].push(i);
    }
    members.retain(|m| !m.is_empty());
    let per_cluster = n.div_ceil(members.len().max(1));
    let mut order = Vec::with_capacity(per_cluster * members.len());
    for m in &mut members {
        if m.len() > per_cluster {
            rng.shuffle(m);
            order.extend_from_slice(&m[..per_cluster]);
        } else {
            order.extend((0..per_cluster).map(|_| m[rng.below(m.len())]));
        }
    }
    rng.shuffle(&mut order);
    order.truncate(n);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_clusters_are_drawn_as_often_as_big_ones() {
        // 90 points in cluster 0, 10 in cluster 1, cluster 2 empty.
        let labels: Vec<u32> = (0..100).map(|i| if i < 90 { 0 } else { 1 }).collect();
        let order = uniform_over_labels(&labels, 3, 100, &mut Rng::new(1));
        assert_eq!(order.len(), 100);
        let from_small = order.iter().filter(|&&i| i >= 90).count();
        assert_eq!(from_small, 50);
        // The big cluster is drawn without replacement.
        let mut big: Vec<usize> = order.iter().copied().filter(|&i| i < 90).collect();
        big.sort();
        big.dedup();
        assert_eq!(big.len(), 50);
    }
}
