//! The corpus a run returns: what it changed (from its processing), or the whole store
//! (from the stored layers: nothing is computed again). Both follow one order, so that a run
//! without a store, the changes of a run into an empty store and that store loaded are the
//! same corpus: documents and articles in insertion order, entities most mentioned first
//! (then by name and id), events by date then id, threads by their first event, claims
//! layers by the first article of their thread.

use std::collections::HashMap;

use model::{Article, Document, Event, Thread};
use store::{Store, StoreError};

use crate::context::decode_or_corrupt;
use crate::process::Processed;
use crate::records::{self, ArticleLayers};
use crate::{Analysis, RunReport};

/// New documents and articles that were not processed (`annotate` off).
pub(crate) fn unprocessed(
    documents: Vec<Document>,
    mut articles: Vec<Article>,
    report: RunReport,
) -> Analysis {
    crate::fill_copy_links(&mut articles);
    Analysis {
        documents,
        articles,
        report,
        ..Analysis::default()
    }
}

/// What a run processed and changed.
pub(crate) fn changes(documents: Vec<Document>, p: Processed, mut report: RunReport) -> Analysis {
    report.threads_judged = p.claims.len();
    report.articles_read = p.articles_read;
    report.readings_reused = p.readings_reused;
    let mut articles = p.articles;
    crate::fill_copy_links(&mut articles);
    let ch = &p.stories;
    let merged = (ch.merged_events.iter().chain(&ch.merged_threads))
        .cloned()
        .collect();
    let judged_threads = p.claims.iter().map(|(t, _)| t.clone()).collect();
    let mut out = Analysis {
        merged,
        judged_threads,
        documents,
        entities: crate::process::entities_of(&p.entities),
        events: p.events,
        threads: p.threads,
        report,
        ..Analysis::default()
    };
    let parts = order_parts(&articles, &out.events, p.claims.into_iter().collect());
    out.articles = articles;
    finish(&mut out, parts);
    out
}

/// Orders entities, events and threads, and joins the claims layers in part order.
fn finish(out: &mut Analysis, parts: Vec<claims::Corroboration>) {
    out.entities.sort_by(|a, b| {
        (b.mentions.cmp(&a.mentions))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    out.events.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.id).cmp(&(b.date.is_none(), &b.date, &b.id))
    });
    let first: HashMap<&str, usize> = (out.events.iter().enumerate())
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    out.threads.sort_by_key(|t| {
        t.events
            .iter()
            .filter_map(|e| first.get(e.as_str()).copied())
            .min()
            .unwrap_or(usize::MAX)
    });
    for c in parts {
        out.claims.extend(c.claims);
        out.claim_groups.extend(c.groups);
        out.conflicts.extend(c.conflicts);
    }
}

/// The claims layers by thread, in order of each thread's first article.
fn order_parts(
    articles: &[Article],
    events: &[Event],
    mut layers: HashMap<String, claims::Corroboration>,
) -> Vec<claims::Corroboration> {
    let mut out = Vec::new();
    for p in claims::parts::parts(articles, events) {
        if let Some(c) = layers.remove(&p.thread) {
            out.push(c);
        }
    }
    // Layers of threads none of these articles are in (judged again for a merge or a
    // changed date), by thread id.
    let mut rest: Vec<(String, claims::Corroboration)> = layers.into_iter().collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(rest.into_iter().map(|(_, c)| c));
    out
}

/// The whole store as a corpus, from its stored layers. Articles the store holds but has
/// not processed yet (`annotate` off, or a run still under way) come without layers.
pub fn load_store(store: &mut Store, report: RunReport) -> Result<Analysis, StoreError> {
    let all = store.load()?;
    let mut articles = all.articles;
    let members: HashMap<String, Vec<stories::Member>> =
        decoded_pairs(store, records::EVENT_MEMBERS)?;
    apply_layers(store, &mut articles, &members)?;
    // Processed articles get their token layer again (it is not stored).
    {
        use rayon::prelude::*;
        articles
            .par_iter_mut()
            .filter(|a| !a.sentences.is_empty())
            .for_each(|a| a.tokens = lang::tokens(a));
    }
    crate::set_duplicate_of(&mut articles);
    crate::fill_copy_links(&mut articles);
    let entities: Vec<lang::EntityRecord> = decoded_all(store, records::ENTITY)?;
    let records: Vec<stories::EventRecord> = decoded_all(store, records::EVENT)?;
    let events: Vec<Event> = (records.iter())
        .map(|r| stories::event_of(r, members.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    let threads: Vec<Thread> = decoded_all(store, records::THREAD_VIEW)?;
    let layers: HashMap<String, claims::Corroboration> = decoded_pairs(store, records::CLAIMS)?;
    let mut out = Analysis {
        documents: all.documents,
        entities: crate::process::entities_of(&entities),
        events,
        threads,
        report,
        ..Analysis::default()
    };
    let parts = order_parts(&articles, &out.events, layers);
    out.articles = articles;
    finish(&mut out, parts);
    Ok(out)
}

/// Each article's stored layers and event.
fn apply_layers(
    store: &mut Store,
    articles: &mut [Article],
    members: &HashMap<String, Vec<stories::Member>>,
) -> Result<(), StoreError> {
    let mut layers: HashMap<String, ArticleLayers> = decoded_pairs(store, records::LAYERS)?;
    let event_of: HashMap<&str, &str> = (members.values().flatten())
        .map(|m| (m.id.as_str(), m.event.as_str()))
        .collect();
    for a in articles.iter_mut() {
        if let Some(l) = layers.remove(&a.id) {
            l.apply(a);
        }
        a.event = event_of.get(a.id.as_str()).map(|e| e.to_string());
    }
    Ok(())
}

fn decoded_pairs<T: serde::de::DeserializeOwned + Send>(
    store: &mut Store,
    kind: &'static str,
) -> Result<HashMap<String, T>, StoreError> {
    use rayon::prelude::*;
    let location = store.location().to_string();
    let rows = store.all_records(kind)?;
    rows.into_par_iter()
        .map(|(id, data)| {
            let v = decode_or_corrupt(&location, kind, &id, &data)?;
            Ok((id, v))
        })
        .collect()
}

fn decoded_all<T: serde::de::DeserializeOwned + Send>(
    store: &mut Store,
    kind: &'static str,
) -> Result<Vec<T>, StoreError> {
    let mut pairs: Vec<(String, T)> = decoded_pairs(store, kind)?.into_iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(pairs.into_iter().map(|(_, v)| v).collect())
}
