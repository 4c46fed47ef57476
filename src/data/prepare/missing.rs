//! Which cells are missing values.

/// The markers pandas reads as missing by default, plus `?` (UCI files), `nil` and Excel's
/// error values (`#DIV/0!`: a formula with nothing to show), compared in any case. Kept
/// lower-case: a cell is lower-cased only when it is short enough to be one.
const MARKERS: [&str; 24] = [
    "na", "n/a", "nan", "-nan", "+nan", "null", "none", "nil", "#n/a", "#n/a n/a", "#na",
    "-1.#ind", "-1.#qnan", "1.#ind", "1.#qnan", "<na>", "#div/0!", "#value!", "#ref!", "#name?",
    "#num!", "#null!", "#spill!", "#calc!",
];

/// The longest marker, so most numbers are ruled out by length alone.
const LONGEST: usize = 9;

/// An empty cell or a missing-value marker (`NA`, `N/A`, `NaN`, `null`, `None`, `#N/A`,
/// `-NaN`, `?`, `#DIV/0!`, … in any case).
pub fn is_missing(cell: &str) -> bool {
    let cell = cell.trim();
    if cell.is_empty() || cell == "?" {
        return true;
    }
    if cell.len() > LONGEST {
        return false;
    }
    // Checking the first byte skips the lower-casing for nearly every numeric cell; of the
    // markers only `1.#IND` and `1.#QNAN` start with a digit.
    let first = cell.as_bytes()[0];
    if (first.is_ascii_digit() && first != b'1') || first == b'.' {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    for (l, b) in lower.iter_mut().zip(cell.bytes()) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &lower[..cell.len()];
    MARKERS.iter().any(|m| m.as_bytes() == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_in_any_case_is_missing() {
        for m in [
            "", " ", "NA", "na", "Na", "N/A", "n/a", "NaN", "nan", "NAN", "-NaN", "-nan", "+nan",
            "null", "NULL", "Null", "None", "none", "NONE", "nil", "#N/A", "#n/a", "#N/A N/A",
            "#NA", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN", "<NA>", "?", " ? ", " NA ",
            "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
        ] {
            assert!(is_missing(m), "{m:?} should be missing");
        }
    }

    #[test]
    fn values_are_not_missing() {
        for v in [
            "0", "-1", "1.5", ".5", "1e3", "inf", "-inf", "nana", "Nancy", "none of them",
            "N", "A", "??", "no", "-", "NA1", "yes",
        ] {
            assert!(!is_missing(v), "{v:?} is a value");
        }
    }
}
