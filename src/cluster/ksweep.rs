//! Helping choose k: k-means for each k in a range, with its inertia (the elbow picture) and
//! the silhouette score (higher is better; the suggested k is where it peaks).

use crate::cluster::kmeans::{KMeansParams, KMeansParamsError};
use crate::metrics::silhouette_score;
use crate::rng::Rng;

/// Rows k-means sees per k: enough for the shape of the curves, fast on any data set.
pub const SWEEP_ROWS: usize = 5000;
/// Rows the silhouette is computed on (it costs rows² distances).
pub const SILHOUETTE_ROWS: usize = 2000;

/// One k of a sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub k: usize,
    /// Sum of squared distances to the nearest centre, over the rows the sweep used.
    pub inertia: f64,
    /// Mean silhouette, NaN when undefined (k-means left fewer than two clusters).
    pub silhouette: f64,
}

/// The data of one sweep, sampled once so that every k is scored on the same rows.
#[derive(Debug, Clone)]
pub struct KSweep {
    data: Vec<f32>,
    rows: usize,
    dim: usize,
    /// Positions (into `data`'s rows) of the silhouette sample.
    scored: Vec<usize>,
    seed: u64,
}

impl KSweep {
    /// `features` is row-major `rows × dim`; larger sets are sampled (seeded) down to
    /// [`SWEEP_ROWS`].
    pub fn new(features: &[f32], rows: usize, dim: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let (data, rows) = if rows > SWEEP_ROWS {
            let mut picked = rng.permutation(rows);
            picked.truncate(SWEEP_ROWS);
            picked.sort_unstable();
            let data = picked
                .iter()
                .flat_map(|&r| &features[r * dim..(r + 1) * dim])
                .copied()
                .collect();
            (data, SWEEP_ROWS)
        } else {
            (features.to_vec(), rows)
        };
        let mut scored = rng.permutation(rows);
        scored.truncate(SILHOUETTE_ROWS);
        scored.sort_unstable();
        Self {
            data,
            rows,
            dim,
            scored,
            seed: rng.next_u64(),
        }
    }

    /// Rows k-means runs on (all of them, or the sample).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The largest k worth trying: a cluster needs at least two members to have a silhouette.
    pub fn max_k(&self) -> usize {
        self.rows / 2
    }

    /// k-means with `k` clusters (4 restarts) and its scores.
    pub fn point(&self, k: usize) -> Result<SweepPoint, KMeansParamsError> {
        let km = KMeansParams::new(k)
            .n_init(4)
            .seed(self.seed ^ k as u64)
            .check(self.rows)?
            .fit(&self.data, self.rows, self.dim);
        let sample: Vec<f32> = self
            .scored
            .iter()
            .flat_map(|&r| &self.data[r * self.dim..(r + 1) * self.dim])
            .copied()
            .collect();
        let labels: Vec<u32> = self.scored.iter().map(|&r| km.labels()[r]).collect();
        Ok(SweepPoint {
            k,
            inertia: km.inertia(),
            silhouette: silhouette_score(&sample, self.scored.len(), self.dim, &labels),
        })
    }
}

/// The k with the highest silhouette (the smallest such k on ties); `None` when no k has one.
pub fn suggested_k(points: &[SweepPoint]) -> Option<usize> {
    points
        .iter()
        .filter(|p| p.silhouette.is_finite())
        .fold(None, |best: Option<&SweepPoint>, p| match best {
            Some(b) if b.silhouette >= p.silhouette => Some(b),
            _ => Some(p),
        })
        .map(|p| p.k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synthetic_sample;

    fn sweep(name: &str, seed: u64, ks: std::ops::RangeInclusive<usize>) -> Vec<SweepPoint> {
        let s = synthetic_sample(name, seed).unwrap();
        let sweep = KSweep::new(&s.points, s.rows(), 2, seed);
        ks.map(|k| sweep.point(k).unwrap()).collect()
    }

    #[test]
    fn four_blobs_suggest_four() {
        for seed in [1, 2, 3] {
            let points = sweep("blobs", seed, 2..=8);
            assert_eq!(suggested_k(&points), Some(4), "seed {seed}: {points:?}");
            // Inertia falls as k grows (each k's best of 4 restarts, so allow tiny wobbles).
            for w in points.windows(2) {
                assert!(w[1].inertia <= w[0].inertia * 1.01, "{points:?}");
            }
        }
    }

    #[test]
    fn large_sets_are_sampled_and_reproducible() {
        let features: Vec<f32> = (0..2 * 12_000)
            .map(|i| ((i * 7919) % 1000) as f32)
            .collect();
        let a = KSweep::new(&features, 12_000, 2, 5);
        assert_eq!(a.rows(), SWEEP_ROWS);
        assert_eq!(
            a.point(3).unwrap(),
            KSweep::new(&features, 12_000, 2, 5).point(3).unwrap()
        );
        assert!(a.point(SWEEP_ROWS + 1).is_err());
    }

    #[test]
    fn suggestion_skips_undefined_scores_and_prefers_small_k_on_ties() {
        let p = |k, silhouette| SweepPoint {
            k,
            inertia: 1.0,
            silhouette,
        };
        assert_eq!(
            suggested_k(&[p(2, f64::NAN), p(3, 0.4), p(4, 0.4)]),
            Some(3)
        );
        assert_eq!(suggested_k(&[p(2, f64::NAN)]), None);
    }
}
