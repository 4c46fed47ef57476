//! One length for every series: gaps filled by straight lines, then linear resampling.

/// `values` with each NaN replaced by the straight line between its nearest known
/// neighbours; NaNs before the first or after the last known value take that value.
/// All-NaN input (refused by the readers) comes back as zeros.
pub fn fill_missing(values: &[f32]) -> Vec<f32> {
    let known: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
        return vec![0.0; values.len()];
    };
    let mut out = values.to_vec();
    out[..first].fill(values[first]);
    out[last + 1..].fill(values[last]);
    for w in known.windows(2) {
        let (a, b) = (w[0], w[1]);
        for i in a + 1..b {
            let t = (i - a) as f32 / (b - a) as f32;
            out[i] = values[a] + t * (values[b] - values[a]);
        }
    }
    out
}

/// `values` (no NaN) at `length` evenly spaced points from the first to the last value,
/// by linear interpolation; a single value is repeated.
pub fn resample(values: &[f32], length: usize) -> Vec<f32> {
    let n = values.len();
    if n == length {
        return values.to_vec();
    }
    if n <= 1 || length <= 1 {
        return vec![values.first().copied().unwrap_or(0.0); length];
    }
    let step = (n - 1) as f64 / (length - 1) as f64;
    (0..length)
        .map(|j| {
            let x = j as f64 * step;
            let i = (x.floor() as usize).min(n - 2);
            let t = (x - i as f64) as f32;
            values[i] + t * (values[i + 1] - values[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_become_straight_lines_and_ends_hold() {
        let nan = f32::NAN;
        assert_eq!(
            fill_missing(&[nan, 1.0, nan, nan, 4.0, nan]),
            vec![1.0, 1.0, 2.0, 3.0, 4.0, 4.0]
        );
        assert_eq!(fill_missing(&[nan, nan]), vec![0.0, 0.0]);
    }

    #[test]
    fn resampling_keeps_ends_and_lines() {
        let line: Vec<f32> = (0..5).map(|i| i as f32).collect();
        assert_eq!(
            resample(&line, 9),
            vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
        );
        assert_eq!(resample(&line, 3), vec![0.0, 2.0, 4.0]);
        assert_eq!(resample(&line, 5), line);
        assert_eq!(resample(&[7.0], 4), vec![7.0; 4]);
        // a longer wave comes back to its own points when sampled down at whole steps
        let wave: Vec<f32> = (0..101).map(|i| (i as f32 / 10.0).sin()).collect();
        let down = resample(&wave, 11);
        for (j, v) in down.iter().enumerate() {
            assert!((v - wave[j * 10]).abs() < 1e-5);
        }
    }
}
