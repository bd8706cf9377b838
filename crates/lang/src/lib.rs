//! The crosscheck language layer: sentences, tokens, entities, temporal expressions and
//! quantities for every article, with byte offsets into the article text.
//!
//! * [`tokenize`]: CoNLL-style tokens and sentences (abbreviation- and quote-aware; every
//!   paragraph, subheads included, ends a sentence).
//! * Entities: the `ner` crate's recogniser (a model trained by our own code on CoNLL-2003)
//!   tags each article's sentences as one document; [`entities`] filters headline fragments and
//!   sentence-initial common words, then links the batch's mentions into [`model::Entity`]s
//!   with aliases and roles, against the [`EntityRecord`]s earlier runs stored.
//! * Temporal expressions: the `timex` crate, anchored on the article's own `published` date
//!   (relative values stay null without one).
//! * [`quantities`]: numbers with unit, counted noun phrase and qualifier.
//!
//! [`annotate_all`] runs all of it over a batch of articles (in parallel) and returns the
//! run-wide entity table; [`Annotator::annotate`] does one article without linking. A run
//! with a store links only its new articles: [`annotate_pending`] runs the models,
//! [`Pending::lookup_keys`] names the stored records the batch may need, and
//! [`Pending::link`] links against them and returns the records to store again, so its cost
//! grows with the batch and those records, not with the store.

pub mod entities;
pub mod lexicon;
pub mod quantities;
pub mod tokenize;

use std::sync::OnceLock;

use chrono::NaiveDate;
use model::{AnchorFrom, Article, Entity, EntityKind, Span};
use rayon::prelude::*;

pub use crate::entities::EntityRecord;

/// Names an article's event candidates are keyed by (its most mentioned, see
/// [`entities::mention_names`]).
pub const EVENT_NAMES: usize = 6;
use crate::entities::RawMention;
use crate::tokenize::{Sentence, Token};

/// One article's layers before run-wide entity linking.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub heading_paragraphs: Vec<usize>,
    pub raw_mentions: Vec<RawMention>,
    pub timexes: Vec<model::Timex>,
    pub quantities: Vec<model::Quantity>,
}

/// The language models, loaded once and shared.
pub struct Annotator {
    ner: ner::Recognizer,
    timex: timex::Annotator,
}

impl Default for Annotator {
    fn default() -> Self {
        Annotator::new()
    }
}

/// The published date of an article as a calendar date.
pub fn anchor_date(published: Option<&str>) -> Option<NaiveDate> {
    let p = published?;
    NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok()
}

fn kind_of(k: ner::EntityKind) -> EntityKind {
    match k {
        ner::EntityKind::Person => EntityKind::Person,
        ner::EntityKind::Org => EntityKind::Org,
        ner::EntityKind::Place => EntityKind::Place,
        ner::EntityKind::Misc => EntityKind::Misc,
    }
}

impl Annotator {
    pub fn new() -> Annotator {
        Annotator {
            ner: ner::Recognizer::new(),
            timex: timex::Annotator::new(),
        }
    }

    /// The shared annotator.
    pub fn global() -> &'static Annotator {
        static A: OnceLock<Annotator> = OnceLock::new();
        A.get_or_init(Annotator::new)
    }

    /// Resolves the temporal expressions of `text` against `anchor`, marking relative values
    /// with where the anchor came from.
    pub fn timexes(
        &self,
        text: &str,
        anchor: Option<NaiveDate>,
        from: AnchorFrom,
    ) -> Vec<model::Timex> {
        self.timex
            .annotate(text, anchor)
            .into_iter()
            .map(|t| model::Timex {
                start: t.start,
                end: t.end,
                kind: t.kind,
                anchor_from: (t.relative && t.value.is_some()).then_some(from),
                value: t.value,
                modifier: t.modifier,
            })
            .collect()
    }

    /// Annotates one article: tokens, sentences, raw entity mentions, timexes, quantities.
    pub fn annotate(&self, article: &Article) -> Layers {
        let mut l = structure(article);
        let text = article.text.as_str();
        // Entities: the article's sentences as one document.
        let sents: Vec<Vec<&str>> = l
            .sentences
            .iter()
            .map(|s| {
                l.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.text(text))
                    .collect()
            })
            .collect();
        let spans = self.ner.recognize_document(&sents);
        let mut found_spans: Vec<(usize, usize, usize, EntityKind)> = Vec::new();
        for (si, (s, found)) in l.sentences.iter().zip(spans).enumerate() {
            for e in found {
                let (mut a, mut b) = (s.tokens.start + e.start, s.tokens.start + e.end);
                let kind = kind_of(e.kind);
                let tok = |k: usize| l.tokens[k].text(text);
                // A leading title is a role, not part of the name ("President Putin"); so are
                // "the", numbers and compound modifiers ("Russia-backed Bashar al-Assad").
                while a + 1 < b
                    && ((kind == EntityKind::Person
                        && (entities::is_role_word(tok(a)) || entities::is_honorific(tok(a))))
                        || matches!(tok(a), "the" | "The")
                        || !tok(a).chars().any(char::is_alphabetic)
                        || is_compound_modifier(tok(a)))
                {
                    a += 1;
                }
                // A name does not run into a bracket: "Moscow (Washington Insider Magazine".
                if let Some(p) = (a..b).find(|&k| matches!(tok(k), "(" | ")" | "[" | "]")) {
                    b = p;
                }
                while b > a && !tok(b - 1).chars().any(|c| c.is_alphanumeric()) {
                    b -= 1;
                }
                if a >= b
                    || !text[l.tokens[a].start..l.tokens[b - 1].end]
                        .chars()
                        .any(char::is_uppercase)
                    || (b - a == 1 && is_compound_modifier(tok(a)))
                {
                    continue;
                }
                found_spans.push((si, a, b, kind));
            }
        }
        // "Maher al-Sharaa": a name whose first word is a particle surname ("al-", "bin")
        // takes the untagged capitalised word before it as its given name, and is a person.
        let starts: std::collections::HashSet<usize> = found_spans.iter().map(|x| x.1).collect();
        let ends: std::collections::HashSet<usize> = found_spans.iter().map(|x| x.2).collect();
        for span in found_spans.iter_mut() {
            let (si, a, _, _) = *span;
            let first = l.tokens[a].text(text).to_lowercase();
            let particle = ["al-", "el-", "bin ", "ibn "]
                .iter()
                .any(|p| first.starts_with(p.trim_end()))
                && first.contains('-');
            let s0 = l.sentences[si].tokens.start;
            if particle && a > s0 + 1 && !ends.contains(&a) && !starts.contains(&(a - 1)) {
                let prev = l.tokens[a - 1].text(text);
                let capital = prev.chars().next().is_some_and(char::is_uppercase)
                    && prev.chars().all(char::is_alphabetic)
                    && !entities::is_role_word(prev);
                if capital {
                    span.1 = a - 1;
                    span.3 = EntityKind::Person;
                }
            }
        }
        for &(si, a, b, kind) in &found_spans {
            let s = &l.sentences[si];
            let roles = if kind == EntityKind::Person {
                let others: Vec<(std::ops::Range<usize>, EntityKind)> = found_spans
                    .iter()
                    .filter(|x| x.0 == si && x.1 != a)
                    .map(|x| (x.1..x.2, x.3))
                    .collect();
                entities::roles_around(text, &l.tokens, s.tokens.clone(), a..b, &others)
            } else {
                Vec::new()
            };
            l.raw_mentions.push(RawMention {
                start: l.tokens[a].start,
                end: l.tokens[b - 1].end,
                kind,
                tokens: a..b,
                sentence: si,
                sentence_initial: a == s.tokens.start,
                in_heading: l.heading_paragraphs.contains(&s.paragraph),
                roles,
            });
        }
        l.timexes = self.timexes(
            text,
            anchor_date(article.published.as_deref()),
            AnchorFrom::Published,
        );
        // Quantities outside timexes and names.
        let blocked = |s: usize, e: usize| {
            l.timexes.iter().any(|t| s < t.end && t.start < e)
                || l.raw_mentions.iter().any(|m| s < m.end && m.start < e)
        };
        let mut qs = Vec::new();
        for s in &l.sentences {
            quantities::sentence_quantities(text, &l.tokens, s.tokens.clone(), &blocked, &mut qs);
        }
        l.quantities = qs;
        l
    }

    /// Annotates one article, or takes its stored model layers ([`Annotations`]) when given:
    /// only the tokenizer runs again (its token indices are what the stored mentions refer to).
    pub fn annotate_or_restore(&self, article: &Article, stored: Option<Annotations>) -> Layers {
        match stored {
            Some(s) => {
                let mut l = structure(article);
                l.raw_mentions = s.raw_mentions;
                l.timexes = s.timexes;
                l.quantities = s.quantities;
                l
            }
            None => self.annotate(article),
        }
    }
}

/// The token layer of an article (as the language layer fills it), for an article loaded
/// without it.
pub fn tokens(article: &Article) -> Vec<Span> {
    spans(&structure(article).tokens)
}

fn spans(tokens: &[Token]) -> Vec<Span> {
    tokens
        .iter()
        .map(|t| Span {
            start: t.start,
            end: t.end,
        })
        .collect()
}

/// Tokens, sentences and subheads of an article: the cheap, rule-based part of the layers.
fn structure(article: &Article) -> Layers {
    let text = article.text.as_str();
    let mut l = Layers::default();
    for (pi, p) in article.paragraphs.iter().enumerate() {
        let first = l.tokens.len();
        tokenize::tokenize_into(text, p.start, p.end, &mut l.tokens);
        tokenize::split_sentences(text, &l.tokens, first..l.tokens.len(), pi, &mut l.sentences);
        if p.heading {
            l.heading_paragraphs.push(pi);
        }
    }
    l
}

/// The layers of one article that the models compute (named entities before linking,
/// timexes against the article's own date, quantities): what a store keeps so that a later
/// run need not compute them again. Token indices refer to the tokenizer of the build that
/// wrote them; [`ANNOTATIONS_VERSION`] changes when they would differ.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Annotations {
    pub raw_mentions: Vec<RawMention>,
    pub timexes: Vec<model::Timex>,
    pub quantities: Vec<model::Quantity>,
}

/// Version of [`Annotations`]: bumped with any change of the tokenizer, the models or the
/// rules that makes a fresh annotation differ from a stored one, so stores recompute them.
pub const ANNOTATIONS_VERSION: i64 = 1;

impl Annotations {
    fn of(l: &Layers) -> Annotations {
        Annotations {
            raw_mentions: l.raw_mentions.clone(),
            timexes: l.timexes.clone(),
            quantities: l.quantities.clone(),
        }
    }
}

/// A hyphenated modifier that is not a name itself: "Russia-backed", "US-brokered",
/// "post-Assad", "Kurdish-led".
fn is_compound_modifier(w: &str) -> bool {
    let parts: Vec<&str> = w.split(['-', '‐', '‑']).collect();
    if parts.len() < 2 {
        return false;
    }
    let last = parts[parts.len() - 1];
    let first = parts[0].to_lowercase();
    let lower_tail = last.chars().next().is_some_and(char::is_lowercase);
    let prefix = matches!(
        first.as_str(),
        "post" | "pre" | "anti" | "pro" | "ex" | "non" | "neo" | "mid"
    );
    // "al-Sharaa", "Abu-Ali" keep: their last part is capitalised and the first is no prefix.
    lower_tail || prefix
}

/// Annotates every article (in parallel), links entities run-wide, and fills each article's
/// `sentences`, `mentions`, `timexes` and `quantities`. Returns the entity table, most
/// mentioned first.
pub fn annotate_all(articles: &mut [Article]) -> Vec<Entity> {
    let none = vec![None; articles.len()];
    annotate_all_restoring(articles, none).0
}

/// [`annotate_all`], taking each article's model layers from `stored` where given (same
/// order as `articles`). Also returns the annotations computed here (`None` where they were
/// restored), for the caller to store. Linking runs over every article with no stored
/// entities, so the result equals [`annotate_all`]'s.
pub fn annotate_all_restoring(
    articles: &mut [Article],
    stored: Vec<Option<Annotations>>,
) -> (Vec<Entity>, Vec<Option<Annotations>>) {
    let mut pending = annotate_pending(articles, stored);
    let computed = pending.take_computed();
    let records = pending.link(articles, Vec::new());
    (records.into_iter().map(|r| r.entity).collect(), computed)
}

/// A batch of articles annotated by the models, waiting to be linked against the stored
/// entities (see [`Pending::link`]).
pub struct Pending {
    layers: Vec<Layers>,
    computed: Vec<Option<Annotations>>,
}

/// Annotates a batch of articles (in parallel), taking each article's model layers from
/// `stored` where given (same order as `articles`); entities are linked by [`Pending::link`].
pub fn annotate_pending(articles: &[Article], stored: Vec<Option<Annotations>>) -> Pending {
    annotate_pending_counted(articles, stored, &|| {})
}

/// [`annotate_pending`], calling `done` after each article (for progress).
pub fn annotate_pending_counted(
    articles: &[Article],
    stored: Vec<Option<Annotations>>,
    done: &(dyn Fn() + Sync),
) -> Pending {
    let ann = Annotator::global();
    let (layers, computed) = articles
        .par_iter()
        .zip(stored)
        .map(|(a, s)| {
            let fresh = s.is_none();
            let l = ann.annotate_or_restore(a, s);
            let c = fresh.then(|| Annotations::of(&l));
            done();
            (l, c)
        })
        .unzip();
    Pending { layers, computed }
}

impl Pending {
    /// The annotations computed here (`None` where restored, or once taken), for the caller to
    /// store.
    pub fn computed(&self) -> &[Option<Annotations>] {
        &self.computed
    }

    /// Moves the computed annotations out (storing them needs no copy).
    pub fn take_computed(&mut self) -> Vec<Option<Annotations>> {
        let n = self.computed.len();
        std::mem::replace(&mut self.computed, vec![None; n])
    }

    /// Every lookup key this batch's mentions need (sorted, distinct): the caller fetches from
    /// the store exactly the records having any of them ([`EntityRecord::keys`]).
    pub fn lookup_keys(&self, articles: &[Article]) -> Vec<String> {
        let mut keys = std::collections::HashSet::new();
        for (a, l) in articles.iter().zip(&self.layers) {
            for m in &l.raw_mentions {
                let key = entities::name_key(&a.text[m.start..m.end]);
                // Any name may be a surname: its kind is settled only when linking.
                keys.insert(entities::record::surname_lookup(&key));
                keys.insert(entities::record::name_lookup(&key));
            }
        }
        let mut keys: Vec<String> = keys.into_iter().collect();
        keys.sort_unstable();
        keys
    }

    /// Links the batch against `known` (the stored records found under
    /// [`Pending::lookup_keys`]), fills each article's `sentences`, `mentions`, `timexes` and
    /// `quantities`, and returns every record the batch touched (new ones, and known ones grown
    /// by its mentions), most mentioned first: the caller replaces those in the store.
    pub fn link(self, articles: &mut [Article], known: Vec<EntityRecord>) -> Vec<EntityRecord> {
        assert_eq!(articles.len(), self.layers.len(), "the articles annotated");
        let views: Vec<entities::ArticleView<'_>> = articles
            .iter()
            .zip(&self.layers)
            .map(|(a, l)| entities::ArticleView {
                text: &a.text,
                layers: l,
            })
            .collect();
        let (mut records, mentions) = entities::link(&views, known);
        drop(views);
        for ((a, l), m) in articles.iter_mut().zip(self.layers).zip(mentions) {
            a.names = entities::mention_names(&a.text, &l.raw_mentions, EVENT_NAMES);
            a.tokens = spans(&l.tokens);
            a.sentences = l
                .sentences
                .iter()
                .map(|s| Span {
                    start: s.span.start,
                    end: s.span.end,
                })
                .collect();
            a.mentions = m;
            a.timexes = l.timexes;
            a.quantities = l.quantities;
        }
        records.sort_by(|a, b| {
            (b.entity.mentions.cmp(&a.entity.mentions)).then(a.entity.name.cmp(&b.entity.name))
        });
        records
    }
}

#[cfg(test)]
mod tests;
