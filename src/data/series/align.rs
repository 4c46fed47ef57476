//! Whether a set's series line up in time: what picks the series network when the user
//! leaves it to us. Outlines, spectra and segmented heartbeats line up (a feature's place
//! in the series means something); activities, periodic signals and events that start at
//! any time do not (docs/DECISIONS.md, "Series: pooled or in time order").

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

/// How well series match where they are against how well they match at their best shift.
/// Random pairs (seeded) are shifted against each other by up to a quarter of the length;
/// among the fifth of pairs that match best at some shift (likely of one kind: series of
/// different kinds match poorly anyway, and their best shift means nothing), the mean
/// correlation as they stand is divided by the mean correlation at the best shift. Each
/// channel is standardised per series first, so only shapes count. 1 when no shift helps
/// (lined up); near 0 for periodic or noisy series whose best shift is anywhere.
pub fn alignment(series: &[Series], channels: usize) -> f64 {
    if series.len() < 2 {
        return 1.0;
    }
    let points = POINTS
        .min(series.iter().map(Series::len).max().unwrap_or(0))
        .max(2);
    let used: Vec<usize> = (0..channels.min(CHANNELS))
        .map(|i| i * channels / channels.min(CHANNELS))
        .collect();
    // Only the series in a pair are prepared: a set of many long series costs no more.
    let mut rng = Rng::new(0x5e71e5);
    let n = series.len();
    let chosen: Vec<(usize, usize)> = (0..PAIRS)
        .map(|_| {
            let a = rng.below(n);
            (a, (a + 1 + rng.below(n - 1)) % n)
        })
        .collect();
    let mut rows: std::collections::HashMap<usize, Vec<Vec<f64>>> = Default::default();
    for &(a, b) in &chosen {
        for i in [a, b] {
            rows.entry(i).or_insert_with(|| {
                used.iter()
                    .map(|&c| {
                        standardised(&resample(&fill_missing(&series[i].channels[c]), points))
                    })
                    .collect()
            });
        }
    }
    let shifts = points / 4;
    // (correlation at the best shift, as they stand)
    let mut pairs: Vec<(f64, f64)> = chosen
        .iter()
        .map(|&(a, b)| {
            let at = |shift: isize| correlation(&rows[&a], &rows[&b], shift) / used.len() as f64;
            let best = (-(shifts as isize)..=shifts as isize)
                .map(at)
                .fold(f64::MIN, f64::max);
            (best, at(0))
        })
        .collect();
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    pairs.truncate(((PAIRS as f64 * MOST_ALIKE) as usize).max(1));
    let best: f64 = pairs.iter().map(|p| p.0).sum();
    let unshifted: f64 = pairs.iter().map(|p| p.1).sum();
    if best <= f64::EPSILON {
        return 0.0;
    }
    (unshifted / best).clamp(0.0, 1.0)
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

/// Σ over channels of the mean product of `a` and `b` shifted by `shift` steps, over where
/// they overlap.
fn correlation(a: &[Vec<f64>], b: &[Vec<f64>], shift: isize) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let (x, y) = if shift >= 0 {
                (&x[shift as usize..], &y[..y.len() - shift as usize])
            } else {
                (&x[..x.len() - (-shift) as usize], &y[(-shift) as usize..])
            };
            x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>() / x.len().max(1) as f64
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
        let a = alignment(&set(|i, rng| bump(i, 75.0, rng)), 1);
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
        );
        assert!(opposed >= ALIGNED, "{opposed}");
    }

    #[test]
    fn shapes_anywhere_and_periodic_signals_are_not() {
        let shifted = alignment(&set(|i, rng| bump(i, 30.0 + rng.next_f64() * 90.0, rng)), 1);
        assert!(shifted < ALIGNED, "{shifted}");
        let periodic = alignment(
            &set(|_, rng| {
                let phase = rng.next_f64() * 6.3;
                (0..150)
                    .map(|t| (t as f64 * 0.3 + phase).sin() as f32)
                    .collect()
            }),
            1,
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
        let a = alignment(&wide, 50);
        assert!(a >= ALIGNED, "{a}");
    }

    #[test]
    fn noise_is_not_and_tiny_sets_are() {
        let noise = alignment(
            &set(|_, rng| (0..100).map(|_| rng.normal() as f32).collect()),
            1,
        );
        assert!(noise < 0.3, "{noise}");
        assert_eq!(alignment(&set(|_, _| vec![1.0; 20])[..1], 1), 1.0);
    }
}
