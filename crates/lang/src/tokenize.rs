//! Tokens and sentences with byte offsets.
//!
//! Tokens follow CoNLL conventions, which the entity recogniser was trained on: punctuation is
//! separate, abbreviations keep their period ("U.S.", "Nov.", "Maj."), hyphenated words and
//! numbers with separators stay whole ("al-Sharaa", "2,225", "1.5"), and a possessive "'s" is
//! its own token. Sentences end at ".", "!", "?" (with any closing quotes or brackets) before a
//! capitalised word, a digit or an opening quote; an abbreviation ends a sentence only before a
//! word that typically starts one ("the U.S. The talks ..."). Every paragraph ends a sentence,
//! so a subhead is a sentence of its own.

use model::Span;

/// A token: a byte span into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }
}

/// A sentence: its span and its tokens' index range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: std::ops::Range<usize>,
    /// Index of the paragraph it belongs to.
    pub paragraph: usize,
}

/// Abbreviations that keep their period (lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "lt", "col", "capt", "cpt", "sgt", "cpl", "adm",
    "brig", "cmdr", "gov", "sen", "rep", "pres", "rev", "hon", "st", "mt", "ft", "jr", "sr", "co",
    "corp", "inc", "ltd", "bros", "dept", "univ", "assn", "no", "nos", "vol", "vs", "etc",
    "approx", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "ave",
    "blvd", "rd", "calif", "ariz", "fla", "mass", "penn", "wash", "tenn", "conn", "ill", "mich",
    "minn", "okla", "ore", "wis", "colo", "ala", "ark", "del", "ga", "ky", "la", "md", "mo", "neb",
    "nev", "va", "vt", "wyo", "op", "al",
];

/// Abbreviations that can also end a sentence.
const FINAL_ABBREVIATIONS: &[&str] = &["etc", "inc", "corp", "ltd", "co", "jr", "sr", "bros"];

/// Words that typically open a sentence (used after an ambiguous abbreviation).
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "in",
    "on",
    "at",
    "but",
    "and",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "there",
    "when",
    "while",
    "after",
    "before",
    "as",
    "for",
    "if",
    "however",
    "meanwhile",
    "officials",
    "some",
    "many",
    "according",
    "both",
    "since",
    "last",
    "earlier",
    "later",
    "on",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&w.as_str())
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Tokenises one paragraph `text[start..end]`, appending to `out`.
pub fn tokenize_into(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        let c = text[i..].chars().next().expect("char boundary");
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        if c.is_alphanumeric() {
            let s = i;
            let mut j = i + cl;
            // Word characters, with joiners (hyphen, apostrophe, period, comma) kept when a
            // word character follows them.
            while j < end {
                let d = text[j..].chars().next().expect("char boundary");
                if d.is_alphanumeric() {
                    j += d.len_utf8();
                    continue;
                }
                let next = text[j + d.len_utf8()..end].chars().next();
                let next_alnum = next.is_some_and(|n| n.is_alphanumeric());
                let prev = text[s..j].chars().next_back().unwrap_or(' ');
                let joins = match d {
                    '-' | '‐' | '‑' => next_alnum,
                    // "2,225" and "1.5": digit, separator, digit.
                    ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    '.' => {
                        (prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()))
                            // "U.S." style: single letters separated by periods.
                            || (next_alnum && j - s == 1 && prev.is_alphabetic())
                    }
                    '\'' | '’' => {
                        // Inner apostrophe ("O'Brien", "Hay’at"), but not a possessive 's.
                        next_alnum && !is_possessive_at(text, j + d.len_utf8(), end)
                    }
                    '&' => next_alnum && prev.is_uppercase() && j - s <= 2,
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += d.len_utf8();
            }
            // A trailing period belongs to an abbreviation or an initialism ("U.S.", "W.").
            if j < end && bytes[j] == b'.' {
                let word = &text[s..j];
                let initialism = word.len() >= 2 && word.contains('.');
                let initial = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
                if is_abbreviation(word) || initialism || initial {
                    j += 1;
                }
            }
            out.push(Token { start: s, end: j });
            i = j;
            continue;
        }
        if is_apostrophe(c) && is_possessive_at(text, i + cl, end) {
            // "'s" as its own token.
            out.push(Token {
                start: i,
                end: i + cl + 1,
            });
            i += cl + 1;
            continue;
        }
        // "..." and "--" stay whole; any other character is a token by itself.
        let mut j = i + cl;
        if c == '.' || c == '-' {
            while j < end && bytes[j] == c as u8 {
                j += 1;
            }
        }
        out.push(Token { start: i, end: j });
        i = j;
    }
}

/// Is there an "s" at `at` that ends a word (the "s" of a possessive "'s")?
fn is_possessive_at(text: &str, at: usize, end: usize) -> bool {
    let b = text.as_bytes();
    at < end
        && (b[at] == b's' || b[at] == b'S')
        && text[at + 1..end]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn is_terminal(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "…" | "...")
}

/// Splits tokens `toks[range]` of one paragraph into sentences.
pub fn split_sentences(
    text: &str,
    toks: &[Token],
    range: std::ops::Range<usize>,
    paragraph: usize,
    out: &mut Vec<Sentence>,
) {
    let mut first = range.start;
    let mut k = range.start;
    while k < range.end {
        let t = toks[k].text(text);
        let mut boundary_after = None;
        if is_terminal(t) {
            let mut e = k + 1;
            while e < range.end && is_closer(toks[e].text(text)) {
                e += 1;
            }
            if e >= range.end || starts_sentence(toks[e].text(text)) {
                boundary_after = Some(e);
            }
        } else if t.ends_with('.') && t.len() > 1 && k + 1 < range.end {
            let word = t.trim_end_matches('.');
            let next = toks[k + 1].text(text);
            let final_abbr = FINAL_ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
                || word.contains('.');
            if final_abbr && SENTENCE_STARTERS.contains(&next.to_lowercase().as_str()) {
                boundary_after = Some(k + 1);
            }
        }
        if let Some(e) = boundary_after {
            push_sentence(toks, first..e, paragraph, out);
            first = e;
            k = e;
        } else {
            k += 1;
        }
    }
    if first < range.end {
        push_sentence(toks, first..range.end, paragraph, out);
    }
}

fn starts_sentence(t: &str) -> bool {
    let c = t.chars().next().unwrap_or(' ');
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[')
}

fn push_sentence(
    toks: &[Token],
    r: std::ops::Range<usize>,
    paragraph: usize,
    out: &mut Vec<Sentence>,
) {
    if r.is_empty() {
        return;
    }
    out.push(Sentence {
        span: Span {
            start: toks[r.start].start,
            end: toks[r.end - 1].end,
        },
        tokens: r,
        paragraph,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize_into(s, 0, s.len(), &mut out);
        out.iter().map(|t| t.text(s)).collect()
    }

    fn sents(s: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize_into(s, 0, s.len(), &mut t);
        let mut out = Vec::new();
        split_sentences(s, &t, 0..t.len(), 0, &mut out);
        out.iter().map(|x| &s[x.span.start..x.span.end]).collect()
    }

    #[test]
    fn tokens_follow_conll_conventions() {
        assert_eq!(
            toks("Russia’s U.S. envoy al-Sharaa said 2,225 (about 1.5%) on Nov. 8."),
            vec![
                "Russia",
                "’s",
                "U.S.",
                "envoy",
                "al-Sharaa",
                "said",
                "2,225",
                "(",
                "about",
                "1.5",
                "%",
                ")",
                "on",
                "Nov.",
                "8",
                "."
            ]
        );
        assert_eq!(toks("Hay’at Tahrir"), vec!["Hay’at", "Tahrir"]);
        assert_eq!(
            toks("“We value it,” he said..."),
            vec!["“", "We", "value", "it", ",", "”", "he", "said", "..."]
        );
        assert_eq!(toks("George W. Bush"), vec!["George", "W.", "Bush"]);
        assert_eq!(toks("the Kurds’ deal"), vec!["the", "Kurds", "’", "deal"]);
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        assert_eq!(
            sents(
                "Maj. Gen. Murhaf Abu Qasra met him on Nov. 8 in the U.S. capital. It went well."
            ),
            vec![
                "Maj. Gen. Murhaf Abu Qasra met him on Nov. 8 in the U.S. capital.",
                "It went well."
            ]
        );
        assert_eq!(
            sents("He said: “We have nothing to say.” Syrian sources disagreed."),
            vec![
                "He said: “We have nothing to say.”",
                "Syrian sources disagreed."
            ]
        );
        assert_eq!(
            sents("Troops left the U.S. The talks ended."),
            vec!["Troops left the U.S.", "The talks ended."]
        );
        assert_eq!(
            sents("It rose 1.5 percent. 200 people came."),
            vec!["It rose 1.5 percent.", "200 people came."]
        );
    }

    #[test]
    fn offsets_are_valid_on_non_ascii_text() {
        let s = "Türkiye’s envoy — “Barrack” — spoke.";
        let mut t = Vec::new();
        tokenize_into(s, 0, s.len(), &mut t);
        for tok in &t {
            assert!(s.is_char_boundary(tok.start) && s.is_char_boundary(tok.end));
            assert!(!tok.text(s).trim().is_empty());
        }
    }
}
