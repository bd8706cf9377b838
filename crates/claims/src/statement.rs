//! Statements: every sentence of an article read as one checkable statement.
//!
//! Outlets state most facts in sentences that carry no number or date ("officials in Hawaii
//! have certified Obama's citizenship"); such a fact is found again in another outlet by what
//! the two sentences share, not by a typed value. A [`Statement`] keeps what the aligner
//! compares: content lemmas, entities, numbers, dates, quoted words, negation and position.
//! Terms are 64-bit hashes, so articles are read in parallel with no shared vocabulary.

use model::Article;

use crate::frames::Parsed;
use crate::lexicon;

/// One sentence as the aligner sees it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    /// Index of the article in the run.
    pub article: usize,
    /// Index of the sentence in the article.
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    /// Content lemmas, hashed, sorted and unique.
    pub terms: Vec<u64>,
    /// Pairs of consecutive content lemmas, hashed, sorted and unique.
    pub bigrams: Vec<u64>,
    /// Entities mentioned, hashed ids, sorted and unique.
    pub entities: Vec<u64>,
    /// Numbers stated (their bit patterns), sorted and unique.
    pub numbers: Vec<u64>,
    /// Date values stated (hashed TimeML values), sorted and unique.
    pub dates: Vec<u64>,
    /// Word trigrams inside quotation marks, hashed, sorted and unique.
    pub quoted: Vec<u64>,
    /// Lemmas of the clauses' predicates, hashed, sorted and unique.
    pub predicates: Vec<u64>,
    /// The predicates' subjects and objects: entity ids where a mention covers the head
    /// word, else its lemma; hashed, sorted and unique.
    pub subjects: Vec<u64>,
    pub objects: Vec<u64>,
    /// Quotations of a few words or more.
    pub quotations: Vec<crate::quotes::Quotation>,
    /// A negation word anywhere in the sentence.
    pub negated: bool,
    /// Number of tokens.
    pub tokens: usize,
    /// Sentence index over the article's sentence count, in [0, 1).
    pub position: f32,
}

/// Hash of a term (lemma, entity id or date value).
pub fn term(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Reads sentence `sentence` of article `a` (run index `article`) from its parse.
pub fn read(a: &Article, article: usize, sentence: usize, parsed: &Parsed) -> Statement {
    let s = a.sentences[sentence];
    let text = a.text.as_str();
    let words: Vec<&str> = parsed.toks.iter().map(|t| &text[t.start..t.end]).collect();
    let quoted = quoted_flags(&words);
    let mut content: Vec<u64> = Vec::new();
    let mut quoted_words: Vec<Vec<u64>> = vec![Vec::new()];
    let mut negated = false;
    for ((w, q), t) in words.iter().zip(&quoted).zip(&parsed.toks) {
        negated |= lexicon::NEGATIONS.contains(&t.lower.as_str()) || t.lower.ends_with("n't");
        if !w.chars().any(char::is_alphabetic) {
            if !q {
                quoted_words.push(Vec::new());
            }
            continue;
        }
        let l = term(&t.lemma);
        if *q && let Some(run) = quoted_words.last_mut() {
            run.push(l);
        }
        if !lang::lexicon::FUNCTION_WORDS.contains(&t.lower.as_str()) {
            content.push(l);
        }
    }
    let bigrams = content
        .windows(2)
        .map(|p| p[0].rotate_left(17) ^ p[1])
        .collect();
    let quoted = quoted_words
        .iter()
        .flat_map(|run| {
            run.windows(3)
                .map(|w| w[0].rotate_left(7) ^ w[1].rotate_left(31) ^ w[2])
        })
        .collect();
    let inside = |x: usize, y: usize| x >= s.start && y <= s.end;
    let entity_at = |t: usize| -> Option<&str> {
        let tok = &parsed.toks[t];
        a.mentions
            .iter()
            .find(|m| m.start <= tok.start && tok.end <= m.end)
            .map(|m| m.entity.as_str())
    };
    let arg = |t: usize| term(entity_at(t).unwrap_or(&parsed.toks[t].lemma));
    let predicates = parsed.predicates();
    Statement {
        article,
        sentence,
        start: s.start,
        end: s.end,
        terms: sorted(content),
        bigrams: sorted(bigrams),
        entities: sorted(
            a.mentions
                .iter()
                .filter(|m| inside(m.start, m.end))
                .map(|m| term(&m.entity))
                .collect(),
        ),
        numbers: sorted(
            a.quantities
                .iter()
                .filter(|q| inside(q.start, q.end))
                .map(|q| q.value.to_bits())
                .collect(),
        ),
        dates: sorted(
            a.timexes
                .iter()
                .filter(|t| inside(t.start, t.end))
                .filter_map(|t| t.value.as_deref())
                .map(term)
                .collect(),
        ),
        quoted: sorted(quoted),
        predicates: sorted(
            predicates
                .iter()
                .map(|&p| term(&parsed.toks[p].lemma))
                .collect(),
        ),
        subjects: sorted(
            predicates
                .iter()
                .filter_map(|&p| parsed.subject(p))
                .map(arg)
                .collect(),
        ),
        objects: sorted(
            predicates
                .iter()
                .filter_map(|&p| parsed.object(p))
                .map(arg)
                .collect(),
        ),
        quotations: crate::quotes::quotations(text, s.start, s.end),
        negated,
        tokens: words.len(),
        position: sentence as f32 / a.sentences.len().max(1) as f32,
    }
}

/// Which words stand inside quotation marks (straight or curly).
fn quoted_flags(words: &[&str]) -> Vec<bool> {
    let mut inside = false;
    words
        .iter()
        .map(|w| {
            match *w {
                "“" => inside = true,
                "”" => inside = false,
                "\"" | "``" | "''" => inside = !inside,
                _ => return inside,
            }
            false
        })
        .collect()
}

/// Whether a sentence states anything to check: subheads, bylines and one-word lines do not.
pub fn is_checkable(a: &Article, sentence: usize) -> bool {
    let s = a.sentences[sentence];
    let in_heading = a
        .paragraphs
        .iter()
        .any(|p| p.heading && p.start <= s.start && s.end <= p.end);
    let words = a.text[s.start..s.end].split_whitespace().count();
    !in_heading && words >= 4
}

/// Size of the sorted intersection of two sorted lists.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
