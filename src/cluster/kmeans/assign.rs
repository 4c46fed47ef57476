//! The nearest centre of every row: nearly all of k-means' time.
//!
//! Centres are stored dimension-major in blocks of [`LANES`], so one row is compared with
//! 16 centres at once: for each dimension, one subtract, one multiply and one add per block,
//! each a single AVX-512 instruction (two with AVX2, four with SSE). The multiply and add stay
//! separate (no fused multiply-add) and each lane sums its dimensions in order, so the
//! distances are the same bits whatever the vector width: native and wasm, one core or many,
//! give the same labels.

/// Centres compared at once per row.
const LANES: usize = 16;

/// Centres transposed: `by_dim[j * padded + c]` is dimension `j` of centre `c`.
pub(super) struct Centres {
    by_dim: Vec<f32>,
    k: usize,
    padded: usize,
    dim: usize,
}

impl Centres {
    /// From row-major `k × dim` centres.
    pub(super) fn new(centroids: &[f32], dim: usize) -> Self {
        let k = centroids.len() / dim;
        let padded = k.next_multiple_of(LANES);
        // Padding centres at infinity are infinitely far from every row.
        let mut by_dim = vec![f32::INFINITY; dim * padded];
        for (c, centre) in centroids.chunks_exact(dim).enumerate() {
            for (j, &v) in centre.iter().enumerate() {
                by_dim[j * padded + c] = v;
            }
        }
        Self {
            by_dim,
            k,
            padded,
            dim,
        }
    }

    /// Index and squared distance of the centre nearest to `x` (the first one on ties).
    #[inline(always)]
    fn nearest(&self, x: &[f32]) -> (usize, f32) {
        let mut best = (0, f32::INFINITY);
        for block in 0..self.padded / LANES {
            let first = block * LANES;
            let mut acc = [0f32; LANES];
            for (&v, by_dim) in x.iter().zip(self.by_dim.chunks_exact(self.padded)) {
                let centres: &[f32; LANES] =
                    by_dim[first..][..LANES].try_into().expect("LANES wide");
                for l in 0..LANES {
                    let t = v - centres[l];
                    acc[l] += t * t;
                }
            }
            let (l, d) = first_min(&acc);
            if d < best.1 {
                best = (first + l, d);
            }
        }
        best
    }

    #[inline(always)]
    fn assign_rows(&self, data: &[f32], labels: &mut [u32], dists: &mut [f32]) {
        for ((l, d), x) in labels
            .iter_mut()
            .zip(dists.iter_mut())
            .zip(data.chunks_exact(self.dim))
        {
            let (j, dist) = self.nearest(x);
            *l = j as u32;
            *d = dist;
        }
    }

    /// The same loop compiled for AVX-512 and for AVX2, chosen at run time: the native build
    /// targets plain x86-64 (SSE2) so that it runs on every x86 machine.
    fn assign_rows_fastest(&self, data: &[f32], labels: &mut [u32], dists: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx512f")]
            fn avx512(c: &Centres, data: &[f32], labels: &mut [u32], dists: &mut [f32]) {
                c.assign_rows(data, labels, dists)
            }
            #[target_feature(enable = "avx2")]
            fn avx2(c: &Centres, data: &[f32], labels: &mut [u32], dists: &mut [f32]) {
                c.assign_rows(data, labels, dists)
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the CPU has just been checked for the feature.
                return unsafe { avx512(self, data, labels, dists) };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: as above.
                return unsafe { avx2(self, data, labels, dists) };
            }
        }
        self.assign_rows(data, labels, dists)
    }
}

/// Lane and value of the smallest entry, the first one on ties. Halving the lanes pairwise
/// keeps the comparisons in vector registers; one long scalar chain of compare-and-select
/// per row took most of the time.
#[inline(always)]
fn first_min(acc: &[f32; LANES]) -> (usize, f32) {
    let mut m = *acc;
    let mut width = LANES / 2;
    while width > 0 {
        for i in 0..width {
            if m[i + width] < m[i] {
                m[i] = m[i + width];
            }
        }
        width /= 2;
    }
    // The minimum is one of the entries, not a computed value, so equality finds it; a bit
    // mask instead of a search keeps branches out.
    let mut equal = 0u32;
    for (l, &d) in acc.iter().enumerate() {
        equal |= u32::from(d == m[0]) << l;
    }
    match equal {
        0 => (0, f32::INFINITY),
        mask => (mask.trailing_zeros() as usize, m[0]),
    }
}

/// Rows per block. Each block's sums are added on their own and then in block order, so
/// the centres are the same bits however many threads there are (and in wasm).
const BLOCK: usize = 4096;

/// `work` on each block of rows (with its labels and distances), results in block order.
/// Natively the blocks are split over the cores (wasm has one thread).
fn for_blocks<T: Send>(
    data: &[f32],
    dim: usize,
    labels: &mut [u32],
    dists: &mut [f32],
    work: impl Fn(&[f32], &mut [u32], &mut [f32]) -> T + Sync,
) -> Vec<T> {
    let serial = |data: &[f32], labels: &mut [u32], dists: &mut [f32]| -> Vec<T> {
        labels
            .chunks_mut(BLOCK)
            .zip(dists.chunks_mut(BLOCK))
            .zip(data.chunks(BLOCK * dim))
            .map(|((l, d), x)| work(x, l, d))
            .collect()
    };
    #[cfg(not(target_family = "wasm"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let blocks = labels.len().div_ceil(BLOCK);
        if threads > 1 && blocks > 1 {
            let per = blocks.div_ceil(threads) * BLOCK;
            let serial = &serial;
            return std::thread::scope(|s| {
                let handles: Vec<_> = labels
                    .chunks_mut(per)
                    .zip(dists.chunks_mut(per))
                    .zip(data.chunks(per * dim))
                    .map(|((l, d), x)| s.spawn(move || serial(x, l, d)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a k-means thread panicked"))
                    .collect()
            });
        }
    }
    serial(data, labels, dists)
}

/// The nearest centre of every row and its squared distance.
pub(super) fn assign(
    data: &[f32],
    dim: usize,
    centroids: &[f32],
    labels: &mut [u32],
    dists: &mut [f32],
) {
    let centres = Centres::new(centroids, dim);
    for_blocks(data, dim, labels, dists, |x, l, d| {
        centres.assign_rows_fastest(x, l, d)
    });
}

/// [`assign`], then the sum (in f64) and the count of the rows of each cluster: Lloyd's
/// whole iteration but the division, in one pass over the data.
pub(super) fn assign_and_sum(
    data: &[f32],
    dim: usize,
    centroids: &[f32],
    labels: &mut [u32],
    dists: &mut [f32],
) -> (Vec<f64>, Vec<usize>) {
    let centres = Centres::new(centroids, dim);
    let k = centres.k;
    let blocks = for_blocks(data, dim, labels, dists, |x, l, d| {
        centres.assign_rows_fastest(x, l, d);
        let mut sums = vec![0f64; k * dim];
        let mut counts = vec![0usize; k];
        for (&label, row) in l.iter().zip(x.chunks_exact(dim)) {
            counts[label as usize] += 1;
            for (s, &v) in sums[label as usize * dim..][..dim].iter_mut().zip(row) {
                *s += v as f64;
            }
        }
        (sums, counts)
    });
    let mut sums = vec![0f64; k * dim];
    let mut counts = vec![0usize; k];
    for (block_sums, block_counts) in blocks {
        sums.iter_mut().zip(block_sums).for_each(|(s, b)| *s += b);
        counts
            .iter_mut()
            .zip(block_counts)
            .for_each(|(c, b)| *c += b);
    }
    (sums, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::sq_dist;
    use crate::rng::Rng;

    /// Against the plain definition: every row's nearest centre by `sq_dist`, for k below,
    /// at and above one block of lanes, with rows that tie.
    #[test]
    fn nearest_centres_match_the_definition() {
        let mut rng = Rng::new(3);
        for (k, dim) in [(1, 3), (3, 1), (10, 10), (16, 5), (17, 7), (40, 2)] {
            let rows = 500;
            let data: Vec<f32> = (0..rows * dim).map(|_| rng.normal() as f32).collect();
            let mut centroids: Vec<f32> = (0..k * dim).map(|_| rng.normal() as f32).collect();
            if k > 2 {
                // Two equal centres: the first of them must win.
                let (a, b) = centroids.split_at_mut(dim);
                b[..dim].copy_from_slice(a);
            }
            let mut labels = vec![0u32; rows];
            let mut dists = vec![0f32; rows];
            assign(&data, dim, &centroids, &mut labels, &mut dists);
            for (r, x) in data.chunks_exact(dim).enumerate() {
                let d: Vec<f32> = centroids.chunks_exact(dim).map(|c| sq_dist(x, c)).collect();
                let min = d.iter().copied().fold(f32::INFINITY, f32::min);
                let j = labels[r] as usize;
                assert!(j < k, "k={k}: label {j} is a padding centre");
                assert!(
                    (d[j] - min).abs() <= 1e-5 * (1.0 + min),
                    "k={k} row {r}: {} vs {min}",
                    d[j]
                );
                assert!(
                    (dists[r] - d[j]).abs() <= 1e-5 * (1.0 + min),
                    "k={k} row {r}"
                );
                if k > 2 {
                    assert_ne!(j, 1, "k={k}: ties go to the first equal centre");
                }
            }
        }
    }

    /// Split over threads or not, the labels, distances and sums are the same bits.
    #[test]
    fn threads_do_not_change_the_result() {
        let mut rng = Rng::new(5);
        let (rows, dim, k) = (30_000, 10, 10);
        let data: Vec<f32> = (0..rows * dim).map(|_| rng.normal() as f32).collect();
        let centroids: Vec<f32> = (0..k * dim).map(|_| rng.normal() as f32).collect();
        let (mut l1, mut d1) = (vec![0u32; rows], vec![0f32; rows]);
        assign(&data, dim, &centroids, &mut l1, &mut d1);
        let (mut l2, mut d2) = (vec![0u32; rows], vec![0f32; rows]);
        Centres::new(&centroids, dim).assign_rows(&data, &mut l2, &mut d2);
        assert_eq!(l1, l2);
        assert_eq!(d1, d2);

        let (sums, counts) = assign_and_sum(&data, dim, &centroids, &mut l1, &mut d1);
        assert_eq!(l1, l2);
        assert_eq!(counts.iter().sum::<usize>(), rows);
        // The same block-by-block order on one thread.
        let mut expected = vec![0f64; k * dim];
        for (x, l) in data.chunks(BLOCK * dim).zip(l2.chunks(BLOCK)) {
            let mut block = vec![0f64; k * dim];
            for (row, &c) in x.chunks_exact(dim).zip(l) {
                for (s, &v) in block[c as usize * dim..][..dim].iter_mut().zip(row) {
                    *s += v as f64;
                }
            }
            expected.iter_mut().zip(block).for_each(|(e, b)| *e += b);
        }
        assert_eq!(sums, expected);
        assert_eq!(counts.len(), k);
        for (c, &count) in counts.iter().enumerate() {
            let n = l2.iter().filter(|&&l| l as usize == c).count();
            assert_eq!(count, n, "cluster {c}");
        }
    }
}
