//! Watching feeds: one [`poll`] fetches every feed of a list (conditional GET with the
//! validators the store keeps for it), fetches the entries it has not taken before, runs them
//! into the store, then records what it took. The state lives in the store (records of kind
//! `watch`, one per feed URL), so a restarted watcher continues where it stopped; a poll killed
//! before its state is saved fetches those entries again, and the store already holds them.

use std::collections::HashSet;

use fetch::{Fetcher, GatherOptions, Source, SourceState, Validators};
use serde::{Deserialize, Serialize};
use store::{Commit, Store};

use crate::{Analysis, Input, Options, PipelineError, Progress, Report};

/// Record kind of a feed's watch state.
const KIND: &str = "watch";
/// Entry URLs remembered per feed (feeds list their latest entries; older ones fall out).
const SEEN_CAP: usize = 20_000;

/// What the store keeps of one feed.
#[derive(Debug, Default, Serialize, Deserialize)]
struct FeedState {
    etag: Option<String>,
    last_modified: Option<String>,
    /// Entry URLs taken, oldest first.
    seen: Vec<String>,
}

/// What one poll did.
#[derive(Debug)]
pub struct Poll {
    /// Feeds that answered 304 (unchanged).
    pub unchanged: usize,
    /// Entries fetched this poll.
    pub taken: usize,
    /// Entries left for a later poll (over the per-feed limit).
    pub left: usize,
    /// The run over the store: its changes, and what was skipped (with the fetch errors).
    pub analysis: Analysis,
}

/// Polls `feeds` once into `store`.
pub fn poll(
    feeds: &[String],
    fetcher: &Fetcher,
    store: &mut Store,
    gather: &GatherOptions,
    progress: &dyn Progress,
) -> Result<Poll, PipelineError> {
    let states = load(store, feeds)?;
    let sources: Vec<Source> = feeds
        .iter()
        .zip(&states)
        .map(|(url, s)| Source {
            url: url.clone(),
            validators: Validators {
                etag: s.etag.clone(),
                last_modified: s.last_modified.clone(),
            },
            seen: s.seen.iter().cloned().collect(),
        })
        .collect();
    progress.stage("fetch", 0);
    let gathered = fetch::gather(fetcher, &sources, gather);
    progress.finish();
    let input = Input::Fetched {
        paths: Vec::new(),
        documents: gathered.documents,
        failed: gathered.errors,
    };
    let opts = Options {
        report: Report::Changes,
        ..Options::default()
    };
    let analysis = crate::analyze(&input, Some(&mut *store), &opts, progress)?;
    let poll = Poll {
        unchanged: gathered.sources.iter().filter(|s| s.unchanged).count(),
        taken: gathered.sources.iter().map(|s| s.taken.len()).sum(),
        left: gathered.sources.iter().map(|s| s.left).sum(),
        analysis,
    };
    save(store, states, &gathered.sources)?;
    Ok(poll)
}

/// Each feed's stored state (a default one for a feed not polled before).
fn load(store: &mut Store, feeds: &[String]) -> Result<Vec<FeedState>, PipelineError> {
    let stored = store.records(KIND, feeds)?;
    let mut by_id: std::collections::HashMap<String, Vec<u8>> = stored.into_iter().collect();
    Ok(feeds
        .iter()
        .map(|f| {
            (by_id.remove(f))
                .and_then(|data| serde_json::from_slice(&data).ok())
                .unwrap_or_default()
        })
        .collect())
}

/// Stores each feed's new validators and the entries it gave.
fn save(
    store: &mut Store,
    states: Vec<FeedState>,
    polled: &[SourceState],
) -> Result<(), PipelineError> {
    let mut commit = Commit::default();
    for (mut state, p) in states.into_iter().zip(polled) {
        state.etag = p.validators.etag.clone();
        state.last_modified = p.validators.last_modified.clone();
        let known: HashSet<String> = state.seen.iter().cloned().collect();
        state
            .seen
            .extend(p.taken.iter().filter(|u| !known.contains(*u)).cloned());
        let over = state.seen.len().saturating_sub(SEEN_CAP);
        state.seen.drain(..over);
        let data = serde_json::to_vec(&state).unwrap_or_default();
        commit.put(KIND, &p.url, data, Vec::new());
    }
    store.commit(&commit)?;
    Ok(())
}
