//! What makes each cluster: per cluster, each feature's mean (numbers, in the file's own
//! units) or share per category, next to the whole table's, ranked by a standardised
//! difference, with a sentence per cluster.

use serde_json::{Value, json};

use super::columns::{Cells, MISSING_CODE};
use super::encode::{Encoding, Preparation};

/// How the features that set a cluster apart are ranked.
pub const MEASURE: &str = "standardised difference: (cluster mean − overall mean) ÷ overall standard deviation; for a category, (cluster share − overall share) ÷ √(share·(1 − share)); missing cells are left out";

/// Differences smaller than this are not worth a word.
const NOTABLE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub struct NumericProfile {
    pub feature: String,
    pub mean: f64,
    pub overall: f64,
    pub z: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryShare {
    pub category: String,
    pub share: f64,
    pub overall: f64,
    pub z: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalProfile {
    pub feature: String,
    pub shares: Vec<CategoryShare>,
}

/// A feature (or one category of one) that sets a cluster apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Standout {
    pub feature: String,
    pub text: String,
    pub z: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterProfile {
    pub cluster: usize,
    pub size: usize,
    pub numeric: Vec<NumericProfile>,
    pub categorical: Vec<CategoricalProfile>,
    /// The three largest differences, largest first, those of at least [`NOTABLE`].
    pub top: Vec<Standout>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profiles {
    /// Non-empty clusters only.
    pub clusters: Vec<ClusterProfile>,
    pub rows: usize,
    /// What a row is called, one and many: `["row", "rows"]`, or `["series", "series"]`.
    pub items: [&'static str; 2],
}

impl Profiles {
    /// Profiles of `labels` (one per row in `rows`, indices into the cells; labels ≥ k are
    /// not counted). `columns[i]` holds the file's cells of `preparation.columns[i]`.
    pub fn new(
        preparation: &Preparation,
        columns: &[&Cells],
        rows: &[u32],
        labels: &[u32],
        k: usize,
    ) -> Profiles {
        let mut sizes = vec![0usize; k];
        for &l in labels {
            if (l as usize) < k {
                sizes[l as usize] += 1;
            }
        }
        let mut clusters: Vec<ClusterProfile> = (0..k)
            .filter(|&c| sizes[c] > 0)
            .map(|c| ClusterProfile {
                cluster: c,
                size: sizes[c],
                numeric: Vec::new(),
                categorical: Vec::new(),
                top: Vec::new(),
                description: String::new(),
            })
            .collect();
        let slot: Vec<Option<usize>> = (0..k)
            .map(|c| clusters.iter().position(|p| p.cluster == c))
            .collect();
        for (p, cells) in preparation.columns.iter().zip(columns) {
            match (&p.encoding, cells) {
                (Encoding::Numeric { .. }, Cells::Numbers(v)) => {
                    // Per cluster (then overall, last): sum, sum of squares, count.
                    let mut acc = vec![(0f64, 0f64, 0usize); k + 1];
                    for (&r, &l) in rows.iter().zip(labels) {
                        let x = v[r as usize];
                        if x.is_nan() || l as usize >= k {
                            continue;
                        }
                        let x = x as f64;
                        for a in [l as usize, k] {
                            acc[a].0 += x;
                            acc[a].1 += x * x;
                            acc[a].2 += 1;
                        }
                    }
                    let (s, ss, n) = acc[k];
                    let overall = s / n.max(1) as f64;
                    let sd = (ss / n.max(1) as f64 - overall * overall).max(0.0).sqrt();
                    for (c, &(s, _, n)) in acc[..k].iter().enumerate() {
                        let Some(i) = slot[c] else { continue };
                        let mean = if n == 0 { f64::NAN } else { s / n as f64 };
                        let z = if sd > 0.0 && n > 0 { (mean - overall) / sd } else { 0.0 };
                        clusters[i].numeric.push(NumericProfile {
                            feature: p.name.clone(),
                            mean,
                            overall,
                            z,
                        });
                    }
                }
                (Encoding::Categorical { categories, .. }, Cells::Codes { codes, values }) => {
                    let to_model: Vec<Option<usize>> = values
                        .iter()
                        .map(|v| categories.iter().position(|c| c == v))
                        .collect();
                    let width = categories.len();
                    // Counts per cluster and category, then overall; and rows with a value.
                    let mut counts = vec![0usize; (k + 1) * width];
                    let mut present = vec![0usize; k + 1];
                    for (&r, &l) in rows.iter().zip(labels) {
                        let code = codes[r as usize];
                        if code == MISSING_CODE || l as usize >= k {
                            continue;
                        }
                        for a in [l as usize, k] {
                            present[a] += 1;
                            if let Some(j) = to_model[code as usize] {
                                counts[a * width + j] += 1;
                            }
                        }
                    }
                    let share = |a: usize, j: usize| {
                        counts[a * width + j] as f64 / present[a].max(1) as f64
                    };
                    for c in 0..k {
                        let Some(i) = slot[c] else { continue };
                        let shares = (0..width)
                            .map(|j| {
                                let (q, p) = (share(c, j), share(k, j));
                                let sd = (p * (1.0 - p)).sqrt();
                                CategoryShare {
                                    category: categories[j].clone(),
                                    share: q,
                                    overall: p,
                                    z: if sd > 0.0 && present[c] > 0 { (q - p) / sd } else { 0.0 },
                                }
                            })
                            .collect();
                        clusters[i].categorical.push(CategoricalProfile {
                            feature: p.name.clone(),
                            shares,
                        });
                    }
                }
                _ => unreachable!("cells are read as the encoding expects"),
            }
        }
        for c in &mut clusters {
            c.top = standouts(c);
        }
        Profiles {
            clusters,
            rows: labels.iter().filter(|&&l| (l as usize) < k).count(),
            items: ["row", "rows"],
        }
        .called(["row", "rows"])
    }

    /// The same, its rows called `items` (one, many) in the descriptions.
    pub fn called(mut self, items: [&'static str; 2]) -> Self {
        self.items = items;
        for c in &mut self.clusters {
            c.description = describe(c, items);
        }
        self
    }

    /// The heatmap's columns: each numeric feature, and `feature = category` for each
    /// category; its values: one row of standardised differences per cluster.
    pub fn heatmap(&self) -> (Vec<String>, Vec<Vec<f64>>) {
        let Some(first) = self.clusters.first() else {
            return (Vec::new(), Vec::new());
        };
        let mut columns: Vec<String> = first.numeric.iter().map(|n| n.feature.clone()).collect();
        for c in &first.categorical {
            columns.extend(c.shares.iter().map(|s| format!("{} = {}", c.feature, s.category)));
        }
        let values = self
            .clusters
            .iter()
            .map(|c| {
                c.numeric
                    .iter()
                    .map(|n| n.z)
                    .chain(c.categorical.iter().flat_map(|f| f.shares.iter().map(|s| s.z)))
                    .collect()
            })
            .collect();
        (columns, values)
    }

    pub fn to_json(&self) -> String {
        let (columns, values) = self.heatmap();
        let finite = |v: f64| if v.is_finite() { json!(v) } else { Value::Null };
        let clusters: Vec<Value> = self
            .clusters
            .iter()
            .map(|c| {
                json!({
                    "cluster": c.cluster,
                    "size": c.size,
                    "share": c.size as f64 / self.rows.max(1) as f64,
                    "description": c.description,
                    "numeric": c.numeric.iter().map(|n| json!({
                        "feature": n.feature, "mean": finite(n.mean), "overall": finite(n.overall), "z": n.z,
                    })).collect::<Vec<_>>(),
                    "categorical": c.categorical.iter().map(|f| json!({
                        "feature": f.feature,
                        "shares": f.shares.iter().map(|s| json!({
                            "category": s.category, "share": s.share, "overall": s.overall, "z": s.z,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "top": c.top.iter().map(|t| json!({"feature": t.feature, "text": t.text, "z": t.z})).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "measure": MEASURE,
            "items": self.items[1],
            "clusters": clusters,
            "heatmap": {"columns": columns, "values": values},
        })
        .to_string()
    }

    /// `cluster,size,feature,category,cluster_value,overall_value,z`: numbers as means,
    /// categories as shares.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut row = |fields: [String; 7]| {
            w.write_record(&fields).expect("writing to memory cannot fail");
        };
        row(["cluster", "size", "feature", "category", "cluster_value", "overall_value", "z"].map(String::from));
        for c in &self.clusters {
            for n in &c.numeric {
                row([
                    c.cluster.to_string(),
                    c.size.to_string(),
                    n.feature.clone(),
                    String::new(),
                    format!("{:.6}", n.mean),
                    format!("{:.6}", n.overall),
                    format!("{:.4}", n.z),
                ]);
            }
            for f in &c.categorical {
                for s in &f.shares {
                    row([
                        c.cluster.to_string(),
                        c.size.to_string(),
                        f.feature.clone(),
                        s.category.clone(),
                        format!("{:.6}", s.share),
                        format!("{:.6}", s.overall),
                        format!("{:.4}", s.z),
                    ]);
                }
            }
        }
        w.into_inner().expect("writing to memory cannot fail")
    }
}

fn standouts(c: &ClusterProfile) -> Vec<Standout> {
    let mut all: Vec<Standout> = c
        .numeric
        .iter()
        .filter(|n| n.mean.is_finite())
        .map(|n| Standout {
            feature: n.feature.clone(),
            text: format!(
                "{} {}: {} vs {}",
                n.feature,
                if n.z >= 0.0 { "high" } else { "low" },
                number(n.mean),
                number(n.overall)
            ),
            z: n.z,
        })
        .collect();
    for f in &c.categorical {
        // "Biscoe 95 % vs 49 %" says what a cluster is; "Gentoo 0 % vs 36 %" only what it is
        // not, so only the categories a cluster holds more of than the table are worth a word.
        for s in &f.shares {
            if s.z <= 0.0 {
                continue;
            }
            all.push(Standout {
                feature: f.feature.clone(),
                text: format!(
                    "{} {} {} vs {}",
                    f.feature,
                    s.category,
                    percent(s.share),
                    percent(s.overall)
                ),
                z: s.z,
            });
        }
    }
    all.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
    all.retain(|s| s.z.abs() >= NOTABLE);
    // One mention per feature: a column's categories often all move together.
    let mut seen = Vec::new();
    all.retain(|s| {
        let new = !seen.contains(&s.feature);
        seen.push(s.feature.clone());
        new
    });
    all.truncate(3);
    all
}

fn describe(c: &ClusterProfile, [one, many]: [&str; 2]) -> String {
    let rows = if c.size == 1 { one } else { many };
    let mut parts = vec![format!("Cluster {} · {} {rows}", c.cluster, c.size)];
    if c.top.is_empty() {
        parts.push("close to the overall averages".into());
    }
    parts.extend(c.top.iter().map(|t| t.text.clone()));
    parts.join(" · ")
}

/// Three significant digits, without a trailing `.0`.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        (2 - a.log10().floor() as i32).clamp(2, 6) as usize
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::prepare::{MissingPolicy, ScalingChoice};

    #[test]
    fn profiles_match_a_hand_computation() {
        // Six rows, two clusters: size 4 and 2.
        let x = Cells::Numbers(vec![1.0, 2.0, 3.0, f32::NAN, 10.0, 12.0]);
        let kind = Cells::Codes {
            codes: vec![0, 0, 1, 0, 1, 1],
            values: vec!["a".into(), "b".into()],
        };
        let labels = [0, 0, 0, 0, 1, 1];
        let rows: Vec<u32> = (0..6).collect();
        let named = [("x", &x), ("kind", &kind)];
        let p = Preparation::fit(&named, None, MissingPolicy::Fill, ScalingChoice::Standard);
        let profiles = Profiles::new(&p, &[&x, &kind], &rows, &labels, 3);
        assert_eq!(profiles.clusters.len(), 2, "the empty cluster 2 is absent");
        let (c0, c1) = (&profiles.clusters[0], &profiles.clusters[1]);
        assert_eq!((c0.size, c1.size), (4, 2));
        // x: present values 1, 2, 3, 10, 12 → overall mean 5.6; population sd √(sum sq / 5)
        let overall = 5.6;
        let sd = ([1.0f64, 2.0, 3.0, 10.0, 12.0].iter().map(|v| (v - overall).powi(2)).sum::<f64>() / 5.0).sqrt();
        assert!((c0.numeric[0].overall - overall).abs() < 1e-9);
        assert!((c0.numeric[0].mean - 2.0).abs() < 1e-9, "the missing cell is left out");
        assert!((c1.numeric[0].mean - 11.0).abs() < 1e-9);
        assert!((c1.numeric[0].z - (11.0 - overall) / sd).abs() < 1e-9);
        // kind: categories by frequency (a: 3, b: 3 → first seen first), overall 1/2 each.
        let b1 = &c1.categorical[0].shares.iter().find(|s| s.category == "b").unwrap();
        assert_eq!((b1.share, b1.overall), (1.0, 0.5));
        assert!((b1.z - 1.0).abs() < 1e-12, "(1 − 0.5) / √(0.25) = 1");
        assert_eq!(
            c1.description,
            format!("Cluster 1 · 2 rows · x high: 11 vs 5.6 · kind b 100 % vs 50 %")
        );
        let (columns, values) = profiles.heatmap();
        assert_eq!(columns, ["x", "kind = a", "kind = b"]);
        assert_eq!(values.len(), 2);
        let csv = String::from_utf8(profiles.to_csv()).unwrap();
        assert!(csv.starts_with("cluster,size,feature,category,cluster_value,overall_value,z\n0,4,x,,2.000000,5.600000,"), "{csv}");
        let json: Value = serde_json::from_str(&profiles.to_json()).unwrap();
        assert_eq!(json["clusters"][1]["size"], 2);
        assert_eq!(json["heatmap"]["columns"][2], "kind = b");
    }

    #[test]
    fn a_cluster_like_the_whole_table_says_so() {
        let x = Cells::Numbers(vec![1.0, 2.0, 1.0, 2.0]);
        let p = Preparation::fit(&[("x", &x)], None, MissingPolicy::Fill, ScalingChoice::Standard);
        let profiles = Profiles::new(&p, &[&x], &[0, 1, 2, 3], &[0, 0, 1, 1], 2);
        assert_eq!(profiles.clusters[0].description, "Cluster 0 · 2 rows · close to the overall averages");
    }

    #[test]
    fn numbers_read_like_a_person_writes_them() {
        assert_eq!(number(217.4), "217");
        assert_eq!(number(43.92), "43.9");
        assert_eq!(number(5.6), "5.6");
        assert_eq!(number(0.01234), "0.0123");
        assert_eq!(number(-3.0), "-3");
    }
}
