#![no_main]
//! Any bytes given to the CSV reader: it returns a table or an error, never panics, and a
//! table it returns is consistent (rows × cols values, all finite, labels per row).

// The readers' modules at this crate's root, where their `crate::` paths expect them.
include!("readers.rs");

use libfuzzer_sys::fuzz_target;
use data::{CsvOptions, LabelColumn, parse_csv};

fuzz_target!(|bytes: &[u8]| {
    for label in [LabelColumn::Auto, LabelColumn::None] {
        let options = CsvOptions {
            label,
            ..CsvOptions::default()
        };
        if let Ok(d) = parse_csv(bytes, &options) {
            assert_eq!(d.features.len(), d.rows * d.cols);
            assert!(d.features.iter().all(|v| v.is_finite()));
            if let Some(l) = &d.labels {
                assert_eq!(l.len(), d.rows);
                assert!(l.iter().all(|&c| (c as usize) < d.label_names.len()));
            }
        }
    }
});
