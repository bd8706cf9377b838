//! Near-duplicate detection measured against exact Jaccard, and the throughput of
//! `analyze` (read, clean, dedup; no store) on a JSONL corpus.
//!
//! Ground truth: every pair of articles whose exact Jaccard on our 5-token shingles is >= 0.8,
//! found through an inverted index over shingles (so no pair sharing a shingle is missed).
//!
//! * **recall**: the share of true pairs that end up in one copy group.
//! * **precision**: the share of the links the detector made (LSH candidate, verified) whose
//!   exact Jaccard is >= 0.8; links made by the cut-copy rule (containment >= 0.9) and the
//!   edited-copy rule (on distinct words) count as misses here, so `links_by_rule` gives the
//!   share that meet our own rules (1.0 by design).
//! * **group pairs**: all pairs inside copy groups. Pairs below 0.8 are expected (copies of one
//!   original at different edit rates are one origin though not 0.8-similar to each other),
//!   so these figures are for information.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{0}: no article could be read")]
    Empty(String),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
}

/// Figures of one dedup evaluation.
#[derive(Debug, Clone)]
pub struct DedupReport {
    pub articles: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub peak_rss_kb: Option<u64>,
    pub index_bytes: usize,
    pub true_pairs: usize,
    pub predicted_pairs: usize,
    pub found_true_pairs: usize,
    pub predicted_by_rule: usize,
    pub predicted_by_jaccard: usize,
    pub links: usize,
    pub links_true: usize,
    pub links_by_rule: usize,
    pub true_pairs_linked: usize,
}

impl fmt::Display for DedupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        if self.true_pairs + self.predicted_pairs == 0 {
            writeln!(f, "ground truth skipped (--throughput-only)")?;
        } else {
            writeln!(
                f,
                "recall {:.4} precision {:.4}",
                ratio(self.found_true_pairs, self.true_pairs),
                ratio(self.links_true, self.links),
            )?;
            writeln!(
                f,
                "pairs_true {} links {} links_true {} links_by_rule {:.4}",
                self.true_pairs,
                self.links,
                self.links_true,
                ratio(self.links_by_rule, self.links)
            )?;
        }
        if self.predicted_pairs > 0 {
            writeln!(
                f,
                "group_pairs {} group_pairs_by_rule {:.4} group_pairs_jaccard {:.4}",
                self.predicted_pairs,
                ratio(self.predicted_by_rule, self.predicted_pairs),
                ratio(self.predicted_by_jaccard, self.predicted_pairs)
            )?;
        }
        writeln!(
            f,
            "articles {} articles_per_s {:.0} mb_per_s {:.1} seconds {:.2}",
            self.articles,
            self.articles as f64 / self.seconds,
            self.bytes as f64 / 1e6 / self.seconds,
            self.seconds
        )?;
        writeln!(
            f,
            "index_bytes_per_article {:.0} peak_rss_mb {}",
            self.index_bytes as f64 / self.articles.max(1) as f64,
            self.peak_rss_kb
                .map(|k| format!("{:.0}", k as f64 / 1024.0))
                .unwrap_or_else(|| "unknown".into())
        )
    }
}

/// Peak resident memory of this process (Linux), in KiB.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the pipeline over `file` and scores its copy groups against exact Jaccard (skipped
/// with `truth == false`, for corpora too large for the all-pairs ground truth).
pub fn run(file: &Path, truth: bool) -> Result<DedupReport, EvalError> {
    let start = Instant::now();
    let analysis = pipeline::analyze(
        &pipeline::Input::Paths(vec![file.to_path_buf()]),
        None,
        &pipeline::Options {
            annotate: false,
            ..Default::default()
        },
        &pipeline::Quiet,
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let peak = peak_rss_kb();
    let arts = &analysis.articles;
    if arts.is_empty() {
        return Err(EvalError::Empty(file.display().to_string()));
    }
    let bytes: u64 = analysis.documents.iter().map(|d| d.bytes).sum();
    if !truth {
        return Ok(DedupReport {
            articles: arts.len(),
            bytes,
            seconds,
            peak_rss_kb: peak,
            index_bytes: analysis.report.dedup_index_bytes,
            true_pairs: 0,
            predicted_pairs: 0,
            found_true_pairs: 0,
            predicted_by_rule: 0,
            predicted_by_jaccard: 0,
            links: 0,
            links_true: 0,
            links_by_rule: 0,
            true_pairs_linked: 0,
        });
    }

    let (sets, words): (Vec<Vec<u64>>, Vec<Vec<u64>>) = arts
        .par_iter()
        .map(|a| {
            let paras: Vec<&str> = (0..a.paragraphs.len())
                .map(|i| a.paragraph_text(i))
                .collect();
            let tokens = dedup::token_hashes(&paras.join("\n"));
            (dedup::shingles_of_tokens(&tokens), dedup::words(&tokens))
        })
        .unzip();
    let by_rules = |a: usize, b: usize| {
        dedup::Overlap::of(&sets[a], &sets[b]).is_copy()
            || dedup::is_edited_copy(&words[a], &words[b])
    };
    // Inverted index: shingle -> articles holding it.
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for &h in s {
            postings.entry(h).or_default().push(i as u32);
        }
    }
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for list in postings.values() {
        if list.len() > 2000 {
            continue; // a boilerplate shingle carries no pair signal worth quadratic work
        }
        for x in 0..list.len() {
            for y in x + 1..list.len() {
                *shared.entry((list[x], list[y])).or_default() += 1;
            }
        }
    }
    // The detector's own links, from a second pass through the index in input order.
    let mut index = dedup::Index::new();
    let mut link_pairs: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    let para_texts = |a: &model::Article| -> Vec<String> {
        (0..a.paragraphs.len())
            .map(|i| a.paragraph_text(i).to_string())
            .collect()
    };
    for (i, a) in arts.iter().enumerate() {
        let fp = dedup::Fingerprint::new((0..a.paragraphs.len()).map(|p| a.paragraph_text(p)));
        let mut texts = |item: u32| arts.get(item as usize).map(para_texts);
        let added = index.add(&fp, &mut texts);
        for (other, _) in added.links {
            link_pairs.insert((other, i as u32));
        }
    }
    let group: Vec<&str> = arts.iter().map(|a| a.origin.as_str()).collect();
    let mut true_pairs = 0;
    let mut true_linked = 0;
    let mut found = 0;
    for (&(a, b), &inter) in &shared {
        let (la, lb) = (sets[a as usize].len(), sets[b as usize].len());
        let j = inter as f64 / (la + lb - inter as usize) as f64;
        if j >= dedup::JACCARD {
            true_pairs += 1;
            if link_pairs.contains(&(a, b)) {
                true_linked += 1;
            }
            if group[a as usize] == group[b as usize] {
                found += 1;
            }
        }
    }
    // Predicted pairs: all pairs inside each copy group.
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, g) in group.iter().enumerate() {
        members.entry(g).or_default().push(i);
    }
    let (mut predicted, mut by_rule, mut by_jaccard) = (0, 0, 0);
    for m in members.values() {
        for x in 0..m.len() {
            for y in x + 1..m.len() {
                predicted += 1;
                let ov = dedup::Overlap::of(&sets[m[x]], &sets[m[y]]);
                if by_rules(m[x], m[y]) {
                    by_rule += 1;
                }
                if ov.jaccard >= dedup::JACCARD {
                    by_jaccard += 1;
                }
            }
        }
    }
    let link_overlaps: Vec<dedup::Overlap> = link_pairs
        .iter()
        .map(|&(a, b)| dedup::Overlap::of(&sets[a as usize], &sets[b as usize]))
        .collect();
    let links_true = link_overlaps
        .iter()
        .filter(|o| o.jaccard >= dedup::JACCARD)
        .count();
    let links_by_rule = (link_pairs.iter())
        .filter(|&&(a, b)| by_rules(a as usize, b as usize))
        .count();
    Ok(DedupReport {
        links: link_pairs.len(),
        links_true,
        links_by_rule,
        true_pairs_linked: true_linked,
        articles: arts.len(),
        bytes,
        seconds,
        peak_rss_kb: peak,
        index_bytes: analysis.report.dedup_index_bytes,
        true_pairs,
        predicted_pairs: predicted,
        found_true_pairs: found,
        predicted_by_rule: by_rule,
        predicted_by_jaccard: by_jaccard,
    })
}
