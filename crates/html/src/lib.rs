//! HTML main-content extraction: turns one news page into its headline, body paragraphs,
//! photo captions and page metadata.
//!
//! Input: the page as text (the caller decodes bytes) and optionally the URL it came from.
//! Output: an [`HtmlPage`]: `title` (og:title, JSON-LD headline, `<h1>` or `<title>`, with a
//! " | Site" / " - Site" suffix stripped), `paragraphs` (the article body in order, subheads
//! flagged, no title, no captions), `captions` (figcaptions and `*caption*` elements of the
//! body, deduplicated), `published` (ISO 8601 date or date-time as stated by meta tags,
//! JSON-LD, `itemprop`, or a `<time>` of the article; never guessed, always a valid date),
//! `outlet` (og:site_name, JSON-LD publisher, application-name...) and `url` (canonical link,
//! og:url, else the hint). [`extract`] never panics, whatever the input.
//!
//! # How it works
//!
//! 1. `dom`: a small forgiving parser builds an arena tree in one pass (implied end tags for
//!    `p`, `li`, table cells...; raw-text elements skipped but kept for JSON-LD and `<title>`;
//!    entities decoded lazily; nesting capped so no walk can overflow the stack).
//! 2. `meta`: metadata from `<meta>`, `<link rel=canonical>`, JSON-LD and `<time>`.
//! 3. `content`: furniture is flagged by tag (nav, aside, header, footer, forms), ARIA role,
//!    hiding, and class/id words. Strong words (comment, share, social, newsletter, cookie...)
//!    always drop; weak ones (sidebar, widget, menu, footer, related, paywall...) drop only
//!    when the element holds less than 40% of the page's prose, because themes put those words
//!    on the wrappers of everything. Sections under a "Related" / "You may also like" /
//!    "Leia também" heading go before scoring. Text blocks are then scored readability-style
//!    (length, commas, decaying to ancestors, tag and class priors, times 1 - link density);
//!    the best element, moved up when its ancestors hold most good candidates or when what an
//!    ancestor adds is mostly clean prose (of which only the prose is kept), plus siblings
//!    with enough score or clean prose, and prose just before it (a lead in its own box), is
//!    the article. Blocks under 80 characters score in proportion to their length; sharing
//!    wrappers holding half the page's prose are kept. Inside it, mostly-link lines, bylines
//!    and date lines, ad labels, the headline repeated, headings with nothing under them,
//!    closing author bios and calls to action after the last paragraph are dropped, as are
//!    short non-sentence lines after the last prose or over a list of links (tags, "similar
//!    topics") and what follows the body's container in other elements when it is small next
//!    to the body (author boxes, follow calls); captions go to `captions`.
//! 4. `blocks`: a learned filter then drops the selected blocks that a logistic regression
//!    (24 features of the block's shape and its position relative to the prose and the body's
//!    container, plus class/id tokens and tag names of its owner and three ancestors hashed
//!    into 32 buckets) scores below its threshold on P(content). The weights ship in
//!    `block_model.json`; `scripts/train_blocks.sh` (`crosscheck eval train-blocks`) refits
//!    them on half A of the dev pages below, blocks labelled by the snippets they hold, the
//!    L2 weight, the use of hashed first words and the threshold chosen by 2-fold
//!    cross-validation on half A. With 615 content and only 48 boilerplate blocks to learn
//!    from, cross-validation picks the strongest regularisation and no word features, and the
//!    gain is small. Measured with release binaries of the rules alone and with the filter
//!    (`crosscheck eval web-extraction`, `eval extraction`; the same as the trainer's
//!    simulated figures): all 482 pages P/R/F1 0.925/0.932/0.928 -> 0.931/0.930/0.931, half A
//!    (fitted on) 0.932 -> 0.934, half B (held apart) 0.925 -> 0.927, Zyte F1 0.9766 ->
//!    0.9769, 0.04-0.05 ms more per page (median of 5 runs: 0.89 -> 0.92 ms on the dev
//!    pages, 0.65 -> 0.70 ms on Zyte).
//!
//! On 482 other pages of news, blogs, forums and shops in many languages (trafilatura's
//! must / must-not snippet format, `crosscheck eval web-extraction`), these later rules took
//! F1 from 0.900 to 0.928 (tuned on half A, 0.906 -> 0.932; half B, held apart, 0.895 ->
//! 0.925) while the Zyte F1 below went from 0.980 to 0.977.
//!
//! # Why our own extractor
//!
//! Measured with `crosscheck_eval::extraction` on the 181 dev pages of the Zyte
//! article-extraction benchmark (4-token shingle bags, per-page P/R averaged; median time of
//! `extract` per page, single thread, on the shared 2-core dev machine; the second time column
//! is one run of all candidates under a load average of 5, so only the ratios count there):
//!
//! | extractor                                      | precision | recall | F1    | ms   | ms, loaded |
//! |------------------------------------------------|-----------|--------|-------|------|------------|
//! | `rs-trafilatura` 0.2.2, defaults               | 0.924     | 0.990  | 0.956 | 12.3 | 17.3       |
//! | `rs-trafilatura`, `favor_precision`            | 0.926     | 0.968  | 0.946 |      | 22.9       |
//! | `trafilatura` 0.6.0, defaults                  | 0.939     | 0.975  | 0.957 | 4.9  | 11.8       |
//! | `trafilatura`, `FavorPrecision`                | 0.956     | 0.913  | 0.934 |      | 13.3       |
//! | `trafilatura`, fallback off                    | 0.939     | 0.975  | 0.957 |      | 18.0       |
//! | `dom_smoothie` 0.19.0 (readability), defaults  | 0.913     | 0.982  | 0.946 | 2.2  | 6.0        |
//! | this crate, readability scoring only           | 0.952     | 0.909  | 0.930 | 0.8  |            |
//! | this crate, + prose-protected weak furniture   | 0.964     | 0.975  | 0.969 | 0.9  |            |
//! | this crate, + related sections, bylines, dates | 0.976     | 0.979  | 0.978 | 0.9  |            |
//! | this crate, + authors' bios, slide counters    | 0.978     | 0.980  | 0.979 | 0.9  | 1.1        |
//! | this crate, final (link-density cut 0.7)       | 0.978     | 0.983  | 0.980 | 0.9  | 1.0-1.1    |
//!
//! The crates are good starting points but spend most of their time in a spec-complete
//! html5ever parse and in work we do not need (markdown, page-type classifiers, fallback
//! extractors); our pass is 5-10x faster and more precise, and every rule above is generic
//! (no site lists). The 181 pages are the dev split: other pages of the benchmark are held
//! out, so rules were only added when they help by a principle, not to fix one page.
//! Reproduce: `cargo run --release -p crosscheck-eval --example extraction --
//! /path/to/article-extraction` (add `--features html/compare -- ... --with trafilatura` for
//! the third-party candidates, see [`candidates`]).

pub mod blocks;
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
    /// Publication date as stated by the page: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[zone]`.
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
    extract_with_model(html, url_hint, blocks::shipped())
}

/// [`extract`] with another block model (or none: the rules alone), to evaluate a model
/// before shipping it.
pub fn extract_with_model(
    html: &str,
    url_hint: Option<&str>,
    model: Option<&blocks::BlockModel>,
) -> HtmlPage {
    let dom = dom::Dom::parse(html);
    let m = meta::read(&dom);
    let site = m.site_name.clone();
    let title = headline(&dom, &m);
    let c = content::select(&dom, title.as_deref(), model);
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

/// The headline: the first source that is more than the site's own name.
fn headline(dom: &dom::Dom, m: &meta::Meta) -> Option<String> {
    let site = m.site_name.as_deref();
    let h1 = meta::first_text(dom, "h1").map(|(_, t)| t);
    let site_norm = site.map(norm);
    [&m.og_title, &m.ld_headline, &h1, &m.title_tag]
        .into_iter()
        .flatten()
        .map(|t| meta::strip_site_suffix(t, site))
        .find(|t| !t.is_empty() && site_norm.as_ref() != Some(&norm(t)))
}

/// The blocks the rules select in a page, each with its text and the block model's features:
/// what `crosscheck eval train-blocks` fits the model on.
pub fn block_features(html: &str) -> Vec<(String, Vec<f32>)> {
    let dom = dom::Dom::parse(html);
    let m = meta::read(&dom);
    let title = headline(&dom, &m);
    let c = content::select_by_rules(&dom, title.as_deref());
    let f = blocks::page_features(&dom, &c.blocks);
    c.blocks.into_iter().map(|b| b.text).zip(f).collect()
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
