//! What the claims stage reads from one article on its own, before any other article is
//! looked at: its typed claims as extracted, and the statements of its checkable sentences
//! with their typed values.
//!
//! Reading is most of the claims stage's work (every checkable sentence is parsed), and it
//! depends only on the article's own layers and the names of the entities it mentions, which
//! do not change once an article is stored. A store keeps each article's [`ArticleReading`]
//! (under [`crate::parts::CLAIMS_VERSION`]), so a thread that new articles reach is judged
//! again without reading its stored articles again. A copy reads nothing: it repeats its
//! origin's claims, which are listed once, under the origin.

use model::{Article, Entity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::extract::{Extractor, RawClaim};
use crate::statement::Statement;
use crate::values::Slot;
use crate::{frames, statement, values};

/// One article's claims before placement in a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleReading {
    pub typed: Vec<RawClaim>,
    /// Statements of the article's checkable sentences (none for a copy, which repeats its
    /// original's), with their typed values.
    pub statements: Vec<(Statement, Vec<Slot>)>,
}

impl ArticleReading {
    /// Reads article `a`, the `ai`-th of its run.
    pub fn new(ai: usize, a: &Article, ex: &Extractor) -> ArticleReading {
        if a.duplicate_of.is_some() {
            return ArticleReading {
                typed: Vec::new(),
                statements: Vec::new(),
            };
        }
        ArticleReading {
            typed: ex.article(a),
            statements: read_statements(ai, a),
        }
    }

    /// The reading for the article placed at index `ai` of this run.
    pub fn at(mut self, ai: usize) -> ArticleReading {
        for (s, _) in &mut self.statements {
            s.article = ai;
        }
        self
    }
}

fn read_statements(ai: usize, a: &Article) -> Vec<(Statement, Vec<Slot>)> {
    if a.duplicate_of.is_some() {
        return Vec::new();
    }
    (0..a.sentences.len())
        .filter(|&si| statement::is_checkable(a, si))
        .map(|si| {
            let span = a.sentences[si];
            let tokens = frames::sentence_tokens(a, span.start, span.end);
            let parsed = frames::Parsed::of(&a.text, &tokens);
            let st = statement::read(a, ai, si, &parsed);
            let slots = values::slots(a, &st, &parsed);
            (st, slots)
        })
        .collect()
}

/// Article readings already made, by article id.
pub trait ReadingCache: Sync {
    fn get(&self, article: &str) -> Option<ArticleReading>;
    /// Whether signatures are worth computing (a cache that never holds anything says no).
    fn keeps(&self) -> bool {
        true
    }
}

/// No reading is known: every article is read.
impl ReadingCache for () {
    fn get(&self, _: &str) -> Option<ArticleReading> {
        None
    }
    fn keeps(&self) -> bool {
        false
    }
}

/// A reading made in a run, for a cache to keep.
pub struct Read {
    pub article: String,
    pub reading: ArticleReading,
}

/// The readings of `articles` in order, from `cache` where it holds them; those made here
/// are returned too when the cache keeps readings.
pub fn read_all(
    articles: &[Article],
    entities: &[Entity],
    cache: &dyn ReadingCache,
) -> (Vec<ArticleReading>, Vec<Read>) {
    let ex = Extractor::new(entities);
    let out: Vec<(ArticleReading, Option<Read>)> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| {
            if !cache.keeps() {
                return (ArticleReading::new(ai, a, &ex), None);
            }
            if let Some(r) = cache.get(&a.id) {
                return (r.at(ai), None);
            }
            let reading = ArticleReading::new(ai, a, &ex);
            let read = Read {
                article: a.id.clone(),
                reading: reading.clone(),
            };
            (reading, Some(read))
        })
        .collect();
    let mut readings = Vec::with_capacity(out.len());
    let mut made = Vec::new();
    for (r, m) in out {
        readings.push(r);
        made.extend(m);
    }
    (readings, made)
}
