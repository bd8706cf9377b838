//! Copies and event candidates found key by key, for a job that spreads them over many
//! machines (the Spark backfill in `deploy/spark`).
//!
//! The duplicate index compares a new article only with earlier articles that share one of
//! its fingerprint keys (the exact hash, a MinHash band, a long paragraph). So the input's
//! lines fall apart into *key groups*: the connected components of "shares a key". Deduplicating
//! each group alone, its lines in input order, gives every article the origin and paragraph
//! links a run over the whole input gives it. A job therefore:
//!
//! 1. writes each line's keys ([`write_keys`]: one [`KeyLine`] per document line);
//! 2. shuffles by key and joins the lines into groups (connected components);
//! 3. deduplicates each group on its own ([`dedup_groups`]: one [`Copy`] line per article);
//! 4. hands the [`Copy`] lines to the run ([`crate::Options::copies`], read by
//!    [`KnownCopies::read`]), which then takes each article's copy layer from them instead
//!    of deduplicating the whole input. An article they miss makes the run deduplicate
//!    everything itself, so the result never depends on the job being complete.
//!
//! Event candidates by name go the same way: `crosscheck annotate` writes each article's keys
//! (`stories::blocking::EventKeys`) on its line, the job groups them by key and reduces each
//! group (`stories::blocking::shuffle`), and the run takes one [`Candidates`] line per article
//! ([`KnownCandidates`], [`crate::Options::event_candidates`]) instead of its own index when
//! they list every article with keys.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use ingest::RawDocument;
use model::Article;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::annotate::{AnnotateError, AnnotateStats, CHUNK_LINES};
use crate::copies;

/// One document line's articles and the fingerprint keys they are found by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyLine {
    pub line: u64,
    /// The ids of the line's articles, in order.
    pub articles: Vec<String>,
    /// Every key of every article, sorted, each once.
    pub keys: Vec<String>,
}

/// One article's copy layer, as deduplicating its key group found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    pub article: String,
    /// The first copy of its copy group (itself when none is earlier).
    pub origin: String,
    /// `(paragraph, article, paragraph there)` for paragraphs found in an earlier article
    /// that is not a copy of this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<(usize, String, usize)>,
}

/// Writes one [`KeyLine`] per document of the JSONL `input` that has articles (named `name`,
/// its first line numbered `first_line`).
pub fn write_keys(
    input: impl BufRead,
    name: &str,
    first_line: u64,
    max_bytes: u64,
    out: &mut impl Write,
) -> Result<AnnotateStats, AnnotateError> {
    let mut stats = AnnotateStats::default();
    let each = |docs: Vec<RawDocument>, stats: &mut AnnotateStats| {
        stats.documents += docs.len();
        let keyed: Vec<Option<KeyLine>> = docs.par_iter().map(key_line).collect();
        for k in keyed.into_iter().flatten() {
            stats.articles += k.articles.len();
            write_line(out, &k)?;
        }
        Ok(())
    };
    crate::annotate::for_each_chunk(input, name, first_line, max_bytes, &mut stats, each)?;
    Ok(stats)
}

/// A document's articles and keys (none when nothing could be cleaned from it).
fn key_line(doc: &RawDocument) -> Option<KeyLine> {
    let cleaned = clean::clean(doc);
    let line = doc.line?;
    if cleaned.is_empty() {
        return None;
    }
    let mut keys = Vec::new();
    let mut articles = Vec::new();
    for (i, c) in cleaned.into_iter().enumerate() {
        let a = Article::new(&doc.id, i, c);
        keys.extend(copies::all_keys(&copies::fingerprint(&a)));
        articles.push(a.id);
    }
    keys.sort_unstable();
    keys.dedup();
    Some(KeyLine {
        line,
        articles,
        keys,
    })
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> Result<(), AnnotateError> {
    serde_json::to_writer(&mut *out, value).map_err(|e| AnnotateError::Write(e.into()))?;
    out.write_all(b"\n").map_err(AnnotateError::Write)
}

/// Deduplicates key groups given as `GROUP<TAB>LINE<TAB>JSONL record` lines (a group's lines
/// together), each group on its own, its records in line order; writes one [`Copy`] line per
/// article.
pub fn dedup_groups(
    input: impl BufRead,
    max_bytes: u64,
    out: &mut impl Write,
) -> Result<AnnotateStats, AnnotateError> {
    let mut stats = AnnotateStats::default();
    let mut pending: Vec<Group> = Vec::new();
    let mut started = std::collections::HashSet::new();
    let mut held = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(|source| AnnotateError::Read {
            name: "-".into(),
            source,
        })?;
        if line.is_empty() {
            continue;
        }
        let (group, number, record) = split_group_line(&line, i + 1)?;
        match pending.last_mut() {
            Some(g) if g.id == group => g.lines.push((number, record)),
            _ => {
                if !started.insert(group.clone()) {
                    return Err(AnnotateError::Parse {
                        path: "-".into(),
                        line: i + 1,
                        reason: format!("the lines of group {group} are not together"),
                    });
                }
                if held >= CHUNK_LINES {
                    flush(&mut pending, max_bytes, out, &mut stats)?;
                    held = 0;
                }
                pending.push(Group {
                    id: group,
                    lines: vec![(number, record)],
                });
            }
        }
        held += 1;
    }
    flush(&mut pending, max_bytes, out, &mut stats)?;
    Ok(stats)
}

/// The lines of one key group.
struct Group {
    id: String,
    lines: Vec<(u64, String)>,
}

fn split_group_line(line: &str, at: usize) -> Result<(String, u64, String), AnnotateError> {
    let bad = |reason: &str| AnnotateError::Parse {
        path: "-".into(),
        line: at,
        reason: reason.into(),
    };
    let mut parts = line.splitn(3, '\t');
    let group = parts.next().unwrap_or_default().to_string();
    let number = (parts.next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| bad("expected GROUP<TAB>LINE<TAB>RECORD"))?;
    let record = parts.next().ok_or_else(|| bad("no record"))?.to_string();
    Ok((group, number, record))
}

/// Deduplicates the held groups (in parallel) and writes their articles' lines in order.
fn flush(
    groups: &mut Vec<Group>,
    max_bytes: u64,
    out: &mut impl Write,
    stats: &mut AnnotateStats,
) -> Result<(), AnnotateError> {
    let done: Vec<(Vec<Copy>, AnnotateStats)> = groups
        .par_iter_mut()
        .map(|g| dedup_group(g, max_bytes))
        .collect();
    groups.clear();
    for (found, s) in done {
        stats.documents += s.documents;
        stats.skipped.extend(s.skipped);
        for c in &found {
            write_line(out, c)?;
        }
        stats.articles += found.len();
    }
    Ok(())
}

/// One group, deduplicated as the whole input's run would: its documents in line order, each
/// document once.
fn dedup_group(g: &mut Group, max_bytes: u64) -> (Vec<Copy>, AnnotateStats) {
    g.lines.sort_by_key(|(n, _)| *n);
    let mut stats = AnnotateStats::default();
    let mut seen = std::collections::HashSet::new();
    let mut docs = Vec::new();
    for (number, record) in &g.lines {
        let mut body = record.clone().into_bytes();
        body.push(b'\n');
        let read = ingest::read_jsonl(body.as_slice(), &g.id, max_bytes);
        let (read, errors) = ingest::partition(read);
        stats.skipped.extend(errors);
        for mut d in read {
            d.line = Some(*number);
            if seen.insert(d.id.clone()) {
                docs.push(d);
            }
        }
    }
    stats.documents = docs.len();
    let cleaned = crate::clean_all(docs, &crate::Quiet);
    let found = match copies::dedup(None, cleaned) {
        Ok(d) => d.articles.iter().map(copy_of).collect(),
        // Without a store, deduplication reads nothing and cannot fail.
        Err(_) => Vec::new(),
    };
    (found, stats)
}

fn copy_of(a: &Article) -> Copy {
    let paragraphs = (a.paragraphs.iter().enumerate())
        .filter_map(|(i, p)| {
            let r = p.copy_of.as_ref()?;
            Some((i, r.article.clone(), r.paragraph))
        })
        .collect();
    Copy {
        article: a.id.clone(),
        origin: a.origin.clone(),
        paragraphs,
    }
}

/// Copy layers found before (by [`dedup_groups`]), by article.
#[derive(Debug, Default, Clone)]
pub struct KnownCopies {
    by_article: HashMap<String, Copy>,
}

impl KnownCopies {
    /// Reads the [`Copy`] lines of `paths` (files, or directories of part files).
    pub fn read(paths: &[impl AsRef<Path>]) -> Result<KnownCopies, AnnotateError> {
        let mut out = KnownCopies::default();
        read_lines(paths, |copy| out.add(copy))?;
        Ok(out)
    }

    pub fn add(&mut self, copy: Copy) {
        self.by_article.insert(copy.article.clone(), copy);
    }

    pub fn len(&self) -> usize {
        self.by_article.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_article.is_empty()
    }

    pub(crate) fn get(&self, article: &str) -> Option<&Copy> {
        self.by_article.get(article)
    }
}

/// Hands every JSON line of `paths` (files, or directories of part files) to `f`.
fn read_lines<T: serde::de::DeserializeOwned>(
    paths: &[impl AsRef<Path>],
    mut f: impl FnMut(T),
) -> Result<(), AnnotateError> {
    for p in paths {
        for path in crate::annotate::annotation_files(p.as_ref())? {
            let name = path.display().to_string();
            let read_err = |source| AnnotateError::Read {
                name: name.clone(),
                source,
            };
            let file = std::fs::File::open(&path).map_err(read_err)?;
            for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line.map_err(read_err)?;
                if line.trim().is_empty() {
                    continue;
                }
                f(
                    serde_json::from_str(&line).map_err(|e| AnnotateError::Parse {
                        path: name.clone(),
                        line: i + 1,
                        reason: e.to_string(),
                    })?,
                );
            }
        }
    }
    Ok(())
}

/// One article's event candidates by name, as a job's shuffle by key found them
/// (`stories::blocking`): the earlier articles among the latest posts of its keys, each with
/// the number of keys it was found by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidates {
    pub article: String,
    pub candidates: Vec<(String, u32)>,
}

/// Event candidates found before, by article. A run uses them only when they list every
/// article of its batch that has name keys; otherwise it finds them itself, so the result
/// never depends on the job being complete.
#[derive(Debug, Default, Clone)]
pub struct KnownCandidates {
    given: std::sync::Arc<stories::blocking::Given>,
    /// Whether a run took them (for the caller to say so when it did not).
    taken: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl KnownCandidates {
    /// Reads the [`Candidates`] lines of `paths` (files, or directories of part files).
    pub fn read(paths: &[impl AsRef<Path>]) -> Result<KnownCandidates, AnnotateError> {
        let mut out = KnownCandidates::default();
        read_lines(paths, |c| out.add(c))?;
        Ok(out)
    }

    /// Adds one article's line (lines of one article add up).
    pub fn add(&mut self, c: Candidates) {
        let given = std::sync::Arc::make_mut(&mut self.given);
        given.entry(c.article).or_default().extend(c.candidates);
    }

    /// Whether every article of `batch` with name keys is listed.
    pub(crate) fn covers(&self, batch: &[Article]) -> bool {
        batch.iter().all(|a| {
            stories::blocking::event_keys(&a.id, a.published.as_deref(), &a.names).is_none()
                || self.given.contains_key(&a.id)
        })
    }

    pub(crate) fn take(&self) -> std::sync::Arc<stories::blocking::Given> {
        self.taken.store(true, std::sync::atomic::Ordering::Relaxed);
        self.given.clone()
    }

    /// Whether a run took them (they listed every article of its batch with keys).
    pub fn taken(&self) -> bool {
        self.taken.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.given.len()
    }

    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
    }
}

#[cfg(test)]
#[path = "keyed_tests.rs"]
mod tests;
