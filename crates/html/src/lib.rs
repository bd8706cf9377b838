//! HTML main-content extraction (doc comment to be completed with the benchmark figures).

pub mod candidates;
mod content;
mod dom;
mod meta;
mod text;

/// What [`extract`] finds in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlPage {
    /// Article headline, site suffix stripped.
    pub title: Option<String>,
    /// Main content in order, without title and captions.
    pub paragraphs: Vec<HtmlParagraph>,
    /// Figure / photo captions of the main content, deduplicated, in order.
    pub captions: Vec<String>,
    /// Publication date as stated by the page: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[zone]".
    pub published: Option<String>,
    /// Site / outlet name.
    pub outlet: Option<String>,
    /// Canonical URL, else the url hint.
    pub url: Option<String>,
}

/// One block of main content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlParagraph {
    pub text: String,
    /// A subhead (h2-h6 inside the content).
    pub heading: bool,
}

/// Extracts headline, main text, captions and metadata from one HTML page. Never panics.
pub fn extract(html: &str, url_hint: Option<&str>) -> HtmlPage {
    let dom = dom::Dom::parse(html);
    let m = meta::read(&dom);
    let site = m.site_name.clone();
    let h1 = meta::first_text(&dom, "h1").map(|(_, t)| t);
    let title = m
        .og_title
        .clone()
        .or_else(|| m.ld_headline.clone())
        .or_else(|| h1.clone())
        .or_else(|| m.title_tag.clone())
        .map(|t| meta::strip_site_suffix(&t, site.as_deref()))
        .filter(|t| !t.is_empty());
    let c = content::select(&dom, title.as_deref());
    let paragraphs = c
        .blocks
        .into_iter()
        .map(|b| HtmlParagraph {
            text: b.text,
            heading: b.heading,
        })
        .collect();
    HtmlPage {
        title,
        paragraphs,
        captions: c.captions,
        published: m.published,
        outlet: site,
        url: m.url.or_else(|| url_hint.map(str::to_owned)),
    }
}
