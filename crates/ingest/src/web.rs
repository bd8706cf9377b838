//! Feeds and sitemaps as inputs: documents for entries with their content, links for the
//! rest.

use crate::feed::{FeedEntry, Link};
use crate::{IngestError, RawDocument, Reason, WebKind};

/// A page to clean: HTML with what its source said about it (a feed entry's link, date and
/// title; a WARC record's URI and date). The page's own metadata wins over these hints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebPage {
    pub html: String,
    pub url: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
}

/// What a feed or sitemap gave.
#[derive(Debug, Clone, PartialEq)]
pub struct WebRead {
    pub kind: WebKind,
    /// Feed entries with their full content.
    pub documents: Vec<RawDocument>,
    /// Pages to fetch: link-only feed entries, sitemap URLs, or (for a sitemap index) the
    /// child sitemaps.
    pub links: Vec<Link>,
}

/// Reads a feed, sitemap or sitemap index from `bytes`; `name` stands for the source in
/// provenance, `base_url` resolves a feed's relative links. Other kinds are
/// [`Reason::NotWeb`].
pub fn read_web(name: &str, bytes: &[u8], base_url: Option<&str>) -> Result<WebRead, Reason> {
    let kind = crate::sniff(bytes, None, base_url);
    let (documents, links) = match kind {
        WebKind::Feed => feed_items(name, crate::parse_feed(bytes, base_url)?),
        WebKind::Sitemap => (Vec::new(), crate::parse_sitemap(bytes)?.links),
        WebKind::SitemapIndex => (Vec::new(), crate::parse_sitemap(bytes)?.children),
        _ => return Err(Reason::NotWeb),
    };
    Ok(WebRead {
        kind,
        documents,
        links,
    })
}

/// Entries with content become documents; the others, when they have a link, links.
fn feed_items(name: &str, entries: Vec<FeedEntry>) -> (Vec<RawDocument>, Vec<Link>) {
    let mut docs = Vec::new();
    let mut links = Vec::new();
    for e in entries {
        match e.content.as_deref().map(|c| as_page(c, e.title.as_deref())) {
            Some(html) => docs.push(RawDocument::web(
                name,
                &html.clone().into_bytes(),
                WebPage {
                    html,
                    url: e.url,
                    published: e.published,
                    title: e.title,
                },
            )),
            None => {
                if let Some(url) = e.url {
                    links.push(Link {
                        url,
                        title: e.title,
                        published: e.published,
                        lastmod: None,
                    });
                }
            }
        }
    }
    (docs, links)
}

/// A feed entry's content (usually a fragment) as a whole page, as the extractor expects
/// one: the content is the page's `<article>`.
fn as_page(content: &str, title: Option<&str>) -> String {
    let head = String::from_utf8_lossy(&content.as_bytes()[..content.len().min(1024)])
        .to_ascii_lowercase();
    if head.contains("<html") || head.contains("<body") {
        return content.to_string();
    }
    let title = title.map(escape).unwrap_or_default();
    format!(
        "<html><head><title>{title}</title></head><body><article>{content}</article></body></html>"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A file's feed or sitemap as [`crate::read_file`] returns it: its documents, then one
/// error item saying how many links were left to fetch.
pub(crate) fn file_items(
    path: &str,
    read: WebRead,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    let err = |reason| IngestError {
        path: path.to_string(),
        line: None,
        reason,
    };
    let mut out: Vec<_> = read.documents.into_iter().map(Ok).collect();
    if !read.links.is_empty() {
        let what = match read.kind {
            WebKind::Feed => "feed entries only link to their article",
            WebKind::SitemapIndex => "sitemap index entries name other sitemaps",
            _ => "sitemap entries only link to their article",
        };
        out.push(Err(err(Reason::Links {
            count: read.links.len(),
            what,
        })));
    }
    if out.is_empty() {
        return Err(err(Reason::Record(match read.kind {
            WebKind::Feed => "the feed has no entries".into(),
            _ => "the sitemap lists no URL".into(),
        })));
    }
    Ok(out)
}
