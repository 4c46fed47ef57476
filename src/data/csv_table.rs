//! CSV → [`Dataset`]. Every rejection names the line and column in the file and says what
//! to do, because the person reading it is looking at their spreadsheet, not at our code.

use super::Dataset;
use super::encoding::as_utf8;
use std::borrow::Cow;
use super::csv_build::build_dataset;
use super::prepare::{MissingPolicy, Preparation, Role, ScalingChoice};
use super::spaced::{SPACES, Source, space_fields};
use thiserror::Error;

/// Which column holds known classes (kept out of the features, used only for scores).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LabelColumn {
    /// Every column is a feature.
    None,
    /// A header named `label`, `class` or `target` (any case), if there is one.
    #[default]
    Auto,
    Name(String),
    /// 0-based.
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// `None` detects a header: the first row is one when it has text where later rows have
    /// numbers.
    pub has_header: Option<bool>,
    pub label: LabelColumn,
    /// `None` detects `,`, `;`, tab, `|` or runs of spaces (`b' '`) from the first lines.
    /// With any delimiter but `,`, a decimal comma (`3,14`) reads as a decimal point, as
    /// spreadsheets in many locales write it.
    pub delimiter: Option<u8>,
    /// The user's choice of role for columns, by name; others keep the detected one. A
    /// `Label` here overrides `label`.
    pub roles: Vec<(String, Role)>,
    pub missing: MissingPolicy,
    pub scaling: ScalingChoice,
    /// Prepare the rows with a saved model's preparation instead of fitting one: new rows
    /// must become features exactly as its training rows did.
    pub prepared: Option<Preparation>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            has_header: None,
            label: LabelColumn::Auto,
            delimiter: None,
            roles: Vec::new(),
            missing: MissingPolicy::Fill,
            scaling: ScalingChoice::Auto,
            prepared: None,
        }
    }
}

impl CsvOptions {
    /// Options from the page or the JS library: `{"label": null | "" | "name", "roles":
    /// {"column": "feature" | "label" | "ignored"}, "missing": "fill" | "drop", "scaling":
    /// "auto" | "standard" | "shared"}`, every field optional. `label` null picks a column
    /// named like a label; `""` means none.
    pub fn from_json(json: &str) -> Result<CsvOptions, String> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("table options are not JSON: {e}"))?;
        let mut options = CsvOptions::default();
        let Some(object) = value.as_object() else {
            return Err("table options must be a JSON object".into());
        };
        for (key, v) in object {
            let text = || v.as_str().ok_or_else(|| format!("table option \"{key}\" must be text"));
            match key.as_str() {
                "label" => {
                    options.label = match v.as_str() {
                        _ if v.is_null() => LabelColumn::Auto,
                        Some("") => LabelColumn::None,
                        Some(name) => LabelColumn::Name(name.to_string()),
                        None => return Err("table option \"label\" must be text or null".into()),
                    }
                }
                "roles" => {
                    let Some(roles) = v.as_object() else {
                        return Err("table option \"roles\" must be an object".into());
                    };
                    for (name, role) in roles {
                        let role = role.as_str().and_then(Role::from_name).ok_or_else(|| {
                            format!("the role of column \"{name}\" must be feature, label or ignored")
                        })?;
                        options.roles.push((name.clone(), role));
                    }
                }
                "missing" => {
                    options.missing = MissingPolicy::from_name(text()?)
                        .ok_or("Missing cells must be fill or drop")?
                }
                "scaling" => {
                    options.scaling = ScalingChoice::from_name(text()?)
                        .ok_or("Scaling must be auto, standard or shared")?
                }
                _ => return Err(format!("unknown table option \"{key}\"")),
            }
        }
        Ok(options)
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum CsvError {
    #[error(
        "the file is empty. Choose a CSV file with one row per item and one column per number."
    )]
    Empty,
    #[error(
        "this is not a text file (line {line} holds bytes that are not text, as a spreadsheet's own .xlsx or a picture does). Export your table as CSV (UTF-8) and try again."
    )]
    NotText { line: u64 },
    #[error(
        "could not read the file as CSV near line {line}: {reason}. Check that quotes are balanced."
    )]
    Malformed { line: u64, reason: String },
    #[error(
        "line {line} has {found} fields but the first row has {expected}. Every row needs the same number of columns; check that line for a missing or extra separator (comma, semicolon, tab or space)."
    )]
    RaggedRow {
        line: u64,
        found: usize,
        expected: usize,
    },
    #[error("there is no column named \"{name}\" to use as labels. Columns are: {available}.")]
    UnknownLabelColumn { name: String, available: String },
    #[error("there is no column named \"{name}\". Columns are: {available}.")]
    UnknownColumn { name: String, available: String },
    #[error("label column {index} does not exist; the file has {cols} columns.")]
    LabelIndexOutOfRange { index: usize, cols: usize },
    #[error(
        "column \"{name}\" can't be a feature: it holds {why}. It can be the label or be ignored."
    )]
    NotAFeature { name: String, why: String },
    #[error(
        "no column can be used as a feature{skipped}. deepclust needs a table with at least one column of numbers or categories: one row per item, one column per measurement."
    )]
    NoNumericColumns { skipped: String },
    #[error(
        "every row has a missing feature cell, so leaving such rows out leaves nothing. Fill them in instead (Missing cells: fill)."
    )]
    EveryRowMissing,
    #[error(
        "the model was trained on {count} columns, among them \"{name}\", which this file does not have. Use a file with the training file's columns."
    )]
    ModelColumnMissing { count: usize, name: String },
    #[error(
        "this does not look like a table: its lines have different numbers of fields and hold no numbers. deepclust needs a CSV file: one row per item, one column per measurement, separated by commas."
    )]
    NotATable,
    #[error(
        "the file has {found} columns but the model was trained on {expected}. Use a file with the same columns as the training data, or give it a header row with their names."
    )]
    ColumnCount { expected: usize, found: usize },
    #[error("only {rows} data row(s) found; clustering needs at least 2 rows.")]
    TooFewRows { rows: usize },
    #[error(
        "the file has a header line ({names}) but no rows of data below it. Export the table with its rows."
    )]
    HeaderOnly { names: String },
    /// An error in one of the parts of a table read as one ([`super::join_parts`]), its line
    /// that part's own.
    #[error("{part}: {error}")]
    InPart { part: String, error: Box<CsvError> },
}

impl CsvError {
    /// The line the error names, if it names one.
    fn line_mut(&mut self) -> Option<&mut u64> {
        match self {
            Self::NotText { line }
            | Self::Malformed { line, .. }
            | Self::RaggedRow { line, .. } => Some(line),
            _ => None,
        }
    }
}

/// Where each part of a table read as one sits in the joined file: its name, the line of its
/// first row there, and each of its rows' lines in the part itself.
#[derive(Debug, Clone, Default)]
pub(super) struct PartLines(pub Vec<(String, u64, Vec<u64>)>);

impl PartLines {
    /// The part holding line `at` of the joined file, and the line in that part.
    fn part_of(&self, at: u64) -> Option<(&str, u64)> {
        let (part, start, lines) = self.0.iter().rev().find(|(_, start, _)| at >= *start)?;
        Some((part, lines.get((at - start) as usize).copied().unwrap_or(at)))
    }

    /// The error with its line moved to the part's own, naming the part.
    fn place(&self, mut error: CsvError) -> CsvError {
        let Some(line) = error.line_mut() else {
            return error;
        };
        let Some((part, own)) = self.part_of(*line) else {
            return error;
        };
        *line = own;
        CsvError::InPart {
            part: part.to_string(),
            error: Box::new(error),
        }
    }

    /// How a note names line `at`: `line 4`, or in a part `a_test.csv line 4`.
    pub(super) fn name(&self, at: u64) -> String {
        match self.part_of(at) {
            Some((part, own)) => format!("{part} line {own}"),
            None => format!("line {at}"),
        }
    }
}

pub(super) const AUTO_LABEL_NAMES: [&str; 3] = ["label", "class", "target"];

/// Where column `name` is among `names`: as written (spaces around it aside), else in other
/// letters (`ISLAND` for `island`) when only one column matches so.
pub(super) fn column_by_name(names: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    let alike = |n: &&String| n.trim().eq_ignore_ascii_case(name);
    names
        .iter()
        .position(|n| n.trim() == name)
        .or_else(|| (names.iter().filter(alike).count() == 1).then(|| names.iter().position(|n| alike(&n))).flatten())
}

/// Parses a CSV file into features: each column detected as numbers, categories or left out
/// (ids, dates, free text), missing cells filled or their rows left out, all with notes; a
/// stray word in a numeric column is read as missing and named by its line in a note, so the
/// user can correct it.
pub fn parse_csv(bytes: &[u8], options: &CsvOptions) -> Result<Dataset, CsvError> {
    let ((header, records, delimiter), above) = read_noted_records(bytes, options)?;
    let mut dataset = noted(build_dataset(header, records, delimiter != b',', options, &PartLines::default())?, delimiter);
    dataset.warnings.splice(0..0, above);
    Ok(dataset)
}

/// Says so when the columns were separated by spaces: the results come back as a CSV.
fn noted(mut dataset: Dataset, delimiter: u8) -> Dataset {
    if delimiter == SPACES {
        dataset
            .warnings
            .insert(0, "Read as columns separated by spaces; the results file separates them with commas.".into());
    }
    dataset
}

/// A CSV file parsed a slice of records at a time, so a caller can show progress and stay
/// responsive between slices (the browser's worker on a file of hundreds of megabytes). Gives
/// the same result and the same errors as [`parse_csv`].
pub struct CsvParse {
    records: Records<std::io::Cursor<Vec<u8>>>,
    options: CsvOptions,
    len: usize,
    /// Said before the table's own notes (how parts were joined into this file).
    notes: Vec<String>,
    /// For parts joined into this file, where each one's rows are: errors name the part.
    parts: PartLines,
}

impl CsvParse {
    pub fn new(bytes: Vec<u8>, options: CsvOptions) -> Result<Self, CsvError> {
        let (decoded, encoding) = match as_utf8(&bytes) {
            (Cow::Owned(text), encoding) => (Some(text), encoding),
            (Cow::Borrowed(_), encoding) => (None, encoding),
        };
        let bytes = decoded.unwrap_or(bytes);
        let (start, delimiter) = check_text(&bytes, &options)?;
        let len = bytes.len();
        let mut cursor = std::io::Cursor::new(bytes);
        cursor.set_position(start as u64);
        Ok(Self {
            records: Records::new(cursor, delimiter),
            options,
            len,
            notes: encoding.map(|e| e.note("")).into_iter().collect(),
            parts: PartLines::default(),
        })
    }

    /// The file is parts joined into one: `note` says so first among the table's notes, and
    /// errors name the part and its own line.
    pub(super) fn of_parts(mut self, note: String, parts: PartLines) -> Self {
        self.notes.push(note);
        self.parts = parts;
        self
    }

    /// Reads up to `max` more records; returns the share of the file read so far (1 at the
    /// end).
    pub fn advance(&mut self, max: usize) -> Result<f32, CsvError> {
        self.records.read(max).map_err(|e| self.parts.place(e))?;
        Ok(if self.records.done {
            1.0
        } else {
            (self.records.reader.position().byte() as f64 / self.len.max(1) as f64).min(1.0) as f32
        })
    }

    pub fn done(&self) -> bool {
        self.records.done
    }

    /// Reads whatever is left, then checks and scales the table; returns it with the file's
    /// bytes (a result file is written from them).
    pub fn finish(mut self) -> Result<(Dataset, Vec<u8>, CsvOptions), CsvError> {
        let parts = std::mem::take(&mut self.parts);
        self.read_to_end(&parts).map_err(|e| parts.place(e))
    }

    fn read_to_end(mut self, parts: &PartLines) -> Result<(Dataset, Vec<u8>, CsvOptions), CsvError> {
        self.records.read(usize::MAX)?;
        let (comma, delimiter) = (self.records.decimal_comma(), self.records.delimiter);
        let (header, records, above) = self.records.split(&self.options)?;
        let mut dataset = noted(build_dataset(header, records, comma, &self.options, parts)?, delimiter);
        dataset.warnings.splice(0..0, self.notes.into_iter().chain(above));
        let bytes = self.records.reader.into_inner().into_inner().into_inner();
        Ok((dataset, bytes, self.options))
    }
}

pub(super) struct Record {
    /// 1-based line in the file where the record starts.
    pub line: u64,
    /// One buffer for the whole row: a large table held as a `String` per cell took three
    /// times the memory (docs/PERFORMANCE.md, "Reading large files").
    pub fields: csv::StringRecord,
}

/// A file's header (when it has one), its records and the delimiter they were read with.
pub(super) type ReadRecords = (Option<Vec<String>>, Vec<Record>, u8);

/// Reads every record, checks that rows are rectangular, and splits off the header.
pub(super) fn read_records(bytes: &[u8], options: &CsvOptions) -> Result<ReadRecords, CsvError> {
    read_noted_records(bytes, options).map(|(read, _)| read)
}

/// [`read_records`], with the notes on rows left out above and below the table.
pub(super) fn read_noted_records(
    bytes: &[u8],
    options: &CsvOptions,
) -> Result<(ReadRecords, Vec<String>), CsvError> {
    let (bytes, encoding) = as_utf8(bytes);
    let (start, delimiter) = check_text(&bytes, options)?;
    let mut records = Records::new(&bytes[start..], delimiter);
    records.read(usize::MAX)?;
    let (header, records, mut notes) = records.split(options)?;
    notes.splice(0..0, encoding.map(|e| e.note("")));
    Ok(((header, records, delimiter), notes))
}

/// Refuses empty and binary files before any parsing; returns where the text starts (after a
/// UTF-8 byte-order mark) and the delimiter.
fn check_text(bytes: &[u8], options: &CsvOptions) -> Result<(usize, u8), CsvError> {
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = &bytes[start..];
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty);
    }
    if let Some(pos) = text.iter().take(64 * 1024).position(|&b| b == 0) {
        let before = &text[..pos];
        let ends = before.iter().enumerate().filter(|&(i, &b)| {
            b == b'\n' || (b == b'\r' && before.get(i + 1).is_none_or(|&n| n != b'\n'))
        });
        let line = 1 + ends.count() as u64;
        return Err(CsvError::NotText { line });
    }
    Ok((start, delimiter_of(bytes, options)))
}

/// Records read so far from a CSV reader, read in slices.
struct Records<R> {
    reader: csv::Reader<Source<R>>,
    records: Vec<Record>,
    delimiter: u8,
    done: bool,
}

impl<R: std::io::Read> Records<R> {
    fn new(source: R, delimiter: u8) -> Self {
        let (source, split_at) = Source::new(source, delimiter);
        Self {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(split_at)
                .from_reader(source),
            records: Vec::new(),
            delimiter,
            done: false,
        }
    }

    /// Whether a comma in a cell is a decimal comma: the file is not split at commas.
    fn decimal_comma(&self) -> bool {
        self.delimiter != b','
    }

    /// Reads up to `max` more records (blank lines are skipped and not counted).
    fn read(&mut self, max: usize) -> Result<(), CsvError> {
        let mut record = csv::StringRecord::new();
        let mut read = 0;
        while read < max && !self.done {
            let more = match self.reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    return Err(match e.kind() {
                        // Its position is the record's start as the reader counts it (before
                        // empty lines, a CRLF short): counted back from its end instead.
                        csv::ErrorKind::Utf8 { .. } => CsvError::NotText {
                            line: self.line_of(&csv::StringRecord::new()),
                        },
                        _ => CsvError::Malformed {
                            line: e.position().map_or(0, |p| p.line()),
                            reason: e.to_string(),
                        },
                    });
                }
            };
            if !more {
                self.done = true;
                break;
            }
            read += 1;
            if record.iter().all(|f| f.trim().is_empty()) {
                // Still asked, so the line feeds noted before it are let go.
                self.line_of(&record);
                continue;
            }
            // Sized to the row: the reader's own buffer grows by doubling.
            let mut fields = csv::StringRecord::with_capacity(record.as_slice().len(), record.len());
            fields.extend(record.iter());
            let line = self.line_of(&fields);
            self.records.push(Record { line, fields });
        }
        Ok(())
    }

    /// The line where the record just read starts. The reader's own start is where the
    /// previous record ended, before any empty lines, and counts a CRLF's line feed with the
    /// next record; so the line is counted back from where the record ended: the line feeds
    /// inside its quoted fields, and the one that ended it, if one did.
    fn line_of(&mut self, fields: &csv::StringRecord) -> u64 {
        let end = self.reader.position().clone();
        let inside: usize = fields.iter().map(|f| f.matches('\n').count()).sum();
        let ended = end.byte() > 0 && self.reader.get_mut().line_feed_at(end.byte() - 1);
        end.line().saturating_sub(inside as u64 + u64::from(ended)).max(1)
    }

    /// Checks that the rows are rectangular and splits off the header (all records taken);
    /// a spreadsheet's title above the table and its totals row below are left out, and the
    /// notes say so.
    fn split(
        &mut self,
        options: &CsvOptions,
    ) -> Result<(Option<Vec<String>>, Vec<Record>, Vec<String>), CsvError> {
        let mut records = std::mem::take(&mut self.records);
        let comma = self.decimal_comma();
        let parse_number = |f: &str| parse_number(f, comma);
        if records.is_empty() {
            return Err(CsvError::Empty);
        }
        if self.delimiter == SPACES {
            name_row_names(&mut records);
        }
        let mut notes = Vec::new();
        if options.has_header.is_none() {
            notes.extend(title_rows(&mut records, comma));
        }
        let expected = records[0].fields.len();
        notes.extend(trailing_separators(&mut records));
        if let Some(bad) = records.iter().find(|r| r.fields.len() != expected) {
            // Prose or a list of words: "not a table" says more than "line 2 has 1 field".
            if !records
                .iter()
                .any(|r| r.fields.iter().any(|f| parse_number(f).is_some()))
            {
                return Err(CsvError::NotATable);
            }
            return Err(CsvError::RaggedRow {
                line: bad.line,
                found: bad.fields.len(),
                expected,
            });
        }
        let has_header = options
            .has_header
            .unwrap_or_else(|| looks_like_header(&records, comma));
        let header = has_header.then(|| records.remove(0).fields.iter().map(str::to_string).collect());
        notes.extend(totals_row(&mut records));
        Ok((header, records, notes))
    }
}

/// A record's cells with something in them.
fn filled(record: &Record) -> impl Iterator<Item = &str> {
    record.fields.iter().map(str::trim).filter(|f| !f.is_empty())
}

/// Rows below the first that each end with one more separator than it has fields (an export
/// that writes `1,2,` under `a,b`): the empty last field is dropped, with a note.
fn trailing_separators(records: &mut [Record]) -> Option<String> {
    let (first, rest) = records.split_first_mut()?;
    let width = first.fields.len();
    let trailing = |r: &Record| r.fields.len() == width + 1 && r.fields.get(width).is_some_and(|f| f.trim().is_empty());
    if rest.is_empty() || !rest.iter().all(trailing) {
        return None;
    }
    for r in rest.iter_mut() {
        r.fields.truncate(width);
    }
    Some(format!(
        "Every row below line {} ends with one more separator than that line has columns; the empty last field is left out.",
        first.line
    ))
}

/// Lines above a spreadsheet's table (a report's title, its date), each text in the first
/// cell and nothing after it, before a row of two or more filled cells: taken out, with a
/// note. A table's own first row has a cell in most columns; the header of one column beside
/// row names (pandas' `,x`, R's `"","x"`) has its one name in the second.
fn title_rows(records: &mut Vec<Record>, comma: bool) -> Option<String> {
    let is_title = |r: &Record| {
        let first = r.fields.get(0).map_or("", str::trim);
        !first.is_empty() && parse_number(first, comma).is_none() && filled(r).count() == 1
    };
    let above = records.iter().take(5).take_while(|r| is_title(r)).count();
    let below = records.get(above)?;
    if above == 0 || filled(below).count() < 2 || records.len() < above + 2 {
        return None;
    }
    let starts = below.line;
    let said: Vec<String> = records
        .drain(..above)
        .map(|r| format!("line {} (\"{}\")", r.line, filled(&r).next().unwrap_or_default()))
        .collect();
    Some(format!(
        "Left out {}: a title above the table, one cell of text; the table starts on line {}.",
        said.join(" and "),
        starts
    ))
}

/// What a spreadsheet's totals row starts with (the whole cell, a colon allowed).
const TOTALS: [&str; 8] = ["total", "totals", "grand total", "sum", "summe", "gesamt", "totaal", "totale"];

/// The last row when it sums the others: its first filled cell is a word such as `Total`
/// (the whole cell: `Total Recall` is a film) that no other row starts with. Taken out, with a
/// note: it would be an outlier far from every cluster.
fn totals_row(records: &mut Vec<Record>) -> Option<String> {
    let first = |r: &Record| filled(r).next().map(|f| f.trim_end_matches(':').to_lowercase());
    let (last, rest) = records.split_last()?;
    let word = first(last)?;
    let totals = TOTALS.contains(&word.trim());
    if !totals || rest.len() < 2 || rest.iter().any(|r| first(r).as_ref() == Some(&word)) {
        return None;
    }
    let line = last.line;
    let shown = filled(last).next().unwrap_or_default().to_string();
    records.pop();
    Some(format!("Left out line {line} (\"{shown}\"): a totals row below the table."))
}

/// R's `write.table` writes the row names as a first column without a name: a first line one
/// field shorter than every other gets an empty name for it (a blank name is numbered, and a
/// column of row numbers is then left out as an identifier).
fn name_row_names(records: &mut [Record]) {
    let width = records[0].fields.len();
    if records.len() >= 2 && records[1..].iter().all(|r| r.fields.len() == width + 1) {
        let mut named = csv::StringRecord::with_capacity(records[0].fields.as_slice().len(), width + 1);
        named.push_field("");
        named.extend(records[0].fields.iter());
        records[0].fields = named;
    }
}

/// A header has text where the next row has numbers (or is all text, for a header-only file
/// of names). A table of text alone has one when each first-row cell is text never seen again
/// in its column while some column repeats its values (categories).
fn looks_like_header(records: &[Record], comma: bool) -> bool {
    let parse_number = |f: &str| parse_number(f, comma);
    let first = &records[0].fields;
    let is_text = |f: &str| !f.trim().is_empty() && parse_number(f).is_none();
    let Some(second) = records.get(1) else {
        return first.iter().all(|f| is_text(f));
    };
    if first
        .iter()
        .zip(second.fields.iter())
        .any(|(a, b)| is_text(a) && parse_number(b).is_some())
    {
        return true;
    }
    if !first.iter().all(|f| is_text(f)) || records.len() < 3 {
        return false;
    }
    let rest = &records[1..records.len().min(200)];
    let column = |c: usize| rest.iter().map(move |r| r.fields[c].trim());
    let unique_first = (0..first.len()).all(|c| column(c).all(|v| v != first[c].trim()));
    let repeats = (0..first.len()).any(|c| {
        let mut seen: Vec<&str> = column(c).collect();
        seen.sort_unstable();
        seen.windows(2).any(|w| w[0] == w[1])
    });
    unique_first && repeats
}

/// A cell's number: as a program writes it (`-1.5e3`; `3,14` with a decimal comma), or as a
/// spreadsheet shows it ([`formatted_number`]).
pub(super) fn parse_number(field: &str, decimal_comma: bool) -> Option<f32> {
    plain_number(field, decimal_comma).or_else(|| formatted_number(field, decimal_comma))
}

/// A number as a program writes it: `-1.5e3`, and `3,14` where commas are decimal.
pub(super) fn plain_number(field: &str, decimal_comma: bool) -> Option<f32> {
    let field = field.trim();
    match field.parse::<f32>() {
        Ok(v) => Some(v),
        Err(_) if decimal_comma && field.matches(',').count() == 1 && !field.contains('.') => {
            field.replace(',', ".").parse().ok()
        }
        Err(_) => None,
    }
}

/// Signs of money a spreadsheet puts before or after an amount.
const CURRENCIES: [char; 14] = ['$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₫', '₦', '₱', '₴', '฿'];

/// A number as a spreadsheet shows it: thousands grouped (`1,234,567.5`; `1.234.567,5` where
/// commas are decimal; `1 234`, `1'234`), a currency sign (`$1,200.50`, `12,50 €`), a percent
/// sign (`47%` is 47), accounting's parentheses for a negative amount (`(3.21)`), a sign
/// before or after the currency. Groups must be whole (one to three digits, then threes), so
/// `1,5` in a file of decimal points, a date or a code stays text.
fn formatted_number(field: &str, decimal_comma: bool) -> Option<f32> {
    let mut s = field.trim();
    // Excel's Comma Style writes zero as a dash padded on both sides (` -   `).
    if s == "-" && field.starts_with(' ') && field.ends_with(' ') {
        return Some(0.0);
    }
    if !s.bytes().any(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    // Sign, parentheses, currency and percent in any order around the amount (Excel's
    // accounting format writes ` $ (1,200.00) `), each at most once.
    let (mut negative, mut bracketed, mut currency, mut percent, mut signed) =
        (false, false, false, false, false);
    loop {
        let before = s;
        if !bracketed {
            if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                (s, negative, bracketed) = (inner.trim(), !negative, true);
            }
        }
        if let Some(rest) = s.strip_suffix('%').filter(|_| !percent) {
            (s, percent) = (rest.trim_end(), true);
        }
        for c in CURRENCIES {
            if currency {
                break;
            }
            if let Some(rest) = s.strip_prefix(c).or_else(|| s.strip_suffix(c)) {
                (s, currency) = (rest.trim(), true);
            }
        }
        // The accounting format's zero: a currency sign and a dash.
        if currency && s == "-" {
            return Some(0.0);
        }
        if !signed {
            if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
                (s, negative, signed) = (rest.trim_start(), !negative, true);
            } else if let Some(rest) = s.strip_prefix('+') {
                (s, signed) = (rest.trim_start(), true);
            }
        }
        if s == before {
            break;
        }
    }
    let point = if decimal_comma { ',' } else { '.' };
    let (whole, fraction) = s.split_once(point).unwrap_or((s, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let grouping = [if decimal_comma { '.' } else { ',' }, ' ', '\u{a0}', '\u{202f}', '\''];
    let digits: String = match whole.chars().find(|c| grouping.contains(c)) {
        None if currency || percent || negative => whole.to_string(),
        None => return None,
        Some(sep) => {
            let groups: Vec<&str> = whole.split(sep).collect();
            let (first, rest) = groups.split_first()?;
            let (last, middle) = rest.split_last()?;
            // Thousands (1,234,567), or India's lakhs and crores (12,34,567).
            let thousands = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
            let lakhs = (1..=2).contains(&first.len())
                && last.len() == 3
                && !middle.is_empty()
                && middle.iter().all(|g| g.len() == 2);
            if !(thousands || lakhs) || !whole.chars().all(|c| c == sep || c.is_ascii_digit()) {
                return None;
            }
            whole.chars().filter(|c| c.is_ascii_digit()).collect()
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: f32 = format!("{digits}.{fraction}0").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// How a column writes its decimals. In a file split at commas, with a point. In others, with
/// a comma (as such files do by default) unless the column's cells show a decimal point and
/// none a decimal comma (a US export split at tabs: `12.5`, `1,234.5`, `1,234,567`); and when
/// they show a decimal comma (`3,5`, `1.234,5`, `1.234.567`: German Excel), a point in
/// `1.234` groups thousands too. Cells like `1.234` or `1,234` alone could be either.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Decimals {
    Point,
    Comma,
    /// Commas, and points that group thousands.
    CommaGrouped,
}

impl Decimals {
    pub(super) fn of<'a>(cells: impl Iterator<Item = &'a str>, file_comma: bool) -> Self {
        if !file_comma {
            return Decimals::Point;
        }
        let (mut point, mut comma) = (false, false);
        for cell in cells.take(10_000) {
            match decimal_mark(cell) {
                Some(b'.') => point = true,
                Some(_) => comma = true,
                None => {}
            }
            if point && comma {
                return Decimals::Comma;
            }
        }
        match (point, comma) {
            (true, false) => Decimals::Point,
            (false, true) => Decimals::CommaGrouped,
            _ => Decimals::Comma,
        }
    }

    pub(super) fn comma(self) -> bool {
        self != Decimals::Point
    }

    pub(super) fn parse(self, field: &str) -> Option<f32> {
        if self == Decimals::CommaGrouped {
            let t = field.trim().trim_start_matches(['-', '+']);
            let grouped = t.split('.').count() > 1
                && t.split('.').enumerate().all(|(i, g)| {
                    g.bytes().all(|b| b.is_ascii_digit())
                        && if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 }
                });
            if grouped {
                return formatted_number(field, true);
            }
        }
        parse_number(field, self.comma())
    }

    /// Whether the cell is a number read otherwise than a program would write it.
    pub(super) fn formatted(self, field: &str) -> bool {
        self.parse(field)
            .is_some_and(|v| v.is_finite() && plain_number(field, self.comma()) != Some(v))
    }
}

/// The decimal mark a number cell shows beyond doubt: the last of two different marks
/// (`1,234.5`), a lone mark not followed by exactly three digits (`12.5`, `3,5`), or the other
/// one when a mark repeats (`1,234,567` has a point); `None` for `1.234`, integers and text.
fn decimal_mark(cell: &str) -> Option<u8> {
    if cell.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let marks: Vec<(usize, u8)> = cell
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'.' || *b == b',')
        .collect();
    let &(at, last) = marks.last()?;
    let after = cell[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
    match (marks.iter().all(|&(_, m)| m == last), marks.len()) {
        (false, _) => Some(last),
        (true, 1) if after != 3 => Some(last),
        (true, 1) => None,
        (true, _) => Some(if last == b'.' { b',' } else { b'.' }),
    }
}

/// The delimiter given, or the one of `,` `;` tab `|` that splits the first lines into the
/// same number of fields most often (`,` on a tie); when none splits the first line, runs of
/// spaces ([`SPACES`]) if they split most lines into the same two or more fields.
fn delimiter_of(bytes: &[u8], options: &CsvOptions) -> u8 {
    if let Some(d) = options.delimiter {
        return d;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A carriage return alone ends a line too (old Macs, Excel for Mac's "CSV (Macintosh)").
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .take(50)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        // Delimiters inside quotes do not count; a quoted field spanning lines is rare in
        // the first lines and only weakens the count.
        let count = |line: &[u8]| {
            let mut quoted = false;
            line.iter()
                .filter(|&&b| {
                    if b == b'"' {
                        quoted = !quoted;
                    }
                    b == d && !quoted
                })
                .count()
        };
        let first = lines.first().map_or(0, |l| count(l));
        let consistent = lines.iter().filter(|l| count(l) == first).count();
        if first > 0 && consistent > best.1 {
            best = (d, consistent);
        }
    }
    if best.1 == 0 && spaced(&lines) {
        return SPACES;
    }
    best.0
}

/// Whether whitespace splits most lines after the first into the same number of fields, two
/// or more, and the first into as many or one fewer (R's `write.table` leaves the row names'
/// column unnamed).
fn spaced(lines: &[&[u8]]) -> bool {
    let Some((first, rest)) = lines.split_first() else {
        return false;
    };
    let first = space_fields(first);
    let rest = if rest.is_empty() { lines } else { rest };
    let mut counts: Vec<usize> = rest.iter().map(|l| space_fields(l)).collect();
    counts.sort_unstable();
    let most = counts[counts.len() / 2];
    most >= 2
        && (first == most || first + 1 == most)
        && 5 * counts.iter().filter(|&&c| c == most).count() >= 4 * counts.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Dataset, CsvError> {
        parse_csv(text.as_bytes(), &CsvOptions::default())
    }

    /// The note on a table's cells that are not numbers (read as missing).
    fn strays(d: &Dataset) -> &str {
        d.warnings.iter().find(|w| w.contains("read as missing")).map_or("", String::as_str)
    }

    #[test]
    fn header_is_detected_and_label_column_kept_out() {
        let d = parse("a,b,label\n1,2,x\n3,4,y\n5,6,x\n").unwrap();
        assert_eq!((d.rows, d.cols), (3, 2));
        assert_eq!(d.feature_names, ["a", "b"]);
        assert_eq!(d.labels, Some(vec![0, 1, 0]));
        assert_eq!(d.label_names, ["x", "y"]);
        assert_eq!(d.label_column.as_deref(), Some("label"));
        assert_eq!(d.columns, ["a", "b", "label"]);
        // column a = 1,3,5 standardised: (x-3)/sqrt(8/3)
        let s = (8.0f32 / 3.0).sqrt();
        assert!((d.features[0] + 2.0 / s).abs() < 1e-6);
    }

    #[test]
    fn file_without_header_uses_every_row() {
        let d = parse("1,2\n3,4\n5,7\n").unwrap();
        assert_eq!((d.rows, d.cols), (3, 2));
        assert_eq!(d.feature_names, ["col1", "col2"]);
        assert_eq!(d.labels, None);
    }

    #[test]
    fn quoted_fields_with_commas_are_one_field() {
        let d = parse("name,x,y\n\"Smith, J\",1,2\n\"Doe, A\",3,5\n").unwrap();
        assert_eq!(d.feature_names, ["x", "y"], "{d:?}");
        assert_eq!(
            d.warnings,
            ["Left out: \"name\" (every value differs (2 of them): an identifier)."]
        );
    }

    #[test]
    fn label_column_chosen_by_name_or_index() {
        let text = "kind,x,y\na,1,2\nb,3,4\na,5,9\n";
        let by_name = parse_csv(
            text.as_bytes(),
            &CsvOptions {
                label: LabelColumn::Name("kind".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let by_index = parse_csv(
            text.as_bytes(),
            &CsvOptions {
                label: LabelColumn::Index(0),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(by_name.labels, Some(vec![0, 1, 0]));
        assert_eq!(by_name, by_index);
        let err = parse_csv(
            text.as_bytes(),
            &CsvOptions {
                label: LabelColumn::Name("nope".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "there is no column named \"nope\" to use as labels. Columns are: kind, x, y."
        );
    }

    #[test]
    fn missing_cells_are_filled_with_a_note() {
        let d = parse("a,b,kind\n1,2,x\n3,,y\n5,NA,x\n7,8,?\n").unwrap();
        assert_eq!((d.rows, d.file_rows, &d.kept), (4, 4, &None));
        assert_eq!(
            d.warnings[0],
            "3 cells missing in 2 columns (b, kind), filled with each column's median or most frequent value."
        );
        // b: median of 2 and 8 is 5; filled 2, 5, 5, 8 → mean 5, sd √4.5
        let b: Vec<f32> = (0..4).map(|r| d.row(r)[1]).collect();
        assert!(b[1].abs() < 1e-6 && b[2].abs() < 1e-6, "{b:?}");
        assert!((b[3] - 3.0 / 4.5f32.sqrt()).abs() < 1e-6);
        // kind: the missing cell is the most frequent value, x.
        assert_eq!(d.feature_names, ["a", "b", "kind = x", "kind = y"]);
        assert!(d.row(3)[2] > 0.0 && d.row(3)[3] == 0.0);
    }

    #[test]
    fn dropped_rows_are_left_out_and_counted() {
        let options = CsvOptions {
            missing: MissingPolicy::Drop,
            ..Default::default()
        };
        let d = parse_csv(b"a,b,label\n1,2,p\n3,,q\n5,6,p\nNaN,7,q\n9,9,q\n", &options).unwrap();
        assert_eq!((d.rows, d.file_rows), (3, 5));
        assert_eq!(d.kept, Some(vec![0, 2, 4]));
        assert_eq!(d.labels, Some(vec![0, 0, 1]));
        assert!(d.warnings[0].ends_with("2 of 5 rows were left out; they keep an empty cluster in the results."), "{:?}", d.warnings);
        let err = parse_csv(b"a,b\n1,NA\nNA,2\n", &options).unwrap_err();
        assert_eq!(err, CsvError::EveryRowMissing);
    }

    #[test]
    fn a_penguins_like_file_opens_with_types_roles_and_notes() {
        let text = "rowid,species,island,bill,flipper,sex,when,comment\n\
            1,Adelie,Torgersen,39.1,181,male,2007-11-11,ok\n\
            2,Adelie,Torgersen,NA,NA,NA,2007-11-11,NA\n\
            3,Gentoo,Biscoe,46.1,211,female,2007-11-29,NA\n\
            4,Gentoo,Biscoe,50,230,male,2007-12-03,NA\n\
            5,Chinstrap,Dream,46.5,192,female,2007-11-16,NA\n\
            6,Chinstrap,Dream,50,196,male,2007-11-16,NA\n";
        let options = CsvOptions {
            label: LabelColumn::Name("species".into()),
            ..Default::default()
        };
        let d = parse_csv(text.as_bytes(), &options).unwrap();
        let kinds: Vec<(&str, &str, &str)> = d
            .column_info
            .iter()
            .map(|c| (c.name.as_str(), c.kind.name(), c.role.name()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("rowid", "identifier", "ignored"),
                ("species", "categorical", "label"),
                ("island", "categorical", "feature"),
                ("bill", "numeric", "feature"),
                ("flipper", "numeric", "feature"),
                ("sex", "categorical", "feature"),
                ("when", "date", "ignored"),
                ("comment", "categorical", "ignored"),
            ]
        );
        assert_eq!(d.label_names, ["Adelie", "Gentoo", "Chinstrap"]);
        assert_eq!(d.rows, 6);
        assert!(d.warnings.iter().any(|w| w.starts_with("3 cells missing in 3 columns (bill, flipper, sex)")), "{:?}", d.warnings);
        assert!(d.warnings.iter().any(|w| w.starts_with("Left out: \"rowid\"")), "{:?}", d.warnings);
    }

    #[test]
    fn roles_chosen_by_the_user_apply_and_are_checked() {
        let text = "id,x,y,kind\nA1,1,2,a\nB2,3,4,b\nC3,5,7,a\nD4,2,2,b\n";
        let with = |roles: &[(&str, Role)]| CsvOptions {
            roles: roles.iter().map(|(n, r)| (n.to_string(), *r)).collect(),
            ..Default::default()
        };
        let d = parse_csv(text.as_bytes(), &with(&[("y", Role::Ignored), ("kind", Role::Label)])).unwrap();
        assert_eq!(d.feature_names, ["x"]);
        assert_eq!(d.label_column.as_deref(), Some("kind"));
        assert_eq!(d.labels, Some(vec![0, 1, 0, 1]));
        let err = parse_csv(text.as_bytes(), &with(&[("id", Role::Feature)])).unwrap_err();
        assert!(
            err.to_string().starts_with("column \"id\" can't be a feature: it holds every value differs"),
            "{err}"
        );
        let err = parse_csv(text.as_bytes(), &with(&[("nope", Role::Ignored)])).unwrap_err();
        assert_eq!(err.to_string(), "there is no column named \"nope\". Columns are: id, x, y, kind.");
        let err = parse_csv(text.as_bytes(), &with(&[("x", Role::Ignored), ("y", Role::Ignored), ("kind", Role::Ignored)])).unwrap_err();
        assert!(err.to_string().starts_with("no column can be used as a feature (left out: id: identifier, x: numeric"), "{err}");
    }

    #[test]
    fn options_read_from_the_pages_json() {
        let o = CsvOptions::from_json(r#"{"label":"kind","roles":{"id":"ignored","x":"Feature"},"missing":"drop","scaling":"shared"}"#).unwrap();
        assert_eq!(o.label, LabelColumn::Name("kind".into()));
        assert_eq!(o.roles, [("id".to_string(), Role::Ignored), ("x".to_string(), Role::Feature)]);
        assert_eq!((o.missing, o.scaling), (MissingPolicy::Drop, ScalingChoice::Shared));
        assert_eq!(CsvOptions::from_json(r#"{"label":null}"#).unwrap().label, LabelColumn::Auto);
        assert_eq!(CsvOptions::from_json(r#"{"label":""}"#).unwrap().label, LabelColumn::None);
        assert_eq!(CsvOptions::from_json(r#"{"missing":"guess"}"#).unwrap_err(), "Missing cells must be fill or drop");
        assert_eq!(CsvOptions::from_json(r#"{"roles":{"a":"boss"}}"#).unwrap_err(), "the role of column \"a\" must be feature, label or ignored");
        assert_eq!(CsvOptions::from_json(r#"{"colour":1}"#).unwrap_err(), "unknown table option \"colour\"");
    }

    #[test]
    fn repeated_column_names_are_told_apart() {
        let d = parse("a,a,b,a\n1,2,3,4\n5,6,7,9\n").unwrap();
        assert_eq!(d.columns, ["a", "a (2)", "b", "a (3)"]);
    }

    #[test]
    fn a_table_of_text_alone_has_its_header_found() {
        let d = parse("colour,size\nred,S\nblue,M\nred,M\nblue,S\n").unwrap();
        assert_eq!(d.columns, ["colour", "size"]);
        assert_eq!(d.rows, 4);
    }

    #[test]
    fn text_in_numeric_column_is_missing_named_by_line_and_value() {
        let d = parse("a,b\n1,2\n3,4\n5,oops\n").unwrap();
        assert_eq!(d.rows, 3);
        assert_eq!(
            strays(&d),
            "Column \"b\": 1 cell is not a number (line 4 \"oops\"); read as missing; correct it in the file if it holds a value."
        );
        // Excel's error values are missing; its Comma Style writes zero as a padded dash.
        let d = parse("a,b\n1,\" -   \"\n3,#DIV/0!\n5,7\n").unwrap();
        assert_eq!(strays(&d), "", "{:?}", d.warnings);
        let p = d.preparation.as_ref().unwrap();
        assert!(
            matches!(p.columns[1].encoding, crate::data::prepare::Encoding::Numeric { mean, .. } if (mean - 3.5).abs() < 1e-9),
            "zero and 7, the error cell filled: {p:?}"
        );
        let d = parse(&format!("a,b\n{}", (0..8).map(|i| format!("{i},{}\n", if i < 5 { "x" } else { "1" })).collect::<String>()));
        assert_eq!(strays(&d.unwrap()), "", "a column of mostly words is not numbers");
        let d = parse(&format!("a,b\n{}", (0..12).map(|i| format!("{i},{}\n", if i % 3 == 0 { "x" } else { "1" })).collect::<String>())).unwrap();
        assert!(strays(&d).starts_with("Column \"b\": 4 cells are not numbers (line 2 \"x\", line 5 \"x\", line 8 \"x\" and 1 more)"), "{:?}", d.warnings);
    }

    #[test]
    fn a_separator_after_every_row_but_the_first_is_left_out() {
        let d = parse("a,b\n1,2,\n3,4,\n5,7,\n").unwrap();
        assert_eq!((d.rows, d.columns.clone()), (3, vec!["a".to_string(), "b".into()]));
        assert!(d.warnings[0].starts_with("Every row below line 1 ends with one more separator"), "{:?}", d.warnings);
        // One row so is still a ragged row.
        assert!(matches!(parse("a,b\n1,2\n3,4,\n5,7\n").unwrap_err(), CsvError::RaggedRow { line: 3, .. }));
    }

    #[test]
    fn ragged_row_is_reported_with_its_line() {
        let err = parse("a,b\n1,2\n3,4,5\n").unwrap_err();
        assert_eq!(
            err,
            CsvError::RaggedRow {
                line: 3,
                found: 3,
                expected: 2
            }
        );
    }

    #[test]
    fn prose_is_not_a_table() {
        let err = parse("Dear team,\nthis is a letter and not a table.\n").unwrap_err();
        assert_eq!(err, CsvError::NotATable);
        let err = parse("hello world\njust words\n").unwrap_err();
        assert!(matches!(err, CsvError::NoNumericColumns { .. }), "{err:?}");
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert_eq!(
            parse_csv(b"\x89PNG\r\n\x1a\n\0\0\0", &CsvOptions::default()).unwrap_err(),
            CsvError::NotText { line: 3 }
        );
        assert_eq!(parse("  \n").unwrap_err(), CsvError::Empty);
    }

    #[test]
    fn infinities_are_missing_and_bom_is_ignored() {
        let d = parse("a,b\n1,2\ninf,3\n4,5\n").unwrap();
        assert_eq!(strays(&d), "Column \"a\": 1 cell is infinite (line 3 \"inf\"); read as missing.");
        let d = parse("\u{feff}a,b\n1,2\n3,4\n").unwrap();
        assert_eq!(d.feature_names, ["a", "b"]);
    }

    #[test]
    fn semicolons_tabs_and_decimal_commas_are_detected() {
        // A German-locale spreadsheet export: `;` between fields, `,` as the decimal mark,
        // Windows line endings.
        let d = parse("a;b;label\r\n1,5;2;x\r\n2,5;4;y\r\n3,5;6;x\r\n").unwrap();
        assert_eq!(d.feature_names, ["a", "b"]);
        let p = d.preparation.as_ref().unwrap();
        assert!(
            matches!(p.columns[0].encoding, crate::data::prepare::Encoding::Numeric { mean, .. } if (mean - 2.5).abs() < 1e-9),
            "{p:?}"
        );
        assert_eq!(d.labels, Some(vec![0, 1, 0]));
        let t = parse("a\tb\n1.5\t2\n2.5\t4\n").unwrap();
        assert_eq!(t.feature_names, ["a", "b"]);
        // A comma file keeps "1,5" in quotes as text, not one and a half.
        let d = parse("a,b\n\"1,5\",2\n3,4\n5,6\n").unwrap();
        assert!(strays(&d).contains("(line 2 \"1,5\")"), "{:?}", d.warnings);
    }

    #[test]
    fn columns_separated_by_runs_of_spaces_are_read() {
        // NumPy's savetxt and UCI HAR's signals: no header, spaces before and between.
        let d = parse("  1.0e+000 -2.5e-001  3\n  2.0e+000  2.5e-001  4\n 3.0e+000 -1.0e+000  5\n").unwrap();
        assert_eq!(d.feature_names, ["col1", "col2", "col3"]);
        assert_eq!(d.rows, 3);
        assert!(d.warnings[0].contains("separated by spaces"), "{:?}", d.warnings);
        // A header, aligned columns, quoted text with a space, as R's write.table writes.
        let d = parse("\"x\"  \"city\"   \"label\"\n1.5   \"New York\"  a\n2.5   \"Oslo\"      b\n3.5   \"Oslo\"      a\n").unwrap();
        assert_eq!(d.feature_names[0], "x");
        assert_eq!(d.label_column.as_deref(), Some("label"));
        assert_eq!(d.labels, Some(vec![0, 1, 0]));
        // One number a line is one column, and lines of words are one column of text.
        assert_eq!(parse("x\n1\n2\n3\n").unwrap().feature_names, ["x"]);
        let err = parse("the cat sat\non a mat today\nand slept\n").unwrap_err();
        assert!(matches!(&err, CsvError::NoNumericColumns { skipped } if skipped.contains("col1:")), "{err:?}");
        // The results come back with commas; the same rows in slices give the same table.
        let text = " 1 2\n 3 4\n 5 6\n";
        let out = super::super::append_result_columns(text.as_bytes(), &CsvOptions::default(), None, &[0, 1, 0], &[1.0; 3]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "col1,col2,cluster,confidence\n1,2,0,1.0000\n3,4,1,1.0000\n5,6,0,1.0000\n");
        // R's write.table: row names in a first column with no name, left out as identifiers.
        let mut r_table = String::from("\"x\" \"y\"\n");
        for r in 1..=25 {
            r_table.push_str(&format!("\"{r}\" {}.5 {}\n", r % 4, r % 7));
        }
        let d = parse(&r_table).unwrap();
        assert_eq!(d.feature_names, ["x", "y"], "{:?}", d.column_info);
        assert_eq!(d.column_info[0].name, "column 1");
        let mut sliced = CsvParse::new(text.as_bytes().to_vec(), CsvOptions::default()).unwrap();
        while !sliced.done() {
            sliced.advance(1).unwrap();
        }
        let (sliced, bytes, _) = sliced.finish().unwrap();
        assert_eq!(sliced, parse(text).unwrap());
        assert_eq!(bytes, text.as_bytes());
    }

    #[test]
    fn results_keep_the_files_delimiter_and_cells() {
        let bytes = b"a;b\n1,5;2\n2,5;4\n";
        let options = CsvOptions::default();
        let out =
            super::super::append_result_columns(bytes, &options, None, &[0, 1], &[0.9, 0.8]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a;b;cluster;confidence\n1,5;2;0;0,9000\n2,5;4;1;0,8000\n"
        );
    }

    #[test]
    fn errors_name_the_line_past_empty_lines_and_windows_line_ends() {
        for (text, line) in [
            ("x,y\n7,8\n\n\n9,oops\n1,2\n", 5),
            ("x,y\r\n1,2\r\n3,oops\r\n4,5\r\n", 3),
            ("x,y\r\n\r\n1,2\r\n3,oops", 4),
            ("n,y\n\"a\nb\",1\nc,oops\nd,2\n", 4),
            ("  x   y\n  1   2\n\n  3   oops\n  5   6\n", 4),
            ("x,y\r1,2\r\r3,oops\r4,5\r", 4),
            ("  x   y\r  1   2\r  3   oops\r", 3),
        ] {
            let d = parse(text).unwrap();
            assert!(strays(&d).contains(&format!("(line {line} \"oops\")")), "{text:?}: {:?}", d.warnings);
        }
        // Carriage returns alone, across the reader's buffers (a read ends at one).
        let mut text = String::from("x,y\r");
        for i in 0..3000 {
            text.push_str(&format!("{i},{}\r", i % 7));
        }
        text.push_str("1,oops\r");
        let d = parse(&text).unwrap();
        assert!(strays(&d).contains("(line 3002 \"oops\")"), "{:?}", d.warnings);
        // Excel for Mac's semicolons and decimal commas.
        let d = parse("a;b\r1,5;2,5\r2,5;3\r4;4,5\r").unwrap();
        assert_eq!((d.rows, d.cols, d.file_rows), (3, 2, 3));
        // A Latin-1 byte in a Windows file: read as Windows-1252, its cell on its own line.
        let d = parse_csv(b"a,b\r\n1,2\r\n\r\n\xe9,3\r\n5,6\r\n", &CsvOptions::default()).unwrap();
        assert!(strays(&d).contains("(line 4 \"é\")"), "{:?}", d.warnings);
    }

    #[test]
    fn excels_unicode_text_and_windows_csv_open_with_a_note() {
        let german = b"Ort;Gr\xF6\xDFe;Preis\nK\xF6ln;1,5;3\nM\xFCnchen;2,5;4\nBonn;3;5\n";
        let d = parse_csv(german, &CsvOptions::default()).unwrap();
        assert_eq!(d.feature_names, ["Größe", "Preis"]);
        assert!(d.warnings[0].starts_with("read as Windows-1252 text"), "{:?}", d.warnings);
        let text = "name\tx\ty\nZoë\t1\t2\nAna\t3\t4\nLi\t5\t6\n";
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let d = parse_csv(&utf16, &CsvOptions::default()).unwrap();
        assert_eq!((d.rows, d.feature_names.clone()), (3, vec!["x".to_string(), "y".into()]));
        assert!(d.warnings[0].starts_with("read as UTF-16 text"), "{:?}", d.warnings);
        let mut parse = CsvParse::new(utf16, CsvOptions::default()).unwrap();
        parse.advance(usize::MAX).unwrap();
        let (d, bytes, _) = parse.finish().unwrap();
        assert!(d.warnings[0].starts_with("read as UTF-16 text"), "{:?}", d.warnings);
        assert_eq!(bytes, format!("\u{FEFF}{text}").as_bytes(), "results are written from the text as UTF-8, marked so");
    }

    #[test]
    fn numbers_as_spreadsheets_show_them_are_numbers() {
        for (cell, comma, value) in [
            ("1,234", false, Some(1234.0)),
            ("1,234,567.5", false, Some(1_234_567.5)),
            ("$3,730.98", false, Some(3730.98)),
            ("-$1,200", false, Some(-1200.0)),
            ("$-12", false, Some(-12.0)),
            ("(3.21)", false, Some(-3.21)),
            ("($1,000.00)", false, Some(-1000.0)),
            ("47%", false, Some(47.0)),
            ("12.5 %", false, Some(12.5)),
            ("£ 12", false, Some(12.0)),
            ("1 234 567", false, Some(1_234_567.0)),
            ("1\u{a0}234", false, Some(1234.0)),
            ("1'234.50", false, Some(1234.5)),
            ("1.234,56 €", true, Some(1234.56)),
            ("1.234.567", true, Some(1_234_567.0)),
            ("12,5 %", true, Some(12.5)),
            // Plain numbers keep their meaning: a decimal point, or a decimal comma.
            ("1.234", true, Some(1.234)),
            ("1,234", true, Some(1.234)),
            // Not numbers: broken groups, dates, codes, words.
            ("1,5", false, None),
            ("12,34,567", false, Some(1_234_567.0)),
            ("2024-02-11", false, None),
            ("A-12", false, None),
            ("$", false, None),
            ("12 apples", false, None),
            ("(555) 123", false, None),
            ("1.2.3", false, None),
            // Excel's accounting format, India's grouping.
            (" $ (1,200.00) ", false, Some(-1200.0)),
            (" $ - ", false, Some(0.0)),
            ("-", false, None),
            ("₹1,23,456.00", false, Some(123_456.0)),
            ("₹12,345", false, Some(12_345.0)),
            ("1,23,45", false, None),
        ] {
            assert_eq!(parse_number(cell, comma), value, "{cell:?}, decimal comma {comma}");
        }
    }

    #[test]
    fn a_spreadsheet_export_with_formatted_numbers_is_read_as_numbers_with_a_note() {
        let d = parse(
            "id,visits,adherence,billed,insured\nP1,\"3,283\",47%,\"$3,730.98\",Yes\nP2,\"1,020\",80%,\"$1,200.00\",No\nP3,17,12%,($25.10),Yes\n",
        )
        .unwrap();
        assert_eq!(d.feature_names[..3], ["visits", "adherence", "billed"]);
        assert!(
            d.warnings[0].starts_with("\"visits\", \"adherence\", \"billed\" hold numbers written with thousands separators, currency or percent signs (\"3,283\" is read as 3283)"),
            "{:?}",
            d.warnings
        );
        // Only amounts, with decimal commas: the header is still told from the rows.
        let d = parse("item;amount\nrent;1.200,00 €\ncoffee;(3,21) \nbooks;€45,00\n").unwrap();
        assert_eq!((d.rows, d.columns.clone(), d.feature_names.clone()), (3, vec!["item".to_string(), "amount".into()], vec!["amount".to_string()]));
        assert!(d.warnings[0].contains("(\"1.200,00 €\" is read as 1200)"), "{:?}", d.warnings);
    }

    #[test]
    fn a_column_shows_how_it_writes_decimals() {
        let of = |cells: &[&str], file_comma| Decimals::of(cells.iter().copied(), file_comma);
        // German Excel's #.##0: a point groups thousands once a cell shows it beyond doubt.
        let german = of(&["987", "1.234", "12.345", "1.234.567"], true);
        assert_eq!(german, Decimals::CommaGrouped);
        let read: Vec<Option<f32>> = ["987", "1.234", "12.345", "1.234.567", "3,5"].iter().map(|f| german.parse(f)).collect();
        assert_eq!(read, [Some(987.0), Some(1234.0), Some(12345.0), Some(1_234_567.0), Some(3.5)]);
        // A US export split at tabs: commas group thousands.
        let us = of(&["1,234", "12.5", "1,234,567"], true);
        assert_eq!(us, Decimals::Point);
        assert_eq!(us.parse("1,234"), Some(1234.0));
        // Nothing beyond doubt: the file's default, decimal commas (`1.234` stays 1.234).
        assert_eq!(of(&["1.234", "27.312"], true), Decimals::Comma);
        assert_eq!(of(&["1.234", "27.312"], true).parse("1.234"), Some(1.234));
        assert_eq!(of(&["3,5", "1,234.5"], true), Decimals::Comma, "both kinds: not decided");
        assert_eq!(of(&["3,5"], false), Decimals::Point, "a file split at commas");
        // Through a whole file: one column each way, and the note says which were regrouped.
        let d = parse("a;b;c\n987;1,5;x\n1.234;2,5;y\n1.234.567;3;x\n").unwrap();
        assert!(d.warnings[0].starts_with("\"a\" holds numbers written with thousands separators"), "{:?}", d.warnings);
        assert!(d.warnings[0].contains("(\"1.234\" is read as 1234)"), "{:?}", d.warnings);
        let d = parse("a\tb\n1,234\t1\n12.5\t2\n1,234,567\t3\n").unwrap();
        assert_eq!(d.feature_names, ["a", "b"]);
    }

    #[test]
    fn a_spreadsheet_title_above_and_totals_below_are_left_out_with_notes() {
        let text = "Clinic report - Q1 2024,,\n\nPrinted 2024-04-02,,\nname,visits,cost\na,1,\"1,200\"\nb,2,30\nc,3,40\nTotal,6,\"1,270\"\n";
        let d = parse(text).unwrap();
        assert_eq!((d.rows, d.columns.clone()), (3, vec!["name".to_string(), "visits".into(), "cost".into()]));
        assert_eq!(
            d.warnings[0],
            "Left out line 1 (\"Clinic report - Q1 2024\") and line 3 (\"Printed 2024-04-02\"): a title above the table, one cell of text; the table starts on line 4."
        );
        assert_eq!(d.warnings[1], "Left out line 8 (\"Total\"): a totals row below the table.");
        // A note below names the file's own line.
        let d = parse("Report\nx,y\n1,2\n3,oops\n5,6\n").unwrap();
        assert!(strays(&d).contains("(line 4 \"oops\")"), "{:?}", d.warnings);
        // A title of one field, the table wider: not a ragged row.
        assert_eq!(parse("Report\nx,y\n1,2\n3,4\n5,6\n").unwrap().rows, 3);
        // Kept: a first row with one number, a category that is sometimes "total", a table
        // of one column.
        assert_eq!(parse("5,,\n1,2,3\n4,5,6\n7,8,9\n").unwrap().file_rows, 4);
        let d = parse("kind,x\npartial,1\ntotal,2\npartial,3\ntotal,4\n").unwrap();
        assert_eq!(d.rows, 4);
        assert_eq!(parse("x\n1\n2\n3\n").unwrap().rows, 3);
        let d = parse("film,year\nAlien,1979\nHeat,1995\nTotal Recall,1990\n").unwrap();
        assert_eq!(d.file_rows, 3, "a film, not a totals row");
        // One column beside row names: pandas' header `,x`, R's `"","x"` and write.table's `"x"`.
        for text in [",x\n0,1.5\n1,2.5\n2,3.5\n", "\"\",\"x\"\n\"1\",1.5\n\"2\",2.5\n\"3\",3.5\n", "\"x\"\n\"1\" 1.5\n\"2\" 2.5\n\"3\" 3.5\n"] {
            let d = parse(text).unwrap();
            assert_eq!((d.rows, d.columns.last().map(String::as_str)), (3, Some("x")), "{text:?}: {:?}", d.warnings);
            assert!(!d.warnings.iter().any(|w| w.contains("title")), "{text:?}: {:?}", d.warnings);
        }
        // The results file has the table's rows (the notes say what was left out).
        let out = super::super::append_result_columns(text.as_bytes(), &CsvOptions::default(), None, &[0, 1, 0], &[0.9, 0.8, 0.7]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1 + 3);
    }

    #[test]
    fn a_header_without_rows_says_so() {
        assert_eq!(
            parse("a,b,c\n").unwrap_err(),
            CsvError::HeaderOnly {
                names: "a, b, c".into()
            }
        );
    }

    #[test]
    fn a_parse_in_slices_gives_what_one_parse_gives() {
        let mut text = String::from("\u{feff}a;b;label\r\n");
        for i in 0..250 {
            text.push_str(&format!("{},5;\"{}\";c{}\r\n", i, i % 7, i % 3));
            if i == 100 {
                text.push_str(";;\r\n"); // a blank record, skipped by both
            }
        }
        let options = CsvOptions::default();
        let whole = parse_csv(text.as_bytes(), &options).unwrap();
        let mut parse = CsvParse::new(text.clone().into_bytes(), options.clone()).unwrap();
        let mut shares = Vec::new();
        while !parse.done() {
            shares.push(parse.advance(40).unwrap());
        }
        assert!(shares.len() >= 6, "{shares:?}");
        assert!(shares.windows(2).all(|w| w[0] <= w[1]) && shares.last() == Some(&1.0));
        assert!(shares[0] > 0.1 && shares[0] < 0.3, "{shares:?}");
        let (sliced, bytes, _) = parse.finish().unwrap();
        assert_eq!(sliced, whole);
        assert_eq!(
            bytes,
            text.as_bytes(),
            "the file comes back for the results"
        );
    }

    #[test]
    fn a_parse_in_slices_reports_the_same_errors() {
        for text in [
            "a,b\n1,2\n3\n4,5\n",
            "",
            "a,b\n",
            "\"a,b\n1,2\n",
        ] {
            let options = CsvOptions::default();
            let whole = parse_csv(text.as_bytes(), &options).map(|_| ());
            let sliced = CsvParse::new(text.as_bytes().to_vec(), options).and_then(|mut p| {
                while !p.done() {
                    p.advance(1)?;
                }
                p.finish().map(|_| ())
            });
            assert!(whole.is_err(), "{text:?}");
            assert_eq!(sliced, whole, "{text:?}");
        }
    }

    #[test]
    fn a_single_row_is_too_few() {
        assert_eq!(
            parse("a,b\n1,2\n").unwrap_err(),
            CsvError::TooFewRows { rows: 1 }
        );
    }
}
