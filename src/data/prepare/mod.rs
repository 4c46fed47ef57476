//! From a table's cells to features, and back to words: which cells are missing, what each
//! column holds and is used for, how the feature columns become numbers (the fitted
//! [`Preparation`], kept in saved models), and what sets each cluster apart ([`Profiles`]).

mod columns;
mod encode;
mod missing;
mod profiles;

pub use columns::{
    BadCell, Cells, Column, EMPTY, Strays, ColumnInfo, DISTINCT_COUNTED, Kind, MAX_CATEGORIES, MISSING_CODE,
    Role, case_free, looks_like_date, read_codes, read_numbers,
};
pub use encode::{
    CATEGORY_WEIGHT, Encoding, MissingPolicy, Preparation, Prepared, ScalingChoice, Unseen,
    shares_one_scale,
};
pub use missing::is_missing;
pub use profiles::{MEASURE, Profiles};
