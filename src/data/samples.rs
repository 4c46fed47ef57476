//! Synthetic teaching sets, generated from a seed so a shared link shows the same points.
//! Each is chosen to show something: where centre-based clustering works (blobs), where it
//! cannot (moons, circles), what stretched or unequal clusters do, and a set with no clusters
//! at all, where every answer is wrong.

use std::f64::consts::PI;
use std::fmt::Write as _;

use crate::rng::Rng;

/// The synthetic sets, by the names the page and the CLI use.
pub const SYNTHETIC_SAMPLES: [&str; 6] = [
    "blobs",
    "moons",
    "circles",
    "anisotropic",
    "imbalanced",
    "noise",
];

/// A generated 2-D set.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: &'static str,
    /// Row-major `rows × 2`.
    pub points: Vec<f32>,
    /// The cluster each point was drawn from; `None` for noise, which has none.
    pub labels: Option<Vec<u32>>,
    /// How many groups the generator drew from (what a good clustering finds).
    pub n_clusters: usize,
}

impl Sample {
    pub fn rows(&self) -> usize {
        self.points.len() / 2
    }

    /// `x,y[,label]` with a header, the form a user's own file would have.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut s = String::from(if self.labels.is_some() {
            "x,y,label\n"
        } else {
            "x,y\n"
        });
        for (i, p) in self.points.chunks_exact(2).enumerate() {
            let _ = write!(s, "{:.4},{:.4}", p[0], p[1]);
            if let Some(labels) = &self.labels {
                let _ = write!(s, ",{}", labels[i]);
            }
            s.push('\n');
        }
        s.into_bytes()
    }
}

/// Generates the named set; `None` for a name not in [`SYNTHETIC_SAMPLES`].
pub fn synthetic_sample(name: &str, seed: u64) -> Option<Sample> {
    let mut rng = Rng::new(seed);
    let g = &mut rng;
    let (name, points, labels, n_clusters) = match name {
        "blobs" => {
            let centres = [(-6.0, -4.0), (5.0, -5.0), (-4.0, 6.0), (6.0, 5.0)];
            let (p, l) = gaussian_clusters(g, &centres, &[150; 4], 1.2);
            ("blobs", p, Some(l), 4)
        }
        "moons" => {
            let (p, l) = moons(g, 250, 0.08);
            ("moons", p, Some(l), 2)
        }
        "circles" => {
            let (p, l) = circles(g, 250, 0.5, 0.05);
            ("circles", p, Some(l), 2)
        }
        "anisotropic" => {
            // scikit-learn's clustering demo stretches its blobs with this matrix.
            let centres = [(-4.0, 0.0), (0.0, 3.0), (4.0, -1.0)];
            let (mut p, l) = gaussian_clusters(g, &centres, &[200; 3], 1.0);
            for xy in p.chunks_exact_mut(2) {
                let (x, y) = (xy[0], xy[1]);
                xy[0] = 0.6 * x - 0.4 * y;
                xy[1] = -0.4 * x + 0.9 * y;
            }
            ("anisotropic", p, Some(l), 3)
        }
        "imbalanced" => {
            let centres = [(0.0, 0.0), (6.0, 1.0), (2.0, 6.0)];
            let (p, l) = gaussian_clusters(g, &centres, &[500, 100, 20], 1.1);
            ("imbalanced", p, Some(l), 3)
        }
        "noise" => {
            let p = (0..2 * 1000).map(|_| g.next_f64() * 10.0).collect();
            ("noise", p, None, 1)
        }
        _ => return None,
    };
    Some(Sample {
        name,
        points: points.into_iter().map(|v| v as f32).collect(),
        labels,
        n_clusters,
    })
}

/// Isotropic Gaussians, `sizes[j]` points around `centres[j]`, shuffled together.
fn gaussian_clusters(
    rng: &mut Rng,
    centres: &[(f64, f64)],
    sizes: &[usize],
    std: f64,
) -> (Vec<f64>, Vec<u32>) {
    let mut rows = Vec::new();
    for (j, (&(cx, cy), &n)) in centres.iter().zip(sizes).enumerate() {
        for _ in 0..n {
            rows.push((cx + std * rng.normal(), cy + std * rng.normal(), j as u32));
        }
    }
    shuffled(rng, rows)
}

/// Two interleaved half circles (scikit-learn's `make_moons`).
fn moons(rng: &mut Rng, per_moon: usize, noise: f64) -> (Vec<f64>, Vec<u32>) {
    let mut rows = Vec::new();
    for i in 0..per_moon {
        let t = PI * i as f64 / (per_moon - 1) as f64;
        rows.push((t.cos(), t.sin(), 0));
        rows.push((1.0 - t.cos(), 0.5 - t.sin(), 1));
    }
    jitter(rng, &mut rows, noise);
    shuffled(rng, rows)
}

/// A ring inside a ring (scikit-learn's `make_circles`); `factor` is the inner radius.
fn circles(rng: &mut Rng, per_circle: usize, factor: f64, noise: f64) -> (Vec<f64>, Vec<u32>) {
    let mut rows = Vec::new();
    for i in 0..per_circle {
        let t = 2.0 * PI * i as f64 / per_circle as f64;
        rows.push((t.cos(), t.sin(), 0));
        rows.push((factor * t.cos(), factor * t.sin(), 1));
    }
    jitter(rng, &mut rows, noise);
    shuffled(rng, rows)
}

fn jitter(rng: &mut Rng, rows: &mut [(f64, f64, u32)], noise: f64) {
    for r in rows {
        r.0 += noise * rng.normal();
        r.1 += noise * rng.normal();
    }
}

/// Shuffled so the file does not list the clusters in order (a method must not depend on it).
fn shuffled(rng: &mut Rng, mut rows: Vec<(f64, f64, u32)>) -> (Vec<f64>, Vec<u32>) {
    rng.shuffle(&mut rows);
    let points = rows.iter().flat_map(|&(x, y, _)| [x, y]).collect();
    let labels = rows.iter().map(|&(_, _, l)| l).collect();
    (points, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{CsvOptions, parse_csv};

    fn counts(labels: &[u32], k: usize) -> Vec<usize> {
        let mut c = vec![0; k];
        labels.iter().for_each(|&l| c[l as usize] += 1);
        c
    }

    #[test]
    fn every_sample_has_its_shape_and_is_reproducible() {
        let want: [(&str, usize, Option<Vec<usize>>); 6] = [
            ("blobs", 600, Some(vec![150; 4])),
            ("moons", 500, Some(vec![250; 2])),
            ("circles", 500, Some(vec![250; 2])),
            ("anisotropic", 600, Some(vec![200; 3])),
            ("imbalanced", 620, Some(vec![500, 100, 20])),
            ("noise", 1000, None),
        ];
        for (name, rows, sizes) in want {
            let s = synthetic_sample(name, 7).unwrap();
            assert_eq!((s.name, s.rows()), (name, rows));
            assert_eq!(s.points.len(), rows * 2);
            assert!(s.points.iter().all(|v| v.is_finite()));
            let got = s.labels.as_ref().map(|l| counts(l, s.n_clusters));
            assert_eq!(got, sizes, "{name}");
            assert_eq!(synthetic_sample(name, 7).unwrap(), s, "{name}: same seed");
            assert_ne!(
                synthetic_sample(name, 8).unwrap().points,
                s.points,
                "{name}"
            );
        }
        assert!(synthetic_sample("spirals", 1).is_none());
    }

    #[test]
    fn samples_have_the_geometry_their_names_promise() {
        let mean_radius = |s: &Sample, class: u32| {
            let labels = s.labels.as_ref().unwrap();
            let r: Vec<f32> = s
                .points
                .chunks_exact(2)
                .zip(labels)
                .filter(|&(_, &l)| l == class)
                .map(|(p, _)| (p[0] * p[0] + p[1] * p[1]).sqrt())
                .collect();
            r.iter().sum::<f32>() / r.len() as f32
        };
        let c = synthetic_sample("circles", 1).unwrap();
        assert!((mean_radius(&c, 0) - 1.0).abs() < 0.05);
        assert!((mean_radius(&c, 1) - 0.5).abs() < 0.05);
        // Blob points sit near their own centre: within 5 standard deviations.
        let b = synthetic_sample("blobs", 1).unwrap();
        let centres = [(-6.0, -4.0), (5.0, -5.0), (-4.0, 6.0), (6.0, 5.0)];
        for (p, &l) in b.points.chunks_exact(2).zip(b.labels.as_ref().unwrap()) {
            let (cx, cy) = centres[l as usize];
            assert!(((p[0] - cx).powi(2) + (p[1] - cy).powi(2)).sqrt() < 6.0);
        }
        let n = synthetic_sample("noise", 1).unwrap();
        assert!(n.points.iter().all(|&v| (0.0..10.0).contains(&v)));
    }

    #[test]
    fn the_csv_reads_back_as_the_same_points_and_labels() {
        let s = synthetic_sample("moons", 3).unwrap();
        let options = CsvOptions {
            prepared: Some(crate::data::prepare::Preparation::from_scaling(
                &["x".into(), "y".into()],
                &crate::data::Scaling {
                    mean: vec![0.0, 0.0],
                    std: vec![1.0, 1.0],
                },
            )),
            ..CsvOptions::default()
        };
        let d = parse_csv(&s.to_csv(), &options).unwrap();
        assert_eq!((d.rows, d.cols), (500, 2));
        assert_eq!(d.label_column.as_deref(), Some("label"));
        for (a, b) in d.features.iter().zip(&s.points) {
            assert!((a - b).abs() <= 6e-5, "{a} vs {b}");
        }
        let noise = synthetic_sample("noise", 3).unwrap().to_csv();
        assert!(noise.starts_with(b"x,y\n"));
    }
}
