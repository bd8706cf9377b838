//! Near-duplicate detection measured against exact Jaccard, and the throughput of
//! `analyze` (read, clean, dedup; no store) on a JSONL corpus.
//!
//! Ground truth: every pair of articles whose exact Jaccard on our 5-token shingles is >= 0.8,
//! found through an inverted index over shingles (so no pair sharing a shingle is missed).
//! Predicted: the pairs that end up in the same copy group. Recall is the share of true pairs
//! predicted; precision is the share of predicted pairs that are near-duplicates by our rule
//! (Jaccard >= 0.8, or a cut copy: containment >= 0.9), and, stricter, by Jaccard alone.

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
}

impl fmt::Display for DedupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        writeln!(
            f,
            "recall {:.4} precision {:.4} precision_jaccard {:.4}",
            ratio(self.found_true_pairs, self.true_pairs),
            ratio(self.predicted_by_rule, self.predicted_pairs),
            ratio(self.predicted_by_jaccard, self.predicted_pairs)
        )?;
        writeln!(
            f,
            "pairs_true {} pairs_predicted {} pairs_found {}",
            self.true_pairs, self.predicted_pairs, self.found_true_pairs
        )?;
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

/// Runs the pipeline over `file` and scores its copy groups against exact Jaccard.
pub fn run(file: &Path) -> Result<DedupReport, EvalError> {
    let start = Instant::now();
    let analysis = pipeline::analyze(
        &pipeline::Input::Paths(vec![file.to_path_buf()]),
        None,
        &pipeline::Options::default(),
        &pipeline::Quiet,
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let peak = peak_rss_kb();
    let arts = &analysis.articles;
    if arts.is_empty() {
        return Err(EvalError::Empty(file.display().to_string()));
    }
    let bytes: u64 = analysis.documents.iter().map(|d| d.bytes).sum();

    let sets: Vec<Vec<u64>> = arts
        .par_iter()
        .map(|a| {
            let paras: Vec<&str> = (0..a.paragraphs.len()).map(|i| a.paragraph_text(i)).collect();
            dedup::shingles(&paras.join("\n"))
        })
        .collect();
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
    let group: Vec<&str> = arts.iter().map(|a| a.origin.as_str()).collect();
    let mut true_pairs = 0;
    let mut found = 0;
    for (&(a, b), &inter) in &shared {
        let (la, lb) = (sets[a as usize].len(), sets[b as usize].len());
        let j = inter as f64 / (la + lb - inter as usize) as f64;
        if j >= dedup::JACCARD {
            true_pairs += 1;
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
                if ov.is_copy() {
                    by_rule += 1;
                }
                if ov.jaccard >= dedup::JACCARD {
                    by_jaccard += 1;
                }
            }
        }
    }
    Ok(DedupReport {
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
