//! What the results say about each cluster of series: every channel's band (the mean and
//! spread the page draws) and how each channel differs between the clusters (in level,
//! movement or shape), so a set of many channels shows the ones that tell its clusters apart.

use super::SeriesSet;

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
        let (channels, length, n) = (self.channels(), self.length, self.len().min(labels.len()));
        let values = self.resampled();
        let cluster = |r: usize| Some(labels[r] as usize).filter(|&l| l < k);
        let mut out: Vec<ChannelDifference> = (0..channels)
            .map(|ch| {
                let (mut level, mut movement) = (vec![f64::NAN; n], vec![f64::NAN; n]);
                // The shape: per cluster and step, count, sum and squares of standardised values.
                let mut shape = vec![(0u32, 0.0f64, 0.0f64); k * length];
                for r in 0..n {
                    let Some(c) = cluster(r) else { continue };
                    let own = &values[(r * channels + ch) * length..][..length];
                    let kept: Vec<f64> = own
                        .iter()
                        .filter(|v| !v.is_nan())
                        .map(|&v| v as f64)
                        .collect();
                    if kept.is_empty() {
                        continue;
                    }
                    let mean = kept.iter().sum::<f64>() / kept.len() as f64;
                    let var = kept.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>()
                        / kept.len() as f64;
                    (level[r], movement[r]) = (mean, var.sqrt());
                    let scale = if var > 0.0 { 1.0 / var.sqrt() } else { 0.0 };
                    for (t, &v) in own.iter().enumerate() {
                        if !v.is_nan() {
                            let cell = &mut shape[c * length + t];
                            let d = (v as f64 - mean) * scale;
                            *cell = (cell.0 + 1, cell.1 + d, cell.2 + d * d);
                        }
                    }
                }
                let by_step =
                    (0..length).map(|t| share_between((0..k).map(|c| shape[c * length + t])));
                let (between, total) = by_step.fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                let scalar = |f: &[f64]| {
                    let (between, total) = share_between((0..k).map(|c| {
                        (0..n)
                            .filter(|&r| cluster(r) == Some(c) && !f[r].is_nan())
                            .fold((0u32, 0.0, 0.0), |a, r| {
                                (a.0 + 1, a.1 + f[r], a.2 + f[r] * f[r])
                            })
                    }));
                    ratio(between, total)
                };
                ChannelDifference::new(ch, scalar(&level), scalar(&movement), ratio(between, total))
            })
            .collect();
        out.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.channel.cmp(&b.channel)));
        out
    }
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
    /// Its name in a CSV file.
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Level => "level",
            Aspect::Movement => "movement",
            Aspect::Shape => "shape",
        }
    }

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

/// `channel,level,movement,shape,differs_most_in`, most telling first: what `--profiles`
/// writes for series.
pub fn differences_csv(names: &[String], differences: &[ChannelDifference]) -> String {
    let mut out = String::from("channel,level,movement,shape,differs_most_in\n");
    for d in differences {
        let name = &names[d.channel];
        let name = if name.contains([',', '"', '\n']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.clone()
        };
        let by = d.by.map_or("", Aspect::name);
        out += &format!(
            "{name},{:.4},{:.4},{:.4},{by}\n",
            d.level, d.movement, d.shape
        );
    }
    out
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
        let csv = differences_csv(&names, &d);
        assert!(
            csv.starts_with("channel,level,movement,shape,differs_most_in\n"),
            "{csv}"
        );
        assert!(csv.contains("\"acc, y\",0.0000,0.99"), "{csv}");
        assert!(
            csv.ends_with("noise,0.0000,0.0000,0.0000,\nflat,0.0000,0.0000,0.0000,\n"),
            "{csv}"
        );
        // One cluster for all: nothing lies between clusters.
        assert!(
            set.channel_differences(&[0, 0, 0, 0], 2)
                .iter()
                .all(|x| x.share < 1e-9)
        );
    }
}
