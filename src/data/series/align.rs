//! Whether a set's series line up in time: what picks the series network when the user
//! leaves it to us. Outlines, spectra and segmented heartbeats line up (a feature's place
//! in the series means something); activities, periodic signals and events that start at
//! any time do not (docs/DECISIONS.md, "Series: pooled or in time order").

use std::collections::HashMap;

use super::Series;
use super::resample::{fill_missing, resample};
use crate::rng::Rng;

/// At or above this [`alignment`], series count as lined up.
pub const ALIGNED: f64 = 0.8;
/// Series are compared at this many points at most: where a shape is, not its detail.
const POINTS: usize = 128;
/// Pairs of series compared.
const PAIRS: usize = 300;
/// The share of them, the most alike, that decide.
const MOST_ALIKE: f64 = 0.2;
/// Channels compared at most (evenly spread): sets with hundreds of channels cost no more.
const CHANNELS: usize = 16;

/// Random pairs of series (seeded), each channel standardised per series, at most
/// [`POINTS`] points: resampled to one length, or (`pad`) all shrunk alike so that each keeps
/// its share of the longest and pairs are compared where both have points.
struct Pairs {
    chosen: Vec<(usize, usize)>,
    rows: HashMap<usize, Vec<Vec<f64>>>,
    channels: usize,
    points: usize,
}

impl Pairs {
    fn new(series: &[Series], channels: usize, pad: bool) -> Self {
        let longest = series.iter().map(Series::len).max().unwrap_or(0);
        let points = POINTS.min(longest).max(2);
        let used: Vec<usize> = (0..channels.min(CHANNELS))
            .map(|i| i * channels / channels.min(CHANNELS))
            .collect();
        let mut rng = Rng::new(0x5e71e5);
        let n = series.len();
        let chosen: Vec<(usize, usize)> = (0..PAIRS)
            .map(|_| {
                let a = rng.below(n);
                (a, (a + 1 + rng.below(n - 1)) % n)
            })
            .collect();
        // Only the series in a pair are prepared: a set of many long series costs no more.
        let mut rows: HashMap<usize, Vec<Vec<f64>>> = HashMap::new();
        for &(a, b) in &chosen {
            for i in [a, b] {
                rows.entry(i).or_insert_with(|| {
                    let own = if pad {
                        (series[i].len() * points).div_ceil(longest.max(1)).max(2)
                    } else {
                        points
                    };
                    used.iter()
                        .map(|&c| standardised(&resample(&fill_missing(&series[i].channels[c]), own)))
                        .collect()
                });
            }
        }
        Self {
            chosen,
            rows,
            channels: used.len(),
            points,
        }
    }

    /// For each pair: (correlation at the best shift, as they stand).
    fn correlations(&self, shifts: usize) -> Vec<(f64, f64)> {
        self.chosen
            .iter()
            .map(|&(a, b)| {
                let at = |shift: isize| {
                    correlation(&self.rows[&a], &self.rows[&b], shift) / self.channels as f64
                };
                let best = (-(shifts as isize)..=shifts as isize)
                    .map(at)
                    .fold(f64::MIN, f64::max);
                (best, at(0))
            })
            .collect()
    }
}

/// How well series match where they are against how well they match at their best shift.
/// Random pairs (seeded) are shifted against each other by up to a quarter of the length;
/// among the fifth of pairs that match best at some shift (likely of one kind: series of
/// different kinds match poorly anyway, and their best shift means nothing), the mean
/// correlation as they stand is divided by the mean correlation at the best shift. Each
/// channel is standardised per series first, so only shapes count. 1 when no shift helps
/// (lined up); near 0 for periodic or noisy series whose best shift is anywhere. `pad`:
/// series of unequal lengths compared as padding leaves them (see [`Pairs`]).
pub fn alignment(series: &[Series], channels: usize, pad: bool) -> f64 {
    if series.len() < 2 {
        return 1.0;
    }
    let pairs = Pairs::new(series, channels, pad);
    let mut pairs = pairs.correlations(pairs.points / 4);
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    pairs.truncate(most_alike());
    let best: f64 = pairs.iter().map(|p| p.0).sum();
    let unshifted: f64 = pairs.iter().map(|p| p.1).sum();
    if best <= f64::EPSILON {
        return 0.0;
    }
    (unshifted / best).clamp(0.0, 1.0)
}

/// How well series of unequal lengths match as they stand, resampled to one length or
/// padded at the end (`pad`): the mean correlation of the fifth of random pairs that match
/// best. Recordings that start together and stop at different times match better padded;
/// one event at different speeds, resampled.
pub fn match_in_place(series: &[Series], channels: usize, pad: bool) -> f64 {
    if series.len() < 2 {
        return 1.0;
    }
    let pairs = Pairs::new(series, channels, pad);
    let mut unshifted: Vec<f64> = pairs
        .chosen
        .iter()
        .map(|&(a, b)| {
            let (a, b) = (&pairs.rows[&a], &pairs.rows[&b]);
            a.iter().zip(b).map(|(x, y)| overlap_correlation(x, y)).sum::<f64>()
                / pairs.channels as f64
        })
        .collect();
    unshifted.sort_by(|x, y| y.total_cmp(x));
    unshifted.truncate(most_alike());
    unshifted.iter().sum::<f64>() / unshifted.len() as f64
}

/// The correlation of two series over their common start; 0 when either is flat there.
fn overlap_correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (p, q) in x.iter().zip(y) {
        sxy += (p - mx) * (q - my);
        sxx += (p - mx) * (p - mx);
        syy += (q - my) * (q - my);
    }
    if sxx <= 1e-12 || syy <= 1e-12 {
        return 0.0;
    }
    sxy / (sxx * syy).sqrt()
}

fn most_alike() -> usize {
    ((PAIRS as f64 * MOST_ALIKE) as usize).max(1)
}

fn standardised(values: &[f32]) -> Vec<f64> {
    let n = values.len() as f64;
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = values
        .iter()
        .map(|&v| (v as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    let sd = if var > 1e-12 { var.sqrt() } else { 1.0 };
    values.iter().map(|&v| (v as f64 - mean) / sd).collect()
}

/// Σ over channels of the mean product of `a` and `b` (standardised) shifted by `shift`
/// steps, over where both have points (series of unequal lengths: their common start).
fn correlation(a: &[Vec<f64>], b: &[Vec<f64>], shift: isize) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let s = shift.unsigned_abs();
            let (x, y) = if shift >= 0 { (x.get(s..), Some(&y[..])) } else { (Some(&x[..]), y.get(s..)) };
            let (Some(x), Some(y)) = (x, y) else { return 0.0 };
            let n = x.len().min(y.len());
            x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>() / n.max(1) as f64
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(make: impl Fn(usize, &mut Rng) -> Vec<f32>) -> Vec<Series> {
        let mut rng = Rng::new(3);
        (0..60)
            .map(|i| Series {
                name: format!("s{i}"),
                channels: vec![make(i, &mut rng)],
                label: None,
            })
            .collect()
    }

    /// A bump of class-dependent width at `start`, plus noise.
    fn bump(i: usize, start: f64, rng: &mut Rng) -> Vec<f32> {
        let width = 10.0 + 10.0 * (i % 3) as f64;
        (0..150)
            .map(|t| {
                let d = (t as f64 - start) / width;
                ((-d * d).exp() + 0.1 * rng.normal()) as f32
            })
            .collect()
    }

    #[test]
    fn shapes_in_one_place_are_aligned() {
        let a = alignment(&set(|i, rng| bump(i, 75.0, rng)), 1, false);
        assert!(a >= ALIGNED, "{a}");
        // Kinds that oppose each other (a rise and a fall) still line up.
        let opposed = alignment(
            &set(|i, rng| {
                (0..40)
                    .map(|t| {
                        let u = t as f64 / 39.0;
                        ([u, 1.0 - u, (std::f64::consts::PI * u).sin()][i % 3]
                            + 0.05 * rng.normal()) as f32
                    })
                    .collect()
            }),
            1,
            false,
        );
        assert!(opposed >= ALIGNED, "{opposed}");
    }

    #[test]
    fn shapes_anywhere_and_periodic_signals_are_not() {
        let shifted = alignment(&set(|i, rng| bump(i, 30.0 + rng.next_f64() * 90.0, rng)), 1, false);
        assert!(shifted < ALIGNED, "{shifted}");
        let periodic = alignment(
            &set(|_, rng| {
                let phase = rng.next_f64() * 6.3;
                (0..150)
                    .map(|t| (t as f64 * 0.3 + phase).sin() as f32)
                    .collect()
            }),
            1,
            false,
        );
        assert!(periodic < 0.3, "{periodic}");
    }

    #[test]
    fn many_channels_are_sampled_and_still_judged() {
        // 50 channels, each a bump at its own fixed place: lined up whichever are compared.
        let mut rng = Rng::new(5);
        let wide: Vec<Series> = (0..30)
            .map(|i| Series {
                name: format!("s{i}"),
                channels: (0..50)
                    .map(|c| bump(i, 20.0 + 2.0 * c as f64, &mut rng))
                    .collect(),
                label: None,
            })
            .collect();
        let a = alignment(&wide, 50, false);
        assert!(a >= ALIGNED, "{a}");
    }

    #[test]
    fn noise_is_not_and_tiny_sets_are() {
        let noise = alignment(
            &set(|_, rng| (0..100).map(|_| rng.normal() as f32).collect()),
            1,
            false,
        );
        assert!(noise < 0.3, "{noise}");
        assert_eq!(alignment(&set(|_, _| vec![1.0; 20])[..1], 1, false), 1.0);
    }
}
