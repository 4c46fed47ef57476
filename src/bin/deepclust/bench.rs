//! Hidden `bench-*` subcommands: the deepclust side of `bench/peers/peers.py`, which runs the
//! same measures in PyTorch, scikit-learn and numpy and prints the ratios.

use std::time::Instant;

use deepclust::cluster::kmeans::KMeansParams;
use deepclust::model::Architecture;
use deepclust::rng::Rng;
use deepclust::train::{AutoencoderSteps, block_on};

use super::{CliResult, device};

/// Adam steps of an autoencoder on random data; prints the median ms per step (each
/// step reads its loss back, so GPU work is finished inside the timing).
pub fn step(
    architecture: &Architecture,
    batch: usize,
    steps: usize,
    device_name: &str,
) -> CliResult<()> {
    let (device, used) = device(device_name, true)?;
    let mut s = AutoencoderSteps::new(architecture, batch, 42, device);
    // Warm-up: kernels compile and memory pools fill on the first steps.
    for _ in 0..2 {
        block_on(s.step()).map_err(|e| e.to_string())?;
    }
    let mut ms = Vec::with_capacity(steps);
    for _ in 0..steps.max(1) {
        let t = Instant::now();
        block_on(s.step()).map_err(|e| e.to_string())?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    // Forward, then the backward pass's input and weight gradients: three times the
    // forward multiply-adds, two FLOPs each.
    let flops = (3 * 2 * batch * architecture.multiply_adds()) as f64;
    let median = ms[ms.len() / 2];
    let shape = match architecture {
        Architecture::Dense(dims) => format!(
            "dims={}",
            dims.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
        Architecture::Conv {
            side, embedding, ..
        } => format!("conv={side}x{side} embedding={embedding}"),
        Architecture::Conv1d {
            channels,
            length,
            embedding,
            pooled,
        } => format!(
            "series={channels}x{length} embedding={embedding}{}",
            if *pooled { "" } else { " aligned" }
        ),
        Architecture::Gru {
            channels,
            length,
            embedding,
        } => format!("gru={channels}x{length} embedding={embedding}"),
    };
    println!(
        "step device={used} {shape} batch={batch} median_ms={median:.2} gflops={:.2}",
        flops / (median / 1000.0) / 1e9
    );
    Ok(())
}

/// k-means with one initialisation and a fixed number of iterations on uniform random data;
/// prints the wall time.
pub fn kmeans(rows: usize, dim: usize, k: usize, iters: usize) -> CliResult<()> {
    let mut rng = Rng::new(42);
    let data: Vec<f32> = (0..rows * dim).map(|_| rng.next_f64() as f32).collect();
    let params = KMeansParams::new(k)
        .n_init(1)
        .max_iter(iters)
        .tol(0.0)
        .seed(1)
        .check(rows)
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let km = params.fit(&data, rows, dim);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "kmeans rows={rows} dim={dim} k={k} iters={} ms={ms:.1}",
        km.n_iter()
    );
    Ok(())
}

/// Reading and preparing a `rows` × 20 CSV, generated with a fixed seed: all numbers, then
/// with 2 % of the numeric cells missing (`NA` or empty) and two text columns (5 and 12
/// categories, some missing). Prints the median of three reads of each and their ratio.
pub fn read(rows: usize) -> CliResult<()> {
    use deepclust::data::{CsvOptions, Table};
    let mut rng = Rng::new(11);
    let mut numeric = String::new();
    let mut messy = String::new();
    let names: Vec<String> = (0..20).map(|c| format!("x{c}")).collect();
    numeric += &(names.join(",") + "\n");
    messy += &(names[..18].join(",") + ",colour,town\n");
    const COLOURS: [&str; 5] = ["red", "green", "blue", "grey", "black"];
    for _ in 0..rows {
        let values: Vec<String> = (0..20).map(|_| format!("{:.4}", rng.normal() * 10.0)).collect();
        numeric += &(values.join(",") + "\n");
        let mut cells: Vec<String> = values[..18]
            .iter()
            .map(|v| match rng.below(100) {
                0 => "NA".into(),
                1 => String::new(),
                _ => v.clone(),
            })
            .collect();
        cells.push(if rng.below(50) == 0 { "?".into() } else { COLOURS[rng.below(5)].into() });
        cells.push(format!("town {}", rng.below(12)));
        messy += &(cells.join(",") + "\n");
    }
    let time = |text: &str| -> CliResult<f64> {
        let mut runs = Vec::new();
        for _ in 0..3 {
            let bytes = text.as_bytes().to_vec();
            let t = Instant::now();
            let table = Table::from_csv(bytes, CsvOptions::default()).map_err(|e| e.to_string())?;
            runs.push(t.elapsed().as_secs_f64());
            std::hint::black_box(table);
        }
        runs.sort_by(f64::total_cmp);
        Ok(runs[1])
    };
    let (a, b) = (time(&numeric)?, time(&messy)?);
    println!("read {rows} rows × 20: numeric {:.1} MB {a:.2} s; missing cells + 2 text columns {:.1} MB {b:.2} s; ratio {:.2}",
        numeric.len() as f64 / 1e6, messy.len() as f64 / 1e6, b / a);
    Ok(())
}

/// Neighbour search on `rows` points in `dim` dimensions drawn from 10 Gaussian clusters:
/// prints the wall time of the search N2D and the map use (exact up to its limit, NN-descent
/// above), and its recall against brute force on 300 sampled points.
pub fn knn(rows: usize, dim: usize, k: usize) -> CliResult<()> {
    use deepclust::cluster::sq_dist as sq;
    use deepclust::project::neighbours::{EXACT_LIMIT, nearest_neighbours};
    if k == 0 || k >= rows {
        return Err("need 1 ≤ k < rows".into());
    }
    let mut rng = Rng::new(7);
    let centres: Vec<f64> = (0..10 * dim).map(|_| rng.normal() * 3.0).collect();
    let data: Vec<f32> = (0..rows)
        .flat_map(|i| {
            let c = (i % 10) * dim;
            (0..dim)
                .map(|d| (centres[c + d] + rng.normal()) as f32)
                .collect::<Vec<_>>()
        })
        .collect();
    let t = Instant::now();
    let n = nearest_neighbours(&data, rows, dim, k, 1);
    let seconds = t.elapsed().as_secs_f64();
    let mut hits = 0;
    let probes: Vec<usize> = Rng::new(3).permutation(rows)[..300.min(rows)].to_vec();
    for &i in &probes {
        let x = &data[i * dim..(i + 1) * dim];
        let mut all: Vec<(f32, usize)> = (0..rows)
            .filter(|&j| j != i)
            .map(|j| (sq(x, &data[j * dim..(j + 1) * dim]), j))
            .collect();
        all.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
        let truth: Vec<usize> = all[..k].iter().map(|p| p.1).collect();
        hits += n.indices[i * k..(i + 1) * k]
            .iter()
            .filter(|&&j| truth.contains(&(j as usize)))
            .count();
    }
    println!(
        "knn rows={rows} dim={dim} k={k} method={} seconds={seconds:.2} recall={:.4}",
        if rows <= EXACT_LIMIT {
            "exact"
        } else {
            "nn-descent"
        },
        hits as f64 / (probes.len() * k) as f64
    );
    Ok(())
}
