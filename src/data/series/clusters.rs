//! What the results say about each cluster of series: every channel's band (the mean and
//! spread the page draws) and how each channel differs between the clusters (in level,
//! movement or shape), so a set of many channels shows the ones that tell its clusters apart.

use super::super::prepare::{Cells, Encoding, MissingPolicy, Preparation, Prepared, Profiles};
use super::SeriesSet;
use super::scaling::mean_sd;

/// For each cluster and each value of a row (channel-major): how many members have it, their
/// sum and their sum of squares, from the resampled values, padding skipped.
struct Moments {
    count: Vec<u32>,
    sum: Vec<f64>,
    sq: Vec<f64>,
}

impl SeriesSet {
    /// `labels` ≥ `k` are skipped.
    fn cluster_moments(&self, labels: &[u32], k: usize) -> Moments {
        let row = self.row_len();
        let values = self.resampled();
        let mut m = Moments {
            count: vec![0; k * row],
            sum: vec![0.0; k * row],
            sq: vec![0.0; k * row],
        };
        for (r, &l) in labels.iter().enumerate().take(self.len()) {
            let l = l as usize;
            if l >= k {
                continue;
            }
            for (j, &v) in values[r * row..(r + 1) * row].iter().enumerate() {
                if v.is_nan() {
                    continue;
                }
                m.count[l * row + j] += 1;
                m.sum[l * row + j] += v as f64;
                m.sq[l * row + j] += (v as f64) * (v as f64);
            }
        }
        m
    }

    /// Each cluster's band, what the page draws: for cluster, channel and time step, the
    /// mean and the standard deviation of its members' resampled values, `k × channels ×
    /// length × 2`, (mean, sd) pairs; NaN where no member has a value (an empty cluster, or
    /// padding). `labels` ≥ `k` are skipped.
    pub fn cluster_bands(&self, labels: &[u32], k: usize) -> Vec<f32> {
        let m = self.cluster_moments(labels, k);
        let mut out = Vec::with_capacity(m.count.len() * 2);
        for i in 0..m.count.len() {
            let n = m.count[i] as f64;
            let mean = m.sum[i] / n;
            let sd = (m.sq[i] / n - mean * mean).max(0.0).sqrt();
            out.push(mean as f32);
            out.push(sd as f32);
        }
        out
    }

    /// How each channel tells the clusters apart, the channels that do most first: for each,
    /// the share of its variation that lies between the clusters (R², as in an analysis of
    /// variance) in its level (each series' mean), its movement (each series' standard
    /// deviation) and its shape (each series standardised, step by step), and
    /// which of the three is largest. 0 when the clusters do not differ in it (or the channel
    /// never varies).
    pub fn channel_differences(&self, labels: &[u32], k: usize) -> Vec<ChannelDifference> {
        self.differences_in(&self.resampled(), labels, k)
    }

    /// [`SeriesSet::channel_differences`] of `values`, the set [`SeriesSet::resampled`].
    fn differences_in(&self, values: &[f32], labels: &[u32], k: usize) -> Vec<ChannelDifference> {
        let (channels, length, n) = (self.channels(), self.length, self.len().min(labels.len()));
        let cluster = |r: usize| Some(labels[r] as usize).filter(|&l| l < k);
        let mut out: Vec<ChannelDifference> = (0..channels)
            .map(|ch| {
                let (level, movement) = level_and_movement(values, channels, length, n, ch);
                // The shape: per cluster and step, count, sum and squares of standardised values.
                let mut shape = vec![(0u32, 0.0f64, 0.0f64); k * length];
                for r in 0..n {
                    let (Some(c), false) = (cluster(r), level[r].is_nan()) else {
                        continue;
                    };
                    let scale = if movement[r] > 0.0 {
                        1.0 / movement[r]
                    } else {
                        0.0
                    };
                    let own = &values[(r * channels + ch) * length..][..length];
                    for (t, &v) in own.iter().enumerate().filter(|(_, v)| !v.is_nan()) {
                        let cell = &mut shape[c * length + t];
                        let d = (v as f64 - level[r]) * scale;
                        *cell = (cell.0 + 1, cell.1 + d, cell.2 + d * d);
                    }
                }
                let by_step =
                    (0..length).map(|t| share_between((0..k).map(|c| shape[c * length + t])));
                let (between, total) = by_step.fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                let scalar = |f: &[f64]| {
                    let mut sums = vec![(0u32, 0.0, 0.0); k];
                    for r in (0..n).filter(|&r| !f[r].is_nan()) {
                        if let Some(c) = cluster(r) {
                            let a = &mut sums[c];
                            *a = (a.0 + 1, a.1 + f[r], a.2 + f[r] * f[r]);
                        }
                    }
                    let (between, total) = share_between(sums.into_iter());
                    ratio(between, total)
                };
                ChannelDifference::new(ch, scalar(&level), scalar(&movement), ratio(between, total))
            })
            .collect();
        out.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.channel.cmp(&b.channel)));
        out
    }

    /// What sets each cluster apart, as for a table's columns: each channel's level (a
    /// series' mean) and movement (its standard deviation), in the file's units, as features;
    /// past [`NAMED_CHANNELS`] channels, those of the channels that differ most
    /// ([`SeriesSet::channel_differences`]).
    pub fn profiles(&self, labels: &[u32], k: usize) -> Profiles {
        let (channels, length, n) = (self.channels(), self.length, self.len().min(labels.len()));
        let values = self.resampled();
        let mut chosen: Vec<usize> = (0..channels).collect();
        if channels > NAMED_CHANNELS {
            chosen = self
                .differences_in(&values, labels, k)
                .iter()
                .take(NAMED_CHANNELS)
                .map(|d| d.channel)
                .collect();
        }
        let (mut columns, mut cells) = (Vec::new(), Vec::new());
        for ch in chosen {
            let (level, movement) = level_and_movement(&values, channels, length, n, ch);
            for (what, v) in [("level", level), ("movement", movement)] {
                columns.push(Prepared {
                    name: format!("{} {what}", self.channel_names[ch]),
                    encoding: Encoding::Numeric {
                        fill: 0.0,
                        mean: 0.0,
                        std: 1.0,
                    },
                });
                cells.push(Cells::Numbers(v.into_iter().map(|x| x as f32).collect()));
            }
        }
        let preparation = Preparation {
            columns,
            missing: MissingPolicy::Fill,
            shared: false,
        };
        let cells: Vec<&Cells> = cells.iter().collect();
        let rows: Vec<u32> = (0..n as u32).collect();
        Profiles::new(&preparation, &cells, &rows, &labels[..n], k).called(["series", "series"])
    }
}

/// Each of the first `n` series' mean and standard deviation in channel `ch` of `values`
/// (`resampled`'s layout), padding left out; NaN for a series with no value there.
fn level_and_movement(
    values: &[f32],
    channels: usize,
    length: usize,
    n: usize,
    ch: usize,
) -> (Vec<f64>, Vec<f64>) {
    (0..n)
        .map(|r| {
            let own = &values[(r * channels + ch) * length..][..length];
            if own.iter().all(|v| v.is_nan()) {
                return (f64::NAN, f64::NAN);
            }
            mean_sd(own.iter())
        })
        .unzip()
}

/// What about a channel differs most between the clusters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aspect {
    /// Each series' mean.
    Level,
    /// Each series' standard deviation.
    Movement,
    /// Each series standardised (less its mean, over its standard deviation), step by step.
    Shape,
}

impl Aspect {
    /// How the results say it.
    pub fn words(self) -> &'static str {
        match self {
            Aspect::Level => "its level",
            Aspect::Movement => "how much it moves",
            Aspect::Shape => "its shape over time",
        }
    }
}

/// How one channel tells the clusters apart ([`SeriesSet::channel_differences`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelDifference {
    pub channel: usize,
    pub level: f64,
    pub movement: f64,
    pub shape: f64,
    /// The largest of the three, and which it is (`None` when all are 0).
    pub share: f64,
    pub by: Option<Aspect>,
}

impl ChannelDifference {
    fn new(channel: usize, level: f64, movement: f64, shape: f64) -> Self {
        let (share, by) = [
            (level, Aspect::Level),
            (movement, Aspect::Movement),
            (shape, Aspect::Shape),
        ]
        .into_iter()
        .fold(
            (0.0, None),
            |best, (v, a)| if v > best.0 { (v, Some(a)) } else { best },
        );
        Self {
            channel,
            level,
            movement,
            shape,
            share,
            by,
        }
    }
}

/// How many channels the sentence of [`channels_sentence`] names.
pub const NAMED_CHANNELS: usize = 6;

/// What the results say: "what tells the clusters apart (…): acc_x in how much it moves
/// (82 %); …", the first [`NAMED_CHANNELS`] of `differences` (most first) that differ at all.
pub fn channels_sentence(names: &[String], differences: &[ChannelDifference]) -> String {
    let named: Vec<String> = differences
        .iter()
        .take(NAMED_CHANNELS)
        .filter_map(|d| {
            Some(format!(
                "{} in {} ({:.0} %)",
                names[d.channel],
                d.by?.words(),
                100.0 * d.share
            ))
        })
        .collect();
    if named.is_empty() {
        return "the clusters do not differ in any channel's level, movement or shape".into();
    }
    format!(
        "what tells the clusters apart (the share of each channel's variation that lies between them): {}",
        named.join("; ")
    )
}

/// The between-cluster and total sums of squares of values given per cluster as (count, sum,
/// sum of squares).
fn share_between(clusters: impl Iterator<Item = (u32, f64, f64)>) -> (f64, f64) {
    let (mut n, mut sum, mut sq, mut means) = (0.0, 0.0, 0.0, 0.0);
    for (count, s, q) in clusters.filter(|c| c.0 > 0) {
        n += count as f64;
        sum += s;
        sq += q;
        means += s * s / count as f64;
    }
    if n == 0.0 {
        return (0.0, 0.0);
    }
    (means - sum * sum / n, sq - sum * sum / n)
}

/// `between / total`, 0 when there is no variation to share.
fn ratio(between: f64, total: f64) -> f64 {
    if total > 1e-12 * (1.0 + between.abs()) {
        (between / total).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Series, SeriesOptions};
    use super::*;

    fn set(series: Vec<Vec<Vec<f32>>>) -> SeriesSet {
        let series = series
            .into_iter()
            .enumerate()
            .map(|(i, channels)| Series {
                name: format!("s{i}"),
                channels,
                label: None,
            })
            .collect();
        SeriesSet::new(series, None, Vec::new(), SeriesOptions::default()).unwrap()
    }

    #[test]
    fn bands_are_each_clusters_mean_and_spread() {
        let set = set(vec![
            vec![vec![0.0; 8]],
            vec![vec![2.0; 8]],
            vec![vec![5.0; 8]],
        ]);
        let bands = set.cluster_bands(&[0, 0, 1], 3);
        assert_eq!(bands.len(), 3 * 8 * 2);
        assert_eq!(&bands[..2], &[1.0, 1.0]);
        assert_eq!(&bands[16..18], &[5.0, 0.0]);
        assert!(bands[32].is_nan(), "an empty cluster has no band");
    }

    #[test]
    fn channels_that_tell_the_clusters_apart_say_how() {
        let ramp = |scale: f32| {
            (0..8)
                .map(|t| scale * (t as f32 - 3.5))
                .collect::<Vec<f32>>()
        };
        // Channel 0: the clusters differ in level (0 against 10); channel 1 in how much it
        // moves (a gentle against a steep zig-zag); channel 2 in its shape (rising against
        // falling, same level and movement); channel 3 only within clusters; channel 4 never varies.
        let zigzag = |a: f32| {
            (0..8)
                .map(|t| if t % 2 == 0 { a } else { -a })
                .collect::<Vec<f32>>()
        };
        let row = |c: usize, w: f32| {
            vec![
                vec![10.0 * c as f32 + w * 0.1; 8],
                zigzag(1.0 + 4.0 * c as f32 + 0.1 * w),
                if c == 0 { ramp(1.0) } else { ramp(-1.0) },
                vec![w * 5.0; 8],
                vec![3.0; 8],
            ]
        };
        let set = set(vec![row(0, 1.0), row(0, -1.0), row(1, 1.0), row(1, -1.0)]);
        let d = set.channel_differences(&[0, 0, 1, 1], 2);
        let by_channel = |ch: usize| d.iter().find(|x| x.channel == ch).unwrap();
        assert_eq!(
            [
                by_channel(0).by,
                by_channel(1).by,
                by_channel(2).by,
                by_channel(4).by
            ],
            [
                Some(Aspect::Level),
                Some(Aspect::Movement),
                Some(Aspect::Shape),
                None
            ]
        );
        for ch in 0..3 {
            assert!(by_channel(ch).share > 0.99, "{d:?}");
        }
        assert!(
            by_channel(1).shape < 1e-9,
            "a steeper zig-zag is the same shape: {d:?}"
        );
        assert!(by_channel(3).share < 1e-9, "{d:?}");
        assert_eq!(by_channel(4).share, 0.0);
        assert_eq!(
            d.iter().map(|x| x.channel).collect::<Vec<_>>()[3..],
            [3, 4],
            "most first"
        );
        let names: Vec<String> = ["acc x", "acc, y", "gyr", "noise", "flat"]
            .map(String::from)
            .into();
        assert!(channels_sentence(&names, &d).starts_with(
            "what tells the clusters apart (the share of each channel's variation that lies between them): "
        ));
        let sentence = channels_sentence(&names, &d);
        for said in [
            "acc x in its level (100 %)",
            "acc, y in how much it moves (100 %)",
            "gyr in its shape over time (100 %)",
        ] {
            assert!(sentence.contains(said), "{sentence}");
        }
        assert!(
            !sentence.contains("noise"),
            "channels that do not differ are not named: {sentence}"
        );
        // One cluster for all: nothing lies between clusters.
        assert!(
            set.channel_differences(&[0, 0, 0, 0], 2)
                .iter()
                .all(|x| x.share < 1e-9)
        );
    }

    #[test]
    fn profiles_describe_each_cluster_by_its_channels_level_and_movement() {
        // Cluster 1 sits higher on channel 1 and moves more on channel 2.
        let row = |c: usize, w: f32| {
            let a = 1.0 + 4.0 * c as f32;
            vec![
                vec![10.0 * c as f32 + w; 8],
                (0..8).map(|t| if t % 2 == 0 { a } else { -a }).collect(),
            ]
        };
        let set2 = set(vec![row(0, 0.1), row(0, -0.1), row(1, 0.1), row(1, -0.1)]);
        let profiles = set2.profiles(&[0, 0, 1, 1], 2);
        let (columns, _) = profiles.heatmap();
        assert_eq!(
            columns,
            [
                "channel 1 level",
                "channel 1 movement",
                "channel 2 level",
                "channel 2 movement"
            ]
        );
        assert_eq!(
            profiles.clusters[1].description,
            "Cluster 1 · 2 series · channel 2 movement high: 5 vs 3 · channel 1 level high: 10 vs 5"
        );
        assert!(profiles.to_json().contains("\"items\":\"series\""));
        // Past six channels, the six that differ most: here the last.
        let wide = |c: usize| -> Vec<Vec<f32>> {
            (0..8)
                .map(|ch| vec![if ch == 7 { 10.0 * c as f32 } else { 0.0 }; 8])
                .collect()
        };
        let set8 = set(vec![wide(0), wide(0), wide(1), wide(1)]);
        let (columns, _) = set8.profiles(&[0, 0, 1, 1], 2).heatmap();
        assert_eq!(
            (columns.len(), columns[0].as_str()),
            (12, "channel 8 level")
        );
    }
}
