/// The first two principal axes of a set of points, kept so that other points (cluster
/// centres, rows placed later by a saved model) land in the same picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca2 {
    mean: Vec<f64>,
    first: Vec<f64>,
    second: Vec<f64>,
}

impl Pca2 {
    /// Fits row-major `rows × dim` points. Axis signs are fixed (largest loading positive) so
    /// the picture does not flip between successive frames of a live plot.
    pub fn fit(data: &[f32], rows: usize, dim: usize) -> Self {
        let (mean, axes) = principal_axes(data, rows, dim, 2);
        let mut axes = axes.into_iter();
        let first = axes.next().unwrap_or_else(|| vec![0.0; dim]);
        let second = axes.next().unwrap_or_else(|| vec![0.0; dim]);
        Self {
            mean,
            first,
            second,
        }
    }

    /// Rebuilds a projection from [`parts`](Self::parts) (a saved model's).
    pub fn from_parts(mean: Vec<f64>, first: Vec<f64>, second: Vec<f64>) -> Option<Self> {
        (mean.len() == first.len() && mean.len() == second.len() && !mean.is_empty()).then_some(
            Self {
                mean,
                first,
                second,
            },
        )
    }

    /// `(mean, first axis, second axis)`, each `dim` long.
    pub fn parts(&self) -> (&[f64], &[f64], &[f64]) {
        (&self.mean, &self.first, &self.second)
    }

    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    /// Row-major points of this projection's `dim` to row-major `rows × 2`.
    pub fn project(&self, data: &[f32]) -> Vec<f32> {
        data.chunks_exact(self.dim())
            .flat_map(|x| {
                let centred = x.iter().zip(&self.mean).map(|(&v, m)| v as f64 - m);
                let (a, b) = centred
                    .zip(self.first.iter().zip(&self.second))
                    .fold((0.0, 0.0), |(a, b), (v, (f, s))| (a + v * f, b + v * s));
                [a as f32, b as f32]
            })
            .collect()
    }
}

/// Projects row-major `rows × dim` points onto their first two principal components.
/// Returns row-major `rows × 2`.
pub fn pca_2d(data: &[f32], rows: usize, dim: usize) -> Vec<f32> {
    if rows == 0 {
        return Vec::new();
    }
    Pca2::fit(data, rows, dim).project(data)
}

/// The mean and the first `m` principal axes (unit length, largest variance first; at most
/// `dim` of them) of row-major `rows × dim` points.
pub fn principal_axes(
    data: &[f32],
    rows: usize,
    dim: usize,
    m: usize,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    assert_eq!(data.len(), rows * dim);
    let mean: Vec<f64> = (0..dim)
        .map(|c| (0..rows).map(|r| data[r * dim + c] as f64).sum::<f64>() / rows.max(1) as f64)
        .collect();
    let mut cov = vec![0f64; dim * dim];
    for x in data.chunks_exact(dim) {
        for a in 0..dim {
            let da = x[a] as f64 - mean[a];
            for b in a..dim {
                cov[a * dim + b] += da * (x[b] as f64 - mean[b]);
            }
        }
    }
    for a in 0..dim {
        for b in 0..a {
            cov[a * dim + b] = cov[b * dim + a];
        }
    }
    let mut axes: Vec<Vec<f64>> = Vec::new();
    for _ in 0..m.min(dim) {
        let next = top_eigenvector(&cov, dim, &axes);
        axes.push(next);
    }
    (mean, axes)
}

/// Power iteration on a symmetric matrix, orthogonal to the unit vectors in `exclude`.
fn top_eigenvector(m: &[f64], dim: usize, exclude: &[Vec<f64>]) -> Vec<f64> {
    // A fixed, non-symmetric start so no eigenvector is missed by symmetry.
    let mut v: Vec<f64> = (0..dim).map(|i| 1.0 + i as f64 * 0.618).collect();
    let project_out = |v: &mut Vec<f64>| {
        for e in exclude {
            let dot: f64 = v.iter().zip(e).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(e).for_each(|(a, b)| *a -= dot * b);
        }
    };
    for _ in 0..500 {
        project_out(&mut v);
        let mut next: Vec<f64> = (0..dim)
            .map(|r| (0..dim).map(|c| m[r * dim + c] * v[c]).sum())
            .collect();
        project_out(&mut next);
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm < 1e-300 {
            return vec![0.0; dim]; // no variance left in this direction
        }
        next.iter_mut().for_each(|x| *x /= norm);
        let change: f64 = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
        v = next;
        if change < 1e-12 {
            break;
        }
    }
    let biggest = v
        .iter()
        .copied()
        .fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    if biggest < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_points_on_a_line() {
        // Points on the line y = x in 3-D, z constant: all variance on (1,1,0)/√2.
        let data = [0.0, 0.0, 5.0, 1.0, 1.0, 5.0, 2.0, 2.0, 5.0];
        let p = pca_2d(&data, 3, 3);
        let s = 2f32.sqrt();
        let want = [-s, 0.0, 0.0, 0.0, s, 0.0];
        for (a, b) in p.iter().zip(want) {
            assert!((a - b).abs() < 1e-5, "{p:?}");
        }
    }

    #[test]
    fn other_points_land_where_the_fitted_ones_would() {
        let data = [0.0, 0.0, 5.0, 1.0, 1.0, 5.0, 2.0, 2.0, 5.0];
        let pca = Pca2::fit(&data, 3, 3);
        let (m, f, s) = pca.parts();
        let back = Pca2::from_parts(m.to_vec(), f.to_vec(), s.to_vec()).unwrap();
        assert_eq!(back.project(&data[3..6]), pca.project(&data)[2..4]);
        assert!(Pca2::from_parts(vec![0.0], vec![1.0, 0.0], vec![0.0]).is_none());
    }

    #[test]
    fn second_axis_is_orthogonal_and_ordered() {
        // Spread 3 along x and 1 along y: the axes are x then y, signs positive.
        let data = [-3.0, 0.0, 3.0, 0.0, 0.0, -1.0, 0.0, 1.0];
        let p = pca_2d(&data, 4, 2);
        for (a, b) in p.iter().zip(data) {
            assert!((a - b).abs() < 1e-5, "{p:?}");
        }
    }
}
