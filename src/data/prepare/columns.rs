//! What each column of a table holds, read once: its cells as numbers or as category codes,
//! how many are missing, and the kind it is detected as, with the reason in words.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the cells hashed here are short and come from the user's own file, so the
/// standard library's DoS-resistant hash only costs time (a third of a text column's read).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

use super::is_missing;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Numeric,
    /// Text or yes/no with few distinct values.
    Categorical,
    /// Every value differs (a name, a code) or a row number: says nothing about a group.
    Identifier,
    Date,
    /// Text with many distinct values (comments, descriptions).
    Text,
    /// Every cell is missing.
    Empty,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Numeric => "numeric",
            Kind::Categorical => "categorical",
            Kind::Identifier => "identifier",
            Kind::Date => "date",
            Kind::Text => "text",
            Kind::Empty => "empty",
        }
    }

    /// Whether the column can be turned into features.
    pub fn can_be_feature(self) -> bool {
        matches!(self, Kind::Numeric | Kind::Categorical)
    }
}

/// What a column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Feature,
    /// Known classes: only to score, never to train.
    Label,
    Ignored,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Feature => "feature",
            Role::Label => "label",
            Role::Ignored => "ignored",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "feature" => Some(Role::Feature),
            "label" => Some(Role::Label),
            "ignored" | "ignore" => Some(Role::Ignored),
            _ => None,
        }
    }
}

/// One column as the columns table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: Kind,
    pub role: Role,
    /// Missing cells.
    pub missing: usize,
    /// Distinct values, counted up to [`DISTINCT_COUNTED`] for numbers.
    pub distinct: usize,
    /// Why the column has this kind and role, in words.
    pub reason: String,
    /// A categorical column's values, the most frequent first.
    pub categories: Vec<String>,
}

/// A text column has categories when it has at most this many distinct values, and at least
/// two rows per value on average (under 20 rows, one repeated value): more, and one-hot
/// columns would outnumber the rows that fill them.
pub const MAX_CATEGORIES: usize = 50;

/// Distinct numbers are counted up to here: enough to tell a code column from a measured one
/// without hashing every cell of a large file.
pub const DISTINCT_COUNTED: usize = 1000;

/// The code of a missing cell in [`Cells::Codes`].
pub const MISSING_CODE: u32 = u32::MAX;

/// The value of an empty cell in a column of marks (`x` or nothing): a category of its own.
pub const EMPTY: &str = "(empty)";

/// A column's cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// NaN where a cell is missing.
    Numbers(Vec<f32>),
    /// Each cell's index into `values` (in order of first appearance), or [`MISSING_CODE`].
    Codes { codes: Vec<u32>, values: Vec<String> },
}

impl Cells {
    /// Number of cells (rows).
    pub fn len(&self) -> usize {
        match self {
            Cells::Numbers(v) => v.len(),
            Cells::Codes { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the cell of `row` is missing.
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Cells::Numbers(v) => v[row].is_nan(),
            Cells::Codes { codes, .. } => codes[row] == MISSING_CODE,
        }
    }

    /// Missing cells as the category `value` (added when absent): the empty cells of a column
    /// of marks.
    pub fn blanks_as(&mut self, value: &str) {
        if let Cells::Codes { codes, values } = self {
            let at = values.iter().position(|v| v == value).unwrap_or_else(|| {
                values.push(value.to_string());
                values.len() - 1
            }) as u32;
            for code in codes.iter_mut().filter(|c| **c == MISSING_CODE) {
                *code = at;
            }
        }
    }

    /// How many cells are missing.
    pub fn missing(&self) -> usize {
        (0..self.len()).filter(|&r| self.is_missing(r)).count()
    }
}

/// A cell of a mostly numeric column that is not a number, or is infinite.
#[derive(Debug, Clone, PartialEq)]
pub struct BadCell {
    /// 0-based data row.
    pub row: usize,
    pub value: String,
    pub infinite: bool,
}

/// The cells of a numeric column that are not finite numbers, read as missing: the first few
/// (for the note that names them) and how many.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strays {
    pub first: Vec<BadCell>,
    pub count: usize,
    /// How many of them are infinite numbers (`inf`) rather than words.
    pub infinite: usize,
}

impl Strays {
    const SHOWN: usize = 3;

    fn add(&mut self, bad: BadCell) {
        self.infinite += usize::from(bad.infinite);
        if self.first.len() < Self::SHOWN {
            self.first.push(bad);
        }
        self.count += 1;
    }
}

/// A column read and classified.
#[derive(Debug, Clone)]
pub struct Column {
    pub info: ColumnInfo,
    pub cells: Cells,
    /// Cells of a numeric column that are not finite numbers (NaN among its cells).
    pub strays: Strays,
}

impl Column {
    /// Leaves the column out when most of its cells are missing: filling them would make up
    /// most of what it says.
    fn unless_mostly_missing(mut self, rows: usize) -> Column {
        if self.info.role == Role::Feature && self.info.missing * 2 > rows {
            self.info.role = Role::Ignored;
            self.info.reason = format!(
                "{}; {} of {rows} cells missing, so left out",
                self.info.reason, self.info.missing
            );
        }
        self
    }

    /// Reads column `c` of `rows` (fields of each row) and detects its kind. The role starts
    /// as the kind suggests; the caller applies the label and the user's choices.
    pub fn scan<'a>(
        name: &str,
        cells: impl ExactSizeIterator<Item = &'a str> + Clone,
        parse: impl Fn(&str) -> Option<f32>,
    ) -> Column {
        let rows = cells.len();
        let mut numbers = Vec::with_capacity(rows);
        let (mut missing, mut texts) = (0usize, 0usize);
        let mut strays = Strays::default();
        let mut blanks = 0;
        // Whole numbers all written with the same number of digits, three or more, some with
        // leading zeros (`02134`, `007`), are codes: software does not pad quantities so.
        let (mut padded, mut widths) = (false, None);
        for (row, cell) in cells.clone().enumerate() {
            if is_missing(cell) {
                missing += 1;
                blanks += usize::from(cell.trim().is_empty());
                numbers.push(f32::NAN);
                continue;
            }
            match parse(cell) {
                Some(v) if v.is_finite() => {
                    numbers.push(v);
                    let digits = cell.trim();
                    let width = digits.bytes().all(|b| b.is_ascii_digit()).then_some(digits.len());
                    widths = match widths {
                        None => Some(width),
                        Some(w) if w == width => Some(w),
                        Some(_) => Some(None),
                    };
                    padded = padded || zero_padded(cell);
                }
                parsed => {
                    if parsed.is_none() {
                        texts += 1;
                    }
                    strays.add(BadCell {
                        row,
                        value: cell.trim().to_string(),
                        infinite: parsed.is_some(),
                    });
                    numbers.push(f32::NAN);
                }
            }
        }
        let present = rows - missing;
        if present == 0 {
            return Column {
                info: info(name, Kind::Empty, missing, 0, "every cell is missing".into()),
                cells: Cells::Numbers(numbers),
                strays: Strays::default(),
            };
        }
        // Mostly numbers: a numeric column, whose stray text (`-`, `#DIV/0!`, a typo) is read
        // as missing, and said, so the user can fix it if it was a value.
        let mut present_values = numbers.iter().filter(|v| !v.is_nan());
        let first = present_values.next().copied();
        // `1` and blanks (a spreadsheet's tick column) is a mark, read as text below.
        let marks = |n: usize| n >= 2 && blanks >= 2 && blanks == missing;
        let one_number = marks(present) && strays.count == 0 && present_values.all(|&v| Some(v) == first);
        let codes = padded && matches!(widths, Some(Some(w)) if w >= 3);
        if texts * 2 <= present && !one_number && !codes {
            let (distinct, kind, reason) = numeric_kind(name, &numbers, present - strays.count);
            return Column {
                info: info(name, kind, missing + strays.count, distinct, reason),
                cells: Cells::Numbers(numbers),
                strays,
            }
            .unless_mostly_missing(rows);
        }
        drop(numbers);
        let (mut codes, mut values, mut counts) = codes_of(cells);
        // One value or nothing (`x`, `✓`, `yes` and blank cells, at least two of each): a
        // mark, whose absence says as much as its presence, so two values rather than one and
        // missing cells. `NA` says a value is missing, so a column with it is not marks.
        let mark = values.len() == 1 && marks(present) && !looks_like_date(&values[0]);
        if mark {
            for code in codes.iter_mut().filter(|c| **c == MISSING_CODE) {
                *code = 1;
            }
            values.push(EMPTY.into());
            counts.push(missing);
        }
        let (kind, reason) = if mark {
            (Kind::Categorical, format!("\"{}\" or empty: a mark, read as two values", values[0]))
        } else {
            text_kind(&values, &counts, present)
        };
        let missing = if mark { 0 } else { missing };
        let mut info = info(name, kind, missing, values.len(), reason);
        if kind == Kind::Categorical {
            info.categories = by_frequency(&values, &counts);
            if values.len() == 1 {
                info.role = Role::Ignored;
            }
        }
        Column {
            info,
            cells: Cells::Codes { codes, values },
            strays: Strays::default(),
        }
        .unless_mostly_missing(rows)
    }
}

/// `02134`, `007`: digits alone, more than one, the first a zero.
fn zero_padded(cell: &str) -> bool {
    let b = cell.trim().as_bytes();
    b.len() > 1 && b[0] == b'0' && b.iter().all(u8::is_ascii_digit)
}

fn info(name: &str, kind: Kind, missing: usize, distinct: usize, reason: String) -> ColumnInfo {
    ColumnInfo {
        name: name.to_string(),
        kind,
        role: if kind.can_be_feature() {
            Role::Feature
        } else {
            Role::Ignored
        },
        missing,
        distinct,
        reason,
        categories: Vec::new(),
    }
}

/// Values by count, the most frequent first; ties keep the order of first appearance.
pub fn by_frequency(values: &[String], counts: &[usize]) -> Vec<String> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
    order.into_iter().map(|i| values[i].clone()).collect()
}

/// A column read as categories, whatever its cells look like (a saved model's categorical
/// column may hold numbers).
pub fn read_codes<'a>(cells: impl Iterator<Item = &'a str>) -> Cells {
    let (codes, values, _) = codes_of(cells);
    Cells::Codes { codes, values }
}

/// A column read as numbers, NaN where missing and where a cell is not a finite number (those
/// cells told apart).
pub fn read_numbers<'a>(
    cells: impl Iterator<Item = &'a str>,
    parse: impl Fn(&str) -> Option<f32>,
) -> (Cells, Strays) {
    let mut out = Vec::new();
    let mut strays = Strays::default();
    for (row, cell) in cells.enumerate() {
        if is_missing(cell) {
            out.push(f32::NAN);
            continue;
        }
        match parse(cell) {
            Some(v) if v.is_finite() => out.push(v),
            parsed => {
                strays.add(BadCell {
                    row,
                    value: cell.trim().to_string(),
                    infinite: parsed.is_some(),
                });
                out.push(f32::NAN);
            }
        }
    }
    (Cells::Numbers(out), strays)
}

/// Codes per cell, the distinct values in order of first appearance, and their counts.
/// Codes per cell, the distinct values in order of first appearance (each as first written),
/// and their counts. Cells that differ only in letter case (`yes`, `Yes`, `YES`) are one value:
/// people type them so.
fn codes_of<'a>(cells: impl Iterator<Item = &'a str>) -> (Vec<u32>, Vec<String>, Vec<usize>) {
    let mut index: FastMap<Cow<'a, str>, u32> = FastMap::default();
    let (mut codes, mut values, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    for cell in cells {
        if is_missing(cell) {
            codes.push(MISSING_CODE);
            continue;
        }
        let cell = cell.trim();
        let code = *index.entry(case_free(cell)).or_insert_with(|| {
            values.push(cell.to_string());
            counts.push(0);
            (values.len() - 1) as u32
        });
        counts[code as usize] += 1;
        codes.push(code);
    }
    (codes, values, counts)
}

/// A value as categories compare it: in lower case, allocated only when it has capitals.
pub fn case_free(value: &str) -> Cow<'_, str> {
    if value.chars().any(char::is_uppercase) {
        Cow::Owned(value.to_lowercase())
    } else {
        Cow::Borrowed(value)
    }
}

const YES_NO: [&str; 10] = ["yes", "no", "y", "n", "true", "false", "t", "f", "0", "1"];

fn text_kind(values: &[String], counts: &[usize], present: usize) -> (Kind, String) {
    let distinct = values.len();
    let dates = values
        .iter()
        .zip(counts)
        .filter(|(v, _)| looks_like_date(v))
        .map(|(_, &n)| n)
        .sum::<usize>();
    if dates * 10 >= present * 9 {
        return (
            Kind::Date,
            "dates: a point in time says little about a group; left out".into(),
        );
    }
    if distinct == 1 {
        return (
            Kind::Categorical,
            format!("the same value (\"{}\") in every row; left out", values[0]),
        );
    }
    if distinct == 2
        && values
            .iter()
            .all(|v| YES_NO.contains(&v.to_ascii_lowercase().as_str()))
    {
        return (Kind::Categorical, "yes/no".into());
    }
    // In a short table a repeated value is evidence enough.
    if distinct < present && distinct <= MAX_CATEGORIES && (distinct * 2 <= present || present < 20)
    {
        return (Kind::Categorical, format!("text with {distinct} values"));
    }
    if distinct == present {
        return (
            Kind::Identifier,
            format!("every value differs ({distinct} of them): an identifier; left out"),
        );
    }
    (
        Kind::Text,
        format!("{distinct} different values in {present} rows: free text; left out"),
    )
}

/// Distinct numbers (counted up to [`DISTINCT_COUNTED`]) and the kind: a row number or a
/// column named like an id whose values are distinct whole numbers is an identifier.
fn numeric_kind(name: &str, numbers: &[f32], present: usize) -> (usize, Kind, String) {
    let mut seen = FastSet::default();
    for v in numbers.iter().filter(|v| !v.is_nan()) {
        seen.insert(v.to_bits());
        if seen.len() >= DISTINCT_COUNTED {
            break;
        }
    }
    let counted = seen.len();
    let numeric = (counted, Kind::Numeric, "numbers".to_string());
    let whole = numbers.iter().all(|v| v.is_nan() || v.fract() == 0.0);
    if !whole || present < 3 {
        return numeric;
    }
    let distinct = if counted < DISTINCT_COUNTED {
        counted
    } else {
        let mut all: Vec<i64> = numbers
            .iter()
            .filter(|v| !v.is_nan())
            .map(|&v| v as i64)
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    };
    if distinct != present {
        return numeric;
    }
    let (min, max) = numbers
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let consecutive = (max - min) as usize + 1 == present;
    if named_like_an_id(name) {
        return (
            distinct,
            Kind::Identifier,
            "named like an id, every value differs: an identifier; left out".into(),
        );
    }
    if consecutive && present >= 20 && (min == 0.0 || min == 1.0) {
        return (
            distinct,
            Kind::Identifier,
            format!("counts {min}, {}, … {max}: a row number; left out", min + 1.0),
        );
    }
    numeric
}

fn named_like_an_id(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "id" | "#" | "index" | "rowid" | "row" | "row id" | "no" | "no." | "unnamed: 0"
    ) || lower.ends_with("_id")
        || lower.ends_with(" id")
        || lower.ends_with("-id")
        || (name.ends_with("Id") && name.len() > 2)
        || (name.ends_with("ID") && name.len() > 2)
}

/// `2007-11-11`, `2007/11/11`, `11/11/07`, `11.11.2007`, any of them followed by a time, or a
/// time of day alone (`12:30`, `12:30:15`).
pub fn looks_like_date(value: &str) -> bool {
    let v = value.trim();
    let date = v.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let digits = |s: &str, lens: &[usize]| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let is_date = parts.len() == 3
        && ((digits(parts[0], &[4]) && digits(parts[1], &[1, 2]) && digits(parts[2], &[1, 2]))
            || (digits(parts[0], &[1, 2])
                && digits(parts[1], &[1, 2])
                && digits(parts[2], &[2, 4])));
    if is_date || named_month_date(v) {
        return true;
    }
    let time: Vec<&str> = v.split(':').collect();
    (2..=3).contains(&time.len())
        && digits(time[0], &[1, 2])
        && time[1..]
            .iter()
            .all(|t| digits(t.split('.').next().unwrap_or(""), &[2]))
}

/// A date with its month in words, day and year in digits, in either order: `05-Jan-2023`,
/// `Jan 1, 2023`, `1 January 2023 10:00`.
fn named_month_date(v: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let words: Vec<&str> = v.split([' ', '-', '/', ',', '.']).filter(|w| !w.is_empty()).take(3).collect();
    let [a, b, c] = words[..] else {
        return false;
    };
    let digits = |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let month = |s: &str| {
        let lower = s.to_ascii_lowercase();
        s.len() >= 3 && MONTHS.iter().any(|m| lower.starts_with(m) && (lower.len() == 3 || lower == "sept" || month_name(&lower)))
    };
    digits(c, &[2, 4]) && ((month(a) && digits(b, &[1, 2])) || (digits(a, &[1, 2]) && month(b)))
}

/// A month's whole English name.
fn month_name(word: &str) -> bool {
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]
    .contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_the_month_in_words_are_dates() {
        for d in ["05-Jan-2023", "5 Jan 2023", "Jan 1, 2023", "January 1, 2023", "1 January 2023 10:00", "Sept 3 2024", "12-dec-23"] {
            assert!(looks_like_date(d), "{d}");
        }
        for t in ["Jan", "May 5 items", "Janet 1 2023", "March of 2023", "1 2 3"] {
            assert!(!looks_like_date(t), "{t}");
        }
    }

    fn scan(name: &str, cells: &[&str]) -> Column {
        Column::scan(name, cells.iter().copied(), |s| s.trim().parse().ok())
    }

    #[test]
    fn numbers_with_markers_are_numeric_with_missing_counted() {
        let c = scan("bill", &["39.1", "NA", "40.3", "", "?", "36.7"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Numeric, Role::Feature));
        assert_eq!(c.info.missing, 3);
        assert_eq!(c.info.distinct, 3);
        let Cells::Numbers(v) = &c.cells else { panic!() };
        assert_eq!(v[0], 39.1);
        assert!(v[1].is_nan() && v[3].is_nan() && v[4].is_nan());
        assert_eq!(c.strays, Strays::default());
    }

    #[test]
    fn a_stray_word_in_a_numeric_column_is_missing_and_kept_for_the_note() {
        let c = scan("x", &["1", "2", "three", "4", "inf"]);
        assert_eq!(c.info.kind, Kind::Numeric);
        assert_eq!(c.strays.count, 2);
        assert_eq!(
            c.strays.first[0],
            BadCell {
                row: 2,
                value: "three".into(),
                infinite: false
            }
        );
        assert!(c.strays.first[1].infinite);
        assert!(c.cells.is_missing(2) && c.cells.is_missing(4));
        // A row number with a stray cell is still an identifier.
        assert_eq!(scan("id", &["1", "2", "-", "4", "5"]).info.kind, Kind::Identifier);
        let many: Vec<&str> = ["x"; 5].into_iter().chain(["1"; 10]).collect();
        let c = scan("x", &many);
        assert_eq!((c.strays.count, c.strays.first.len()), (5, 3));
    }

    #[test]
    fn codes_padded_with_zeros_are_not_quantities() {
        let zips = ["01001", "02134", "07030", "01001", "02134", "07030", "90210", "01001"];
        let c = scan("zip", &zips);
        assert_eq!((c.info.kind, c.info.role), (Kind::Categorical, Role::Feature));
        let ids: Vec<String> = (0..30).map(|i| format!("{:06}", 10_000 + i)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(scan("Kundennr", &ids).info.kind, Kind::Identifier);
        // Zero itself, decimals below one, and a price written `09` among `12`s are numbers.
        assert_eq!(scan("x", &["0", "0.5", "10", "0", "3"]).info.kind, Kind::Numeric);
        assert_eq!(scan("price", &["12", "15", "09", "20"]).info.kind, Kind::Numeric);
        assert_eq!(scan("price", &["112", "15", "009", "20"]).info.kind, Kind::Numeric, "widths differ");
    }

    #[test]
    fn the_same_word_in_other_letters_is_one_category() {
        let c = scan("answer", &["yes", "Yes", "YES", "no", "No", "no", "yes", "Ärger", "ärger"]);
        let Cells::Codes { codes, values } = &c.cells else { panic!() };
        assert_eq!(values, &["yes", "no", "Ärger"]);
        assert_eq!(codes, &[0, 0, 0, 1, 1, 1, 0, 2, 2]);
    }

    #[test]
    fn a_mark_or_nothing_is_two_values() {
        for mark in ["x", "✓", "1", "yes"] {
            let cells: Vec<&str> = (0..30).map(|i| if i % 3 == 0 { mark } else { "" }).collect();
            let c = scan("vip", &cells);
            assert_eq!((c.info.kind, c.info.role, c.info.missing), (Kind::Categorical, Role::Feature, 0), "{mark}");
            assert_eq!(c.info.reason, format!("\"{mark}\" or empty: a mark, read as two values"));
            let Cells::Codes { codes, values } = &c.cells else { panic!() };
            assert_eq!(values, &[mark.to_string(), EMPTY.into()]);
            assert_eq!((codes[0], codes[1]), (0, 1));
        }
        // One value in every row is still nothing to tell rows apart by.
        assert_eq!(scan("v", &["x"; 6]).info.role, Role::Ignored);
        assert_eq!(scan("n", &["1", "1", "1", "1"]).info.kind, Kind::Numeric);
    }

    #[test]
    fn text_with_few_values_is_categorical_by_frequency() {
        let c = scan("island", &["Torgersen", "Biscoe", "Biscoe", "Dream", "NA", "Biscoe", "Dream", "Torgersen"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Categorical, Role::Feature));
        assert_eq!(c.info.categories, ["Biscoe", "Torgersen", "Dream"]);
        assert_eq!(c.info.missing, 1);
        let Cells::Codes { codes, values } = &c.cells else { panic!() };
        assert_eq!(values, &["Torgersen", "Biscoe", "Dream"]);
        assert_eq!(codes[4], MISSING_CODE);
        assert_eq!(codes[..4], [0, 1, 1, 2]);
    }

    #[test]
    fn yes_no_is_categorical_even_in_two_rows() {
        let c = scan("smoker", &["yes", "No"]);
        assert_eq!(c.info.kind, Kind::Categorical);
        assert_eq!(c.info.reason, "yes/no");
    }

    #[test]
    fn identifiers_dates_and_free_text_are_left_out_with_reasons() {
        let names: Vec<String> = (0..30).map(|i| format!("N{i:02}A")).collect();
        let c = Column::scan("sample", names.iter().map(String::as_str), |s| s.parse().ok());
        assert_eq!((c.info.kind, c.info.role), (Kind::Identifier, Role::Ignored));
        assert!(c.info.reason.contains("every value differs"), "{}", c.info.reason);

        let rows: Vec<String> = (1..=25).map(|i| i.to_string()).collect();
        let c = Column::scan("n", rows.iter().map(String::as_str), |s| s.parse().ok());
        assert_eq!(c.info.kind, Kind::Identifier, "{}", c.info.reason);
        assert!(c.info.reason.contains("row number"));
        // The same numbers in a short column, or not in a row, are measurements.
        let c = scan("n", &["1", "2", "3", "4"]);
        assert_eq!(c.info.kind, Kind::Numeric);
        let c = scan("patient_id", &["17", "4", "9"]);
        assert_eq!(c.info.kind, Kind::Identifier);
        let c = scan("count", &["17", "4", "9", "4"]);
        assert_eq!(c.info.kind, Kind::Numeric);

        let c = scan("when", &["2007-11-11", "2007-11-16", "2008-01-02 10:00", "NA", "11/12/07"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Date, Role::Ignored));

        let comments: Vec<String> = (0..30).map(|i| format!("note {}", i % 20)).collect();
        let c = Column::scan("comment", comments.iter().map(String::as_str), |s| s.parse().ok());
        assert_eq!((c.info.kind, c.info.role), (Kind::Text, Role::Ignored));
        assert!(c.info.reason.contains("20 different values in 30 rows"));
    }

    #[test]
    fn a_mostly_missing_column_is_left_out_with_its_count() {
        let c = scan("comment", &["a", "NA", "", "?", "b", "a", "NA"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Categorical, Role::Ignored));
        assert!(c.info.reason.ends_with("4 of 7 cells missing, so left out"), "{}", c.info.reason);
        let c = scan("x", &["1", "NA", "2"]);
        assert_eq!(c.info.role, Role::Feature);
    }

    #[test]
    fn empty_and_constant_columns_are_left_out() {
        let c = scan("nothing", &["", "NA", "null"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Empty, Role::Ignored));
        let c = scan("site", &["A", "A", "A", "A"]);
        assert_eq!((c.info.kind, c.info.role), (Kind::Categorical, Role::Ignored));
    }

    #[test]
    fn dates_and_times_are_recognised() {
        for d in ["2007-11-11", "2007/1/2", "11/11/07", "1.2.2020", "2020-01-01T10:00:00Z", "12:30", "09:15:02"] {
            assert!(looks_like_date(d), "{d}");
        }
        for d in ["1.5", "2007", "11/11", "a-b-c", "12:3x", "1-2-3-4"] {
            assert!(!looks_like_date(d), "{d}");
        }
    }

    #[test]
    fn roles_read_from_words() {
        assert_eq!(Role::from_name(" Label "), Some(Role::Label));
        assert_eq!(Role::from_name("ignore"), Some(Role::Ignored));
        assert_eq!(Role::from_name("x"), None);
    }
}
