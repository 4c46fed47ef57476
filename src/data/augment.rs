//! Cheap image augmentations for consistency objectives: a random shift (a small crop padded
//! back with zeros) and a little pixel noise. Flips are left out on purpose: a mirrored digit
//! or letter is often another class.

use crate::rng::Rng;

/// How far a picture may move, in pixels: 2 at 28 × 28, proportionally more on bigger ones.
pub fn max_shift(side: usize) -> usize {
    (side / 14).max(1)
}

/// Standard deviation of the pixel noise, for pixels in 0..1.
pub const NOISE: f32 = 0.05;

/// A shifted, noisy copy of row-major images (`channels × side × side` values per row,
/// channel-major, in 0..1): each row moves by its own random offset within ±`max_shift`,
/// vacated pixels are 0, then Gaussian noise is added and the values clipped to 0..1.
pub fn shift_and_noise(rows: &[f32], channels: usize, side: usize, rng: &mut Rng) -> Vec<f32> {
    let per_row = channels * side * side;
    let m = max_shift(side) as i64;
    let mut out = vec![0f32; rows.len()];
    for (src, dst) in rows
        .chunks_exact(per_row)
        .zip(out.chunks_exact_mut(per_row))
    {
        let dy = rng.below(2 * m as usize + 1) as i64 - m;
        let dx = rng.below(2 * m as usize + 1) as i64 - m;
        shift_into(src, dst, channels, side, dy, dx);
        for v in dst.iter_mut() {
            *v = (*v + NOISE * rng.normal() as f32).clamp(0.0, 1.0);
        }
    }
    out
}

/// Copies `src` into `dst` moved down by `dy` and right by `dx` pixels (negative: up, left).
fn shift_into(src: &[f32], dst: &mut [f32], channels: usize, side: usize, dy: i64, dx: i64) {
    let s = side as i64;
    for c in 0..channels {
        let plane = c * side * side;
        for y in 0..s {
            let sy = y - dy;
            if !(0..s).contains(&sy) {
                continue;
            }
            for x in 0..s {
                let sx = x - dx;
                if (0..s).contains(&sx) {
                    dst[plane + (y * s + x) as usize] = src[plane + (sy * s + sx) as usize];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_move_pixels_and_fill_with_zeros() {
        // One 3 × 3 picture with a single lit pixel in the middle, two channels.
        let mut src = vec![0f32; 18];
        src[4] = 1.0;
        src[9 + 4] = 0.5;
        let mut dst = vec![0f32; 18];
        shift_into(&src, &mut dst, 2, 3, 1, -1);
        // Down one row, left one column: (1, 1) → (2, 0).
        let mut want = vec![0f32; 18];
        want[6] = 1.0;
        want[9 + 6] = 0.5;
        assert_eq!(dst, want);
    }

    #[test]
    fn augmented_rows_stay_in_range_and_near_the_original() {
        let side = 28;
        let mut rng = Rng::new(4);
        // A bright square away from the edges, in two pictures.
        let mut rows = vec![0f32; 2 * side * side];
        for r in 0..2 {
            for y in 10..18 {
                for x in 10..18 {
                    rows[r * side * side + y * side + x] = 1.0;
                }
            }
        }
        let out = shift_and_noise(&rows, 1, side, &mut rng);
        assert_eq!(out.len(), rows.len());
        assert!(out.iter().all(|v| (0.0..=1.0).contains(v)));
        for r in 0..2 {
            let pic = &out[r * side * side..(r + 1) * side * side];
            // The square moved by at most 2 pixels: its mass is all there, within noise.
            let mass: f32 = pic.iter().filter(|&&v| v > 0.5).count() as f32;
            assert!((mass - 64.0).abs() <= 2.0, "row {r}: {mass} bright pixels");
            let (mut cy, mut cx) = (0.0, 0.0);
            for (i, &v) in pic.iter().enumerate() {
                if v > 0.5 {
                    cy += (i / side) as f32;
                    cx += (i % side) as f32;
                }
            }
            let (cy, cx) = (cy / mass, cx / mass);
            assert!(
                (cy - 13.5).abs() <= 2.1 && (cx - 13.5).abs() <= 2.1,
                "{cy}, {cx}"
            );
        }
        assert_ne!(
            out,
            shift_and_noise(&rows, 1, side, &mut Rng::new(5)),
            "seeded, random"
        );
    }
}
