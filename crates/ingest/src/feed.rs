//! Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) read with `feed-rs`, and sitemaps read with
//! `quick-xml`: entries with their full content become HTML documents, the others are links
//! to fetch.

use feed_rs::model::{Entry, Link as FeedLink};
use quick_xml::events::Event;

use crate::Reason;

/// One feed entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedEntry {
    /// The entry's link (the article), resolved against the feed's URL.
    pub url: Option<String>,
    pub title: Option<String>,
    /// RFC 3339, when the feed states it (`published`, else `updated`).
    pub published: Option<String>,
    /// The summary or description, as given (often HTML).
    pub summary: Option<String>,
    /// The full content as HTML (`content:encoded`, Atom `content`, `content_html`; plain
    /// `content_text` is turned into paragraphs). `None` when the entry only links to it.
    pub content: Option<String>,
}

/// A page to fetch, from a link-only feed entry or a sitemap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub title: Option<String>,
    /// The publication date as given (feed entry date, or `news:publication_date`).
    pub published: Option<String>,
    /// The sitemap's `lastmod`, as given.
    pub lastmod: Option<String>,
}

/// A sitemap: page links (`<urlset>`) or child sitemaps (`<sitemapindex>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    pub links: Vec<Link>,
    pub children: Vec<Link>,
}

/// Parses an RSS, Atom or JSON feed. `base_url` (where the feed came from) resolves relative
/// links.
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Vec<FeedEntry>, Reason> {
    let parser = feed_rs::parser::Builder::new().base_uri(base_url).build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| Reason::Feed(e.to_string()))?;
    Ok(feed.entries.into_iter().map(entry).collect())
}

fn entry(e: Entry) -> FeedEntry {
    let content = e.content.and_then(|c| {
        let body = c.body.filter(|b| !b.trim().is_empty())?;
        Some(if c.content_type.subty() == "plain" {
            text_to_html(&body)
        } else {
            body
        })
    });
    FeedEntry {
        url: entry_url(&e.links, &e.id),
        title: e.title.map(|t| t.content).filter(|t| !t.trim().is_empty()),
        published: e.published.or(e.updated).map(|d| d.to_rfc3339()),
        summary: e
            .summary
            .map(|t| t.content)
            .filter(|t| !t.trim().is_empty()),
        content,
    }
}

/// The article link: the alternate (or unqualified) link, else an id that is a URL (RSS
/// `guid`s often are).
fn entry_url(links: &[FeedLink], id: &str) -> Option<String> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or(links.first())
        .map(|l| l.href.clone())
        .or_else(|| id.starts_with("http").then(|| id.to_string()))
}

/// Plain text content as HTML paragraphs (one per blank-line-separated block).
fn text_to_html(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for c in para.trim().chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                c => out.push(c),
            }
        }
        out.push_str("</p>\n");
    }
    out
}

/// Parses a `<urlset>` (including Google News `news:` fields) or `<sitemapindex>`.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, Reason> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Sitemaps must be UTF-8; a stray bad byte in a title costs that character only.
    let text = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut out = Sitemap::default();
    let mut state = SitemapState::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Reason::Sitemap(format!("at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) => state.open(&local(e.local_name().as_ref())),
            Event::End(e) => state.close(&local(e.local_name().as_ref()), &mut out),
            Event::Text(t) => state.text.push_str(&t.xml10_content()),
            Event::CData(t) => state.text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => state.text.push_str(&resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    match state.root.as_deref() {
        Some("urlset" | "sitemapindex") => Ok(out),
        Some(other) => Err(Reason::Sitemap(format!(
            "root element is <{other}>, expected <urlset> or <sitemapindex>"
        ))),
        None => Err(Reason::Empty),
    }
}

fn local(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// An entity or character reference in text (`&amp;`, `&#38;`).
fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.clone().into_inner();
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_string)
        .unwrap_or_default()
}

/// Where the sitemap reader is: the element stack, the entry being read and its text.
#[derive(Default)]
struct SitemapState {
    root: Option<String>,
    stack: Vec<String>,
    current: Option<Link>,
    text: String,
}

impl SitemapState {
    fn open(&mut self, name: &str) {
        if self.root.is_none() {
            self.root = Some(name.to_string());
        }
        if matches!(name, "url" | "sitemap") && self.stack.len() == 1 {
            self.current = Some(Link::default());
        }
        self.stack.push(name.to_string());
        self.text.clear();
    }

    fn close(&mut self, name: &str, out: &mut Sitemap) {
        self.stack.pop();
        let parent = self.stack.last().map(String::as_str);
        let text = std::mem::take(&mut self.text).trim().to_string();
        let Some(link) = self.current.as_mut() else {
            return;
        };
        let value = (!text.is_empty()).then_some(text);
        match (name, parent) {
            ("loc", Some("url" | "sitemap")) => link.url = value.unwrap_or_default(),
            ("lastmod", Some("url" | "sitemap")) => link.lastmod = value,
            ("publication_date", Some("news")) => link.published = value,
            ("title", Some("news")) => link.title = value,
            ("url" | "sitemap", _) if self.stack.len() == 1 => {
                let link = self.current.take().unwrap_or_default();
                if link.url.is_empty() {
                    return;
                }
                if name == "url" {
                    out.links.push(link);
                } else {
                    out.children.push(link);
                }
            }
            _ => {}
        }
    }
}
