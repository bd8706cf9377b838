//! Ingest: turns paths on disk (or the built-in demo) into [`RawDocument`]s.
//!
//! [`collect`] walks the paths the user named and classifies each file by extension
//! (`.txt`, `.html`/`.htm`, `.jsonl`, `.xml`/`.rss`/`.atom`/`.json`, each optionally `.gz`, and
//! `.warc`/`.warc.gz`), or for a file of no known extension by its first bytes; files of other
//! types inside directories are counted as ignored, a file named directly that is of no
//! supported type is an [`IngestError`]. [`read_file`] then reads one [`SourceFile`] into
//! documents: one per text or HTML file, one per non-blank JSONL line. Every problem (empty,
//! binary, invalid UTF-8 in a JSONL line, over the size limit, unreadable, malformed JSON) is an
//! [`IngestError`] naming the file and line, and never stops the other inputs. Pages are
//! decoded by their BOM, declared charset or a guess ([`decode_html`]), so no page is refused
//! for its encoding.
//!
//! Web formats: feeds (RSS, Atom, JSON Feed, via `feed-rs`) and sitemaps (`<urlset>` with
//! Google News fields, `<sitemapindex>`, via `quick-xml`) are recognised from their content
//! ([`sniff`]), whatever the file's name. A feed entry with its full content becomes an HTML
//! document ([`Content::Web`], with the entry's link, date and title as hints); entries and
//! sitemap URLs that only link to a page are [`Link`]s, which [`read_file`] reports as one
//! [`Reason::Links`] item per file (a fetcher gets them from [`read_web`], [`parse_feed`] and
//! [`parse_sitemap`], which take bytes). WARC archives are streamed record by record
//! ([`warc_documents`]): each HTTP 200 HTML response is a document with the record's URI and
//! date; other records are counted, and a truncated or corrupt record ends the file with an
//! error naming its offset.
//!
//! A document's id is the content hash of its bytes (of the line, for JSONL), so the same input
//! read twice yields the same ids.

mod charset;
mod demo;
mod feed;
mod http;
mod jsonl;
mod sniff;
mod warc;
mod web;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use model::DocKind;

pub use charset::{decode_html, decode_text};
pub use demo::demo_files;
pub use encoding_rs::Encoding;
pub use feed::{FeedEntry, Link, Sitemap, parse_feed, parse_sitemap};
pub use jsonl::JsonlRecord;
pub use sniff::{WebKind, sniff};
pub use warc::{WarcDocuments, WarcStats, is_warc, warc_documents};
pub use web::{WebPage, WebRead, read_web};

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
    /// An HTML page from a feed entry or a WARC record, with its source's URL and date.
    Web(WebPage),
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

impl RawDocument {
    /// An HTML page from the web (a WARC record, a feed entry, a fetched page) read from
    /// `source`: its id is the hash of `bytes` as received.
    pub fn web(source: &str, bytes: &[u8], page: WebPage) -> RawDocument {
        RawDocument {
            id: model::content_id(bytes),
            path: source.to_string(),
            line: None,
            kind: DocKind::Html,
            bytes: bytes.len() as u64,
            content: Content::Web(page),
        }
    }
}

/// Why an input was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("no such file or directory")]
    NotFound,
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error(
        "unsupported file type (expected .txt, .html, .htm, .jsonl, a feed or sitemap \
         (.xml, .rss, .atom, .json), each optionally .gz, or a WARC archive (.warc, .warc.gz))"
    )]
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
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("malformed sitemap: {0}")]
    Sitemap(String),
    #[error("not a feed or sitemap (expected RSS, Atom, JSON Feed, <urlset> or <sitemapindex>)")]
    NotWeb,
    /// Feed entries or sitemap URLs whose pages are not in the file.
    #[error("{count} {what}: fetch them with a URL input")]
    Links { count: usize, what: &'static str },
    /// A truncated or corrupt WARC record: the file ends there.
    #[error("WARC record {record} at byte {offset} (decompressed): {msg}; reading stopped there")]
    Warc {
        record: u64,
        offset: u64,
        msg: String,
    },
    #[error(
        "{skipped} of {records} WARC records hold no HTML page (requests, metadata, non-HTML or failed responses)"
    )]
    WarcSkipped { skipped: u64, records: u64 },
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
        "jsonl" | "ndjson" => DocKind::Jsonl,
        // Feeds, sitemaps and WARC archives yield HTML documents; read_file tells which
        // from the content.
        "xml" | "rss" | "atom" | "json" | "warc" => DocKind::Html,
        _ => return None,
    };
    Some((kind, gzip))
}

/// Classifies a file of no known extension by its first bytes: feeds, sitemaps and WARC
/// archives are recognised whatever their name.
fn classify_by_content(path: &Path) -> Option<(DocKind, bool)> {
    let mut head = Vec::with_capacity(4096);
    File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    match sniff(&head, None, None) {
        WebKind::Feed | WebKind::Sitemap | WebKind::SitemapIndex | WebKind::Warc => {
            Some((DocKind::Html, head.starts_with(&[0x1f, 0x8b])))
        }
        _ => None,
    }
}

fn classify_any(path: &Path) -> Option<(DocKind, bool)> {
    classify(path).or_else(|| classify_by_content(path))
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
                    Ok(e) if e.file_type().is_file() => match classify_any(e.path()) {
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
            match classify_any(p) {
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

pub(crate) fn io_reason(e: &std::io::Error) -> Reason {
    match e.kind() {
        std::io::ErrorKind::NotFound => Reason::NotFound,
        _ => Reason::Unreadable(e.to_string()),
    }
}

/// Reads one file into documents. The outer error means nothing of the file could be read;
/// inner errors are single bad JSONL lines (the other lines are still returned), and for
/// feeds, sitemaps and WARC archives what was left out (links to fetch, records skipped, a
/// corrupt record that ended the file).
///
/// A WARC archive's documents are all collected here; [`warc_documents`] streams them.
pub fn read_file(
    file: &SourceFile,
    max_bytes: u64,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    let path = &file.path;
    if file.kind != DocKind::Jsonl && warc::is_warc(path) {
        return Ok(read_warc(path, max_bytes));
    }
    let reader = open(file).map_err(|e| IngestError::new(path, None, io_reason(&e)))?;
    let display = path.display().to_string();
    match file.kind {
        DocKind::Jsonl => jsonl::read(reader, &display, max_bytes),
        kind => {
            let bytes = read_capped(reader, max_bytes, file.gzip)
                .map_err(|r| IngestError::new(path, None, r))?;
            read_page_or_web(&display, kind, &bytes).map_err(|r| IngestError::new(path, None, r))
        }
    }
}

/// A page, or a feed or sitemap when its content shows one (whatever the extension). Files
/// named as feeds or sitemaps that hold neither are an error, unless they are markup pages.
fn read_page_or_web(
    display: &str,
    kind: DocKind,
    bytes: &[u8],
) -> Result<Vec<Result<RawDocument, IngestError>>, Reason> {
    match sniff(bytes, None, None) {
        WebKind::Feed | WebKind::Sitemap | WebKind::SitemapIndex => {
            let read = read_web(display, bytes, None)?;
            web::file_items(display, read).map_err(|e| e.reason)
        }
        WebKind::Page => Ok(vec![Ok(page_document(display, kind, bytes)?)]),
        _ if is_web_name(display) => Err(Reason::NotWeb),
        _ => Ok(vec![Ok(page_document(display, kind, bytes)?)]),
    }
}

/// Whether the name has a feed or sitemap extension (`.xml`, `.rss`, `.atom`, `.json`).
fn is_web_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".xml", ".rss", ".atom", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// All the documents of a WARC archive, then a count of the records skipped.
fn read_warc(path: &Path, max_bytes: u64) -> Vec<Result<RawDocument, IngestError>> {
    let mut docs = WarcDocuments::open(path, max_bytes);
    let mut out: Vec<_> = docs.by_ref().collect();
    out.extend(docs.skipped_note().map(Err));
    out
}

/// A collected file's bytes, decompressed when it is gzip (streamed, never loaded whole).
pub fn open(file: &SourceFile) -> std::io::Result<Box<dyn std::io::BufRead>> {
    let f = BufReader::new(File::open(&file.path)?);
    Ok(if file.gzip {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(f)
    })
}

/// The documents of a read (of [`read_file`] or [`read_jsonl`]), and its errors: the file's
/// own, or those of its items.
pub fn partition(
    read: Result<Vec<Result<RawDocument, IngestError>>, IngestError>,
) -> (Vec<RawDocument>, Vec<IngestError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for item in read.unwrap_or_else(|e| vec![Err(e)]) {
        match item {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    (docs, errors)
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
#[cfg(test)]
mod tests_web;
