//! The page's teaching helpers from the command line: the synthetic samples, and choosing k.

use std::path::{Path, PathBuf};

use deepclust::cluster::ksweep::{KSweep, suggested_k};
use deepclust::data::series::series_sample;
use deepclust::data::synthetic_sample;
use deepclust::project::layout::{LayoutConfig, LayoutFit};
use deepclust::project::{pca_2d, trustworthiness};
use deepclust::rng::Rng;
use deepclust::train::{Trainer, block_on};

use crate::{CliResult, input, write};

pub fn sample(name: &str, seed: u64, out: &Path) -> CliResult<()> {
    if let Some(s) = series_sample(name, seed) {
        return write(out, &s.bytes);
    }
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
    let table = input::load(inputs, &None, &Default::default(), side, colour)?;
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

/// Points scored for trustworthiness (it costs n² log n).
const TRUST_ROWS: usize = 1000;
const TRUST_NEIGHBOURS: usize = 10;

/// How well the two views of a run keep each point's nearest neighbours.
pub struct MapQuality {
    pub seconds: f64,
    pub pca: f64,
    pub map: f64,
}

/// Fits the page's 2-D map on a finished run's cluster space and scores how well it and the
/// PCA view keep each point's 10 nearest neighbours (trustworthiness, 1 = all kept), printing
/// the scores unless `quiet`.
pub fn map_quality(trainer: &Trainer, seed: u64, quiet: bool) -> CliResult<MapQuality> {
    let (z, dim) = block_on(trainer.cluster_space()).map_err(|e| e.to_string())?;
    let rows = z.len() / dim;
    let started = std::time::Instant::now();
    let mut fit = LayoutFit::new(&z, rows, dim, LayoutConfig::map_2d(seed));
    fit.epochs(usize::MAX);
    let map = fit.coords().to_vec();
    let seconds = started.elapsed().as_secs_f64();
    let pca = pca_2d(&z, rows, dim);
    let mut picked = Rng::new(seed).permutation(rows);
    picked.truncate(TRUST_ROWS.min(rows));
    let take = |data: &[f32], width: usize| -> Vec<f32> {
        picked
            .iter()
            .flat_map(|&r| &data[r * width..(r + 1) * width])
            .copied()
            .collect()
    };
    let k = TRUST_NEIGHBOURS.min(picked.len().saturating_sub(1) / 2);
    if k == 0 {
        return Err("too few rows to score a map".into());
    }
    let high = take(&z, dim);
    let t_pca = trustworthiness(&high, dim, &take(&pca, 2), 2, k);
    let t_map = trustworthiness(&high, dim, &take(&map, 2), 2, k);
    if !quiet {
        eprintln!(
            "deepclust: map rows={rows} fit_seconds={seconds:.1} trustworthiness_pca={t_pca:.4} trustworthiness_map={t_map:.4} (k={k}, {} points scored)",
            picked.len()
        );
    }
    Ok(MapQuality {
        seconds,
        pca: t_pca,
        map: t_map,
    })
}

/// The space the clusters live in as CSV (`z0,z1,…`), row for row, for plotting or for
/// another tool.
pub fn embedding_csv(trainer: &Trainer) -> CliResult<String> {
    use std::fmt::Write;
    let (z, dim) = block_on(trainer.cluster_space()).map_err(|e| e.to_string())?;
    let mut out = (0..dim)
        .map(|j| format!("z{j}"))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in z.chunks_exact(dim) {
        for (j, v) in row.iter().enumerate() {
            let sep = if j + 1 == dim { '\n' } else { ',' };
            write!(out, "{v}{sep}").expect("writing to a String cannot fail");
        }
    }
    Ok(out)
}
