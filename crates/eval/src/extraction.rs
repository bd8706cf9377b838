//! Evaluation of main-content extraction on the Zyte article-extraction benchmark layout.
//!
//! The dataset folder holds `ground-truth.json` (`{id: {articleBody, url}}`) and
//! `html/<id>.html.gz`. For each page the extractor's body text (the paragraphs joined by
//! `"\n"`, without title or captions, as the benchmark's `articleBody` has neither) is compared
//! with the ground truth the way the reference `evaluate.py` does:
//!
//! - tokens are runs of word characters (Python's `\w+`: letters, digits, underscore, case kept);
//! - each text becomes a multiset of overlapping 4-token shingles; a text of 1-3 tokens gives
//!   one shorter shingle, an empty text none;
//! - per page TP/FP/FN are the multiset intersection and differences, normalised to sum to 1
//!   (all zero when both texts are empty);
//! - precision is averaged over the pages with TP+FP > 0 (pages where nothing was predicted
//!   do not count for precision, as in the reference), recall over pages with TP+FN > 0;
//!   a page with FP = FN = 0 scores 1; F1 = 2PR/(P+R) from the two averages.
//!
//! Timing covers only the extraction call: pages are read and gunzipped first, then each page
//! is extracted serially on one thread and timed alone.

use crate::halves::Half;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("dataset folder {0} does not exist or is not a folder")]
    MissingDir(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{0} lists no pages")]
    Empty(PathBuf),
}

/// The result of one page.
#[derive(Debug, Clone)]
pub struct PageResult {
    pub id: String,
    pub url: Option<String>,
    /// Normalised (tp, fp, fn).
    pub tp_fp_fn: (f64, f64, f64),
    pub millis: f64,
    pub prediction: String,
}

/// Figures of one benchmark run; `Display` prints the figure lines.
#[derive(Debug, Clone)]
pub struct ExtractionReport {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub median_ms: f64,
    pub mean_ms: f64,
    pub max_ms: f64,
    pub pages: Vec<PageResult>,
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "precision {:.4} recall {:.4} f1 {:.4}",
            self.precision, self.recall, self.f1
        )?;
        writeln!(f, "median_ms {:.3}", self.median_ms)?;
        writeln!(f, "pages {}", self.pages.len())?;
        let empty = self
            .pages
            .iter()
            .filter(|p| p.prediction.trim().is_empty())
            .count();
        writeln!(f, "empty_predictions {empty}")?;
        writeln!(f, "mean_ms {:.3}", self.mean_ms)?;
        write!(f, "max_ms {:.3}", self.max_ms)?;
        for (half, name) in [(Half::A, "A (tuned on)"), (Half::B, "B (held apart)")] {
            let (p, r, f1, n) = self.half(half);
            write!(
                f,
                "\nhalf {name} precision {p:.4} recall {r:.4} f1 {f1:.4} pages {n}"
            )?;
        }
        Ok(())
    }
}

impl ExtractionReport {
    /// Precision, recall, F1 and pages of one fixed half: pages in id order, alternating
    /// (extraction rules and thresholds are tuned looking at half A only).
    pub fn half(&self, half: Half) -> (f64, f64, f64, usize) {
        let scores: Vec<_> = (self.pages.iter().enumerate())
            .filter(|(i, _)| Half::of_index(*i) == half)
            .map(|(_, p)| p.tp_fp_fn)
            .collect();
        let (p, r, f1) = metrics(&scores);
        (p, r, f1, scores.len())
    }
}

#[derive(serde::Deserialize)]
struct Truth {
    #[serde(rename = "articleBody", default)]
    article_body: String,
    #[serde(default)]
    url: Option<String>,
}

/// Runs `html::extract` on every page of the dataset in `dir`.
pub fn run(dir: &Path) -> Result<ExtractionReport, EvalError> {
    run_with(dir, |page, url| {
        let out = html::extract(page, url);
        body_text(&out)
    })
}

/// The text the benchmark compares: body paragraphs (subheads included) joined by newlines.
pub fn body_text(page: &html::HtmlPage) -> String {
    let mut s = String::new();
    for p in &page.paragraphs {
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(&p.text);
    }
    s
}

/// Runs any extractor (page HTML, url hint) -> body text over the dataset in `dir`; used to
/// compare candidate extractors with the same metric and timing.
pub fn run_with<F>(dir: &Path, extract: F) -> Result<ExtractionReport, EvalError>
where
    F: Fn(&str, Option<&str>) -> String,
{
    if !dir.is_dir() {
        return Err(EvalError::MissingDir(dir.to_path_buf()));
    }
    let truth_path = dir.join("ground-truth.json");
    let raw = std::fs::read(&truth_path).map_err(|source| EvalError::Io {
        path: truth_path.clone(),
        source,
    })?;
    let truth: HashMap<String, Truth> =
        serde_json::from_slice(&raw).map_err(|source| EvalError::Json {
            path: truth_path.clone(),
            source,
        })?;
    if truth.is_empty() {
        return Err(EvalError::Empty(truth_path));
    }
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();

    // Read everything first so that timing covers extraction only.
    let mut pages = Vec::with_capacity(ids.len());
    for id in &ids {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        pages.push(read_gz(&path)?);
    }

    let mut results = Vec::with_capacity(ids.len());
    for (id, page) in ids.iter().zip(&pages) {
        let t = &truth[*id];
        let start = Instant::now();
        let prediction = extract(page, t.url.as_deref());
        let millis = start.elapsed().as_secs_f64() * 1e3;
        let tp_fp_fn = shingle_matching(&t.article_body, &prediction);
        results.push(PageResult {
            id: (*id).clone(),
            url: t.url.clone(),
            tp_fp_fn,
            millis,
            prediction,
        });
    }
    let scores: Vec<_> = results.iter().map(|r| r.tp_fp_fn).collect();
    let (precision, recall, f1) = metrics(&scores);
    let mut times: Vec<f64> = results.iter().map(|r| r.millis).collect();
    times.sort_by(f64::total_cmp);
    Ok(ExtractionReport {
        precision,
        recall,
        f1,
        median_ms: median(&times),
        mean_ms: times.iter().sum::<f64>() / times.len() as f64,
        max_ms: times.last().copied().unwrap_or(0.0),
        pages: results,
    })
}

fn read_gz(path: &Path) -> Result<String, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Python `re` `\w+` on str: letters, digits/numerics and underscore.
fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn shingles<'a>(tokens: &'a [&'a str], n: usize) -> HashMap<&'a [&'a str], usize> {
    let mut bag = HashMap::new();
    if tokens.is_empty() {
        return bag;
    }
    // As the reference: at least one shingle, shorter than n when there are fewer tokens.
    let count = tokens.len().saturating_sub(n) + 1;
    for i in 0..count {
        let end = (i + n).min(tokens.len());
        *bag.entry(&tokens[i..end]).or_insert(0) += 1;
    }
    bag
}

/// Normalised (tp, fp, fn) of 4-token shingles between the true and predicted text.
pub fn shingle_matching(truth: &str, pred: &str) -> (f64, f64, f64) {
    let tt = tokenize(truth);
    let pt = tokenize(pred);
    let ts = shingles(&tt, 4);
    let ps = shingles(&pt, 4);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &t) in &ts {
        let p = ps.get(k).copied().unwrap_or(0);
        tp += t.min(p);
        fn_ += t.saturating_sub(p);
    }
    for (k, &p) in &ps {
        let t = ts.get(k).copied().unwrap_or(0);
        fp += p.saturating_sub(t);
    }
    let s = (tp + fp + fn_) as f64;
    if s > 0.0 {
        (tp as f64 / s, fp as f64 / s, fn_ as f64 / s)
    } else {
        (0.0, 0.0, 0.0)
    }
}

fn precision_score(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

fn recall_score(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fn_ == 0.0 {
        0.0
    } else {
        tp / (tp + fn_)
    }
}

/// (precision, recall, f1) over pages, as the reference `metrics_from_tp_fp_fns`.
pub fn metrics(scores: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let p = mean(
        scores
            .iter()
            .filter(|s| s.0 + s.1 > 0.0)
            .map(|s| precision_score(s.0, s.1, s.2))
            .collect(),
    );
    let r = mean(
        scores
            .iter()
            .filter(|s| s.0 + s.2 > 0.0)
            .map(|s| recall_score(s.0, s.1, s.2))
            .collect(),
    );
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_is_word_runs() {
        assert_eq!(
            tokenize("It's a_b, 3.5 café!"),
            ["It", "s", "a_b", "3", "5", "café"]
        );
    }

    #[test]
    fn identical_texts_score_one() {
        let s = shingle_matching("one two three four five", "one two three four five");
        assert_eq!(s, (1.0, 0.0, 0.0));
        assert_eq!(metrics(&[s]), (1.0, 1.0, 1.0));
    }

    #[test]
    fn partial_overlap_is_normalised() {
        // truth shingles: abcd bcde; pred: abcd bcdx -> tp 1, fp 1, fn 1
        let (tp, fp, fn_) = shingle_matching("a b c d e", "a b c d x");
        assert!((tp - 1.0 / 3.0).abs() < 1e-12);
        assert!((fp - 1.0 / 3.0).abs() < 1e-12);
        assert!((fn_ - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn short_texts_make_one_shingle() {
        assert_eq!(shingle_matching("a b", "a b"), (1.0, 0.0, 0.0));
        assert_eq!(shingle_matching("a b", "a b c"), (0.0, 0.5, 0.5));
    }

    #[test]
    fn empty_prediction_counts_for_recall_only() {
        let empty = shingle_matching("a b c d", "");
        assert_eq!(empty, (0.0, 0.0, 1.0));
        let good = shingle_matching("a b c d", "a b c d");
        let (p, r, _) = metrics(&[empty, good]);
        assert_eq!(p, 1.0);
        assert_eq!(r, 0.5);
        // Both empty: excluded from both averages.
        assert_eq!(shingle_matching("", ""), (0.0, 0.0, 0.0));
    }

    #[test]
    fn missing_dir_is_named() {
        let err = run(Path::new("/nonexistent/crosscheck-dataset")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/crosscheck-dataset"));
    }
}
