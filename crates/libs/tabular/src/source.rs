//! Where an import reads its rows from, as many times as it needs (取込元).
//!
//! An import checks every row before it writes any, so it reads its input
//! twice: a checking pass, then a writing pass. A CSV — an upload already in
//! memory or a file on disk — is read as a stream on each pass, one reused
//! row at a time, so memory does not grow with the file. Formats that cannot
//! be streamed (xlsx through calamine, GeoJSON) arrive as a whole [`Table`].

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::encoding::{Decoding, Verdict, detect, io_error, undecodable};
use crate::error::TabularError;
use crate::lines::LineTracker;
use crate::normalize::trim_cell;
use crate::read::{InputEncoding, Row, Table};

/// The input of an import. Each call of [`Source::rows`] starts a fresh pass
/// from the first row.
pub struct Source<'a> {
    input: Input<'a>,
    /// The CSV encoding, decided by the first pass and kept for the next.
    decoding: OnceLock<Result<Decoding, TabularError>>,
    /// A file's length and modification time when the first pass began: a later pass over a
    /// file that no longer has them is [`TabularError::Changed`], so what was checked is what
    /// is written.
    stamp: OnceLock<Option<Stamp>>,
}

type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp_of(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

enum Input<'a> {
    CsvBytes { bytes: &'a [u8], encoding: InputEncoding },
    CsvFile { path: PathBuf, encoding: InputEncoding },
    Table(Cow<'a, Table>),
}

impl<'a> Source<'a> {
    fn new(input: Input<'a>) -> Self {
        Self { input, decoding: OnceLock::new(), stamp: OnceLock::new() }
    }

    /// CSV bytes already in memory (an upload, bounded by the upload limit).
    pub fn csv(bytes: &'a [u8], encoding: InputEncoding) -> Self {
        Self::new(Input::CsvBytes { bytes, encoding })
    }

    /// A CSV file on disk, read as a stream on every pass.
    pub fn csv_file(path: impl Into<PathBuf>, encoding: InputEncoding) -> Source<'static> {
        Source::new(Input::CsvFile { path: path.into(), encoding })
    }

    /// A table already read whole (xlsx, GeoJSON).
    pub fn table(table: Table) -> Source<'static> {
        Source::new(Input::Table(Cow::Owned(table)))
    }

    /// An uploaded file by its name's extension, as [`crate::read_file`]
    /// decides: CSV streams from the bytes, xlsx is read whole.
    pub fn upload(file_name: &str, bytes: &'a [u8], encoding: InputEncoding) -> Result<Self, TabularError> {
        Ok(match crate::read::extension(file_name)?.as_str() {
            "xlsx" | "xlsm" => Source::table(crate::read_xlsx(bytes, None)?),
            _ => Source::csv(bytes, encoding),
        })
    }

    /// A file on disk by its extension: CSV streams from the file, xlsx is
    /// read whole (`sheet`, or the first worksheet).
    pub fn path(path: &Path, encoding: InputEncoding, sheet: Option<&str>) -> Result<Source<'static>, TabularError> {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        Ok(match crate::read::extension(&name)?.as_str() {
            "xlsx" | "xlsm" => {
                let bytes = std::fs::read(path).map_err(io_error)?;
                Source::table(crate::read_xlsx(&bytes, sheet)?)
            }
            _ => Source::csv_file(path, encoding),
        })
    }

    /// Starts a pass: reads up to the header row and returns the rows after
    /// it. A CSV's encoding is decided on the first call (a pass over the raw
    /// bytes) and errors that concern the whole file are returned here.
    pub fn rows(&self) -> Result<Rows<'_>, TabularError> {
        match &self.input {
            Input::Table(t) => Ok(Rows {
                headers: t.headers.clone(),
                inner: Inner::Table(t.rows.iter()),
                row: Row::empty(),
                watch: None,
            }),
            Input::CsvBytes { .. } | Input::CsvFile { .. } => {
                let watch = match &self.input {
                    Input::CsvFile { path, .. } => {
                        let first = *self.stamp.get_or_init(|| stamp_of(path));
                        if stamp_of(path) != first {
                            return Err(TabularError::Changed);
                        }
                        Some((path.as_path(), first))
                    }
                    _ => None,
                };
                let decoding = self.decoding.get_or_init(|| self.detect()).clone()?;
                let reader = self.open(decoding.skip()).map_err(io_error)?;
                let mut csv = CsvRows::new(reader, decoding);
                let mut headers = Vec::new();
                if !csv.next_record(&mut headers, None)? {
                    return Err(TabularError::Empty);
                }
                let width = headers.len();
                for h in &mut headers {
                    let trimmed = trim_cell(h);
                    if trimmed.len() != h.len() {
                        *h = trimmed.to_string();
                    }
                }
                Ok(Rows { headers, inner: Inner::Csv(Box::new((csv, width))), row: Row::empty(), watch })
            }
        }
    }

    /// Reads every row into a [`Table`] (for small inputs and tests).
    pub fn read_all(&self) -> Result<Table, TabularError> {
        let mut rows = self.rows()?;
        let mut out = Vec::new();
        while let Some(r) = rows.next_row()? {
            out.push(r.clone());
        }
        Ok(Table { headers: rows.headers, rows: out })
    }

    /// A reader at byte `skip` of the CSV.
    fn open(&self, skip: u64) -> io::Result<Box<dyn Read + Send + '_>> {
        match &self.input {
            Input::CsvBytes { bytes, .. } => Ok(Box::new(bytes.get(skip as usize..).unwrap_or_default())),
            Input::CsvFile { path, .. } => {
                let mut f = File::open(path)?;
                f.seek(SeekFrom::Start(skip))?;
                Ok(Box::new(f))
            }
            Input::Table(_) => Ok(Box::new(io::empty())),
        }
    }

    fn detect(&self) -> Result<Decoding, TabularError> {
        let encoding = match &self.input {
            Input::CsvBytes { encoding, .. } | Input::CsvFile { encoding, .. } => *encoding,
            Input::Table(_) => InputEncoding::Auto,
        };
        match detect(|| self.open(0), encoding).map_err(io_error)? {
            Verdict::Read(d) => Ok(d),
            Verdict::Undetermined => Err(TabularError::EncodingUndetermined),
            Verdict::BadRows(d) => Err(self.bad_rows(d)),
        }
    }

    /// Slow path, only taken when decoding failed: which rows hold the bad
    /// bytes. Parsing the raw bytes is sound for both encodings because the
    /// CSV structural bytes (`"` `,` CR LF) never occur inside a UTF-8 or
    /// CP932 multi-byte character.
    fn bad_rows(&self, d: Decoding) -> TabularError {
        let reader = match self.open(d.skip()) {
            Ok(r) => r,
            Err(e) => return io_error(e),
        };
        let mut csv = CsvRows::new(reader, d);
        let mut rows = Vec::new();
        loop {
            match csv.next_raw() {
                Ok(Some(number)) => {
                    if !csv.record.iter().all(|f| d.is_valid(f)) {
                        rows.push(number);
                    }
                }
                Ok(None) => break,
                Err(e) => return e,
            }
        }
        undecodable(d, rows)
    }
}

impl<'a> From<&'a Table> for Source<'a> {
    fn from(t: &'a Table) -> Self {
        Source::new(Input::Table(Cow::Borrowed(t)))
    }
}

/// One pass over the data rows of a [`Source`].
pub struct Rows<'s> {
    headers: Vec<String>,
    inner: Inner<'s>,
    /// The current row, refilled in place on every call.
    row: Row,
    /// The file read and its stamp at the first pass, checked again at the end.
    watch: Option<(&'s Path, Option<Stamp>)>,
}

enum Inner<'s> {
    /// The reader and the header count.
    Csv(Box<(CsvRows<'s>, usize)>),
    Table(std::slice::Iter<'s, Row>),
}

impl Rows<'_> {
    /// Header cells, trimmed, trailing empty headers dropped.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next data row: blank rows are skipped, short rows padded to the
    /// header count, and a row with filled cells beyond the last header is
    /// [`TabularError::TooManyCells`].
    pub fn next_row(&mut self) -> Result<Option<&Row>, TabularError> {
        match &mut self.inner {
            Inner::Table(it) => Ok(it.next()),
            Inner::Csv(b) => {
                let (csv, width) = &mut **b;
                if !csv.next_record(&mut self.row.cells, Some(*width))? {
                    if let Some((path, stamp)) = self.watch
                        && stamp_of(path) != stamp
                    {
                        return Err(TabularError::Changed);
                    }
                    return Ok(None);
                }
                self.row.number = csv.number;
                Ok(Some(&self.row))
            }
        }
    }
}

/// Streaming CSV records, decoded a cell at a time into reused strings.
struct CsvRows<'s> {
    reader: csv::Reader<LineTracker<Box<dyn Read + Send + 's>>>,
    record: csv::ByteRecord,
    decoding: Decoding,
    /// Excel row number of the current record.
    number: usize,
    /// Decoded cells past the header count, to see whether they are blank.
    spare: String,
}

impl<'s> CsvRows<'s> {
    fn new(reader: Box<dyn Read + Send + 's>, decoding: Decoding) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // Short rows are padded and long rows are reported by row number,
            // which is friendlier than the csv crate's length error.
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(LineTracker::new(reader));
        Self { reader, record: csv::ByteRecord::new(), decoding, number: 0, spare: String::new() }
    }

    /// Reads the next record into `self.record`; its Excel row number, or
    /// `None` at the end.
    fn next_raw(&mut self) -> Result<Option<usize>, TabularError> {
        if !self.reader.read_byte_record(&mut self.record).map_err(|e| TabularError::Csv(e.to_string()))? {
            return Ok(None);
        }
        let position = self.record.position().map_or(0, |p| p.byte());
        self.number = self.reader.get_mut().row_number(position);
        Ok(Some(self.number))
    }

    /// Decodes the next non-blank record into `cells`. With a `width` (data
    /// rows), `cells` gets exactly that many; without (the header row), as
    /// many as up to the last filled one. False at the end of the file.
    fn next_record(&mut self, cells: &mut Vec<String>, width: Option<usize>) -> Result<bool, TabularError> {
        loop {
            let Some(number) = self.next_raw()? else { return Ok(false) };
            let take = width.map_or(self.record.len(), |w| w.min(self.record.len()));
            let want = width.unwrap_or(take);
            cells.resize_with(want, String::new);
            let mut last_filled = None;
            for (i, cell) in cells.iter_mut().enumerate() {
                cell.clear();
                if i < take {
                    self.decode(i, cell, number)?;
                    if !trim_cell(cell).is_empty() {
                        last_filled = Some(i);
                    }
                }
            }
            // Extra cells that are all blank (a trailing comma) lose nothing.
            for k in (take..self.record.len()).rev() {
                let mut spare = std::mem::take(&mut self.spare);
                spare.clear();
                self.decode(k, &mut spare, number)?;
                let filled = !trim_cell(&spare).is_empty();
                self.spare = spare;
                if filled {
                    return Err(TabularError::TooManyCells { row: number, expected: take, found: k + 1 });
                }
            }
            // Blank rows (including ",,,," which Excel writes for formatted
            // but empty rows) carry no data and would only produce spurious
            // "required" errors.
            let Some(last) = last_filled else { continue };
            if width.is_none() {
                cells.truncate(last + 1);
            }
            return Ok(true);
        }
    }

    /// Decodes field `i` into `out`, taking off the `'` our writer put before
    /// a formula-like cell.
    fn decode(&self, i: usize, out: &mut String, number: usize) -> Result<(), TabularError> {
        if self.decoding.decode_into(&self.record[i], out).is_none() {
            // Detection checked the whole file; it changed since.
            return Err(undecodable(self.decoding, vec![number]));
        }
        if crate::write::restore_formula_text(out).len() != out.len() {
            out.remove(0);
        }
        Ok(())
    }
}
