//! Frames: who does what in a sentence, read off its dependency parse.
//!
//! [`Parsed`] is one sentence tokenised as the language layer does and parsed by the
//! `syntax` crate (a tagger, lemmatizer and dependency parser trained by our own code on UD
//! English EWT). Its questions are the ones claims ask of a sentence: which word governs a
//! value (the happening a date dates, the noun a number counts), which predicate a word
//! belongs to, whether that predicate is negated or hedged, and who says so (a reporting verb
//! above it and that verb's subject).

use lang::tokenize::Token;
use syntax::{Deprel, Upos};

use crate::lexicon;

/// One token of a parsed sentence.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Byte span in the article text.
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub lemma: String,
    pub upos: Upos,
    pub head: Option<usize>,
    pub rel: Deprel,
}

/// A parsed sentence.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub toks: Vec<Tok>,
    children: Vec<Vec<usize>>,
}

/// Sentences longer than this are parsed in pieces of this many tokens (a run-on list or a
/// table row read as one sentence says little and costs much).
const MAX_TOKENS: usize = 120;

/// The tokens of `a.text[start..end]` (a sentence): the article's token layer, else the
/// tokenizer's run here (an article whose layer was not filled).
pub fn sentence_tokens(a: &model::Article, start: usize, end: usize) -> Vec<Token> {
    match a.tokens_in(start, end) {
        Some(t) => t
            .iter()
            .map(|s| Token {
                start: s.start,
                end: s.end,
            })
            .collect(),
        None => {
            let mut v = Vec::new();
            lang::tokenize::tokenize_into(&a.text, start, end, &mut v);
            v
        }
    }
}

impl Parsed {
    /// Tokenises and parses `text[start..end]`.
    pub fn new(text: &str, start: usize, end: usize) -> Parsed {
        let mut spans = Vec::new();
        lang::tokenize::tokenize_into(text, start, end, &mut spans);
        Parsed::of(text, &spans)
    }

    /// Parses the tokens `spans` of `text`.
    pub fn of(text: &str, spans: &[Token]) -> Parsed {
        let mut toks = Vec::with_capacity(spans.len());
        for chunk in spans.chunks(MAX_TOKENS) {
            let words: Vec<&str> = chunk.iter().map(|t| t.text(text)).collect();
            let base = toks.len();
            for (t, a) in chunk.iter().zip(syntax::Parser::global().parse(&words)) {
                toks.push(Tok {
                    start: t.start,
                    end: t.end,
                    lower: t.text(text).to_lowercase(),
                    lemma: a.lemma.to_lowercase(),
                    upos: a.upos,
                    head: a.head.map(|h| base + h as usize),
                    rel: a.deprel,
                });
            }
        }
        let mut children = vec![Vec::new(); toks.len()];
        for (i, t) in toks.iter().enumerate() {
            if let Some(h) = t.head.filter(|&h| h < children.len() && h != i) {
                children[h].push(i);
            }
        }
        Parsed { toks, children }
    }

    pub fn children(&self, t: usize) -> &[usize] {
        &self.children[t]
    }

    /// The token covering byte `at`, or the first one after it.
    pub fn token_at(&self, at: usize) -> Option<usize> {
        self.toks.iter().position(|t| t.end > at)
    }

    /// The head token of the byte span: the token in it whose head lies outside it.
    pub fn head_of(&self, start: usize, end: usize) -> Option<usize> {
        let inside: Vec<usize> = (0..self.toks.len())
            .filter(|&i| self.toks[i].start >= start && self.toks[i].end <= end)
            .collect();
        let outside = |i: usize| {
            self.toks[i]
                .head
                .is_none_or(|h| self.toks[h].start < start || self.toks[h].end > end)
        };
        inside
            .iter()
            .copied()
            .find(|&i| outside(i))
            .or(inside.first().copied())
    }

    /// Whether a token heads a clause: a verb, or a word that a copula links ("was
    /// indicted", "is a candidate", "was ready").
    pub fn is_predicate(&self, t: usize) -> bool {
        let tok = &self.toks[t];
        match tok.upos {
            Upos::Verb => true,
            Upos::Noun | Upos::Propn | Upos::Adj | Upos::Num => self.children[t]
                .iter()
                .any(|&c| self.toks[c].rel == Deprel::Cop),
            Upos::Aux => tok.head.is_none(),
            _ => false,
        }
    }

    /// The predicate whose clause holds token `t` (itself when it is one).
    pub fn predicate_of(&self, t: usize) -> Option<usize> {
        let mut k = t;
        for _ in 0..self.toks.len() {
            if self.is_predicate(k) {
                return Some(k);
            }
            k = self.toks[k].head?;
        }
        None
    }

    /// The word a token attaches to, skipping function words (the noun a number counts, the
    /// happening a date or a place belongs to).
    pub fn governor(&self, t: usize) -> Option<usize> {
        let h = self.toks[t].head?;
        Some(h)
    }

    /// The subject of predicate `p` (its `nsubj`, `nsubj:pass` or `csubj` dependent).
    pub fn subject(&self, p: usize) -> Option<usize> {
        self.child_with(p, |r| {
            matches!(
                r,
                Deprel::Nsubj | Deprel::NsubjPass | Deprel::Csubj | Deprel::CsubjPass
            )
        })
    }

    /// The object of predicate `p`.
    pub fn object(&self, p: usize) -> Option<usize> {
        self.child_with(p, |r| matches!(r, Deprel::Obj | Deprel::Iobj))
    }

    fn child_with(&self, p: usize, f: impl Fn(Deprel) -> bool) -> Option<usize> {
        self.children[p]
            .iter()
            .copied()
            .find(|&c| f(self.toks[c].rel))
    }

    /// Whether predicate `p` is negated: "not", "n't", "never" on it or its auxiliaries, or
    /// "no" determining its subject or object ("no charges were filed").
    pub fn negated(&self, p: usize) -> bool {
        // "don't" stays one word (an auxiliary) in our tokens.
        let neg = |c: usize| {
            let w = self.toks[c].lower.as_str();
            lexicon::NEGATIONS.contains(&w) || w.ends_with("n't") || w == "cannot"
        };
        let on_args = [self.subject(p), self.object(p)]
            .into_iter()
            .flatten()
            .any(|a| {
                self.children[a]
                    .iter()
                    .any(|&c| self.toks[c].rel == Deprel::Det && neg(c))
            });
        on_args
            || self.children[p].iter().any(|&c| {
                matches!(self.toks[c].rel, Deprel::Advmod | Deprel::Aux | Deprel::Det) && neg(c)
            })
    }

    /// The modal auxiliary of predicate `p` ("may", "would", "could", "will"...).
    pub fn modal(&self, p: usize) -> Option<&str> {
        self.children[p]
            .iter()
            .map(|&c| &self.toks[c])
            .find(|t| t.rel == Deprel::Aux && t.upos == Upos::Aux && is_modal(&t.lemma))
            .map(|t| t.lemma.as_str())
    }

    /// The reporting verb that introduces predicate `p`'s clause ("officials said [he was
    /// indicted]"), and that verb's subject: climbs `ccomp` and `parataxis` links.
    pub fn reported_by(&self, p: usize) -> Option<(usize, Option<usize>)> {
        let mut k = p;
        for _ in 0..4 {
            let h = self.toks[k].head?;
            let link = self.toks[k].rel;
            if matches!(link, Deprel::Ccomp | Deprel::Parataxis)
                && lexicon::REPORTING.contains(&self.toks[h].lemma.as_str())
            {
                return Some((h, self.subject(h)));
            }
            if !matches!(link, Deprel::Conj | Deprel::Ccomp | Deprel::Xcomp) {
                return None;
            }
            k = h;
        }
        None
    }

    /// Predicates of the sentence, in order.
    pub fn predicates(&self) -> Vec<usize> {
        (0..self.toks.len())
            .filter(|&t| self.is_predicate(t))
            .collect()
    }
}

fn is_modal(lemma: &str) -> bool {
    matches!(
        lemma,
        "may" | "might" | "could" | "would" | "should" | "will" | "can" | "must" | "shall"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Parsed {
        Parsed::new(s, 0, s.len())
    }

    fn tok(p: &Parsed, word: &str) -> usize {
        p.toks
            .iter()
            .position(|t| t.lower == word)
            .unwrap_or_else(|| panic!("no token {word}"))
    }

    #[test]
    fn a_reported_negated_passive_clause() {
        let p = parsed("Officials said the senator was not indicted on Friday.");
        let indicted = tok(&p, "indicted");
        assert!(p.is_predicate(indicted));
        assert!(p.negated(indicted));
        assert_eq!(p.subject(indicted), Some(tok(&p, "senator")));
        let (verb, speaker) = p.reported_by(indicted).expect("a reporting verb");
        assert_eq!(verb, tok(&p, "said"));
        assert_eq!(speaker, Some(tok(&p, "officials")));
        // The date belongs to the indictment, not to the saying.
        let friday = tok(&p, "friday");
        assert_eq!(p.predicate_of(friday), Some(indicted));
        assert!(!p.negated(tok(&p, "said")));
    }

    #[test]
    fn modals_and_copulas_make_predicates() {
        let p = parsed("The plan could cost billions, and Smith is a candidate.");
        let cost = tok(&p, "cost");
        assert_eq!(p.modal(cost), Some("could"));
        assert!(p.is_predicate(tok(&p, "candidate")));
        assert_eq!(p.head_of(0, 8), Some(tok(&p, "plan")));
    }
}
