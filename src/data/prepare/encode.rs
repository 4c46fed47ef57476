//! Columns → features: missing cells filled (or their rows left out), numbers scaled,
//! categories one-hot. The fitted [`Preparation`] is kept in saved models so new rows are
//! prepared exactly as the training rows were.

use super::columns::{Cells, EMPTY, MISSING_CODE, by_frequency, case_free};
use crate::data::Scaling;

/// What to do with a row that has a missing feature cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// The column's median (numbers) or most frequent value (categories).
    #[default]
    Fill,
    /// Leave the row out of training; its cluster stays empty in the results.
    Drop,
}

impl MissingPolicy {
    pub fn name(self) -> &'static str {
        match self {
            MissingPolicy::Fill => "fill",
            MissingPolicy::Drop => "drop",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "fill" => Some(Self::Fill),
            "drop" => Some(Self::Drop),
            _ => None,
        }
    }
}

/// How numeric columns are put on one footing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScalingChoice {
    /// [`ScalingChoice::Shared`] when the columns look like one measurement on one scale
    /// (see [`shares_one_scale`]), else [`ScalingChoice::Standard`].
    #[default]
    Auto,
    /// Each column to mean 0 and standard deviation 1.
    Standard,
    /// Each column centred, all divided by one standard deviation: columns that share a unit
    /// (pixel intensities, counts) keep their relative spread.
    Shared,
}

impl ScalingChoice {
    pub fn name(self) -> &'static str {
        match self {
            ScalingChoice::Auto => "auto",
            ScalingChoice::Standard => "standard",
            ScalingChoice::Shared => "shared",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Some(Self::Auto),
            "standard" | "z-score" | "zscore" => Some(Self::Standard),
            "shared" | "one" | "raw" => Some(Self::Shared),
            _ => None,
        }
    }
}

/// How one column becomes features.
#[derive(Debug, Clone, PartialEq)]
pub enum Encoding {
    /// `(value − mean) / std`, a missing value first becoming `fill`; `std` 0 marks a
    /// constant column, which becomes 0.
    Numeric { fill: f64, mean: f64, std: f64 },
    /// One feature per category: `weight` where the row has that category, 0 elsewhere. A
    /// missing value counts as the first category (the most frequent in training); a value
    /// training never saw as none of them.
    Categorical { categories: Vec<String>, weight: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub name: String,
    pub encoding: Encoding,
}

/// The fitted preparation of a table's feature columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Preparation {
    pub columns: Vec<Prepared>,
    pub missing: MissingPolicy,
    /// Whether the numeric columns share one scale ([`ScalingChoice::Shared`]).
    pub shared: bool,
}

/// Values a column prepared for new rows never saw in training.
#[derive(Debug, Clone, PartialEq)]
pub struct Unseen {
    pub column: String,
    pub rows: usize,
    /// Up to three of the values.
    pub examples: Vec<String>,
}

impl Preparation {
    /// Fits the preparation to `columns` (name, cells), on the rows in `keep` (all when
    /// `None`).
    pub fn fit(
        columns: &[(&str, &Cells)],
        keep: Option<&[u32]>,
        missing: MissingPolicy,
        scaling: ScalingChoice,
    ) -> Preparation {
        // Every column has a cell per row: one list of rows serves them all.
        let len = columns.first().map_or(0, |(_, c)| c.len());
        let rows: Vec<usize> = match keep {
            Some(k) => k.iter().map(|&r| r as usize).collect(),
            None => (0..len).collect(),
        };
        let mut prepared: Vec<Prepared> = columns
            .iter()
            .map(|&(name, cells)| {
                let encoding = match cells {
                    Cells::Numbers(v) => fit_numeric(v, &rows),
                    Cells::Codes { codes, values } => fit_categorical(codes, values, &rows),
                };
                Prepared {
                    name: name.to_string(),
                    encoding,
                }
            })
            .collect();
        let shared = match scaling {
            ScalingChoice::Standard => false,
            ScalingChoice::Shared => true,
            ScalingChoice::Auto => shares_one_scale(columns),
        };
        if shared {
            // One standard deviation for all: the root mean square of every centred value.
            let stds: Vec<f64> = prepared
                .iter()
                .filter_map(|p| match p.encoding {
                    Encoding::Numeric { std, .. } => Some(std),
                    _ => None,
                })
                .collect();
            let common = (stds.iter().map(|s| s * s).sum::<f64>() / stds.len().max(1) as f64).sqrt();
            for p in &mut prepared {
                if let Encoding::Numeric { std, .. } = &mut p.encoding
                    && *std > 0.0
                {
                    *std = common;
                }
            }
        }
        Preparation {
            columns: prepared,
            missing,
            shared,
        }
    }

    /// Numeric columns only, from the scaling of a model saved before preparations existed:
    /// a missing value becomes the column's mean.
    pub fn from_scaling(names: &[String], scaling: &Scaling) -> Preparation {
        Preparation {
            columns: names
                .iter()
                .zip(scaling.mean.iter().zip(&scaling.std))
                .map(|(name, (&mean, &std))| Prepared {
                    name: name.clone(),
                    encoding: Encoding::Numeric {
                        fill: mean,
                        mean,
                        std,
                    },
                })
                .collect(),
            missing: MissingPolicy::Fill,
            shared: false,
        }
    }

    /// Number of features the columns become.
    pub fn width(&self) -> usize {
        self.columns.iter().map(Prepared::width).sum()
    }

    /// One name per feature: the column's, or `column = category` for each category.
    pub fn feature_names(&self) -> Vec<String> {
        self.columns
            .iter()
            .flat_map(|p| match &p.encoding {
                Encoding::Numeric { .. } => vec![p.name.clone()],
                Encoding::Categorical { categories, .. } => categories
                    .iter()
                    .map(|c| format!("{} = {c}", p.name))
                    .collect(),
            })
            .collect()
    }

    /// Row-major features of `rows` (indices into the cells), and the values no category
    /// matched. `columns[i]` holds the cells of `self.columns[i]`. A missing cell is filled
    /// whatever the policy: rows to leave out are left out of `rows`.
    pub fn encode(&self, columns: &[&Cells], rows: &[u32]) -> (Vec<f32>, Vec<Unseen>) {
        let width = self.width();
        let mut out = vec![0f32; rows.len() * width];
        let mut unseen = Vec::new();
        let mut offset = 0;
        for (p, cells) in self.columns.iter().zip(columns) {
            match (&p.encoding, cells) {
                (&Encoding::Numeric { fill, mean, std }, Cells::Numbers(v)) => {
                    for (i, &r) in rows.iter().enumerate() {
                        let x = v[r as usize];
                        let x = if x.is_nan() { fill } else { x as f64 };
                        out[i * width + offset] = if std == 0.0 {
                            0.0
                        } else {
                            ((x - mean) / std) as f32
                        };
                    }
                }
                (Encoding::Categorical { categories, weight }, Cells::Codes { codes, values }) => {
                    // The file's codes to the model's categories.
                    let to_model: Vec<Option<usize>> = values
                        .iter()
                        .map(|v| {
                            let v = case_free(v);
                            categories.iter().position(|c| case_free(c) == v)
                        })
                        .collect();
                    // An empty cell of a column of marks is its own category; elsewhere it
                    // takes the most frequent.
                    let missing = categories.iter().position(|c| c == EMPTY).unwrap_or(0);
                    let mut missed = Unseen {
                        column: p.name.clone(),
                        rows: 0,
                        examples: Vec::new(),
                    };
                    for (i, &r) in rows.iter().enumerate() {
                        let code = codes[r as usize];
                        let category = if code == MISSING_CODE {
                            Some(missing)
                        } else {
                            to_model[code as usize]
                        };
                        match category {
                            Some(j) => out[i * width + offset + j] = *weight as f32,
                            None => {
                                missed.rows += 1;
                                let value = &values[code as usize];
                                if missed.examples.len() < 3 && !missed.examples.contains(value) {
                                    missed.examples.push(value.clone());
                                }
                            }
                        }
                    }
                    if missed.rows > 0 {
                        unseen.push(missed);
                    }
                }
                _ => unreachable!("cells are read as the encoding expects (Cells::for_encoding)"),
            }
            offset += p.width();
        }
        (out, unseen)
    }
}

impl Prepared {
    pub fn width(&self) -> usize {
        match &self.encoding {
            Encoding::Numeric { .. } => 1,
            Encoding::Categorical { categories, .. } => categories.len(),
        }
    }
}

/// Median of the present values, then mean and population standard deviation of the
/// filled column (as a median imputer followed by scikit-learn's `StandardScaler`).
fn fit_numeric(values: &[f32], rows: &[usize]) -> Encoding {
    let mut present: Vec<f64> = rows
        .iter()
        .map(|&r| values[r])
        .filter(|v| !v.is_nan())
        .map(f64::from)
        .collect();
    let fill = median(&mut present);
    let n = rows.len().max(1) as f64;
    let filled = |r: &usize| {
        let v = values[*r];
        if v.is_nan() { fill } else { v as f64 }
    };
    let mean = rows.iter().map(filled).sum::<f64>() / n;
    let var = rows.iter().map(|r| (filled(r) - mean).powi(2)).sum::<f64>() / n;
    let std = var.sqrt();
    Encoding::Numeric {
        fill,
        mean,
        std: if std <= 1e-12 * mean.abs().max(1.0) { 0.0 } else { std },
    }
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mid = values.len() / 2;
    let (_, &mut upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    if values.len() % 2 == 1 {
        upper
    } else {
        let lower = values[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// Categories by frequency, weighted by [`CATEGORY_WEIGHT`].
fn fit_categorical(codes: &[u32], values: &[String], rows: &[usize]) -> Encoding {
    let mut counts = vec![0usize; values.len()];
    for &r in rows {
        if codes[r] != MISSING_CODE {
            counts[codes[r] as usize] += 1;
        }
    }
    let seen: Vec<usize> = (0..values.len()).filter(|&i| counts[i] > 0).collect();
    let names: Vec<String> = seen.iter().map(|&i| values[i].clone()).collect();
    let kept: Vec<usize> = seen.iter().map(|&i| counts[i]).collect();
    let categories = by_frequency(&names, &kept);
    Encoding::Categorical {
        categories,
        weight: CATEGORY_WEIGHT,
    }
}

/// A categorical column's one-hot weight, `1/√2`: two rows of different categories are then
/// 1 apart, as two rows one standard deviation apart in a standardised numeric column, and a
/// column adds at most 1 to the average squared distance between two rows where a numeric
/// one adds 2, however many values it has. Measured against plain 0/1 and a weight that
/// gives each column a numeric one's average (docs/DECISIONS.md, "Weighting categories").
pub const CATEGORY_WEIGHT: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// Whether the numeric columns look like one measurement on one scale (pixel intensities,
/// counts, spectra): only numeric features, at least 8 of them, and the typical column
/// spans at least half the range of the whole table. Tables of mixed units (a length, a
/// weight, an age) have column ranges orders of magnitude apart.
pub fn shares_one_scale(columns: &[(&str, &Cells)]) -> bool {
    let mut ranges = Vec::new();
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for (_, cells) in columns {
        let Cells::Numbers(v) = cells else {
            return false;
        };
        let (a, b) = v
            .iter()
            .filter(|x| !x.is_nan())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        if a < b {
            ranges.push(b - a);
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    if ranges.len() < 8 {
        return false;
    }
    ranges.sort_by(f32::total_cmp);
    ranges[ranges.len() / 2] >= 0.5 * (hi - lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(cells: &[&str]) -> Cells {
        let mut values: Vec<String> = Vec::new();
        let codes = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    return MISSING_CODE;
                }
                match values.iter().position(|v| v == c) {
                    Some(i) => i as u32,
                    None => {
                        values.push(c.to_string());
                        (values.len() - 1) as u32
                    }
                }
            })
            .collect();
        Cells::Codes { codes, values }
    }

    #[test]
    fn numbers_fill_with_the_median_then_standardise() {
        let x = Cells::Numbers(vec![1.0, f32::NAN, 3.0, 10.0]);
        let p = Preparation::fit(&[("x", &x)], None, MissingPolicy::Fill, ScalingChoice::Standard);
        // median of 1, 3, 10 is 3; the filled column 1, 3, 3, 10 has mean 4.25
        let Encoding::Numeric { fill, mean, std } = p.columns[0].encoding else { panic!() };
        assert_eq!((fill, mean), (3.0, 4.25));
        let var = ((1.0f64 - 4.25).powi(2) + 2.0 * (3.0f64 - 4.25).powi(2) + (10.0f64 - 4.25).powi(2)) / 4.0;
        assert!((std - var.sqrt()).abs() < 1e-12);
        let (f, unseen) = p.encode(&[&x], &[0, 1, 2, 3]);
        assert!(unseen.is_empty());
        assert!((f[1] - ((3.0 - 4.25) / var.sqrt()) as f32).abs() < 1e-6);
        let mut even = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(median(&mut even), 2.5);
    }

    #[test]
    fn dropped_rows_are_not_in_the_statistics() {
        let x = Cells::Numbers(vec![1.0, f32::NAN, 3.0, 100.0]);
        let p = Preparation::fit(&[("x", &x)], Some(&[0, 2]), MissingPolicy::Drop, ScalingChoice::Standard);
        let Encoding::Numeric { mean, std, .. } = p.columns[0].encoding else { panic!() };
        assert_eq!((mean, std), (2.0, 1.0));
        assert_eq!(p.missing, MissingPolicy::Drop);
    }

    #[test]
    fn categories_are_one_hot_with_the_category_weight() {
        let c = codes(&["a", "b", "a", "", "a", "c"]);
        let p = Preparation::fit(&[("kind", &c)], None, MissingPolicy::Fill, ScalingChoice::Auto);
        let Encoding::Categorical { categories, weight } = &p.columns[0].encoding else { panic!() };
        assert_eq!(categories, &["a", "b", "c"]);
        assert_eq!(*weight, CATEGORY_WEIGHT);
        // Rows of two categories are as far apart as one standard deviation of a number.
        let distance = (2.0 * weight * weight).sqrt();
        assert!((distance - 1.0).abs() < 1e-12);
        assert_eq!(p.feature_names(), ["kind = a", "kind = b", "kind = c"]);
        let (f, _) = p.encode(&[&c], &[0, 1, 3, 5]);
        let w = *weight as f32;
        assert_eq!(f, [w, 0., 0., 0., w, 0., w, 0., 0., 0., 0., w]);
    }

    #[test]
    fn unseen_categories_are_none_of_the_known_ones_and_reported() {
        let train = codes(&["a", "b", "a"]);
        let p = Preparation::fit(&[("kind", &train)], None, MissingPolicy::Fill, ScalingChoice::Auto);
        let new = codes(&["b", "z", "", "z", "y"]);
        let (f, unseen) = p.encode(&[&new], &[0, 1, 2, 3, 4]);
        let w = match &p.columns[0].encoding {
            Encoding::Categorical { weight, .. } => *weight as f32,
            _ => panic!(),
        };
        assert_eq!(f, [0., w, 0., 0., w, 0., 0., 0., 0., 0.]);
        assert_eq!(
            unseen,
            [Unseen { column: "kind".into(), rows: 3, examples: vec!["z".into(), "y".into()] }]
        );
        // New rows writing a category in other letters are that category.
        let (f, unseen) = p.encode(&[&codes(&["B", "A"])], &[0, 1]);
        assert_eq!((f, unseen), (vec![0., w, w, 0.], vec![]));
    }

    #[test]
    fn pixel_like_tables_share_one_scale_and_mixed_units_do_not() {
        let pixel = |c: usize| Cells::Numbers((0..20).map(|r| ((r * 7 + c * 3) % 17) as f32).collect());
        let pixels: Vec<Cells> = (0..10).map(pixel).collect();
        let named: Vec<(&str, &Cells)> = pixels.iter().map(|c| ("p", c)).collect();
        assert!(shares_one_scale(&named));
        let p = Preparation::fit(&named, None, MissingPolicy::Fill, ScalingChoice::Auto);
        assert!(p.shared);
        let stds: Vec<f64> = p.columns.iter().map(|c| match c.encoding {
            Encoding::Numeric { std, .. } => std,
            _ => panic!(),
        }).collect();
        assert!(stds.iter().all(|&s| s == stds[0]));

        let mixed: Vec<Cells> = (0..10)
            .map(|c| Cells::Numbers((0..20).map(|r| (r as f32) * 10f32.powi(c as i32 % 4)).collect()))
            .collect();
        let named: Vec<(&str, &Cells)> = mixed.iter().map(|c| ("m", c)).collect();
        assert!(!shares_one_scale(&named));
        assert!(!shares_one_scale(&named[..4]));
    }
}
