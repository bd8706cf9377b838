//! The per-article stages on their own, for a job that runs them on many machines (the Spark
//! backfill in `deploy/spark`).
//!
//! The language layer's models (named entities before linking, timexes against the article's
//! own date, quantities) are most of a run's work and depend on nothing but the article. So:
//!
//! - [`annotate_jsonl`] reads JSONL documents from any reader, in chunks of
//!   [`CHUNK_LINES`] lines (memory does not grow with the input), cleans each into articles
//!   and writes one [`Annotated`] line per article: its model layers, as a store keeps them;
//!   [`annotate_documents`] does the same for documents read already (a WARC archive's);
//! - [`Precomputed`] reads such lines back; a run given them ([`crate::Options::annotations`])
//!   takes each article's model layers from them instead of computing them, exactly as a run
//!   into a store reuses stored annotations, so its result equals a run that computed all.
//!
//! Everything across articles (copies, entity linking, events, origins, claims) stays in that
//! run.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use ingest::{IngestError, RawDocument};
use model::Article;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Input lines annotated together (in parallel) before their lines are written.
pub const CHUNK_LINES: usize = 512;

/// One article's model layers, as `crosscheck annotate` writes them (one JSON line each).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Annotated {
    /// The article's document (content id) and its line in the input, for JSONL.
    pub document: String,
    pub line: Option<u64>,
    /// The article's id (its document's id and its index in the document).
    pub article: String,
    /// [`lang::ANNOTATIONS_VERSION`] of the build that made them: a run of another version
    /// computes them again.
    pub version: i64,
    pub annotations: lang::Annotations,
    /// Its keys in the shuffle that finds event candidates (`stories::blocking`), when it
    /// has a publication day and names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_keys: Option<stories::blocking::EventKeys>,
}

/// An [`Annotated`] line as read back: its annotations kept as JSON text.
#[derive(Deserialize)]
struct RawAnnotated<'a> {
    article: String,
    version: i64,
    #[serde(borrow)]
    annotations: &'a serde_json::value::RawValue,
}

/// What an annotation pass read and wrote.
#[derive(Debug, Default)]
pub struct AnnotateStats {
    pub documents: usize,
    pub articles: usize,
    /// Lines or documents that could not be read.
    pub skipped: Vec<IngestError>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("reading {name}: {source}")]
    Read {
        name: String,
        source: std::io::Error,
    },
    #[error("writing the annotations: {0}")]
    Write(#[source] std::io::Error),
    #[error("{path}:{line}: not an annotation line: {reason}")]
    Parse {
        path: String,
        line: usize,
        reason: String,
    },
}

/// Annotates the JSONL documents of `input` (named `name`, its first line numbered
/// `first_line`), writing one [`Annotated`] line per article to `out`.
pub fn annotate_jsonl(
    input: impl BufRead,
    name: &str,
    first_line: u64,
    max_bytes: u64,
    out: &mut impl Write,
) -> Result<AnnotateStats, AnnotateError> {
    let mut stats = AnnotateStats::default();
    for_each_chunk(
        input,
        name,
        first_line,
        max_bytes,
        &mut stats,
        |docs, stats| annotate_documents(docs, out, stats),
    )?;
    Ok(stats)
}

/// The documents of the JSONL `input` (named `name`, its first line numbered `first_line`),
/// [`CHUNK_LINES`] lines at a time, handed to `each`; lines that cannot be read go to the
/// stats.
pub(crate) fn for_each_chunk(
    mut input: impl BufRead,
    name: &str,
    first_line: u64,
    max_bytes: u64,
    stats: &mut AnnotateStats,
    mut each: impl FnMut(Vec<RawDocument>, &mut AnnotateStats) -> Result<(), AnnotateError>,
) -> Result<(), AnnotateError> {
    let mut next_line = first_line;
    loop {
        let (chunk, lines) = read_chunk(&mut input, name)?;
        if lines == 0 {
            return Ok(());
        }
        let docs = chunk_documents(&chunk, name, next_line, max_bytes, stats);
        each(docs, stats)?;
        next_line += lines;
    }
}

/// Annotates the files under `paths`: JSONL files streamed in chunks of lines, WARC archives
/// record by record, any other file as its documents; what cannot be read goes to the stats.
pub fn annotate_paths(
    paths: &[std::path::PathBuf],
    max_bytes: u64,
    out: &mut impl Write,
) -> Result<AnnotateStats, AnnotateError> {
    let collected = ingest::collect(paths);
    let mut stats = AnnotateStats {
        skipped: collected.errors,
        ..AnnotateStats::default()
    };
    for file in &collected.files {
        let name = file.path.display().to_string();
        if file.kind == model::DocKind::Jsonl {
            let got = annotate_jsonl(jsonl_reader(file)?, &name, 1, max_bytes, out)?;
            merge(&mut stats, got);
        } else if ingest::is_warc(&file.path) {
            annotate_archive(&file.path, max_bytes, out, &mut stats)?;
        } else {
            let docs = sort_read(ingest::read_file(file, max_bytes), &mut stats);
            annotate_documents(docs, out, &mut stats)?;
        }
    }
    Ok(stats)
}

fn jsonl_reader(file: &ingest::SourceFile) -> Result<Box<dyn BufRead>, AnnotateError> {
    ingest::open(file).map_err(|source| AnnotateError::Read {
        name: file.path.display().to_string(),
        source,
    })
}

/// A WARC archive, [`CHUNK_LINES`] records at a time.
fn annotate_archive(
    path: &Path,
    max_bytes: u64,
    out: &mut impl Write,
    stats: &mut AnnotateStats,
) -> Result<(), AnnotateError> {
    let mut reader = ingest::WarcDocuments::open(path, max_bytes);
    loop {
        let (docs, errors) = crate::stream::next_chunk(&mut reader, CHUNK_LINES);
        stats.skipped.extend(errors);
        if docs.is_empty() {
            break;
        }
        annotate_documents(docs, out, stats)?;
    }
    stats.skipped.extend(reader.skipped_note());
    Ok(())
}

/// The documents read; the errors of the file or of its items go to the stats.
fn sort_read(
    read: Result<Vec<Result<RawDocument, IngestError>>, IngestError>,
    stats: &mut AnnotateStats,
) -> Vec<RawDocument> {
    let (docs, errors) = ingest::partition(read);
    stats.skipped.extend(errors);
    docs
}

fn merge(total: &mut AnnotateStats, one: AnnotateStats) {
    total.documents += one.documents;
    total.articles += one.articles;
    total.skipped.extend(one.skipped);
}

/// Up to [`CHUNK_LINES`] whole lines of `input`, and how many.
fn read_chunk(input: &mut impl BufRead, name: &str) -> Result<(Vec<u8>, u64), AnnotateError> {
    let mut chunk = Vec::new();
    let mut lines = 0;
    while lines < CHUNK_LINES as u64 {
        let read = input
            .read_until(b'\n', &mut chunk)
            .map_err(|source| AnnotateError::Read {
                name: name.to_string(),
                source,
            })?;
        if read == 0 {
            break;
        }
        lines += 1;
    }
    Ok((chunk, lines))
}

/// The documents of one chunk of JSONL lines, numbered from `first_line`; lines that cannot
/// be read go to the stats.
fn chunk_documents(
    chunk: &[u8],
    name: &str,
    first_line: u64,
    max_bytes: u64,
    stats: &mut AnnotateStats,
) -> Vec<RawDocument> {
    let renumber = |line: Option<u64>| line.map(|l| l + first_line - 1);
    let before = stats.skipped.len();
    let mut docs = sort_read(ingest::read_jsonl(chunk, name, max_bytes), stats);
    for d in &mut docs {
        d.line = renumber(d.line);
    }
    for e in &mut stats.skipped[before..] {
        e.line = renumber(e.line);
    }
    docs
}

/// Cleans and annotates `docs` (in parallel), writing their articles' lines in order.
pub fn annotate_documents(
    docs: Vec<RawDocument>,
    out: &mut impl Write,
    stats: &mut AnnotateStats,
) -> Result<(), AnnotateError> {
    stats.documents += docs.len();
    let articles: Vec<(Article, Option<u64>)> = docs
        .par_iter()
        .flat_map_iter(|doc| {
            let cleaned = clean::clean(doc);
            let line = doc.line;
            (cleaned.into_iter().enumerate()).map(move |(i, c)| (Article::new(&doc.id, i, c), line))
        })
        .collect();
    let (articles, lines): (Vec<Article>, Vec<Option<u64>>) = articles.into_iter().unzip();
    let mut pending = lang::annotate_pending(&articles, vec![None; articles.len()]);
    for ((a, line), ann) in articles.iter().zip(lines).zip(pending.take_computed()) {
        let Some(annotations) = ann else { continue };
        let names =
            lang::entities::mention_names(&a.text, &annotations.raw_mentions, lang::EVENT_NAMES);
        let event_keys = stories::blocking::event_keys(&a.id, a.published.as_deref(), &names);
        let record = Annotated {
            event_keys,
            document: a.document.clone(),
            line,
            article: a.id.clone(),
            version: lang::ANNOTATIONS_VERSION,
            annotations,
        };
        serde_json::to_writer(&mut *out, &record).map_err(|e| AnnotateError::Write(e.into()))?;
        out.write_all(b"\n").map_err(AnnotateError::Write)?;
        stats.articles += 1;
    }
    Ok(())
}

/// Annotations made before (by `crosscheck annotate`), by article: what a run given them
/// takes instead of computing them. Those of another build's version are left out.
#[derive(Debug, Default, Clone)]
pub struct Precomputed {
    by_article: HashMap<String, Vec<u8>>,
}

impl Precomputed {
    /// Reads the annotation lines of `paths` (files, or directories of files, as a Spark
    /// job writes them; empty lines and files whose name starts with `.` or `_` skipped).
    pub fn read(paths: &[impl AsRef<Path>]) -> Result<Precomputed, AnnotateError> {
        let mut out = Precomputed::default();
        for p in paths {
            for file in annotation_files(p.as_ref())? {
                out.read_file(&file)?;
            }
        }
        Ok(out)
    }

    fn read_file(&mut self, path: &Path) -> Result<(), AnnotateError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| AnnotateError::Read {
            name: name.clone(),
            source,
        })?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|source| AnnotateError::Read {
                name: name.clone(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            // The annotations stay the JSON text they are (what a store keeps); the run
            // decodes them once, where it takes them.
            let record: RawAnnotated =
                serde_json::from_str(&line).map_err(|e| AnnotateError::Parse {
                    path: name.clone(),
                    line: i + 1,
                    reason: e.to_string(),
                })?;
            if record.version == lang::ANNOTATIONS_VERSION {
                let data = record.annotations.get().as_bytes().to_vec();
                self.by_article.insert(record.article, data);
            }
        }
        Ok(())
    }

    /// Keeps `record` when this build would have made it.
    pub fn add(&mut self, record: Annotated) {
        if record.version == lang::ANNOTATIONS_VERSION {
            let data = serde_json::to_vec(&record.annotations).expect("annotations serialise");
            self.by_article.insert(record.article, data);
        }
    }

    pub fn len(&self) -> usize {
        self.by_article.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_article.is_empty()
    }

    /// The annotations of `ids` held here (encoded as a store keeps them), by id.
    pub(crate) fn get(&self, ids: &[String]) -> HashMap<String, Vec<u8>> {
        ids.iter()
            .filter_map(|id| Some((id.clone(), self.by_article.get(id)?.clone())))
            .collect()
    }
}

/// `path` itself, or the visible files of the directory `path` (sorted).
pub(crate) fn annotation_files(path: &Path) -> Result<Vec<std::path::PathBuf>, AnnotateError> {
    let read_err = |source| AnnotateError::Read {
        name: path.display().to_string(),
        source,
    };
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !(name.starts_with('.') || name.starts_with('_')) && entry.path().is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Input, Options, Quiet, analyze};

    /// The demo pages as JSONL records, with a broken line after the second.
    fn demo_jsonl() -> Vec<u8> {
        let mut body = Vec::new();
        for (i, (_, bytes)) in ingest::demo_files().iter().enumerate() {
            let text = String::from_utf8_lossy(bytes);
            let record = serde_json::json!({"text": text, "outlet": format!("outlet{i}")});
            body.extend(serde_json::to_vec(&record).unwrap());
            body.push(b'\n');
            if i == 1 {
                body.extend(b"{\"text\": 5}\n");
            }
        }
        body
    }

    fn annotate(body: &[u8], first_line: u64) -> (Vec<Annotated>, AnnotateStats) {
        let mut out = Vec::new();
        let stats = annotate_jsonl(body, "demo.jsonl", first_line, 1 << 24, &mut out).unwrap();
        let lines = (out.split(|&b| b == b'\n'))
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        (lines, stats)
    }

    #[test]
    fn lines_keep_their_place_in_the_whole_input() {
        let (lines, stats) = annotate(&demo_jsonl(), 101);
        assert_eq!(stats.documents, 5);
        assert_eq!(stats.articles, lines.len());
        assert!(lines.len() >= 5, "every page has an article");
        // The third page follows the broken line (102): line 104.
        let third = ingest::read_jsonl(&demo_jsonl(), "demo.jsonl", 1 << 24).unwrap()[3]
            .as_ref()
            .map(|d| d.id.clone())
            .unwrap();
        let line = lines.iter().find(|l| l.document == third).unwrap().line;
        assert_eq!(line, Some(104));
        assert_eq!(stats.skipped.len(), 1);
        assert_eq!(stats.skipped[0].line, Some(103));
        assert!(lines.iter().all(|l| l.version == lang::ANNOTATIONS_VERSION));
        assert!(lines.iter().any(|l| !l.annotations.raw_mentions.is_empty()));
    }

    /// A run given the annotations (all, some, or those of another build) equals a run that
    /// computed them.
    #[test]
    fn a_run_given_annotations_equals_a_run_that_computed_them() {
        let body = demo_jsonl();
        let input = Input::Jsonl {
            name: "demo.jsonl".into(),
            body: body.clone(),
        };
        let plain = analyze(&input, None, &Options::default(), &Quiet).unwrap();
        let (lines, _) = annotate(&body, 1);
        let mut stale = lines.clone();
        for l in &mut stale {
            l.version += 1;
            l.annotations.raw_mentions.clear();
        }
        let half: Vec<Annotated> = lines.iter().step_by(2).cloned().collect();
        for (name, given) in [("all", lines), ("half", half), ("stale", stale)] {
            let mut pre = Precomputed::default();
            given.into_iter().for_each(|r| pre.add(r));
            let opts = Options {
                annotations: Some(std::sync::Arc::new(pre)),
                ..Options::default()
            };
            let run = analyze(&input, None, &opts, &Quiet).unwrap();
            assert_eq!(run.articles, plain.articles, "{name}");
            assert_eq!(run.entities, plain.entities, "{name}");
            assert_eq!(run.events, plain.events, "{name}");
            assert_eq!(run.claims, plain.claims, "{name}");
            assert_eq!(run.claim_groups, plain.claim_groups, "{name}");
            assert_eq!(run.conflicts, plain.conflicts, "{name}");
        }
    }

    /// Given annotations are used: a run given altered ones shows them.
    #[test]
    fn given_annotations_are_taken_not_computed_again() {
        let body = demo_jsonl();
        let (mut lines, _) = annotate(&body, 1);
        for l in &mut lines {
            l.annotations.quantities.clear();
        }
        let mut pre = Precomputed::default();
        lines.into_iter().for_each(|r| pre.add(r));
        let opts = Options {
            annotations: Some(std::sync::Arc::new(pre)),
            ..Options::default()
        };
        let input = Input::Jsonl {
            name: "demo.jsonl".into(),
            body,
        };
        let run = analyze(&input, None, &opts, &Quiet).unwrap();
        let plain = analyze(&input, None, &Options::default(), &Quiet).unwrap();
        assert!(plain.articles.iter().any(|a| !a.quantities.is_empty()));
        assert!(run.articles.iter().all(|a| a.quantities.is_empty()));
    }
}
