//! Text helpers: entity decoding and whitespace collapsing.

use std::borrow::Cow;

/// Decodes HTML character references (all HTML5 named ones and numeric ones).
pub fn decode(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        html_escape::decode_html_entities(s)
    } else {
        Cow::Borrowed(s)
    }
}

/// Whitespace (including no-break and zero-width spaces) that separates words.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{200c}')
}

/// Appends `s` to `out` collapsing whitespace runs to one space (none at the start of `out`),
/// without control characters and soft hyphens.
pub fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_space(c) {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() && c != '\u{ad}' {
            // Soft hyphens only mark where a browser may break a word: they are not text.
            out.push(c);
        }
    }
}

/// One line of clean text: entities already decoded, whitespace collapsed and trimmed.
pub fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    let t = out.trim_end().len();
    out.truncate(t);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_decodes() {
        assert_eq!(
            clean_inline(&decode("  a&nbsp;&amp;\n\t b&#8217;s &eacute; ")),
            "a & b’s é"
        );
        assert_eq!(
            clean_inline(&decode("can&shy;di&shy;da\u{ad}ture")),
            "candidature"
        );
    }
}
