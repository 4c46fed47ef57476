//! Turning user files into a numeric matrix the models can train on.

pub mod augment;
mod balanced;
pub mod capacity;
mod csv_build;
mod csv_export;
mod csv_parts;
mod csv_table;
mod spaced;
mod dataset;
mod encoding;
mod gzip;
mod idx;
mod images;
pub mod prepare;
mod samples;
pub mod series;
mod standardize;
mod table;

pub use balanced::uniform_over_labels;
pub use csv_export::append_result_columns;
pub use csv_parts::{JoinedParts, PartsError, are_parts, join_parts};
pub use csv_table::{CsvError, CsvOptions, CsvParse, LabelColumn, parse_csv};
pub use dataset::{Dataset, Items};
pub use encoding::{Encoding, as_utf8};
pub use gzip::{GzipError, gunzip};
pub use idx::{IdxError, read_idx};
pub use images::{
    ImageSet, LabelSource, PIXEL_MAX, centre_square, default_side, discover_labels,
    divide_pixels_by, image_results_csv, resize_square, rgba_to_planes, rms_pixel,
};
pub use samples::{SYNTHETIC_SAMPLES, Sample, synthetic_sample};
pub use standardize::{Scaling, standardize};
pub use table::{DataKind, Source, Table};

/// A text's lines without their ends: a line feed, a carriage return and line feed, or a
/// carriage return alone (old Macs; Excel for Mac's "CSV (Macintosh)"). A carriage return
/// ending the text leaves an empty last line.
pub(crate) fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| line.split('\r'))
}
