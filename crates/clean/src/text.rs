//! Segmentation and cleaning of scraped plain-text pages.
//!
//! A scraped page may hold several articles, each with its headline repeated, its photo caption
//! repeated, and scraping debris around them. The rules, all general:
//!
//! * **Article boundaries.** A title-like line that opens a new article: after two or more
//!   blank lines (when the page otherwise separates paragraphs by at most one), or a title-like
//!   line that is repeated within the next few lines (the scraped header "title, caption,
//!   title, caption").
//! * **Title.** The first line of an article, when it is title-like (short, no sentence-final
//!   period). Later copies of it are dropped.
//! * **Caption.** A line repeated inside the article header, or a header line ending in a photo
//!   credit such as "(AFP)"; kept once as `caption`, never in the body.
//! * **Debris.** Lines without a lowercase letter and at most three characters ("TT", "|"),
//!   lines of no letters or digits at all, short non-sentence lines repeated in several articles
//!   of the page, and link-title lines "Headline - Outlet".
//! * **Subheads.** Remaining short lines without sentence punctuation become heading paragraphs.

use std::collections::HashMap;

use model::CleanArticle;

use crate::{finish_article, norm_key};

/// Lines after an article's first line that still count as its header.
const HEADER_LINES: usize = 12;
/// A title repeated within this many lines marks an article start.
const TITLE_REPEAT_WINDOW: usize = 8;

#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    /// Blank lines right before this line.
    gap: usize,
}

/// Splits a text page into cleaned articles.
pub fn clean_page(page: &str) -> Vec<CleanArticle> {
    let lines = lines(page);
    if lines.is_empty() {
        return Vec::new();
    }
    let segments = segment(&lines);
    let repeated_short = short_lines_in_several_articles(&segments);
    segments
        .iter()
        .filter_map(|seg| clean_segment(seg, &repeated_short))
        .collect()
}

fn lines(page: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut gap = 0;
    for raw in page.lines() {
        let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if t.is_empty() {
            gap += 1;
            continue;
        }
        out.push(Line { text: t, gap });
        gap = 0;
    }
    out
}

/// Title-like: a short line that does not end like a sentence.
pub(crate) fn is_title_like(s: &str) -> bool {
    let words = s.split_whitespace().count();
    let first = s.chars().next().unwrap_or(' ');
    // Look through closing quotes and brackets: `“... terms.”` ends a sentence.
    let last = s
        .trim_end_matches(['"', '”', '’', '\'', ')', ']'])
        .chars()
        .next_back()
        .unwrap_or(' ');
    (1..=25).contains(&words)
        && s.len() <= 220
        && (first.is_uppercase() || first.is_ascii_digit() || "\"“‘'".contains(first))
        && !".,;:".contains(last)
        && s.chars().any(|c| c.is_lowercase())
}

fn segment<'a>(lines: &[Line<'a>]) -> Vec<Vec<Line<'a>>> {
    // Pages that already separate paragraphs by two blank lines give that gap no meaning.
    let gaps: Vec<usize> = lines.iter().skip(1).map(|l| l.gap).collect();
    let wide = gaps.iter().filter(|&&g| g >= 2).count();
    let gap_is_boundary = wide * 4 <= gaps.len().max(1);

    let keys: Vec<String> = lines.iter().map(|l| norm_key(l.text)).collect();
    let mut starts = vec![0];
    for i in 1..lines.len() {
        if !is_title_like(lines[i].text) || ends_with_credit(lines[i].text) {
            continue;
        }
        let last = *starts.last().unwrap_or(&0);
        // A line already seen in the current article (its own title, a caption) starts nothing.
        if keys[last..i].contains(&keys[i]) {
            continue;
        }
        // The scraped header repeats the title after other lines; a caption repeats at once.
        let window = &keys[i + 1..(i + 1 + TITLE_REPEAT_WINDOW).min(lines.len())];
        let repeated_later = window.iter().skip(1).any(|k| *k == keys[i]) && window[0] != keys[i];
        let after_gap = gap_is_boundary && lines[i].gap >= 2;
        if repeated_later || after_gap {
            starts.push(i);
        }
    }
    starts.push(lines.len());
    starts
        .windows(2)
        .map(|w| lines[w[0]..w[1]].to_vec())
        .collect()
}

/// Short non-sentence lines that occur in two or more articles of the page (e.g. "TT", "Share").
fn short_lines_in_several_articles(segments: &[Vec<Line<'_>>]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for seg in segments {
        let mut keys: Vec<String> = seg
            .iter()
            .filter(|l| is_short_non_sentence(l.text))
            .map(|l| norm_key(l.text))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(k, _)| k)
        .collect()
}

fn is_short_non_sentence(s: &str) -> bool {
    s.split_whitespace().count() <= 4 && !s.ends_with(['.', '!', '?', '"', '”'])
}

/// Debris that needs no context: a scrap of at most three characters without a lowercase
/// letter ("TT", "|", "AP"), or a line with no letter or digit at all.
pub(crate) fn is_scrap(s: &str) -> bool {
    let no_lower = !s.chars().any(|c| c.is_lowercase());
    (no_lower && s.chars().count() <= 3) || !s.chars().any(|c| c.is_alphanumeric())
}

/// "Some headline of several words - Outlet Name": a related-article link, not content.
pub(crate) fn is_link_title(s: &str) -> bool {
    if !is_title_like(s) {
        return false;
    }
    for sep in [" - ", " – ", " — ", " | "] {
        if let Some((head, tail)) = s.rsplit_once(sep) {
            let tail_words: Vec<&str> = tail.split_whitespace().collect();
            let head_words = head.split_whitespace().count();
            let tail_is_name = (1..=4).contains(&tail_words.len())
                && tail_words.iter().all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                });
            if head_words >= 4 && tail_is_name && !head.starts_with(['-', '–', '—']) {
                return true;
            }
        }
    }
    false
}

/// A photo caption line: ends in a parenthesised credit of a few words, e.g. "(AFP)",
/// "(AP Photo/Jane Doe)", "(AFP file)".
fn ends_with_credit(s: &str) -> bool {
    let Some(body) = s.strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let credit = &body[open + 1..];
    let words = credit.split_whitespace().count();
    (1..=4).contains(&words)
        && credit.chars().next().is_some_and(|c| c.is_uppercase())
        && body[..open].trim_end().len() > 10
}

fn clean_segment(seg: &[Line<'_>], repeated_short: &[String]) -> Option<CleanArticle> {
    let keys: Vec<String> = seg.iter().map(|l| norm_key(l.text)).collect();
    let mut drop = vec![false; seg.len()];
    let mut article = CleanArticle::default();

    let mut first = 0;
    if let Some(url) = seg.first().map(|l| l.text).filter(|t| is_url(t)) {
        article.url = Some(url.to_string());
        drop[0] = true;
        first = 1;
    }
    if first < seg.len() && is_title_like(seg[first].text) && !is_link_title(seg[first].text) {
        article.title = Some(seg[first].text.to_string());
        let title_key = keys[first].clone();
        for (i, k) in keys.iter().enumerate() {
            if *k == title_key {
                drop[i] = true;
            }
        }
    }

    // Captions: a line repeated within the header, or a credit line right under the title.
    let header_end = (first + 1 + HEADER_LINES).min(seg.len());
    for i in first..header_end {
        if drop[i] {
            continue;
        }
        let repeats: Vec<usize> = (first..seg.len()).filter(|&j| keys[j] == keys[i]).collect();
        let repeated_in_header = repeats.len() >= 2 && repeats.iter().all(|&j| j < header_end);
        let credit_line =
            article.title.is_some() && i <= first + 2 && ends_with_credit(seg[i].text);
        if (repeated_in_header || credit_line) && !is_scrap(seg[i].text) {
            if article.caption.is_none() {
                article.caption = Some(seg[i].text.to_string());
            }
            for j in repeats {
                drop[j] = true;
            }
        }
    }

    let mut paras: Vec<(String, bool)> = Vec::new();
    for (i, line) in seg.iter().enumerate() {
        if drop[i] {
            continue;
        }
        let t = line.text;
        if is_scrap(t) || is_link_title(t) || repeated_short.contains(&keys[i]) {
            continue;
        }
        let heading = is_title_like(t) && !t.starts_with(['-', '•', '*', '"', '“', '‘', '\''])
            || is_decorated_subhead(t);
        let text = if heading {
            strip_decoration(t)
        } else {
            strip_bullet(t)
        };
        paras.push((text.to_string(), heading));
    }
    // Trailing headings with nothing under them are not part of the article.
    while paras.last().is_some_and(|p| p.1) {
        paras.pop();
    }
    if paras.is_empty() {
        return None;
    }
    article.set_paragraphs(paras.iter().map(|(t, h)| (t.as_str(), *h)));
    Some(finish_article(article))
}

fn is_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://")) && !s.contains(char::is_whitespace)
}

/// "- Iraq calls for repatriation -": a subhead between dashes.
fn is_decorated_subhead(s: &str) -> bool {
    let inner = s.trim_matches(|c: char| "-–—*• ".contains(c));
    s.len() > inner.len() + 2
        && s.starts_with(['-', '–', '—', '*'])
        && s.ends_with(['-', '–', '—', '*'])
        && is_title_like(inner)
}

fn strip_decoration(s: &str) -> &str {
    s.trim_matches(|c: char| "-–—*• ".contains(c))
}

/// "- Putin hosted ..." / "• ..." -> the sentence without its bullet.
fn strip_bullet(s: &str) -> &str {
    for b in ["- ", "• ", "* ", "– "] {
        if let Some(rest) = s.strip_prefix(b) {
            return rest.trim_start();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_like_lines() {
        assert!(is_title_like(
            "Hamas Says Fighters Holed up in Rafah Will Not Surrender"
        ));
        assert!(is_title_like(
            "Putin’s Message to Syria’s Al-Sharaa: A Step Toward Restoring Ties?"
        ));
        assert!(!is_title_like(
            "Iraq is still recovering from the severe abuses committed by the extremists."
        ));
        assert!(!is_title_like("TT"));
        assert!(!is_title_like(
            "“Russia stands ready to cooperate on equal terms.”"
        ));
    }

    #[test]
    fn debris_rules() {
        assert!(is_scrap("TT"));
        assert!(is_scrap("***"));
        assert!(!is_scrap("Moving Forward"));
        assert!(is_link_title(
            "Ahmad al-Sharaa officially appointed as transitional president of Syria - Türkiye Today"
        ));
        assert!(!is_link_title("- Iraq calls for repatriation -"));
        assert!(!is_link_title(
            "Background on Syria’s Leadership Transition"
        ));
        assert!(!is_link_title("Gaza - the aftermath of war in the south"));
    }

    #[test]
    fn splits_a_page_with_repeated_headers() {
        let page = "First Story About Something\n\nA photo caption here. (AFP)\nA photo caption here. (AFP)\nXY\n\nFirst Story About Something\n\nA photo caption here. (AFP)\nA photo caption here. (AFP)\n\nThe first body paragraph says a thing.\n\nA Subhead\n\nThe second paragraph says more.\n\n\nSecond Story Is Here\n\nAnother caption, taken on 8 November 2025. (AP)\nAnother caption, taken on 8 November 2025. (AP)\nXY\n\nSecond Story Is Here\n\nBody of the second story.\n";
        let arts = clean_page(page);
        assert_eq!(arts.len(), 2);
        assert_eq!(
            arts[0].title.as_deref(),
            Some("First Story About Something")
        );
        assert_eq!(
            arts[0].caption.as_deref(),
            Some("A photo caption here. (AFP)")
        );
        assert_eq!(
            arts[0].text,
            "The first body paragraph says a thing.\n\nA Subhead\n\nThe second paragraph says more."
        );
        assert!(arts[0].paragraphs[1].heading);
        assert!(!arts[0].paragraphs[0].heading);
        assert_eq!(arts[1].title.as_deref(), Some("Second Story Is Here"));
        assert_eq!(
            arts[1].caption.as_deref(),
            Some("Another caption, taken on 8 November 2025. (AP)")
        );
        assert_eq!(arts[1].text, "Body of the second story.");
    }

    #[test]
    fn single_article_without_blank_lines() {
        let page = "A Short Headline Here\nMOSCOW - The leader met his counterpart on Wednesday.\nContext of the Meeting\nMore text follows here.";
        let arts = clean_page(page);
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        assert_eq!(a.title.as_deref(), Some("A Short Headline Here"));
        assert_eq!(a.dateline.as_deref(), Some("Moscow"));
        assert_eq!(a.paragraphs.len(), 3);
        assert!(a.paragraphs[1].heading);
    }

    #[test]
    fn page_without_title_keeps_bullets_and_drops_link_lines() {
        let page = "- The first key point of the story.\n- The second key point.\nRome (Daily Example) 3 March 2025 – The story begins here.\nSome Section Title\nA related story headline about other things - Other Outlet\nThe section body.";
        let arts = clean_page(page);
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        assert_eq!(a.title, None);
        assert_eq!(a.outlet.as_deref(), Some("Daily Example"));
        assert_eq!(a.published.as_deref(), Some("2025-03-03"));
        assert_eq!(a.published_from, Some(model::PublishedFrom::Dateline));
        assert_eq!(a.paragraph_text(0), "The first key point of the story.");
        assert!(!a.text.contains("Other Outlet"));
        assert!(a.text.ends_with("The section body."));
    }
}
