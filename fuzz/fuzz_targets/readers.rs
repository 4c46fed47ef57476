// The crate's data readers compiled on their own: the same source files, with the two small
// modules they use, so the fuzzed code is exactly the shipped code.

#[allow(dead_code, unused_imports)]
#[path = "../../src/data/mod.rs"]
pub mod data;
#[allow(dead_code, unused_imports)]
#[path = "../../src/metrics/mod.rs"]
pub mod metrics;
#[allow(dead_code, unused_imports)]
#[path = "../../src/rng.rs"]
pub mod rng;
