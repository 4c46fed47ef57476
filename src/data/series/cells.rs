//! What the series readers share: a cell's value, where a padded series ends, and the notes
//! that say both.

use super::super::csv_table::parse_number;
use super::super::prepare::is_missing;

/// A value: a finite number, NaN where missing (an empty cell, `?`, `NaN`, `NA`, … as tables
/// read them), `None` for anything else.
pub(super) fn value(text: &str) -> Option<f32> {
    value_with(text, false)
}

/// [`value`], also reading `0,5` as 0.5 where `decimal_comma` (a CSV not split at commas).
pub(super) fn value_with(text: &str, decimal_comma: bool) -> Option<f32> {
    if is_missing(text) {
        return Some(f32::NAN);
    }
    parse_number(text, decimal_comma).filter(|v| v.is_finite())
}

/// Missing values at the end pad a shorter series (the archive's files of unequal lengths do
/// so): the series ends at its last value. Whether it was shortened; `None` when every value
/// is missing.
pub(super) fn end_at_last_value(values: &mut Vec<f32>) -> Option<bool> {
    let own = values.iter().rposition(|v| !v.is_nan())? + 1;
    let shortened = own < values.len();
    values.truncate(own);
    Some(shortened)
}

/// What a reader says about the series of `file` it shortened and the gaps left inside them
/// (`marker`: how the file writes a missing value).
pub(super) fn padding_notes(
    file: &str,
    shortened: usize,
    missing: usize,
    marker: &str,
) -> Vec<String> {
    let mut notes = Vec::new();
    if shortened > 0 {
        notes.push(format!(
            "{file}: {shortened} series end in missing values ({marker}), which pad shorter series; each is taken to end at its last value"
        ));
    }
    if missing > 0 {
        notes.push(format!(
            "{file}: {missing} missing values ({marker}) filled by straight lines between their neighbours"
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_missing_values_and_padded_ends() {
        assert_eq!(value(" 1.5 "), Some(1.5));
        for m in ["", "?", "NaN", "na", "NULL", "n/a"] {
            assert!(value(m).is_some_and(f32::is_nan), "{m:?}");
        }
        assert_eq!(value("x"), None);
        assert_eq!(value("inf"), None);
        let mut v = vec![1.0, f32::NAN, 2.0, f32::NAN, f32::NAN];
        assert_eq!(end_at_last_value(&mut v), Some(true));
        assert_eq!(v.len(), 3);
        assert_eq!(end_at_last_value(&mut v), Some(false));
        assert_eq!(end_at_last_value(&mut vec![f32::NAN]), None);
        assert!(padding_notes("f", 0, 0, "?").is_empty());
        assert_eq!(padding_notes("f", 2, 3, "NaN").len(), 2);
    }
}
