//! Property tests of every parser a run goes through (JSONL lines, text pages, HTML, dates,
//! numbers, the language layer, claims): random and hostile input must never panic, and every
//! span a layer reports must lie inside the article's text, on char boundaries.

use crosscheck_pipeline::{Input, Options, Quiet, analyze};
use proptest::prelude::*;

/// Pieces of news text and of what breaks parsers: dates, numbers, quotes, markup, entities,
/// multi-byte and zero-width characters, byte-order marks, control characters.
const PIECES: &[&str] = &[
    "The",
    "said",
    "Putin",
    "al-Sharaa",
    "Moscow",
    "on",
    "Monday",
    "3",
    "March",
    "2024",
    "1,200",
    "people",
    "were",
    "killed",
    "$5 million",
    "42%",
    "last",
    "week",
    "yesterday",
    "“",
    "”",
    "\"",
    "'s",
    ".",
    ",",
    ";",
    "—",
    "\n",
    "\n\n",
    "é",
    "中文",
    "🙂",
    "\u{301}",
    "\u{200f}",
    "\u{feff}",
    "<p>",
    "</p>",
    "&amp;",
    "&#0;",
    "<script>",
    "Mr.",
    "U.S.",
    "Jan.",
    "19:30",
    "2026-01-28",
    "-",
    "(",
    ")",
    "denied",
    "according to",
    "reported",
    "up to",
    "nearly",
    "II",
    "\t",
    "\r",
    "\u{0}",
    "250,000,000",
    "1.5bn",
    "three",
    "dozen",
    "By",
    "WASHINGTON —",
    "Photo:",
    "Advertisement",
    "2015",
    "the 1990s",
    "Q3",
    "W04",
];

const TAGS: &[&str] = &[
    "<html>",
    "<body>",
    "<article>",
    "<div class=\"content\">",
    "<p>",
    "</p>",
    "</div>",
    "<h1>",
    "</h1>",
    "<figure><figcaption>",
    "</figcaption>",
    "<script>x<1</script>",
    "<!--",
    "-->",
    "<meta charset=\"shift_jis\">",
    "<time datetime=\"2024-03-03\">",
    "<br>",
    "<a href=\"javascript:1\">",
    "</a>",
    "<![CDATA[",
    "]]>",
    "<nav>",
    "</nav>",
    "<table><tr><td>",
    "<li>",
    "<",
    ">",
    "&",
    "\"",
];

fn words(max: usize, sep: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(move |w| w.join(sep))
}

/// Text: sequences of the pieces, joined by spaces or glued, or any printable characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![words(160, " "), words(60, ""), "\\PC{0,300}"]
}

/// A JSON value of any type, for the fields a JSONL record may carry.
fn field() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        text().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        prop::collection::vec(text(), 0..3).prop_map(serde_json::Value::from),
    ]
}

/// A JSONL body: records with text, title, published and outlet of any type, and lines that
/// are not JSON at all.
fn jsonl() -> impl Strategy<Value = Vec<u8>> {
    let record = (text(), field(), field(), field()).prop_map(|(t, title, published, outlet)| {
        serde_json::json!({"text": t, "title": title, "published": published, "outlet": outlet})
            .to_string()
            .into_bytes()
    });
    let junk = prop::collection::vec(any::<u8>(), 0..200);
    prop::collection::vec(prop_oneof![4 => record, 1 => junk], 1..6).prop_map(|lines| {
        let mut body = Vec::new();
        for mut l in lines {
            l.retain(|&b| b != b'\n');
            body.extend(l);
            body.push(b'\n');
        }
        body
    })
}

/// Markup: tags, attributes, entities and text in any nesting, often unclosed.
fn markup() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(TAGS).prop_map(String::from);
    prop::collection::vec(prop_oneof![tag, text()], 0..40).prop_map(|parts| parts.concat())
}

/// Every span of every layer lies inside the text, on char boundaries.
fn spans_hold(a: &model::Article) -> Result<(), TestCaseError> {
    let text = &a.text;
    let mut spans: Vec<(&str, usize, usize)> = Vec::new();
    spans.extend(a.paragraphs.iter().map(|p| ("paragraph", p.start, p.end)));
    spans.extend(a.sentences.iter().map(|s| ("sentence", s.start, s.end)));
    spans.extend(a.mentions.iter().map(|m| ("mention", m.start, m.end)));
    spans.extend(a.timexes.iter().map(|t| ("timex", t.start, t.end)));
    spans.extend(a.quantities.iter().map(|q| ("quantity", q.start, q.end)));
    for (what, start, end) in spans {
        prop_assert!(
            start <= end && end <= text.len(),
            "{what} {start}..{end} of {}",
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{what} {start}..{end} cuts a character"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The whole run (ingest, clean, dedup, language layer, stories, claims) over JSONL.
    #[test]
    fn a_run_over_any_jsonl_never_panics_and_keeps_spans_on_boundaries(body in jsonl()) {
        let input = Input::Jsonl { name: "p.jsonl".into(), body };
        let run = analyze(&input, None, &Options::default(), &Quiet).unwrap();
        for a in &run.articles {
            spans_hold(a)?;
        }
    }

    /// A text page and an HTML page with any content.
    #[test]
    fn any_page_reads_and_cleans(page in text(), html_page in markup()) {
        for (kind, bytes) in [
            (model::DocKind::Text, page.into_bytes()),
            (model::DocKind::Html, html_page.into_bytes()),
        ] {
            if let Ok(doc) = ingest::page_document("p", kind, &bytes) {
                for c in clean::clean(&doc) {
                    let a = model::Article::new(&doc.id, 0, c);
                    spans_hold(&a)?;
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Main-content extraction on any markup, and on raw bytes taken as text.
    #[test]
    fn extraction_never_panics(page in markup(), bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = html::extract(&page, Some("https://example.org/a"));
        let _ = html::extract(&String::from_utf8_lossy(&bytes), None);
    }

    /// JSONL lines of any bytes, and publication dates of any text.
    #[test]
    fn jsonl_and_dates_never_panic(body in jsonl(), date in text()) {
        let _ = ingest::read_jsonl(&body, "p.jsonl", 1 << 20);
        let _ = lang::anchor_date(Some(&date));
    }
}
