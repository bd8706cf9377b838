//! Escaping and highlighted article text.
//!
//! Every string that comes from an input (titles, text, quotes, entity names, URLs, ids) goes
//! through [`esc`] before it reaches the page, and URLs become links only with an `http` or
//! `https` scheme ([`safe_url`]). All attributes are double-quoted, so escaping `"` (and `'`,
//! `<`, `>`, `&`) is enough to keep data out of markup.

use model::Paragraph;

/// HTML-escapes `s` for text and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    esc_into(&mut out, s);
    out
}

/// Appends `s`, HTML-escaped, to `out`.
pub fn esc_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no business in a page and
            // some confuse parsers; show them as the replacement character.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Percent-encodes an id for use as a URL path segment or fragment (ids are hex digests, but
/// nothing outside this module should have to rely on that).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL, when it is an absolute `http`/`https` URL without whitespace or control
/// characters; anything else (`javascript:`, `data:`, relative paths) is shown as text only.
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !u.chars().any(|c| c.is_whitespace() || c.is_control());
    (scheme_ok && clean && u.len() > 8).then_some(u)
}

/// A highlighted byte span of an article's text.
#[derive(Debug, Clone)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// `hl` (the span asked for), `conflict` (a quote in a conflict) or `claim`.
    pub class: &'static str,
    /// Anchor id (e.g. `q-<claim id>`), placed where the span starts.
    pub id: Option<String>,
    /// Tooltip.
    pub title: Option<String>,
}

/// Largest char boundary <= i (clamped to the text).
fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest char boundary >= i (clamped to the text).
fn ceil_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn rank(class: &str) -> u8 {
    match class {
        "hl" => 3,
        "conflict" => 2,
        _ => 1,
    }
}

/// Renders an article's text as paragraphs (`<p>`, subheads as `<h4>`), with `<mark>` around
/// the byte spans of `marks`.
///
/// Offsets are byte offsets into `text` (as everywhere in crosscheck); a span that does not
/// fall on character boundaries is widened to the nearest ones, and one past the end of the
/// text is clipped, so a bad span from a stage never panics the page. Overlapping marks are
/// split into segments, each marked once with the strongest class covering it.
pub fn article_text(text: &str, paragraphs: &[Paragraph], marks: &[Mark]) -> String {
    let marks: Vec<Mark> = marks
        .iter()
        .filter_map(|m| {
            let start = floor_char(text, m.start);
            let end = ceil_char(text, m.end.max(m.start));
            (start < end).then(|| Mark {
                start,
                end,
                ..m.clone()
            })
        })
        .collect();
    // Paragraph spans, or the whole text when the layer is missing or does not fit it.
    let valid = !paragraphs.is_empty()
        && paragraphs.iter().all(|p| {
            p.start <= p.end
                && p.end <= text.len()
                && text.is_char_boundary(p.start)
                && text.is_char_boundary(p.end)
        });
    let blocks: Vec<(usize, usize, bool)> = if valid {
        paragraphs
            .iter()
            .map(|p| (p.start, p.end, p.heading))
            .collect()
    } else {
        vec![(0, text.len(), false)]
    };
    let mut anchored = vec![false; marks.len()];
    let mut out = String::with_capacity(text.len() + 64 * (marks.len() + blocks.len()));
    for (bs, be, heading) in blocks {
        let tag = if heading { "h4" } else { "p" };
        out.push('<');
        out.push_str(tag);
        out.push('>');
        // Segment boundaries: the block's ends and every mark end inside it.
        let mut cuts = vec![bs, be];
        for m in &marks {
            for x in [m.start, m.end] {
                if x > bs && x < be {
                    cuts.push(x);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (x, y) = (w[0], w[1]);
            let covering: Vec<usize> = (0..marks.len())
                .filter(|&i| marks[i].start < y && marks[i].end > x)
                .collect();
            if covering.is_empty() {
                esc_into(&mut out, &text[x..y]);
                continue;
            }
            let class = covering
                .iter()
                .map(|&i| marks[i].class)
                .max_by_key(|c| rank(c))
                .unwrap_or("claim");
            let ids: Vec<&str> = covering
                .iter()
                .filter(|&&i| !anchored[i])
                .filter_map(|&i| marks[i].id.as_deref())
                .collect();
            let titles: Vec<&str> = covering
                .iter()
                .filter_map(|&i| marks[i].title.as_deref())
                .collect();
            out.push_str("<mark class=\"");
            out.push_str(class);
            out.push('"');
            if let Some(first) = ids.first() {
                out.push_str(" id=\"");
                esc_into(&mut out, first);
                out.push('"');
            }
            if !titles.is_empty() {
                out.push_str(" title=\"");
                esc_into(&mut out, &titles.join("; "));
                out.push('"');
            }
            out.push('>');
            // Further anchors starting in the same segment.
            for id in ids.iter().skip(1) {
                out.push_str("<span class=\"anchor\" id=\"");
                esc_into(&mut out, id);
                out.push_str("\"></span>");
            }
            esc_into(&mut out, &text[x..y]);
            out.push_str("</mark>");
            for &i in &covering {
                anchored[i] = true;
            }
        }
        out.push_str("</");
        out.push_str(tag);
        out.push_str(">\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, class: &'static str, id: &str) -> Mark {
        Mark {
            start,
            end,
            class,
            id: Some(id.into()),
            title: None,
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>a=\"x\" & 'y'</script>"),
            "&lt;script&gt;a=&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{0}b\nc"), "a\u{fffd}b\nc");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(
            safe_url(" https://a.example/x "),
            Some("https://a.example/x")
        );
        assert_eq!(safe_url("HTTP://a.example"), Some("HTTP://a.example"));
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "/relative",
            "https://a b",
            "http://",
            "https://x\u{7}",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
        assert_eq!(pct("ab-12"), "ab-12");
        assert_eq!(pct("a/b c\""), "a%2Fb%20c%22");
    }

    #[test]
    fn marks_byte_spans_on_multibyte_text() {
        // "Médecins" has a two-byte é: byte offsets differ from char offsets after it.
        let text = "Médecins say Assad fled in December 2024.\n\nSecond <b>para</b>.";
        let paras = [
            Paragraph {
                start: 0,
                end: 42,
                heading: false,
                copy_of: None,
            },
            Paragraph {
                start: 44,
                end: text.len(),
                heading: false,
                copy_of: None,
            },
        ];
        let s = text.find("December 2024").unwrap();
        let html = article_text(
            text,
            &paras,
            &[mark(s, s + "December 2024".len(), "conflict", "q-1")],
        );
        assert!(
            html.contains("<mark class=\"conflict\" id=\"q-1\">December 2024</mark>"),
            "{html}"
        );
        assert!(html.contains("Second &lt;b&gt;para&lt;/b&gt;."));
        assert!(html.starts_with("<p>Médecins say"));
    }

    #[test]
    fn overlapping_and_bad_spans_never_panic() {
        let text = "héllo wörld again";
        let html = article_text(
            text,
            &[],
            &[
                mark(0, 9, "claim", "a"),
                mark(2, 4, "hl", "b"), // 2 is inside "é": widened to 1..4, "él"
                mark(7, 1000, "conflict", "c"),
                mark(5, 5, "claim", "empty"),
            ],
        );
        assert!(
            html.contains("<mark class=\"hl\" id=\"b\">él</mark>"),
            "{html}"
        );
        assert!(html.contains("id=\"a\""));
        assert!(html.contains("again</mark></p>"));
        assert!(!html.contains("empty"));
        // Paragraph spans that do not fit the text fall back to one block.
        let bad = [Paragraph {
            start: 0,
            end: 99,
            heading: false,
            copy_of: None,
        }];
        assert_eq!(article_text("abc", &bad, &[]), "<p>abc</p>\n");
    }
}
