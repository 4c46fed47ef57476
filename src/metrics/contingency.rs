/// Counts of (class, cluster) pairs.
pub(super) struct Contingency {
    pub classes: usize,
    pub clusters: usize,
    /// Row-major `classes × clusters`.
    pub counts: Vec<usize>,
}

impl Contingency {
    pub fn new(truth: &[u32], predicted: &[u32]) -> Self {
        assert_eq!(
            truth.len(),
            predicted.len(),
            "one prediction per labelled point"
        );
        let classes = truth.iter().max().map_or(0, |&m| m as usize + 1);
        let clusters = predicted.iter().max().map_or(0, |&m| m as usize + 1);
        let mut counts = vec![0; classes * clusters];
        for (&t, &p) in truth.iter().zip(predicted) {
            counts[t as usize * clusters + p as usize] += 1;
        }
        Self {
            classes,
            clusters,
            counts,
        }
    }
    pub fn get(&self, class: usize, cluster: usize) -> usize {
        self.counts[class * self.clusters + cluster]
    }
    fn class_totals(&self) -> Vec<usize> {
        self.counts
            .chunks(self.clusters.max(1))
            .map(|r| r.iter().sum())
            .collect()
    }
    fn cluster_totals(&self) -> Vec<usize> {
        (0..self.clusters)
            .map(|c| (0..self.classes).map(|k| self.get(k, c)).sum())
            .collect()
    }
}

fn entropy(totals: &[usize], n: f64) -> f64 {
    totals
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum()
}

/// How NMI normalises mutual information by the two entropies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NmiAverage {
    /// (H(a) + H(b)) / 2: scikit-learn's default and what most recent papers report.
    #[default]
    Arithmetic,
    /// √(H(a)·H(b)): the normaliser of the DEC-era papers (Strehl & Ghosh 2002).
    Geometric,
}

/// Class-by-cluster counts, row-major `classes × clusters`, with both sizes; for a heatmap.
pub fn confusion_matrix(truth: &[u32], predicted: &[u32]) -> (Vec<u32>, usize, usize) {
    let t = Contingency::new(truth, predicted);
    (
        t.counts.iter().map(|&c| c as u32).collect(),
        t.classes,
        t.clusters,
    )
}

/// Normalised mutual information with the arithmetic-mean normaliser (scikit-learn's default).
pub fn normalized_mutual_info(truth: &[u32], predicted: &[u32]) -> f64 {
    normalized_mutual_info_with(truth, predicted, NmiAverage::Arithmetic)
}

pub fn normalized_mutual_info_with(truth: &[u32], predicted: &[u32], average: NmiAverage) -> f64 {
    let t = Contingency::new(truth, predicted);
    let n = truth.len() as f64;
    let (a, b) = (t.class_totals(), t.cluster_totals());
    let mut mi = 0.0;
    for (k, &ak) in a.iter().enumerate() {
        for (c, &bc) in b.iter().enumerate() {
            let nij = t.get(k, c) as f64;
            if nij > 0.0 {
                mi += nij / n * (n * nij / (ak as f64 * bc as f64)).ln();
            }
        }
    }
    let (ha, hb) = (entropy(&a, n), entropy(&b, n));
    if ha == 0.0 && hb == 0.0 {
        return 1.0; // one class, one cluster: identical partitions
    }
    let denom = match average {
        NmiAverage::Arithmetic => (ha + hb) / 2.0,
        NmiAverage::Geometric => (ha * hb).sqrt(),
    };
    if denom == 0.0 {
        0.0
    } else {
        (mi / denom).clamp(0.0, 1.0)
    }
}

/// Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions, about 0 for chance.
pub fn adjusted_rand_index(truth: &[u32], predicted: &[u32]) -> f64 {
    let t = Contingency::new(truth, predicted);
    let pairs = |x: usize| (x * x.saturating_sub(1) / 2) as f64;
    let index: f64 = t.counts.iter().map(|&c| pairs(c)).sum();
    let sum_a: f64 = t.class_totals().into_iter().map(pairs).sum();
    let sum_b: f64 = t.cluster_totals().into_iter().map(pairs).sum();
    let expected = sum_a * sum_b / pairs(truth.len());
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_score_one() {
        let a = [0, 0, 1, 1, 2, 2];
        let b = [1, 1, 2, 2, 0, 0];
        assert!((normalized_mutual_info(&a, &b) - 1.0).abs() < 1e-12);
        assert!((adjusted_rand_index(&a, &b) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_example() {
        // truth {0,0,1,1}, predicted {0,0,0,1}. Contingency [[2,0],[1,1]].
        // ARI: index = C(2,2)=1; sum_a = 1+1 = 2; sum_b = C(3,2)+0 = 3; expected = 2·3/6 = 1;
        // max = 2.5 → (1−1)/(2.5−1) = 0.
        let (t, p) = ([0, 0, 1, 1], [0, 0, 0, 1]);
        assert!(adjusted_rand_index(&t, &p).abs() < 1e-12);
        // NMI: MI = ½ln(4/3) + ¼ln(2/3) + ¼ln 2; H(truth) = ln 2; H(pred) = −¾ln¾ − ¼ln¼.
        let mi = 0.5 * (4.0f64 / 3.0).ln() + 0.25 * (2.0f64 / 3.0).ln() + 0.25 * 2f64.ln();
        let hb = -0.75 * 0.75f64.ln() - 0.25 * 0.25f64.ln();
        let want = mi / ((2f64.ln() + hb) / 2.0);
        assert!((normalized_mutual_info(&t, &p) - want).abs() < 1e-12);
    }
}
