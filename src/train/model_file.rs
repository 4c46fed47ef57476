//! The saved-model file: a short text header anyone can read with `head` (method, input
//! columns, scaling, cluster rule; numbers printed so they read back exactly), then the
//! autoencoder's weights as a burnpack record, burn's own format.
//!
//! ```text
//! deepclust-model 1
//! method dec
//! ...
//! end
//! <burnpack bytes, when the method has an autoencoder>
//! ```

use std::fmt::Write as _;
use std::str::FromStr;

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device};
use thiserror::Error;

use super::config::ImageShape;
use super::fitted::{FittedModel, InputSpec};
use super::rule::{Assignment, join};
use crate::cluster::{METHODS, Method};
use crate::data::prepare::{Encoding, MissingPolicy, Preparation, Prepared};
use crate::data::series::{LongColumns, SeriesInput, SeriesScaling};
use crate::data::{PIXEL_MAX, Scaling};
use crate::model::Architecture;
use crate::project::Pca2;
use crate::project::layout::{Layout, LayoutConfig};
use crate::rng::Rng;

const MAGIC: &str = "deepclust-model";
const VERSION: u32 = 1;

#[derive(Debug, Error)]
pub enum ModelFileError {
    #[error("this is not a deepclust model file (it should start with \"{MAGIC}\")")]
    NotAModel,
    #[error(
        "this model file has format version {0}; this deepclust reads version {VERSION}. Use the deepclust that saved it, or train again."
    )]
    Version(u32),
    #[error("the model file is damaged: {0}")]
    Damaged(String),
    #[error("the model's weights could not be read: {0}")]
    Weights(String),
}

pub(crate) fn damaged(what: impl Into<String>) -> ModelFileError {
    ModelFileError::Damaged(what.into())
}

impl FittedModel {
    /// The model as bytes: the text header, then the weights.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelFileError> {
        let ae_bytes = match &self.autoencoder {
            Some((_, ae)) => record_bytes(ae)?,
            None => Vec::new(),
        };
        // After the network: N2D's layout, then the 2-D map, each as its reference points and
        // their coordinates in little-endian f32.
        let layout_bytes: Vec<u8> = [&self.manifold, &self.map]
            .into_iter()
            .flatten()
            .flat_map(|m| m.inputs.iter().chain(&m.coords))
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let mut h = String::new();
        let mut line = |key: &str, value: String| {
            let _ = writeln!(h, "{key} {value}");
        };
        line(MAGIC, VERSION.to_string());
        line("method", self.method.name().into());
        line("seed", self.seed.to_string());
        let input = &self.input;
        line("input_cols", input.cols.to_string());
        // Tabs separate names: column names may hold spaces but a CSV field never needs a tab
        // here, and any that does is replaced so the header stays one line.
        let names: Vec<String> = input
            .feature_names
            .iter()
            .map(|n| n.replace(['\t', '\n', '\r'], " "))
            .collect();
        line("feature_names", names.join("\t"));
        if let Some(p) = &input.preparation {
            for (key, value) in preparation_lines(p) {
                line(key, value);
            }
        }
        if let Some(img) = input.image {
            line("image", format!("{} {}", img.channels, img.side));
        }
        if let Some(d) = input.pixel_divisor {
            line("pixel_divisor", d.to_string());
        }
        if let Some(s) = &input.series {
            let padded = s.shrink.map(|f| format!(" pad {f}")).unwrap_or_default();
            line("series", format!("{} {} {}{padded}", s.channels, s.length, s.scaling.name()));
            if !s.channel_scale.is_empty() {
                let moments: Vec<f32> = s.channel_scale.iter().flat_map(|&(m, sd)| [m, sd]).collect();
                line("series_scale", join(&moments));
            }
            if let Some(rows) = &s.rows {
                line("series_rows", series_rows_line(rows));
            }
            if s.channel_files {
                line("series_files", "channels".to_string());
            }
            if !s.channel_names.is_empty() {
                line("series_channels", s.channel_names.iter().map(|n| clean_name(n)).collect::<Vec<_>>().join("\t"));
            }
        }
        if let Some((arch, _)) = &self.autoencoder {
            line(
                "architecture",
                match arch {
                    Architecture::Dense(dims) => format!("dense {}", join(dims)),
                    Architecture::Conv {
                        channels,
                        side,
                        embedding,
                    } => format!("conv {channels} {side} {embedding}"),
                    Architecture::Conv1d {
                        channels,
                        length,
                        embedding,
                        pooled,
                    } => format!(
                        "{} {channels} {length} {embedding}",
                        if *pooled { "conv1d" } else { "conv1d-aligned" }
                    ),
                    Architecture::Gru {
                        channels,
                        length,
                        embedding,
                    } => format!("gru {channels} {length} {embedding}"),
                },
            );
        }
        for (key, value) in self.assignment.header_lines() {
            line(key, value);
        }
        for (key, layout) in [(LAYOUT, &self.manifold), (MAP, &self.map)] {
            if let Some(m) = layout {
                let c = &m.config;
                line(
                    key,
                    join(&[
                        m.dim,
                        c.out_dim,
                        m.rows(),
                        c.n_neighbors,
                        c.negatives,
                        c.epochs.unwrap_or(0),
                    ]),
                );
                line(
                    &format!("{key}_params"),
                    join(&[c.ab.0, c.ab.1, c.learning_rate]),
                );
                line(&format!("{key}_seed"), c.seed.to_string());
            }
        }
        if !layout_bytes.is_empty() {
            // The autoencoder's record comes first; this says where it ends.
            line("autoencoder_bytes", ae_bytes.len().to_string());
        }
        if let Some(p) = &self.projection {
            let (mean, first, second) = p.parts();
            line("projection_mean", join(mean));
            line(
                "projection_axes",
                format!("{} {}", join(first), join(second)),
            );
        }
        line("end", String::new());
        let mut bytes = h.into_bytes();
        bytes.extend_from_slice(&ae_bytes);
        bytes.extend_from_slice(&layout_bytes);
        Ok(bytes)
    }

    /// Reads a model saved by [`to_bytes`](Self::to_bytes); its network is placed on
    /// `device`.
    pub fn from_bytes(bytes: &[u8], device: &Device) -> Result<Self, ModelFileError> {
        if !bytes.starts_with(MAGIC.as_bytes()) {
            return Err(ModelFileError::NotAModel);
        }
        let (header, weights) = split_header(bytes)?;
        let h = Header::parse(header)?;
        let version: u32 = h.value(MAGIC)?;
        if version != VERSION {
            return Err(ModelFileError::Version(version));
        }
        let method_name = h.text("method")?;
        let method = Method::from_name(method_name)
            .map_err(|_| damaged(format!("unknown method \"{method_name}\"")))?;
        let cols: usize = h.value("input_cols")?;
        let names = h.text("feature_names")?;
        let feature_names: Vec<String> = if names.is_empty() {
            Vec::new()
        } else {
            names.split('\t').map(str::to_string).collect()
        };
        let preparation = read_preparation(&h, cols, &feature_names)?;
        let image = match h.get("image") {
            Some(_) => {
                let v: Vec<usize> = h.list("image", Some(2))?;
                Some(ImageShape {
                    channels: v[0],
                    side: v[1],
                })
            }
            None => None,
        };
        // Files from before the setting existed divided every image by 255.
        let pixel_divisor = match (image, h.get("pixel_divisor")) {
            (None, _) => None,
            (Some(_), None) => Some(PIXEL_MAX),
            (Some(_), Some(_)) => {
                let d: f32 = h.value("pixel_divisor")?;
                if !(d > 0.0 && d.is_finite()) {
                    return Err(damaged(format!("its pixel divisor is {d}")));
                }
                Some(d)
            }
        };
        let series = match h.get("series") {
            None => None,
            Some(text) => Some(parse_series(&h, text, cols)?),
        };
        let architecture = match h.get("architecture") {
            None => None,
            Some(a) => Some(parse_architecture(a, cols)?),
        };
        let code = architecture
            .as_ref()
            .map_or(cols, Architecture::embedding_size);
        if h.get("manifold").is_some() {
            return Err(damaged(
                "it is an N2D model from an earlier deepclust, whose manifold was a network; \
                 train it again with this version",
            ));
        }
        let manifold_sizes = layout_sizes(&h, LAYOUT, code, None)?;
        let dim = manifold_sizes.as_ref().map_or(code, |s| s[1]);
        let map_sizes = layout_sizes(&h, MAP, dim, Some(2))?;
        let (weights, mut layout_weights) = if manifold_sizes.is_some() || map_sizes.is_some() {
            let n: usize = h.value("autoencoder_bytes")?;
            if n > weights.len() {
                return Err(damaged("its weights are cut short"));
            }
            weights.split_at(n)
        } else {
            (weights, &[][..])
        };
        let manifold = match manifold_sizes {
            Some(s) => Some(read_layout(&h, LAYOUT, &s, &mut layout_weights)?),
            None => None,
        };
        let map = match map_sizes {
            Some(s) => Some(read_layout(&h, MAP, &s, &mut layout_weights)?),
            None => None,
        };
        if !layout_weights.is_empty() {
            return Err(damaged("it has more bytes than its layouts hold"));
        }
        let assignment = parse_assignment(&h, dim)?;
        let projection = match h.get("projection_mean") {
            None => None,
            Some(_) => {
                let mean: Vec<f64> = h.list("projection_mean", Some(dim))?;
                let mut axes: Vec<f64> = h.list("projection_axes", Some(2 * dim))?;
                let second = axes.split_off(dim);
                Pca2::from_parts(mean, axes, second)
            }
        };
        let autoencoder = match architecture {
            None => None,
            Some(arch) => {
                // Any initial weights: the record replaces every one of them.
                let ae = arch.init(device, &mut Rng::new(0));
                let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
                    .map_err(|e| ModelFileError::Weights(e.to_string()))?;
                let ae = ae
                    .try_load_record(record)
                    .map_err(|e| ModelFileError::Weights(e.to_string()))?;
                Some((arch, ae))
            }
        };
        Ok(FittedModel {
            method,
            seed: h.value("seed")?,
            input: InputSpec {
                cols,
                feature_names,
                preparation,
                image,
                pixel_divisor,
                series,
            },
            autoencoder,
            manifold,
            map,
            assignment,
            projection,
            device: device.clone(),
        })
    }
}

/// One line per prepared column (tab-separated: names may hold spaces), then how missing
/// cells were handled and whether the numbers shared one scale. Numbers print in Rust's
/// shortest form that reads back exactly.
fn preparation_lines(p: &Preparation) -> Vec<(&'static str, String)> {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut lines: Vec<(&'static str, String)> = p
        .columns
        .iter()
        .map(|c| {
            let value = match &c.encoding {
                Encoding::Numeric { fill, mean, std } => {
                    format!("numeric\t{}\t{fill}\t{mean}\t{std}", clean(&c.name))
                }
                Encoding::Categorical { categories, weight } => format!(
                    "categorical\t{}\t{weight}\t{}",
                    clean(&c.name),
                    categories.iter().map(|v| clean(v)).collect::<Vec<_>>().join("\t")
                ),
            };
            ("column", value)
        })
        .collect();
    lines.push(("missing", p.missing.name().into()));
    if p.shared {
        lines.push(("scaling", "shared".into()));
    }
    lines
}

/// The preparation from `column` lines, or from `scaling_mean`/`scaling_std` in files saved
/// before tables had categories; `None` for images.
fn read_preparation(
    h: &Header,
    cols: usize,
    feature_names: &[String],
) -> Result<Option<Preparation>, ModelFileError> {
    let lines: Vec<&str> = h.all("column").collect();
    if lines.is_empty() {
        return Ok(match h.get("scaling_mean") {
            Some(_) => Some(Preparation::from_scaling(
                feature_names,
                &Scaling {
                    mean: h.list("scaling_mean", Some(cols))?,
                    std: h.list("scaling_std", Some(cols))?,
                },
            )),
            None => None,
        });
    }
    let number = |v: &str| -> Result<f64, ModelFileError> {
        v.parse().map_err(|_| damaged(format!("a column line holds \"{v}\" where a number belongs")))
    };
    let columns = lines
        .iter()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let encoding = match f.as_slice() {
                ["numeric", _, fill, mean, std] => Encoding::Numeric {
                    fill: number(fill)?,
                    mean: number(mean)?,
                    std: number(std)?,
                },
                ["categorical", _, weight, categories @ ..] if !categories.is_empty() => {
                    Encoding::Categorical {
                        categories: categories.iter().map(|c| c.to_string()).collect(),
                        weight: number(weight)?,
                    }
                }
                _ => return Err(damaged(format!("column line \"{line}\""))),
            };
            Ok(Prepared {
                name: f[1].to_string(),
                encoding,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let preparation = Preparation {
        columns,
        missing: match h.get("missing") {
            Some(m) => MissingPolicy::from_name(m).ok_or_else(|| damaged(format!("missing \"{m}\"")))?,
            None => MissingPolicy::Fill,
        },
        shared: h.get("scaling") == Some("shared"),
    };
    if preparation.width() != cols {
        return Err(damaged(format!(
            "its columns make {} features where the network takes {cols}",
            preparation.width()
        )));
    }
    Ok(Some(preparation))
}

/// Header keys of N2D's layout and of the 2-D map.
const LAYOUT: &str = "layout";
const MAP: &str = "map";

/// `[input width, output width, rows, neighbours, negatives, epochs]` of the layout under
/// `key`, checked against the width of the space it maps (and its output width, if fixed).
fn layout_sizes(
    h: &Header,
    key: &str,
    input: usize,
    out: Option<usize>,
) -> Result<Option<Vec<usize>>, ModelFileError> {
    if h.get(key).is_none() {
        return Ok(None);
    }
    let s: Vec<usize> = h.list(key, Some(6))?;
    if s[0] != input || s[1] == 0 || out.is_some_and(|o| o != s[1]) || s[2] == 0 || s[3] == 0 {
        return Err(damaged(format!("{key} sizes {s:?}")));
    }
    Ok(Some(s))
}

/// The layout under `key` whose `sizes` were read from the header; its values are taken from
/// the front of `bytes`.
fn read_layout(
    h: &Header,
    key: &str,
    sizes: &[usize],
    bytes: &mut &[u8],
) -> Result<Layout, ModelFileError> {
    let (input, out, rows) = (sizes[0], sizes[1], sizes[2]);
    let len = 4 * rows * (input + out);
    if bytes.len() < len {
        return Err(damaged(format!("its {key} is cut short")));
    }
    let (mine, rest) = bytes.split_at(len);
    *bytes = rest;
    let mut values: Vec<f32> = mine
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(damaged(format!(
            "its {key} holds a value that is not a number"
        )));
    }
    let coords = values.split_off(rows * input);
    let p: Vec<f32> = h.list(&format!("{key}_params"), Some(3))?;
    Ok(Layout {
        config: LayoutConfig {
            out_dim: out,
            n_neighbors: sizes[3],
            ab: (p[0], p[1]),
            epochs: (sizes[5] > 0).then_some(sizes[5]),
            negatives: sizes[4],
            learning_rate: p[2],
            seed: h.value(&format!("{key}_seed"))?,
        },
        dim: input,
        inputs: values,
        coords,
    })
}

/// A network's weights as a burnpack record.
pub(super) fn record_bytes<M: Module>(module: &M) -> Result<Vec<u8>, ModelFileError> {
    module
        .clone()
        .into_record()
        .into_bytes()
        .map(|b| b.to_vec())
        .map_err(|e| ModelFileError::Weights(e.to_string()))
}

/// The text up to and including the `end` line, and the bytes after it.
fn split_header(bytes: &[u8]) -> Result<(&str, &[u8]), ModelFileError> {
    let marker = b"\nend \n";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .ok_or_else(|| damaged("its header has no end"))?;
    let header =
        std::str::from_utf8(&bytes[..at + 1]).map_err(|_| damaged("its header is not text"))?;
    Ok((header, &bytes[at + marker.len()..]))
}

/// A model file's header lines, for the readers of its parts.
pub struct Header<'a> {
    lines: Vec<(&'a str, &'a str)>,
}

impl<'a> Header<'a> {
    fn parse(text: &'a str) -> Result<Self, ModelFileError> {
        let lines = text
            .lines()
            .map(|l| l.split_once(' ').unwrap_or((l, "")))
            .collect();
        Ok(Self { lines })
    }

    /// Every value of a key that may repeat.
    pub fn all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.lines
            .iter()
            .filter(move |(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.lines.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    pub fn text(&self, key: &str) -> Result<&'a str, ModelFileError> {
        self.get(key)
            .ok_or_else(|| damaged(format!("\"{key}\" is missing")))
    }

    pub fn value<T: FromStr>(&self, key: &str) -> Result<T, ModelFileError> {
        let v = self.text(key)?;
        v.trim()
            .parse()
            .map_err(|_| damaged(format!("\"{key}\" holds \"{v}\"")))
    }

    /// Space-separated values; `len` checks the count.
    pub fn list<T: FromStr>(
        &self,
        key: &str,
        len: Option<usize>,
    ) -> Result<Vec<T>, ModelFileError> {
        let values = parse_list(self.text(key)?)
            .ok_or_else(|| damaged(format!("\"{key}\" holds something that is not a number")))?;
        match len {
            Some(n) if values.len() != n => Err(damaged(format!(
                "\"{key}\" has {} values where {n} belong",
                values.len()
            ))),
            _ => Ok(values),
        }
    }

    /// Whole rows of `dim` values under `key` (at least one).
    pub fn rows_of(&self, key: &str, dim: usize) -> Result<Vec<f32>, ModelFileError> {
        let values: Vec<f32> = self.list(key, None)?;
        if values.is_empty() || !values.len().is_multiple_of(dim) {
            return Err(damaged(format!(
                "\"{key}\" does not hold whole {dim}-value rows"
            )));
        }
        Ok(values)
    }

    /// The error for an `assignment` line that makes no sense.
    pub fn bad_assignment(&self) -> ModelFileError {
        damaged(format!(
            "assignment \"{}\"",
            self.get("assignment").unwrap_or("")
        ))
    }
}

fn parse_list<T: FromStr>(text: &str) -> Option<Vec<T>> {
    text.split_ascii_whitespace()
        .map(|v| v.parse().ok())
        .collect()
}

fn parse_architecture(text: &str, cols: usize) -> Result<Architecture, ModelFileError> {
    let (kind, rest) = text.split_once(' ').unwrap_or((text, ""));
    let sizes: Vec<usize> =
        parse_list(rest).ok_or_else(|| damaged(format!("architecture \"{text}\"")))?;
    let arch = match (kind, sizes.as_slice()) {
        ("dense", dims) => Architecture::dense(dims.to_vec()),
        ("conv", &[channels, side, embedding]) if channels > 0 && side > 0 && embedding > 0 => {
            Some(Architecture::Conv {
                channels,
                side,
                embedding,
            })
        }
        ("conv1d" | "conv1d-aligned", &[channels, length, embedding])
            if channels > 0 && length >= crate::data::series::MIN_LENGTH && embedding > 0 =>
        {
            Some(Architecture::Conv1d {
                channels,
                length,
                embedding,
                pooled: kind == "conv1d",
            })
        }
        ("gru", &[channels, length, embedding]) if channels > 0 && length > 0 && embedding > 0 => {
            Some(Architecture::Gru {
                channels,
                length,
                embedding,
            })
        }
        _ => None,
    }
    .ok_or_else(|| damaged(format!("architecture \"{text}\"")))?;
    let input = arch.input_size();
    if input != cols {
        return Err(damaged(format!(
            "the network takes {input} inputs but the file says {cols}"
        )));
    }
    Ok(arch)
}

/// `series CHANNELS LENGTH SCALING [pad SHRINK]`, with `series_scale` (mean, sd per
/// channel) for the scaling over all series.
fn parse_series(h: &Header, text: &str, cols: usize) -> Result<SeriesInput, ModelFileError> {
    let bad = || damaged(format!("series \"{text}\""));
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let (channels, length, scaling, shrink) = match words[..] {
        [c, l, s] => (c, l, s, None),
        [c, l, s, "pad", f] => {
            let f: f64 = f.parse().map_err(|_| bad())?;
            if !(f > 0.0 && f <= 1.0) {
                return Err(bad());
            }
            (c, l, s, Some(f))
        }
        _ => return Err(bad()),
    };
    let channels: usize = channels.parse().map_err(|_| bad())?;
    let length: usize = length.parse().map_err(|_| bad())?;
    let scaling = SeriesScaling::from_name(scaling).ok_or_else(bad)?;
    if channels == 0 || channels * length != cols {
        return Err(damaged(format!("{channels} channels × {length} points are not its {cols} inputs")));
    }
    let channel_scale = if scaling == SeriesScaling::PerChannel {
        let v: Vec<f32> = h.list("series_scale", Some(2 * channels))?;
        if v.chunks(2).any(|p| !(p[0].is_finite() && p[1] > 0.0 && p[1].is_finite())) {
            return Err(damaged("its series scale holds a value that is not a finite mean and a positive spread".to_string()));
        }
        v.chunks(2).map(|p| (p[0], p[1])).collect()
    } else {
        Vec::new()
    };
    let rows = h.get("series_rows").map(parse_series_rows).transpose()?;
    let channel_files = match h.get("series_files") {
        None => false,
        Some("channels") => true,
        Some(other) => return Err(damaged(format!("series_files \"{other}\""))),
    };
    let channel_names: Vec<String> = h.get("series_channels").map_or(Vec::new(), |t| t.split('\t').map(String::from).collect());
    if !channel_names.is_empty() && channel_names.len() != channels {
        return Err(damaged(format!("{} channel names for {channels} channels", channel_names.len())));
    }
    Ok(SeriesInput { channels, length, scaling, channel_scale, shrink, rows, channel_files, channel_names })
}

/// A name on a tab-separated line: tabs and line ends become spaces.
fn clean_name(name: &str) -> String {
    name.replace(['\t', '\n', '\r'], " ")
}

/// `series_rows` `wide` (a series in each row) or `long` (a row per time step), and
/// tab-separated `id=NAME`, `time=NAME`, `label=NAME`, `ignored=NAME` entries: the columns of
/// the CSV the series were read from (tabs, as for feature names, since names may hold spaces).
fn series_rows_line(rows: &LongColumns) -> String {
    let clean = clean_name;
    let mut entries = vec![if rows.wide { "wide" } else { "long" }.to_string()];
    entries.extend(rows.id.iter().map(|n| format!("id={}", clean(n))));
    entries.extend(rows.time.iter().map(|n| format!("time={}", clean(n))));
    entries.extend(rows.label.iter().map(|n| format!("label={}", clean(n))));
    entries.extend(rows.ignored.iter().map(|n| format!("ignored={}", clean(n))));
    entries.join("\t")
}

fn parse_series_rows(text: &str) -> Result<LongColumns, ModelFileError> {
    let mut entries = text.split('\t');
    let wide = match entries.next() {
        Some("wide") => true,
        Some("long") => false,
        _ => return Err(damaged(format!("series_rows \"{text}\""))),
    };
    let mut rows = LongColumns { wide, ..LongColumns::default() };
    for entry in entries {
        match entry.split_once('=') {
            Some(("id", n)) => rows.id = Some(n.to_string()),
            Some(("time", n)) => rows.time = Some(n.to_string()),
            Some(("label", n)) => rows.label = Some(n.to_string()),
            Some(("ignored", n)) => rows.ignored.push(n.to_string()),
            _ => return Err(damaged(format!("series_rows \"{text}\""))),
        }
    }
    Ok(rows)
}

/// The cluster rule, by the reader of the rule named first on its `assignment` line.
fn parse_assignment(h: &Header, dim: usize) -> Result<Assignment, ModelFileError> {
    let spec = h.text("assignment")?;
    let words: Vec<&str> = spec.split_ascii_whitespace().collect();
    let reader = METHODS
        .iter()
        .flat_map(|m| m.rules)
        .find(|r| words.first() == Some(&r.tag))
        .ok_or_else(|| h.bad_assignment())?;
    (reader.read)(&words[1..], h, dim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::dec::StudentT;
    use crate::cluster::gceals::Gaussians;

    fn spec(cols: usize) -> InputSpec {
        InputSpec {
            cols,
            feature_names: vec!["sepal length".into(), "b".into()],
            preparation: Some(Preparation::from_scaling(
                &["sepal length".into(), "b".into()],
                &Scaling {
                    mean: vec![1.5, -0.1],
                    std: vec![0.3, 0.0],
                },
            )),
            image: None,
            pixel_divisor: None,
            series: None,
        }
    }

    #[test]
    fn a_tables_preparation_round_trips_and_prepares_new_rows() {
        let train = "id,size,colour,weight\nA,1,red,10\nB,2,blue,NA\nC,3,red,30\nD,NA,green,20\nE,5,red,50\n";
        let d = crate::data::parse_csv(train.as_bytes(), &Default::default()).unwrap();
        assert_eq!(d.feature_names, ["size", "colour = red", "colour = blue", "colour = green", "weight"]);
        let centroids: Vec<f32> = d.features[..2 * d.cols].to_vec();
        let model = FittedModel {
            method: Method::KMeans,
            seed: 1,
            input: InputSpec {
                cols: d.cols,
                feature_names: d.feature_names.clone(),
                preparation: d.preparation.clone(),
                image: None,
                pixel_divisor: None,
                series: None,
            },
            autoencoder: None,
            manifold: None,
            map: None,
            assignment: StudentT::boxed(centroids, 1.0, false),
            projection: None,
            device: Device::flex(),
        };
        let bytes = model.to_bytes().unwrap();
        let header = String::from_utf8_lossy(&bytes);
        assert!(header.contains("\ncolumn categorical\tcolour\t0.7071067811865476\tred\tblue\tgreen\n"), "{header}");
        let back = FittedModel::from_bytes(&bytes, &Device::flex()).unwrap();
        assert_eq!(back.input(), model.input());
        assert_eq!(back.to_bytes().unwrap(), bytes);

        // The training rows again, columns in another order: the same features.
        let again = back.csv_table("weight,colour,size\n10,red,1\nNA,blue,2\n".into()).unwrap();
        assert_eq!(&again.dataset.features[..], &d.features[..2 * d.cols]);
        // A header in other letters finds the same columns.
        let upper = back.csv_table("WEIGHT,Colour,SIZE\n10,red,1\nNA,blue,2\n".into()).unwrap();
        assert_eq!(&upper.dataset.features[..], &d.features[..2 * d.cols]);
        // A missing cell takes the training fill; a colour never seen is none of the three.
        let new = back.csv_table("size,colour,weight\n?,purple,20\n".into()).unwrap();
        let row = &new.dataset.features[..];
        assert_eq!(row[0], d.row(3)[0], "size filled with the training median");
        assert_eq!(&row[1..4], &[0.0, 0.0, 0.0]);
        assert_eq!(
            new.dataset.warnings,
            [
                "1 missing cell was filled with the training data's median or most frequent value.",
                "Column \"colour\": 1 rows hold values the model never saw (purple); they count as none of the known categories."
            ]
        );
        let placed = crate::train::block_on(back.predict(row, 1)).unwrap();
        assert_eq!(placed.0.len(), 1);
        let err = back.csv_table("size,weight\n1,2\n".into()).unwrap_err();
        assert_eq!(err, "the model was trained on 3 columns, among them \"colour\", which this file does not have. Use a file with the training file's columns.");
    }

    #[test]
    fn a_model_saved_before_preparations_reads_its_scaling() {
        let model = FittedModel {
            method: Method::KMeans,
            seed: 7,
            input: spec(2),
            autoencoder: None,
            manifold: None,
            map: None,
            assignment: StudentT::boxed(vec![0.0, 0.0, 1.0, 1.0], 1.0, false),
            projection: None,
            device: Device::flex(),
        };
        let text = String::from_utf8(model.to_bytes().unwrap()).unwrap();
        let old: String = text
            .lines()
            .filter(|l| !l.starts_with("column ") && !l.starts_with("missing "))
            .map(|l| {
                if l.starts_with("feature_names") {
                    format!("{l}\nscaling_mean 1.5 -0.1\nscaling_std 0.3 0\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let back = FittedModel::from_bytes(old.as_bytes(), &Device::flex()).unwrap();
        assert_eq!(back.input(), model.input());
    }

    #[test]
    fn a_model_without_network_round_trips_exactly() {
        let model = FittedModel {
            method: Method::KMeans,
            seed: 7,
            input: spec(2),
            autoencoder: None,
            manifold: None,
            map: None,
            assignment: StudentT::boxed(vec![0.1, 1.0 / 3.0, -2.5e-8, 4.0], 1.0, false),
            projection: Some(Pca2::fit(&[0.0, 1.0, 2.0, 0.5, -1.0 / 3.0, 7.0], 3, 2)),
            device: Device::flex(),
        };
        let bytes = model.to_bytes().unwrap();
        let back = FittedModel::from_bytes(&bytes, &Device::flex()).unwrap();
        assert_eq!(back.method(), Method::KMeans);
        assert_eq!(back.seed(), 7);
        assert_eq!(back.input(), model.input());
        let Some(StudentT { centroids, .. }) = back.assignment().as_any().downcast_ref() else {
            panic!("kind changed")
        };
        assert_eq!(centroids, &vec![0.1, 1.0 / 3.0, -2.5e-8, 4.0]);
        assert_eq!(back.projection(), model.projection());
        let placed = crate::train::block_on(back.place(&[1.0, 2.0], 1)).unwrap();
        assert_eq!(
            placed.xy,
            Some(model.projection().unwrap().project(&[1.0, 2.0]))
        );
        assert_eq!(back.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn a_network_round_trips_and_embeds_the_same() {
        let device = Device::flex();
        let arch = Architecture::Dense(vec![2, 4, 2]);
        let ae = arch.init(&device, &mut Rng::new(3));
        let model = FittedModel {
            method: Method::Dec,
            seed: 1,
            input: spec(2),
            autoencoder: Some((arch, ae)),
            manifold: None,
            map: None,
            assignment: StudentT::boxed(vec![0.0, 0.0, 1.0, 1.0], 1.0, false),
            projection: None,
            device: device.clone(),
        };
        let back = FittedModel::from_bytes(&model.to_bytes().unwrap(), &device).unwrap();
        let x = [0.5, -1.0, 2.0, 0.25, -3.0, 1.0];
        let a = crate::train::block_on(model.embed(&x, 3)).unwrap();
        let b = crate::train::block_on(back.embed(&x, 3)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_convolutional_network_round_trips() {
        let device = Device::flex();
        let arch = Architecture::Conv {
            channels: 1,
            side: 12,
            embedding: 3,
        };
        let model = FittedModel {
            method: Method::Dcec,
            seed: 1,
            input: InputSpec {
                cols: 144,
                feature_names: Vec::new(),
                preparation: None,
                image: Some(ImageShape {
                    channels: 1,
                    side: 12,
                }),
                pixel_divisor: Some(50.0),
                series: None,
            },
            autoencoder: Some((arch.clone(), arch.init(&device, &mut Rng::new(4)))),
            manifold: None,
            map: None,
            assignment: StudentT::boxed(vec![0.0; 6], 1.0, false),
            projection: None,
            device: device.clone(),
        };
        let bytes = model.to_bytes().unwrap();
        let back = FittedModel::from_bytes(&bytes, &device).unwrap();
        assert_eq!(back.input(), model.input());
        let x: Vec<f32> = (0..288).map(|i| (i % 17) as f32 / 17.0).collect();
        let a = crate::train::block_on(model.embed(&x, 2)).unwrap();
        let b = crate::train::block_on(back.embed(&x, 2)).unwrap();
        assert_eq!(a, b);
        // The divisor reaches the network: a file from before it existed (pixels / 255) is
        // read as such and embeds the same images differently.
        let line = b"pixel_divisor 50\n";
        let at = bytes.windows(line.len()).position(|w| w == line).unwrap();
        let old = [&bytes[..at], &bytes[at + line.len()..]].concat();
        let old = FittedModel::from_bytes(&old, &device).unwrap();
        assert_eq!(old.input().pixel_divisor, Some(PIXEL_MAX));
        assert_ne!(crate::train::block_on(old.embed(&x, 2)).unwrap(), a);
    }

    #[test]
    fn a_layout_round_trips_and_damage_to_it_is_named() {
        use crate::project::layout::LayoutFit;
        let device = Device::flex();
        let arch = Architecture::Dense(vec![2, 4, 2]);
        let ae = arch.init(&device, &mut Rng::new(3));
        let codes: Vec<f32> = (0..24).map(|i| ((i * 7) % 11) as f32 / 3.0).collect();
        let mut fit = LayoutFit::new(&codes, 12, 2, LayoutConfig::manifold(3, 5));
        fit.epochs(20);
        let model = FittedModel {
            method: Method::N2d,
            seed: 1,
            input: spec(2),
            autoencoder: Some((arch, ae)),
            manifold: Some(fit.layout().clone()),
            map: None,
            assignment: StudentT::boxed(vec![0.0, 0.0, 0.0, 5.0, 5.0, 5.0], 1.0, false),
            projection: None,
            device: device.clone(),
        };
        // The page's 2-D map of the 3-D cluster space rides along.
        let space = fit.coords().to_vec();
        let mut map = LayoutFit::new(&space, 12, 3, LayoutConfig::map_2d(2));
        map.epochs(30);
        let wrong = LayoutFit::new(&codes, 12, 2, LayoutConfig::map_2d(2))
            .layout()
            .clone();
        assert!(
            model.clone().with_map(wrong).is_err(),
            "a map of another space"
        );
        let model = model.with_map(map.layout().clone()).unwrap();
        let bytes = model.to_bytes().unwrap();
        let back = FittedModel::from_bytes(&bytes, &device).unwrap();
        assert_eq!(back.manifold, model.manifold);
        assert_eq!(back.map, model.map);
        let (xy, labels) = (back.map_coords().unwrap(), back.map_labels().unwrap());
        assert_eq!((xy.len(), labels.len()), (24, 12));
        let placed = crate::train::block_on(back.place(&[0.5, -1.0], 1)).unwrap();
        assert_eq!(placed.map_xy.map(|m| m.len()), Some(2));
        assert_eq!(back.embedding_dim(), 3);
        let x = [0.5, -1.0, 2.0, 0.25, -3.0, 1.0];
        let a = crate::train::block_on(model.embed(&x, 3)).unwrap();
        assert_eq!(a, crate::train::block_on(back.embed(&x, 3)).unwrap());
        assert_eq!(a.len(), 9);

        let err = FittedModel::from_bytes(&bytes[..bytes.len() - 4], &device).unwrap_err();
        assert!(err.to_string().contains("map is cut short"), "{err}");
        let err =
            FittedModel::from_bytes(&[&bytes[..], &[0, 0, 0, 0]].concat(), &device).unwrap_err();
        assert!(err.to_string().contains("more bytes"), "{err}");
        let (header, rest) = bytes.split_at(bytes.windows(5).position(|w| w == b"end \n").unwrap());
        let old = String::from_utf8(header.to_vec())
            .unwrap()
            .replace("layout 2 3", "manifold 2 100 100 3\nlayout 2 3");
        let err = FittedModel::from_bytes(&[old.as_bytes(), rest].concat(), &device).unwrap_err();
        assert!(err.to_string().contains("train it again"), "{err}");
    }

    #[test]
    fn damage_is_reported_not_panicked() {
        assert!(matches!(
            FittedModel::from_bytes(b"PK\x03\x04", &Device::flex()),
            Err(ModelFileError::NotAModel)
        ));
        let model = FittedModel {
            method: Method::Gmm,
            seed: 1,
            input: spec(2),
            autoencoder: None,
            manifold: None,
            map: None,
            assignment: Box::new(Gaussians {
                means: vec![0.0, 1.0],
                variance: vec![1.0, 1.0],
            }),
            projection: None,
            device: Device::flex(),
        };
        let text = String::from_utf8(model.to_bytes().unwrap()).unwrap();
        let cut = text.replace("variance 1 1\n", "variance 1\n");
        let err = FittedModel::from_bytes(cut.as_bytes(), &Device::flex()).unwrap_err();
        assert!(err.to_string().contains("variance"), "{err}");
        let newer = text.replace("deepclust-model 1", "deepclust-model 9");
        assert!(matches!(
            FittedModel::from_bytes(newer.as_bytes(), &Device::flex()),
            Err(ModelFileError::Version(9))
        ));
        let truncated = &text.as_bytes()[..text.len() - 6];
        assert!(FittedModel::from_bytes(truncated, &Device::flex()).is_err());
    }
}
