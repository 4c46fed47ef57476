//! Text whose columns are separated by runs of spaces: NumPy's `savetxt`, R's `write.table`,
//! Fortran and MATLAB output, and data sets distributed that way (UCI HAR's signals). The csv
//! reader takes one byte as the delimiter, so such a file is read through [`SpaceRuns`], which
//! turns each run of spaces and tabs between fields into one tab and drops those at a line's
//! ends.

use std::collections::VecDeque;
use std::io::{self, Read};

/// The delimiter value that stands for runs of whitespace ([`super::CsvOptions::delimiter`]).
pub(super) const SPACES: u8 = b' ';

/// The delimiter a file read with `delimiter` is written back with: a file of space-separated
/// columns gets commas, what spreadsheets open; any other keeps its own.
pub(super) fn written_with(delimiter: u8) -> u8 {
    if delimiter == SPACES { b',' } else { delimiter }
}

/// How many fields whitespace splits `line` into, as [`SpaceRuns`] and the csv reader will:
/// a quote opens a quoted field only at a field's start, and spaces inside one do not count.
pub(super) fn space_fields(line: &[u8]) -> usize {
    let (mut fields, mut quoted, mut in_field, mut closed) = (0, false, false, false);
    for &b in line {
        if quoted {
            if b == b'"' {
                quoted = false;
                closed = true;
            }
            continue;
        }
        match b {
            // A doubled quote inside a quoted field.
            b'"' if closed => quoted = true,
            b' ' | b'\t' | b'\r' => in_field = false,
            _ if !in_field => {
                fields += 1;
                in_field = true;
                quoted = b == b'"';
            }
            _ => {}
        }
        closed = false;
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

/// A file's text as the csv reader gets it: as it is, or through [`SpaceRuns`]; it also
/// notes where line feeds are, so a record's line can be told exactly
/// ([`Source::line_feed_at`]). A carriage return alone (the line end of old Macs, and of
/// Excel for Mac's "CSV (Macintosh)") is handed out as a line feed: the reader splits records
/// at either, but counts lines by line feeds only.
pub(super) struct Source<R> {
    text: Text<R>,
    /// Bytes handed to the reader so far.
    emitted: u64,
    /// Offsets of the line feeds handed out and not yet asked about.
    line_feeds: VecDeque<u64>,
    /// A byte read ahead to see whether a carriage return ended a line, not yet handed out.
    ahead: Option<u8>,
}

enum Text<R> {
    Plain(R),
    Spaced(SpaceRuns<R>),
}

impl<R: Read> Source<R> {
    /// The text for `delimiter` ([`SPACES`] or one byte), with the byte the csv reader splits
    /// it at.
    pub(super) fn new(inner: R, delimiter: u8) -> (Self, u8) {
        let (text, split_at) = if delimiter == SPACES {
            (Text::Spaced(SpaceRuns::new(inner)), b'\t')
        } else {
            (Text::Plain(inner), delimiter)
        };
        let source = Self {
            text,
            emitted: 0,
            line_feeds: VecDeque::new(),
            ahead: None,
        };
        (source, split_at)
    }

    pub(super) fn into_inner(self) -> R {
        match self.text {
            Text::Plain(inner) => inner,
            Text::Spaced(spaced) => spaced.into_inner(),
        }
    }

    /// Whether the byte at `offset` of the text handed out is a line feed. Asked with offsets
    /// that never go back (the csv reader's positions), so the ones passed are forgotten.
    pub(super) fn line_feed_at(&mut self, offset: u64) -> bool {
        while self.line_feeds.front().is_some_and(|&at| at < offset) {
            self.line_feeds.pop_front();
        }
        self.line_feeds.front() == Some(&offset)
    }
}

impl<R: Read> Source<R> {
    fn read_text(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match &mut self.text {
            Text::Plain(inner) => inner.read(out),
            Text::Spaced(spaced) => spaced.read(out),
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        if let Some(b) = self.ahead.take() {
            out[0] = b;
            n = 1;
        }
        if n < out.len() {
            n += self.read_text(&mut out[n..])?;
        }
        for i in 0..n {
            if out[i] != b'\r' {
                continue;
            }
            let next = if i + 1 < n {
                Some(out[i + 1])
            } else {
                let mut one = [0];
                let got = self.read_text(&mut one)?;
                self.ahead = (got == 1).then_some(one[0]);
                self.ahead
            };
            if next != Some(b'\n') {
                out[i] = b'\n';
            }
        }
        let base = self.emitted;
        self.line_feeds.extend(
            out[..n]
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| base + i as u64),
        );
        self.emitted += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything `reader` hands out, asked for `chunk` bytes at a time.
    fn read_in_chunks(mut reader: impl Read, chunk: usize) -> String {
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

    fn through(text: &str, chunk: usize) -> String {
        read_in_chunks(SpaceRuns::new(text.as_bytes()), chunk)
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
        assert_eq!(space_fields(b"\"say \"\"hi there\"\"\" 4"), 2);
        assert_eq!(
            space_fields(b"12\" 3 4"),
            3,
            "a quote inside a field is a character"
        );
        assert_eq!(space_fields(b""), 0);
    }

    /// Hands out its text a byte per read, so every state meets a refill.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let Some((&b, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            out[0] = b;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn a_source_that_gives_a_byte_at_a_time_reads_the_same() {
        let text = "  \"a  b\"\t \"c \"\"d\"\"\"  1.5 \r\n 2  3\n";
        let mut whole = String::new();
        SpaceRuns::new(text.as_bytes())
            .read_to_string(&mut whole)
            .unwrap();
        let mut trickled = String::new();
        SpaceRuns::new(Trickle(text.as_bytes()))
            .read_to_string(&mut trickled)
            .unwrap();
        assert_eq!(trickled, whole);
        assert_eq!(whole, "\"a  b\"\t\"c \"\"d\"\"\"\t1.5\r\n2\t3\n");
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line_and_one_before_a_line_feed_stays() {
        let text = "a,b\r1,2\r\n3,4\r\r5,6\r";
        let want = "a,b\n1,2\r\n3,4\n\n5,6\n";
        for chunk in [1, 2, 3, 1024] {
            for plain in [true, false] {
                let inner = Trickle(text.as_bytes());
                let (source, _) = Source::new(inner, if plain { b',' } else { SPACES });
                let out = read_in_chunks(source, chunk);
                if plain {
                    assert_eq!(out, want, "chunks of {chunk}");
                }
                assert_eq!(out.matches('\n').count(), 5, "{out:?}, chunks of {chunk}");
            }
        }
    }
}
