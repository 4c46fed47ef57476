//! How many images a browser tab can train on. A wasm32 module addresses at most 4 GiB, and a
//! set that does not fit fails deep inside an allocation, minutes after loading started, with
//! nothing to say why. Checking the count against a measured cost per pixel turns that into an
//! up-front refusal that says how many images would fit.

use thiserror::Error;

/// What a wasm32 module can address.
pub const WASM32_MEMORY: u64 = 4 << 30;

/// Bytes of wasm memory per pixel value while training with the default settings: the pixels,
/// their floats, the copy on the device and the batches. Measured by `bench/largest-set.mjs`
/// (2026-12-01): 528 MB for 70,000 28 × 28 images, 4,055 MB for 540,000, so 7.5 KB per image.
pub const BYTES_PER_VALUE: u64 = 10;

/// The rest: the module, the network and its optimiser state.
pub const RESERVE: u64 = 32 << 20;

/// The memory this build can address: the 4 GiB of wasm32 in the browser, no limit natively
/// (the CLI takes sets of any size).
pub const ADDRESSABLE: Option<u64> = if cfg!(target_pointer_width = "32") {
    Some(WASM32_MEMORY)
} else {
    None
};

#[derive(Debug, Error, PartialEq)]
#[error(
    "{} images of {width}×{height}{colour} need about {} MB of memory to train, more than the {} MB a browser tab can give this page; it takes up to about {} images of this size. Use a subset{smaller}, or the command-line tool (deepclust cluster --input …), which has no such limit",
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
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How many images of `values_per_image` pixel values fit in `memory` bytes.
pub fn max_images(values_per_image: usize, memory: u64) -> usize {
    let per = (values_per_image as u64)
        .max(1)
        .saturating_mul(BYTES_PER_VALUE);
    (memory.saturating_sub(RESERVE) / per).min(usize::MAX as u64) as usize
}

/// Refuses `images` images of `width × height × channels` that would not fit in `memory`
/// (`None`: no limit). `resizable`: the images are pictures the page resized, so a smaller
/// size is a way out.
pub fn check_images_fit(
    images: usize,
    (width, height, channels): (usize, usize, usize),
    memory: Option<u64>,
    resizable: bool,
) -> Result<(), TooManyImages> {
    let Some(memory) = memory else {
        return Ok(());
    };
    let values = width.saturating_mul(height).saturating_mul(channels);
    let fits = max_images(values, memory);
    if images <= fits {
        return Ok(());
    }
    // Rounded up: a need just over the limit must not read as equal to it.
    let mb = |b: u64| b.div_ceil(1 << 20);
    Err(TooManyImages {
        images,
        width,
        height,
        colour: if channels == 3 { " in colour" } else { "" },
        need_mb: mb((images as u64)
            .saturating_mul(values as u64)
            .saturating_mul(BYTES_PER_VALUE)
            .saturating_add(RESERVE)),
        limit_mb: mb(memory),
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
    fn the_measured_sets_fit_and_one_past_the_ceiling_does_not() {
        // 540,000 28 × 28 digits trained in the page (bench/largest-set.mjs); 600,000 failed.
        assert!(check_images_fit(540_000, (28, 28, 1), Some(WASM32_MEMORY), false).is_ok());
        assert!(check_images_fit(70_000, (28, 28, 1), Some(WASM32_MEMORY), false).is_ok());
        let err = check_images_fit(600_000, (28, 28, 1), Some(WASM32_MEMORY), false).unwrap_err();
        assert_eq!(err.fits, 543_547);
        assert_eq!(err.limit_mb, 4096);
        assert_eq!(err.need_mb, 4519);
        let text = err.to_string();
        assert!(
            text.starts_with("600,000 images of 28×28 need about 4,519 MB"),
            "{text}"
        );
        assert!(text.contains("than the 4,096 MB"), "{text}");
        assert!(text.contains("up to about 543,547 images"), "{text}");
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
        let fits = max_images(64 * 64 * 3, WASM32_MEMORY);
        assert_eq!(fits, max_images(64 * 64, WASM32_MEMORY) / 3);
        assert!(check_images_fit(fits, (64, 64, 3), Some(WASM32_MEMORY), true).is_ok());
        let text = check_images_fit(fits + 1, (64, 64, 3), Some(WASM32_MEMORY), true)
            .unwrap_err()
            .to_string();
        assert!(text.contains("of 64×64 in colour"), "{text}");
        assert!(text.contains("smaller image size"), "{text}");
    }

    #[test]
    fn without_a_limit_any_count_fits_and_nothing_overflows() {
        assert!(check_images_fit(usize::MAX, (usize::MAX, 2, 3), None, false).is_ok());
        assert_eq!(ADDRESSABLE, None, "the native build has no ceiling");
        assert_eq!(max_images(0, RESERVE / 2), 0);
        let err = check_images_fit(
            usize::MAX,
            (usize::MAX, usize::MAX, 3),
            Some(WASM32_MEMORY),
            false,
        )
        .unwrap_err();
        assert_eq!(err.fits, 0);
    }
}
