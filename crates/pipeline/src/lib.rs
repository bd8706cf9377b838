//! The crosscheck pipeline: wires the stages together for one run.
//!
//! [`analyze`] takes an [`Input`] (paths, or the built-in demo) and an optional [`Store`]:
//!
//! 1. loads what the store holds and rebuilds the duplicate index from stored fingerprints;
//! 2. collects and reads the inputs (files in parallel), skipping documents already stored;
//! 3. cleans each document into articles and fingerprints them (in parallel);
//! 4. adds the articles to the duplicate index in input order (sequential, so the "first copy"
//!    is well defined: the earliest stored, else the first in input order);
//! 5. writes the new documents to the store in batches, one transaction each;
//! 6. annotates every article (language layer: sentences, entities linked run-wide, temporal
//!    expressions, quantities; with a store, the model layers of stored articles come from it
//!    and those computed here are stored), groups articles into events (stored assignments
//!    kept), widens origins and extracts and judges claims;
//! 7. returns every document and article (stored and new) with `origin`, `duplicate_of` and
//!    `copies` filled in, the entity table, and a [`RunReport`] of what was read, skipped and
//!    ignored.

use std::collections::HashMap;
use std::path::PathBuf;

use dedup::{Fingerprint, Index};
use ingest::{IngestError, RawDocument, SourceFile};
use model::{Article, Document, ParagraphRef};
use rayon::prelude::*;
use store::{Store, StoreError};

/// What to analyse.
#[derive(Debug, Clone)]
pub enum Input {
    /// The built-in demo corpus.
    Demo,
    /// Files and directories.
    Paths(Vec<PathBuf>),
    /// JSONL records given in memory (e.g. an HTTP request body), named `name` in provenance.
    Jsonl { name: String, body: Vec<u8> },
    /// Nothing new (report on the store only).
    None,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Largest document accepted, in bytes.
    pub max_bytes: u64,
    /// Documents per store transaction.
    pub batch: usize,
    /// Run the language layer (and everything after it).
    pub annotate: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: ingest::DEFAULT_MAX_BYTES,
            batch: 512,
            annotate: true,
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

/// The result of a run: the model's corpus (all documents and articles, in store order then
/// input order, with every layer the stages added).
pub use model::{Corpus as Analysis, RunReport, SkippedInput};

struct Cleaned {
    doc: RawDocument,
    articles: Vec<(model::CleanArticle, Fingerprint)>,
}

/// The whole run over `store` with `jsonl` (a name for its documents, and the JSONL body)
/// added when given: what `crosscheck serve` is handed to analyse its store (the server does
/// not depend on the stages).
pub fn analyze_store(
    jsonl: Option<(String, Vec<u8>)>,
    store: &mut Store,
) -> Result<Analysis, String> {
    let input = match jsonl {
        Some((name, body)) => Input::Jsonl { name, body },
        None => Input::None,
    };
    analyze(&input, Some(store), &Options::default(), &Quiet).map_err(|e| e.to_string())
}

/// Runs ingest, clean, dedup and (optionally) store over `input`.
pub fn analyze(
    input: &Input,
    mut store: Option<&mut Store>,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Analysis, PipelineError> {
    let mut analysis = Analysis::default();
    let mut fingerprints: Vec<Vec<u8>> = Vec::new();
    if let Some(s) = store.as_deref_mut() {
        progress.stage("load", 0);
        let c = s.load()?;
        progress.finish();
        analysis.documents = c.documents;
        analysis.articles = c.articles;
        fingerprints = c.fingerprints;
    }
    progress.stage("index", 0);
    let mut index = restore_index(&analysis.articles, &fingerprints);
    progress.finish();
    let stored_articles = analysis.articles.len();
    let stored_origins: Vec<String> = analysis.articles.iter().map(|a| a.origin.clone()).collect();

    // Read.
    let raw = read_inputs(input, opts, progress, &mut analysis.report);
    let mut known: std::collections::HashSet<String> =
        analysis.documents.iter().map(|d| d.id.clone()).collect();
    let mut fresh = Vec::new();
    for d in raw {
        analysis.report.read += 1;
        if known.insert(d.id.clone()) {
            fresh.push(d);
        } else {
            analysis.report.already_stored += 1;
        }
    }

    // Clean and fingerprint.
    progress.stage("clean", fresh.len() as u64);
    let cleaned: Vec<Cleaned> = fresh
        .into_par_iter()
        .map(|doc| {
            let arts = clean::clean(&doc)
                .into_iter()
                .map(|a| {
                    let fp = Fingerprint::new((0..a.paragraphs.len()).map(|i| a.paragraph_text(i)));
                    (a, fp)
                })
                .collect();
            progress.advance(1);
            Cleaned {
                doc,
                articles: arts,
            }
        })
        .collect();
    progress.finish();

    // Dedup, in input order.
    progress.stage("dedup", cleaned.len() as u64);
    let mut new_docs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for c in cleaned {
        let doc = Document {
            id: c.doc.id.clone(),
            path: c.doc.path.clone(),
            line: c.doc.line,
            kind: c.doc.kind,
            bytes: c.doc.bytes,
            articles: Vec::new(),
        };
        if c.articles.is_empty() {
            analysis.report.empty_documents.push(display_path(&doc));
        }
        let first = analysis.articles.len();
        let doc_pos = analysis.documents.len();
        analysis.documents.push(doc);
        for (i, (clean, fp)) in c.articles.into_iter().enumerate() {
            let mut article = Article::new(&c.doc.id, i, clean);
            analysis.articles.push(article.clone());
            let added = {
                let articles = &analysis.articles;
                let mut texts = |item: u32| -> Option<Vec<String>> {
                    let a = articles.get(item as usize)?;
                    Some(
                        (0..a.paragraphs.len())
                            .map(|p| a.paragraph_text(p).to_string())
                            .collect(),
                    )
                };
                index.add(&fp, &mut texts)
            };
            for (p, other, op) in added.paragraph_copies {
                article.paragraphs[p].copy_of = Some(ParagraphRef {
                    article: analysis.articles[other as usize].id.clone(),
                    paragraph: op,
                });
            }
            fingerprints.push(fp.to_bytes());
            analysis.documents[doc_pos]
                .articles
                .push(article.id.clone());
            *analysis.articles.last_mut().expect("just pushed") = article;
        }
        new_docs.push((doc_pos, first..analysis.articles.len()));
        progress.advance(1);
    }
    progress.finish();

    analysis.report.dedup_index_bytes = index.heap_bytes();

    // Final copy groups.
    let origin_ids: Vec<String> = (0..analysis.articles.len())
        .map(|i| {
            analysis.articles[index.origin(i as u32) as usize]
                .id
                .clone()
        })
        .collect();
    for (a, o) in analysis.articles.iter_mut().zip(&origin_ids) {
        a.origin = o.clone();
    }
    fill_copy_links(&mut analysis.articles);

    analysis.report.new_documents = new_docs.len();
    analysis.report.new_articles = analysis.articles.len() - stored_articles;

    if let Some(s) = store.as_mut() {
        progress.stage("store", new_docs.len() as u64);
        let updates: Vec<(&str, &str)> = analysis.articles[..stored_articles]
            .iter()
            .zip(&stored_origins)
            .filter(|(a, old)| a.origin != **old)
            .map(|(a, _)| (a.id.as_str(), a.origin.as_str()))
            .collect();
        let chunks: Vec<_> = new_docs.chunks(opts.batch.max(1)).collect();
        if chunks.is_empty() && !updates.is_empty() {
            s.write_batch(&[], &[], &updates)?;
        }
        for (n, chunk) in chunks.iter().enumerate() {
            let docs: Vec<Document> = chunk
                .iter()
                .map(|(d, _)| analysis.documents[*d].clone())
                .collect();
            let arts: Vec<(&Article, &[u8])> = chunk
                .iter()
                .flat_map(|(_, r)| r.clone())
                .map(|i| (&analysis.articles[i], fingerprints[i].as_slice()))
                .collect();
            // Changed origins of stored articles go with the last batch.
            let upd: &[(&str, &str)] = if n + 1 == chunks.len() { &updates } else { &[] };
            s.write_batch(&docs, &arts, upd)?;
            progress.advance(chunk.len() as u64);
        }
        progress.finish();
    }
    if opts.annotate {
        progress.stage("annotate", analysis.articles.len() as u64);
        analysis.entities = annotate_stage(&mut analysis.articles, store.as_deref_mut())?;
        progress.finish();
        progress.stage("stories", 0);
        stories_stage(&mut analysis, stored_articles, store.as_deref_mut())?;
        progress.finish();
        // Origins widen beyond copies (rewrites, shared wire passages) after events are
        // formed (they must not force events together) and before claims count them.
        progress.stage("origins", 0);
        claims::origins::widen(&mut analysis.articles);
        progress.finish();
        progress.stage("claims", 0);
        claims_stage(&mut analysis, store)?;
        progress.finish();
    }
    Ok(analysis)
}

/// The language layer. With a store, articles whose model layers it holds (for this build's
/// [`lang::ANNOTATIONS_VERSION`]) are not annotated again; those computed here are stored.
/// Linking runs over every article, so the result equals a run without a store.
fn annotate_stage(
    articles: &mut [Article],
    store: Option<&mut Store>,
) -> Result<Vec<model::Entity>, PipelineError> {
    let Some(store) = store else {
        return Ok(lang::annotate_all(articles));
    };
    let version = lang::ANNOTATIONS_VERSION;
    let stored = store.annotations(version)?;
    // An unreadable row is computed again, not an error.
    let restored: Vec<Option<lang::Annotations>> = articles
        .par_iter()
        .map(|a| decode_annotations(stored.get(&a.id)?))
        .collect();
    drop(stored);
    let (entities, computed) = lang::annotate_all_restoring(articles, restored);
    let rows: Vec<(&str, Vec<u8>)> = articles
        .par_iter()
        .zip(&computed)
        .filter_map(|(a, c)| Some((a.id.as_str(), encode_annotations(c.as_ref()?))))
        .collect();
    for chunk in rows.chunks(1024) {
        let refs: Vec<(&str, &[u8])> = chunk.iter().map(|(a, d)| (*a, d.as_slice())).collect();
        store.write_annotations(version, &refs)?;
    }
    Ok(entities)
}

/// Claims, groups and conflicts, judged per thread. With a store, a thread whose inputs are
/// unchanged since a run stored its layer (same signature) is not judged again, and the
/// articles of a thread judged again are not read again where the store holds their
/// readings; the layers and readings made here are stored.
fn claims_stage(analysis: &mut Analysis, store: Option<&mut Store>) -> Result<(), PipelineError> {
    let aligner = claims::align::Aligner::shipped();
    let a = &analysis.articles;
    let (entities, events) = (&analysis.entities, &analysis.events);
    let judged = match store {
        None => claims::parts::corroborate_parts(a, entities, events, aligner, &(), &()),
        Some(store) => {
            let layers = StoredLayers(store.claim_layers()?);
            let plan = claims::parts::Plan::new(a, entities, events, aligner, &layers);
            drop(layers);
            let ids: Vec<&str> = (plan.articles_to_read().into_iter())
                .map(|i| a[i].id.as_str())
                .collect();
            let readings = StoredReadings(store.claim_readings(&ids)?);
            let judged = plan.judge(a, entities, events, aligner, &readings);
            drop(readings);
            store_claims(store, &judged)?;
            judged
        }
    };
    analysis.report.threads_judged = judged.judged;
    analysis.report.threads_reused = judged.reused;
    analysis.report.articles_read = judged.articles_read;
    analysis.report.readings_reused = judged.readings_reused;
    analysis.claims = judged.all.claims;
    analysis.claim_groups = judged.all.groups;
    analysis.conflicts = judged.all.conflicts;
    Ok(())
}

/// Writes the claims layers and article readings a run made, in chunks.
fn store_claims(store: &mut Store, judged: &claims::parts::Judged) -> Result<(), PipelineError> {
    let layers: Vec<(&str, &str, Vec<u8>)> = (judged.computed.par_iter())
        .map(|l| {
            (
                l.thread.as_str(),
                l.signature.as_str(),
                deflate_json(&l.claims),
            )
        })
        .collect();
    let readings: Vec<(&str, &str, Vec<u8>)> = (judged.readings.par_iter())
        .map(|r| {
            (
                r.article.as_str(),
                r.signature.as_str(),
                deflate_json(&r.reading),
            )
        })
        .collect();
    for chunk in readings.chunks(1024) {
        store.write_claim_readings(&row_refs(chunk))?;
    }
    for chunk in layers.chunks(256) {
        store.write_claim_layers(&row_refs(chunk))?;
    }
    Ok(())
}

fn row_refs<'a>(rows: &'a [(&'a str, &'a str, Vec<u8>)]) -> Vec<(&'a str, &'a str, &'a [u8])> {
    rows.iter()
        .map(|(t, s, d)| (*t, *s, d.as_slice()))
        .collect()
}

/// Stored claims layers by signature, decoded when a part asks (an unreadable one is judged
/// again).
struct StoredLayers(HashMap<String, Vec<u8>>);

impl claims::parts::PartCache for StoredLayers {
    fn get(&self, signature: &str) -> Option<claims::Corroboration> {
        inflate_json(self.0.get(signature)?)
    }
}

/// Stored article readings, decoded when their signature still holds (an unreadable one is
/// read again).
struct StoredReadings(store::Readings);

impl claims::reading::ReadingCache for StoredReadings {
    fn get(&self, article: &str, signature: &str) -> Option<claims::reading::ArticleReading> {
        let (sig, data) = self.0.get(article)?;
        if sig != signature {
            return None;
        }
        inflate_json(data)
    }
}

/// Stored annotations: JSON, deflated (about 1.4 KB per article instead of 7.9).
fn encode_annotations(a: &lang::Annotations) -> Vec<u8> {
    deflate_json(a)
}

fn decode_annotations(data: &[u8]) -> Option<lang::Annotations> {
    inflate_json(data)
}

/// A stored layer: JSON, deflated.
fn deflate_json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    use std::io::Write;
    let json = serde_json::to_vec(v).expect("model layers serialise");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&json).expect("writing to memory");
    z.finish().expect("writing to memory")
}

fn inflate_json<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    let z = flate2::read::ZlibDecoder::new(data);
    serde_json::from_reader(std::io::BufReader::new(z)).ok()
}

/// Events and threads. Stored articles rejoin the events the store recorded for them (no
/// reclustering); new ones are added in date order (undated last, then id), so the outcome does
/// not depend on file order. Articles without a `published` date then resolve their relative
/// dates against their event's date (`anchor_from: inferred`).
fn stories_stage(
    analysis: &mut Analysis,
    stored_articles: usize,
    mut store: Option<&mut Store>,
) -> Result<(), PipelineError> {
    let assigned = match store.as_deref_mut() {
        Some(s) => s.assignments()?,
        None => HashMap::new(),
    };
    let mut clusterer = stories::Clusterer::new(stories::StoryConfig::default());
    clusterer.set_entities(&analysis.entities);
    let (mut kept, pending): (Vec<&Article>, Vec<&Article>) = analysis.articles[..stored_articles]
        .iter()
        .partition(|a| assigned.contains_key(&a.id));
    // In the order a batch run adds them, so the clock and open events are as it left them.
    stories::sort_batch(&mut kept);
    for a in kept {
        let (event, thread) = &assigned[&a.id];
        clusterer.restore(a, event, thread);
    }
    // Stored articles without an assignment (stored before stories existed, or by an
    // interrupted run) are added with the new ones.
    let mut fresh: Vec<&Article> = pending;
    fresh.extend(analysis.articles[stored_articles..].iter());
    stories::sort_batch(&mut fresh);
    for a in fresh {
        clusterer.add(a);
    }
    clusterer.settle();
    let st = clusterer.stories();
    st.apply(&mut analysis.articles);
    let ann = lang::Annotator::global();
    for a in analysis.articles.iter_mut() {
        if let Some(anchor) = st.inferred_anchor(a) {
            a.timexes = ann.timexes(&a.text, Some(anchor), model::AnchorFrom::Inferred);
        }
    }
    if let Some(s) = store {
        // Merges rename events, so every assignment is written, not only the new ones.
        let thread_of: HashMap<&str, &str> = st
            .events
            .iter()
            .map(|e| (e.id.as_str(), e.thread.as_str()))
            .collect();
        let rows: Vec<(&str, &str, &str)> = analysis
            .articles
            .iter()
            .filter_map(|a| {
                let e = a.event.as_deref()?;
                Some((a.id.as_str(), e, *thread_of.get(e)?))
            })
            .collect();
        s.write_assignments(&rows)?;
    }
    analysis.events = st.events;
    analysis.threads = st.threads;
    Ok(())
}

fn display_path(d: &Document) -> String {
    match d.line {
        Some(l) => format!("{}:{}", d.path, l),
        None => d.path.clone(),
    }
}

/// Rebuilds the duplicate index from stored fingerprints (recomputed from the text where a
/// fingerprint is missing or unreadable).
fn restore_index(articles: &[Article], fingerprints: &[Vec<u8>]) -> Index {
    let mut index = Index::new();
    let pos: HashMap<&str, u32> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i as u32))
        .collect();
    for (i, a) in articles.iter().enumerate() {
        let fp = fingerprints
            .get(i)
            .and_then(|b| Fingerprint::from_bytes(b))
            .unwrap_or_else(|| {
                Fingerprint::new((0..a.paragraphs.len()).map(|p| a.paragraph_text(p)))
            });
        let origin = pos.get(a.origin.as_str()).copied().unwrap_or(i as u32);
        index.restore(&fp, origin);
    }
    index
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
        Input::Paths(paths) => {
            let collected = ingest::collect(paths);
            report.files = collected.files.len();
            report.ignored = collected.ignored.len();
            report
                .skipped
                .extend(collected.errors.into_iter().map(skipped));
            progress.stage("read", collected.files.len() as u64);
            let results: Vec<_> = collected
                .files
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
    }
}

/// Documents read go to `docs`, every error of the file or of one of its lines to the report.
fn sort_read(
    read: Result<Vec<Result<RawDocument, IngestError>>, IngestError>,
    docs: &mut Vec<RawDocument>,
    report: &mut RunReport,
) {
    match read {
        Ok(items) => {
            for item in items {
                match item {
                    Ok(d) => docs.push(d),
                    Err(e) => report.skipped.push(skipped(e)),
                }
            }
        }
        Err(e) => report.skipped.push(skipped(e)),
    }
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
