//! Cleaning: turns a [`ingest::RawDocument`] into [`model::CleanArticle`]s.
//!
//! * Text pages go through [`text::clean_page`]: split into articles, title and caption kept
//!   apart, repeated headlines and scraping debris dropped, paragraphs and subheads kept in order.
//! * HTML pages go through the main-content extractor of the `html` crate, which also gives the
//!   title, publication date, outlet and captions stated in the page.
//! * JSONL records already are one article each; their text is split into paragraphs.
//!
//! Every article then gets its dateline read ([`dateline`]): the place, and the outlet and
//! publication date when the dateline states them and the input did not. A caption's date is
//! never used as the publication date.

pub mod dateline;
pub mod dates;
mod text;

use ingest::{Content, RawDocument};
use model::{CleanArticle, DocKind, PublishedFrom};

pub use text::clean_page;

/// Cleans one raw document into zero or more articles (zero when it holds no body text).
pub fn clean(doc: &RawDocument) -> Vec<CleanArticle> {
    match (&doc.content, doc.kind) {
        (Content::Record(r), _) => clean_record(r).into_iter().collect(),
        (Content::Web(w), _) => clean_web(w).into_iter().collect(),
        (Content::Page(p), DocKind::Html) => clean_html(p, None).into_iter().collect(),
        (Content::Page(p), _) => clean_page(p),
    }
}

fn clean_record(r: &ingest::JsonlRecord) -> Option<CleanArticle> {
    let mut a = CleanArticle {
        title: non_empty(r.title.as_deref()),
        url: non_empty(r.url.as_deref()),
        outlet: non_empty(r.outlet.as_deref()),
        ..Default::default()
    };
    set_published(&mut a, r.published.as_deref(), PublishedFrom::Input);
    let paras = split_paragraphs(&r.text);
    a.set_paragraphs(paras.iter().map(|p| (p.as_str(), false)));
    (!a.text.is_empty()).then(|| finish_article(a))
}

/// Cleans an HTML page with the main-content extractor.
pub fn clean_html(page: &str, url_hint: Option<&str>) -> Option<CleanArticle> {
    let x = html::extract(page, url_hint);
    let mut a = CleanArticle {
        title: x.title,
        caption: x.captions.into_iter().next(),
        url: x.url,
        outlet: x.outlet,
        ..Default::default()
    };
    set_published(&mut a, x.published.as_deref(), PublishedFrom::HtmlMeta);
    a.set_paragraphs(x.paragraphs.iter().map(|p| (p.text.as_str(), p.heading)));
    (!a.text.is_empty()).then(|| finish_article(a))
}

/// Cleans an HTML page from a feed entry or WARC record: the page's own title, URL and date
/// win; the source's fill what the page does not state.
fn clean_web(w: &ingest::WebPage) -> Option<CleanArticle> {
    let mut a = clean_html(&w.html, w.url.as_deref())?;
    if a.title.is_none() {
        a.title = non_empty(w.title.as_deref());
    }
    if a.url.is_none() {
        a.url = non_empty(w.url.as_deref());
    }
    if a.published.is_none() {
        set_published(&mut a, w.published.as_deref(), PublishedFrom::Input);
    }
    Some(a)
}

/// Splits plain text into paragraphs: on blank lines, or on single newlines when the text has
/// no blank line at all; lines inside a paragraph are joined with a space.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let text = text.trim();
    let has_blank = text.lines().any(|l| l.trim().is_empty());
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || !has_blank {
            if !line.trim().is_empty() {
                cur.push(line);
            }
            flush(&mut cur, &mut out);
        } else {
            cur.push(line);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Joins the lines of one paragraph with single spaces.
fn flush(cur: &mut Vec<&str>, out: &mut Vec<String>) {
    if !cur.is_empty() {
        out.push(
            cur.iter()
                .flat_map(|l| l.split_whitespace())
                .collect::<Vec<_>>()
                .join(" "),
        );
        cur.clear();
    }
}

/// Reads the dateline of the first body paragraphs into the article's metadata.
pub(crate) fn finish_article(mut a: CleanArticle) -> CleanArticle {
    let found = (0..a.paragraphs.len().min(8))
        .filter(|&i| !a.paragraphs[i].heading)
        .find_map(|i| dateline::parse(a.paragraph_text(i)));
    if let Some(d) = found {
        if a.outlet.is_none() {
            a.outlet = d.outlet;
        }
        if a.published.is_none()
            && let Some(date) = d.date
        {
            a.published = Some(date);
            a.published_from = Some(PublishedFrom::Dateline);
        }
        a.dateline = Some(d.place);
    }
    a
}

/// Sets `published` from a stated date, when it is a complete valid date.
fn set_published(a: &mut CleanArticle, stated: Option<&str>, from: PublishedFrom) {
    if let Some(p) = stated.and_then(dates::normalize_published) {
        a.published = Some(p);
        a.published_from = Some(from);
    }
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A comparison key for a line: case, quote style and spacing do not count.
pub(crate) fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '‘' | '’' | '‛' | '′' | '`' => '\'',
            '“' | '”' | '„' | '″' | '«' | '»' => '"',
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            c => c,
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_one_article() {
        let r = ingest::JsonlRecord {
            text: "WASHINGTON — First para.\nstill first.\n\nSecond para.".into(),
            title: Some("T".into()),
            url: Some(" ".into()),
            outlet: None,
            published: Some("2010-07-02".into()),
        };
        let a = clean_record(&r).unwrap();
        assert_eq!(a.paragraphs.len(), 2);
        assert_eq!(a.paragraph_text(0), "WASHINGTON — First para. still first.");
        assert_eq!(a.url, None);
        assert_eq!(a.published.as_deref(), Some("2010-07-02"));
        assert_eq!(a.published_from, Some(PublishedFrom::Input));
        assert_eq!(a.dateline.as_deref(), Some("Washington"));
    }

    #[test]
    fn lines_are_paragraphs_without_blank_lines() {
        assert_eq!(split_paragraphs("a b\nc"), vec!["a b", "c"]);
        assert_eq!(split_paragraphs("a\nb\n\nc"), vec!["a b", "c"]);
    }

    #[test]
    fn keys_ignore_case_quotes_and_spaces() {
        assert_eq!(
            norm_key("Syria’s  “New”\tEra"),
            norm_key("syria's \"new\" era")
        );
    }
}
