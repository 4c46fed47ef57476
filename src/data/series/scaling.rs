//! How a set's values reach the network: each channel over all series, each series on its
//! own, or as they are; and which of the first two automatic takes.

use super::Series;

/// Automatic scales each series on its own when the typical series moves by less than this
/// share of the series that would set a channel's scale ([`typical_movement`]): scaled over
/// all series, it would reach the network nearly flat, its shape lost.
pub const FLAT: f64 = 0.1;

/// How the values reach the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesScaling {
    /// Each channel standardised over every series and time step: a series that moves more
    /// than another keeps its larger values (a run against a walk).
    PerChannel,
    /// Each channel of each series standardised on its own: shapes only, as the UCR archive
    /// prepares its sets.
    PerSeries,
    /// The values as they are.
    None,
}

impl SeriesScaling {
    pub const ALL: [SeriesScaling; 3] = [Self::PerChannel, Self::PerSeries, Self::None];

    pub fn name(self) -> &'static str {
        match self {
            Self::PerChannel => "channel",
            Self::PerSeries => "series",
            Self::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// A scaling asked for by name: `Some(None)` for `auto` ([`automatic_scaling`]),
    /// `None` for a name that is none of these.
    pub fn requested(name: &str) -> Option<Option<Self>> {
        if name == "auto" {
            Some(None)
        } else {
            Self::from_name(name).map(Some)
        }
    }
}

/// What automatic takes ([`FLAT`]), from [`typical_movement`]: each channel over all series,
/// so a series that moves more keeps its larger values, unless that leaves most series flat.
pub fn automatic_scaling(movement: f64) -> SeriesScaling {
    if movement < FLAT {
        SeriesScaling::PerSeries
    } else {
        SeriesScaling::PerChannel
    }
}

/// How much the typical series moves against the series that would set a channel's scale:
/// per channel, the median over series of a series' own standard deviation divided by the
/// root mean square of them all; then the median over channels. Near 1 when amplitudes are
/// alike (exactly 1 for series z-normalised one by one); near 0 when a few series move far
/// more than the rest (a kettle's current beside a phone charger's). Levels do not count:
/// series that differ only in level keep what tells them apart when scaled over all series.
pub fn typical_movement(series: &[Series], channels: usize) -> f64 {
    let mut per_channel: Vec<f64> = (0..channels)
        .map(|c| {
            let mut own: Vec<f64> = series
                .iter()
                .filter(|s| s.channels[c].iter().filter(|v| !v.is_nan()).count() >= 2)
                .map(|s| mean_sd(s.channels[c].iter()).1)
                .collect();
            let rms = (own.iter().map(|v| v * v).sum::<f64>() / own.len().max(1) as f64).sqrt();
            if rms <= 1e-12 {
                return 1.0;
            }
            median(&mut own).map_or(1.0, |m| m / rms)
        })
        .collect();
    median(&mut per_channel).unwrap_or(1.0)
}

fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// What automatic did when it scaled each series on its own; `None` when it took the usual
/// scaling (the menu says which).
pub fn scaling_note(movement: f64) -> Option<String> {
    (automatic_scaling(movement) == SeriesScaling::PerSeries).then(|| {
        format!(
            "each series is scaled on its own (shapes only): the typical series moves by {:.1} % as much as the series that would set the scale over all series (under {:.0} % it would look flat to the network); choose Scaling, --series-scaling, to keep amplitudes",
            movement * 100.0,
            FLAT * 100.0
        )
    })
}

/// Each channel's (mean, sd) over every series and time step of `values`
/// (`rows × channels × length`); a constant channel gets sd 1.
pub(super) fn channel_moments(values: &[f32], channels: usize, length: usize) -> Vec<(f32, f32)> {
    let row = channels * length;
    (0..channels)
        .map(|c| {
            let (mean, sd) = mean_sd(values.chunks(row).flat_map(|r| &r[c * length..(c + 1) * length]));
            (mean as f32, if sd > 1e-12 { sd as f32 } else { 1.0 })
        })
        .collect()
}

/// The mean and the (population) standard deviation of `values`, in f64.
pub(super) fn mean_sd<'a>(values: impl Iterator<Item = &'a f32>) -> (f64, f64) {
    let (mut n, mut sum, mut sq) = (0f64, 0f64, 0f64);
    for &v in values.filter(|v| !v.is_nan()) {
        n += 1.0;
        sum += v as f64;
        sq += (v as f64) * (v as f64);
    }
    let mean = sum / n.max(1.0);
    (mean, (sq / n.max(1.0) - mean * mean).max(0.0).sqrt())
}

/// Standardises each channel of `values` (`rows × channels × length`) with given moments.
pub(super) fn apply_channel_scale(values: &mut [f32], length: usize, moments: &[(f32, f32)]) {
    let row = moments.len() * length;
    for r in values.chunks_mut(row) {
        for (c, &(mean, sd)) in moments.iter().enumerate() {
            for v in &mut r[c * length..(c + 1) * length] {
                *v = (*v - mean) / sd;
            }
        }
    }
}

/// Standardises `values` (`rows × channels × length`) in place.
pub fn scale(values: &mut [f32], channels: usize, length: usize, scaling: SeriesScaling) {
    match scaling {
        SeriesScaling::None => {}
        SeriesScaling::PerSeries => {
            for chunk in values.chunks_mut(length) {
                let (mean, sd) = mean_sd(chunk.iter());
                let sd = if sd > 1e-12 { sd } else { 1.0 };
                for v in chunk {
                    *v = ((*v as f64 - mean) / sd) as f32;
                }
            }
        }
        SeriesScaling::PerChannel => {
            let fitted = channel_moments(values, channels, length);
            apply_channel_scale(values, length, &fitted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(amplitudes: &[f32]) -> Vec<Series> {
        amplitudes
            .iter()
            .enumerate()
            .map(|(i, &a)| Series {
                name: format!("s{i}"),
                channels: vec![(0..50).map(|t| a * (t as f32 * 0.3 + i as f32).sin()).collect()],
                label: None,
            })
            .collect()
    }

    #[test]
    fn scalings_standardise_what_they_say() {
        // two series, two channels, three steps
        let raw = vec![0., 1., 2., 10., 10., 10., 4., 5., 6., 20., 30., 40.];
        let mut per_series = raw.clone();
        scale(&mut per_series, 2, 3, SeriesScaling::PerSeries);
        for chunk in per_series.chunks(3) {
            let mean: f32 = chunk.iter().sum::<f32>() / 3.0;
            assert!(mean.abs() < 1e-6, "{chunk:?}");
        }
        // a constant channel becomes zeros, not NaN
        assert_eq!(&per_series[3..6], &[0.0, 0.0, 0.0]);
        let mut per_channel = raw.clone();
        scale(&mut per_channel, 2, 3, SeriesScaling::PerChannel);
        // the second series keeps its larger values in channel 1
        assert!(
            per_channel[6..9].iter().all(|&v| v > 0.0),
            "{per_channel:?}"
        );
        let ch1: Vec<f32> = [&per_channel[0..3], &per_channel[6..9]].concat();
        assert!((ch1.iter().sum::<f32>()).abs() < 1e-5);
        let sq: f32 = ch1.iter().map(|v| v * v).sum::<f32>() / 6.0;
        assert!((sq - 1.0).abs() < 1e-5, "{sq}");
        let mut none = raw.clone();
        scale(&mut none, 2, 3, SeriesScaling::None);
        assert_eq!(none, raw);
    }

    #[test]
    fn automatic_keeps_amplitudes_unless_most_series_would_look_flat() {
        // Like amplitudes (a walk and a run: three times apart): over all series.
        let alike = typical_movement(&set(&[1.0, 1.0, 3.0, 3.0, 2.0]), 1);
        assert!(alike > 0.4, "{alike}");
        assert_eq!(automatic_scaling(alike), SeriesScaling::PerChannel);
        assert_eq!(scaling_note(alike), None);
        // Most series tiny beside a few a thousand times larger: each on its own.
        let flat = typical_movement(&set(&[0.01, 0.02, 0.01, 0.03, 0.02, 20.0, 30.0]), 1);
        assert!(flat < 0.01, "{flat}");
        assert_eq!(automatic_scaling(flat), SeriesScaling::PerSeries);
        let note = scaling_note(flat).expect("says why");
        assert!(note.contains("each series is scaled on its own") && note.contains("under 10 %"), "{note}");
        // Series already z-normalised one by one all move alike: exactly 1.
        let mut normalised: Vec<f32> = set(&[1.0, 5.0, 50.0]).iter().flat_map(|s| s.channels[0].clone()).collect();
        scale(&mut normalised, 1, 50, SeriesScaling::PerSeries);
        let series: Vec<Series> = normalised
            .chunks(50)
            .map(|c| Series { name: "n".into(), channels: vec![c.to_vec()], label: None })
            .collect();
        assert!((typical_movement(&series, 1) - 1.0).abs() < 0.05);
    }

    #[test]
    fn series_that_differ_in_level_only_keep_their_levels() {
        let series: Vec<Series> = (0..6)
            .map(|i| Series {
                name: format!("l{i}"),
                channels: vec![(0..20).map(|t| 1000.0 * i as f32 + (t as f32).sin()).collect()],
                label: None,
            })
            .collect();
        assert_eq!(automatic_scaling(typical_movement(&series, 1)), SeriesScaling::PerChannel);
    }

    #[test]
    fn missing_values_flat_channels_and_short_series_do_not_break_the_measure() {
        let mut series = set(&[1.0, 2.0, 1.5]);
        series[0].channels[0][3] = f32::NAN;
        series.push(Series { name: "one point".into(), channels: vec![vec![4.0]], label: None });
        let m = typical_movement(&series, 1);
        assert!(m.is_finite() && m > 0.4, "{m}");
        let constant: Vec<Series> = (0..3)
            .map(|i| Series { name: format!("c{i}"), channels: vec![vec![2.0; 10]], label: None })
            .collect();
        assert_eq!(typical_movement(&constant, 1), 1.0);
        assert_eq!(typical_movement(&[], 1), 1.0);
    }

    #[test]
    fn scaling_names_include_automatic() {
        assert_eq!(SeriesScaling::requested("auto"), Some(None));
        assert_eq!(SeriesScaling::requested("series"), Some(Some(SeriesScaling::PerSeries)));
        assert_eq!(SeriesScaling::requested("loud"), None);
    }
}
