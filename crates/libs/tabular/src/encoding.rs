//! Deciding how a CSV is encoded before its rows are read (文字コードの判定).
//!
//! [`InputEncoding::Auto`] picks UTF-8 only if the *whole* file is valid
//! UTF-8, and a declared encoding must report every row holding bad bytes, so
//! the decision is a pass of its own over the bytes: checking validity in
//! chunks costs little next to parsing, needs no memory beyond one chunk, and
//! lets the reading passes that follow decode each cell on its own.

use std::io::{self, Read};

use encoding_rs::{DecoderResult, SHIFT_JIS};

use crate::error::TabularError;
use crate::read::InputEncoding;

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF8_NAME: &str = "UTF-8";
const CP932_NAME: &str = "Shift_JIS(CP932)";
const CHUNK: usize = 1 << 16;

/// The encoding the reading passes use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decoding {
    /// UTF-8; `bom` says the first three bytes are a BOM to skip.
    Utf8 {
        bom: bool,
    },
    Cp932,
}

impl Decoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Decoding::Utf8 { .. } => UTF8_NAME,
            Decoding::Cp932 => CP932_NAME,
        }
    }

    /// Bytes to skip at the start of the file.
    pub(crate) fn skip(self) -> u64 {
        match self {
            Decoding::Utf8 { bom: true } => UTF8_BOM.len() as u64,
            _ => 0,
        }
    }

    /// Appends one cell's bytes, decoded, to `out`. `None` if they are not
    /// valid in this encoding.
    pub(crate) fn decode_into(self, bytes: &[u8], out: &mut String) -> Option<()> {
        match self {
            Decoding::Utf8 { .. } => out.push_str(std::str::from_utf8(bytes).ok()?),
            Decoding::Cp932 if bytes.is_ascii() => out.push_str(std::str::from_utf8(bytes).ok()?),
            Decoding::Cp932 => out.push_str(&SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)?),
        }
        Some(())
    }

    pub(crate) fn is_valid(self, bytes: &[u8]) -> bool {
        match self {
            Decoding::Utf8 { .. } => std::str::from_utf8(bytes).is_ok(),
            Decoding::Cp932 => {
                bytes.is_ascii() || SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes).is_some()
            }
        }
    }
}

/// What the checking pass found.
pub(crate) enum Verdict {
    Read(Decoding),
    /// The declared (or BOM-declared) encoding does not fit: the caller lists
    /// the rows that hold bad bytes.
    BadRows(Decoding),
    Undetermined,
}

/// Decides the encoding of the bytes `open` yields (a fresh reader at the
/// start of the file on every call).
pub(crate) fn detect<R: Read>(mut open: impl FnMut() -> io::Result<R>, enc: InputEncoding) -> io::Result<Verdict> {
    let mut head = [0u8; 3];
    let n = read_full(&mut open()?, &mut head)?;
    let bom = head[..n] == *UTF8_BOM;
    let utf8 = |skip_bom: bool, open: &mut dyn FnMut() -> io::Result<R>| -> io::Result<bool> {
        let mut r = open()?;
        if skip_bom {
            read_full(&mut r, &mut head.clone())?;
        }
        utf8_valid(r)
    };
    Ok(match enc {
        InputEncoding::Auto if !bom => {
            if utf8(false, &mut open)? {
                Verdict::Read(Decoding::Utf8 { bom: false })
            } else if cp932_valid(open()?)? {
                Verdict::Read(Decoding::Cp932)
            } else {
                Verdict::Undetermined
            }
        }
        // A BOM is an explicit declaration; trust it and report bad bytes.
        InputEncoding::Auto | InputEncoding::Utf8 => {
            let d = Decoding::Utf8 { bom };
            if utf8(bom, &mut open)? { Verdict::Read(d) } else { Verdict::BadRows(d) }
        }
        InputEncoding::Cp932 => {
            if cp932_valid(open()?)? {
                Verdict::Read(Decoding::Cp932)
            } else {
                Verdict::BadRows(Decoding::Cp932)
            }
        }
    })
}

pub(crate) fn undecodable(d: Decoding, rows: Vec<usize>) -> TabularError {
    TabularError::Undecodable { encoding: d.name(), rows }
}

pub(crate) fn io_error(e: io::Error) -> TabularError {
    TabularError::Csv(e.to_string())
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Whether the stream is valid UTF-8, a chunk at a time (a character cut by
/// the chunk's end is carried over).
fn utf8_valid(mut r: impl Read) -> io::Result<bool> {
    let mut buf = vec![0u8; CHUNK];
    let mut carry = 0;
    loop {
        let n = r.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Whether the stream decodes as CP932 without replacement characters.
fn cp932_valid(mut r: impl Read) -> io::Result<bool> {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut input = vec![0u8; CHUNK];
    let mut output = vec![0u8; CHUNK * 2];
    loop {
        let n = r.read(&mut input)?;
        let last = n == 0;
        let mut src = &input[..n];
        loop {
            let (result, read, _) = decoder.decode_to_utf8_without_replacement(src, &mut output, last);
            src = &src[read..];
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => return Ok(false),
            }
        }
        if last {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(bytes: &[u8], enc: InputEncoding) -> Verdict {
        detect(|| Ok(bytes), enc).unwrap()
    }

    #[test]
    fn utf8_split_across_chunks_is_valid() {
        let mut s = "a".repeat(CHUNK - 1);
        s.push_str("あいう");
        assert!(utf8_valid(s.as_bytes()).unwrap());
        assert!(!utf8_valid(&s.as_bytes()[..s.len() - 1]).unwrap());
    }

    #[test]
    fn cp932_split_across_chunks_is_valid() {
        let text = format!("{}{}", "a".repeat(CHUNK - 1), "漢字");
        let (bytes, _, _) = SHIFT_JIS.encode(&text);
        assert!(cp932_valid(&bytes[..]).unwrap());
        assert!(!cp932_valid(&bytes[..bytes.len() - 1]).unwrap());
    }

    #[test]
    fn detection_follows_the_declaration_and_the_bom() {
        assert!(matches!(verdict("あ".as_bytes(), InputEncoding::Auto), Verdict::Read(Decoding::Utf8 { bom: false })));
        assert!(matches!(verdict(b"\xEF\xBB\xBFa", InputEncoding::Auto), Verdict::Read(Decoding::Utf8 { bom: true })));
        assert!(matches!(verdict(b"\x82\xa0", InputEncoding::Auto), Verdict::Read(Decoding::Cp932)));
        assert!(matches!(verdict(b"\xEF\xBB\xBF\x82\xa0", InputEncoding::Auto), Verdict::BadRows(_)));
        assert!(matches!(verdict(b"\xFF\xFE", InputEncoding::Auto), Verdict::Undetermined));
        assert!(matches!(verdict(b"\xFF", InputEncoding::Cp932), Verdict::BadRows(Decoding::Cp932)));
    }
}
