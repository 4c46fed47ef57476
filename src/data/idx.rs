//! MNIST-style IDX files (LeCun's format): a 4-byte magic number (0, 0, type 0x08 for unsigned
//! bytes, number of dimensions), one big-endian u32 size per dimension, then the values.
//! Images are magic 2051 (count × rows × columns), labels 2049 (count). Gzipped files are
//! accepted as they are downloaded.

use std::borrow::Cow;

use thiserror::Error;

use super::capacity::{LARGEST_BLOCK, TooManyImages, check_images_fit};
use super::gzip::{GzipError, gunzip, is_gzip};
use super::images::ImageSet;

pub const IMAGES_MAGIC: u32 = 2051;
pub const LABELS_MAGIC: u32 = 2049;

#[derive(Debug, Error, PartialEq)]
pub enum IdxError {
    #[error("{0}")]
    Gzip(#[from] GzipError),
    #[error("{0}")]
    TooMany(#[from] TooManyImages),
    #[error(
        "this is not an IDX {what} file: its magic number is {found}, expected {expected}; MNIST-style images end in -images-idx3-ubyte, labels in -labels-idx1-ubyte"
    )]
    BadMagic {
        what: &'static str,
        found: u32,
        expected: u32,
    },
    #[error(
        "the IDX file is cut short: its header promises {expected} bytes but it holds {found}; download it again"
    )]
    Truncated { expected: usize, found: usize },
    #[error("the IDX file holds no images")]
    Empty,
    #[error(
        "the images file holds {images} images but the labels file {labels} labels; use the two files of the same set (train with train, t10k with t10k)"
    )]
    CountMismatch { images: usize, labels: usize },
    #[error(
        "the IDX header's sizes ({sizes}) multiply to more bytes than any file can hold; the file is damaged or not an IDX file"
    )]
    Impossible { sizes: String },
}

fn header(
    bytes: &[u8],
    what: &'static str,
    expected: u32,
    dims: usize,
) -> Result<Vec<usize>, IdxError> {
    let need = 4 + 4 * dims;
    if bytes.len() < 4 {
        return Err(IdxError::Truncated {
            expected: need,
            found: bytes.len(),
        });
    }
    let magic = u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes"));
    if magic != expected {
        return Err(IdxError::BadMagic {
            what,
            found: magic,
            expected,
        });
    }
    if bytes.len() < need {
        return Err(IdxError::Truncated {
            expected: need,
            found: bytes.len(),
        });
    }
    let sizes: Vec<usize> = (0..dims)
        .map(|d| {
            u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().expect("4 bytes")) as usize
        })
        .collect();
    // Sizes from the file are untrusted: their product can overflow (easily on wasm32).
    let expected_len = sizes
        .iter()
        .try_fold(1usize, |p, &d| p.checked_mul(d))
        .and_then(|body| body.checked_add(need))
        .ok_or_else(|| IdxError::Impossible {
            sizes: sizes
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" × "),
        })?;
    if bytes.len() < expected_len {
        return Err(IdxError::Truncated {
            expected: expected_len,
            found: bytes.len(),
        });
    }
    Ok(sizes)
}

/// The file's bytes, unpacked when gzipped; kept as they are (borrowed or owned) otherwise,
/// and a packed buffer given by value is freed once unpacked.
fn maybe_gunzip(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, [u8]>, IdxError> {
    Ok(if is_gzip(&bytes) {
        gunzip(&bytes)?.into()
    } else {
        bytes
    })
}

/// Reads an images file and, optionally, its labels into grayscale images. Given the file's
/// bytes by value, their buffer becomes the pixels (see [`read_idx_within`]).
pub fn read_idx(images: impl Into<Vec<u8>>, labels: Option<&[u8]>) -> Result<ImageSet, IdxError> {
    read_idx_within(images.into(), labels, LARGEST_BLOCK)
}

/// [`read_idx`], refusing before any copy a set whose floats would exceed `largest_block` bytes.
fn read_idx_within(
    images: Vec<u8>,
    labels: Option<&[u8]>,
    largest_block: Option<u64>,
) -> Result<ImageSet, IdxError> {
    let mut images = maybe_gunzip(images.into())?.into_owned();
    let sizes = header(&images, "images", IMAGES_MAGIC, 3)?;
    let (count, height, width) = (sizes[0], sizes[1], sizes[2]);
    if count == 0 || height == 0 || width == 0 {
        return Err(IdxError::Empty);
    }
    check_images_fit(count, (width, height, 1), largest_block, false)?;
    // The file's buffer becomes the pixels instead of being copied: a second copy of the
    // bytes would sit next to the floats made from them (537 MB at the page's ceiling).
    images.truncate(16 + count * height * width);
    images.drain(..16);
    let pixels = images;
    let (labels, label_names) = match labels {
        None => (None, Vec::new()),
        Some(bytes) => {
            let bytes = maybe_gunzip(bytes.into())?;
            let n = header(&bytes, "labels", LABELS_MAGIC, 1)?[0];
            if n != count {
                return Err(IdxError::CountMismatch {
                    images: count,
                    labels: n,
                });
            }
            let raw = &bytes[8..8 + n];
            // Class ids are the digits themselves, 0..=max, so names read naturally.
            let max = raw.iter().copied().max().unwrap_or(0) as usize;
            (
                Some(raw.iter().map(|&l| l as u32).collect()),
                (0..=max).map(|c| c.to_string()).collect(),
            )
        }
    };
    Ok(ImageSet {
        width,
        height,
        channels: 1,
        pixels,
        names: (0..count).map(|i| format!("image {i}")).collect(),
        labels,
        label_names,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_that_overflow_are_an_error_not_a_panic() {
        // Found by `./build.sh fuzz`: 0x80000008 × 0x03000000 × 0x02000000 images overflow.
        let crash = [
            0x00, 0x00, 0x08, 0x03, 0x80, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00,
            0x00, 0x00, 0x02, 0x00, 0x03, 0x09, 0x21, 0x02, 0xff, 0x80, 0x07, 0x01,
        ];
        let err = super::read_idx(crash, None).unwrap_err();
        assert!(matches!(err, super::IdxError::Impossible { .. }), "{err}");
        assert!(err.to_string().contains("damaged"));
    }

    use super::*;

    fn images_file(count: u32, h: u32, w: u32) -> Vec<u8> {
        let mut b = IMAGES_MAGIC.to_be_bytes().to_vec();
        for s in [count, h, w] {
            b.extend(s.to_be_bytes());
        }
        b.extend((0..count * h * w).map(|i| (i % 256) as u8));
        b
    }

    fn labels_file(labels: &[u8]) -> Vec<u8> {
        let mut b = LABELS_MAGIC.to_be_bytes().to_vec();
        b.extend((labels.len() as u32).to_be_bytes());
        b.extend_from_slice(labels);
        b
    }

    #[test]
    fn a_set_too_big_for_the_tab_is_refused_saying_how_many_fit() {
        let imgs = images_file(5, 2, 4);
        // Four images' floats: 4 × 8 values of 4 bytes.
        let room_for_four = Some(4 * 8 * 4);
        assert!(read_idx_within(images_file(4, 2, 4), None, room_for_four).is_ok());
        match read_idx_within(imgs.clone(), None, room_for_four).unwrap_err() {
            IdxError::TooMany(e) => assert_eq!((e.images, e.width, e.height, e.fits), (5, 4, 2, 4)),
            other => panic!("{other}"),
        }
        // A file cut short says so first: its count may be what is damaged.
        assert!(matches!(
            read_idx_within(imgs[..20].to_vec(), None, room_for_four).unwrap_err(),
            IdxError::Truncated { .. }
        ));
    }

    #[test]
    fn header_sizes_and_pixels_are_read() {
        let set = read_idx(images_file(3, 2, 4), Some(&labels_file(&[7, 0, 7]))).unwrap();
        assert_eq!(
            (set.width, set.height, set.channels, set.len()),
            (4, 2, 1, 3)
        );
        assert_eq!(&set.pixels[8..10], &[8, 9]);
        assert_eq!(set.labels, Some(vec![7, 0, 7]));
        assert_eq!(set.label_names.len(), 8);
    }

    #[test]
    fn bytes_after_the_last_image_are_not_pixels() {
        let mut file = images_file(2, 2, 2);
        let pixels = file[16..].to_vec();
        file.extend([255; 5]);
        let set = read_idx(file, None).unwrap();
        assert_eq!(set.pixels, pixels);
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn each_error_names_the_problem() {
        let imgs = images_file(3, 2, 4);
        assert_eq!(
            read_idx(labels_file(&[1]), None).unwrap_err(),
            IdxError::BadMagic {
                what: "images",
                found: LABELS_MAGIC,
                expected: IMAGES_MAGIC
            }
        );
        assert_eq!(
            read_idx(&imgs[..30], None).unwrap_err(),
            IdxError::Truncated {
                expected: 16 + 24,
                found: 30
            }
        );
        assert_eq!(
            read_idx(&imgs[..10], None).unwrap_err(),
            IdxError::Truncated {
                expected: 16,
                found: 10
            }
        );
        assert_eq!(
            read_idx(imgs.clone(), Some(&labels_file(&[1, 2]))).unwrap_err(),
            IdxError::CountMismatch {
                images: 3,
                labels: 2
            }
        );
        assert_eq!(
            read_idx(imgs.clone(), Some(&imgs)).unwrap_err(),
            IdxError::BadMagic {
                what: "labels",
                found: IMAGES_MAGIC,
                expected: LABELS_MAGIC
            }
        );
        assert_eq!(
            read_idx(images_file(0, 2, 2), None).unwrap_err(),
            IdxError::Empty
        );
    }
}
