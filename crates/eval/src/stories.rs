//! Event clustering measured against gold event groupings (BASIL, ECB+).
//!
//! `run(DIR)` recognises the data set from its files:
//!
//! * **BASIL**: one JSON file per article (`title`, `date`, `source`, `triplet-uuid`,
//!   `body-paragraphs`: a Python-literal string, or a list, of paragraphs that are lists of
//!   sentences). Text = the paragraphs; `date` is the publication date; the gold event is
//!   `triplet-uuid`.
//! * **ECB+**: `N/N_Mecb.xml` and `N/N_Mecbplus.xml` token XML (`<token t_id sentence
//!   number>word</token>`). Sentences become paragraphs; a first sentence that is a URL (as in
//!   the ECB+ documents) becomes the article's `url`, the next sentence its title; no
//!   publication date is given. The gold event is the sub-topic (topic N, `ecb` or `ecbplus`).
//!
//! All documents are deduplicated (copies share an origin, as in the pipeline), annotated by
//! the language layer (`lang::annotate_all`: entity mentions, temporal expressions) and
//! clustered at once with the default [`stories::StoryConfig`], without the topics. The report prints
//! pairwise and B-cubed precision, recall and F1 of the predicted events against the gold
//! groups.
//!
//! The gold groups also fall into two fixed halves (see [`crate::halves`]): BASIL events
//! alternate in file order (year folder, then event id), ECB+ topics go by number (even: A,
//! odd: B), so both sub-topics of a topic stay together. The clustering runs once over all
//! documents; each half is scored on its own documents only. Settings are tuned by looking
//! at half A; half B is the estimate on events the tuning did not see.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use model::{Article, CleanArticle};

use crate::halves::Half;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{0}: cannot read: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}: invalid JSON: {1}")]
    Json(PathBuf, serde_json::Error),
    #[error("{0}: {1}")]
    Format(PathBuf, String),
    #[error(
        "{0}: neither BASIL (JSON files with triplet-uuid) nor ECB+ (N/N_*ecb.xml, N_*ecbplus.xml)"
    )]
    Unknown(PathBuf),
}

/// A data set read into articles with their gold group.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// `basil` or `ecbplus`.
    pub name: &'static str,
    pub articles: Vec<Article>,
    /// The gold event of each article.
    pub gold: Vec<String>,
    /// The run-wide entity table of the language layer.
    pub entities: Vec<model::Entity>,
}

/// Clustering figures.
#[derive(Debug, Clone, Default)]
pub struct StoriesReport {
    pub dataset: String,
    pub documents: usize,
    pub gold_groups: usize,
    pub predicted_events: usize,
    pub pairwise: Prf,
    pub bcubed: Prf,
    pub seconds: f64,
    /// Scores of the documents of half A and of half B.
    pub halves: [HalfScores; 2],
}

/// Scores of one half's documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct HalfScores {
    pub documents: usize,
    pub gold_groups: usize,
    pub pairwise: Prf,
    pub bcubed: Prf,
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

impl fmt::Display for StoriesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.pairwise;
        writeln!(
            f,
            "pairwise precision {:.4} recall {:.4} f1 {:.4}",
            p.precision, p.recall, p.f1
        )?;
        let b = &self.bcubed;
        writeln!(
            f,
            "bcubed precision {:.4} recall {:.4} f1 {:.4}",
            b.precision, b.recall, b.f1
        )?;
        writeln!(f, "dataset {}", self.dataset)?;
        writeln!(f, "documents {}", self.documents)?;
        writeln!(f, "gold groups {}", self.gold_groups)?;
        writeln!(f, "predicted events {}", self.predicted_events)?;
        // The halves come before the rate line, which stays the last one.
        for half in [Half::A, Half::B] {
            let h = &self.halves[half as usize];
            writeln!(
                f,
                "{} pairwise f1 {:.4} bcubed f1 {:.4} documents {} gold groups {}",
                half.label(),
                h.pairwise.f1,
                h.bcubed.f1,
                h.documents,
                h.gold_groups
            )?;
        }
        let rate = if self.seconds > 0.0 {
            self.documents as f64 / self.seconds
        } else {
            0.0
        };
        writeln!(f, "articles/s {rate:.0}")
    }
}

/// Reads the data set in `dir`, clusters it with the default configuration and scores it.
pub fn run(dir: &Path) -> Result<StoriesReport, EvalError> {
    run_with(dir, &stories::StoryConfig::default())
}

/// [`run`] with a given configuration.
pub fn run_with(dir: &Path, cfg: &stories::StoryConfig) -> Result<StoriesReport, EvalError> {
    let ds = load(dir)?;
    Ok(evaluate(&ds, cfg))
}

/// Clusters a loaded data set and scores it.
pub fn evaluate(ds: &Dataset, cfg: &stories::StoryConfig) -> StoriesReport {
    let t = Instant::now();
    let s = stories::cluster(&ds.articles, &ds.entities, cfg.clone());
    let seconds = t.elapsed().as_secs_f64();
    let pred = events_of(ds, &s);
    let gold: Vec<&str> = ds.gold.iter().map(String::as_str).collect();
    let (pairwise, bcubed) = score(&gold, &pred);
    let halves = halves_of(ds);
    StoriesReport {
        halves: [Half::A, Half::B].map(|h| half_scores(&gold, &pred, &halves, h)),
        dataset: ds.name.to_string(),
        documents: ds.articles.len(),
        gold_groups: distinct(&gold),
        predicted_events: distinct(&pred),
        pairwise,
        bcubed,
        seconds,
    }
}

/// The event of each article of `ds`, in its order.
pub fn events_of<'s>(ds: &Dataset, s: &'s stories::Stories) -> Vec<&'s str> {
    let ev: HashMap<&str, &str> = (s.articles.iter().map(String::as_str))
        .zip(s.article_event.iter().map(String::as_str))
        .collect();
    ds.articles.iter().map(|a| ev[a.id.as_str()]).collect()
}

/// Batch average-link agglomeration over a symmetric similarity matrix, merging the best
/// pair of clusters while their mean similarity exceeds `t`: the cluster of each item. For
/// the ceiling of a similarity, with every pair known and no arrival order.
pub fn average_link(sims: &[Vec<f32>], t: f32) -> Vec<usize> {
    let n = sims.len();
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    // Sums of similarities between clusters, kept up to date as they merge.
    let mut sums: Vec<Vec<f32>> = sims.to_vec();
    loop {
        let mut best = (t, usize::MAX, 0);
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                let v = sums[a][b] / (clusters[a].len() * clusters[b].len()) as f32;
                if v > best.0 {
                    best = (v, a, b);
                }
            }
        }
        if best.1 == usize::MAX {
            break;
        }
        let (a, b) = (best.1, best.2);
        let moved = clusters.remove(b);
        clusters[a].extend(moved);
        let row_b = sums.remove(b);
        sums.iter_mut().for_each(|r| {
            r.remove(b);
        });
        for k in 0..clusters.len() {
            sums[a][k] += row_b[if k >= b { k + 1 } else { k }];
            sums[k][a] = sums[a][k];
        }
    }
    let mut label = vec![0; n];
    for (k, c) in clusters.iter().enumerate() {
        c.iter().for_each(|&i| label[i] = k);
    }
    label
}

/// The half of each document of `ds` (see the module documentation).
pub fn halves_of(ds: &Dataset) -> Vec<Half> {
    match ds.name {
        "ecbplus" => ds
            .gold
            .iter()
            .map(|g| Half::of_index(ecb_topic(g)))
            .collect(),
        _ => Half::of_groups(&ds.gold),
    }
}

/// The topic number of an ECB+ gold group (`N_ecb`, `N_ecbplus`); 0 if unreadable. The two
/// groups of one topic are events of the same kind at different times.
fn ecb_topic(gold: &str) -> usize {
    gold.split('_')
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// Scores the documents of one half.
pub fn half_scores(gold: &[&str], pred: &[&str], halves: &[Half], half: Half) -> HalfScores {
    let keep = |v: &[&str]| -> Vec<String> {
        v.iter()
            .zip(halves)
            .filter(|(_, h)| **h == half)
            .map(|(x, _)| x.to_string())
            .collect()
    };
    let (g, p) = (keep(gold), keep(pred));
    let g: Vec<&str> = g.iter().map(String::as_str).collect();
    let p: Vec<&str> = p.iter().map(String::as_str).collect();
    let (pairwise, bcubed) = score(&g, &p);
    HalfScores {
        documents: g.len(),
        gold_groups: distinct(&g),
        pairwise,
        bcubed,
    }
}

/// Whether two ECB+ gold groups are the two events of one topic, or the same one (never for
/// labels without a topic number, such as BASIL's).
pub fn same_topic(a: &str, b: &str) -> bool {
    let t = ecb_topic(a);
    t != 0 && t == ecb_topic(b)
}

/// The value at fraction `q` (0 to 1) of a sorted list; 0 when it is empty.
pub fn quantile(sorted: &[f32], q: f64) -> f32 {
    let i = ((sorted.len() as f64 - 1.0) * q) as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

fn distinct(v: &[&str]) -> usize {
    v.iter().collect::<std::collections::HashSet<_>>().len()
}

/// Pairwise and B-cubed precision/recall/F1 of the clustering `pred` against `gold` (labels
/// per item).
pub fn score(gold: &[&str], pred: &[&str]) -> (Prf, Prf) {
    let n = gold.len();
    let mut joint: HashMap<(&str, &str), usize> = HashMap::new();
    let mut gs: HashMap<&str, usize> = HashMap::new();
    let mut ps: HashMap<&str, usize> = HashMap::new();
    for (g, p) in gold.iter().zip(pred) {
        *joint.entry((g, p)).or_default() += 1;
        *gs.entry(g).or_default() += 1;
        *ps.entry(p).or_default() += 1;
    }
    let pairs = |k: usize| (k * k.saturating_sub(1) / 2) as f64;
    let tp: f64 = joint.values().map(|&k| pairs(k)).sum();
    let pred_pairs: f64 = ps.values().map(|&k| pairs(k)).sum();
    let gold_pairs: f64 = gs.values().map(|&k| pairs(k)).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    let pairwise = Prf::new(ratio(tp, pred_pairs), ratio(tp, gold_pairs));
    // B-cubed: per item, the share of its predicted cluster in its gold group (precision)
    // and of its gold group in its predicted cluster (recall).
    let (mut bp, mut br) = (0.0, 0.0);
    for (g, p) in gold.iter().zip(pred) {
        let j = joint[&(*g, *p)] as f64;
        bp += j / ps[p] as f64;
        br += j / gs[g] as f64;
    }
    let nf = n.max(1) as f64;
    (pairwise, Prf::new(bp / nf, br / nf))
}

/// Reads BASIL or ECB+ from `dir`, deduplicated.
pub fn load(dir: &Path) -> Result<Dataset, EvalError> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let json: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    let xml: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with("ecb.xml") || n.ends_with("ecbplus.xml")
        })
        .collect();
    let mut ds = if !json.is_empty() {
        let mut ds = Dataset {
            name: "basil",
            articles: Vec::new(),
            gold: Vec::new(),
            entities: Vec::new(),
        };
        for p in json {
            if let Some((a, g)) = read_basil(p)? {
                ds.articles.push(a);
                ds.gold.push(g);
            }
        }
        ds
    } else if !xml.is_empty() {
        let mut ds = Dataset {
            name: "ecbplus",
            articles: Vec::new(),
            gold: Vec::new(),
            entities: Vec::new(),
        };
        for p in xml {
            let (a, g) = read_ecb(p)?;
            ds.articles.push(a);
            ds.gold.push(g);
        }
        ds
    } else {
        return Err(EvalError::Unknown(dir.to_path_buf()));
    };
    if ds.articles.is_empty() {
        return Err(EvalError::Unknown(dir.to_path_buf()));
    }
    dedup_articles(&mut ds.articles);
    // The language layer, as in the pipeline: mentions, timexes (anchored on `published`).
    ds.entities = lang::annotate_all(&mut ds.articles);
    Ok(ds)
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let md = std::fs::metadata(p).map_err(|e| EvalError::Io(p.to_path_buf(), e))?;
    if md.is_dir() {
        let rd = std::fs::read_dir(p).map_err(|e| EvalError::Io(p.to_path_buf(), e))?;
        for e in rd {
            let e = e.map_err(|e| EvalError::Io(p.to_path_buf(), e))?;
            collect(&e.path(), out)?;
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

/// Sets `origin`, `duplicate_of` and `copies` as the pipeline's dedup stage does.
pub fn dedup_articles(articles: &mut [Article]) {
    let mut index = dedup::Index::new();
    for i in 0..articles.len() {
        let fp = dedup::Fingerprint::new(
            (0..articles[i].paragraphs.len()).map(|p| articles[i].paragraph_text(p)),
        );
        let added = {
            let arts = &*articles;
            let mut texts = |item: u32| -> Option<Vec<String>> {
                let a = arts.get(item as usize)?;
                Some(
                    (0..a.paragraphs.len())
                        .map(|p| a.paragraph_text(p).to_string())
                        .collect(),
                )
            };
            index.add(&fp, &mut texts)
        };
        if let Some((other, _)) = added.copy_of {
            let origin = articles[index.origin(other) as usize].id.clone();
            let id = articles[i].id.clone();
            articles[i].origin = origin.clone();
            articles[i].duplicate_of = Some(origin.clone());
            if let Some(o) = articles.iter_mut().find(|a| a.id == origin) {
                o.copies.push(id);
            }
        }
    }
}

fn read_basil(p: &Path) -> Result<Option<(Article, String)>, EvalError> {
    let s = std::fs::read_to_string(p).map_err(|e| EvalError::Io(p.to_path_buf(), e))?;
    let v: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| EvalError::Json(p.to_path_buf(), e))?;
    let Some(gold) = v.get("triplet-uuid").and_then(|x| x.as_str()) else {
        return Ok(None);
    };
    let str_of = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let paras: Vec<String> = match v.get("body-paragraphs") {
        Some(serde_json::Value::String(s)) => {
            let lit = python_literal(s)
                .ok_or_else(|| EvalError::Format(p.to_path_buf(), "bad body-paragraphs".into()))?;
            flatten_paragraphs(&lit)
        }
        Some(x @ serde_json::Value::Array(_)) => flatten_paragraphs(&json_to_lit(x)),
        _ => Vec::new(),
    };
    let mut c = CleanArticle {
        title: str_of("title"),
        url: str_of("url"),
        outlet: str_of("source"),
        published: str_of("date"),
        published_from: Some(model::PublishedFrom::Input),
        ..Default::default()
    };
    c.set_paragraphs(paras.iter().map(|p| (p.as_str(), false)));
    let doc = model::content_id(s.as_bytes());
    Ok(Some((Article::new(&doc, 0, c), gold.to_string())))
}

/// A parsed Python literal (only what BASIL uses: lists and strings).
#[derive(Debug, Clone)]
pub(crate) enum Lit {
    Str(String),
    List(Vec<Lit>),
}

fn json_to_lit(v: &serde_json::Value) -> Lit {
    match v {
        serde_json::Value::Array(a) => Lit::List(a.iter().map(json_to_lit).collect()),
        serde_json::Value::String(s) => Lit::Str(s.clone()),
        other => Lit::Str(other.to_string()),
    }
}

/// Paragraphs: each top-level item, its sentences joined by spaces.
fn flatten_paragraphs(l: &Lit) -> Vec<String> {
    fn join(l: &Lit, out: &mut String) {
        match l {
            Lit::Str(s) => {
                if !out.is_empty() && !s.is_empty() {
                    out.push(' ');
                }
                out.push_str(s.trim());
            }
            Lit::List(v) => v.iter().for_each(|x| join(x, out)),
        }
    }
    match l {
        Lit::List(v) => v
            .iter()
            .map(|x| {
                let mut s = String::new();
                join(x, &mut s);
                s
            })
            .filter(|s| !s.trim().is_empty())
            .collect(),
        Lit::Str(s) => vec![s.clone()],
    }
}

/// Parses a Python literal made of lists/tuples and strings (single, double quotes, escapes).
pub(crate) fn python_literal(s: &str) -> Option<Lit> {
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    let v = parse_lit(&cs, &mut i)?;
    Some(v)
}

fn skip_ws(cs: &[char], i: &mut usize) {
    while *i < cs.len() && (cs[*i].is_whitespace() || cs[*i] == ',') {
        *i += 1;
    }
}

fn parse_lit(cs: &[char], i: &mut usize) -> Option<Lit> {
    skip_ws(cs, i);
    match *cs.get(*i)? {
        '[' | '(' => {
            let close = if cs[*i] == '[' { ']' } else { ')' };
            *i += 1;
            let mut v = Vec::new();
            loop {
                skip_ws(cs, i);
                if *cs.get(*i)? == close {
                    *i += 1;
                    return Some(Lit::List(v));
                }
                v.push(parse_lit(cs, i)?);
            }
        }
        q @ ('\'' | '"') => {
            *i += 1;
            let mut s = String::new();
            while *i < cs.len() {
                let c = cs[*i];
                *i += 1;
                if c == q {
                    return Some(Lit::Str(s));
                }
                if c != '\\' {
                    s.push(c);
                    continue;
                }
                let e = *cs.get(*i)?;
                *i += 1;
                match e {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => {}
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = cs.get(*i..*i + n)?.iter().collect();
                        *i += n;
                        s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    other => s.push(other),
                }
            }
            None
        }
        _ => None,
    }
}

fn read_ecb(p: &Path) -> Result<(Article, String), EvalError> {
    let s = std::fs::read_to_string(p).map_err(|e| EvalError::Io(p.to_path_buf(), e))?;
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let topic = name.split('_').next().unwrap_or("");
    let sub = if name.ends_with("ecbplus.xml") {
        "ecbplus"
    } else {
        "ecb"
    };
    let mut sentences: Vec<(u32, Vec<String>)> = Vec::new();
    let mut rest = s.as_str();
    while let Some(k) = rest.find("<token ") {
        rest = &rest[k..];
        let Some(gt) = rest.find('>') else { break };
        let attrs = &rest[..gt];
        let Some(end) = rest.find("</token>") else {
            break;
        };
        let word = unescape(&rest[gt + 1..end]);
        let sent = attr(attrs, "sentence")
            .and_then(|x| x.parse::<u32>().ok())
            .ok_or_else(|| EvalError::Format(p.to_path_buf(), "token without sentence".into()))?;
        match sentences.last_mut() {
            Some((n, v)) if *n == sent => v.push(word),
            _ => sentences.push((sent, vec![word])),
        }
        rest = &rest[end + 8..];
    }
    if sentences.is_empty() {
        return Err(EvalError::Format(p.to_path_buf(), "no tokens".into()));
    }
    let mut sents: Vec<String> = sentences.into_iter().map(|(_, v)| detokenize(&v)).collect();
    let mut c = CleanArticle::default();
    if sents[0].starts_with("http") {
        c.url = Some(sents.remove(0).replace(' ', ""));
    }
    // The first sentence that is not a date line is the headline, when a body remains (many
    // ECB documents hold only one or two annotated sentences: those are all body).
    if sents.len() >= 3 {
        let ann = timex::Annotator::new();
        let date_line = |s: &str| {
            let covered: usize = ann.annotate(s, None).iter().map(|t| t.end - t.start).sum();
            covered * 2 >= s.len()
        };
        if let Some(k) = sents.iter().take(3).position(|s| !date_line(s)) {
            c.title = Some(sents.remove(k));
        }
    }
    c.set_paragraphs(sents.iter().map(|s| (s.as_str(), false)));
    let doc = model::content_id(s.as_bytes());
    Ok((Article::new(&doc, 0, c), format!("{topic}_{sub}")))
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let k = attrs.find(&format!("{name}=\""))? + name.len() + 2;
    let e = attrs[k..].find('"')?;
    Some(&attrs[k..k + e])
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Joins Penn-style tokens back into text ("May 03 , 2013" -> "May 03, 2013").
fn detokenize(toks: &[String]) -> String {
    let mut s = String::new();
    let mut no_space = true;
    for t in toks {
        let t = match t.as_str() {
            "``" | "''" => "\"",
            "-LRB-" => "(",
            "-RRB-" => ")",
            x => x,
        };
        let attach = matches!(t, "," | "." | ";" | ":" | "?" | "!" | ")" | "%")
            || t.starts_with('\'') && t.len() <= 3
            || t == "n't";
        if !s.is_empty() && !attach && !no_space {
            s.push(' ');
        }
        s.push_str(t);
        no_space = t == "(" || t == "$";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let g = ["a", "a", "b", "b"];
        let (pw, b3) = score(&g, &["x", "x", "y", "y"]);
        assert_eq!((pw.f1, b3.f1), (1.0, 1.0));
        let (pw, b3) = score(&g, &["x", "x", "x", "x"]);
        assert!((pw.precision - 1.0 / 3.0).abs() < 1e-9 && pw.recall == 1.0);
        assert!((b3.precision - 0.5).abs() < 1e-9 && b3.recall == 1.0);
    }

    #[test]
    fn halves_keep_groups_whole() {
        let gold = ["1_ecb", "1_ecbplus", "2_ecb", "3_ecbplus", "2_ecbplus"];
        let ds = Dataset {
            name: "ecbplus",
            articles: Vec::new(),
            gold: gold.iter().map(|g| g.to_string()).collect(),
            entities: Vec::new(),
        };
        use Half::{A, B};
        assert_eq!(halves_of(&ds), vec![B, B, A, B, A]);
        let pred = ["x", "x", "y", "x", "z"];
        let h = halves_of(&ds);
        let (a, b) = (
            half_scores(&gold, &pred, &h, A),
            half_scores(&gold, &pred, &h, B),
        );
        assert_eq!(
            (a.documents + b.documents, a.gold_groups, b.gold_groups),
            (5, 2, 3)
        );
        // Half A's two groups are apart; half B's three are merged into one cluster.
        assert_eq!(a.bcubed.f1, 1.0);
        assert_eq!(b.pairwise.precision, 0.0);
    }

    #[test]
    fn python_literals() {
        let l = python_literal(r#"[['It\'s "x".', "b\u00e9"], ['c']]"#).unwrap();
        assert_eq!(flatten_paragraphs(&l), vec!["It's \"x\". bé", "c"]);
    }

    #[test]
    fn detok() {
        let t: Vec<String> = ["May", "03", ",", "2013", "``", "Hi", "''", "do", "n't"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(detokenize(&t), "May 03, 2013 \" Hi \" don't");
    }
}

/// Figures of the incremental-assignment benchmark.
#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    pub base_articles: usize,
    /// Articles added before the measured ones.
    pub stored: usize,
    pub measured: usize,
    /// Seconds spent in `Clusterer::add` for the measured articles.
    pub seconds: f64,
    /// Seconds spent in `add` for all articles.
    pub total_seconds: f64,
    pub events: usize,
    pub open_events: usize,
    pub open_threads: usize,
    /// Approximate heap bytes of the clusterer's matching state (open centroids, postings).
    pub matching_bytes: usize,
    /// VmHWM before the stream started (data sets and language models loaded).
    pub rss_before_kb: Option<u64>,
    pub peak_rss_kb: Option<u64>,
    /// The state saved after the stored articles and loaded for the measured ones.
    pub persist: Option<PersistReport>,
}

/// Two runs over a store: the stored articles are the first run (settled, its state saved as
/// JSON), the measured ones a second run that loads the state and resumes from it.
#[derive(Debug, Clone, Default)]
pub struct PersistReport {
    /// The saved state (JSON), and of it the document-frequency sketch.
    pub state_bytes: usize,
    pub df_bytes: usize,
    pub open_events: usize,
    pub threads: usize,
    /// The first run's `settle` and `changes` (every stored article is new to it).
    pub first_settle_seconds: f64,
    pub first_changes_seconds: f64,
    /// Taking the state from the clusterer (`Clusterer::state`, part of `changes`), saving it
    /// (serde_json to bytes), loading it, resuming a clusterer from it: each the least of
    /// five repetitions (the machine is shared).
    pub state_seconds: f64,
    pub save_seconds: f64,
    pub load_seconds: f64,
    pub resume_seconds: f64,
    /// The second run: load, resume, add the measured articles, settle, changes, save.
    pub run_seconds: f64,
    /// Events over both runs (stored records after the second run's changes).
    pub events: usize,
    /// The second run's changes: event records, members.
    pub changed_events: usize,
    pub members: usize,
}

impl fmt::Display for StreamReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = |n: usize, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
        writeln!(
            f,
            "stream articles/s {:.0} (last {} added with {} stored)",
            rate(self.measured, self.seconds),
            self.measured,
            self.stored
        )?;
        writeln!(
            f,
            "stream overall articles/s {:.0} ({} articles from {} real ones)",
            rate(self.stored + self.measured, self.total_seconds),
            self.stored + self.measured,
            self.base_articles
        )?;
        writeln!(
            f,
            "events {} open at the end {} (threads open {}; matching state {:.1} MiB)",
            self.events,
            self.open_events,
            self.open_threads,
            self.matching_bytes as f64 / (1024.0 * 1024.0)
        )?;
        match (self.peak_rss_kb, self.rss_before_kb) {
            (Some(kb), Some(before)) => writeln!(
                f,
                "peak memory {:.1} MiB (VmHWM; {:.1} MiB before the stream)",
                kb as f64 / 1024.0,
                before as f64 / 1024.0
            ),
            (Some(kb), None) => writeln!(f, "peak memory {:.1} MiB (VmHWM)", kb as f64 / 1024.0),
            _ => writeln!(f, "peak memory unknown"),
        }?;
        match &self.persist {
            Some(p) => write!(f, "{p}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for PersistReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |s: f64| s * 1000.0;
        let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
        writeln!(
            f,
            "state {:.2} MiB as JSON (document frequencies {:.2} MiB; {} open events, {} threads)",
            mib(self.state_bytes),
            mib(self.df_bytes),
            self.open_events,
            self.threads
        )?;
        writeln!(
            f,
            "state taken {:.1} ms, saved {:.1} ms, loaded {:.1} ms, resumed {:.1} ms (least of 5)",
            ms(self.state_seconds),
            ms(self.save_seconds),
            ms(self.load_seconds),
            ms(self.resume_seconds)
        )?;
        writeln!(
            f,
            "second run {:.1} ms (load, resume, add, settle, changes, save): {} event records and {} members changed; {} events over both runs",
            ms(self.run_seconds),
            self.changed_events,
            self.members,
            self.events
        )?;
        writeln!(
            f,
            "first run settle {:.1} ms, changes {:.1} ms",
            ms(self.first_settle_seconds),
            ms(self.first_changes_seconds)
        )
    }
}

/// Incremental assignment speed: a stream of `stored + measured` articles built from the real
/// articles of `sets` (BASIL, ECB+) is added one by one to one [`stories::Clusterer`]; the
/// rate is measured over the last `measured`.
///
/// The generator makes replica `r` of every real article: its date is the real publication
/// date (ECB+: a day fixed per gold group, as ECB+ gives none) moved by `r * 45` days, more
/// than an event's window, so that replicas of one story never share an event; every
/// capitalised word (the names) is swapped for another capitalised word of the corpus, chosen
/// by a hash of the word and `r`, so replicas also differ in who and where; ids are new. The
/// stream is in date order, as a feed would be. Articles are generated just before they are
/// added, and only `add` is timed, so memory is the clusterer's plus the real corpus.
///
/// The stored articles are a first run over a store and the measured ones a second: after
/// the stored ones the clusterer settles and its state is saved as JSON; the measured ones
/// are added to a clusterer resumed from the loaded state ([`PersistReport`]).
pub fn stream(sets: &[Dataset], stored: usize, measured: usize) -> StreamReport {
    use std::collections::BTreeMap;
    let base: Vec<(&Article, &str)> = sets
        .iter()
        .flat_map(|d| d.articles.iter().zip(d.gold.iter().map(String::as_str)))
        .collect();
    let pool: Vec<String> = {
        let mut set = std::collections::BTreeSet::new();
        for (a, _) in &base {
            for w in a.text.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.len() > 2 && w.chars().next().is_some_and(char::is_uppercase) {
                    set.insert(w.to_string());
                }
            }
        }
        set.into_iter().collect()
    };
    let day0 = chrono::NaiveDate::from_ymd_opt(2010, 1, 1).expect("valid date");
    // Base day of each real article.
    let base_day: Vec<i64> = base
        .iter()
        .map(
            |(a, g)| match a.published.as_deref().and_then(|p| p.get(..10)) {
                Some(p) => chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d")
                    .map(|d| (d - day0).num_days())
                    .unwrap_or(0),
                None => (model::content_id(g.as_bytes()).as_bytes()[0] as i64) * 5,
            },
        )
        .collect();
    let total = stored + measured;
    let replicas = total.div_ceil(base.len().max(1));
    // Date order of the stream: (day, replica, base index).
    let mut order: BTreeMap<(i64, usize, usize), ()> = BTreeMap::new();
    for r in 0..replicas {
        for (i, d) in base_day.iter().enumerate() {
            order.insert((d + 45 * r as i64, r, i), ());
        }
    }
    let mut c = stories::Clusterer::new(stories::StoryConfig::default());
    let mut rep = StreamReport {
        rss_before_kb: crate::dedup::peak_rss_kb(),
        base_articles: base.len(),
        stored,
        measured,
        ..Default::default()
    };
    let mut first: Option<(PersistReport, BTreeSet<String>)> = None;
    for (n, &(day, r, i)) in order.keys().take(total).enumerate() {
        if n == stored && n > 0 && measured > 0 {
            let (p, ids, resumed) = save_and_resume(c);
            c = resumed;
            first = Some((p, ids));
        }
        let a = replica(base[i].0, r, day0 + chrono::Duration::days(day), &pool);
        let t = Instant::now();
        c.add(&a);
        let dt = t.elapsed().as_secs_f64();
        rep.total_seconds += dt;
        if n >= stored {
            rep.seconds += dt;
        }
    }
    rep.peak_rss_kb = crate::dedup::peak_rss_kb();
    rep.events = c.stories().events.len();
    if let Some((mut p, mut ids)) = first {
        let t = Instant::now();
        c.settle();
        let ch = c.changes();
        let json = serde_json::to_vec(&ch.state).expect("state serialises");
        p.run_seconds += rep.seconds + t.elapsed().as_secs_f64();
        drop(json);
        for (gone, _) in &ch.merged_events {
            ids.remove(gone);
        }
        ids.extend(ch.events.iter().map(|e| e.id.clone()));
        p.events = ids.len();
        p.changed_events = ch.events.len();
        p.members = ch.members.len();
        rep.events = p.events;
        rep.persist = Some(p);
    }
    rep.open_events = c.open_events();
    rep.open_threads = c.open_threads();
    rep.matching_bytes = c.matching_bytes();
    rep.peak_rss_kb = crate::dedup::peak_rss_kb();
    rep
}

/// Ends the first run (settle, changes, state saved as JSON) and starts the second (state
/// loaded, clusterer resumed): the figures, the first run's event ids, the new clusterer.
fn save_and_resume(
    mut c: stories::Clusterer,
) -> (PersistReport, BTreeSet<String>, stories::Clusterer) {
    let mut p = PersistReport::default();
    let t = Instant::now();
    c.settle();
    p.first_settle_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ch = c.changes();
    p.first_changes_seconds = t.elapsed().as_secs_f64();
    (p.state_seconds, _) = least_of(5, || c.state());
    drop(c);
    let ids: BTreeSet<String> = ch.events.iter().map(|e| e.id.clone()).collect();
    let json;
    (p.save_seconds, json) = least_of(5, || serde_json::to_vec(&ch.state).expect("serialises"));
    drop(ch);
    p.state_bytes = json.len();
    p.df_bytes = serde_json::from_slice::<serde_json::Value>(&json)
        .ok()
        .and_then(|v| v["df"].as_str().map(str::len))
        .unwrap_or(0);
    let load = || serde_json::from_slice::<stories::State>(&json).expect("state reads back");
    let state;
    (p.load_seconds, state) = least_of(5, load);
    (p.open_events, p.threads) = (state.open_events(), state.threads());
    let resume = || {
        let mut c =
            stories::Clusterer::resume(stories::StoryConfig::default(), Some(state.clone()));
        // The stream makes no copies: no stored origins to know.
        c.know_origins(Vec::new()).expect("before any addition");
        c
    };
    let c;
    (p.resume_seconds, c) = least_of(5, resume);
    p.run_seconds = p.load_seconds + p.resume_seconds;
    (p, ids, c)
}

/// The least time of `n` calls of `f`, and the last result.
fn least_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("n > 0"))
}

/// Replica `r` of `a`: new ids, the given date, capitalised words swapped (see [`stream`]).
fn replica(a: &Article, r: usize, day: chrono::NaiveDate, pool: &[String]) -> Article {
    let swap = |s: &str| -> String {
        if r == 0 {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len() + 16);
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if word.chars().next().is_some_and(char::is_uppercase) && word.len() > 2 {
                let h = xxhash_rust::xxh3::xxh3_64(format!("{word}#{r}").as_bytes());
                out.push_str(&pool[(h % pool.len() as u64) as usize]);
            } else {
                out.push_str(word);
            }
            word.clear();
        };
        for ch in s.chars() {
            if ch.is_alphanumeric() {
                word.push(ch);
            } else {
                flush(&mut word, &mut out);
                out.push(ch);
            }
        }
        flush(&mut word, &mut out);
        out
    };
    let mut c = CleanArticle {
        title: a.title.as_deref().map(swap),
        caption: a.caption.as_deref().map(swap),
        outlet: a.outlet.clone(),
        published: Some(day.format("%Y-%m-%d").to_string()),
        published_from: Some(model::PublishedFrom::Input),
        ..Default::default()
    };
    let paras: Vec<String> = (0..a.paragraphs.len())
        .map(|p| swap(a.paragraph_text(p)))
        .collect();
    c.set_paragraphs(paras.iter().map(|p| (p.as_str(), false)));
    let doc = model::content_id(format!("{}#{r}", a.id).as_bytes());
    Article::new(&doc, 0, c)
}
