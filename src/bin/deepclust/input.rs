//! Reading the user's files: a CSV, IDX files, a folder of PNG images, or time series (the
//! archive's `.ts`, `.arff` or `NAME_TRAIN.tsv` files, a long CSV, a folder of CSV files), each
//! into the same [`Table`] the browser builds.

use std::path::{Path, PathBuf};

use deepclust::data::prepare::{Kind, MissingPolicy, Role, ScalingChoice};
use deepclust::data::series::{
    ArchiveFormat, FilesAs, LongColumns, NO_TIME, SeriesInput, SeriesLengths, SeriesOptions, SeriesScaling, SeriesSet,
    other_half_note, series_in_rows_hint,
};
use deepclust::data::{
    CsvOptions, ImageSet, LabelColumn, Table, are_parts, join_parts, default_side, read_idx, resize_square, rgba_to_planes,
};

use deepclust::train::FittedModel;

use super::CliResult;
use super::args::TableArgs;

/// `inputs` are one CSV, one folder, or one or more IDX image files (concatenated, so
/// MNIST's training and test files make the 70,000-digit set).
pub fn load(
    inputs: &[PathBuf],
    labels: &Option<String>,
    table: &TableArgs,
    side: Option<usize>,
    colour: bool,
) -> CliResult<Table> {
    let first = inputs.first().ok_or("no --input given")?;
    if inputs.iter().any(|p| ArchiveFormat::of(&file_name(p)).is_some() && !p.is_dir()) {
        return load_archive(inputs, table);
    }
    if table.series_id.is_some() || table.series_rows || table.series_time.is_some() {
        return load_csv_series(inputs, labels, table);
    }
    if inputs.len() > 1 && inputs.iter().all(|p| is_text_table(p)) {
        let names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
        if one_table(&names, table) {
            return load_parts(inputs, csv_options(labels, table));
        }
        return load_csv_files(inputs, table);
    }
    if inputs.iter().all(|p| is_image(p) && !p.is_dir()) {
        let files = inputs.iter().map(|p| (file_name(p), p.clone())).collect();
        return load_pictures(&shown(inputs), files, labels, side, colour);
    }
    if inputs.len() > 1 || is_idx(first) {
        return load_idx(inputs, labels);
    }
    if first.is_dir() {
        return match folder_files(first)? {
            Folder::Images => load_folder(first, labels, side, colour),
            Folder::Tables { tables, others } => {
                // A folder of a table's parts (X_train.txt beside y_train.txt) is that table;
                // else one series a file, or a file a channel.
                let names: Vec<String> = tables.iter().map(|(name, _)| name.clone()).collect();
                let mut read = if one_table(&names, table) {
                    let paths: Vec<PathBuf> = tables.into_iter().map(|(_, p)| p).collect();
                    load_parts(&paths, csv_options(labels, table))?
                } else {
                    Table::from_series(named_series(&tables, &file_columns(table), series_options(table))?)
                };
                read.dataset.warnings.extend(left_out(&others));
                Ok(read)
            }
        };
    }
    load_csv(first, csv_options(labels, table))
}

/// What a folder holds: pictures (any, by their names), or else files of text in columns
/// (others beside them, a README, are left out).
enum Folder {
    Images,
    Tables { tables: Vec<(String, PathBuf)>, others: Vec<String> },
}

/// The names of pictures a browser decodes (the command line reads PNG of them).
const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "avif"];

pub fn is_image(path: &Path) -> bool {
    IMAGE_EXTENSIONS.iter().any(|e| has_extension(path, e))
}

/// Every file under `dir` but hidden ones (`.DS_Store`), in path order.
fn visible_files(dir: &Path) -> CliResult<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.retain(|(_, p)| !file_name(p).starts_with('.'));
    files.sort();
    Ok(files)
}

fn folder_files(dir: &Path) -> CliResult<Folder> {
    let files = visible_files(dir)?;
    if files.iter().any(|(_, p)| is_image(p)) {
        return Ok(Folder::Images);
    }
    let (tables, others): (Vec<_>, Vec<_>) = files.into_iter().partition(|(_, p)| is_text_table(p));
    if tables.is_empty() {
        return Err(format!(
            "{}: no pictures (PNG) and no tables (.csv, .tsv, .txt, .dat) there; give a folder of one or the other, or a file",
            dir.display()
        ));
    }
    Ok(Folder::Tables { tables, others: others.into_iter().map(|(name, _)| name).collect() })
}

/// The note for files of a folder that were not read.
fn left_out(others: &[String]) -> Option<String> {
    match others {
        [] => None,
        [one] => Some(format!("Left out {one}: not a table (.csv, .tsv, .txt, .dat).")),
        _ => Some(format!("Left out {} files that are not tables (.csv, .tsv, .txt, .dat): {}.", others.len(), others.join(", "))),
    }
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Each file's name and bytes.
fn read_named(paths: &[PathBuf]) -> CliResult<Vec<(String, Vec<u8>)>> {
    paths.iter().map(|p| Ok((file_name(p), read(p)?))).collect()
}

/// A file of text in columns: CSV, tab- or space-separated.
fn is_text_table(path: &Path) -> bool {
    !path.is_dir() && ["csv", "tsv", "txt", "dat"].iter().any(|e| has_extension(path, e))
}

fn files_as(table: &TableArgs) -> FilesAs {
    table.files_as.as_deref().and_then(FilesAs::from_name).unwrap_or_default()
}

/// Whether files so named are read as one table: their names say so ([`are_parts`]) and no
/// `--files-as` asks for series.
fn one_table(names: &[String], table: &TableArgs) -> bool {
    are_parts(names) && files_as(table) == FilesAs::Auto
}

/// The columns of CSV files read as series one file each (or as channels), `--ignore`d
/// columns left out.
fn file_columns(table: &TableArgs) -> LongColumns {
    LongColumns { ignored: table.ignore.clone(), files_as: files_as(table), ..LongColumns::default() }
}

/// What the series flags ask for (values were checked by clap).
fn series_options(table: &TableArgs) -> SeriesOptions {
    SeriesOptions {
        length: table.length,
        lengths: table
            .series_lengths
            .as_deref()
            .and_then(SeriesLengths::from_name)
            .unwrap_or_default(),
        scaling: table
            .series_scaling
            .as_deref()
            .and_then(SeriesScaling::requested)
            .flatten(),
    }
}

/// The archive's files given together (a set's train and test files) are one set of series.
fn load_archive(inputs: &[PathBuf], table: &TableArgs) -> CliResult<Table> {
    let mut set = archive_series(inputs, series_options(table))?;
    let names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
    set.warnings.extend(other_half_note(&names));
    Ok(Table::from_series(set))
}

fn archive_series(inputs: &[PathBuf], options: SeriesOptions) -> CliResult<SeriesSet> {
    let files = read_named(inputs)?;
    Ok(SeriesSet::from_archive_files(&files, options).map_err(|e| e.to_string())?)
}

/// New series for a model trained on series: a file of the archive (`.ts`, `.arff`,
/// `NAME_TEST.tsv`), a folder of CSV files (one series each), or for a model trained on a CSV
/// with a series in each row or a series id column, such a CSV with its columns; the model then
/// reads them at its length and scaling, its channels found by name where both have names.
pub fn series_for_model(inputs: &[PathBuf], series: &SeriesInput) -> CliResult<SeriesSet> {
    let (options, columns) = (series.options(), series.columns());
    if let [input] = inputs
        && input.is_dir()
    {
        return match folder_files(input)? {
            Folder::Images => Err(format!("{}: a folder of pictures, but the model was trained on series", input.display())),
            Folder::Tables { tables, others } => {
                let mut set = model_series(&tables, series, options)?;
                set.warnings.extend(left_out(&others));
                Ok(set)
            }
        };
    }
    let archive = |p: &&PathBuf| ArchiveFormat::of(&file_name(p)).is_some();
    if inputs.iter().all(|p| archive(&p)) {
        return archive_series(inputs, options);
    }
    if inputs.iter().any(|p| archive(&p)) {
        return Err(format!(
            "{}: give the archive's files (.ts, .arff, NAME_TEST) or CSV files, not both",
            shown(inputs)
        ));
    }
    if let Some(other) = inputs.iter().find(|p| !is_text_table(p)) {
        return Err(format!(
            "{}: the model was trained on series; give it the archive's .ts, .arff or NAME_TEST files, CSV files of one recording each (or a folder of them){}",
            other.display(),
            if columns.wide || columns.id.is_some() { ", or a CSV laid out as its training file was" } else { "" }
        ));
    }
    // CSV files: read as the training files were (a series in each row, or by the id column
    // it was trained with), else one recording each, or a recording per name in a column of
    // runs (`SeriesInput::columns_for`).
    let files: Vec<(String, PathBuf)> = inputs.iter().map(|p| (file_name(p), p.clone())).collect();
    model_series(&files, series, options)
}

/// CSV files read for a model of series, as [`SeriesInput::columns_for`] says.
fn model_series(files: &[(String, PathBuf)], series: &SeriesInput, options: SeriesOptions) -> CliResult<SeriesSet> {
    let files = files.iter().map(|(name, path)| Ok((name.clone(), read(path)?))).collect::<CliResult<Vec<_>>>()?;
    let (columns, note) = series.columns_for(&files);
    let mut set = SeriesSet::from_csv_files(&files, &columns, options).map_err(|e| e.to_string())?;
    set.warnings.extend(note);
    Ok(set)
}

/// The inputs as a message names them.
pub fn shown(inputs: &[PathBuf]) -> String {
    inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// New rows for a model trained on a table: a CSV, or a folder holding the parts of one table
/// (`X_test.txt`, `y_test.txt`, `subject_test.txt`), joined as in training.
pub fn table_for_model(inputs: &[PathBuf], model: &FittedModel) -> CliResult<Table> {
    let other_kind = |p: &Path| is_image(p) || is_idx(p) || ["ts", "arff"].iter().any(|e| has_extension(p, e));
    if let Some(other) = inputs.iter().find(|p| !p.is_dir() && other_kind(p)) {
        return Err(format!(
            "{}: the model was trained on a table; give it a CSV file with the same columns (or a table's parts)",
            other.display()
        ));
    }
    let [input] = inputs else {
        let names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
        if !are_parts(&names) {
            return Err(format!(
                "{}: files that are not the parts of one table; give one CSV, or a table's parts (named alike but for train or test, or X_test.txt with y_test.txt)",
                shown(inputs)
            ));
        }
        return Ok(model.parts_table(&read_named(inputs)?).map_err(|e| format!("{}: {e}", shown(inputs)))?);
    };
    let shown = |e: String| format!("{}: {e}", input.display());
    if !input.is_dir() {
        return Ok(model.csv_table(read(input)?).map_err(shown)?);
    }
    let Folder::Tables { tables, others } = folder_files(input)? else {
        return Err(format!("{}: a folder of pictures, but the model was trained on a table", input.display()));
    };
    let names: Vec<String> = tables.iter().map(|(name, _)| name.clone()).collect();
    let mut table = match &tables[..] {
        [(_, one)] => model.csv_table(read(one)?).map_err(shown)?,
        _ if are_parts(&names) => {
            let paths: Vec<PathBuf> = tables.into_iter().map(|(_, p)| p).collect();
            model.parts_table(&read_named(&paths)?).map_err(shown)?
        }
        _ => {
            return Err(format!(
                "{}: {} files that are not the parts of one table ({}); give one CSV, or a folder of one table's parts (named alike but for train or test, or X_test.txt with y_test.txt)",
                input.display(),
                names.len(),
                names.join(", ")
            ));
        }
    };
    table.dataset.warnings.extend(left_out(&others));
    Ok(table)
}

/// CSV files of series: a row per time step (`--series-id`) or a series per row
/// (`--series-rows`); several files add series, or are channels (`--files-as`).
fn load_csv_series(paths: &[PathBuf], labels: &Option<String>, table: &TableArgs) -> CliResult<Table> {
    let columns = LongColumns {
        wide: table.series_rows,
        id: table.series_id.clone(),
        // `none`: no time column at all, not even one found by itself.
        time: table.series_time.clone().map(|t| if t.eq_ignore_ascii_case("none") { NO_TIME.to_string() } else { t }),
        label: labels.clone().filter(|l| l != "none"),
        ignored: table.ignore.clone(),
        files_as: files_as(table),
    };
    // A folder stands for its tables (named by their place in it, as a folder given alone).
    let mut files = Vec::new();
    let mut others = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push((file_name(path), read(path)?));
            continue;
        }
        match folder_files(path)? {
            Folder::Tables { tables, others: more } => {
                for (name, p) in tables {
                    files.push((name, read(&p)?));
                }
                others.extend(more);
            }
            Folder::Images => return Err(format!("{}: a folder of pictures, not of CSV files", path.display())),
        }
    }
    let mut set = SeriesSet::from_csv_files(&files, &columns, series_options(table)).map_err(|e| e.to_string())?;
    set.warnings.extend(left_out(&others));
    Ok(Table::from_series(set))
}

/// CSV files given together (not an archive's): as a folder of them.
fn load_csv_files(paths: &[PathBuf], table: &TableArgs) -> CliResult<Table> {
    let files = read_named(paths)?;
    let set = SeriesSet::from_csv_files(&files, &file_columns(table), series_options(table)).map_err(|e| e.to_string())?;
    Ok(Table::from_series(set))
}

/// Files of a folder (name, path), one series each, or channel files.
fn named_series(files: &[(String, PathBuf)], columns: &LongColumns, options: SeriesOptions) -> CliResult<SeriesSet> {
    let files = files.iter().map(|(name, path)| Ok((name.clone(), read(path)?))).collect::<CliResult<Vec<_>>>()?;
    Ok(SeriesSet::from_csv_files(&files, columns, options).map_err(|e| e.to_string())?)
}

/// The CSV options the flags ask for (values were checked by clap).
pub fn csv_options(labels: &Option<String>, table: &TableArgs) -> CsvOptions {
    let label = match labels.as_deref() {
        None => LabelColumn::Auto,
        Some("none") => LabelColumn::None,
        Some(name) => LabelColumn::Name(name.to_string()),
    };
    CsvOptions {
        label,
        roles: table.ignore.iter().map(|c| (c.trim().to_string(), Role::Ignored)).collect(),
        missing: table.missing.as_deref().and_then(MissingPolicy::from_name).unwrap_or_default(),
        scaling: table.scaling.as_deref().and_then(ScalingChoice::from_name).unwrap_or_default(),
        ..CsvOptions::default()
    }
}

fn load_csv(path: &Path, options: CsvOptions) -> CliResult<Table> {
    let table = Table::from_csv(read(path)?, options).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(hinted(table))
}

/// The parts of one table (`adult_train.csv`, `adult_test.csv`) read as one; an error names
/// the part.
fn load_parts(paths: &[PathBuf], options: CsvOptions) -> CliResult<Table> {
    let joined = join_parts(&read_named(paths)?).map_err(|e| e.to_string())?;
    let parse = joined.parse(options).map_err(|e| e.to_string())?;
    Ok(hinted(Table::from_parse(parse).map_err(|e| e.to_string())?))
}

/// A CSV's table with a hint when its rows look like series.
fn hinted(mut table: Table) -> Table {
    if let Some(hint) = series_in_rows_hint(&table.dataset.column_info) {
        let info = &table.dataset.column_info;
        // A column of identifiers would be read as a time step unless it names the series.
        let id = info.iter().find(|c| c.kind == Kind::Identifier).map(|c| format!(" --series-id {}", c.name));
        let label = table.dataset.label_column.as_ref().map(|l| format!(" --label {l}"));
        table.dataset.warnings.push(format!(
            "{hint}; if each row is one recording, --series-rows{}{} clusters them as series",
            id.unwrap_or_default(),
            label.unwrap_or_default()
        ));
    }
    table
}

pub fn read(path: &Path) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub fn is_idx(path: &Path) -> bool {
    let name = file_name(path);
    name.contains("idx3") || name.ends_with(".idx")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// MNIST's naming: `train-images-idx3-ubyte.gz` has its labels in
/// `train-labels-idx1-ubyte.gz` beside it.
fn sibling_labels(images: &Path) -> Option<PathBuf> {
    let name = file_name(images);
    let guess = name
        .replace("images-idx3", "labels-idx1")
        .replace("images.idx3", "labels.idx1");
    let path = images.with_file_name(guess);
    (path != images && path.is_file()).then_some(path)
}

fn load_idx(inputs: &[PathBuf], labels: &Option<String>) -> CliResult<Table> {
    if labels.is_some() && inputs.len() > 1 {
        return Err(
            "--labels names one labels file; with several IDX inputs, keep each labels file beside its images (MNIST naming) instead".into(),
        );
    }
    let mut all: Option<ImageSet> = None;
    for images in inputs {
        if images.is_dir() || !is_idx(images) {
            return Err(format!(
                "{}: several --input values must all be IDX image files",
                images.display()
            ));
        }
        let label_path = match labels.as_deref() {
            Some("none") => None,
            Some(path) => Some(PathBuf::from(path)),
            None => sibling_labels(images),
        };
        let label_bytes = label_path.as_deref().map(read).transpose()?;
        let set = read_idx(read(images)?, label_bytes.as_deref())
            .map_err(|e| format!("{}: {e}", images.display()))?;
        match &mut all {
            None => all = Some(set),
            Some(a) => a
                .append(set)
                .map_err(|e| format!("{}: {e}", images.display()))?,
        }
    }
    Ok(Table::from_images(all.expect("at least one input")))
}

/// A decoded picture as interleaved RGBA.
struct Picture {
    name: String,
    width: usize,
    height: usize,
    rgba: Vec<u8>,
}

fn load_folder(
    dir: &Path,
    labels: &Option<String>,
    side: Option<usize>,
    colour: bool,
) -> CliResult<Table> {
    load_pictures(&dir.display().to_string(), visible_files(dir)?, labels, side, colour)
}

/// `files` (name, path) of pictures, and a `labels.csv` among them or given by `labels`.
fn load_pictures(
    place: &str,
    files: Vec<(String, PathBuf)>,
    labels: &Option<String>,
    side: Option<usize>,
    colour: bool,
) -> CliResult<Table> {
    let labels_csv = match labels.as_deref() {
        Some("none") => None,
        Some(path) => Some(
            String::from_utf8(read(Path::new(path))?)
                .map_err(|_| format!("{path}: not a text file"))?,
        ),
        None => files
            .iter()
            .find(|(rel, _)| rel == "labels.csv")
            .map(|(_, p)| read(p))
            .transpose()?
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
    };
    let mut pictures = Vec::new();
    let mut skipped = Vec::new();
    let mut others = Vec::new();
    for (rel, path) in &files {
        if !is_image(path) {
            if rel != "labels.csv" {
                others.push(rel.clone());
            }
            continue;
        }
        if !has_extension(path, "png") {
            skipped.push(format!("{rel}: the command line reads PNG only (the page reads this kind too)"));
            continue;
        }
        match decode_png(path) {
            Ok((width, height, rgba)) => pictures.push(Picture {
                name: rel.clone(),
                width,
                height,
                rgba,
            }),
            Err(why) => skipped.push(format!("{rel}: {why}")),
        }
    }
    if pictures.is_empty() {
        let why = if skipped.is_empty() { String::new() } else { format!(": {}", skipped.join("; ")) };
        return Err(format!(
            "{place}: no PNG image could be read (the command line reads PNG; the browser also reads JPEG, WebP, GIF and BMP){why}"
        ));
    }
    let sizes: Vec<(usize, usize)> = pictures.iter().map(|p| (p.width, p.height)).collect();
    let side = side.unwrap_or_else(|| default_side(&sizes));
    let channels = if colour { 3 } else { 1 };
    let mut planes = Vec::with_capacity(pictures.len() * channels * side * side);
    let mut names = Vec::with_capacity(pictures.len());
    for p in pictures {
        let square = resize_square(&p.rgba, p.width, p.height, side);
        planes.extend(rgba_to_planes(&square, side, side, channels));
        names.push(p.name);
    }
    let mut set = ImageSet::from_pictures(planes, side, channels, names, labels_csv.as_deref())?;
    set.warnings
        .extend(skipped.iter().map(|s| format!("skipped {s}")));
    if !others.is_empty() {
        set.warnings.push(format!("Left out {} file(s) that are not pictures: {}.", others.len(), others.join(", ")));
    }
    Ok(Table::from_images(set))
}

/// Every file under `dir`, as (path relative to `root` with `/` separators, full path).
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> CliResult<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
    Ok(())
}

/// Any PNG (gray, RGB, palette, with or without alpha, 1–16 bits) as 8-bit RGBA.
fn decode_png(path: &Path) -> Result<(usize, usize, Vec<u8>), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("not a readable PNG ({e})"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("damaged PNG ({e})"))?;
    let (w, h) = (info.width as usize, info.height as usize);
    let bytes = &buf[..info.buffer_size()];
    let rgba = match info.color_type {
        png::ColorType::Grayscale => bytes.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::GrayscaleAlpha => bytes
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Rgb => bytes
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::Rgba => bytes.to_vec(),
        png::ColorType::Indexed => return Err("palette left unexpanded".into()),
    };
    Ok((w, h, rgba))
}
