//! The run cut into threads: every claim group, pair and conflict lies inside one thread
//! (statements pair within a thread, typed slots are keyed by thread or event, and term
//! weights are a thread's own), so a thread's claims layer is a function of that thread's
//! articles alone, and a store re-judges only the threads that new articles reach.
//!
//! [`parts`] cuts articles into [`Part`]s (one per thread; articles without an event form
//! one more); [`judge`] judges each part from its articles' readings (taken from a
//! [`ReadingCache`] where it holds them, read here otherwise).

use std::collections::HashMap;

use model::{Article, Entity, Event};
use rayon::prelude::*;

use crate::Corroboration;
use crate::align::Aligner;
use crate::reading::{Read, ReadingCache};

/// Bumped whenever extraction changes what an article's reading holds, so readings stored
/// by an older build are read again.
pub const CLAIMS_VERSION: u32 = 2;

/// The key of articles that have no event (the stories stage did not run, or found none).
pub const NO_THREAD: &str = "-";

/// One thread's articles, as indices into the run's articles, in run order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The thread id, or [`NO_THREAD`].
    pub thread: String,
    pub articles: Vec<usize>,
}

/// The run's threads in order of their first article.
pub fn parts(articles: &[Article], events: &[Event]) -> Vec<Part> {
    let thread_of: HashMap<&str, &str> = events
        .iter()
        .map(|e| (e.id.as_str(), e.thread.as_str()))
        .collect();
    let mut order: Vec<Part> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let thread = a
            .event
            .as_deref()
            .and_then(|e| thread_of.get(e).copied())
            .unwrap_or(NO_THREAD);
        let k = *at.entry(thread).or_insert_with(|| {
            order.push(Part {
                thread: thread.to_string(),
                articles: Vec::new(),
            });
            order.len() - 1
        });
        order[k].articles.push(i);
    }
    order
}

/// Each part's claims layer, in part order, and the readings made for them.
pub struct Judged {
    /// `(thread, layer)` per part.
    pub parts: Vec<(String, Corroboration)>,
    /// Readings made here (not found in the cache), for a cache to keep.
    pub readings: Vec<Read>,
    /// Articles read here, and those whose reading the cache held.
    pub articles_read: usize,
    pub readings_reused: usize,
}

impl Judged {
    /// All parts' layers joined in part order.
    pub fn all(&self) -> Corroboration {
        let mut out = Corroboration::default();
        for (_, c) in &self.parts {
            out.claims.extend(c.claims.iter().cloned());
            out.groups.extend(c.groups.iter().cloned());
            out.conflicts.extend(c.conflicts.iter().cloned());
        }
        out
    }
}

/// Judges every part of `articles` (in parallel), reading each article's claims from
/// `readings` where it holds them.
pub fn judge(
    articles: &[Article],
    entities: &[Entity],
    events: &[Event],
    aligner: &Aligner,
    readings: &dyn ReadingCache,
) -> Judged {
    judge_counted(articles, entities, events, aligner, readings, &|_| {})
}

/// [`judge`], calling `done` with the number of articles of each part judged (for progress).
pub fn judge_counted(
    articles: &[Article],
    entities: &[Entity],
    events: &[Event],
    aligner: &Aligner,
    readings: &dyn ReadingCache,
    done: &(dyn Fn(usize) + Sync),
) -> Judged {
    let layers: Vec<(String, Corroboration, Vec<Read>, usize, usize)> = parts(articles, events)
        .into_par_iter()
        .map(|p| {
            let own: Vec<Article> = p.articles.iter().map(|&i| articles[i].clone()).collect();
            let (read, made) = crate::reading::read_all(&own, entities, readings);
            let fresh = if readings.keeps() {
                made.len()
            } else {
                own.len()
            };
            let c = crate::Reading::from_readings(&own, events, read).finish(aligner);
            done(own.len());
            (p.thread, c, made, fresh, own.len() - fresh)
        })
        .collect();
    let mut out = Judged {
        parts: Vec::new(),
        readings: Vec::new(),
        articles_read: 0,
        readings_reused: 0,
    };
    for (thread, c, made, fresh, reused) in layers {
        out.parts.push((thread, c));
        out.readings.extend(made);
        out.articles_read += fresh;
        out.readings_reused += reused;
    }
    out
}
