//! Command-line arguments (clap's builder API: no derive macros to compile).

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command as Clap, value_parser};
use deepclust::cluster::gmm::Covariance;
use deepclust::cluster::{FeatureSpace, Method, Setting};
use deepclust::data::DataKind;
use deepclust::model::Architecture;
use deepclust::train::{SeriesNetwork, Settings};

// Parsed once per process.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Cluster(ClusterArgs),
    Predict(PredictArgs),
    Methods {
        json: bool,
    },
    Columns {
        input: PathBuf,
        labels: Option<String>,
        table: TableArgs,
        json: bool,
    },
    Sample {
        name: String,
        seed: u64,
        out: PathBuf,
    },
    ChooseK {
        input: Vec<PathBuf>,
        max_k: usize,
        seed: u64,
        side: Option<usize>,
        colour: bool,
    },
    BenchStep {
        architecture: Architecture,
        batch: usize,
        steps: usize,
        device: String,
    },
    BenchRead {
        rows: usize,
    },
    BenchKnn {
        rows: usize,
        dim: usize,
        k: usize,
    },
    BenchKmeans {
        rows: usize,
        dim: usize,
        k: usize,
        iters: usize,
    },
}

pub struct ClusterArgs {
    pub input: Vec<PathBuf>,
    pub labels: Option<String>,
    pub table: TableArgs,
    pub profiles: Option<PathBuf>,
    pub method: String,
    pub k: usize,
    pub device: String,
    pub seed: u64,
    pub out: PathBuf,
    pub metrics: Option<PathBuf>,
    pub save_model: Option<PathBuf>,
    pub epochs: Option<usize>,
    pub gamma: Option<f32>,
    pub corruption: Option<f32>,
    pub pixel_divisor: Option<f32>,
    pub soft_em: bool,
    pub no_consistency: bool,
    pub temperature: Option<f32>,
    pub neighbours: Option<usize>,
    pub space: Option<String>,
    pub covariance: Option<String>,
    pub series_network: Option<String>,
    pub side: Option<usize>,
    pub colour: bool,
    pub subset: Option<usize>,
    pub map_quality: bool,
    pub embedding: Option<PathBuf>,
    pub quiet: bool,
}

/// How a CSV's columns are used.
#[derive(Default)]
pub struct TableArgs {
    pub ignore: Vec<String>,
    pub missing: Option<String>,
    pub scaling: Option<String>,
    /// Series: a long CSV's id and time columns, the common length and their scaling.
    pub series_id: Option<String>,
    /// Each row of the CSV is a series (the wide layout).
    pub series_rows: bool,
    pub series_time: Option<String>,
    pub length: Option<usize>,
    pub series_scaling: Option<String>,
    pub series_lengths: Option<String>,
    pub files_as: Option<String>,
}

pub struct PredictArgs {
    pub model: PathBuf,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub profiles: Option<PathBuf>,
    pub device: String,
    pub quiet: bool,
}

const INPUT_HELP: &str = "A CSV file, an MNIST-style images-idx3-ubyte file (gzipped or not; \
    its labels-idx1-ubyte file next to it is found by name), a folder of PNG images \
    (labels from a labels.csv in it, or from subfolder names), or time series: the UCR/UEA \
    archive's .ts, .arff or NAME_TRAIN.tsv files, or several CSV files or a folder of them \
    (one series each, or each one channel: --files-as)";

fn device_arg() -> Arg {
    Arg::new("device")
        .long("device")
        .value_parser(["auto", "wgpu", "cpu"])
        .default_value("auto")
        .help("auto: the GPU through wgpu when an adapter comes up, else the CPU")
}

fn quiet_arg() -> Arg {
    Arg::new("quiet")
        .long("quiet")
        .short('q')
        .action(ArgAction::SetTrue)
        .help("No progress bar or notes on stderr (errors are still printed)")
}

/// The methods that use `setting`, for the flags' help.
fn using(setting: Setting) -> String {
    Method::all()
        .filter(|m| m.def().settings.contains(&setting))
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn labels_arg() -> Arg {
    Arg::new("labels").long("labels").alias("label").help(
        "Known classes, used only to score: a label column name (CSV, any column, text too; default: a column named label, class or target; \"none\" for none), \
         a labels-idx1-ubyte file, or a labels.csv (filename,label) for a folder",
    )
}

fn table_args() -> [Arg; 10] {
    [
        Arg::new("ignore").long("ignore").value_delimiter(',').action(ArgAction::Append)
            .help("CSV columns to leave out, comma-separated (ids, dates and free text are left out anyway; `deepclust columns` shows what is)"),
        Arg::new("missing").long("missing").value_parser(["fill", "drop"])
            .help("Missing cells (empty, NA, N/A, NaN, null, None, ?, …): fill with each column's median or most frequent value (default), or drop the rows that have them (their cluster is left empty)"),
        Arg::new("scaling").long("scaling").value_parser(["auto", "standard", "shared"])
            .help("How numeric columns are scaled: standard (each to mean 0, standard deviation 1), shared (centred, one scale for all: columns in one unit, such as pixels), or auto (default: shared when at least 8 numeric columns span similar ranges)"),
        Arg::new("series-id").long("series-id")
            .help("Read the CSV as time series in the long layout: this column names the series, each row is one time step, every other column of numbers a channel (a column named like a time or holding dates is taken as the time, text columns are left out, both said; --label names the class column)"),
        Arg::new("series-rows").long("series-rows").action(ArgAction::SetTrue).conflicts_with("series-time")
            .help("Read the CSV as time series, one in each row: its value columns, in order, are the time steps (one channel, or several when named as each channel's numbered steps: acc_x_1…acc_x_100, acc_y_1…; empty cells at a row's end make it shorter). --series-id then names a column that names each series, --label the class column, --ignore columns left out"),
        Arg::new("series-time").long("series-time")
            .help("The column that orders each series' rows (numbers or sortable text such as ISO dates), or none: the file's order, and no column taken for the time by itself (default: a column named like a time, Time (s) or timestamp, or holding dates; else the file's order)"),
        Arg::new("length").long("length").value_parser(value_parser!(usize))
            .help("Series: the common length every series is resampled or padded to (default: their own when equal, else their median when resampled or the longest when padded, at most 512)"),
        Arg::new("series-lengths").long("series-lengths").value_parser(["auto", "resample", "pad"])
            .help("Series of unequal lengths: resample each to the common length (one course at different speeds), pad the shorter ones at the end and leave the padding out of training (recordings that start together and stop at different times), or auto (default: whichever makes the series match better as they stand)"),
        Arg::new("series-scaling").long("series-scaling").value_parser(["auto", "channel", "series", "none"])
            .help("Series: standardise each channel over all series (channel: amplitude differences count), each series on its own (series: shapes only), or none; auto (default) takes channel unless that leaves most series nearly flat"),
        Arg::new("files-as").long("files-as").value_parser(["auto", "series", "channels"])
            .help("Several CSV files, or a folder of them: series (each file adds series: one per file, a row per time step, or with --series-rows one per row), channels (each file is one channel of the same series, a series in each row: UCI HAR's Inertial Signals; a one-column y_train.txt beside them gives the classes), or auto (default: channels when the files have no header, the same rows, and rows that change less from value to value than columns do)"),
    ]
}

fn table(m: &ArgMatches) -> TableArgs {
    TableArgs {
        ignore: m.get_many::<String>("ignore").map(|v| v.cloned().collect()).unwrap_or_default(),
        missing: m.get_one::<String>("missing").cloned(),
        scaling: m.get_one::<String>("scaling").cloned(),
        series_id: m.get_one::<String>("series-id").cloned(),
        series_rows: m.get_flag("series-rows"),
        series_time: m.get_one::<String>("series-time").cloned(),
        length: m.get_one::<usize>("length").copied(),
        series_scaling: m.get_one::<String>("series-scaling").cloned(),
        series_lengths: m.get_one::<String>("series-lengths").cloned(),
        files_as: m.get_one::<String>("files-as").cloned(),
    }
}

fn cli() -> Clap {
    let methods: Vec<&'static str> = std::iter::once("auto").chain(Method::all().map(|m| m.name())).collect();
    Clap::new("deepclust")
        .about("Deep clustering of tables and images, on the GPU or the CPU (`deepclust methods` lists the methods)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Clap::new("cluster")
                .about("Train a method and write each row's cluster")
                .arg(Arg::new("input").long("input").short('i').required(true).action(ArgAction::Append).value_parser(value_parser!(PathBuf))
                    .help(format!("{INPUT_HELP}. Give several IDX image files to train on them together (MNIST's train and t10k files make MNIST-70k), or a set's train and test series files")))
                .arg(labels_arg())
                .args(table_args())
                .arg(Arg::new("profiles").long("profiles").value_parser(value_parser!(PathBuf))
                    .help("Also write what sets each cluster apart (CSV: cluster, size, feature, category, cluster value, overall value, standardised difference); for series, each channel's level and movement (its series' means and standard deviations) as the features"))
                .arg(Arg::new("method").long("method").short('m').default_value("auto").value_parser(methods)
                    .help(format!("The method (default auto: {} for tables, {} for images, {} for time series, the best on average in our measurements: docs/DECISIONS.md)", Method::default_for(DataKind::Table).name(), Method::default_for(DataKind::Images).name(), Method::default_for(DataKind::Series).name())))
                .arg(Arg::new("k").long("k").short('k').required(true).value_parser(value_parser!(usize)).help("Number of clusters"))
                .arg(device_arg())
                .arg(Arg::new("seed").long("seed").default_value("42").value_parser(value_parser!(u64)))
                .arg(Arg::new("out").long("out").short('o').required(true).value_parser(value_parser!(PathBuf))
                    .help("Where to write the results: the CSV with cluster and confidence columns added (file,cluster,confidence for images); - for stdout"))
                .arg(Arg::new("metrics").long("metrics").value_parser(value_parser!(PathBuf)).help("Write ACC, NMI, ARI, time and device as JSON"))
                .arg(Arg::new("save-model").long("save-model").value_parser(value_parser!(PathBuf)).help("Save the trained model (for predict)"))
                .arg(Arg::new("epochs").long("epochs").value_parser(value_parser!(usize)).help("Pretraining epochs (default: sized to the data and the method, 10 to 300)"))
                .arg(Arg::new("gamma").long("gamma").value_parser(value_parser!(f32)).help(format!("Weight of the clustering loss ({}; default 0.1 or the method's own)", using(Setting::Gamma))))
                .arg(Arg::new("corruption").long("corruption").value_parser(value_parser!(f32)).help("Share of inputs hidden during pretraining, in [0, 1) (default 0.2, a denoising autoencoder; 0 where a method's authors pretrain without it)"))
                .arg(Arg::new("pixel-divisor").long("pixel-divisor").value_parser(value_parser!(f32)).help("Images reach the network as pixel / this (default 255, pixels in 0..1, or the method's own; `deepclust methods --json` says which). Ignored for CSV files"))
                .arg(Arg::new("soft-em").long("soft-em").action(ArgAction::SetTrue).help(format!("{}: soft responsibilities in the M-step instead of the most responsible cluster", using(Setting::SoftEm))))
                .arg(Arg::new("temperature").long("temperature").value_parser(value_parser!(f32)).help(format!("{}: τ of the components σ((cos − 1)/τ) (default 0.1; smaller is sharper)", using(Setting::Temperature))))
                .arg(Arg::new("neighbours").long("neighbours").alias("neighbors").value_parser(value_parser!(usize)).help(format!("{}: neighbours per row in the UMAP graph (default: the paper's 20; for images whose clusters average under 300, images / (15 k), at least 5)", using(Setting::Neighbours))))
                .arg(Arg::new("no-consistency").long("no-consistency").action(ArgAction::SetTrue).help(format!("{} on images: leave out the consistency term over shifted, noisy copies", using(Setting::Consistency))))
                .arg(Arg::new("space").long("space").value_parser(["raw", "embedding"]).help(format!("What {} cluster (default raw)", using(Setting::FeatureSpace))))
                .arg(Arg::new("covariance").long("covariance").value_parser(["diagonal", "full"]).help(format!("Covariance of {} (default diagonal)", using(Setting::Covariance))))
                .arg(Arg::new("series-network").long("series-network").value_parser(["auto", "conv", "conv-aligned", "gru"]).default_value("auto").help("Time series: the autoencoder every method trains. auto: conv-aligned when the series line up in time (shifting one against another does not improve their match), else conv; conv: convolutions pooled over time (finds a pattern wherever it happens); conv-aligned: convolutions that keep time order (outlines, spectra, segmented beats); gru: a recurrent network as in DISC (slower, steps through time)"))
                .arg(Arg::new("side").long("side").value_parser(value_parser!(usize)).help("Image side to resize a folder of pictures to (default: 64, 32 or 28 by their sizes)"))
                .arg(Arg::new("colour").long("colour").alias("color").action(ArgAction::SetTrue).help("Keep colour (3 channels) instead of grayscale"))
                .arg(Arg::new("subset").long("subset").value_parser(value_parser!(usize))
                    .help("Train on this many images drawn at random (seeded by --seed); for quick benchmarks"))
                .arg(Arg::new("embedding").long("embedding").value_parser(value_parser!(PathBuf))
                    .help("Also write the space the clusters live in (the embedding; N2D's manifold), one row per input row, as CSV"))
                .arg(Arg::new("map-quality").long("map-quality").action(ArgAction::SetTrue)
                    .help("After training, fit the page's 2-D map and print its trustworthiness next to the PCA view's"))
                .arg(quiet_arg()),
        )
        .subcommand(
            Clap::new("predict")
                .about("Place new rows or images in the clusters of a saved model")
                .arg(Arg::new("model").long("model").required(true).value_parser(value_parser!(PathBuf)))
                .arg(Arg::new("input").long("input").short('i').required(true).action(ArgAction::Append).value_parser(value_parser!(PathBuf))
                    .help(format!("{INPUT_HELP}. Give --input again for more files of the same kind (pictures, recordings, a table's parts)")))
                .arg(Arg::new("out").long("out").short('o').required(true).value_parser(value_parser!(PathBuf)))
                .arg(Arg::new("profiles").long("profiles").value_parser(value_parser!(PathBuf))
                    .help("Also write what sets each cluster of these rows apart (CSV; for series, each channel's level and movement); not for images"))
                .arg(device_arg())
                .arg(quiet_arg()),
        )
        .subcommand(
            Clap::new("columns")
                .about("Show how a CSV's columns would be used: detected kind, missing cells, role and why")
                .arg(Arg::new("input").long("input").short('i').required(true).value_parser(value_parser!(PathBuf)))
                .arg(labels_arg())
                .args(table_args())
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("As JSON")),
        )
        .subcommand(
            Clap::new("methods")
                .about("List the methods: name, title, the data each takes, what it does")
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("As JSON, with each method's help, settings and step-by-step texts")),
        )
        .subcommand(
            Clap::new("sample")
                .about("Write one of the page's synthetic teaching sets: a 2-D one as CSV (x,y[,label]), or series: cbf as .ts, activities as a CSV with a series in each row (cluster it with --series-rows --series-id recording --label activity)")
                .arg(Arg::new("name").required(true).value_parser(clap::builder::PossibleValuesParser::new(
                    deepclust::data::SYNTHETIC_SAMPLES.iter().chain(&deepclust::data::series::SERIES_SAMPLES).copied(),
                )))
                .arg(Arg::new("seed").long("seed").default_value("42").value_parser(value_parser!(u64)))
                .arg(Arg::new("out").long("out").short('o').default_value("-").value_parser(value_parser!(PathBuf)).help("- for stdout")),
        )
        .subcommand(
            Clap::new("choose-k")
                .about("k-means for k = 2..max-k with inertia and silhouette, and the suggested k (highest silhouette)")
                .arg(Arg::new("input").long("input").short('i').required(true).action(ArgAction::Append).value_parser(value_parser!(PathBuf)).help(INPUT_HELP))
                .arg(Arg::new("max-k").long("max-k").default_value("10").value_parser(value_parser!(usize)))
                .arg(Arg::new("seed").long("seed").default_value("42").value_parser(value_parser!(u64)))
                .arg(Arg::new("side").long("side").value_parser(value_parser!(usize)).help("Image side for a folder of pictures"))
                .arg(Arg::new("colour").long("colour").alias("color").action(ArgAction::SetTrue).help("Keep colour for pictures")),
        )
        .subcommand(
            Clap::new("bench-step")
                .hide(true)
                .about("Median ms per Adam step of the dense autoencoder, or with --conv DCEC's (bench/peers)")
                .arg(Arg::new("dims").long("dims").default_value("784,500,500,2000,10"))
                .arg(Arg::new("conv").long("conv").value_parser(value_parser!(usize)).help("Time DCEC's convolutional autoencoder for one-channel SIDE × SIDE images instead (embedding: the last of --dims)"))
                .arg(Arg::new("series").long("series").conflicts_with("conv").help("Time the series autoencoder (convolutions along time) for CHANNELSxLENGTH series instead, e.g. 6x100 (embedding: the last of --dims)"))
                .arg(Arg::new("recurrent").long("recurrent").action(ArgAction::SetTrue).requires("series").help("With --series: the recurrent (GRU) network instead of the convolutional one"))
                .arg(Arg::new("aligned").long("aligned").action(ArgAction::SetTrue).requires("series").conflicts_with("recurrent").help("With --series: the convolutional network that keeps time order (for series that line up) instead of the pooled one"))
                .arg(Arg::new("batch").long("batch").default_value("256").value_parser(value_parser!(usize)))
                .arg(Arg::new("steps").long("steps").default_value("10").value_parser(value_parser!(usize)))
                .arg(device_arg()),
        )
        .subcommand(
            Clap::new("bench-read")
                .hide(true)
                .about("Time to read and prepare a generated CSV: all numeric, then with missing cells and text columns")
                .arg(Arg::new("rows").long("rows").default_value("500000").value_parser(value_parser!(usize))),
        )
        .subcommand(
            Clap::new("bench-knn")
                .hide(true)
                .about("Neighbour search time and recall (the map and N2D)")
                .arg(Arg::new("rows").long("rows").default_value("70000").value_parser(value_parser!(usize)))
                .arg(Arg::new("dim").long("dim").default_value("10").value_parser(value_parser!(usize)))
                .arg(Arg::new("k").long("k").default_value("20").value_parser(value_parser!(usize))),
        )
        .subcommand(
            Clap::new("bench-kmeans")
                .hide(true)
                .about("k-means wall time on uniform random data (bench/peers)")
                .arg(Arg::new("rows").long("rows").default_value("70000").value_parser(value_parser!(usize)))
                .arg(Arg::new("dim").long("dim").default_value("10").value_parser(value_parser!(usize)))
                .arg(Arg::new("k").long("k").default_value("10").value_parser(value_parser!(usize)))
                .arg(Arg::new("iters").long("iters").default_value("50").value_parser(value_parser!(usize))),
        )
}

pub fn parse() -> Command {
    let matches = cli().get_matches();
    let (name, m) = matches.subcommand().expect("a subcommand is required");
    let path = |m: &ArgMatches, id: &str| m.get_one::<PathBuf>(id).cloned();
    let text = |m: &ArgMatches, id: &str| m.get_one::<String>(id).cloned();
    let number = |id: &str| *m.get_one::<usize>(id).expect("defaulted");
    match name {
        "bench-step" => {
            let dims = text(m, "dims").expect("defaulted");
            let dims = dims
                .split(',')
                .map(|d| d.trim().parse::<usize>())
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_else(|_| {
                    cli()
                        .error(
                            clap::error::ErrorKind::InvalidValue,
                            "--dims: comma-separated sizes",
                        )
                        .exit()
                });
            let Some(dense) = Architecture::dense(dims) else {
                cli()
                    .error(
                        clap::error::ErrorKind::InvalidValue,
                        "--dims: at least two positive sizes",
                    )
                    .exit()
            };
            let architecture = match m.get_one::<usize>("conv").copied() {
                Some(side) if side < deepclust::model::MIN_SIDE => cli()
                    .error(
                        clap::error::ErrorKind::InvalidValue,
                        format!(
                            "--conv: the side must be at least {}",
                            deepclust::model::MIN_SIDE
                        ),
                    )
                    .exit(),
                Some(side) => Architecture::Conv {
                    channels: 1,
                    side,
                    embedding: dense.embedding_size(),
                },
                None => match text(m, "series").map(|s| series_shape(&s)) {
                    Some(Some((channels, length))) if m.get_flag("recurrent") => Architecture::Gru {
                        channels,
                        length,
                        embedding: dense.embedding_size(),
                    },
                    Some(Some((channels, length))) => Architecture::Conv1d {
                        channels,
                        length,
                        embedding: dense.embedding_size(),
                        pooled: !m.get_flag("aligned"),
                    },
                    Some(None) => cli()
                        .error(
                            clap::error::ErrorKind::InvalidValue,
                            format!(
                                "--series: CHANNELSxLENGTH such as 6x100, with a length of at least {}",
                                deepclust::data::series::MIN_LENGTH
                            ),
                        )
                        .exit(),
                    None => dense,
                },
            };
            return Command::BenchStep {
                architecture,
                batch: number("batch"),
                steps: number("steps"),
                device: text(m, "device").expect("defaulted"),
            };
        }
        "columns" => {
            return Command::Columns {
                input: path(m, "input").expect("required"),
                labels: text(m, "labels"),
                table: table(m),
                json: m.get_flag("json"),
            };
        }
        "methods" => {
            return Command::Methods {
                json: m.get_flag("json"),
            };
        }
        "sample" => {
            return Command::Sample {
                name: text(m, "name").expect("required"),
                seed: *m.get_one("seed").expect("defaulted"),
                out: path(m, "out").expect("defaulted"),
            };
        }
        "choose-k" => {
            return Command::ChooseK {
                input: m
                    .get_many::<PathBuf>("input")
                    .expect("required")
                    .cloned()
                    .collect(),
                max_k: number("max-k"),
                seed: *m.get_one("seed").expect("defaulted"),
                side: m.get_one("side").copied(),
                colour: m.get_flag("colour"),
            };
        }
        "bench-read" => {
            return Command::BenchRead {
                rows: number("rows"),
            };
        }
        "bench-knn" => {
            return Command::BenchKnn {
                rows: number("rows"),
                dim: number("dim"),
                k: number("k"),
            };
        }
        "bench-kmeans" => {
            return Command::BenchKmeans {
                rows: number("rows"),
                dim: number("dim"),
                k: number("k"),
                iters: number("iters"),
            };
        }
        _ => {}
    }
    let quiet = m.get_flag("quiet");
    match name {
        "cluster" => Command::Cluster(ClusterArgs {
            input: m
                .get_many::<PathBuf>("input")
                .expect("required")
                .cloned()
                .collect(),
            labels: text(m, "labels"),
            table: table(m),
            profiles: path(m, "profiles"),
            method: text(m, "method").expect("defaulted"),
            k: *m.get_one("k").expect("required"),
            device: text(m, "device").expect("defaulted"),
            seed: *m.get_one("seed").expect("defaulted"),
            out: path(m, "out").expect("required"),
            metrics: path(m, "metrics"),
            save_model: path(m, "save-model"),
            epochs: m.get_one("epochs").copied(),
            gamma: m.get_one("gamma").copied(),
            corruption: m.get_one("corruption").copied(),
            pixel_divisor: m.get_one("pixel-divisor").copied(),
            soft_em: m.get_flag("soft-em"),
            no_consistency: m.get_flag("no-consistency"),
            temperature: m.get_one("temperature").copied(),
            neighbours: m.get_one("neighbours").copied(),
            space: text(m, "space"),
            covariance: text(m, "covariance"),
            series_network: text(m, "series-network"),
            side: m.get_one("side").copied(),
            colour: m.get_flag("colour"),
            subset: m.get_one("subset").copied(),
            map_quality: m.get_flag("map-quality"),
            embedding: m.get_one("embedding").cloned(),
            quiet,
        }),
        _ => Command::Predict(PredictArgs {
            model: path(m, "model").expect("required"),
            inputs: m.get_many::<PathBuf>("input").expect("required").cloned().collect(),
            out: path(m, "out").expect("required"),
            profiles: path(m, "profiles"),
            device: text(m, "device").expect("defaulted"),
            quiet,
        }),
    }
}

/// The run's settings, as the page would give them; the defaults for the data fill the rest.
/// `kind` says which data the automatic method is chosen for.
pub fn settings(a: &ClusterArgs, kind: DataKind) -> Result<Settings, String> {
    let method = match a.method.as_str() {
        "auto" => Method::default_for(kind),
        name => Method::from_name(name).map_err(|e| e.to_string())?,
    };
    Ok(Settings {
        seed: Some(a.seed),
        pretrain_epochs: a.epochs,
        gamma: a.gamma,
        corruption: a.corruption,
        pixel_divisor: a.pixel_divisor,
        temperature: a.temperature,
        neighbours: a.neighbours,
        soft_em: a.soft_em,
        consistency: a.no_consistency.then_some(false),
        space: match a.space.as_deref() {
            Some("embedding") => Some(FeatureSpace::Embedding),
            Some(_) => Some(FeatureSpace::Raw),
            None => None,
        },
        covariance: match a.covariance.as_deref() {
            Some("full") => Some(Covariance::Full),
            Some(_) => Some(Covariance::Diagonal),
            None => None,
        },
        series_network: a.series_network.as_deref().and_then(SeriesNetwork::from_name),
        ..Settings::new(method, a.k)
    })
}

/// `CHANNELSxLENGTH`, e.g. `6x100`.
fn series_shape(text: &str) -> Option<(usize, usize)> {
    let (c, l) = text.split_once(['x', 'X'])?;
    let (c, l) = (c.trim().parse().ok()?, l.trim().parse().ok()?);
    (c > 0 && l >= deepclust::data::series::MIN_LENGTH).then_some((c, l))
}
