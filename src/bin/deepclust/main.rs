//! `deepclust`: the browser's models from the command line, for data too big for a tab or a
//! workstation GPU. Same defaults and same code paths as the page (see `README.md`, "Command
//! line").

mod args;
mod bench;
mod explore;
mod input;
mod malloc;
mod progress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use burn::tensor::{Device, DeviceKind};
use deepclust::cluster::Method;
use deepclust::data::series::channels_sentence;
use deepclust::data::{Source, Table};
use deepclust::rng::Rng;
use deepclust::train::{Backend, FittedModel, Phase, Trainer, block_on, choose_device};

use args::{ClusterArgs, Command, PredictArgs};
use progress::Progress;

fn main() -> ExitCode {
    malloc::keep_freed_memory();
    let command = args::parse();
    let result = match command {
        Command::Cluster(a) => cluster(a),
        Command::Predict(a) => predict(a),
        Command::Sample { name, seed, out } => explore::sample(&name, seed, &out),
        Command::Columns {
            input,
            labels,
            table,
            json,
        } => columns(&input, &labels, &table, json),
        Command::Methods { json } => {
            print!(
                "{}",
                if json {
                    deepclust::cluster::registry::methods_json() + "\n"
                } else {
                    deepclust::cluster::registry::methods_table()
                }
            );
            Ok(())
        }
        Command::ChooseK {
            input,
            max_k,
            seed,
            side,
            colour,
        } => explore::choose_k(&input, max_k, seed, side, colour),
        Command::BenchStep {
            architecture,
            batch,
            steps,
            device,
        } => bench::step(&architecture, batch, steps, &device),
        Command::BenchKnn { rows, dim, k } => bench::knn(rows, dim, k),
        Command::BenchRead { rows } => bench::read(rows),
        Command::BenchKmeans {
            rows,
            dim,
            k,
            iters,
        } => bench::kmeans(rows, dim, k, iters),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("deepclust: {message}");
            ExitCode::from(2)
        }
    }
}

/// Errors are sentences for the person at the terminal.
pub(crate) type CliResult<T> = Result<T, String>;

/// `auto` takes a hardware GPU (discrete, then integrated) and otherwise the CPU backend:
/// a software rasteriser such as lavapipe is a CPU pretending to be a GPU, and burn's CPU
/// backend beats it by a wide margin. `wgpu` takes any adapter, software ones included.
/// The faster of the CPU and `gpu` for a few training steps of this run's network.
fn faster_device(
    config: &deepclust::train::TrainConfig,
    rows: usize,
    gpu: Device,
    quiet: bool,
) -> CliResult<(Device, &'static str)> {
    use deepclust::train::probe::{ProbeResult, step_ms};
    let started = Instant::now();
    let now = move || started.elapsed().as_secs_f64() * 1000.0;
    let architecture = config.architecture();
    let batch = config.batch_size.min(rows).max(1);
    let time = |device: Device| block_on(step_ms(&architecture, batch, device, 500.0, &now)).map_err(|e| e.to_string());
    let probe = ProbeResult {
        cpu_ms: time(Device::flex())?,
        gpu_ms: time(gpu.clone())?,
    };
    if !quiet {
        eprintln!(
            "deepclust: {} (a training step: CPU {:.1} ms, wgpu {:.1} ms)",
            probe.describe("wgpu", ""),
            probe.cpu_ms,
            probe.gpu_ms
        );
    }
    Ok(if probe.gpu_faster() { (gpu, "wgpu") } else { (Device::flex(), "cpu") })
}

fn device(choice: &str, quiet: bool) -> CliResult<(Device, &'static str)> {
    match choice {
        "cpu" => Ok((Device::flex(), "cpu")),
        "wgpu" => {
            let (device, backend, why_not) = block_on(choose_device(true));
            match backend {
                Backend::Gpu => Ok((device, "wgpu")),
                Backend::Cpu => Err(format!(
                    "--device wgpu: no GPU adapter came up ({}); use --device cpu or auto",
                    why_not.unwrap_or_default()
                )),
            }
        }
        _ => {
            for kind in [DeviceKind::DiscreteGpu(0), DeviceKind::IntegratedGpu(0)] {
                if let Ok(device) = Device::wgpu_options().device_kind(kind).init() {
                    return Ok((device, "wgpu"));
                }
            }
            if !quiet {
                eprintln!(
                    "deepclust: no hardware GPU found; training on the CPU (--device wgpu uses a software adapter if there is one)"
                );
            }
            Ok((Device::flex(), "cpu"))
        }
    }
}

fn cluster(a: ClusterArgs) -> CliResult<()> {
    can_write(&[
        ("--out", Some(&a.out)),
        ("--metrics", a.metrics.as_ref()),
        ("--save-model", a.save_model.as_ref()),
        ("--profiles", a.profiles.as_ref()),
        ("--embedding", a.embedding.as_ref()),
    ])?;
    let mut table = input::load(&a.input, &a.labels, &a.table, a.side, a.colour)?;
    if let Some(n) = a.subset {
        table = subset(table, n, a.seed)?;
    }
    let d = &table.dataset;
    if !a.quiet {
        for w in &d.warnings {
            eprintln!("deepclust: note: {w}");
        }
    }
    let settings = args::settings(&a, table.kind())?;
    let method = settings.method;
    let config = settings.config(&table);
    // Settings the data cannot take are said before a device is looked for.
    config.clone().check(d.rows, d.cols).map_err(|e| e.to_string())?;
    let (device, device_name) = device(&a.device, a.quiet)?;
    // auto with a GPU: the run's own network decides, timed on both.
    let (device, device_name) = if a.device == "auto" && device_name == "wgpu" && method.is_deep() {
        faster_device(&config, d.rows, device, a.quiet)?
    } else {
        (device, device_name)
    };
    let mut trainer = Trainer::new(config, d.features.clone(), d.rows, d.cols, device)
        .map_err(|e| e.to_string())?;
    trainer.set_valid(d.valid.clone());
    // Big steps: nothing needs to stay responsive between them here, and fewer readbacks are
    // faster. A step still ends at every epoch boundary, so progress stays current.
    trainer.set_batches_per_step(1 << 20);
    let started = Instant::now();
    let progress = Progress::new(a.quiet, method.name());
    loop {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let stats = block_on(trainer.step(ms)).map_err(|e| e.to_string())?;
        progress.update(&stats);
        if stats.phase == Phase::Done {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    progress.finish(seconds);
    let out = trainer.output().expect("training is done");
    let map_quality = if a.map_quality {
        Some(explore::map_quality(&trainer, a.seed, a.quiet)?)
    } else {
        None
    };
    if let Some(path) = &a.embedding {
        write(path, explore::embedding_csv(&trainer)?.as_bytes())?;
    }
    if !a.quiet {
        for w in trainer.warnings() {
            eprintln!("deepclust: warning: {w}");
        }
        if let Some((list, names)) = table.channel_differences(&out.labels, settings.k).filter(|d| d.1.len() > 1) {
            eprintln!("deepclust: {}", channels_sentence(names, &list));
        }
    }
    let csv = table
        .result_csv(&out.labels, &out.confidence)
        .map_err(|e| e.to_string())?;
    write(&a.out, &csv)?;
    if let Some(path) = &a.profiles {
        write_profiles(&table, &out.labels, settings.k, path, a.quiet)?;
    }
    let scores = table.scores(&out.labels);
    if let (Some(s), false) = (&scores, a.quiet) {
        eprintln!(
            "deepclust: ACC {:.4}  NMI {:.4}  ARI {:.4}  ({} rows, {seconds:.1} s on {device_name})",
            s.acc, s.nmi, s.ari, d.rows
        );
    }
    if let Some(path) = &a.metrics {
        let json = metrics_json(
            &table,
            &a,
            method,
            device_name,
            seconds,
            scores,
            map_quality,
        );
        write(path, json.as_bytes())?;
    }
    if let Some(path) = &a.save_model {
        let model = block_on(trainer.fitted(d.feature_names.clone(), d.preparation.clone(), table.series_input()))
            .map_err(|e| e.to_string())?
            .expect("training is done");
        let bytes = model.to_bytes().map_err(|e| e.to_string())?;
        write(path, &bytes)?;
    }
    Ok(())
}

fn subset(table: Table, n: usize, seed: u64) -> CliResult<Table> {
    let Source::Images(set) = &table.source else {
        return Err("--subset works on images; cut a CSV with other tools".into());
    };
    if n >= set.len() {
        return Ok(table);
    }
    let mut rows = Rng::new(seed).permutation(set.len());
    rows.truncate(n);
    rows.sort_unstable();
    Ok(Table::from_images(set.select(&rows)))
}

fn metrics_json(
    table: &Table,
    a: &ClusterArgs,
    method: Method,
    device: &str,
    seconds: f64,
    scores: Option<deepclust::metrics::Scores>,
    map: Option<explore::MapQuality>,
) -> String {
    let d = &table.dataset;
    let number = |v: Option<f64>| v.map_or("null".to_string(), |v| format!("{v:.6}"));
    format!(
        "{{\n  \"input\": \"{}\",{}\n  \"method\": \"{}\",\n  \"k\": {},\n  \"seed\": {},\n  \"device\": \"{device}\",\n  \"rows\": {},\n  \"cols\": {},\n  \"seconds\": {seconds:.3},\n  \"acc\": {},\n  \"nmi\": {},\n  \"ari\": {}\n}}\n",
        a.input
            .iter()
            .map(|p| p.display().to_string().replace(['"', '\\'], "_"))
            .collect::<Vec<_>>()
            .join(" + "),
        map.map_or(String::new(), |m| format!(
            "\n  \"map_seconds\": {:.3},\n  \"trustworthiness_pca\": {:.6},\n  \"trustworthiness_map\": {:.6},",
            m.seconds, m.pca, m.map
        )),
        method.name(),
        a.k,
        a.seed,
        d.rows,
        d.cols,
        number(scores.map(|s| s.acc)),
        number(scores.map(|s| s.nmi)),
        number(scores.map(|s| s.ari)),
    )
}

fn predict(a: PredictArgs) -> CliResult<()> {
    can_write(&[("--out", Some(&a.out)), ("--profiles", a.profiles.as_ref())])?;
    let bytes = std::fs::read(&a.model)
        .map_err(|e| format!("cannot read the model {}: {e}", a.model.display()))?;
    let (device, _) = device(&a.device, a.quiet)?;
    let model = FittedModel::from_bytes(&bytes, &device)
        .map_err(|e| format!("{}: {e}", a.model.display()))?;
    let shown = input::shown(&a.inputs);
    let table = match model.input().image {
        None if let Some(series) = &model.input().series => {
            let set = input::series_for_model(&a.inputs, series)?;
            model.series_table(set).map_err(|e| format!("{shown}: {e}"))?
        }
        Some(shape) => {
            let wants = format!(
                "{shown}: the model was trained on pictures ({0}×{0}); give it PNG files or a folder of them",
                shape.side
            );
            let pictures = |p: &PathBuf| p.is_dir() || input::is_image(p) || input::is_idx(p);
            if !a.inputs.iter().all(pictures) {
                return Err(wants);
            }
            let table = input::load(&a.inputs, &None, &Default::default(), Some(shape.side), shape.channels == 3)?;
            match table.image_shape() {
                None => return Err(wants),
                Some((channels, side)) if (channels, side) != (shape.channels, shape.side) => {
                    return Err(format!(
                        "{shown}: the model was trained on {0}×{0} {1} images; these are {side}×{side} {2}",
                        shape.side,
                        if shape.channels == 3 { "colour" } else { "grayscale" },
                        if channels == 3 { "colour" } else { "grayscale" }
                    ));
                }
                Some(_) => table,
            }
        }
        None => input::table_for_model(&a.inputs, &model)?,
    };
    let d = &table.dataset;
    let (labels, confidence) =
        block_on(model.predict(&d.features, d.rows)).map_err(|e| e.to_string())?;
    if !a.quiet {
        for w in &d.warnings {
            eprintln!("deepclust: note: {w}");
        }
    }
    let csv = table
        .result_csv(&labels, &confidence)
        .map_err(|e| e.to_string())?;
    write(&a.out, &csv)?;
    if let Some(path) = &a.profiles {
        write_profiles(&table, &labels, model.n_clusters(), path, a.quiet)?;
    }
    Ok(())
}

/// The profiles CSV, and each cluster's sentence on standard error.
fn write_profiles(table: &Table, labels: &[u32], k: usize, path: &Path, quiet: bool) -> CliResult<()> {
    let profiles = table
        .profiles(labels, k)
        .map_err(|e| e.to_string())?
        .ok_or("--profiles describes the columns of a table or the channels of series; images have none")?;
    if !quiet {
        for c in &profiles.clusters {
            eprintln!("deepclust: {}", c.description);
        }
    }
    write(path, &profiles.to_csv())
}

/// `deepclust columns`: the columns table the page shows, as text or JSON.
fn columns(input: &Path, labels: &Option<String>, table: &args::TableArgs, json: bool) -> CliResult<()> {
    let bytes = input::read(input)?;
    let t = Table::from_csv(bytes, input::csv_options(labels, table))
        .map_err(|e| format!("{}: {e}", input.display()))?;
    let d = &t.dataset;
    let text = if json {
        let list: Vec<serde_json::Value> = d
            .column_info
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "kind": c.kind.name(), "role": c.role.name(), "missing": c.missing, "distinct": c.distinct, "reason": c.reason}))
            .collect();
        serde_json::Value::Array(list).to_string() + "\n"
    } else {
        let width = d.column_info.iter().map(|c| c.name.chars().count()).max().unwrap_or(4).max(6);
        let mut out = format!("{:width$}  {:11}  {:8}  {:>7}  why\n", "column", "kind", "role", "missing");
        for c in &d.column_info {
            out += &format!("{:width$}  {:11}  {:8}  {:>7}  {}\n", c.name, c.kind.name(), c.role.name(), c.missing, c.reason);
        }
        out += &format!("{} of {} rows, {} features\n", d.rows, d.file_rows, d.cols);
        for w in &d.warnings {
            out += &format!("note: {w}\n");
        }
        out
    };
    write(Path::new("-"), text.as_bytes())
}

/// Refuses, before any reading or training, output paths that could not be written: a folder
/// that does not exist, or a folder where a file should go.
fn can_write(outputs: &[(&str, Option<&PathBuf>)]) -> CliResult<()> {
    for (flag, path) in outputs {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            continue;
        };
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            let what = if parent.exists() { "is not a folder" } else { "does not exist" };
            return Err(format!(
                "{flag} {}: {} {what}; create the folder or write somewhere else (checked before training, so no run is lost)",
                path.display(),
                parent.display()
            ));
        }
        if path.is_dir() {
            return Err(format!("{flag} {}: that is a folder; give a file name in it", path.display()));
        }
    }
    Ok(())
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> CliResult<()> {
    if path == Path::new("-") {
        use std::io::Write;
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}"));
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
