//! k-means with k-means++ seeding and `n_init` restarts (Arthur & Vassilvitskii 2007),
//! named as in scikit-learn so its users feel at home.

mod assign;
mod fit;
mod method;
mod params;

pub use fit::KMeans;
pub use method::{METHOD, initial_clusters};
pub use params::{EmptyClusters, KMeansParams, KMeansParamsError, KMeansValidParams};
