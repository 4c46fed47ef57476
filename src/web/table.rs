//! Data in: CSV files, IDX files and decoded pictures, and what the page asks of a table.

use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{object, to_js};
use crate::train::SeriesNetwork;
use crate::data::capacity::LARGEST_BLOCK;
use crate::data::series::{
    FilesAs, LongColumns, SeriesLengths, SeriesOptions, SeriesScaling, SeriesSet, channels_sentence,
    other_half_note, series_in_rows_hint, series_sample,
};
use crate::data::{
    self, CsvOptions, ImageSet, Source, centre_square, default_side, read_idx,
    rgba_to_planes,
};

/// A parsed CSV file or a set of images, ready to train on.
#[wasm_bindgen]
pub struct Table(pub(super) data::Table);

/// `options`: a JSON object (see [`CsvOptions::from_json`]); `undefined` for the defaults.
fn csv_options(options: Option<String>) -> Result<CsvOptions, JsError> {
    match options {
        None => Ok(CsvOptions::default()),
        Some(json) => CsvOptions::from_json(&json).map_err(|e| JsError::new(&e)),
    }
}

/// A CSV file read into a [`Table`] a slice of records at a time, so the worker can report
/// progress on a big file.
#[wasm_bindgen]
pub struct TableParse(Option<data::CsvParse>);

#[wasm_bindgen]
impl TableParse {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>, options: Option<String>) -> Result<TableParse, JsError> {
        data::CsvParse::new(bytes, csv_options(options)?)
            .map(|p| TableParse(Some(p)))
            .map_err(to_js)
    }

    /// The parts of one table (`adult_train.csv`, `adult_test.csv`: see
    /// [`data::join_parts`]) read as one file.
    pub fn from_parts(
        names: Vec<String>,
        files: Vec<Uint8Array>,
        options: Option<String>,
    ) -> Result<TableParse, JsError> {
        if names.len() != files.len() {
            return Err(JsError::new("the parts need one name each"));
        }
        let files: Vec<(String, Vec<u8>)> = names.into_iter().zip(files.iter().map(Uint8Array::to_vec)).collect();
        let joined = data::join_parts(&files).map_err(to_js)?;
        joined.parse(csv_options(options)?).map(|p| TableParse(Some(p))).map_err(to_js)
    }

    /// Reads up to `records` more rows; returns the share of the file read (1 at the end).
    pub fn advance(&mut self, records: usize) -> Result<f32, JsError> {
        self.0
            .as_mut()
            .ok_or_else(|| JsError::new("this parse has finished"))?
            .advance(records)
            .map_err(to_js)
    }

    /// The table; the parse is used up.
    pub fn finish(&mut self) -> Result<Table, JsError> {
        let parse = self
            .0
            .take()
            .ok_or_else(|| JsError::new("this parse has finished"))?;
        data::Table::from_parse(parse).map(Table).map_err(to_js)
    }
}

#[wasm_bindgen]
impl Table {
    /// `options`: see [`CsvOptions::from_json`].
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>, options: Option<String>) -> Result<Table, JsError> {
        data::Table::from_csv(bytes, csv_options(options)?)
            .map(Table)
            .map_err(to_js)
    }

    /// MNIST-style IDX files (gzipped or not): images, and labels when given. The images'
    /// bytes are taken, not borrowed, so their buffer can become the pixels.
    pub fn from_idx(images: Vec<u8>, labels: Option<Vec<u8>>) -> Result<Table, JsError> {
        let set = read_idx(images, labels.as_deref()).map_err(to_js)?;
        Ok(Table(data::Table::from_images(set)))
    }

    /// Adds another pair of IDX files of the same image size (MNIST's training and test files
    /// together make the 70,000-digit set).
    pub fn append_idx(
        &mut self,
        name: &str,
        images: Vec<u8>,
        labels: Option<Vec<u8>>,
    ) -> Result<(), JsError> {
        let more = read_idx(images, labels.as_deref())
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        let Source::Images(set) = &mut self.0.source else {
            return Err(JsError::new("IDX files cannot be added to a CSV table"));
        };
        // Checked before appending, so a refused file leaves the table as it was. The page
        // names all the files; the message counts them together.
        set.fits_with(&more, LARGEST_BLOCK).map_err(to_js)?;
        set.append(more)
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        // The old floats go before the new ones are made: both at once may not fit.
        self.0.dataset.features = Default::default();
        self.0.dataset = set.to_dataset();
        Ok(())
    }

    /// Decoded pictures: `planes` holds `names.len()` images of `channels × side × side`
    /// bytes, channel-major. Labels come from `labels_csv` (`filename,label`) or from the
    /// folders in `names`, when either names every image.
    pub fn from_images(
        planes: Vec<u8>,
        side: usize,
        channels: usize,
        names: Vec<String>,
        labels_csv: Option<String>,
    ) -> Result<Table, JsError> {
        let set = ImageSet::from_pictures(planes, side, channels, names, labels_csv.as_deref())
            .map_err(|e| JsError::new(&e))?;
        Ok(Table(data::Table::from_images(set)))
    }

    /// Time series from files dropped together (`names[i]` names `files[i]`): `.ts` files
    /// (a set's train and test files are joined), or CSV files, each in the long layout when
    /// `options.id` names the series column, else each file one series. `options`: a JSON
    /// object `{length, scaling: "auto"|"channel"|"series"|"none", id, time, label, ignored}`, every
    /// field optional.
    pub fn from_series(
        names: Vec<String>,
        files: Vec<Uint8Array>,
        options: Option<String>,
    ) -> Result<Table, JsError> {
        let set = series_set(names, files, options.as_deref())?;
        Ok(Table(data::Table::from_series(set)))
    }

    /// `[channels, length]` for series, empty otherwise.
    #[wasm_bindgen(getter)]
    pub fn series_shape(&self) -> Vec<usize> {
        self.0
            .series_shape()
            .map_or(Vec::new(), |(channels, length)| vec![channels, length])
    }

    /// Every series at the common length, unscaled, `rows × channels × length` (empty for
    /// other data): what the page draws.
    pub fn series_values(&self) -> Float32Array {
        match &self.0.source {
            Source::Series(set) => Float32Array::from(set.resampled().as_slice()),
            _ => Float32Array::new_with_length(0),
        }
    }

    /// Series names, channel names, the scaling used and the network automatic trains
    /// (by whether the series line up), whether their lengths differ and the shorter are
    /// padded, and whether each file was one channel, for the page: `{names, channels,
    /// scaling, unequal, padded, network, channelFiles}`;
    /// `undefined` for other data.
    pub fn series_info(&self) -> JsValue {
        let Source::Series(set) = &self.0.source else {
            return JsValue::UNDEFINED;
        };
        let strings = |v: &[String]| js_sys::Array::from_iter(v.iter().map(|s| JsValue::from_str(s)));
        object(&[
            ("names", strings(&set.names()).into()),
            ("channels", strings(&set.channel_names).into()),
            ("scaling", set.scaling.name().into()),
            ("unequal", set.unequal().into()),
            ("padded", set.shrink.is_some().into()),
            ("channelFiles", set.channel_files.into()),
            // Roles reading gave columns by itself: the time found, text left out.
            (
                "foundTime",
                set.found_columns.time.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            ),
            ("leftOutText", strings(&set.found_columns.text).into()),
            (
                "network",
                SeriesNetwork::automatic(set.aligned() == Some(true)).name().into(),
            ),
        ])
    }

    /// Each cluster's mean and spread per channel and time step (see
    /// [`SeriesSet::cluster_bands`]); empty for other data.
    pub fn series_bands(&self, labels: &[u32], k: usize) -> Float32Array {
        match &self.0.source {
            Source::Series(set) => Float32Array::from(set.cluster_bands(labels, k).as_slice()),
            _ => Float32Array::new_with_length(0),
        }
    }

    /// How each channel of series tells the clusters apart (see
    /// [`SeriesSet::channel_differences`]): `{text, channels: [{channel, share, by, level,
    /// movement, shape}]}`, most telling first, `by` in words ("how much it moves", `null`
    /// where nothing differs), `text` the sentence saying so; `null` for other data.
    pub fn series_channel_differences(&self, labels: &[u32], k: usize) -> String {
        let Some((list, names)) = self.0.channel_differences(labels, k) else {
            return "null".into();
        };
        let channels: Vec<serde_json::Value> = list
            .iter()
            .map(|d| {
                serde_json::json!({"channel": d.channel, "share": d.share, "by": d.by.map(|a| a.words()),
                    "level": d.level, "movement": d.movement, "shape": d.shape})
            })
            .collect();
        serde_json::json!({"text": channels_sentence(names, &list), "channels": channels}).to_string()
    }

    /// `[channels, side]` for images, empty for a CSV.
    #[wasm_bindgen(getter)]
    pub fn image_shape(&self) -> Vec<usize> {
        self.0
            .image_shape()
            .map_or(Vec::new(), |(channels, side)| vec![channels, side])
    }

    /// Every image's bytes, image after image, each channel-major (empty for a CSV). One call:
    /// fetching MNIST's 70,000 images one call each took 41 s in Chromium. Copied straight
    /// into JS memory, not through a second buffer in the wasm heap, which a set near the
    /// page's ceiling cannot spare.
    pub fn pixels(&self) -> Uint8Array {
        match &self.0.source {
            Source::Images(set) => Uint8Array::from(set.pixels.as_slice()),
            Source::Csv { .. } | Source::Series(_) => Uint8Array::new_with_length(0),
        }
    }

    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.0.dataset.rows
    }
    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.0.dataset.cols
    }
    /// Every column in the file, for the label-column picker.
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> Vec<String> {
        self.0.dataset.columns.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn label_column(&self) -> Option<String> {
        self.0.dataset.label_column.clone()
    }
    /// Number of distinct classes in the label column (a missing label not counted), 0
    /// without one.
    #[wasm_bindgen(getter)]
    pub fn n_classes(&self) -> usize {
        self.0.classes()
    }
    /// The method a user who changes nothing gets for this data (see
    /// [`crate::cluster::Method::default_for`]).
    #[wasm_bindgen(getter)]
    pub fn default_method(&self) -> String {
        crate::cluster::Method::default_for(self.0.kind())
            .name()
            .into()
    }

    /// Data rows in the file (`rows` of them are trained on).
    #[wasm_bindgen(getter)]
    pub fn file_rows(&self) -> usize {
        self.0.dataset.file_rows
    }
    /// `"fill"` or `"drop"` (what was done with missing cells), `""` for images.
    #[wasm_bindgen(getter)]
    pub fn missing(&self) -> String {
        self.0.dataset.preparation.as_ref().map_or("", |p| p.missing.name()).into()
    }
    /// `"shared"` or `"standard"` (how the numbers were scaled), `""` for images.
    #[wasm_bindgen(getter)]
    pub fn scaling(&self) -> String {
        match &self.0.dataset.preparation {
            None => "",
            Some(p) if p.shared => "shared",
            Some(_) => "standard",
        }
        .into()
    }
    /// Why a CSV's number columns look like the time steps of a series in each row ("its 40
    /// number columns have no names of their own…"); `None` when they do not
    /// ([`series_in_rows_hint`]).
    #[wasm_bindgen(getter)]
    pub fn series_in_rows_hint(&self) -> Option<String> {
        series_in_rows_hint(&self.0.dataset.column_info)
    }

    /// Every column as the columns table shows it: `[{name, kind, role, missing, distinct,
    /// reason, categories}]`.
    pub fn columns_json(&self) -> String {
        serde_json::Value::Array(
            self.0
                .dataset
                .column_info
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "name": c.name, "kind": c.kind.name(), "role": c.role.name(),
                        "missing": c.missing, "distinct": c.distinct, "reason": c.reason,
                        "categories": c.categories.iter().take(12).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        )
        .to_string()
    }

    /// What sets each cluster apart: `{json, csv}`, the profiles as JSON text (see
    /// [`data::prepare::Profiles::to_json`]) and as CSV bytes; `undefined` for images. One
    /// call, since profiling reads the file again.
    pub fn profiles(&self, labels: &[u32], k: usize) -> Result<JsValue, JsError> {
        Ok(match self.0.profiles(labels, k).map_err(to_js)? {
            None => JsValue::UNDEFINED,
            Some(p) => object(&[
                ("json", p.to_json().into()),
                ("csv", Uint8Array::from(&p.to_csv()[..]).into()),
            ]),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.0.dataset.warnings.clone()
    }

    /// The original file with `cluster` and `confidence` columns appended; for images, one
    /// row per file.
    pub fn result_csv(&self, labels: &[u32], confidence: &[f32]) -> Result<Vec<u8>, JsError> {
        self.0.result_csv(labels, confidence).map_err(to_js)
    }

    /// `[ACC, NMI, ARI]` against the label column, or an empty array without one.
    pub fn scores(&self, labels: &[u32]) -> Vec<f64> {
        self.0
            .scores(labels)
            .map_or(Vec::new(), |s| vec![s.acc, s.nmi, s.ari])
    }

    /// Names of the classes in the label column, in the order of [`Table::confusion`]'s rows.
    #[wasm_bindgen(getter)]
    pub fn class_names(&self) -> Vec<String> {
        self.0.dataset.label_names.clone()
    }

    /// Counts of class × cluster, row-major `classes × k` (empty without a label column).
    pub fn confusion(&self, labels: &[u32], k: usize) -> Vec<u32> {
        let Some(truth) = &self.0.dataset.labels else {
            return Vec::new();
        };
        let mut counts = vec![0u32; self.0.dataset.label_names.len() * k];
        for (&t, &l) in truth.iter().zip(labels) {
            if (l as usize) < k {
                counts[t as usize * k + l as usize] += 1;
            }
        }
        counts
    }
}

/// Series from files dropped together: `.ts` files, or CSV files (see [`Table::from_series`]).
pub(super) fn series_set(
    names: Vec<String>,
    files: Vec<Uint8Array>,
    options: Option<&str>,
) -> Result<SeriesSet, JsError> {
    let (columns, options) = series_options(options)?;
    let note = other_half_note(&names);
    let mut set = read_series(names, files, &columns, options)?;
    set.warnings.extend(note);
    Ok(set)
}

/// Series files as [`series_set`] reads them, with options already parsed.
pub(super) fn read_series(
    names: Vec<String>,
    files: Vec<Uint8Array>,
    columns: &LongColumns,
    options: SeriesOptions,
) -> Result<SeriesSet, JsError> {
    let files: Vec<(String, Vec<u8>)> = names.into_iter().zip(files.iter().map(Uint8Array::to_vec)).collect();
    SeriesSet::from_files(&files, columns, options).map_err(to_js)
}

/// The long-CSV columns and series options in a page's JSON options.
fn series_options(json: Option<&str>) -> Result<(LongColumns, SeriesOptions), JsError> {
    let v: serde_json::Value = match json {
        None => serde_json::Value::Null,
        Some(j) => serde_json::from_str(j).map_err(|e| JsError::new(&format!("series options: {e}")))?,
    };
    let text = |key: &str| v.get(key).and_then(|x| x.as_str()).filter(|s| !s.is_empty()).map(str::to_string);
    let scaling = match text("scaling") {
        None => None,
        Some(name) => SeriesScaling::requested(&name)
            .ok_or_else(|| JsError::new(&format!("series scaling \"{name}\": use auto, channel, series or none")))?,
    };
    let lengths = match text("lengths") {
        None => SeriesLengths::default(),
        Some(name) => SeriesLengths::from_name(&name)
            .ok_or_else(|| JsError::new(&format!("series lengths \"{name}\": use auto, resample or pad")))?,
    };
    let length = v.get("length").and_then(|x| x.as_u64()).map(|l| l as usize);
    let files_as = match text("filesAs") {
        None => FilesAs::default(),
        Some(name) => FilesAs::from_name(&name)
            .ok_or_else(|| JsError::new(&format!("series files \"{name}\": use auto, series or channels")))?,
    };
    let ignored = v
        .get("ignored")
        .and_then(|x| x.as_array())
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok((
        LongColumns {
            wide: v.get("wide").and_then(|x| x.as_bool()).unwrap_or(false),
            id: text("id"),
            // '' is no time column at all (NO_TIME): a time found by itself set back by hand.
            time: v.get("time").and_then(|x| x.as_str()).map(str::to_string),
            label: text("label"),
            ignored,
            files_as,
        },
        SeriesOptions { length, scaling, lengths },
    ))
}

/// Side of the square images to train on for pictures of these sizes (see
/// [`default_side`]).
#[wasm_bindgen]
pub fn default_image_side(widths: Vec<u32>, heights: Vec<u32>) -> usize {
    let sizes: Vec<(usize, usize)> = widths
        .iter()
        .zip(&heights)
        .map(|(&w, &h)| (w as usize, h as usize))
        .collect();
    default_side(&sizes)
}

/// Refuses `count` pictures of `channels × side × side` that the page could not train on
/// (see [`data::capacity`]), so a folder is turned down before it is decoded.
#[wasm_bindgen]
pub fn check_pictures_fit(count: usize, side: usize, channels: usize) -> Result<(), JsError> {
    data::capacity::check_images_fit(count, (side, side, channels), LARGEST_BLOCK, true)
        .map_err(to_js)
}

/// `[x, y, side]`: the centred square to cut from a `width × height` picture.
#[wasm_bindgen]
pub fn centre_crop(width: u32, height: u32) -> Vec<u32> {
    let (x, y, side) = centre_square(width as usize, height as usize);
    vec![x as u32, y as u32, side as u32]
}

/// A canvas's RGBA pixels as `channels` (1 or 3) planes.
#[wasm_bindgen]
pub fn to_planes(rgba: &[u8], side: usize, channels: usize) -> Vec<u8> {
    rgba_to_planes(rgba, side, side, channels)
}

/// A series teaching set as the file it stands for: `{file, bytes, columns}`, `columns` how to
/// read a CSV with a series in each row (`{wide, id, label}`; null for a `.ts`); `undefined`
/// for a name that is not a series sample.
#[wasm_bindgen]
pub fn sample_series(name: &str, seed: u32) -> JsValue {
    let Some(s) = series_sample(name, seed as u64) else {
        return JsValue::UNDEFINED;
    };
    let columns = s.columns.map_or(JsValue::NULL, |c| {
        let text = |v: Option<String>| v.map_or(JsValue::NULL, |v| v.into());
        object(&[("wide", c.wide.into()), ("id", text(c.id)), ("label", text(c.label))])
    });
    object(&[
        ("file", s.file.into()),
        ("bytes", Uint8Array::from(&s.bytes[..]).into()),
        ("columns", columns),
    ])
}

/// A synthetic teaching set as CSV bytes (`x,y[,label]`), or an error naming the known ones.
#[wasm_bindgen]
pub fn sample_csv(name: &str, seed: u32) -> Result<Vec<u8>, JsError> {
    data::synthetic_sample(name, seed as u64)
        .map(|s| s.to_csv())
        .ok_or_else(|| {
            JsError::new(&format!(
                "there is no sample called \"{name}\"; the samples are {}",
                data::SYNTHETIC_SAMPLES.join(", ")
            ))
        })
}
