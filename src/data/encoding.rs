//! Text that is not UTF-8 but is text all the same: Excel's "Unicode text" (UTF-16 with a
//! byte-order mark) and the "CSV (Comma delimited)" it saves on Windows in Western Europe and
//! the Americas (Windows-1252, `ö` as the single byte 0xF6). Both become UTF-8, with a note;
//! anything else is left for the readers to refuse.

use std::borrow::Cow;

/// Windows-1252's characters for the bytes 0x80 to 0x9F (the rest of its upper half is
/// Latin-1, the same code points as the bytes); the five bytes it leaves undefined keep their
/// C1 code points, as browsers decode them.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// How a file's text was written, when not in UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16Le,
    Utf16Be,
    Windows1252,
    /// UTF-8 with this many stray bytes (a file cut mid-letter, or pasted together).
    DamagedUtf8(usize),
}

impl Encoding {
    /// What the note calls it.
    fn name(self) -> String {
        match self {
            Self::Utf16Le | Self::Utf16Be => "UTF-16 text (Excel's \"Unicode text\")".into(),
            Self::Windows1252 => "Windows-1252 text (Excel's \"CSV\" on Windows; not UTF-8)".into(),
            Self::DamagedUtf8(n) => format!(
                "UTF-8 text with {n} {} that {} not text, each shown as �",
                if n == 1 { "byte" } else { "bytes" },
                if n == 1 { "is" } else { "are" }
            ),
        }
    }

    /// The note a reader adds for `file` ("" for a file it names itself).
    pub fn note(self, file: &str) -> String {
        let file = if file.is_empty() {
            String::new()
        } else {
            format!("{file}: ")
        };
        let advice = match self {
            Self::Windows1252 => "; if accented letters look wrong, save the file as \"CSV UTF-8\"",
            _ => "",
        };
        format!("{file}read as {}{advice}", self.name())
    }
}

/// `bytes` as UTF-8: themselves when they are, else decoded from UTF-16 (a byte-order mark,
/// or a zero byte beside every ASCII character) or from Windows-1252 (bytes that are not UTF-8
/// and hold no zero byte, which would mean a binary file), behind a UTF-8 byte-order mark
/// (the readers skip it; a results file written from these bytes keeps it, so Excel reads
/// it as UTF-8).
pub fn as_utf8(bytes: &[u8]) -> (Cow<'_, [u8]>, Option<Encoding>) {
    if let Some(encoding) = utf16(bytes) {
        let body = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            &bytes[2..]
        } else {
            bytes
        };
        let units = body.chunks_exact(2).map(|p| match encoding {
            Encoding::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
            _ => u16::from_le_bytes([p[0], p[1]]),
        });
        let text: String = std::iter::once('\u{FEFF}')
            .chain(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)))
            .collect();
        return (Cow::Owned(text.into_bytes()), Some(encoding));
    }
    if std::str::from_utf8(bytes).is_ok() || bytes.iter().take(64 * 1024).any(|&b| b == 0) {
        return (Cow::Borrowed(bytes), None);
    }
    // Letters written as UTF-8 (`ö` as two bytes) beside a few stray bytes: UTF-8, damaged.
    let lossy = String::from_utf8_lossy(bytes);
    if lossy
        .chars()
        .any(|c| c != char::REPLACEMENT_CHARACTER && !c.is_ascii())
    {
        let stray = lossy.matches(char::REPLACEMENT_CHARACTER).count();
        let text = std::iter::once('\u{FEFF}')
            .chain(lossy.chars())
            .collect::<String>();
        return (
            Cow::Owned(text.into_bytes()),
            Some(Encoding::DamagedUtf8(stray)),
        );
    }
    let text: String = std::iter::once('\u{FEFF}')
        .chain(bytes.iter().map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        }))
        .collect();
    (Cow::Owned(text.into_bytes()), Some(Encoding::Windows1252))
}

/// UTF-16 by its byte-order mark, or without one when nine in ten of the first characters are
/// Latin letters, digits, tabs or line ends, a zero byte beside each (on the same side).
fn utf16(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some(Encoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(Encoding::Utf16Be);
    }
    let head: Vec<&[u8]> = bytes.chunks_exact(2).take(512).collect();
    if head.len() < 4 {
        return None;
    }
    // Latin letters, digits, tabs and line ends: a zero byte and one that is not a control.
    let latin = |zero: usize| {
        head.iter()
            .filter(|p| {
                p[zero] == 0
                    && (p[1 - zero] >= 0x20 || matches!(p[1 - zero], b'\t' | b'\n' | b'\r'))
            })
            .count()
    };
    let most = |n: usize| 10 * n >= 9 * head.len();
    if most(latin(1)) {
        Some(Encoding::Utf16Le)
    } else if most(latin(0)) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn utf16_and_windows_1252_become_utf8_and_utf8_stays() {
        let text = "Größe\tStadt\n1,5\tKöln\n";
        for bytes in [utf16le(text, true), utf16le(text, false)] {
            let (read, encoding) = as_utf8(&bytes);
            assert_eq!(
                (std::str::from_utf8(&read).unwrap(), encoding),
                (&*format!("\u{FEFF}{text}"), Some(Encoding::Utf16Le))
            );
        }
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            as_utf8(&be).0.as_ref(),
            format!("\u{FEFF}{text}").as_bytes()
        );
        // Windows-1252: ö is 0xF6, € is 0x80, “ ” are 0x93 0x94.
        let (read, encoding) = as_utf8(b"Gr\xF6\xDFe;Preis\n\x93K\xF6ln\x94;3 \x80\n");
        assert_eq!(
            std::str::from_utf8(&read).unwrap(),
            "\u{FEFF}Größe;Preis\n“Köln”;3 €\n"
        );
        assert_eq!(encoding, Some(Encoding::Windows1252));
        assert!(
            Encoding::Windows1252
                .note("a.csv")
                .starts_with("a.csv: read as Windows-1252 text")
        );
        // UTF-8 cut mid-letter stays UTF-8, the stray byte said.
        let (read, encoding) = as_utf8(b"Gr\xC3\xB6\xC3\n1\n");
        assert_eq!(
            std::str::from_utf8(&read).unwrap(),
            "\u{FEFF}Grö\u{FFFD}\n1\n"
        );
        assert_eq!(encoding, Some(Encoding::DamagedUtf8(1)));
        // UTF-8 (with or without its mark) is itself; a binary file is left to be refused.
        let utf8 = "\u{FEFF}Größe\n1\n".as_bytes();
        assert!(matches!(as_utf8(utf8), (Cow::Borrowed(b), None) if b == utf8));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(as_utf8(png), (Cow::Borrowed(_), None)));
    }
}
