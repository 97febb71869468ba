//! Excel row numbers for CSV records read from a stream (行番号の数え方).
//!
//! The csv crate silently skips empty lines and its line counter does not
//! count them consistently across LF / CRLF / CR files, yet Excel shows an
//! empty line as a row. What the crate does give is a byte position that
//! lies in the gap between the previous record's last byte and this record's
//! first byte; that gap consists only of line terminators (an unquoted field
//! cannot contain CR/LF and a quoted one ends with `"`), so counting the
//! terminators in it gives the number of rows advanced.
//!
//! The file is read as a stream, so the bytes of the gap are gone by the time
//! a record is returned. [`LineTracker`] sits between the file and the csv
//! reader and remembers, for the stretch the reader may still report on, each
//! run of consecutive terminators and how many line breaks it holds. Runs
//! before the last reported record are dropped, so memory stays bounded by
//! the csv reader's buffer, not by the file.

use std::collections::VecDeque;
use std::io::{self, Read};

/// A maximal run of CR / LF bytes: `start..end` in stream offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: u64,
    end: u64,
    /// Line breaks in the run: CRLF, a lone CR and a lone LF each count one.
    breaks: usize,
}

/// A reader that records the line-terminator runs passing through it, and
/// turns record positions into Excel row numbers.
pub(crate) struct LineTracker<R> {
    inner: R,
    /// Stream offset of the next byte to be read.
    offset: u64,
    /// Closed runs that a later record position may still fall into.
    runs: VecDeque<Run>,
    /// The run touching the end of what has been read; it may continue.
    open: Option<Run>,
    /// The byte before `offset` was a CR inside `open`.
    last_cr: bool,
    /// Row number of the previous record; 0 before the first.
    last_row: usize,
}

impl<R> LineTracker<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, offset: 0, runs: VecDeque::new(), open: None, last_cr: false, last_row: 0 }
    }

    /// The Excel row number of the record that starts in the gap at byte
    /// `position` (the header is row 1 when the file starts with it; blank
    /// lines count, line breaks inside quoted cells do not). Positions must
    /// be asked for in increasing order.
    pub(crate) fn row_number(&mut self, position: u64) -> usize {
        while self.runs.front().is_some_and(|r| r.end < position) {
            self.runs.pop_front();
        }
        // Runs are separated by at least one other byte, so at most one run
        // contains the position or ends right at it.
        let breaks = self
            .runs
            .iter()
            .chain(self.open.iter())
            .find(|r| r.start <= position && position <= r.end)
            .map_or(0, |r| r.breaks);
        self.last_row = if self.last_row == 0 { 1 + breaks } else { self.last_row + breaks.max(1) };
        self.last_row
    }

    fn close_run(&mut self) {
        if let Some(r) = self.open.take() {
            self.runs.push_back(r);
        }
        self.last_cr = false;
    }

    fn scan(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while i < chunk.len() {
            let Some(k) = memchr::memchr2(b'\n', b'\r', &chunk[i..]) else {
                self.close_run();
                break;
            };
            if k > 0 {
                self.close_run();
            }
            let at = i + k;
            let pos = self.offset + at as u64;
            let byte = chunk[at];
            let run = self.open.get_or_insert(Run { start: pos, end: pos, breaks: 0 });
            if !(byte == b'\n' && self.last_cr) {
                run.breaks += 1;
            }
            run.end = pos + 1;
            self.last_cr = byte == b'\r';
            i = at + 1;
        }
        self.offset += chunk.len() as u64;
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` in pieces of `step` and returns the runs seen.
    fn runs(bytes: &[u8], step: usize) -> Vec<(u64, u64, usize)> {
        let mut t = LineTracker::new(bytes);
        let mut buf = vec![0; step];
        while t.read(&mut buf).unwrap() > 0 {}
        t.close_run();
        t.runs.iter().map(|r| (r.start, r.end, r.breaks)).collect()
    }

    #[test]
    fn runs_count_crlf_once_even_across_reads() {
        for step in [1, 2, 3, 64] {
            assert_eq!(runs(b"a\r\nb\n\n\rc\r\r\n", step), [(1, 3, 1), (4, 7, 3), (8, 11, 2)], "step {step}");
        }
    }

    #[test]
    fn positions_inside_or_right_after_a_run_take_its_breaks() {
        let mut t = LineTracker::new(&b"h\n\n\nx"[..]);
        std::io::copy(&mut t, &mut std::io::sink()).unwrap();
        assert_eq!(t.row_number(0), 1);
        assert_eq!(t.row_number(2), 4);
    }
}
