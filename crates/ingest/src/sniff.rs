//! Telling web formats apart from their first bytes (with the HTTP content type and URL as
//! hints), so a file or a fetched body is read as what it is whatever its name says.

use std::io::Read;

/// What a body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebKind {
    /// An HTML (or other markup) page.
    Page,
    /// An RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Feed,
    /// A `<urlset>` sitemap.
    Sitemap,
    /// A `<sitemapindex>`.
    SitemapIndex,
    /// A WARC archive (plain or gzipped).
    Warc,
    /// JSON lines (one object per line).
    Jsonl,
    /// Anything else: plain text.
    Text,
}

/// How much of a body the sniffer looks at (decompressed).
const HEAD: usize = 4096;

/// Tells what `bytes` hold. The content decides; `content_type` and the extension of `url`
/// only break ties (a feed served as `text/html` is still a feed). Gzipped bytes are looked
/// at decompressed.
pub fn sniff(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> WebKind {
    let head = head_of(bytes);
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if head.starts_with(b"WARC/") || ct.starts_with("application/warc") {
        return WebKind::Warc;
    }
    let text = String::from_utf8_lossy(&head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('<') {
        return match root_element(body).as_deref() {
            Some("rss" | "rdf" | "feed" | "channel") => WebKind::Feed,
            Some("urlset") => WebKind::Sitemap,
            Some("sitemapindex") => WebKind::SitemapIndex,
            _ => WebKind::Page,
        };
    }
    if body.starts_with('{') {
        if body.contains("jsonfeed.org/version") || ct.contains("feed+json") {
            return WebKind::Feed;
        }
        return WebKind::Jsonl;
    }
    by_hints(&ct, url)
}

/// The kind the content type or URL names, for bodies the content does not settle.
fn by_hints(ct: &str, url: Option<&str>) -> WebKind {
    if ct.contains("html") {
        return WebKind::Page;
    }
    let path = url
        .unwrap_or("")
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let path = path.strip_suffix(".gz").unwrap_or(&path);
    if path.ends_with(".html") || path.ends_with(".htm") {
        WebKind::Page
    } else if path.ends_with(".jsonl") {
        WebKind::Jsonl
    } else {
        WebKind::Text
    }
}

/// The first [`HEAD`] bytes, decompressed when the body is gzip.
fn head_of(bytes: &[u8]) -> Vec<u8> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(HEAD);
        let dec = flate2::read::MultiGzDecoder::new(bytes);
        // A corrupt stream yields what it could; the reader reports the error later.
        let _ = dec.take(HEAD as u64).read_to_end(&mut out);
        return out;
    }
    bytes[..bytes.len().min(HEAD)].to_vec()
}

/// The local name (lower case, prefix dropped) of the first element, past the XML
/// declaration, comments, processing instructions and doctype.
fn root_element(mut s: &str) -> Option<String> {
    loop {
        s = s.trim_start();
        let rest = s.strip_prefix('<')?;
        if let Some(r) = rest.strip_prefix("!--") {
            s = &r[r.find("-->")? + 3..];
        } else if rest.starts_with('?') || rest.starts_with('!') {
            // `get` rather than indexing: the bytes after `<!` may not be ASCII.
            if rest
                .get(1..8)
                .is_some_and(|d| d.eq_ignore_ascii_case("doctype"))
            {
                let doc = rest[8..].trim_start();
                if doc.get(..4).is_some_and(|d| d.eq_ignore_ascii_case("html")) {
                    return Some("html".into());
                }
            }
            s = &rest[rest.find('>')? + 1..];
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
                .collect();
            let local = name.rsplit(':').next().unwrap_or(&name);
            return Some(local.to_ascii_lowercase());
        }
    }
}
