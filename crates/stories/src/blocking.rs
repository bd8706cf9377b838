//! Event candidates by **date window and shared names**: besides the events sharing an
//! article's heaviest terms, the clusterer scores the events of the latest articles published
//! in the same or the previous ten-day window that name one of the same entities.
//!
//! A key is a name (an entity of the article's own mentions, before linking:
//! `model::Article::names`) and a window. An article **posts** its keys when it joins its
//! event and **queries** its names in its own window and the previous one before it is
//! assigned; each key keeps the last [`KEY_CAP`] posts. Keys depend on one article alone,
//! so a cluster finds the candidates as a shuffle by key ([`EventKeys`], written by
//! `crosscheck annotate`; [`shuffle`] is the reduction a Spark job runs for every key), and a
//! run given them ([`Given`]) scores exactly the events a single run finds in its own index.
//! Articles without `published` or without names have no keys (term candidates only).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::features;

/// Days in one window of a key.
pub const WINDOW_DAYS: i32 = 10;
/// Posts a key keeps: a query sees the latest ones.
pub const KEY_CAP: usize = 32;
/// Events found by names that go on to full scoring (those sharing the most posts).
pub const KEY_CANDIDATES: usize = 8;

/// One article's place in the shuffle: what `crosscheck annotate` writes beside its model
/// layers (`event_keys`), and what the clusterer computes for itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventKeys {
    /// Where it comes in a batch: (publication day, article id), the order the clusterer
    /// adds articles in ([`crate::sort_batch`]).
    pub order: (i32, String),
    /// Keys it posts (its names in its window).
    pub post: Vec<u64>,
    /// Keys it queries (its names in its window and the previous one).
    pub query: Vec<u64>,
    /// How many of a key's latest posts a query sees ([`KEY_CAP`]).
    pub cap: usize,
}

/// The keys of an article with a publication day and names, else none.
pub fn event_keys(id: &str, published: Option<&str>, names: &[String]) -> Option<EventKeys> {
    let day = features::day_of(features::parse_day(published?)?);
    if names.is_empty() {
        return None;
    }
    let window = day.div_euclid(WINDOW_DAYS);
    Some(EventKeys {
        order: (day, id.to_string()),
        post: names.iter().map(|n| key(n, window)).collect(),
        query: (names.iter())
            .flat_map(|n| [key(n, window - 1), key(n, window)])
            .collect(),
        cap: KEY_CAP,
    })
}

/// A name in a window: the window in the top 24 bits (so a key tells its window), the name's
/// hash below.
pub fn key(name: &str, window: i32) -> u64 {
    let h = xxhash_rust::xxh3::xxh3_64(name.as_bytes()) & ((1 << 40) - 1);
    ((window as u64 & 0xFF_FFFF) << 40) | h
}

/// The window a key belongs to.
pub(crate) fn window_of(key: u64) -> i32 {
    (key >> 40) as i32
}

/// Candidates found by a shuffle: article id -> (earlier article id, shared posts).
pub type Given = FxHashMap<String, Vec<(String, u32)>>;

/// One post or query of a key, as a shuffle groups them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub order: (i32, String),
    /// A query sorts before a post of the same order: an article never finds itself.
    pub post: bool,
}

/// The reduction of one key's group: for every query, the key's last `cap` posts before it
/// (as article ids). A Spark job runs the same steps over each key's group
/// (`deploy/spark/crosscheck_job.py`); summed over keys per article, they are the
/// article's [`Given`] list.
pub fn shuffle(mut group: Vec<Entry>, cap: usize) -> Vec<(String, Vec<String>)> {
    group.sort();
    let mut posts: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for e in &group {
        if e.post {
            posts.push(&e.order.1);
        } else if !posts.is_empty() {
            let seen = &posts[posts.len().saturating_sub(cap)..];
            out.push((
                e.order.1.clone(),
                seen.iter().map(|s| s.to_string()).collect(),
            ));
        }
    }
    out
}

/// Candidates of every article with keys, as a shuffle finds them: posts and queries grouped
/// by key, each group reduced by [`shuffle`], the lists summed per article ([`collect`]);
/// every article with keys is listed, with no candidates when none came before it. What the
/// Spark job computes, on one machine.
pub fn find_all<'a>(keys: impl IntoIterator<Item = &'a EventKeys>) -> Given {
    let mut groups: FxHashMap<u64, Vec<Entry>> = FxHashMap::default();
    let mut keyed = Vec::new();
    for k in keys {
        keyed.push(k.order.1.clone());
        for (list, post) in [(&k.post, true), (&k.query, false)] {
            for &key in list {
                let order = k.order.clone();
                groups.entry(key).or_default().push(Entry { order, post });
            }
        }
    }
    let mut given = collect(groups.into_values().flat_map(|g| shuffle(g, KEY_CAP)));
    keyed.into_iter().for_each(|id| {
        given.entry(id).or_default();
    });
    given
}

/// Sums per-key lists into each article's candidates (id, shared posts), sorted by id.
pub fn collect(lists: impl IntoIterator<Item = (String, Vec<String>)>) -> Given {
    let mut counts: FxHashMap<String, FxHashMap<String, u32>> = FxHashMap::default();
    for (article, seen) in lists {
        let c = counts.entry(article).or_default();
        seen.into_iter().for_each(|s| *c.entry(s).or_default() += 1);
    }
    (counts.into_iter())
        .map(|(a, c)| {
            let mut v: Vec<(String, u32)> = c.into_iter().collect();
            v.sort();
            (a, v)
        })
        .collect()
}
