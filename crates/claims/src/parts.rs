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
use crate::reading::{Read, ReadingCache};

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
pub(crate) struct Hasher(xxhash_rust::xxh3::Xxh3);

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
    pub(crate) fn new() -> Hasher {
        Hasher(xxhash_rust::xxh3::Xxh3::new())
    }

    pub(crate) fn put<T: serde::Serialize>(&mut self, v: &T) {
        serde_json::to_writer(&mut *self, v).expect("model types serialise");
        self.0.update(b"\n");
    }

    /// The digest, as 32 hex digits.
    pub(crate) fn finish(&self) -> String {
        format!("{:032x}", self.0.digest128())
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
        let mut h = Hasher::new();
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
        let mut h = Hasher::new();
        h.put(&cx.model);
        h.put(&self.thread);
        // Each article hashed on its own, in parallel (a thread may hold thousands).
        let digests: Vec<u128> = (self.articles.par_iter())
            .map(|&i| {
                let mut a = Hasher::new();
                a.put(&articles[i]);
                a.0.digest128()
            })
            .collect();
        h.put(&digests);
        let mut mentioned: BTreeSet<&str> = BTreeSet::new();
        for &i in &self.articles {
            mentioned.extend(articles[i].mentions.iter().map(|m| m.entity.as_str()));
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
        h.finish()
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

/// A run's claims layer, the parts judged in it (not found in the cache) and the article
/// readings made for them.
pub struct Judged {
    pub all: Corroboration,
    pub computed: Vec<Layer>,
    pub readings: Vec<Read>,
    /// Parts judged here, and parts the cache held.
    pub judged: usize,
    pub reused: usize,
    /// Articles of the judged parts read here, and those whose reading the cache held.
    pub articles_read: usize,
    pub readings_reused: usize,
}

/// The run's parts, each with its signature and, where the cache holds it, its layer.
pub struct Plan {
    parts: Vec<(Part, String, Option<Corroboration>)>,
    keeps: bool,
}

impl Plan {
    /// Cuts the run into parts and looks each up in `cache`.
    pub fn new(
        articles: &[Article],
        entities: &[Entity],
        events: &[Event],
        aligner: &Aligner,
        cache: &dyn PartCache,
    ) -> Plan {
        let cx = Context::new(entities, events, aligner);
        let parts = parts(articles, events)
            .into_par_iter()
            .map(|p| {
                if !cache.keeps() {
                    return (p, String::new(), None);
                }
                let sig = p.signature(articles, &cx);
                let held = cache.get(&sig);
                (p, sig, held)
            })
            .collect();
        Plan {
            parts,
            keeps: cache.keeps(),
        }
    }

    /// The articles of parts to be judged (their readings are worth fetching), in run order.
    pub fn articles_to_read(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (self.parts.iter())
            .filter(|p| p.2.is_none())
            .flat_map(|p| p.0.articles.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// Judges the parts the cache did not hold, reading their articles from `readings`
    /// where it can, and joins all layers in part order.
    pub fn judge(
        self,
        articles: &[Article],
        entities: &[Entity],
        events: &[Event],
        aligner: &Aligner,
        readings: &dyn ReadingCache,
    ) -> Judged {
        type Made = Option<(Vec<Read>, usize)>;
        let layers: Vec<(Part, String, Corroboration, Made)> = (self.parts)
            .into_par_iter()
            .map(|(p, sig, held)| match held {
                Some(c) => (p, sig, c, None),
                None => {
                    let own: Vec<Article> =
                        p.articles.iter().map(|&i| articles[i].clone()).collect();
                    let (read, made) = crate::reading::read_all(&own, entities, readings);
                    let c = crate::Reading::from_readings(&own, events, read).finish(aligner);
                    let read_here = if readings.keeps() {
                        made.len()
                    } else {
                        own.len()
                    };
                    (p, sig, c, Some((made, read_here)))
                }
            })
            .collect();
        let mut out = Judged {
            all: Corroboration::default(),
            computed: Vec::new(),
            readings: Vec::new(),
            judged: 0,
            reused: 0,
            articles_read: 0,
            readings_reused: 0,
        };
        for (part, signature, c, made) in layers {
            match made {
                None => out.reused += 1,
                Some((made, read_here)) => {
                    out.judged += 1;
                    out.articles_read += read_here;
                    out.readings_reused += part.articles.len() - read_here;
                    out.readings.extend(made);
                    if self.keeps {
                        out.computed.push(Layer {
                            thread: part.thread,
                            signature,
                            claims: c.clone(),
                        });
                    }
                }
            }
            out.all.claims.extend(c.claims);
            out.all.groups.extend(c.groups);
            out.all.conflicts.extend(c.conflicts);
        }
        out
    }
}

/// Judges every part `cache` does not hold and joins the layers in part order.
pub fn corroborate_parts(
    articles: &[Article],
    entities: &[Entity],
    events: &[Event],
    aligner: &Aligner,
    cache: &dyn PartCache,
    readings: &dyn ReadingCache,
) -> Judged {
    Plan::new(articles, entities, events, aligner, cache)
        .judge(articles, entities, events, aligner, readings)
}
