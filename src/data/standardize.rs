/// Per-column mean and standard deviation of the data a model was trained on, so new rows
/// can be scaled exactly as the training rows were. A standard deviation of 0 marks a
/// constant column, which scales to 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaling {
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

impl Scaling {
    /// Population statistics (as scikit-learn's `StandardScaler`) of row-major data.
    pub fn fit(features: &[f32], rows: usize, cols: usize) -> Self {
        let (mut mean, mut std) = (vec![0.0; cols], vec![0.0; cols]);
        if rows == 0 {
            return Self { mean, std };
        }
        for c in 0..cols {
            // f64 accumulation: f32 sums lose digits on tens of thousands of rows.
            let m = (0..rows)
                .map(|r| features[r * cols + c] as f64)
                .sum::<f64>()
                / rows as f64;
            let var = (0..rows)
                .map(|r| (features[r * cols + c] as f64 - m).powi(2))
                .sum::<f64>()
                / rows as f64;
            let s = var.sqrt();
            mean[c] = m;
            std[c] = if s <= 1e-12 * m.abs().max(1.0) {
                0.0
            } else {
                s
            };
        }
        Self { mean, std }
    }

    pub fn cols(&self) -> usize {
        self.mean.len()
    }

    /// Indices of the columns that were constant.
    pub fn constant_columns(&self) -> Vec<usize> {
        (0..self.cols()).filter(|&c| self.std[c] == 0.0).collect()
    }

    /// Scales row-major data with `self.cols()` columns in place.
    pub fn apply(&self, features: &mut [f32]) {
        let cols = self.cols();
        for row in features.chunks_exact_mut(cols) {
            for ((v, &m), &s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = if s == 0.0 {
                    0.0
                } else {
                    ((*v as f64 - m) / s) as f32
                };
            }
        }
    }
}

/// Z-scores each column in place. Returns the indices of constant columns, which are set to
/// 0 because they carry no information and would otherwise divide by zero.
pub fn standardize(features: &mut [f32], rows: usize, cols: usize) -> Vec<usize> {
    let scaling = Scaling::fit(features, rows, cols);
    scaling.apply(features);
    scaling.constant_columns()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_zero_mean_unit_variance() {
        // column 0: 1,2,3 -> mean 2, population std sqrt(2/3)
        let mut x = vec![1.0, 10.0, 2.0, 10.0, 3.0, 10.0];
        let constant = standardize(&mut x, 3, 2);
        let s = (2.0f32 / 3.0).sqrt();
        assert!((x[0] + 1.0 / s).abs() < 1e-6);
        assert!(x[2].abs() < 1e-6);
        assert!((x[4] - 1.0 / s).abs() < 1e-6);
        assert_eq!(constant, vec![1]);
        assert_eq!([x[1], x[3], x[5]], [0.0, 0.0, 0.0]);
    }

    #[test]
    fn new_rows_scale_with_the_training_statistics() {
        let train = vec![1.0, 5.0, 3.0, 5.0];
        let scaling = Scaling::fit(&train, 2, 2);
        assert_eq!(scaling.mean, vec![2.0, 5.0]);
        assert_eq!(scaling.std, vec![1.0, 0.0]);
        let mut new = vec![4.0, 7.0];
        scaling.apply(&mut new);
        assert_eq!(new, vec![2.0, 0.0]);
    }
}
