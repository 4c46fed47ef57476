//! The page's teaching helpers from the command line: the synthetic samples, and choosing k.

use std::path::{Path, PathBuf};

use deepclust::cluster::ksweep::{KSweep, suggested_k};
use deepclust::data::synthetic_sample;

use crate::{CliResult, input, write};

pub fn sample(name: &str, seed: u64, out: &Path) -> CliResult<()> {
    let s = synthetic_sample(name, seed).ok_or_else(|| format!("no sample called \"{name}\""))?;
    write(out, &s.to_csv())
}

/// Prints one line per k and the suggestion; the table goes to stdout so it can be piped.
pub fn choose_k(
    inputs: &[PathBuf],
    max_k: usize,
    seed: u64,
    side: Option<usize>,
    colour: bool,
) -> CliResult<()> {
    // A label column is left out of the features by the usual rule; labels play no part here.
    let table = input::load(inputs, &None, side, colour)?;
    let d = &table.dataset;
    let sweep = KSweep::new(&d.features, d.rows, d.cols, seed);
    let top = max_k.min(sweep.max_k());
    if top < 2 {
        return Err(format!(
            "--max-k must be at least 2 and the data needs at least 4 rows ({} here)",
            d.rows
        ));
    }
    if sweep.rows() < d.rows {
        eprintln!(
            "deepclust: k-means runs on a seeded sample of {} of the {} rows",
            sweep.rows(),
            d.rows
        );
    }
    println!("k,inertia,silhouette");
    let mut points = Vec::new();
    for k in 2..=top {
        let p = sweep.point(k).map_err(|e| e.to_string())?;
        println!("{},{:.6},{:.6}", p.k, p.inertia, p.silhouette);
        points.push(p);
    }
    match suggested_k(&points) {
        Some(k) => eprintln!("deepclust: suggested k = {k} (highest silhouette)"),
        None => eprintln!("deepclust: no k has a silhouette: the data may have no clusters"),
    }
    Ok(())
}
