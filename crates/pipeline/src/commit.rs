//! Writing a run to its store: new documents in batches (each one transaction, so a killed
//! run leaves whole documents, pending), then everything the processing made as one
//! transaction (so a killed run leaves its batch pending, and the next run processes it).

use rayon::prelude::*;
use store::{Commit, Store, StoreError};

use crate::Progress;
use crate::copies::{self, Deduped};
use crate::process::Processed;
use crate::records::{self, ArticleLayers};

/// Writes the new documents with their articles, fingerprints and fingerprint keys.
pub(crate) fn write_documents(
    store: &mut Store,
    d: &Deduped,
    batch: usize,
    progress: &dyn Progress,
) -> Result<(), StoreError> {
    progress.stage("store", d.documents.len() as u64);
    let docs: Vec<(usize, &model::Document)> = d.documents.iter().enumerate().collect();
    for chunk in docs.chunks(batch.max(1)) {
        let documents: Vec<model::Document> = chunk.iter().map(|(_, doc)| (*doc).clone()).collect();
        let articles: Vec<store::NewArticle<'_>> = chunk
            .iter()
            .flat_map(|(i, _)| d.ranges[*i].clone())
            .map(|k| {
                let (fp, keys) = &d.fingerprints[k];
                (&d.articles[k], fp.as_slice(), keys.as_slice())
            })
            .collect();
        store.write_batch(&documents, &articles, &[])?;
        progress.advance(chunk.len() as u64);
    }
    progress.finish();
    Ok(())
}

/// Files every stored article under its fingerprint keys, once, in a store made before
/// keys existed (so that new articles find their stored copies).
pub(crate) fn backfill_keys(store: &mut Store) -> Result<(), StoreError> {
    const DONE: &str = "fingerprint_keys";
    if store.meta(DONE)?.is_some() {
        return Ok(());
    }
    let all = store.load()?;
    let mut c = Commit::default();
    for (a, fp) in all.articles.iter().zip(&all.fingerprints) {
        let fp = dedup::Fingerprint::from_bytes(fp).unwrap_or_else(|| copies::fingerprint(a));
        c.keys.extend(
            copies::all_keys(&fp)
                .into_iter()
                .map(|k| ("fp".to_string(), k, a.id.clone())),
        );
    }
    store.commit(&c)?;
    store.set_meta(DONE, "1")
}

/// Everything a run's processing made, in one transaction; the batch is no longer pending.
pub(crate) fn commit(store: &mut Store, p: &Processed) -> Result<(), StoreError> {
    write_side_layers(store, p)?;
    let mut c = Commit::default();
    article_layers(&mut c, p);
    entities(&mut c, p);
    stories(&mut c, p);
    claims(&mut c, p);
    c.done = p.articles.iter().map(|a| a.id.clone()).collect();
    store.commit(&c)
}

/// Annotations and readings, written ahead (each is valid on its own, and spares a later
/// run the model work should this one be killed).
fn write_side_layers(store: &mut Store, p: &Processed) -> Result<(), StoreError> {
    for chunk in p.annotations.chunks(1024) {
        let rows: Vec<(&str, &[u8])> = chunk
            .iter()
            .map(|(a, d)| (a.as_str(), d.as_slice()))
            .collect();
        store.write_annotations(lang::ANNOTATIONS_VERSION, &rows)?;
    }
    write_readings(store, &p.readings)
}

/// Claim readings, in chunks (each valid on its own).
pub(crate) fn write_readings(
    store: &mut Store,
    readings: &[claims::reading::Read],
) -> Result<(), StoreError> {
    let version = crate::readings_version();
    let readings: Vec<(&str, Vec<u8>)> = readings
        .iter()
        .map(|r| (r.article.as_str(), records::encode(&r.reading)))
        .collect();
    for chunk in readings.chunks(1024) {
        let rows: Vec<(&str, &str, &[u8])> = chunk
            .iter()
            .map(|(a, d)| (*a, version.as_str(), d.as_slice()))
            .collect();
        store.write_claim_readings(&rows)?;
    }
    Ok(())
}

fn article_layers(c: &mut Commit, p: &Processed) {
    for a in &p.articles {
        c.put(
            records::LAYERS,
            &a.id,
            records::encode(&ArticleLayers::of(a)),
            Vec::new(),
        );
    }
}

fn entities(c: &mut Commit, p: &Processed) {
    for r in &p.entities {
        c.put(records::ENTITY, &r.entity.id, records::encode(r), r.keys());
    }
}

/// The stories state, the records of changed events and threads with their views, the new
/// members, and the renames of merges.
fn stories(c: &mut Commit, p: &Processed) {
    let ch = &p.stories;
    c.put(
        records::STORIES,
        records::STORIES_ID,
        records::encode(&ch.state),
        Vec::new(),
    );
    for (gone, _) in &ch.merged_events {
        c.delete(records::EVENT, gone);
        c.delete(records::EVENT_VIEW, gone);
        c.delete(records::EVENT_MEMBERS, gone);
    }
    for (gone, kept) in &ch.merged_threads {
        c.rekey(
            records::EVENT_VIEW,
            &records::thread_key(gone),
            &records::thread_key(kept),
        );
        c.delete(records::THREAD, gone);
        c.delete(records::THREAD_VIEW, gone);
        c.delete(records::CLAIMS, gone);
    }
    for r in ch.events.iter().chain(&p.rethreaded) {
        c.put(records::EVENT, &r.id, records::encode(r), Vec::new());
    }
    for e in &p.events {
        let keys = vec![records::thread_key(&e.thread)];
        c.put(
            records::EVENT_VIEW,
            &e.id,
            records::encode(&records::light(e)),
            keys,
        );
    }
    let mut members: Vec<(&String, Vec<u8>)> = (p.members.par_iter())
        .map(|(event, list)| (event, records::encode_compact(list)))
        .collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    for (event, data) in members {
        c.put(records::EVENT_MEMBERS, event, data, Vec::new());
    }
    for r in &ch.threads {
        c.put(records::THREAD, &r.id, records::encode(r), Vec::new());
    }
    for t in &p.threads {
        c.put(records::THREAD_VIEW, &t.id, records::encode(t), Vec::new());
    }
    for m in ch.members.iter().chain(&p.renamed_members) {
        c.put(
            records::MEMBER,
            &m.id,
            records::encode_compact(m),
            Vec::new(),
        );
    }
}

/// The claims layers judged, and a marker on each thread left for later (a judge takes
/// the layer it makes only while the marker is the one it read).
fn claims(c: &mut Commit, p: &Processed) {
    for (thread, layer) in &p.claims {
        c.put(records::CLAIMS, thread, records::encode(layer), Vec::new());
        c.delete(records::CLAIMS_PENDING, thread);
    }
    let token = crate::judge::token();
    for thread in &p.deferred {
        c.put(records::CLAIMS_PENDING, thread, token.clone(), Vec::new());
    }
}
