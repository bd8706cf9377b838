//! The stages after dedup, over a run's batch (the articles not processed yet), against the
//! corpus processed before ([`Context`]): each stage reads what the batch touches and returns
//! what it adds or changes, so that a run over a store of any size costs what its batch and
//! the threads it reaches cost.
//!
//! 1. [`annotate`]: the language layer of the batch (stored annotations reused), entities
//!    linked against the stored entity records the batch's names look up.
//! 2. [`stories`]: the batch joins events and threads, continuing from the stored state;
//!    the events and threads it touched are shown again from their members.
//! 3. [`origins`]: independent origins, widened against the stored articles the batch copies.
//! 4. [`claims`]: the threads the batch reaches (new originals, merged events or threads,
//!    changed event dates) are judged again from their articles' readings.

use std::collections::{BTreeSet, HashMap, HashSet};

use model::{Article, Entity, Event, Thread};
use rayon::prelude::*;
use store::StoreError;

use crate::Progress;
use crate::context::Context;
use crate::records;

/// What a run's processing made: the batch with every layer, and every run-level object it
/// added or changed.
pub(crate) struct Processed {
    /// The batch, with sentences, mentions, timexes, quantities, event, independent origin.
    pub articles: Vec<Article>,
    /// Entity records the batch added or extended.
    pub entities: Vec<lang::EntityRecord>,
    /// Annotations computed here (encoded), by article.
    pub annotations: Vec<(String, Vec<u8>)>,
    pub stories: stories::Changes,
    /// Records of stored events moved to another thread by a merge of threads, and stored
    /// members moved to another event by a merge of events.
    pub rethreaded: Vec<stories::EventRecord>,
    pub renamed_members: Vec<stories::Member>,
    /// Every member of each event shown, by event.
    pub members: HashMap<String, Vec<stories::Member>>,
    /// Events and threads the run added or changed, as the model shows them.
    pub events: Vec<Event>,
    pub threads: Vec<Thread>,
    /// The claims layer of every thread judged here, in order of first article.
    pub claims: Vec<(String, claims::Corroboration)>,
    /// Readings made here, for the store.
    pub readings: Vec<claims::reading::Read>,
    /// Threads whose claims were left for later ([`crate::Options::claims_later`]).
    pub deferred: Vec<String>,
    pub articles_read: usize,
    pub readings_reused: usize,
}

/// Runs the stages over `articles` (the batch, in insertion order).
pub(crate) fn run(
    cx: &mut dyn Context,
    mut articles: Vec<Article>,
    progress: &dyn Progress,
    claims_later: bool,
) -> Result<Processed, StoreError> {
    progress.stage("annotate", articles.len() as u64);
    let (entities, annotations) = annotate(cx, &mut articles, progress)?;
    progress.finish();
    progress.stage("stories", articles.len() as u64);
    let shown = stories(cx, &mut articles, &entities, progress)?;
    progress.finish();
    // Origins widen after events are formed (they must not force events together) and
    // before claims count them.
    progress.stage("origins", 0);
    origins(cx, &mut articles)?;
    progress.finish();
    let (judged, deferred) = match claims_later {
        true => (
            unjudged(),
            threads_to_judge(&articles, &shown).into_iter().collect(),
        ),
        false => (
            claims(cx, &articles, &entities, &shown, progress)?,
            Vec::new(),
        ),
    };
    Ok(Processed {
        articles,
        entities,
        annotations,
        stories: shown.changes,
        rethreaded: shown.rethreaded,
        renamed_members: shown.renamed_members,
        members: shown.members,
        events: shown.events,
        threads: shown.threads,
        claims: judged.parts,
        readings: judged.readings,
        deferred,
        articles_read: judged.articles_read,
        readings_reused: judged.readings_reused,
    })
}

fn ids(articles: &[Article]) -> Vec<String> {
    articles.iter().map(|a| a.id.clone()).collect()
}

/// Encoded layers by article id.
type Encoded = Vec<(String, Vec<u8>)>;

/// The language layer of the batch; returns the entity records it touched and the
/// annotations it computed (encoded, for the store).
fn annotate(
    cx: &mut dyn Context,
    articles: &mut [Article],
    progress: &dyn Progress,
) -> Result<(Vec<lang::EntityRecord>, Encoded), StoreError> {
    let stored = cx.annotations(&ids(articles))?;
    // An unreadable stored annotation is computed again, not an error.
    let restored: Vec<Option<lang::Annotations>> = articles
        .par_iter()
        .map(|a| records::decode(stored.get(&a.id)?))
        .collect();
    drop(stored);
    let pending = lang::annotate_pending_counted(articles, restored, &|| progress.advance(1));
    let computed: Vec<(String, Vec<u8>)> = (articles.par_iter().zip(pending.computed()))
        .filter_map(|(a, c)| Some((a.id.clone(), records::encode(c.as_ref()?))))
        .collect();
    let known = cx.entities_by_key(&pending.lookup_keys(articles))?;
    let touched = pending.link(articles, known);
    Ok((touched, computed))
}

/// The model's entities of entity records.
pub(crate) fn entities_of(records: &[lang::EntityRecord]) -> Vec<Entity> {
    records.iter().map(|r| r.entity.clone()).collect()
}

/// What the stories stage changed, and the events and threads it touched, shown anew.
pub(crate) struct Shown {
    pub changes: stories::Changes,
    pub events: Vec<Event>,
    pub threads: Vec<Thread>,
    /// Stored events (as they were shown before this run) of the threads touched.
    pub before: Vec<Event>,
    /// Records of stored events whose thread was merged away (now naming the kept one).
    pub rethreaded: Vec<stories::EventRecord>,
    /// Stored members of events merged away (now naming the kept event).
    pub renamed_members: Vec<stories::Member>,
    /// Every member of each event shown, by event.
    pub members: HashMap<String, Vec<stories::Member>>,
}

/// Events and threads for the batch. Copies of stored originals join their originals'
/// events; the others are added in batch order (date, then id), so the outcome does not
/// depend on file order. Articles without `published` then resolve their relative dates
/// against their event's date (`anchor_from: inferred`).
fn stories(
    cx: &mut dyn Context,
    articles: &mut [Article],
    entities: &[lang::EntityRecord],
    progress: &dyn Progress,
) -> Result<Shown, StoreError> {
    let mut c = stories::Clusterer::resume(stories::StoryConfig::default(), cx.stories_state()?);
    c.set_entities(&entities_of(entities));
    if let Some(known) = cx.event_candidates().filter(|k| k.covers(articles)) {
        c.give_candidates(known.take());
    }
    let known = stored_origin_events(cx, articles)?;
    c.know_origins(known).map_err(|e| StoreError::Corrupt {
        location: String::new(),
        table: "records",
        detail: format!("stories: {e}"),
    })?;
    for a in stories::batch_order(articles) {
        c.add(a);
        progress.advance(1);
    }
    c.settle();
    // Names are the stories stage's input alone (a stored article has none).
    articles.iter_mut().for_each(|a| a.names = Vec::new());
    let changes = c.changes();
    let event_of: HashMap<&str, &str> = (changes.members.iter())
        .map(|m| (m.id.as_str(), m.event.as_str()))
        .collect();
    for a in articles.iter_mut() {
        a.event = event_of.get(a.id.as_str()).map(|e| e.to_string());
    }
    let ShownEvents {
        mut events,
        members,
        renamed: renamed_members,
    } = show_events(cx, &changes)?;
    let (threads, before) = show_threads(cx, &changes, &events)?;
    let rethreaded = rethread(cx, &changes, &before, &mut events)?;
    infer_anchors(articles, &events);
    Ok(Shown {
        changes,
        events,
        threads,
        before,
        rethreaded,
        renamed_members,
        members,
    })
}

/// Stored events of threads merged away in this run that the run did not otherwise change:
/// their records and views name the kept thread from now on.
fn rethread(
    cx: &mut dyn Context,
    ch: &stories::Changes,
    before: &[Event],
    shown: &mut Vec<Event>,
) -> Result<Vec<stories::EventRecord>, StoreError> {
    let rename = renamer(&ch.merged_threads);
    let gone_events: HashSet<&str> = ch.merged_events.iter().map(|(g, _)| g.as_str()).collect();
    let fresh: HashSet<String> = shown.iter().map(|e| e.id.clone()).collect();
    let stale: Vec<Event> = (before.iter())
        .filter(|e| rename(&e.thread) != e.thread)
        .filter(|e| !fresh.contains(&e.id) && !gone_events.contains(e.id.as_str()))
        .cloned()
        .collect();
    let ids: Vec<String> = stale.iter().map(|e| e.id.clone()).collect();
    let mut records = cx.event_records(&ids)?;
    let members = cx.members_of(&ids)?;
    for r in &mut records {
        r.thread = rename(&r.thread);
        let list = members.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        shown.push(stories::event_of(r, list));
    }
    Ok(records)
}

/// The stored events (with their threads) of the stored originals that the batch's copies
/// copy.
fn stored_origin_events(
    cx: &mut dyn Context,
    articles: &[Article],
) -> Result<Vec<stories::Known>, StoreError> {
    let batch: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let mut origins: Vec<String> = (articles.iter())
        .filter(|a| a.origin != a.id && !batch.contains(a.origin.as_str()))
        .map(|a| a.origin.clone())
        .collect();
    origins.sort_unstable();
    origins.dedup();
    let members = cx.members(&origins)?;
    let events = cx.event_records(&distinct(members.iter().map(|m| m.event.clone())))?;
    let threads = cx.thread_records(&distinct(events.iter().map(|e| e.thread.clone())))?;
    let events: HashMap<&str, &stories::EventRecord> =
        events.iter().map(|r| (r.id.as_str(), r)).collect();
    let threads: HashMap<&str, &stories::ThreadRecord> =
        threads.iter().map(|r| (r.id.as_str(), r)).collect();
    Ok(members
        .into_iter()
        .filter_map(|m| {
            let event = *events.get(m.event.as_str())?;
            let thread = *threads.get(event.thread.as_str())?;
            Some(stories::Known {
                origin: m.id,
                event: event.clone(),
                thread: thread.clone(),
            })
        })
        .collect())
}

/// The distinct values, sorted.
fn distinct(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = it.collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Where ids merged away in this run now live (following chains of merges).
fn renamer(merged: &[(String, String)]) -> impl Fn(&str) -> String + '_ {
    let into: HashMap<&str, &str> = merged
        .iter()
        .map(|(g, k)| (g.as_str(), k.as_str()))
        .collect();
    move |id: &str| {
        let mut cur = id;
        while let Some(next) = into.get(cur) {
            cur = next;
        }
        cur.to_string()
    }
}

/// The events the run changed, shown from their records and all their members.
struct ShownEvents {
    events: Vec<Event>,
    /// Every member of each event shown (stored ones, those of events merged into it, and
    /// the new ones), by event.
    members: HashMap<String, Vec<stories::Member>>,
    /// Stored members of events merged away, now naming the kept event.
    renamed: Vec<stories::Member>,
}

fn show_events(cx: &mut dyn Context, ch: &stories::Changes) -> Result<ShownEvents, StoreError> {
    let rename = renamer(&ch.merged_events);
    let touched: HashSet<&str> = ch.events.iter().map(|e| e.id.as_str()).collect();
    let mut wanted: Vec<String> = touched.iter().map(|s| s.to_string()).collect();
    wanted.extend(
        (ch.merged_events.iter())
            .filter(|(g, _)| touched.contains(rename(g).as_str()))
            .map(|(g, _)| g.clone()),
    );
    wanted.sort_unstable();
    let mut stored: Vec<(String, Vec<stories::Member>)> =
        cx.members_of(&wanted)?.into_iter().collect();
    stored.sort_by(|a, b| a.0.cmp(&b.0));
    let mut members: HashMap<String, Vec<stories::Member>> = HashMap::new();
    let mut renamed = Vec::new();
    for (event, list) in stored {
        let kept = rename(&event);
        if kept == event {
            members.entry(event).or_default().extend(list);
            continue;
        }
        for mut m in list {
            m.event = kept.clone();
            renamed.push(m.clone());
            members.entry(kept.clone()).or_default().push(m);
        }
    }
    for m in &ch.members {
        members.entry(m.event.clone()).or_default().push(m.clone());
    }
    let events = (ch.events.par_iter())
        .map(|r| stories::event_of(r, members.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    Ok(ShownEvents {
        events,
        members,
        renamed,
    })
}

/// The threads the run changed (their events: stored ones, renamed, and the ones shown
/// anew), and the stored events of those threads as they were before this run.
fn show_threads(
    cx: &mut dyn Context,
    ch: &stories::Changes,
    shown: &[Event],
) -> Result<(Vec<Thread>, Vec<Event>), StoreError> {
    let rename_thread = renamer(&ch.merged_threads);
    let rename_event = renamer(&ch.merged_events);
    let mut wanted: BTreeSet<String> = ch.threads.iter().map(|t| t.id.clone()).collect();
    wanted.extend(ch.merged_threads.iter().map(|(g, _)| g.clone()));
    wanted.extend(shown.iter().map(|e| e.thread.clone()));
    let before = cx.events_of(&wanted.into_iter().collect::<Vec<_>>())?;
    let fresh: HashMap<&str, &Event> = shown.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut by_thread: HashMap<String, Vec<Event>> = HashMap::new();
    for e in &before {
        if fresh.contains_key(e.id.as_str()) || rename_event(&e.id) != e.id {
            continue;
        }
        let mut e = e.clone();
        e.thread = rename_thread(&e.thread);
        by_thread.entry(e.thread.clone()).or_default().push(e);
    }
    for e in shown {
        by_thread
            .entry(e.thread.clone())
            .or_default()
            .push(e.clone());
    }
    let threads = ch
        .threads
        .iter()
        .map(|r| {
            stories::thread_of(
                r,
                by_thread
                    .get(r.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
            )
        })
        .collect();
    Ok((threads, before))
}

/// Relative dates of articles without their own date, resolved against their event's date.
fn infer_anchors(articles: &mut [Article], events: &[Event]) {
    let by_id: HashMap<&str, &Event> = events.iter().map(|e| (e.id.as_str(), e)).collect();
    let ann = lang::Annotator::global();
    articles.par_iter_mut().for_each(|a| {
        let Some(e) = a.event.as_deref().and_then(|e| by_id.get(e)) else {
            return;
        };
        if let Some(anchor) = stories::inferred_anchor(a, e) {
            a.timexes = ann.timexes(&a.text, Some(anchor), model::AnchorFrom::Inferred);
        }
    });
}

/// Independent origins of the batch: copies, rewrites and shared wire passages join, also
/// with the stored articles the batch copies (whose origins stay as stored).
fn origins(cx: &mut dyn Context, articles: &mut Vec<Article>) -> Result<(), StoreError> {
    let batch: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let mut partners: Vec<String> = articles
        .iter()
        .flat_map(|a| {
            let copied = a.paragraphs.iter().filter_map(|p| p.copy_of.as_ref());
            copied
                .map(|r| r.article.clone())
                .chain(std::iter::once(a.origin.clone()))
        })
        .filter(|id| !batch.contains(id.as_str()))
        .collect();
    partners.sort_unstable();
    partners.dedup();
    let mut all = cx.articles(&partners)?;
    let frozen = all.len();
    all.append(articles);
    claims::origins::widen_after(&mut all, frozen);
    *articles = all.split_off(frozen);
    Ok(())
}

/// The claims layers of the threads the run reaches.
fn unjudged() -> claims::parts::Judged {
    claims::parts::Judged {
        parts: Vec::new(),
        readings: Vec::new(),
        articles_read: 0,
        readings_reused: 0,
    }
}

fn claims(
    cx: &mut dyn Context,
    batch: &[Article],
    entities: &[lang::EntityRecord],
    shown: &Shown,
    progress: &dyn Progress,
) -> Result<claims::parts::Judged, StoreError> {
    let threads = threads_to_judge(batch, shown);
    let events = thread_events(shown, &threads);
    let articles = thread_articles(cx, batch, &shown.members, &events)?;
    judge_articles(cx, batch, articles, entities, &events, progress)
}

/// The claims layers of the threads of `events`, from their original `articles` (the
/// batch's, and stored ones whose stored readings are taken when current).
pub(crate) fn judge_articles(
    cx: &mut dyn Context,
    batch: &[Article],
    articles: Vec<Article>,
    entities: &[lang::EntityRecord],
    events: &[Event],
    progress: &dyn Progress,
) -> Result<claims::parts::Judged, StoreError> {
    let in_batch: HashSet<&str> = batch.iter().map(|b| b.id.as_str()).collect();
    let stored: Vec<String> = (articles.iter())
        .filter(|a| !in_batch.contains(a.id.as_str()))
        .map(|a| a.id.clone())
        .collect();
    let cache = Readings(cx.readings(&stored)?);
    let entities = reading_entities(cx, &articles, &cache, entities)?;
    let aligner = claims::align::Aligner::shipped();
    progress.stage("claims", articles.len() as u64);
    let judged =
        claims::parts::judge_counted(&articles, &entities, events, aligner, &cache, &|n| {
            progress.advance(n as u64)
        });
    progress.finish();
    Ok(judged)
}

/// Threads whose claims the run changes: those of the batch's originals (copies read
/// nothing), those events or threads were merged into, and those holding an event whose
/// date changed (dates of recurring happenings and running tallies are judged against it).
fn threads_to_judge(batch: &[Article], shown: &Shown) -> BTreeSet<String> {
    let thread_of: HashMap<&str, &str> = (shown.events.iter())
        .map(|e| (e.id.as_str(), e.thread.as_str()))
        .collect();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for a in batch.iter().filter(|a| a.duplicate_of.is_none()) {
        if let Some(t) = a.event.as_deref().and_then(|e| thread_of.get(e)) {
            out.insert(t.to_string());
        }
    }
    let ch = &shown.changes;
    let rename = renamer(&ch.merged_threads);
    out.extend(ch.merged_threads.iter().map(|(_, k)| rename(k)));
    let merged_into: HashSet<String> = ch.merged_events.iter().map(|(_, k)| k.clone()).collect();
    let before: HashMap<&str, &Event> = shown.before.iter().map(|e| (e.id.as_str(), e)).collect();
    for e in &shown.events {
        let moved = before.get(e.id.as_str()).is_none_or(|b| b.date != e.date);
        if merged_into.contains(&e.id) || moved {
            out.insert(e.thread.clone());
        }
    }
    out
}

/// Every event of the threads to judge: shown anew where the run changed it, as stored
/// otherwise (those merged away left out).
fn thread_events(shown: &Shown, threads: &BTreeSet<String>) -> Vec<Event> {
    let ch = &shown.changes;
    let rename_thread = renamer(&ch.merged_threads);
    let gone: HashSet<&str> = ch.merged_events.iter().map(|(g, _)| g.as_str()).collect();
    let fresh: HashSet<&str> = shown.events.iter().map(|e| e.id.as_str()).collect();
    let mut out: Vec<Event> = shown
        .events
        .iter()
        .filter(|e| threads.contains(&e.thread))
        .cloned()
        .collect();
    for e in &shown.before {
        let thread = rename_thread(&e.thread);
        if threads.contains(&thread)
            && !gone.contains(e.id.as_str())
            && !fresh.contains(e.id.as_str())
        {
            let mut e = e.clone();
            e.thread = thread;
            out.push(e);
        }
    }
    out
}

/// The original (non-copy) articles of `events`, stored ones (in insertion order) then the
/// batch's, each with its event.
pub(crate) fn thread_articles(
    cx: &mut dyn Context,
    batch: &[Article],
    shown: &HashMap<String, Vec<stories::Member>>,
    events: &[Event],
) -> Result<Vec<Article>, StoreError> {
    let in_batch: HashSet<&str> = batch.iter().map(|a| a.id.as_str()).collect();
    let wanted: HashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let unshown: Vec<String> = (events.iter())
        .filter(|e| !shown.contains_key(&e.id))
        .map(|e| e.id.clone())
        .collect();
    let stored_members = cx.members_of(&unshown)?;
    let mut event_of: HashMap<String, String> = HashMap::new();
    let all = (shown.iter())
        .filter(|(e, _)| wanted.contains(e.as_str()))
        .chain(&stored_members);
    for (e, list) in all {
        for m in list.iter().filter(|m| m.origin == m.id) {
            if !in_batch.contains(m.id.as_str()) {
                event_of.insert(m.id.clone(), e.clone());
            }
        }
    }
    let stored_ids: Vec<String> = event_of.keys().cloned().collect();
    let mut stored = cx.articles(&stored_ids)?;
    stored.retain(|a| a.duplicate_of.is_none());
    for a in &mut stored {
        a.event = event_of.get(&a.id).cloned();
    }
    stored.extend(
        (batch.iter())
            .filter(|a| a.event.as_deref().is_some_and(|e| wanted.contains(e)))
            .cloned(),
    );
    Ok(stored)
}

/// The entities the judged articles' readings need: the batch's, and those mentioned by
/// stored articles whose reading must be made again.
fn reading_entities(
    cx: &mut dyn Context,
    articles: &[Article],
    cache: &Readings,
    touched: &[lang::EntityRecord],
) -> Result<Vec<Entity>, StoreError> {
    let mut out = entities_of(touched);
    let have: HashSet<String> = out.iter().map(|e| e.id.clone()).collect();
    let mut missing: Vec<String> = (articles.iter())
        .filter(|a| !cache.0.contains_key(&a.id))
        .flat_map(|a| a.mentions.iter().map(|m| m.entity.clone()))
        .filter(|e| !have.contains(e))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    out.extend(entities_of(&cx.entities(&missing)?));
    Ok(out)
}

/// Stored readings, by article.
struct Readings(HashMap<String, claims::reading::ArticleReading>);

impl claims::reading::ReadingCache for Readings {
    fn get(&self, article: &str) -> Option<claims::reading::ArticleReading> {
        self.0.get(article).cloned()
    }
}
