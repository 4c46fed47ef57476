//! How many images a browser tab can train on. A set that does not fit fails deep inside an
//! allocation, minutes after loading started, with nothing to say why ("unreachable").
//! Checking the count up front turns that into a refusal that says how many images would fit.
//!
//! Two limits apply in wasm32, and the first to bind is the size of one allocation: Rust
//! caps a single block at `isize::MAX` bytes (2 GiB), and the set's pixel values, as floats,
//! are one block. The whole tab's memory (4 GiB) is not reached first, as long as training
//! costs under 8 bytes of memory per pixel value; see [`BYTES_PER_VALUE`].

use thiserror::Error;

/// What a wasm32 module can address.
pub const WASM32_MEMORY: u64 = 4 << 30;

/// The largest single allocation in wasm32 (`isize::MAX` bytes there).
pub const WASM32_LARGEST_BLOCK: u64 = i32::MAX as u64;

/// Every pixel value is trained on as an `f32`, and all of them sit in one block.
const FLOAT_BYTES: u64 = 4;

/// Bytes of wasm memory per pixel value while training with the default settings: the pixels,
/// their floats and the batches, measured through k-means initialisation and rounded up
/// (measurements: docs/DECISIONS.md, "Memory per pixel value in the page"). Not a limit
/// itself: a unit test checks that a set at the block limit fits in the memory.
pub const BYTES_PER_VALUE: u64 = 6;

/// The rest: the module, the network and its optimiser state.
pub const RESERVE: u64 = 32 << 20;

/// The largest block this build can allocate: wasm32's in the browser, no limit natively (the
/// CLI takes sets of any size).
pub const LARGEST_BLOCK: Option<u64> = if cfg!(target_pointer_width = "32") {
    Some(WASM32_LARGEST_BLOCK)
} else {
    None
};

#[derive(Debug, Error, PartialEq)]
#[error(
    "{} images of {width}×{height}{colour} are more than a browser tab can train on: their pixel values take {} MB as numbers, and this page can hold at most {} MB of them; it takes up to about {} images of this size. Use a subset{smaller}, or the command-line tool (deepclust cluster --input …), which has no such limit",
    grouped(*images as u64), grouped(*need_mb), grouped(*limit_mb), grouped(*fits as u64)
)]
pub struct TooManyImages {
    pub images: usize,
    pub width: usize,
    pub height: usize,
    /// `""` or `" in colour"`.
    pub colour: &'static str,
    pub need_mb: u64,
    pub limit_mb: u64,
    pub fits: usize,
    /// `""` or a hint to pick a smaller image size, for pictures the page resizes.
    pub smaller: &'static str,
}

/// `n` with its thousands separated by commas, as the page writes counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How many items (images, series) of `values_per_item` values each have their floats fit in
/// one block of `largest_block` bytes.
pub fn max_items(values_per_item: usize, largest_block: u64) -> usize {
    let per = (values_per_item as u64).max(1).saturating_mul(FLOAT_BYTES);
    (largest_block / per).min(usize::MAX as u64) as usize
}

/// (MB needed, MB that fit, how many fit) when `count` items of `values` floats each are
/// more than one block of `block` bytes holds; `None` when they fit.
fn over_block(count: usize, values: usize, block: u64) -> Option<(u64, u64, usize)> {
    let fits = max_items(values, block);
    // Rounded up: a need just over the limit must not read as equal to it.
    let mb = |b: u64| b.div_ceil(1 << 20);
    (count > fits).then(|| {
        let need = (count as u64)
            .saturating_mul(values as u64)
            .saturating_mul(FLOAT_BYTES);
        (mb(need), mb(block), fits)
    })
}

#[derive(Debug, Error, PartialEq)]
#[error(
    "{} series of {channels} channel{} × {length} points are more than a browser tab can train on: their values take {} MB as numbers, and this page can hold at most {} MB of them; it takes up to about {} series of this shape. Choose a shorter Length (under the file), use a subset, or the command-line tool (deepclust cluster --input …), which has no such limit",
    grouped(*series as u64), if *channels == 1 { "" } else { "s" }, grouped(*need_mb), grouped(*limit_mb), grouped(*fits as u64)
)]
pub struct TooManySeries {
    pub series: usize,
    pub channels: usize,
    pub length: usize,
    pub need_mb: u64,
    pub limit_mb: u64,
    pub fits: usize,
}

/// Refuses `series` series of `channels × length` values whose floats would not fit in
/// `largest_block` (`None`: no limit), before they are resampled into rows.
pub fn check_series_fit(
    series: usize,
    channels: usize,
    length: usize,
    largest_block: Option<u64>,
) -> Result<(), TooManySeries> {
    let Some(block) = largest_block else {
        return Ok(());
    };
    match over_block(series, channels.saturating_mul(length), block) {
        None => Ok(()),
        Some((need_mb, limit_mb, fits)) => Err(TooManySeries {
            series,
            channels,
            length,
            need_mb,
            limit_mb,
            fits,
        }),
    }
}

/// Refuses `images` images of `width × height × channels` whose floats would not fit in
/// `largest_block` (`None`: no limit). `resizable`: the images are pictures the page resized,
/// so a smaller size is a way out.
pub fn check_images_fit(
    images: usize,
    (width, height, channels): (usize, usize, usize),
    largest_block: Option<u64>,
    resizable: bool,
) -> Result<(), TooManyImages> {
    let Some(block) = largest_block else {
        return Ok(());
    };
    let values = width.saturating_mul(height).saturating_mul(channels);
    let Some((need_mb, limit_mb, fits)) = over_block(images, values, block) else {
        return Ok(());
    };
    Err(TooManyImages {
        images,
        width,
        height,
        colour: if channels == 3 { " in colour" } else { "" },
        need_mb,
        limit_mb,
        fits,
        smaller: if resizable {
            " or a smaller image size (Image size, in the Data section)"
        } else {
            ""
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_at_the_block_limit_fits_in_the_tabs_memory() {
        let values = WASM32_LARGEST_BLOCK / FLOAT_BYTES;
        assert!(values * BYTES_PER_VALUE + RESERVE < WASM32_MEMORY);
    }

    #[test]
    fn the_measured_sets_fit_and_one_past_the_ceiling_does_not() {
        // 540,000 28 × 28 digits trained in the page (bench/largest-set.mjs); 700,000 failed
        // in the allocation of their floats (2,195 MB).
        let limit = Some(WASM32_LARGEST_BLOCK);
        assert!(check_images_fit(540_000, (28, 28, 1), limit, false).is_ok());
        assert!(check_images_fit(684_784, (28, 28, 1), limit, false).is_ok());
        let err = check_images_fit(700_000, (28, 28, 1), limit, false).unwrap_err();
        assert_eq!(err.fits, 684_784);
        assert_eq!(err.limit_mb, 2048);
        assert_eq!(err.need_mb, 2094);
        let text = err.to_string();
        assert!(
            text.starts_with("700,000 images of 28×28 are more than a browser tab can train on"),
            "{text}"
        );
        assert!(text.contains("take 2,094 MB as numbers"), "{text}");
        assert!(text.contains("at most 2,048 MB"), "{text}");
        assert!(text.contains("up to about 684,784 images"), "{text}");
        assert!(text.contains("deepclust cluster"), "{text}");
        assert!(!text.contains("Image size"), "{text}");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (543_547, "543,547"),
        ];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
        assert_eq!(grouped(12_345_678), "12,345,678");
    }

    #[test]
    fn colour_pictures_count_each_channel_and_suggest_a_smaller_size() {
        let block = WASM32_LARGEST_BLOCK;
        let fits = max_items(64 * 64 * 3, block);
        assert_eq!(fits, max_items(64 * 64, block) / 3);
        assert!(check_images_fit(fits, (64, 64, 3), Some(block), true).is_ok());
        let text = check_images_fit(fits + 1, (64, 64, 3), Some(block), true)
            .unwrap_err()
            .to_string();
        assert!(text.contains("of 64×64 in colour"), "{text}");
        assert!(text.contains("smaller image size"), "{text}");
    }

    #[test]
    fn series_count_channels_times_length_and_suggest_a_shorter_length() {
        let block = WASM32_LARGEST_BLOCK;
        // 6 channels of 16,384 points: 393 KB of floats a series, 5,461 series in 2 GiB.
        let fits = max_items(6 * 16_384, block);
        assert_eq!(fits, 5_461);
        assert!(check_series_fit(fits, 6, 16_384, Some(block)).is_ok());
        let err = check_series_fit(fits + 1, 6, 16_384, Some(block)).unwrap_err();
        assert_eq!((err.need_mb, err.limit_mb, err.fits), (2_049, 2_048, 5_461));
        let text = err.to_string();
        assert!(
            text.starts_with("5,462 series of 6 channels × 16384 points"),
            "{text}"
        );
        assert!(text.contains("shorter Length"), "{text}");
        assert!(check_series_fit(usize::MAX, 6, 16_384, None).is_ok());
    }

    #[test]
    fn without_a_limit_any_count_fits_and_nothing_overflows() {
        assert!(check_images_fit(usize::MAX, (usize::MAX, 2, 3), None, false).is_ok());
        assert_eq!(LARGEST_BLOCK, None, "the native build has no ceiling");
        assert_eq!(max_items(0, FLOAT_BYTES / 2), 0);
        let err = check_images_fit(
            usize::MAX,
            (usize::MAX, usize::MAX, 3),
            Some(WASM32_LARGEST_BLOCK),
            false,
        )
        .unwrap_err();
        assert_eq!(err.fits, 0);
    }
}
