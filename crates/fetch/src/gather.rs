//! URLs to raw documents: a page is a document; a feed or sitemap (recognised from its
//! content) gives its entries with content as documents and its links as pages to fetch (a
//! sitemap index's children as sitemaps, to a bounded depth). What a source gave before
//! ([`Source::seen`]) is not fetched again, and its validators make an unchanged feed a 304.

use std::collections::HashSet;

use ingest::{IngestError, Link, RawDocument, Reason, WebKind, WebPage};
use model::DocKind;

use crate::{FetchError, FetchRequest, Fetched, Fetcher, Page, Validators};

/// A URL the user named (a page, feed or sitemap), with what is known of it from before.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub url: String,
    pub validators: Validators,
    /// Links (entry or sitemap URLs) already taken from this source.
    pub seen: HashSet<String>,
}

impl Source {
    pub fn new(url: impl Into<String>) -> Source {
        Source {
            url: url.into(),
            ..Source::default()
        }
    }
}

/// Limits of one gathering.
#[derive(Debug, Clone)]
pub struct GatherOptions {
    /// Links taken from one source per gathering (the rest wait for the next one).
    pub max_links: usize,
    /// How deep sitemap indexes are followed.
    pub sitemap_depth: usize,
    /// Largest document accepted (a JSONL line), in bytes.
    pub max_bytes: u64,
}

impl Default for GatherOptions {
    fn default() -> GatherOptions {
        GatherOptions {
            max_links: 1000,
            sitemap_depth: 2,
            max_bytes: ingest::DEFAULT_MAX_BYTES,
        }
    }
}

/// What became of one source.
#[derive(Debug, Clone, Default)]
pub struct SourceState {
    pub url: String,
    /// The validators to send next time (the old ones when the source failed).
    pub validators: Validators,
    /// The source answered 304: nothing new.
    pub unchanged: bool,
    /// Links fetched into documents this time (to add to [`Source::seen`]).
    pub taken: Vec<String>,
    /// Links left for a later gathering (over [`GatherOptions::max_links`]).
    pub left: usize,
}

/// The documents gathered, the failures (each naming its URL), and each source's state.
#[derive(Debug, Default)]
pub struct Gathered {
    pub documents: Vec<RawDocument>,
    pub errors: Vec<IngestError>,
    pub sources: Vec<SourceState>,
}

/// Fetches `sources`, then the links their feeds and sitemaps give.
pub fn gather(fetcher: &Fetcher, sources: &[Source], opts: &GatherOptions) -> Gathered {
    let mut out = Gathered::default();
    let requests = sources.iter().map(|s| FetchRequest {
        url: s.url.clone(),
        validators: s.validators.clone(),
    });
    let mut pending: Vec<(usize, Link)> = Vec::new();
    for (i, (source, result)) in sources.iter().zip(fetcher.fetch_all(requests)).enumerate() {
        let mut state = SourceState {
            url: source.url.clone(),
            validators: source.validators.clone(),
            ..SourceState::default()
        };
        match result {
            Ok(Fetched::NotModified(nm)) => {
                state.unchanged = true;
                state.validators = validators_of(nm.etag, nm.last_modified, &source.validators);
            }
            Ok(Fetched::Page(page)) => {
                state.validators = validators_of(
                    page.etag.clone(),
                    page.last_modified.clone(),
                    &Validators::default(),
                );
                let links = read_body(&page, &mut out, opts);
                let links = expand_sitemaps(fetcher, links, opts, &mut out);
                let (take, left) = new_links(links, &source.seen, opts.max_links);
                state.left = left;
                pending.extend(take.into_iter().map(|l| (i, l)));
            }
            Err(e) => out.errors.push(fetch_error(e)),
        }
        out.sources.push(state);
    }
    fetch_links(fetcher, pending, &mut out);
    out
}

fn validators_of(etag: Option<String>, lm: Option<String>, old: &Validators) -> Validators {
    Validators {
        etag: etag.or_else(|| old.etag.clone()),
        last_modified: lm.or_else(|| old.last_modified.clone()),
    }
}

/// A link found in a source, tagged as a page or a child sitemap.
enum Found {
    Page(Link),
    Sitemap(Link),
}

/// Adds what a fetched body holds to `out`; returns the links it names.
fn read_body(page: &Page, out: &mut Gathered, opts: &GatherOptions) -> Vec<Found> {
    let kind = ingest::sniff(&page.body, page.content_type.as_deref(), Some(&page.url));
    match kind {
        WebKind::Page => {
            out.documents.push(page_document(page, None));
            Vec::new()
        }
        WebKind::Text => {
            match ingest::page_document(&page.url, DocKind::Text, &page.body) {
                Ok(d) => out.documents.push(d),
                Err(reason) => out.errors.push(IngestError {
                    path: page.url.clone(),
                    line: None,
                    reason,
                }),
            }
            Vec::new()
        }
        WebKind::Jsonl => {
            match ingest::read_jsonl(page.body.as_slice(), &page.url, opts.max_bytes) {
                Ok(items) => {
                    for item in items {
                        match item {
                            Ok(d) => out.documents.push(d),
                            Err(e) => out.errors.push(e),
                        }
                    }
                }
                Err(e) => out.errors.push(e),
            }
            Vec::new()
        }
        WebKind::Warc => {
            out.errors.push(error(
                &page.url,
                "a WARC archive over HTTP: download it and name the file".into(),
            ));
            Vec::new()
        }
        WebKind::Feed | WebKind::Sitemap | WebKind::SitemapIndex => read_listing(page, kind, out),
    }
}

/// A feed or sitemap: its documents go to `out`, its links come back.
fn read_listing(page: &Page, kind: WebKind, out: &mut Gathered) -> Vec<Found> {
    match ingest::read_web(&page.url, &page.body, Some(&page.url)) {
        Ok(read) => {
            out.documents.extend(read.documents);
            let child = kind == WebKind::SitemapIndex;
            (read.links.into_iter())
                .map(|l| {
                    if child {
                        Found::Sitemap(l)
                    } else {
                        Found::Page(l)
                    }
                })
                .collect()
        }
        Err(reason) => {
            out.errors.push(IngestError {
                path: page.url.clone(),
                line: None,
                reason,
            });
            Vec::new()
        }
    }
}

/// Child sitemaps fetched (level by level, to the depth limit) into their page links.
fn expand_sitemaps(
    fetcher: &Fetcher,
    mut found: Vec<Found>,
    opts: &GatherOptions,
    out: &mut Gathered,
) -> Vec<Link> {
    let mut pages = Vec::new();
    for depth in 0..=opts.sitemap_depth {
        let mut children = Vec::new();
        for f in found.drain(..) {
            match f {
                Found::Page(l) => pages.push(l),
                Found::Sitemap(l) => children.push(l.url),
            }
        }
        if children.is_empty() || depth == opts.sitemap_depth {
            break;
        }
        for r in fetcher.fetch_all(children) {
            match r {
                Ok(Fetched::Page(p)) => found.extend(read_body(&p, out, opts)),
                Ok(Fetched::NotModified(_)) => {}
                Err(e) => out.errors.push(fetch_error(e)),
            }
        }
    }
    pages
}

/// The links not seen before (each once), at most `max`; and how many were left over.
fn new_links(links: Vec<Link>, seen: &HashSet<String>, max: usize) -> (Vec<Link>, usize) {
    let mut once = HashSet::new();
    let fresh: Vec<Link> = links
        .into_iter()
        .filter(|l| !seen.contains(&l.url) && once.insert(l.url.clone()))
        .collect();
    let left = fresh.len().saturating_sub(max);
    (fresh.into_iter().take(max).collect(), left)
}

/// Fetches the links (all sources' at once, so the per-host limits see them together).
fn fetch_links(fetcher: &Fetcher, pending: Vec<(usize, Link)>, out: &mut Gathered) {
    let urls: Vec<String> = pending.iter().map(|(_, l)| l.url.clone()).collect();
    for ((source, link), result) in pending.into_iter().zip(fetcher.fetch_all(urls)) {
        match result {
            Ok(Fetched::Page(page)) => {
                out.documents.push(page_document(&page, Some(&link)));
                out.sources[source].taken.push(link.url);
            }
            Ok(Fetched::NotModified(_)) => out.sources[source].taken.push(link.url),
            Err(e) => out.errors.push(fetch_error(e)),
        }
    }
}

/// A fetched page as a document: HTML decoded by its declared or detected charset, with the
/// final URL and what the link said of it (title, date) as hints.
fn page_document(page: &Page, link: Option<&Link>) -> RawDocument {
    let (html, _) = ingest::decode_html(&page.body, page.charset.as_deref());
    let hint = |f: fn(&Link) -> Option<String>| link.and_then(f);
    RawDocument::web(
        &page.url,
        &page.body,
        WebPage {
            html,
            url: Some(page.url.clone()),
            published: hint(|l| l.published.clone().or_else(|| l.lastmod.clone())),
            title: hint(|l| l.title.clone()),
        },
    )
}

fn fetch_error(e: FetchError) -> IngestError {
    error(e.url(), e.reason())
}

fn error(url: &str, message: String) -> IngestError {
    IngestError {
        path: url.to_string(),
        line: None,
        reason: Reason::Unreadable(message),
    }
}
