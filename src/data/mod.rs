//! Turning user files into a numeric matrix the models can train on.

mod csv_export;
mod csv_table;
mod dataset;
mod standardize;

pub use csv_export::append_result_columns;
pub use csv_table::{CsvError, CsvOptions, LabelColumn, parse_csv};
pub use dataset::Dataset;
pub use standardize::standardize;
