//! Clustering scores against known classes. Labels are only ever used here, to score.

mod accuracy;
mod hungarian;
mod contingency;

pub use accuracy::accuracy;
pub use contingency::{adjusted_rand_index, normalized_mutual_info};
pub use hungarian::min_cost_assignment;
