//! Driving a method from raw data to cluster labels, a bounded piece at a time so a browser
//! can show progress and stay responsive between pieces.

mod adam;
#[cfg(not(target_family = "wasm"))]
mod block_on;
mod checkpoint;
mod config;
mod device;
mod fitted;
mod host_copy;
mod method_api;
mod model_file;
pub mod probe;
mod rule;
mod settings;
mod step_bench;
mod trainer;

pub use adam::Adam;
#[cfg(not(target_family = "wasm"))]
pub use block_on::block_on;
pub use checkpoint::Checkpoint;
pub use config::{
    ConfigError, ImageShape, RefineOptimizer, SeriesNetwork, SeriesShape, TrainConfig,
    ValidTrainConfig,
};
pub use device::{Backend, choose_device};
pub use fitted::{FittedModel, InputSpec, Placement};
pub use method_api::{Algorithm, BatchMethod, Batched, DataShape, Fut, Refinement, Start};
pub use model_file::{Header, ModelFileError};
pub use rule::{Assignment, ClusterRule, RuleReader, join};
pub use settings::{Settings, SettingsError};
pub use step_bench::AutoencoderSteps;
pub(crate) use trainer::read_back;
pub use trainer::{Phase, Snapshot, StepStats, TrainError, Trainer, TrainerOutput};
