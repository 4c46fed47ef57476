//! A set of equally sized images, from IDX files or from pictures the browser decoded, and
//! the rules for sizing and labelling a dropped folder.

use std::collections::HashMap;

use super::{Dataset, Items};
use super::capacity::{TooManyImages, check_images_fit};

/// Images of one size, pixels channel-major per image (`count × channels × height × width`,
/// 0–255), the layout convolutions want.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    pub width: usize,
    pub height: usize,
    /// 1 (grayscale) or 3 (RGB).
    pub channels: usize,
    pub pixels: Vec<u8>,
    /// One per image: file name (with its folder) or `image i` for IDX files.
    pub names: Vec<String>,
    /// Class ids when labels were found; used only to score.
    pub labels: Option<Vec<u32>>,
    pub label_names: Vec<String>,
    pub warnings: Vec<String>,
}

impl ImageSet {
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    pub fn image_len(&self) -> usize {
        self.width * self.height * self.channels
    }

    /// The images at `rows`, in that order (a seeded subset for quick benchmarks).
    pub fn select(&self, rows: &[usize]) -> ImageSet {
        let n = self.image_len();
        ImageSet {
            pixels: rows
                .iter()
                .flat_map(|&r| &self.pixels[r * n..(r + 1) * n])
                .copied()
                .collect(),
            names: rows.iter().map(|&r| self.names[r].clone()).collect(),
            labels: self
                .labels
                .as_ref()
                .map(|l| rows.iter().map(|&r| l[r]).collect()),
            ..self.clone()
        }
    }

    /// Appends another set of the same image size (MNIST's training and test files make the
    /// 70,000-digit set). Labels are kept only when both sets have them.
    pub fn append(&mut self, mut other: ImageSet) -> Result<(), String> {
        if (other.width, other.height, other.channels) != (self.width, self.height, self.channels) {
            return Err(format!(
                "its images are {}×{} but the others are {}×{}; drop sets of one size together",
                other.width, other.height, self.width, self.height
            ));
        }
        let offset = self.len();
        self.labels = match (self.labels.take(), other.labels.take()) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            (None, None) => None,
            _ => {
                self.warnings
                    .push("only some of the files came with labels, so no scores are shown".into());
                None
            }
        };
        if other.label_names.len() > self.label_names.len() {
            self.label_names = other.label_names;
        }
        if self.labels.is_none() {
            self.label_names.clear();
        }
        self.pixels.extend(other.pixels);
        self.names
            .extend(other.names.iter().enumerate().map(|(i, n)| {
                if n == &format!("image {i}") {
                    format!("image {}", offset + i)
                } else {
                    n.clone()
                }
            }));
        Ok(())
    }

    /// Refuses this set and `more` together, as [`ImageSet::append`] would make them, when
    /// their floats exceed `largest_block` bytes (`None`: no limit). Sets of another size are
    /// refused by the append itself.
    pub fn fits_with(
        &self,
        more: &ImageSet,
        largest_block: Option<u64>,
    ) -> Result<(), TooManyImages> {
        check_images_fit(
            self.len() + more.len(),
            (self.width, self.height, self.channels),
            largest_block,
            false,
        )
    }

    /// Pixels scaled to 0..1 as features (no standardisation: every pixel shares one scale,
    /// as in the DEC and DCEC papers).
    pub fn to_dataset(&self) -> Dataset {
        let cols = self.image_len();
        Items {
            features: self.pixels.iter().map(|&p| p as f32 / PIXEL_MAX).collect(),
            cols,
            feature_names: (0..cols).map(|i| format!("px{i}")).collect(),
            file_column: "file",
            labels: self.labels.clone(),
            label_names: self.label_names.clone(),
            warnings: self.warnings.clone(),
            valid: None,
        }
        .into()
    }
}

/// The largest pixel value: [`ImageSet::to_dataset`] divides by it, so features lie in 0..1.
pub const PIXEL_MAX: f32 = 255.0;

/// Image features (pixel / [`PIXEL_MAX`]) as pixel / `divisor`, in place. In f32, `v * 255`
/// gives the pixel back exactly, so the result is the pixels divided by `divisor`, bit for bit.
pub fn divide_pixels_by(features: &mut [f32], divisor: f32) {
    if divisor != PIXEL_MAX {
        for v in features {
            *v = *v * PIXEL_MAX / divisor;
        }
    }
}

/// The root mean square pixel value (0..255) of image features (pixel / [`PIXEL_MAX`]), to
/// hundredths and at least 1: the divisor that gives the pixels a mean square of 1. The sum is
/// exact (`v * 255` is the pixel, and the squares of 55 million pixels stay well below 2⁵³), so
/// the same images give the same divisor in any order, and hundredths print and read back
/// unchanged (in saved models, on the command line).
pub fn rms_pixel(features: &[f32]) -> f32 {
    if features.is_empty() {
        return PIXEL_MAX;
    }
    let sum: f64 = features
        .iter()
        .map(|&v| {
            let p = (v * PIXEL_MAX) as f64;
            p * p
        })
        .sum();
    let rms = (sum / features.len() as f64).sqrt();
    (((rms * 100.0).round() / 100.0) as f32).max(1.0)
}

/// The results of clustering images as CSV: `file,cluster,confidence`, one row per image.
pub fn image_results_csv(names: &[String], labels: &[u32], confidence: &[f32]) -> String {
    named_results_csv("file", names, labels, confidence)
}

/// `key,cluster,confidence`, one row per named item (an image file, a series).
pub fn named_results_csv(key: &str, names: &[String], labels: &[u32], confidence: &[f32]) -> String {
    let mut out = format!("{key},cluster,confidence\n");
    for ((name, l), c) in names.iter().zip(labels).zip(confidence) {
        let quoted = if name.contains([',', '"', '\n']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.clone()
        };
        out.push_str(&format!("{quoted},{l},{c:.4}\n"));
    }
    out
}

/// Interleaved RGBA (what a canvas gives) → channel-major grayscale or RGB.
pub fn rgba_to_planes(rgba: &[u8], width: usize, height: usize, channels: usize) -> Vec<u8> {
    let n = width * height;
    let mut out = vec![0u8; n * channels];
    for (i, px) in rgba.chunks_exact(4).take(n).enumerate() {
        if channels == 1 {
            // ITU-R BT.601 luma, as image libraries use for grayscale.
            out[i] =
                (0.299 * px[0] as f32 + 0.587 * px[1] as f32 + 0.114 * px[2] as f32).round() as u8;
        } else {
            for c in 0..3 {
                out[c * n + i] = px[c];
            }
        }
    }
    out
}

/// Side of the square images to train on: the largest of 64, 32 and 28 that at least half
/// the images reach without upscaling (28 when most are smaller).
pub fn default_side(sizes: &[(usize, usize)]) -> usize {
    for side in [64, 32] {
        let fit = sizes.iter().filter(|&&(w, h)| w.min(h) >= side).count();
        if 2 * fit >= sizes.len() && fit > 0 {
            return side;
        }
    }
    28
}

/// The centred square crop `(x, y, side)` of a `width × height` image, so that resizing to a
/// square never distorts it.
pub fn centre_square(width: usize, height: usize) -> (usize, usize, usize) {
    let side = width.min(height);
    ((width - side) / 2, (height - side) / 2, side)
}

/// The centred square of an interleaved RGBA picture, resized to `side × side` RGBA (what
/// the browser gets from drawing the crop on a canvas). Each output pixel averages the
/// source pixels under it, so shrinking does not alias; enlarging repeats pixels.
pub fn resize_square(rgba: &[u8], width: usize, height: usize, side: usize) -> Vec<u8> {
    let (x0, y0, crop) = centre_square(width, height);
    let mut out = vec![0u8; side * side * 4];
    // Source span [a, b) of output index i along one axis, never empty.
    let span = |i: usize| {
        let a = i * crop / side;
        let b = ((i + 1) * crop).div_ceil(side).max(a + 1).min(crop);
        (a, b)
    };
    for oy in 0..side {
        let (ya, yb) = span(oy);
        for ox in 0..side {
            let (xa, xb) = span(ox);
            let mut sum = [0u32; 4];
            for y in ya..yb {
                for x in xa..xb {
                    let p = ((y0 + y) * width + x0 + x) * 4;
                    for c in 0..4 {
                        sum[c] += rgba[p + c] as u32;
                    }
                }
            }
            let n = ((yb - ya) * (xb - xa)) as u32;
            for c in 0..4 {
                out[(oy * side + ox) * 4 + c] = ((sum[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Where the labels of a dropped set of image files come from.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelSource {
    /// A `labels.csv` (`filename,label`) in the drop.
    LabelsCsv,
    /// Each file's folder at the first level where the files' folders differ
    /// (`csv_parts::class_folders`).
    Folders,
}

/// Labels for `paths` (relative paths like `cats/a.png`), or `None` when there are none:
/// a `labels.csv` whose `filename` column names every image (by path or by file name), else
/// the folders at the first level where the images' folders differ (`beach` for
/// `photos/beach/2023 trip/a.jpg`; split folders such as `train/` passed over), when every
/// image has one and there are at least two.
/// Returns class ids, class names and a note for the user.
pub fn discover_labels(
    paths: &[String],
    labels_csv: Option<&str>,
) -> Option<(Vec<u32>, Vec<String>, LabelSource)> {
    let mut classes: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut id_of = |name: &str| -> u32 {
        *index.entry(name.to_string()).or_insert_with(|| {
            classes.push(name.to_string());
            classes.len() as u32 - 1
        })
    };
    if let Some(text) = labels_csv {
        let table: HashMap<&str, &str> = super::text_lines(text)
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(f, l)| (f.trim().trim_matches('"'), l.trim().trim_matches('"')))
            .collect();
        let found: Option<Vec<&str>> = paths
            .iter()
            .map(|p| {
                table
                    .get(p.as_str())
                    .or_else(|| table.get(file_name(p)))
                    .copied()
            })
            .collect();
        if let Some(found) = found {
            let ids = found.iter().map(|l| id_of(l)).collect();
            return Some((ids, classes, LabelSource::LabelsCsv));
        }
    }
    let named: Vec<&str> = paths.iter().map(String::as_str).collect();
    let folders: Option<Vec<String>> = super::csv_parts::class_folders(&named).into_iter().collect();
    let ids: Vec<u32> = folders?.iter().map(|p| id_of(p)).collect();
    (classes.len() >= 2).then_some((ids, classes, LabelSource::Folders))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_rms_pixel_gives_a_mean_square_of_one() {
        use super::{PIXEL_MAX, rms_pixel};
        let features =
            |pixels: &[u8]| -> Vec<f32> { pixels.iter().map(|&p| p as f32 / PIXEL_MAX).collect() };
        assert_eq!(rms_pixel(&features(&[100; 8])), 100.0);
        // √((0² + 200²) / 2) = 141.421…
        assert_eq!(rms_pixel(&features(&[0, 200, 0, 200])), 141.42);
        // Black images would give 0: the divisor stays at least 1.
        assert_eq!(rms_pixel(&features(&[0; 4])), 1.0);
        assert_eq!(rms_pixel(&[]), PIXEL_MAX);
    }

    #[test]
    fn pixels_rescale_exactly() {
        use super::{PIXEL_MAX, divide_pixels_by};
        let mut features: Vec<f32> = (0..=255u8).map(|p| p as f32 / PIXEL_MAX).collect();
        let unchanged = features.clone();
        divide_pixels_by(&mut features, PIXEL_MAX);
        assert_eq!(features, unchanged);
        divide_pixels_by(&mut features, 50.0);
        let direct: Vec<f32> = (0..=255u8).map(|p| p as f32 / 50.0).collect();
        assert_eq!(features, direct);
    }

    #[test]
    fn resize_averages_blocks_of_the_centre_square() {
        // 4×2 picture: the centre square is columns 1..3; each output pixel of a 1×1 result
        // averages the four pixels of that square.
        let mut rgba = Vec::new();
        for v in [0u8, 10, 30, 200, 0, 50, 70, 200] {
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
        assert_eq!(resize_square(&rgba, 4, 2, 1), vec![40, 40, 40, 255]);
        // Enlarging a 1×1 picture repeats it.
        assert_eq!(
            resize_square(&[9, 8, 7, 6], 1, 1, 2),
            [9, 8, 7, 6].repeat(4)
        );
        // Same size is the identity.
        assert_eq!(resize_square(&rgba[..16], 2, 2, 2), rgba[..16].to_vec());
    }

    use super::*;

    #[test]
    fn side_is_the_largest_that_most_images_reach() {
        assert_eq!(default_side(&[(128, 128); 10]), 64);
        assert_eq!(default_side(&[(40, 50), (40, 40), (100, 100)]), 32);
        assert_eq!(default_side(&[(28, 28); 3]), 28);
        assert_eq!(
            default_side(&[(16, 16), (20, 30)]),
            28,
            "tiny images are upscaled to the smallest size"
        );
        assert_eq!(default_side(&[(64, 64), (20, 20)]), 64, "half is enough");
    }

    #[test]
    fn crop_is_centred_and_square() {
        assert_eq!(centre_square(100, 60), (20, 0, 60));
        assert_eq!(centre_square(60, 101), (0, 20, 60));
        assert_eq!(centre_square(32, 32), (0, 0, 32));
    }

    #[test]
    fn labels_csv_wins_then_folders() {
        let paths: Vec<String> = ["coil/obj1__0.png", "coil/obj2__0.png", "coil/obj1__1.png"]
            .map(String::from)
            .to_vec();
        let csv = "filename,label\nobj1__0.png,1\nobj1__1.png,1\nobj2__0.png,2\n";
        let (ids, names, source) = discover_labels(&paths, Some(csv)).unwrap();
        assert_eq!(
            (ids, names, source),
            (
                vec![0, 1, 0],
                vec!["1".to_string(), "2".to_string()],
                LabelSource::LabelsCsv
            )
        );
        // One folder only: no labels from folders.
        assert_eq!(discover_labels(&paths, None), None);
        let foldered: Vec<String> = ["cats/a.png", "dogs/b.png", "cats/c.jpg"]
            .map(String::from)
            .to_vec();
        let (ids, names, source) = discover_labels(&foldered, None).unwrap();
        assert_eq!(
            (ids, names, source),
            (
                vec![0, 1, 0],
                vec!["cats".to_string(), "dogs".to_string()],
                LabelSource::Folders
            )
        );
        // Sub-folders of a kind (a trip's photos) stay that kind; split folders are passed over.
        let nested: Vec<String> = ["photos/beach/2023 trip/a.jpg", "photos/beach/b.jpg", "photos/forest/c.jpg", "photos/forest/old/d.jpg"]
            .map(String::from)
            .to_vec();
        let (ids, names, _) = discover_labels(&nested, None).unwrap();
        assert_eq!((ids, names), (vec![0, 0, 1, 1], vec!["beach".to_string(), "forest".to_string()]));
        let split: Vec<String> = ["mnist/training/0/a.png", "mnist/training/1/b.png", "mnist/testing/0/c.png"]
            .map(String::from)
            .to_vec();
        let (ids, names, _) = discover_labels(&split, None).unwrap();
        assert_eq!((ids, names), (vec![0, 1, 0], vec!["0".to_string(), "1".to_string()]));
        // A labels.csv that misses an image falls back to folders.
        assert_eq!(
            discover_labels(&foldered, Some("filename,label\na.png,x\n"))
                .unwrap()
                .2,
            LabelSource::Folders
        );
        // Files at the top level have no folder label.
        assert_eq!(
            discover_labels(&["a.png".into(), "dogs/b.png".into()], None),
            None
        );
    }

    #[test]
    fn sets_of_one_size_append() {
        let set = |n: usize, labels: Option<Vec<u32>>| ImageSet {
            width: 2,
            height: 2,
            channels: 1,
            pixels: vec![7; n * 4],
            names: (0..n).map(|i| format!("image {i}")).collect(),
            label_names: vec!["0".into(), "1".into()],
            labels,
            warnings: Vec::new(),
        };
        let mut a = set(2, Some(vec![0, 1]));
        a.append(set(1, Some(vec![1]))).unwrap();
        assert_eq!(
            (a.len(), a.pixels.len(), a.labels.clone()),
            (3, 12, Some(vec![0, 1, 1]))
        );
        assert_eq!(a.names[2], "image 2");
        a.append(set(1, None)).unwrap();
        assert_eq!(a.labels, None);
        assert_eq!(a.warnings.len(), 1);
        let mut wide = set(1, None);
        wide.width = 3;
        assert!(a.append(wide).unwrap_err().contains("3×2"));

        // Two files that each fit may not fit together (MNIST's 60,000 + 10,000).
        // Five images' floats: 5 × 4 values of 4 bytes.
        let room_for_five = Some(5 * 4 * 4);
        let shape = (a.width, a.height, a.channels);
        assert!(check_images_fit(a.len(), shape, room_for_five, false).is_ok());
        let err = a.fits_with(&set(2, None), room_for_five).unwrap_err();
        assert_eq!((err.images, err.fits, err.smaller), (6, 5, ""));
        assert!(a.fits_with(&set(1, None), room_for_five).is_ok());
        assert!(a.fits_with(&set(2, None), None).is_ok());
        a.append(set(2, None)).unwrap();
        let err = check_images_fit(a.len(), shape, room_for_five, true).unwrap_err();
        assert_eq!((err.images, err.fits), (6, 5));
    }

    #[test]
    fn results_csv_quotes_awkward_names() {
        let csv = image_results_csv(&["a.png".into(), "b, c.png".into()], &[1, 0], &[0.5, 1.0]);
        assert_eq!(
            csv,
            "file,cluster,confidence\na.png,1,0.5000\n\"b, c.png\",0,1.0000\n"
        );
    }

    #[test]
    fn rgba_becomes_planes() {
        let rgba = [255, 0, 0, 255, 0, 0, 255, 255];
        assert_eq!(rgba_to_planes(&rgba, 2, 1, 3), vec![255, 0, 0, 0, 0, 255]);
        assert_eq!(rgba_to_planes(&rgba, 2, 1, 1), vec![76, 29]);
    }
}
