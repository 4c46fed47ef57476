/// Projects row-major `rows × dim` points onto their first two principal components.
/// Returns row-major `rows × 2`. Axis signs are fixed (largest loading positive) so the
/// picture does not flip between successive frames of a live plot.
pub fn pca_2d(data: &[f32], rows: usize, dim: usize) -> Vec<f32> {
    assert_eq!(data.len(), rows * dim);
    if rows == 0 {
        return Vec::new();
    }
    let mean: Vec<f64> = (0..dim)
        .map(|c| (0..rows).map(|r| data[r * dim + c] as f64).sum::<f64>() / rows as f64)
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
    let first = top_eigenvector(&cov, dim, None);
    let second = if dim > 1 {
        top_eigenvector(&cov, dim, Some(&first))
    } else {
        vec![0.0]
    };
    data.chunks_exact(dim)
        .flat_map(|x| {
            let centred = x.iter().zip(&mean).map(|(&v, m)| v as f64 - m);
            let (a, b) = centred
                .zip(first.iter().zip(&second))
                .fold((0.0, 0.0), |(a, b), (v, (f, s))| (a + v * f, b + v * s));
            [a as f32, b as f32]
        })
        .collect()
}

/// Power iteration on a symmetric matrix, orthogonal to `exclude` when given.
fn top_eigenvector(m: &[f64], dim: usize, exclude: Option<&[f64]>) -> Vec<f64> {
    // A fixed, non-symmetric start so no eigenvector is missed by symmetry.
    let mut v: Vec<f64> = (0..dim).map(|i| 1.0 + i as f64 * 0.618).collect();
    for _ in 0..500 {
        if let Some(e) = exclude {
            let dot: f64 = v.iter().zip(e).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(e).for_each(|(a, b)| *a -= dot * b);
        }
        let mut next: Vec<f64> = (0..dim)
            .map(|r| (0..dim).map(|c| m[r * dim + c] * v[c]).sum())
            .collect();
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
    fn second_axis_is_orthogonal_and_ordered() {
        // Spread 3 along x and 1 along y: the axes are x then y, signs positive.
        let data = [-3.0, 0.0, 3.0, 0.0, 0.0, -1.0, 0.0, 1.0];
        let p = pca_2d(&data, 4, 2);
        for (a, b) in p.iter().zip(data) {
            assert!((a - b).abs() < 1e-5, "{p:?}");
        }
    }
}
