//! Claims judged apart from the run that made their threads: how a cluster judges a store's
//! threads in parallel (the Spark backfill in `deploy/spark`).
//!
//! A run with [`crate::Options::claims_later`] stores everything but the claims layers of
//! the threads it would judge, and leaves a marker (`claims_pending`, holding the run's token)
//! on each. [`pending`] lists the marked threads; [`judge`] judges some of them from what the
//! store holds (each thread from its own events, articles and entities, as a run does) and
//! writes each layer, in one transaction, only while the thread's marker is still the one it
//! read: a run that changed the thread meanwhile marked it again, and the stale layer is
//! dropped. Any later run judges the threads still marked, so a store never stays without
//! claims for long.

use std::collections::HashMap;

use store::{Commit, Store, StoreError};

use crate::context::{Context, StoreContext};
use crate::{PipelineError, commit, process, records};

/// What a [`judge`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Threads whose claims layer was written.
    pub judged: usize,
    /// Threads no longer marked, or marked again while they were judged (left to others).
    pub skipped: usize,
    pub articles_read: usize,
}

/// The threads waiting for their claims, sorted.
pub fn pending(store: &mut Store) -> Result<Vec<String>, StoreError> {
    let mut ids: Vec<String> = (store.all_records(records::CLAIMS_PENDING)?.into_iter())
        .map(|(id, _)| id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Judges the marked ones of `threads` and writes their claims layers (holding the store's
/// processing lock only to write).
pub fn judge(store: &mut Store, threads: &[String]) -> Result<Judgement, PipelineError> {
    if threads.is_empty() {
        return Ok(Judgement::default());
    }
    let made = make(store, threads)?;
    Ok(store.locked(|s| write(s, made))?)
}

/// Judges every marked thread, within a run that holds the processing lock.
pub(crate) fn judge_left(store: &mut Store) -> Result<Judgement, StoreError> {
    let threads = pending(store)?;
    if threads.is_empty() {
        return Ok(Judgement::default());
    }
    let made = make(store, &threads)?;
    write(store, made)
}

/// A token naming one run's markers.
pub(crate) fn token() -> Vec<u8> {
    let nanos = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH))
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id()).into_bytes()
}

/// Layers made, not written yet, with the markers they were made under.
struct Made {
    markers: HashMap<String, Vec<u8>>,
    judged: claims::parts::Judged,
}

/// Judges the marked ones of `threads` from the store.
fn make(store: &mut Store, threads: &[String]) -> Result<Made, StoreError> {
    let markers: HashMap<String, Vec<u8>> = (store.records(records::CLAIMS_PENDING, threads)?)
        .into_iter()
        .collect();
    let marked: Vec<String> = (threads.iter())
        .filter(|t| markers.contains_key(*t))
        .cloned()
        .collect();
    let mut cx = StoreContext(store, None);
    let events = cx.events_of(&marked)?;
    let articles = process::thread_articles(&mut cx, &[], &HashMap::new(), &events)?;
    let judged = process::judge_articles(&mut cx, &[], articles, &[], &events, &crate::Quiet)?;
    Ok(Made { markers, judged })
}

/// Writes the layers of the threads still marked as they were; clears their markers.
fn write(store: &mut Store, made: Made) -> Result<Judgement, StoreError> {
    let ids: Vec<String> = made.markers.keys().cloned().collect();
    let now: HashMap<String, Vec<u8>> = store
        .records(records::CLAIMS_PENDING, &ids)?
        .into_iter()
        .collect();
    let current = |t: &String| now.get(t).is_some_and(|m| made.markers.get(t) == Some(m));
    commit::write_readings(store, &made.judged.readings)?;
    let mut c = Commit::default();
    for (thread, layer) in made.judged.parts.iter().filter(|(t, _)| current(t)) {
        c.put(records::CLAIMS, thread, records::encode(layer), Vec::new());
    }
    let done: Vec<&String> = ids.iter().filter(|t| current(t)).collect();
    for thread in &done {
        c.delete(records::CLAIMS_PENDING, thread);
    }
    store.commit(&c)?;
    Ok(Judgement {
        judged: done.len(),
        skipped: ids.len() - done.len(),
        articles_read: made.judged.articles_read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Analysis, Input, Options, Quiet, analyze};

    fn demo_into(store: &mut Store, claims_later: bool) -> Analysis {
        let opts = Options {
            claims_later,
            ..Options::default()
        };
        analyze(&Input::Demo, Some(store), &opts, &Quiet).unwrap()
    }

    fn report(store: &mut Store) -> Analysis {
        analyze(&Input::None, Some(store), &Options::default(), &Quiet).unwrap()
    }

    fn assert_same(a: &Analysis, b: &Analysis) {
        assert_eq!(a.articles, b.articles);
        assert_eq!(a.events, b.events);
        assert_eq!(a.claims, b.claims);
        assert_eq!(a.claim_groups, b.claim_groups);
        assert_eq!(a.conflicts, b.conflicts);
    }

    /// Threads judged apart, in two parts as two tasks would, give the store the claims a
    /// run that judged them itself gives.
    #[test]
    fn threads_judged_apart_equal_a_whole_run() {
        let dir = tempfile::tempdir().unwrap();
        let whole = store::test_support::fresh_stores(dir.path(), "judge_whole");
        let apart = store::test_support::fresh_stores(dir.path(), "judge_apart");
        for (w, a) in whole.iter().zip(&apart) {
            let expected = demo_into(&mut Store::open(w).unwrap(), false);
            assert!(!expected.claim_groups.is_empty());
            let mut s = Store::open(a).unwrap();
            let later = demo_into(&mut s, true);
            assert!(later.claim_groups.is_empty(), "no claims judged yet");
            let threads = pending(&mut s).unwrap();
            assert!(threads.len() >= 2, "{threads:?}");
            let (one, two) = threads.split_at(threads.len() / 2);
            let first = judge(&mut s, one).unwrap();
            let second = judge(&mut s, two).unwrap();
            assert_eq!(first.judged + second.judged, threads.len());
            assert!(pending(&mut s).unwrap().is_empty());
            assert_same(&report(&mut s), &expected);
        }
    }

    /// A thread marked again while it was judged keeps its mark (its layer is stale), and
    /// the next run judges what is left.
    #[test]
    fn a_thread_marked_again_meanwhile_is_left_to_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        for db in store::test_support::fresh_stores(dir.path(), "judge_stale") {
            let expected = {
                let d = tempfile::tempdir().unwrap();
                demo_into(&mut Store::open(d.path().join("w.db")).unwrap(), false)
            };
            let mut s = Store::open(&db).unwrap();
            demo_into(&mut s, true);
            let threads = pending(&mut s).unwrap();
            let made = make(&mut s, &threads).unwrap();
            let mut again = Commit::default();
            again.put(
                records::CLAIMS_PENDING,
                &threads[0],
                b"another run".to_vec(),
                Vec::new(),
            );
            s.commit(&again).unwrap();
            let done = write(&mut s, made).unwrap();
            assert_eq!((done.judged, done.skipped), (threads.len() - 1, 1));
            assert_eq!(pending(&mut s).unwrap(), vec![threads[0].clone()]);
            // A plain run judges the thread still marked.
            let healed = report(&mut s);
            assert!(pending(&mut s).unwrap().is_empty());
            assert_same(&healed, &expected);
        }
    }
}
