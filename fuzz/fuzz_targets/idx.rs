#![no_main]
//! Any bytes given to the IDX reader (as images, and split into images + labels): an image
//! set or an error, never a panic, and a set it returns holds exactly its images' pixels.

// The readers' modules at this crate's root, where their `crate::` paths expect them.
include!("readers.rs");

use libfuzzer_sys::fuzz_target;
use data::read_idx;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(set) = read_idx(bytes, None) {
        assert_eq!(set.pixels.len(), set.len() * set.image_len());
    }
    let cut = bytes.len() / 2;
    if let Ok(set) = read_idx(&bytes[..cut], Some(&bytes[cut..])) {
        assert_eq!(set.labels.as_ref().map(Vec::len), Some(set.len()));
    }
});
