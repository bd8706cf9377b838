//! The crosscheck pipeline: wires the stages together for one run.
//!
//! [`analyze`] takes an [`Input`] (paths, a JSONL body, or the built-in demo) and an optional
//! [`Store`]. Without a store, the whole input is one batch. With one, the run holds the
//! store's processing lock (one run at a time processes; others wait) and:
//!
//! 1. reads the inputs and skips documents the store already holds;
//! 2. cleans each new document into articles and fingerprints them (in parallel);
//! 3. finds copies among them and against the store, which it asks only for the articles
//!    filed under the new fingerprints' keys (`copies`);
//! 4. writes the new documents in batches, one transaction each; their articles become
//!    *pending* (a run killed after this point leaves them pending, and the next run
//!    processes them);
//! 5. processes every pending article (`process`): language layer, events and threads,
//!    independent origins, and the claims of the threads they reach, reading from the store
//!    only what they touch (`context`);
//! 6. commits every layer it made in one transaction (`commit`): the article layers, entity
//!    records, the stories state, events, threads, members, and the claims layers of the
//!    threads judged again;
//! 7. returns the whole store as a [`model::Corpus`] ([`Report::Store`], loaded from the
//!    stored layers, nothing recomputed), or only what the run added and changed
//!    ([`Report::Changes`]), whose cost does not grow with the store.
//!
//! A run without a store is the same processing over an empty corpus: its result equals a
//! run into an empty store.

use std::collections::HashMap;
use std::path::PathBuf;

use ingest::{IngestError, RawDocument, SourceFile};
use model::{Article, Document};
use rayon::prelude::*;
use store::{Store, StoreError};

pub mod annotate;
mod assemble;
mod check;
mod commit;
mod context;
mod copies;
pub mod judge;
pub mod keyed;
mod process;
mod records;
mod stream;
pub mod watch;

pub use assemble::load_store;
pub use check::{Integrity, check};

/// What to analyse.
#[derive(Debug, Clone)]
pub enum Input {
    /// The built-in demo corpus.
    Demo,
    /// Files and directories.
    Paths(Vec<PathBuf>),
    /// JSONL records given in memory (e.g. an HTTP request body), named `name` in provenance.
    Jsonl { name: String, body: Vec<u8> },
    /// Files and directories, and documents read already (fetched from the web, with the
    /// inputs that failed).
    Fetched {
        paths: Vec<PathBuf>,
        documents: Vec<RawDocument>,
        failed: Vec<IngestError>,
    },
    /// Nothing new (report on the store only).
    None,
}

/// What a run with a store returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Report {
    /// The whole store, loaded from its layers.
    #[default]
    Store,
    /// What the run added and changed: its new documents and articles, the entities, events,
    /// threads and claims layers it touched.
    Changes,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Largest document accepted, in bytes.
    pub max_bytes: u64,
    /// Documents per store transaction.
    pub batch: usize,
    /// Run the language layer (and everything after it).
    pub annotate: bool,
    /// With a store: what the run returns.
    pub report: Report,
    /// With a store: documents of a WARC archive per run (archives are streamed).
    pub archive_chunk: usize,
    /// Model annotations made before (`crosscheck annotate`), taken instead of computing
    /// them for the articles they hold.
    pub annotations: Option<std::sync::Arc<annotate::Precomputed>>,
    /// Copy layers found group by group before (`crosscheck copies`), taken instead of
    /// deduplicating the input when they cover every article (runs without a store only).
    pub copies: Option<std::sync::Arc<keyed::KnownCopies>>,
    /// Event candidates by name found by a shuffle before (`stories::blocking`), taken
    /// instead of the clusterer's own index when they list every article with name keys
    /// (runs without a store only).
    pub event_candidates: Option<std::sync::Arc<keyed::KnownCandidates>>,
    /// With a store: leave the claims of the threads the run changes for [`judge::judge`]
    /// (marked in the store; the next run without it judges those still marked).
    pub claims_later: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: ingest::DEFAULT_MAX_BYTES,
            batch: 512,
            annotate: true,
            report: Report::Store,
            archive_chunk: 2_000,
            annotations: None,
            copies: None,
            event_candidates: None,
            claims_later: false,
        }
    }
}

/// Progress callbacks (the CLI draws a bar; libraries stay silent).
pub trait Progress: Sync {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// A progress sink that reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The result of a run: the model's corpus (documents and articles in store order then
/// input order, with every layer the stages added).
pub use model::{Corpus as Analysis, RunReport, SkippedInput};

/// The whole run over `store` with `jsonl` (a name for its documents, and the JSONL body)
/// added when given: what `crosscheck serve` is handed (the server does not depend on the
/// stages). With a body it returns what the run changed; without, the whole store.
pub fn analyze_store(
    jsonl: Option<(String, Vec<u8>)>,
    store: &mut Store,
) -> Result<Analysis, String> {
    let (input, report) = match jsonl {
        Some((name, body)) => (Input::Jsonl { name, body }, Report::Changes),
        None => (Input::None, Report::Store),
    };
    let opts = Options {
        report,
        ..Options::default()
    };
    analyze(&input, Some(store), &opts, &Quiet).map_err(|e| e.to_string())
}

/// Runs the stages over `input`, with `store` when given (see the crate documentation).
pub fn analyze(
    input: &Input,
    mut store: Option<&mut Store>,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Analysis, PipelineError> {
    let mut report = RunReport::default();
    if let (Input::Paths(paths), Some(s)) = (input, &mut store) {
        let (archives, others) = stream::split(collect(paths, &mut report));
        if !archives.is_empty() {
            return stream::run(archives, others, report, s, opts, progress);
        }
        let raw = read_files(&others, opts, progress, &mut report);
        return s.locked(|s| with_store(raw, report, s, opts, progress));
    }
    let raw = read_inputs(input, opts, progress, &mut report);
    match store {
        None => batch(raw, report, opts, progress),
        Some(s) => s.locked(|s| with_store(raw, report, s, opts, progress)),
    }
}

/// A run without a store: the input is one batch, processed against nothing.
fn batch(
    raw: Vec<RawDocument>,
    mut report: RunReport,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Analysis, PipelineError> {
    let fresh = first_of_each(raw, &mut report);
    let cleaned = clean_all(fresh, progress);
    progress.stage("dedup", 0);
    let deduped = match opts.copies.as_deref() {
        Some(known) => match copies::assign(cleaned, known) {
            Ok(deduped) => deduped,
            Err(cleaned) => copies::dedup(None, cleaned)?,
        },
        None => copies::dedup(None, cleaned)?,
    };
    progress.finish();
    let mut articles = deduped.articles;
    set_duplicate_of(&mut articles);
    note_new(
        &mut report,
        &deduped.documents,
        &articles,
        deduped.index_bytes,
    );
    report.empty_documents = deduped.empty;
    if !opts.annotate {
        return Ok(assemble::unprocessed(deduped.documents, articles, report));
    }
    let processed = process::run(
        &mut context::Empty {
            annotations: opts.annotations.as_deref(),
            candidates: opts.event_candidates.as_deref(),
        },
        articles,
        progress,
        false,
    )?;
    Ok(assemble::changes(deduped.documents, processed, report))
}

/// A run with a store (holding its processing lock).
fn with_store(
    raw: Vec<RawDocument>,
    mut report: RunReport,
    store: &mut Store,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Analysis, PipelineError> {
    commit::backfill_keys(store)?;
    let mut fresh = first_of_each(raw, &mut report);
    let ids: Vec<String> = fresh.iter().map(|d| d.id.clone()).collect();
    let known = store.known_documents(&ids)?;
    report.already_stored = fresh.iter().filter(|d| known.contains(&d.id)).count();
    fresh.retain(|d| !known.contains(&d.id));
    let cleaned = clean_all(fresh, progress);
    progress.stage("dedup", 0);
    let deduped = copies::dedup(Some(store), cleaned)?;
    progress.finish();
    note_new(
        &mut report,
        &deduped.documents,
        &deduped.articles,
        deduped.index_bytes,
    );
    report.empty_documents = deduped.empty.clone();
    commit::write_documents(store, &deduped, opts.batch, progress)?;
    let mut changed = None;
    if opts.annotate {
        let pending = store.pending()?;
        if !pending.is_empty() {
            let loaded = store.articles(&pending)?;
            let mut articles = loaded.articles;
            set_duplicate_of(&mut articles);
            let processed = process::run(
                &mut context::StoreContext(store, opts.annotations.as_deref()),
                articles,
                progress,
                opts.claims_later,
            )?;
            progress.stage("commit", 0);
            commit::commit(store, &processed)?;
            progress.finish();
            changed = Some((loaded.documents, processed));
        }
        if !opts.claims_later {
            progress.stage("claims left", 0);
            judge::judge_left(store)?;
            progress.finish();
        }
    }
    match opts.report {
        Report::Store => {
            progress.stage("load", 0);
            let all = assemble::load_store(store, report)?;
            progress.finish();
            Ok(all)
        }
        Report::Changes => Ok(match changed {
            Some((docs, processed)) => assemble::changes(docs, processed, report),
            None => assemble::unprocessed(deduped.documents, deduped.articles, report),
        }),
    }
}

/// Documents read, each once (a repeated document is counted as read, and kept once).
fn first_of_each(raw: Vec<RawDocument>, report: &mut RunReport) -> Vec<RawDocument> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in raw {
        report.read += 1;
        if seen.insert(d.id.clone()) {
            out.push(d);
        } else {
            report.already_stored += 1;
        }
    }
    out
}

fn note_new(report: &mut RunReport, docs: &[Document], articles: &[Article], index_bytes: usize) {
    report.new_documents = docs.len();
    report.new_articles = articles.len();
    report.dedup_index_bytes = index_bytes;
}

/// Cleans each document into articles and fingerprints them (in parallel).
fn clean_all(fresh: Vec<RawDocument>, progress: &dyn Progress) -> Vec<copies::Cleaned> {
    progress.stage("clean", fresh.len() as u64);
    let cleaned = fresh
        .into_par_iter()
        .map(|doc| {
            let articles = clean::clean(&doc)
                .into_iter()
                .map(|a| {
                    let fp = dedup::Fingerprint::new(
                        (0..a.paragraphs.len()).map(|i| a.paragraph_text(i)),
                    );
                    (a, fp)
                })
                .collect();
            progress.advance(1);
            copies::Cleaned { doc, articles }
        })
        .collect();
    progress.finish();
    cleaned
}

/// `duplicate_of` from `origin` (the first copy of a group has none).
pub(crate) fn set_duplicate_of(articles: &mut [Article]) {
    for a in articles {
        a.duplicate_of = (a.origin != a.id).then(|| a.origin.clone());
    }
}

/// The `signature` column of the readings this build stores and reads.
pub(crate) fn readings_version() -> String {
    format!("v{}", claims::parts::CLAIMS_VERSION)
}

fn display_path(d: &Document) -> String {
    match d.line {
        Some(l) => format!("{}:{}", d.path, l),
        None => d.path.clone(),
    }
}

/// Sets `duplicate_of` (the first copy, on the others) and `copies` (the others, on the first)
/// from `origin`.
pub fn fill_copy_links(articles: &mut [Article]) {
    let mut copies: HashMap<String, Vec<String>> = HashMap::new();
    for a in articles.iter() {
        if a.origin != a.id {
            copies
                .entry(a.origin.clone())
                .or_default()
                .push(a.id.clone());
        }
    }
    for a in articles.iter_mut() {
        if a.origin == a.id {
            a.duplicate_of = None;
            a.copies = copies.remove(&a.id).unwrap_or_default();
        } else {
            a.duplicate_of = Some(a.origin.clone());
            a.copies = Vec::new();
        }
    }
}

/// Collects and reads the inputs; errors go to the report.
fn read_inputs(
    input: &Input,
    opts: &Options,
    progress: &dyn Progress,
    report: &mut RunReport,
) -> Vec<RawDocument> {
    match input {
        Input::None => Vec::new(),
        Input::Jsonl { name, body } => {
            let mut docs = Vec::new();
            sort_read(
                ingest::read_jsonl(body.as_slice(), name, opts.max_bytes),
                &mut docs,
                report,
            );
            docs
        }
        Input::Demo => ingest::demo_files()
            .iter()
            .filter_map(|(name, bytes)| {
                match ingest::page_document(name, model::DocKind::Text, bytes) {
                    Ok(d) => Some(d),
                    Err(reason) => {
                        report.skipped.push(skipped(IngestError {
                            path: name.to_string(),
                            line: None,
                            reason,
                        }));
                        None
                    }
                }
            })
            .collect(),
        Input::Paths(paths) => read_paths(paths, opts, progress, report),
        Input::Fetched {
            paths,
            documents,
            failed,
        } => {
            let mut docs = documents.clone();
            report.skipped.extend(failed.iter().cloned().map(skipped));
            docs.extend(read_paths(paths, opts, progress, report));
            docs
        }
    }
}

/// Reads the files under `paths` (in parallel).
fn read_paths(
    paths: &[PathBuf],
    opts: &Options,
    progress: &dyn Progress,
    report: &mut RunReport,
) -> Vec<RawDocument> {
    let collected = collect(paths, report);
    read_files(&collected, opts, progress, report)
}

/// The supported files under `paths`; the others counted or reported.
fn collect(paths: &[PathBuf], report: &mut RunReport) -> Vec<SourceFile> {
    let collected = ingest::collect(paths);
    report.files += collected.files.len();
    report.ignored += collected.ignored.len();
    report
        .skipped
        .extend(collected.errors.into_iter().map(skipped));
    collected.files
}

/// Reads `files` (in parallel).
fn read_files(
    files: &[SourceFile],
    opts: &Options,
    progress: &dyn Progress,
    report: &mut RunReport,
) -> Vec<RawDocument> {
    progress.stage("read", files.len() as u64);
    let results: Vec<_> = files
        .par_iter()
        .map(|f: &SourceFile| {
            let r = ingest::read_file(f, opts.max_bytes);
            progress.advance(1);
            r
        })
        .collect();
    progress.finish();
    let mut docs = Vec::new();
    for r in results {
        sort_read(r, &mut docs, report);
    }
    docs
}

/// Documents read go to `docs`, every error of the file or of one of its lines to the report.
fn sort_read(
    read: Result<Vec<Result<RawDocument, IngestError>>, IngestError>,
    docs: &mut Vec<RawDocument>,
    report: &mut RunReport,
) {
    let (read, errors) = ingest::partition(read);
    docs.extend(read);
    report.skipped.extend(errors.into_iter().map(skipped));
}

#[cfg(test)]
mod tests;

/// An ingest error as the run report lists it.
fn skipped(e: IngestError) -> SkippedInput {
    SkippedInput {
        path: e.path,
        line: e.line,
        reason: e.reason.to_string(),
    }
}
