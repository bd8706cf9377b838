//! The run cut into threads: every claim group, pair and conflict lies inside one thread
//! (statements pair within a thread, typed slots are keyed by thread or event, and term
//! weights are a thread's own), so a thread's claims layer is a function of that thread alone.
//!
//! [`parts`] cuts the articles into [`Part`]s (one per thread; articles without an event form
//! one more), [`Part::signature`] names everything the part's judgement reads (its articles
//! with all their layers, its events, the entities they mention, the claims model), and
//! [`corroborate_parts`] judges the parts a [`PartCache`] does not already hold. A store keeps
//! each thread's layer under its signature, so a run judges again only the threads that new
//! articles (or changed origins, events or entities) touch.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use model::{Article, Entity, Event};
use rayon::prelude::*;

use crate::Corroboration;
use crate::align::Aligner;

/// Bumped whenever extraction or judging changes what a thread's layer holds, so layers
/// stored by an older build are judged again.
pub const CLAIMS_VERSION: u32 = 1;

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

/// Hashes what is written to it (xxh3, 128 bits), so values serialise straight into it.
struct Hasher(xxhash_rust::xxh3::Xxh3);

impl Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Hasher {
    fn put<T: serde::Serialize>(&mut self, v: &T) {
        serde_json::to_writer(&mut *self, v).expect("model types serialise");
        self.0.update(b"\n");
    }
}

/// What the parts of one run read besides their articles.
pub struct Context<'a> {
    entities: HashMap<&'a str, &'a Entity>,
    events_of: HashMap<&'a str, Vec<&'a Event>>,
    model: u64,
}

impl<'a> Context<'a> {
    pub fn new(entities: &'a [Entity], events: &'a [Event], aligner: &Aligner) -> Context<'a> {
        let mut events_of: HashMap<&str, Vec<&Event>> = HashMap::new();
        for e in events {
            events_of.entry(e.thread.as_str()).or_default().push(e);
        }
        for list in events_of.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let mut h = Hasher(xxhash_rust::xxh3::Xxh3::new());
        h.put(&(CLAIMS_VERSION, aligner));
        Context {
            entities: entities.iter().map(|e| (e.id.as_str(), e)).collect(),
            events_of,
            model: h.0.digest(),
        }
    }
}

impl Part {
    /// Names the part's inputs: equal signatures give equal claims layers.
    pub fn signature(&self, articles: &[Article], cx: &Context) -> String {
        let mut h = Hasher(xxhash_rust::xxh3::Xxh3::new());
        h.put(&cx.model);
        h.put(&self.thread);
        let mut mentioned: BTreeSet<&str> = BTreeSet::new();
        for &i in &self.articles {
            let a = &articles[i];
            h.put(a);
            mentioned.extend(a.mentions.iter().map(|m| m.entity.as_str()));
        }
        for e in cx.events_of.get(self.thread.as_str()).into_iter().flatten() {
            h.put(e);
        }
        // An entity's mention count changes with every article that names it anywhere in
        // the run; what the claims read is who it is.
        for id in mentioned {
            if let Some(e) = cx.entities.get(id) {
                h.put(&(&e.id, &e.name, e.kind, &e.aliases, &e.roles));
            }
        }
        format!("{:032x}", h.0.digest128())
    }
}

/// Claims layers already judged, by part signature.
pub trait PartCache: Sync {
    fn get(&self, signature: &str) -> Option<Corroboration>;
    /// Whether signatures are worth computing (a cache that never holds anything says no).
    fn keeps(&self) -> bool {
        true
    }
}

/// No layer is known: every part is judged.
impl PartCache for () {
    fn get(&self, _: &str) -> Option<Corroboration> {
        None
    }
    fn keeps(&self) -> bool {
        false
    }
}

impl PartCache for HashMap<String, Corroboration> {
    fn get(&self, signature: &str) -> Option<Corroboration> {
        HashMap::get(self, signature).cloned()
    }
}

/// One part judged in a run, for a cache to keep.
pub struct Layer {
    pub thread: String,
    pub signature: String,
    pub claims: Corroboration,
}

/// A run's claims layer, and the parts judged in it (not found in the cache).
pub struct Judged {
    pub all: Corroboration,
    pub computed: Vec<Layer>,
    /// Parts judged here, and parts the cache held.
    pub judged: usize,
    pub reused: usize,
}

/// Judges every part `cache` does not hold and joins the layers in part order.
pub fn corroborate_parts(
    articles: &[Article],
    entities: &[Entity],
    events: &[Event],
    aligner: &Aligner,
    cache: &dyn PartCache,
) -> Judged {
    let cx = Context::new(entities, events, aligner);
    let layers: Vec<(Part, String, Corroboration, bool)> = parts(articles, events)
        .into_par_iter()
        .map(|p| {
            let sig = if cache.keeps() {
                p.signature(articles, &cx)
            } else {
                String::new()
            };
            match cache.get(&sig) {
                Some(c) => (p, sig, c, false),
                None => {
                    let own: Vec<Article> =
                        p.articles.iter().map(|&i| articles[i].clone()).collect();
                    let c = crate::Reading::new(&own, entities, events).finish(aligner);
                    (p, sig, c, true)
                }
            }
        })
        .collect();
    let mut all = Corroboration::default();
    let mut computed = Vec::new();
    let judged = layers.iter().filter(|l| l.3).count();
    let reused = layers.len() - judged;
    for (part, signature, c, fresh) in layers {
        if fresh && cache.keeps() {
            computed.push(Layer {
                thread: part.thread,
                signature,
                claims: c.clone(),
            });
        }
        all.claims.extend(c.claims);
        all.groups.extend(c.groups);
        all.conflicts.extend(c.conflicts);
    }
    Judged {
        all,
        computed,
        judged,
        reused,
    }
}
