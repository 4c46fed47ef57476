//! Synthetic series to teach with, generated from a seed as the 2-D samples are: the classic
//! Cylinder-Bell-Funnel (one channel, three shapes anywhere in time) and a made-up
//! accelerometer's three activities (three named channels that differ in how much they move).

use std::f64::consts::PI;
use std::fmt::Write as _;

use super::LongColumns;
use crate::rng::Rng;

/// The series samples, by the names the page and the CLI use.
pub const SERIES_SAMPLES: [&str; 2] = ["cbf", "activities"];

/// A generated set as the file a user would drop, and how to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSample {
    /// The file's name (`cbf.ts`, `activities.csv`).
    pub file: String,
    pub bytes: Vec<u8>,
    /// For a CSV with a series in each row, its columns; `None` for an archive file.
    pub columns: Option<LongColumns>,
    /// The groups it was drawn from (what a good clustering finds).
    pub n_clusters: usize,
}

/// The series sample called `name`, drawn from `seed`; `None` for another name.
pub fn series_sample(name: &str, seed: u64) -> Option<SeriesSample> {
    match name {
        "cbf" => Some(SeriesSample {
            file: "cbf.ts".into(),
            bytes: cylinder_bell_funnel(40, seed).into_bytes(),
            columns: None,
            n_clusters: 3,
        }),
        "activities" => Some(SeriesSample {
            file: "activities.csv".into(),
            bytes: activities(30, seed).into_bytes(),
            columns: Some(LongColumns {
                wide: true,
                id: Some("recording".into()),
                label: Some("activity".into()),
                ..LongColumns::default()
            }),
            n_clusters: 3,
        }),
        _ => None,
    }
}

/// Cylinder-Bell-Funnel (Saito 1994) as `.ts` text, `per` series of each shape, 128 steps: a
/// plateau, a ramp up or a ramp down of height 6 + η, starting at a ~ U[16, 32], lasting
/// b − a ~ U[32, 96] steps, with N(0, 1) noise at every step (η too).
pub fn cylinder_bell_funnel(per: usize, seed: u64) -> String {
    const LENGTH: usize = 128;
    let mut rng = Rng::new(seed);
    let mut out = String::from(
        "@problemName CBF\n@univariate true\n@classLabel true cylinder bell funnel\n@data\n",
    );
    for i in 0..3 * per {
        let shape = i % 3;
        let a = 16.0 + 16.0 * rng.next_f64();
        let b = a + 32.0 + 64.0 * rng.next_f64();
        let height = 6.0 + rng.normal();
        let values: Vec<String> = (0..LENGTH)
            .map(|t| {
                let t = t as f64;
                let inside = if (a..=b).contains(&t) { height } else { 0.0 };
                let v = match shape {
                    0 => inside,
                    1 => inside * (t - a) / (b - a),
                    _ => inside * (b - t) / (b - a),
                };
                format!("{:.4}", v + rng.normal())
            })
            .collect();
        let _ = writeln!(out, "{}:{}", values.join(","), ["cylinder", "bell", "funnel"][shape]);
    }
    out
}

/// A wrist accelerometer's 5 s recordings at 20 Hz as a CSV with a series in each row
/// (`recording,acc_x_1…acc_x_100,acc_y_1…,acc_z_1…,activity`), `per` of each activity:
/// resting (gravity on z, a tremor of noise), walking (steps at 1.6–2.0 Hz: z bounces by
/// about 0.3 g, x sways at half the rate) and running (2.6–3.2 Hz, about 1 g), each starting
/// at a random point of its stride.
fn activities(per: usize, seed: u64) -> String {
    const STEPS: usize = 100;
    const HZ: f64 = 20.0;
    let mut rng = Rng::new(seed);
    let axes = ["acc_x", "acc_y", "acc_z"];
    let mut out = String::from("recording,");
    for axis in axes {
        for t in 1..=STEPS {
            let _ = write!(out, "{axis}_{t},");
        }
    }
    out.push_str("activity\n");
    for i in 0..3 * per {
        let activity = i % 3;
        // Stride rate, bounce and sway, noise, in g.
        let (rate, bounce, sway, noise) = match activity {
            0 => (0.0, 0.0, 0.0, 0.02),
            1 => (1.6 + 0.4 * rng.next_f64(), 0.25 + 0.1 * rng.next_f64(), 0.12, 0.05),
            _ => (2.6 + 0.6 * rng.next_f64(), 0.8 + 0.4 * rng.next_f64(), 0.35, 0.1),
        };
        let phase = 2.0 * PI * rng.next_f64();
        let tilt = 0.05 * rng.normal();
        let _ = write!(out, "r{},", i + 1);
        for axis in 0..3 {
            for t in 0..STEPS {
                let w = 2.0 * PI * rate * t as f64 / HZ + phase;
                let v = match axis {
                    0 => tilt + sway * (w / 2.0).sin(),
                    1 => 0.5 * sway * (w / 2.0 + 1.0).cos(),
                    _ => 1.0 + bounce * w.sin(),
                };
                let _ = write!(out, "{:.3},", v + noise * rng.normal());
            }
        }
        let _ = writeln!(out, "{}", ["resting", "walking", "running"][activity]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{SeriesOptions, SeriesSet};
    use super::*;

    fn read(sample: &SeriesSample) -> SeriesSet {
        let files = [(sample.file.clone(), sample.bytes.clone())];
        match &sample.columns {
            Some(columns) => SeriesSet::from_csv_files(&files, columns, SeriesOptions::default()),
            None => SeriesSet::from_archive_files(&files, SeriesOptions::default()),
        }
        .expect("a sample reads")
    }

    #[test]
    fn samples_read_as_the_files_they_stand_for_and_follow_the_seed() {
        let cbf = read(&series_sample("cbf", 42).unwrap());
        assert_eq!((cbf.len(), cbf.channels(), cbf.length), (120, 1, 128));
        let moves = read(&series_sample("activities", 42).unwrap());
        assert_eq!((moves.len(), moves.channels(), moves.length), (90, 3, 100));
        assert_eq!(moves.channel_names, ["acc_x", "acc_y", "acc_z"]);
        assert_eq!(moves.names()[0], "r1");
        assert_eq!(series_sample("cbf", 42), series_sample("cbf", 42));
        assert_ne!(series_sample("cbf", 42), series_sample("cbf", 43));
        assert_eq!(series_sample("blobs", 42), None);
    }

    #[test]
    fn activities_differ_in_how_much_they_move() {
        // The labels the file gives: each activity's z channel moves more than the last's.
        let moves = read(&series_sample("activities", 7).unwrap());
        let labels: Vec<u32> = (0..90).map(|i| i % 3).collect();
        let profiles = moves.profiles(&labels, 3);
        let movement = |c: usize| {
            profiles.clusters[c]
                .numeric
                .iter()
                .find(|n| n.feature == "acc_z movement")
                .unwrap()
                .mean
        };
        assert!(movement(0) < 0.05 && movement(1) > 0.1 && movement(2) > 2.0 * movement(1));
        let differences = moves.channel_differences(&labels, 3);
        assert_eq!(differences[0].by, Some(super::super::Aspect::Movement));
    }
}
