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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    // Where the open quotation starts; a closing mark with none open closes one that began in
    // an earlier sentence, so the quotation runs from the span's start.
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        let (mark, width) = match c {
            '“' => (Some(true), c.len_utf8()),
            '”' => (Some(false), c.len_utf8()),
            '`' if rest.starts_with("``") => (Some(true), 2),
            '\'' if rest.starts_with("''") => (Some(false), 2),
            // A straight quote opens after a space (or at the start) and closes after a word.
            '"' => (
                Some(s[..i].chars().next_back().is_none_or(char::is_whitespace)),
                1,
            ),
            _ => (None, c.len_utf8()),
        };
        match (mark, open) {
            (Some(true), _) => open = Some(i + width),
            (Some(false), o) => {
                push_quotation(s, start, o.unwrap_or(0), i, &mut out);
                open = None;
            }
            (None, _) => {}
        }
        i += width;
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
        .split_whitespace()
        .map(undot_initialism)
        .flat_map(|t| {
            t.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .map(|w| w.to_lowercase().replace('’', "'"))
                .collect::<Vec<_>>()
        })
        .collect();
    if words.len() >= MIN_WORDS {
        out.push(Quotation {
            start: base + from,
            end: base + to,
            words,
        });
    }
}

/// An initialism written with dots, as one word: house styles differ ("I.R.S." / "IRS",
/// "U.S." / "US"), the words do not.
fn undot_initialism(token: &str) -> std::borrow::Cow<'_, str> {
    let core = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let letters = core.split('.').filter(|p| !p.is_empty());
    let dotted = core.contains('.')
        && core.split('.').filter(|p| !p.is_empty()).count() >= 2
        && letters
            .clone()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    if dotted {
        std::borrow::Cow::Owned(core.replace('.', ""))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

/// Words two renderings must share before they count as one quotation.
const MIN_SHARED: usize = 5;

/// Share of the overlapping stretch the shared words must cover.
const MIN_SHARE: f32 = 0.7;

/// Share of the shorter quotation the shared words must cover (two remarks sharing a phrase
/// are not two renderings of one remark).
const MIN_COVER: f32 = 0.6;

/// Separate edits that make two renderings differ.
const MIN_EDITS: usize = 2;

/// Whether `a` and `b` render one quotation with different words: they share at least
/// [`MIN_SHARED`] words in order, covering [`MIN_SHARE`] of the stretch between the first
/// and last shared word, and differ by [`MIN_EDITS`] or more separate edits inside it.
pub fn renderings_differ(a: &Quotation, b: &Quotation) -> bool {
    let matched = lcs_pairs(&a.words, &b.words);
    let shorter = a.words.len().min(b.words.len());
    if matched.len() < MIN_SHARED || (matched.len() as f32) < MIN_COVER * shorter as f32 {
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

/// Two spellings of one word: equal, or long and one letter apart ("neighbourhood" /
/// "neighborhood", "Gadhafi" / "Qaddafi" stay apart: two letters).
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 5 && one_edit_apart(a, b))
}

fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
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
            t[at(i, j)] = if same_word(&a[i], &b[j]) {
                t[at(i + 1, j + 1)] + 1
            } else {
                t[at(i + 1, j)].max(t[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if same_word(&a[i], &b[j]) {
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
        // A quotation that began in an earlier sentence closes here.
        let s = "and we will do it again,'' he said.";
        let qs = quotations(s, 0, s.len());
        assert_eq!(qs[0].words, ["and", "we", "will", "do", "it", "again"]);
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
    fn dotted_initialisms_are_one_word() {
        let a = q(
            "“I have not violated any IRS rules or regulations, and I have not provided false information”",
        );
        let b = q(
            "“I have not violated any I.R.S. rules and regulations, and I have not provided false information”",
        );
        assert_eq!(a.words.len(), b.words.len());
        assert!(b.words.contains(&"irs".to_string()));
        assert!(!renderings_differ(&a, &b));
        // Two real edits still make two renderings.
        let c = q(
            "“I have never violated any IRS rules and regulations, and I have not given false information”",
        );
        assert!(renderings_differ(&a, &c));
    }

    #[test]
    fn spelling_variants_are_one_word() {
        assert!(same_word("neighbourhood", "neighborhood"));
        assert!(!same_word("qaddafi", "gadhafi"));
        assert!(!same_word("cat", "car"));
        let a = q(
            "“Police locked down the neighbourhood and negotiated with the suspect, who gave himself up”",
        );
        let b = q(
            "“Police locked down the neighborhood and negotiated with a suspect, who gave himself up”",
        );
        assert!(!renderings_differ(&a, &b));
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
