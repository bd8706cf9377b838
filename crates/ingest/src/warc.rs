//! WARC archives (`.warc`, `.warc.gz`), read record by record in constant memory.
//!
//! A small reader of our own rather than the `warc` crate: we need the offset of each record
//! to name a corrupt one, a per-record size cap that skips a huge record without holding it,
//! and a truncated file to end with an error after the records before it. Gzip, whole-file or
//! one member per record as Common Crawl writes it, is read by one `MultiGzDecoder`: the
//! members of a per-record file follow each other in one stream. Offsets are therefore those
//! of the decompressed stream.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::{IngestError, RawDocument, Reason, WebKind, WebPage};

/// Largest WARC or HTTP header block accepted; past it the record is corrupt.
const MAX_HEADER: usize = 256 * 1024;

/// What a WARC reading saw, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarcStats {
    /// Records read (all types).
    pub records: u64,
    /// HTML documents yielded.
    pub documents: u64,
    /// Records that hold no HTML page: requests, metadata, non-HTML or failed responses.
    pub skipped: u64,
    /// Records over the size cap (each also yielded as an error).
    pub too_large: u64,
}

/// The documents of one WARC file, read as they are asked for (see [`warc_documents`]).
pub struct WarcDocuments {
    display: String,
    reader: Option<Counting<Box<dyn BufRead>>>,
    /// An error from opening the file, yielded first.
    open_error: Option<IngestError>,
    max_bytes: u64,
    stats: WarcStats,
}

/// Streams the HTML documents of a WARC file (plain or gzipped) one record at a time, with
/// the [`crate::DEFAULT_MAX_BYTES`] cap per record. A record over the cap is an error item
/// and reading goes on; a truncated or corrupt record is a last error item naming its
/// offset.
pub fn warc_documents(path: &Path) -> WarcDocuments {
    WarcDocuments::open(path, crate::DEFAULT_MAX_BYTES)
}

impl WarcDocuments {
    /// Opens `path`, with `max_bytes` as the cap on one record's block.
    pub fn open(path: &Path, max_bytes: u64) -> WarcDocuments {
        let display = path.display().to_string();
        let (reader, open_error) = match open_reader(path) {
            Ok(r) => (Some(Counting { inner: r, pos: 0 }), None),
            Err(e) => (
                None,
                Some(IngestError::new(path, None, crate::io_reason(&e))),
            ),
        };
        WarcDocuments {
            display,
            reader,
            open_error,
            max_bytes,
            stats: WarcStats::default(),
        }
    }

    /// One note for the records skipped so far (not HTML responses, too large), if any.
    pub fn skipped_note(&self) -> Option<IngestError> {
        let stats = self.stats();
        (stats.skipped > 0).then(|| {
            self.error(Reason::WarcSkipped {
                skipped: stats.skipped,
                records: stats.records,
            })
        })
    }

    /// What was read so far.
    pub fn stats(&self) -> WarcStats {
        self.stats
    }

    fn error(&self, reason: Reason) -> IngestError {
        IngestError {
            path: self.display.clone(),
            line: None,
            reason,
        }
    }

    /// Reads records until one yields something (a document or an error) or the file ends.
    fn next_item(&mut self) -> Option<Result<RawDocument, IngestError>> {
        loop {
            let reader = self.reader.as_mut()?;
            if let Err(msg) = skip_blank_lines(reader) {
                let reason = Reason::Warc {
                    record: self.stats.records + 1,
                    offset: reader.pos,
                    msg,
                };
                return Some(Err(self.fail(reason)));
            }
            let offset = reader.pos;
            let record = self.stats.records + 1;
            let corrupt = |msg: String| Reason::Warc {
                record,
                offset,
                msg,
            };
            let header = match read_warc_header(reader) {
                Ok(None) => {
                    self.reader = None;
                    return None;
                }
                Ok(Some(h)) => h,
                Err(msg) => return Some(Err(self.fail(corrupt(msg)))),
            };
            self.stats.records += 1;
            let len = header.length;
            if !header.is_http_response() {
                self.stats.skipped += 1;
                if let Err(msg) = skip_block(reader, len) {
                    return Some(Err(self.fail(corrupt(msg))));
                }
                continue;
            }
            if len > self.max_bytes {
                self.stats.too_large += 1;
                if let Err(msg) = skip_block(reader, len) {
                    return Some(Err(self.fail(corrupt(msg))));
                }
                return Some(Err(self.error(Reason::TooLarge {
                    what: "WARC record",
                    size: len,
                    limit: self.max_bytes,
                })));
            }
            let block = match read_block(reader, len) {
                Ok(b) => b,
                Err(msg) => return Some(Err(self.fail(corrupt(msg)))),
            };
            match html_document(&self.display, &header, &block, self.max_bytes) {
                Some(doc) => {
                    self.stats.documents += 1;
                    return Some(Ok(doc));
                }
                None => self.stats.skipped += 1,
            }
        }
    }

    /// Ends the file: nothing after a corrupt record can be trusted to be a record start.
    fn fail(&mut self, reason: Reason) -> IngestError {
        self.reader = None;
        self.error(reason)
    }
}

impl Iterator for WarcDocuments {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.open_error.take() {
            return Some(Err(e));
        }
        self.next_item()
    }
}

/// The file, decompressed when it starts with the gzip magic (whatever its name).
fn open_reader(path: &Path) -> io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        let dec = flate2::bufread::MultiGzDecoder::new(file);
        Box::new(BufReader::with_capacity(1 << 16, dec))
    } else {
        Box::new(file)
    })
}

/// Whether the file at `path` is a WARC archive, from its first bytes.
pub fn is_warc(path: &Path) -> bool {
    let mut head = Vec::with_capacity(1024);
    match File::open(path) {
        Ok(f) => {
            let _ = f.take(1024).read_to_end(&mut head);
            crate::sniff(&head, None, None) == WebKind::Warc
        }
        Err(_) => false,
    }
}

/// A reader that counts the bytes consumed, for record offsets.
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.pos += n as u64;
        self.inner.consume(n);
    }
}

/// The WARC header fields we use.
#[derive(Debug, Default)]
struct WarcHeader {
    kind: String,
    uri: Option<String>,
    date: Option<String>,
    content_type: String,
    length: u64,
}

impl WarcHeader {
    fn is_http_response(&self) -> bool {
        self.kind.eq_ignore_ascii_case("response")
            && self
                .content_type
                .to_ascii_lowercase()
                .starts_with("application/http")
    }
}

/// Skips the line ends between records (the `\r\n\r\n` after each block), so that the
/// next record's offset is that of its `WARC/` line.
fn skip_blank_lines(r: &mut impl BufRead) -> Result<(), String> {
    loop {
        let buf = r.fill_buf().map_err(read_error)?;
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let more = n == buf.len() && n > 0;
        r.consume(n);
        if !more {
            return Ok(());
        }
    }
}

/// Reads the next record's WARC header; `Ok(None)` at a clean end of file.
fn read_warc_header(r: &mut impl BufRead) -> Result<Option<WarcHeader>, String> {
    let mut line = Vec::new();
    if read_line(r, &mut line)? == 0 {
        return Ok(None);
    }
    if !line.starts_with(b"WARC/") {
        let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
        return Err(format!(
            "expected a WARC version line, found {:?}",
            shown.trim()
        ));
    }
    let mut h = WarcHeader::default();
    let mut length = None;
    let mut total = line.len();
    loop {
        line.clear();
        let n = read_line(r, &mut line)?;
        if n == 0 {
            return Err("truncated in the WARC header".into());
        }
        total += n;
        if total > MAX_HEADER {
            return Err("WARC header over 256 KiB".into());
        }
        let l = trim_eol(&line);
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = split_field(l) else {
            continue;
        };
        match name.to_ascii_lowercase().as_str() {
            "warc-type" => h.kind = value,
            "warc-target-uri" => h.uri = Some(value.trim_matches(['<', '>']).to_string()),
            "warc-date" => h.date = Some(value),
            "content-type" => h.content_type = value,
            "content-length" => {
                length = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("bad Content-Length {value:?}"))?,
                )
            }
            _ => {}
        }
    }
    h.length = length.ok_or("no Content-Length in the WARC header")?;
    Ok(Some(h))
}

/// One line, at most [`MAX_HEADER`] bytes; the byte count read (0 at end of input).
fn read_line(r: &mut impl BufRead, line: &mut Vec<u8>) -> Result<usize, String> {
    let n = r
        .by_ref()
        .take(MAX_HEADER as u64)
        .read_until(b'\n', line)
        .map_err(read_error)?;
    Ok(n)
}

fn read_error(e: io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "truncated: the file ends inside this record".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\n").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

fn split_field(l: &[u8]) -> Option<(String, String)> {
    let colon = memchr::memchr(b':', l)?;
    let name = String::from_utf8_lossy(&l[..colon]).trim().to_string();
    let value = String::from_utf8_lossy(&l[colon + 1..]).trim().to_string();
    Some((name, value))
}

fn read_block(r: &mut impl Read, len: u64) -> Result<Vec<u8>, String> {
    let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
    r.by_ref()
        .take(len)
        .read_to_end(&mut block)
        .map_err(read_error)?;
    if (block.len() as u64) < len {
        return Err(format!(
            "truncated: the block has {} of its {len} bytes",
            block.len()
        ));
    }
    Ok(block)
}

fn skip_block(r: &mut impl Read, len: u64) -> Result<(), String> {
    let n = io::copy(&mut r.by_ref().take(len), &mut io::sink()).map_err(read_error)?;
    if n < len {
        return Err(format!("truncated: the block has {n} of its {len} bytes"));
    }
    Ok(())
}

/// The HTML document of an HTTP response block, when it is a 200 response holding a page.
fn html_document(
    path: &str,
    header: &WarcHeader,
    block: &[u8],
    max_bytes: u64,
) -> Option<RawDocument> {
    let resp = crate::http::parse_response(block)?;
    if resp.status != 200 {
        return None;
    }
    let body = resp.decoded_body(max_bytes)?;
    let is_html = match &resp.content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("text/html") || ct.starts_with("application/xhtml")
        }
        None => crate::sniff(&body, None, header.uri.as_deref()) == WebKind::Page,
    };
    if !is_html || body.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let (html, _) = crate::decode_html(&body, resp.charset());
    Some(RawDocument::web(
        path,
        &body,
        WebPage {
            html,
            url: header.uri.clone(),
            published: header.date.clone(),
            title: None,
        },
    ))
}
