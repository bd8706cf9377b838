//! Ingest: turns paths on disk (or the built-in demo) into [`RawDocument`]s.
//!
//! [`collect`] walks the paths the user named and classifies each file by extension
//! (`.txt`, `.html`/`.htm`, `.jsonl`, each optionally `.gz`); files of other types inside
//! directories are counted as ignored, a file named directly that is of no supported type is an
//! [`IngestError`]. [`read_file`] then reads one [`SourceFile`] into documents: one per text or
//! HTML file, one per non-blank JSONL line. Every problem (empty, binary, invalid UTF-8 in a
//! JSONL line, over the size limit, unreadable, malformed JSON) is an [`IngestError`] naming the
//! file and line, and never stops the other inputs. Pages are decoded by their BOM, declared
//! charset or a guess ([`decode_html`]), so no page is refused for its encoding.
//!
//! A document's id is the content hash of its bytes (of the line, for JSONL), so the same input
//! read twice yields the same ids.

mod charset;
mod demo;
mod jsonl;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use model::DocKind;

pub use charset::{decode_html, decode_text};
pub use demo::demo_files;
pub use encoding_rs::Encoding;
pub use jsonl::JsonlRecord;

/// Default cap on one document (a text/HTML file after decompression, or one JSONL line).
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A supported input file found by [`collect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub kind: DocKind,
    pub gzip: bool,
}

/// What [`collect`] found under the named paths.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<SourceFile>,
    /// Files inside directories that are of no supported type (skipped silently, counted).
    pub ignored: Vec<PathBuf>,
    /// Paths that could not be used at all.
    pub errors: Vec<IngestError>,
}

/// The content of a raw document.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A text or HTML page, decoded to UTF-8.
    Page(String),
    /// One JSONL record.
    Record(JsonlRecord),
}

/// One input unit, before cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// Content hash of the bytes (the line, for JSONL).
    pub id: String,
    pub path: String,
    /// 1-based line, for JSONL.
    pub line: Option<u64>,
    pub kind: DocKind,
    /// Decompressed size in bytes.
    pub bytes: u64,
    pub content: Content,
}

/// Why an input was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("no such file or directory")]
    NotFound,
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("unsupported file type (expected .txt, .html, .htm or .jsonl, optionally .gz)")]
    Unsupported,
    #[error("empty file")]
    Empty,
    #[error("binary data, not text")]
    Binary,
    #[error("invalid UTF-8 at byte {0}")]
    InvalidUtf8(u64),
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        what: &'static str,
        size: u64,
        limit: u64,
    },
    #[error("corrupt gzip data: {0}")]
    Gzip(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Record(String),
}

/// An input that could not be read, with where it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct IngestError {
    pub path: String,
    pub line: Option<u64>,
    pub reason: Reason,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

impl IngestError {
    fn new(path: &Path, line: Option<u64>, reason: Reason) -> IngestError {
        IngestError {
            path: path.display().to_string(),
            line,
            reason,
        }
    }
}

/// Classifies a path by its extension: `(kind, gzip)`.
pub fn classify(path: &Path) -> Option<(DocKind, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, gzip) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name, false),
    };
    let ext = stem.rsplit_once('.')?.1;
    let kind = match ext {
        "txt" => DocKind::Text,
        "html" | "htm" => DocKind::Html,
        "jsonl" => DocKind::Jsonl,
        _ => return None,
    };
    Some((kind, gzip))
}

/// Walks `paths` (files and directories, recursively, in name order) and classifies the files.
pub fn collect<P: AsRef<Path>>(paths: &[P]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        let p = p.as_ref();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(IngestError::new(p, None, io_reason(&e)));
                continue;
            }
        };
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => match classify(e.path()) {
                        Some((kind, gzip)) => out.files.push(SourceFile {
                            path: e.into_path(),
                            kind,
                            gzip,
                        }),
                        None => out.ignored.push(e.into_path()),
                    },
                    Ok(_) => {}
                    Err(e) => {
                        let path = e.path().unwrap_or(p).to_path_buf();
                        let reason = match e.io_error() {
                            Some(io) => io_reason(io),
                            None => Reason::Unreadable(e.to_string()),
                        };
                        out.errors.push(IngestError::new(&path, None, reason));
                    }
                }
            }
        } else {
            match classify(p) {
                Some((kind, gzip)) => out.files.push(SourceFile {
                    path: p.to_path_buf(),
                    kind,
                    gzip,
                }),
                None => out
                    .errors
                    .push(IngestError::new(p, None, Reason::Unsupported)),
            }
        }
    }
    out
}

fn io_reason(e: &std::io::Error) -> Reason {
    match e.kind() {
        std::io::ErrorKind::NotFound => Reason::NotFound,
        _ => Reason::Unreadable(e.to_string()),
    }
}

/// Reads one file into documents. The outer error means nothing of the file could be read;
/// inner errors are single bad JSONL lines (the other lines are still returned).
pub fn read_file(
    file: &SourceFile,
    max_bytes: u64,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    let path = &file.path;
    let f = File::open(path).map_err(|e| IngestError::new(path, None, io_reason(&e)))?;
    let reader: Box<dyn Read> = if file.gzip {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(f)))
    } else {
        Box::new(BufReader::new(f))
    };
    let display = path.display().to_string();
    match file.kind {
        DocKind::Jsonl => jsonl::read(reader, &display, max_bytes),
        kind => {
            let bytes = read_capped(reader, max_bytes, file.gzip)
                .map_err(|r| IngestError::new(path, None, r))?;
            page_document(&display, kind, &bytes)
                .map(|d| vec![Ok(d)])
                .map_err(|r| IngestError::new(path, None, r))
        }
    }
}

/// Reads JSONL records from memory (e.g. a request body); `name` stands for the path in
/// provenance and messages.
pub fn read_jsonl(
    bytes: &[u8],
    name: &str,
    max_bytes: u64,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    jsonl::read(bytes, name, max_bytes)
}

/// Reads at most `max_bytes`; more is an error rather than an unbounded allocation.
fn read_capped(reader: impl Read, max_bytes: u64, gzip: bool) -> Result<Vec<u8>, Reason> {
    let mut buf = Vec::new();
    let mut limited = reader.take(max_bytes + 1);
    limited.read_to_end(&mut buf).map_err(|e| {
        if gzip {
            Reason::Gzip(e.to_string())
        } else {
            Reason::Unreadable(e.to_string())
        }
    })?;
    if buf.len() as u64 > max_bytes {
        return Err(Reason::TooLarge {
            what: "file",
            size: buf.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(buf)
}

/// Builds the document of one text or HTML page from its bytes.
pub fn page_document(path: &str, kind: DocKind, bytes: &[u8]) -> Result<RawDocument, Reason> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Reason::Empty);
    }
    // UTF-16 text is full of NUL bytes: a BOM says it is text.
    if encoding_rs::Encoding::for_bom(bytes).is_none() && looks_binary(bytes) {
        return Err(Reason::Binary);
    }
    let text = decode(kind, bytes)?;
    Ok(RawDocument {
        id: model::content_id(bytes),
        path: path.to_string(),
        line: None,
        kind,
        bytes: bytes.len() as u64,
        content: Content::Page(text),
    })
}

/// NUL bytes, or many control characters in the first 8 KiB, mean this is not a text page.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len()
}

/// Decodes a page to UTF-8: HTML by BOM, declared charset or a guess, text by BOM, UTF-8 or a
/// guess ([`charset`]). Invalid bytes become U+FFFD rather than losing the page.
fn decode(kind: DocKind, bytes: &[u8]) -> Result<String, Reason> {
    let (text, _) = if kind == DocKind::Html {
        decode_html(bytes, None)
    } else {
        decode_text(bytes)
    };
    Ok(text)
}

#[cfg(test)]
mod tests;
