//! Quotations: the words outlets put inside quotation marks, and whether two renderings of
//! one quotation differ.
//!
//! Two outlets quoting one remark should print the same words. One small edit between them
//! (a dropped "that", "just", a name spelt differently) is editing; two or more separate edits
//! inside the stretch both print ("to beat the State Department ... agency warnings so why do
//! we" / "to beat up the State Department ... warnings, so why would we") are two renderings
//! of the remark, a soft conflict over what was said. A quotation that merely starts or stops
//! elsewhere ("it's a bunch of malarkey" inside a longer quote) is no difference at all.

/// Words inside quotation marks, with the quotation's byte span in the article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pub start: usize,
    pub end: usize,
    /// Lowercase words (letters, digits, apostrophes), curly apostrophes made straight.
    pub words: Vec<String>,
}

/// Quotations of at least [`MIN_WORDS`] words in `text[start..end]`: from an opening mark to
/// the closing one, or to the end of the span when the quotation runs on.
pub fn quotations(text: &str, start: usize, end: usize) -> Vec<Quotation> {
    let s = &text[start..end];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (c, open) {
            ('“', _) | ('"', None) => open = Some(i + c.len_utf8()),
            ('”', Some(o)) | ('"', Some(o)) => {
                push_quotation(s, start, o, i, &mut out);
                open = None;
            }
            _ => {}
        }
    }
    if let Some(o) = open {
        push_quotation(s, start, o, s.len(), &mut out);
    }
    out
}

/// Fewer words than this are a phrase, not a quotation worth comparing.
pub const MIN_WORDS: usize = 4;

fn push_quotation(s: &str, base: usize, from: usize, to: usize, out: &mut Vec<Quotation>) {
    let words: Vec<String> = s[from..to]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect();
    if words.len() >= MIN_WORDS {
        out.push(Quotation {
            start: base + from,
            end: base + to,
            words,
        });
    }
}

/// Words two renderings must share before they count as one quotation.
const MIN_SHARED: usize = 5;

/// Share of the overlapping stretch the shared words must cover.
const MIN_SHARE: f32 = 0.6;

/// Separate edits that make two renderings differ.
const MIN_EDITS: usize = 2;

/// Whether `a` and `b` render one quotation with different words: they share at least
/// [`MIN_SHARED`] words in order, covering [`MIN_SHARE`] of the stretch between the first
/// and last shared word, and differ by [`MIN_EDITS`] or more separate edits inside it.
pub fn renderings_differ(a: &Quotation, b: &Quotation) -> bool {
    let matched = lcs_pairs(&a.words, &b.words);
    if matched.len() < MIN_SHARED {
        return false;
    }
    let (first, last) = (matched[0], matched[matched.len() - 1]);
    let span = (last.0 - first.0 + 1).max(last.1 - first.1 + 1);
    if (matched.len() as f32) < MIN_SHARE * span as f32 {
        return false;
    }
    let edits = matched
        .windows(2)
        .filter(|w| w[1].0 > w[0].0 + 1 || w[1].1 > w[0].1 + 1)
        .count();
    edits >= MIN_EDITS
}

/// The matched positions of a longest common subsequence of two word lists, in order.
fn lcs_pairs(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    // Quotations are short; a full table is cheap. Longer ones are cut to keep it so.
    let (n, m) = (n.min(200), m.min(200));
    let mut t = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[at(i, j)] = if a[i] == b[j] {
                t[at(i + 1, j + 1)] + 1
            } else {
                t[at(i + 1, j)].max(t[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if t[at(i + 1, j)] >= t[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quotation {
        quotations(s, 0, s.len()).remove(0)
    }

    #[test]
    fn quotations_run_from_mark_to_mark_or_to_the_end() {
        let s = "He said “we will win this” and left. “This runs on to the end";
        let qs = quotations(s, 0, s.len());
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].words, ["we", "will", "win", "this"]);
        assert_eq!(&s[qs[0].start..qs[0].end], "we will win this");
        assert_eq!(qs[1].words.len(), 6);
        // Two words are a phrase, not a quotation.
        assert!(quotations("a \"gag photo\" here", 0, 18).is_empty());
    }

    #[test]
    fn two_edits_inside_one_quotation_are_two_renderings() {
        let a = q(
            "“to beat the State Department for not paying attention to agency warnings so why do we want to feed that either?”",
        );
        let b = q(
            "\"to beat up the State Department for not paying attention to warnings, so why would we want to feed that either?\"",
        );
        assert!(renderings_differ(&a, &b));
    }

    #[test]
    fn one_edit_or_a_longer_cut_is_the_same_rendering() {
        let a = q("“The vice president very well knows sometimes the words don't come out right”");
        let b =
            q("“The vice president very well knows that sometimes the words don't come out right”");
        assert!(!renderings_differ(&a, &b));
        let long = q("“Obviously, that's a bunch of malarkey, and we will say so again tonight”");
        let short = q("“that's a bunch of malarkey, and we”");
        assert!(!renderings_differ(&long, &short));
        let other = q("“We are going to cut taxes for the middle class this year”");
        assert!(!renderings_differ(&long, &other));
    }
}
