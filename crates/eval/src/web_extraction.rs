//! Evaluation of main-content extraction on a must / must-not snippet set (trafilatura's
//! evaluation format), as `score_web_extraction.py` scores it.
//!
//! The dataset folder holds `evaldata.json` (`{url: {file, with: [...], without: [...]}}`) and
//! `html/<file>.gz` (or `html/<file>`). Each page goes the way `crosscheck analyze` takes it:
//! `ingest::page_document` (decoding), then `clean::clean`; the texts of its articles are
//! joined by newlines. Whitespace runs count as one space (Python's `re.sub(r"\s+", " ", s)
//! .strip()`); a `with` snippet found in the text is a true positive, missing a false
//! negative, a `without` snippet found a false positive. Counts are summed over pages.
//!
//! Pages are also split into two fixed halves by a hash of the file name (xxh3, even: A, odd:
//! B), so that rules can be tuned on one half and reported on the other. Timing covers
//! decoding, extraction and cleaning of one page, serially on one thread.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::extraction::EvalError;

#[derive(serde::Deserialize)]
pub(crate) struct Item {
    pub(crate) file: String,
    #[serde(default)]
    pub(crate) with: Vec<String>,
    #[serde(default)]
    pub(crate) without: Vec<String>,
}

pub use crate::halves::Half;

/// Half of a page, from its file name.
pub fn half_of(file: &str) -> Half {
    if xxhash_rust::xxh3::xxh3_64(file.as_bytes()).is_multiple_of(2) {
        Half::A
    } else {
        Half::B
    }
}

/// The outcome of one page.
#[derive(Debug, Clone)]
pub struct PageResult {
    pub url: String,
    pub file: String,
    pub half: Half,
    pub found: usize,
    /// `with` snippets missing from the text.
    pub missed: Vec<String>,
    /// `without` snippets present in the text.
    pub leaked: Vec<String>,
    pub millis: f64,
    pub text: String,
}

/// Summed counts of a set of pages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub pages: usize,
}

impl Counts {
    fn add(&mut self, p: &PageResult) {
        self.tp += p.found;
        self.fp += p.leaked.len();
        self.fn_ += p.missed.len();
        self.pages += 1;
    }

    /// (precision, recall, f1), 0 where undefined, as the Python scorer.
    pub fn scores(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| {
            if a + b > 0 {
                a as f64 / (a + b) as f64
            } else {
                0.0
            }
        };
        let p = ratio(self.tp, self.fp);
        let r = ratio(self.tp, self.fn_);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, r, f1) = self.scores();
        write!(
            f,
            "precision {p:.3} recall {r:.3} f1 {f1:.3} over {} pages",
            self.pages
        )
    }
}

/// Figures of one run; `Display` prints the scorer's line, the two halves and the timing.
#[derive(Debug, Clone)]
pub struct WebExtractionReport {
    pub all: Counts,
    pub half_a: Counts,
    pub half_b: Counts,
    pub median_ms: f64,
    pub pages: Vec<PageResult>,
}

impl fmt::Display for WebExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.all)?;
        writeln!(f, "half A: {}", self.half_a)?;
        writeln!(f, "half B: {}", self.half_b)?;
        write!(f, "median_ms {:.3}", self.median_ms)
    }
}

impl WebExtractionReport {
    /// Per page with a miss or a leak: `half file url`, then `- missed` and `+ leaked` lines.
    pub fn misses(&self) -> String {
        let mut s = String::new();
        for p in &self.pages {
            if p.missed.is_empty() && p.leaked.is_empty() {
                continue;
            }
            let chars = p.text.chars().count();
            s.push_str(&format!(
                "{:?} {} {} ({chars} chars)\n",
                p.half, p.file, p.url
            ));
            for m in &p.missed {
                s.push_str(&format!("  - {m}\n"));
            }
            for l in &p.leaked {
                s.push_str(&format!("  + {l}\n"));
            }
        }
        s
    }
}

/// Scores the pipeline's HTML cleaning on the snippet set in `dir`.
pub fn run(dir: &Path) -> Result<WebExtractionReport, EvalError> {
    if !dir.is_dir() {
        return Err(EvalError::MissingDir(dir.to_path_buf()));
    }
    let items = read_items(&dir.join("evaldata.json"))?;
    let mut pages = Vec::with_capacity(items.len());
    for (url, item) in &items {
        let bytes = read_page(&dir.join("html"), &item.file)?;
        let start = Instant::now();
        let text = page_text(&item.file, bytes.as_deref());
        let millis = start.elapsed().as_secs_f64() * 1e3;
        pages.push(score_page(url, item, text, millis));
    }
    let mut report = WebExtractionReport {
        all: Counts::default(),
        half_a: Counts::default(),
        half_b: Counts::default(),
        median_ms: 0.0,
        pages,
    };
    for p in &report.pages {
        report.all.add(p);
        match p.half {
            Half::A => report.half_a.add(p),
            Half::B => report.half_b.add(p),
        }
    }
    let mut times: Vec<f64> = report.pages.iter().map(|p| p.millis).collect();
    times.sort_by(f64::total_cmp);
    report.median_ms = median(&times);
    Ok(report)
}

pub(crate) fn read_items(path: &Path) -> Result<BTreeMap<String, Item>, EvalError> {
    let raw = std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let items: BTreeMap<String, Item> =
        serde_json::from_slice(&raw).map_err(|source| EvalError::Json {
            path: path.to_path_buf(),
            source,
        })?;
    if items.is_empty() {
        return Err(EvalError::Empty(path.to_path_buf()));
    }
    Ok(items)
}

/// The page's bytes (gunzipped), `None` when the file is missing: the scorer then sees no text.
pub(crate) fn read_page(html_dir: &Path, file: &str) -> Result<Option<Vec<u8>>, EvalError> {
    let gz = html_dir.join(format!("{file}.gz"));
    let (path, gzip): (PathBuf, bool) = if gz.is_file() {
        (gz, true)
    } else {
        (html_dir.join(file), false)
    };
    if !path.is_file() {
        return Ok(None);
    }
    let io = |source| EvalError::Io {
        path: path.clone(),
        source,
    };
    let raw = std::fs::read(&path).map_err(io)?;
    if !gzip {
        return Ok(Some(raw));
    }
    let mut bytes = Vec::new();
    flate2::read::MultiGzDecoder::new(raw.as_slice())
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(Some(bytes))
}

/// The texts of the page's articles joined by newlines, as `analyze` reports them.
pub fn page_text(file: &str, bytes: Option<&[u8]>) -> String {
    let (Some(bytes), Some((kind, _))) = (bytes, ingest::classify(Path::new(file))) else {
        return String::new();
    };
    let Ok(doc) = ingest::page_document(file, kind, bytes) else {
        return String::new();
    };
    let texts: Vec<String> = clean::clean(&doc).into_iter().map(|a| a.text).collect();
    texts.join("\n")
}

fn score_page(url: &str, item: &Item, text: String, millis: f64) -> PageResult {
    let res = norm(&text);
    let has = |s: &String| res.contains(&norm(s));
    PageResult {
        url: url.to_string(),
        file: item.file.clone(),
        half: half_of(&item.file),
        found: item.with.iter().filter(|w| has(w)).count(),
        missed: item.with.iter().filter(|w| !has(w)).cloned().collect(),
        leaked: item.without.iter().filter(|w| has(w)).cloned().collect(),
        millis,
        text,
    }
}

/// Python's `\s` in a str pattern: Unicode whitespace plus the information separators.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whitespace runs as one space, trimmed.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if py_space(c) {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_runs_are_one_space() {
        assert_eq!(norm("  a \n\n b\u{a0}\tc\u{1f}d  "), "a b c d");
    }

    #[test]
    fn counts_follow_the_scorer() {
        let item = Item {
            file: "p.html".into(),
            with: vec!["first  para".into(), "missing".into()],
            without: vec!["Share this".into(), "absent".into()],
        };
        let p = score_page("u", &item, "first\npara\n\nShare   this".into(), 1.0);
        assert_eq!((p.found, p.missed.len(), p.leaked.len()), (1, 1, 1));
        let mut c = Counts::default();
        c.add(&p);
        assert_eq!(
            c.to_string(),
            "precision 0.500 recall 0.500 f1 0.500 over 1 pages"
        );
    }

    #[test]
    fn pages_go_through_decoding_and_cleaning() {
        let html = b"<html><head><meta charset=\"windows-1252\"><title>T</title></head><body>\
            <nav><a href=\"/\">Home</a> <a href=\"/n\">News</a></nav><article><p>Le caf\xe9 \
            de la place a rouvert ses portes ce matin, apr\xe8s trois mois de travaux, et les \
            habitu\xe9s \xe9taient d\xe9j\xe0 l\xe0.</p></article></body></html>";
        let text = page_text("p.html", Some(html));
        assert!(text.contains("Le café de la place"), "{text}");
        assert!(!text.contains("Home"));
        assert_eq!(page_text("p.html", None), "");
    }

    #[test]
    fn halves_are_fixed_by_name() {
        let names: Vec<String> = (0..200).map(|i| format!("{i}.html")).collect();
        let a = names.iter().filter(|n| half_of(n) == Half::A).count();
        assert!((70..=130).contains(&a), "{a}");
        assert_eq!(half_of("x.html"), half_of("x.html"));
    }
}
