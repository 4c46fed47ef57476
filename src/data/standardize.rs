/// Z-scores each column in place (population standard deviation, as scikit-learn's
/// `StandardScaler`). Returns the indices of constant columns, which are set to 0 because
/// they carry no information and would otherwise divide by zero.
pub fn standardize(features: &mut [f32], rows: usize, cols: usize) -> Vec<usize> {
    let mut constant = Vec::new();
    if rows == 0 {
        return constant;
    }
    for c in 0..cols {
        // f64 accumulation: f32 sums lose digits on tens of thousands of rows.
        let mean = (0..rows)
            .map(|r| features[r * cols + c] as f64)
            .sum::<f64>()
            / rows as f64;
        let var = (0..rows)
            .map(|r| (features[r * cols + c] as f64 - mean).powi(2))
            .sum::<f64>()
            / rows as f64;
        let std = var.sqrt();
        let is_constant = std <= 1e-12 * mean.abs().max(1.0);
        if is_constant {
            constant.push(c);
        }
        for r in 0..rows {
            let v = &mut features[r * cols + c];
            *v = if is_constant {
                0.0
            } else {
                ((*v as f64 - mean) / std) as f32
            };
        }
    }
    constant
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
}
