//! Text whose columns are separated by runs of spaces: NumPy's `savetxt`, R's `write.table`,
//! Fortran and MATLAB output, and data sets distributed that way (UCI HAR's signals). The csv
//! reader takes one byte as the delimiter, so such a file is read through [`SpaceRuns`], which
//! turns each run of spaces and tabs between fields into one tab and drops those at a line's
//! ends.

use std::io::{self, Read};

/// The delimiter value that stands for runs of whitespace ([`super::CsvOptions::delimiter`]).
pub(super) const SPACES: u8 = b' ';

/// How many fields whitespace splits `line` into, spaces inside double quotes not counting.
pub(super) fn space_fields(line: &[u8]) -> usize {
    let (mut fields, mut quoted, mut in_field) = (0, false, false);
    for &b in line {
        match b {
            b'"' => {
                quoted = !quoted;
                if !in_field {
                    fields += 1;
                    in_field = true;
                }
            }
            b' ' | b'\t' | b'\r' if !quoted => in_field = false,
            _ if !in_field => {
                fields += 1;
                in_field = true;
            }
            _ => {}
        }
    }
    fields
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// At the start of a line or after a tab given for a gap: whitespace here is dropped,
    /// and a quote opens a quoted field.
    FieldStart,
    /// Inside an unquoted field.
    Field,
    /// After whitespace following a field: a tab is owed if another field follows.
    Gap,
    Quoted,
    /// A quote inside a quoted field: the field ends, or it was the first of a doubled `""`.
    QuoteInQuoted,
}

/// Reads `inner` with each run of spaces and tabs between fields as one tab; quoted fields
/// are passed through as they are.
pub(super) struct SpaceRuns<R> {
    inner: R,
    buf: Box<[u8]>,
    at: usize,
    end: usize,
    state: State,
}

impl<R> SpaceRuns<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            at: 0,
            end: 0,
            state: State::FieldStart,
        }
    }

    pub(super) fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for SpaceRuns<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.at == self.end {
                // Return what is ready before blocking on more.
                if n > 0 {
                    break;
                }
                self.end = self.inner.read(&mut self.buf)?;
                self.at = 0;
                if self.end == 0 {
                    break;
                }
            }
            let b = self.buf[self.at];
            let space = b == b' ' || b == b'\t';
            let newline = b == b'\n' || b == b'\r';
            let state = self.state;
            if state == State::Gap && !space && !newline {
                // The owed tab, then this byte on the next turn.
                out[n] = b'\t';
                n += 1;
                self.state = State::FieldStart;
                continue;
            }
            self.at += 1;
            self.state = match (state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (_, b'\n' | b'\r') => State::FieldStart,
                (State::FieldStart | State::Gap, _) if space => state,
                (_, _) if space => State::Gap,
                (State::FieldStart, b'"') => State::Quoted,
                (_, _) => State::Field,
            };
            if !(space && matches!(self.state, State::FieldStart | State::Gap)) {
                out[n] = b;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A file's text as the csv reader gets it: as it is, or through [`SpaceRuns`].
pub(super) enum Source<R> {
    Plain(R),
    Spaced(SpaceRuns<R>),
}

impl<R: Read> Source<R> {
    /// The text for `delimiter` ([`SPACES`] or one byte), with the byte the csv reader splits
    /// it at.
    pub(super) fn new(inner: R, delimiter: u8) -> (Self, u8) {
        if delimiter == SPACES {
            (Self::Spaced(SpaceRuns::new(inner)), b'\t')
        } else {
            (Self::Plain(inner), delimiter)
        }
    }

    pub(super) fn into_inner(self) -> R {
        match self {
            Self::Plain(inner) => inner,
            Self::Spaced(spaced) => spaced.into_inner(),
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(inner) => inner.read(out),
            Self::Spaced(spaced) => spaced.read(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(text: &str, chunk: usize) -> String {
        let mut reader = SpaceRuns::new(text.as_bytes());
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn runs_of_spaces_become_one_tab_and_line_ends_lose_theirs() {
        let text = "  1.5e-001 -2.0e+000\t 3 \r\n\n 4  5   6\n";
        for chunk in [1, 2, 3, 1024] {
            assert_eq!(
                through(text, chunk),
                "1.5e-001\t-2.0e+000\t3\r\n\n4\t5\t6\n"
            );
        }
    }

    #[test]
    fn quoted_fields_keep_their_spaces_and_doubled_quotes() {
        // R's write.table: quoted text, spaces between fields.
        let text = "\"city\" \"n\"\n\"New  York\" 3\n\"say \"\"hi\"\"\"  4\n";
        for chunk in [1, 5, 1024] {
            assert_eq!(
                through(text, chunk),
                "\"city\"\t\"n\"\n\"New  York\"\t3\n\"say \"\"hi\"\"\"\t4\n"
            );
        }
    }

    #[test]
    fn fields_are_counted_as_the_reader_will_split_them() {
        assert_eq!(space_fields(b"  1.0  -2.0 3e-4 "), 3);
        assert_eq!(space_fields(b"\"New York\" 3"), 2);
        assert_eq!(space_fields(b""), 0);
    }
}
