//! Claims and conflicts scored against a hand-read gold of cross-outlet facts in BASIL events.
//!
//! This is `score_claims.py` (the reference scorer) in Rust; the figures are defined there:
//!
//! * the input is every BASIL article of every event the gold names, written as one JSONL
//!   file byte for byte as the scorer writes it ([`basil_input`]), and analysed in process;
//! * a claim *holds* a gold value when it comes from the value's file and its quote overlaps
//!   the value's quote (a shared run of at least min(20, shorter length) characters);
//! * a gold conflict is *found* when a reported conflict's quotes overlap the quotes of two of
//!   its values; a gold agreeing fact so matched is a false alarm; an agreeing fact is
//!   *corroborated* when one `corroborated` claim group holds values of two outlets.
//!
//! [`score`] returns a [`ClaimsReport`] whose `Display` prints the scorer's five lines and a
//! per-kind breakdown; [`Scoring::records`] tells, per gold record, what was found (for
//! reading misses and false alarms).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::stories::{EvalError, Lit, python_literal};

/// One gold record: a fact of one event, with the value each outlet states.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    pub triplet: String,
    pub slot: String,
    /// `number`, `date`, `person`, `place`, `status` or `other`.
    pub kind: String,
    /// `agree`, `conflict_soft`, `conflict_hard` or `single`.
    pub relation: String,
    #[serde(default)]
    pub note: String,
    pub values: Vec<GoldValue>,
}

/// One outlet's value of a gold fact.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldValue {
    pub source: String,
    /// Path of the BASIL article, relative to the BASIL directory.
    pub file: String,
    pub value: String,
    pub quote: String,
}

/// Reads a gold file (a JSON list of records).
pub fn read_gold(path: &Path) -> Result<Vec<Record>, EvalError> {
    let s = std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    serde_json::from_str(&s).map_err(|e| EvalError::Json(path.to_path_buf(), e))
}

/// The scorer's input: the BASIL files of the gold's events (sorted by event, then path) and
/// the JSONL text, one line per file in that order.
#[derive(Debug, Clone)]
pub struct BasilInput {
    pub files: Vec<String>,
    pub jsonl: String,
}

/// Writes every article of every gold event as the scorer does: `title, text, url, outlet
/// (lowercase), published`, text = paragraphs joined by blank lines, sentences by spaces,
/// serialised as Python's `json.dumps` does (ASCII escapes, `", "` and `": "` separators).
pub fn basil_input(gold: &[Record], basil: &Path) -> Result<BasilInput, EvalError> {
    basil_events(gold.iter().map(|r| r.triplet.as_str()), basil)
}

/// [`basil_input`] for the events (triplets) named.
pub fn basil_events<'a>(
    events: impl IntoIterator<Item = &'a str>,
    basil: &Path,
) -> Result<BasilInput, EvalError> {
    let triplets: std::collections::BTreeSet<&str> = events.into_iter().collect();
    let mut by_triplet: HashMap<&str, Vec<String>> = HashMap::new();
    for year in read_dir_sorted(basil)? {
        if !year.is_dir() {
            continue;
        }
        for p in read_dir_sorted(&year)? {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(t) = name.strip_suffix(".json").and_then(|n| n.rsplit_once('_')) else {
                continue;
            };
            if let Some(&t) = triplets.get(t.0) {
                let rel = p.strip_prefix(basil).unwrap_or(&p);
                by_triplet
                    .entry(t)
                    .or_default()
                    .push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut files = Vec::new();
    for t in &triplets {
        let mut fs = by_triplet.remove(t).unwrap_or_default();
        fs.sort();
        files.extend(fs);
    }
    let mut jsonl = String::new();
    for rel in &files {
        jsonl.push_str(&basil_line(&basil.join(rel))?);
        jsonl.push('\n');
    }
    Ok(BasilInput { files, jsonl })
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let rd = std::fs::read_dir(dir).map_err(|e| EvalError::Io(dir.to_path_buf(), e))?;
    let mut out = Vec::new();
    for e in rd {
        out.push(e.map_err(|e| EvalError::Io(dir.to_path_buf(), e))?.path());
    }
    out.sort();
    Ok(out)
}

fn basil_line(path: &Path) -> Result<String, EvalError> {
    let s = std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    let v: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| EvalError::Json(path.to_path_buf(), e))?;
    let lit = match v.get("body-paragraphs") {
        Some(serde_json::Value::String(b)) => python_literal(b)
            .ok_or_else(|| EvalError::Format(path.to_path_buf(), "bad body-paragraphs".into()))?,
        Some(serde_json::Value::Array(a)) => Lit::List(
            a.iter()
                .map(|p| match p {
                    serde_json::Value::Array(s) => Lit::List(
                        s.iter()
                            .map(|x| Lit::Str(x.as_str().unwrap_or_default().to_string()))
                            .collect(),
                    ),
                    x => Lit::Str(x.as_str().unwrap_or_default().to_string()),
                })
                .collect(),
        ),
        _ => Lit::List(Vec::new()),
    };
    let paras: Vec<String> = match &lit {
        Lit::List(ps) => ps.iter().map(join_sentences).collect(),
        Lit::Str(s) => vec![s.clone()],
    };
    let field = |k: &str| v.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let outlet = match v.get("source").and_then(|s| s.as_str()) {
        Some(s) => serde_json::Value::String(s.to_lowercase()),
        None => serde_json::Value::Null,
    };
    let fields = [
        ("title", field("title")),
        ("text", serde_json::Value::String(paras.join("\n\n"))),
        ("url", field("url")),
        ("outlet", outlet),
        ("published", field("date")),
    ];
    let mut line = String::from("{");
    for (i, (k, val)) in fields.iter().enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        py_json_string(k, &mut line);
        line.push_str(": ");
        match val {
            serde_json::Value::String(s) => py_json_string(s, &mut line),
            other => line.push_str(&other.to_string()),
        }
    }
    line.push('}');
    Ok(line)
}

/// A paragraph: its sentences joined by single spaces (a string paragraph as it is).
fn join_sentences(p: &Lit) -> String {
    match p {
        Lit::Str(s) => s.clone(),
        Lit::List(ss) => ss
            .iter()
            .map(|s| match s {
                Lit::Str(s) => s.clone(),
                l => join_sentences(l),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: every non-ASCII code
/// point as `\uXXXX`, astral ones as surrogate pairs, lowercase hex).
fn py_json_string(s: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether two quotes share a run of at least min(20, shorter length) characters (the
/// scorer's longest-match test; an empty quote overlaps nothing).
pub fn overlap(x: &str, y: &str) -> bool {
    let a: Vec<char> = x.chars().collect();
    let b: Vec<char> = y.chars().collect();
    overlap_chars(&a, &b)
}

fn overlap_chars(a: &[char], b: &[char]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    // A longest common run of at least k exists exactly when the two share a k-gram.
    let k = 20.min(a.len()).min(b.len());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let grams: HashSet<&[char]> = short.windows(k).collect();
    long.windows(k).any(|w| grams.contains(w))
}

/// What one gold record came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordOutcome {
    /// A reported conflict matches it (its quotes overlap two of the record's values).
    pub in_conflict: bool,
    /// One corroborated group holds values of two or more of its outlets.
    pub corroborated: bool,
    /// Per value: the claims holding it (same file, overlapping quote).
    pub held_by: Vec<Vec<String>>,
}

/// Per-record outcomes and the figures.
#[derive(Debug, Clone)]
pub struct Scoring {
    pub records: Vec<RecordOutcome>,
    pub report: ClaimsReport,
}

/// Found / total per kind of fact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub agree: usize,
    pub corroborated: usize,
    pub false_alarms: usize,
    pub conflicts: usize,
    pub conflicts_found: usize,
}

/// The scorer's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimsReport {
    pub hard: (usize, usize),
    pub soft: (usize, usize),
    pub false_alarms: (usize, usize),
    pub corroborated: (usize, usize),
    /// Reported conflicts that match a gold conflict, and all reported.
    pub matched_conflicts: usize,
    pub reported_conflicts: usize,
    pub claims: usize,
    pub articles: usize,
    pub by_kind: BTreeMap<String, KindCounts>,
    /// Grouped statement pairs the gold covers: right and judged (see
    /// [`AlignerData::alignment_precision`]); printed when judged.
    pub aligned: (usize, usize),
}

impl ClaimsReport {
    pub fn conflict_precision(&self) -> f64 {
        if self.reported_conflicts == 0 {
            0.0
        } else {
            self.matched_conflicts as f64 / self.reported_conflicts as f64
        }
    }

    pub fn claims_per_article(&self) -> f64 {
        self.claims as f64 / self.articles.max(1) as f64
    }

    /// The main figures on one line.
    pub fn one_line(&self) -> String {
        format!(
            "hard {}/{} soft {}/{} false_alarms {}/{} corroborated {}/{} precision {:.3} ({}/{}) aligned {:.3}",
            self.hard.0,
            self.hard.1,
            self.soft.0,
            self.soft.1,
            self.false_alarms.0,
            self.false_alarms.1,
            self.corroborated.0,
            self.corroborated.1,
            self.conflict_precision(),
            self.matched_conflicts,
            self.reported_conflicts,
            self.aligned.0 as f64 / self.aligned.1.max(1) as f64
        )
    }

    /// Adds another report's counts (folds of a cross-validation).
    pub fn add(&mut self, o: &ClaimsReport) {
        let sum = |a: &mut (usize, usize), b: (usize, usize)| {
            a.0 += b.0;
            a.1 += b.1;
        };
        sum(&mut self.hard, o.hard);
        sum(&mut self.soft, o.soft);
        sum(&mut self.false_alarms, o.false_alarms);
        sum(&mut self.corroborated, o.corroborated);
        sum(&mut self.aligned, o.aligned);
        self.matched_conflicts += o.matched_conflicts;
        self.reported_conflicts += o.reported_conflicts;
        self.claims += o.claims;
        self.articles += o.articles;
        for (k, c) in &o.by_kind {
            let e = self.by_kind.entry(k.clone()).or_default();
            e.agree += c.agree;
            e.corroborated += c.corroborated;
            e.false_alarms += c.false_alarms;
            e.conflicts += c.conflicts;
            e.conflicts_found += c.conflicts_found;
        }
    }
}

impl fmt::Display for ClaimsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "conflicts: hard {}/{} soft {}/{}",
            self.hard.0, self.hard.1, self.soft.0, self.soft.1
        )?;
        writeln!(
            f,
            "false_alarms: {}/{}",
            self.false_alarms.0, self.false_alarms.1
        )?;
        writeln!(
            f,
            "corroborated: {}/{}",
            self.corroborated.0, self.corroborated.1
        )?;
        writeln!(
            f,
            "conflict_precision: {:.3} ({}/{})",
            self.conflict_precision(),
            self.matched_conflicts,
            self.reported_conflicts
        )?;
        writeln!(f, "claims_per_article: {:.2}", self.claims_per_article())?;
        if self.aligned.1 > 0 {
            writeln!(
                f,
                "aligned_precision: {:.3} ({}/{} grouped pairs of gold-covered sentences state one gold fact)",
                self.aligned.0 as f64 / self.aligned.1 as f64,
                self.aligned.0,
                self.aligned.1
            )?;
        }
        writeln!(
            f,
            "by kind      corroborated  false_alarms  conflicts_found"
        )?;
        for (k, c) in &self.by_kind {
            writeln!(
                f,
                "  {k:<10} {:>12}  {:>12}  {:>15}",
                format!("{}/{}", c.corroborated, c.agree),
                format!("{}/{}", c.false_alarms, c.agree),
                format!("{}/{}", c.conflicts_found, c.conflicts),
            )?;
        }
        Ok(())
    }
}

/// What the scorer reads of an analysis.
pub struct AnalysisView<'a> {
    pub documents: &'a [model::Document],
    pub articles: usize,
    pub claims: &'a [model::Claim],
    pub groups: &'a [model::ClaimGroup],
    pub conflicts: &'a [model::Conflict],
}

impl<'a> AnalysisView<'a> {
    pub fn of(a: &'a pipeline::Analysis) -> AnalysisView<'a> {
        AnalysisView {
            documents: &a.documents,
            articles: a.articles.len(),
            claims: &a.claims,
            groups: &a.claim_groups,
            conflicts: &a.conflicts,
        }
    }
}

/// Scores `view` (an analysis of `input`) against `gold`.
pub fn score(gold: &[Record], input: &BasilInput, view: &AnalysisView<'_>) -> Scoring {
    let ctx = Context::new(input, view);
    let conflict_quotes: Vec<Vec<Vec<char>>> = view
        .conflicts
        .iter()
        .map(|c| ctx.conflict_quotes(c))
        .collect();
    let matches = |r: &Record, qs: &[Vec<char>]| {
        r.values
            .iter()
            .filter(|v| {
                let q: Vec<char> = v.quote.chars().collect();
                qs.iter().any(|c| overlap_chars(&q, c))
            })
            .count()
            >= 2
    };
    let mut report = ClaimsReport {
        claims: view.claims.len(),
        articles: view.articles.max(1),
        reported_conflicts: view.conflicts.len(),
        ..Default::default()
    };
    let mut records = Vec::with_capacity(gold.len());
    for r in gold {
        let in_conflict = conflict_quotes.iter().any(|qs| matches(r, qs));
        let held_by: Vec<Vec<String>> = r.values.iter().map(|v| ctx.holders(v)).collect();
        let agree = r.relation == "agree" && r.values.len() >= 2;
        let corroborated = agree && ctx.corroborated(r, &held_by);
        let k = report.by_kind.entry(r.kind.clone()).or_default();
        match r.relation.as_str() {
            "conflict_hard" | "conflict_soft" => {
                let slot = if r.relation == "conflict_hard" {
                    &mut report.hard
                } else {
                    &mut report.soft
                };
                slot.1 += 1;
                slot.0 += in_conflict as usize;
                k.conflicts += 1;
                k.conflicts_found += in_conflict as usize;
            }
            _ if agree => {
                report.false_alarms.1 += 1;
                report.false_alarms.0 += in_conflict as usize;
                report.corroborated.1 += 1;
                report.corroborated.0 += corroborated as usize;
                k.agree += 1;
                k.false_alarms += in_conflict as usize;
                k.corroborated += corroborated as usize;
            }
            _ => {}
        }
        records.push(RecordOutcome {
            in_conflict,
            corroborated,
            held_by,
        });
    }
    let gold_conflicts: Vec<&Record> = gold
        .iter()
        .filter(|r| r.relation.starts_with("conflict"))
        .collect();
    report.matched_conflicts = conflict_quotes
        .iter()
        .filter(|qs| gold_conflicts.iter().any(|r| matches(r, qs)))
        .count();
    Scoring { records, report }
}

/// Lookups shared by the tests of one scoring.
struct Context<'a> {
    view: &'a AnalysisView<'a>,
    claims: HashMap<&'a str, (&'a model::Claim, Vec<char>)>,
    /// Article id -> BASIL file (through the document's JSONL line).
    file_of: HashMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    fn new(input: &'a BasilInput, view: &'a AnalysisView<'a>) -> Context<'a> {
        let mut file_of = HashMap::new();
        for d in view.documents {
            let Some(file) = d
                .line
                .and_then(|l| input.files.get((l as usize).wrapping_sub(1)))
            else {
                continue;
            };
            for a in &d.articles {
                file_of.insert(a.as_str(), file.as_str());
            }
        }
        let claims = view
            .claims
            .iter()
            .map(|c| (c.id.as_str(), (c, c.quote.chars().collect())))
            .collect();
        Context {
            view,
            claims,
            file_of,
        }
    }

    fn conflict_quotes(&self, c: &model::Conflict) -> Vec<Vec<char>> {
        let mut qs = Vec::new();
        for s in &c.values {
            qs.extend(
                s.quotes
                    .iter()
                    .filter(|q| !q.is_empty())
                    .map(|q| q.chars().collect()),
            );
            qs.extend(
                s.claims
                    .iter()
                    .filter_map(|id| self.claims.get(id.as_str()))
                    .map(|(_, q)| q.clone()),
            );
        }
        qs
    }

    /// Claims of the value's file whose quote overlaps the value's quote.
    fn holders(&self, v: &GoldValue) -> Vec<String> {
        let q: Vec<char> = v.quote.chars().collect();
        self.view
            .claims
            .iter()
            .filter(|c| self.file_of.get(c.article.as_str()) == Some(&v.file.as_str()))
            .filter(|c| overlap_chars(&self.claims[c.id.as_str()].1, &q))
            .map(|c| c.id.clone())
            .collect()
    }

    fn corroborated(&self, r: &Record, held_by: &[Vec<String>]) -> bool {
        self.view.groups.iter().any(|g| {
            if g.verdict != model::Verdict::Corroborated {
                return false;
            }
            let ids: HashSet<&str> = g.claims.iter().map(String::as_str).collect();
            let sources: HashSet<&str> = r
                .values
                .iter()
                .zip(held_by)
                .filter(|(_, h)| h.iter().any(|c| ids.contains(c.as_str())))
                .map(|(v, _)| v.source.as_str())
                .collect();
            sources.len() >= 2
        })
    }
}

/// What `crosscheck eval claims` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub gold: PathBuf,
    pub basil: PathBuf,
    /// Also write the analysed JSONL input here.
    pub write_input: Option<PathBuf>,
    /// Also write per-record outcomes here (JSON).
    pub records: Option<PathBuf>,
    /// Folds of the cross-validation by event (0 or 1: none).
    pub folds: usize,
    /// Cross-validated figures at thresholds 0.1 to 0.9 too.
    pub sweep: bool,
    /// Train the aligner on every gold event and write it here.
    pub train: Option<PathBuf>,
    /// The threshold written with `train` (default: the shipped model's).
    pub threshold: Option<f32>,
}

/// Runs `crosscheck eval claims`: the scorer's figures on the whole gold with the shipped
/// aligner, then (with `folds`) the figures of a cross-validation by event, and (with
/// `train`) writes an aligner trained on every event. Returns the text to print.
pub fn evaluate(o: &Options) -> Result<String, EvalError> {
    use std::fmt::Write as _;
    let gold = read_gold(&o.gold)?;
    let input = basil_input(&gold, &o.basil)?;
    if let Some(p) = &o.write_input {
        std::fs::write(p, &input.jsonl).map_err(|e| EvalError::Io(p.clone(), e))?;
    }
    let analysis = analyze_input(&input)?;
    let scoring = score(&gold, &input, &AnalysisView::of(&analysis));
    if let Some(p) = &o.records {
        write_records(p, &gold, &scoring)?;
    }
    let mut out = scoring.report.to_string();
    if o.folds < 2 && o.train.is_none() {
        return Ok(out);
    }
    let shipped = claims::align::Aligner::shipped();
    let data = AlignerData::new(&gold, &input, &analysis);
    if o.folds >= 2 {
        let mut thresholds = vec![shipped.threshold];
        if o.sweep {
            thresholds.extend((1..10).map(|t| t as f32 / 10.0));
        }
        let cv = cross_validate(&gold, &input, &analysis, &data, o.folds, &thresholds);
        let _ = writeln!(
            out,
            "\ncross-validated by event ({} folds; each fold judged by an aligner trained on the others):",
            o.folds
        );
        out.push_str(&cv[0].to_string());
        for (t, r) in thresholds.iter().zip(&cv).skip(1) {
            let _ = writeln!(out, "threshold {t:.2}: {}", r.one_line());
        }
    }
    if let Some(p) = &o.train {
        let mut aligner = claims::align::Aligner::train(
            &data.examples(|e| !e.is_empty()),
            ALIGNER_C,
            o.threshold.unwrap_or(shipped.threshold),
        );
        let events: std::collections::BTreeSet<&str> =
            gold.iter().map(|r| r.triplet.as_str()).collect();
        aligner.trained_on = format!(
            "{} events, {} labelled pairs of {} (crosscheck eval claims --train)",
            events.len(),
            data.labels.iter().filter(|l| l.is_some()).count(),
            o.gold
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("the gold"),
        );
        let json = serde_json::to_string_pretty(&aligner)
            .map_err(|e| EvalError::Format(p.clone(), e.to_string()))?;
        std::fs::write(p, json + "\n").map_err(|e| EvalError::Io(p.clone(), e))?;
        let _ = writeln!(out, "aligner written to {}", p.display());
    }
    Ok(out)
}

fn write_records(p: &Path, gold: &[Record], scoring: &Scoring) -> Result<(), EvalError> {
    let rows: Vec<serde_json::Value> = gold
        .iter()
        .zip(&scoring.records)
        .map(|(r, o)| {
            serde_json::json!({
                "triplet": r.triplet, "slot": r.slot, "kind": r.kind, "relation": r.relation,
                "in_conflict": o.in_conflict, "corroborated": o.corroborated,
                "held_by": o.held_by,
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&rows)
        .map_err(|e| EvalError::Format(p.to_path_buf(), e.to_string()))?;
    std::fs::write(p, json).map_err(|e| EvalError::Io(p.to_path_buf(), e))
}

/// Reads the gold and BASIL, analyses the gold's events in process and scores them.
pub fn run(gold_path: &Path, basil: &Path) -> Result<Scoring, EvalError> {
    let gold = read_gold(gold_path)?;
    let input = basil_input(&gold, basil)?;
    let analysis = analyze_input(&input)?;
    Ok(score(&gold, &input, &AnalysisView::of(&analysis)))
}

/// Runs the whole pipeline on the scorer's JSONL, as `crosscheck analyze --json` would.
pub fn analyze_input(input: &BasilInput) -> Result<pipeline::Analysis, EvalError> {
    let source = pipeline::Input::Jsonl {
        name: "score-claims-input.jsonl".into(),
        body: input.jsonl.clone().into_bytes(),
    };
    pipeline::analyze(
        &source,
        None,
        &pipeline::Options::default(),
        &pipeline::Quiet,
    )
    .map_err(|e| EvalError::Format(PathBuf::from("score-claims-input.jsonl"), e.to_string()))
}

#[cfg(test)]
mod tests;

/// The event (BASIL triplet) of a BASIL file path (`2012/<triplet>_<n>.json`).
fn triplet_of(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.rsplit_once('_').map(|(t, _)| t).unwrap_or(name)
}

/// The aligner's training data from one analysed gold input: every candidate pair of
/// statements with a label where the gold says something about it, and each pair's event.
pub struct AlignerData {
    pub reading: claims::Reading,
    /// Per pair: `Some(true)` when its statements hold two outlets' values of one gold fact,
    /// `Some(false)` when one of them holds a gold value and the other is not its partner,
    /// `None` when the gold says nothing of either.
    pub labels: Vec<Option<bool>>,
    /// Per pair: the event (triplet) of its first statement.
    pub events: Vec<String>,
    /// Per article of the analysis: its event.
    pub article_events: Vec<String>,
    /// Pairs of statements (lower index first) holding two outlets' values of one gold fact.
    pub positive: HashSet<(usize, usize)>,
    /// Statements holding a gold value.
    pub anchored: HashSet<usize>,
}

impl AlignerData {
    pub fn new(gold: &[Record], input: &BasilInput, analysis: &pipeline::Analysis) -> AlignerData {
        let reading =
            claims::Reading::new(&analysis.articles, &analysis.entities, &analysis.events);
        let view = AnalysisView::of(analysis);
        let ctx = Context::new(input, &view);
        let article_events: Vec<String> = analysis
            .articles
            .iter()
            .map(|a| {
                ctx.file_of
                    .get(a.id.as_str())
                    .map(|f| triplet_of(f))
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        let held = |v: &GoldValue| -> Vec<usize> {
            let q: Vec<char> = v.quote.chars().collect();
            reading
                .statements
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    ctx.file_of.get(analysis.articles[s.article].id.as_str())
                        == Some(&v.file.as_str())
                })
                .filter(|(i, _)| {
                    let quote: Vec<char> = reading.statement_claims[*i].quote.chars().collect();
                    overlap_chars(&quote, &q)
                })
                .map(|(i, _)| i)
                .collect()
        };
        let mut positive: HashSet<(usize, usize)> = HashSet::new();
        let mut anchored: HashSet<usize> = HashSet::new();
        for r in gold.iter().filter(|r| r.relation != "single") {
            let hs: Vec<Vec<usize>> = r.values.iter().map(held).collect();
            for (x, v) in r.values.iter().enumerate() {
                anchored.extend(hs[x].iter().copied());
                for (y, w) in r.values.iter().enumerate().skip(x + 1) {
                    if v.source == w.source {
                        continue;
                    }
                    for &a in &hs[x] {
                        for &b in &hs[y] {
                            positive.insert((a.min(b), a.max(b)));
                        }
                    }
                }
            }
        }
        let labels = reading
            .pairs
            .iter()
            .map(|p| {
                if positive.contains(&(p.a.min(p.b), p.a.max(p.b))) {
                    Some(true)
                } else if anchored.contains(&p.a) || anchored.contains(&p.b) {
                    Some(false)
                } else {
                    None
                }
            })
            .collect();
        let events = reading
            .pairs
            .iter()
            .map(|p| article_events[reading.statements[p.a].article].clone())
            .collect();
        AlignerData {
            reading,
            labels,
            events,
            article_events,
            positive,
            anchored,
        }
    }

    /// Of the grouped pairs of statements of different origins that the gold covers (both
    /// hold a gold value), those that hold values of one fact: (right, judged).
    pub fn alignment_precision(&self, c: &claims::Corroboration) -> (usize, usize) {
        let index: HashMap<&str, usize> = self
            .reading
            .statement_claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let (mut right, mut judged) = (0, 0);
        for g in &c.groups {
            let members: Vec<usize> = g
                .claims
                .iter()
                .filter_map(|id| index.get(id.as_str()).copied())
                .filter(|m| self.anchored.contains(m))
                .collect();
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    let arts = &self.reading.statements;
                    if arts[a].article == arts[b].article {
                        continue;
                    }
                    judged += 1;
                    right += self.positive.contains(&(a.min(b), a.max(b))) as usize;
                }
            }
        }
        (right, judged)
    }

    /// Labelled examples of the pairs whose event `keep` accepts.
    pub fn examples(&self, keep: impl Fn(&str) -> bool) -> Vec<([f32; claims::align::NF], bool)> {
        self.reading
            .pairs
            .iter()
            .zip(&self.labels)
            .zip(&self.events)
            .filter(|(_, e)| keep(e))
            .filter_map(|((p, l), _)| l.map(|l| (p.features, l)))
            .collect()
    }
}

/// Regularisation strength of the aligner's training (scikit-learn's `C`).
pub const ALIGNER_C: f64 = 1.0;

/// Cross-validation by event: the events (triplets, sorted) fall into `folds` folds; each
/// fold is judged by an aligner trained on the others, at each threshold. Returns one summed
/// report per threshold.
pub fn cross_validate(
    gold: &[Record],
    input: &BasilInput,
    analysis: &pipeline::Analysis,
    data: &AlignerData,
    folds: usize,
    thresholds: &[f32],
) -> Vec<ClaimsReport> {
    let events: std::collections::BTreeSet<&str> =
        gold.iter().map(|r| r.triplet.as_str()).collect();
    let fold_of: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (*e, i % folds))
        .collect();
    let mut totals = vec![ClaimsReport::default(); thresholds.len()];
    for f in 0..folds {
        let in_fold = |e: &str| fold_of.get(e) == Some(&f);
        let mut aligner = claims::align::Aligner::train(
            &data.examples(|e| !in_fold(e) && !e.is_empty()),
            ALIGNER_C,
            0.5,
        );
        let fold_gold: Vec<Record> = gold
            .iter()
            .filter(|r| in_fold(&r.triplet))
            .cloned()
            .collect();
        for (t, total) in thresholds.iter().zip(totals.iter_mut()) {
            aligner.threshold = *t;
            let c = data.reading.corroborate(&aligner);
            let kept = restrict(&c, analysis, &data.article_events, &in_fold);
            let view = AnalysisView {
                documents: &analysis.documents,
                articles: data.article_events.iter().filter(|e| in_fold(e)).count(),
                claims: &kept.claims,
                groups: &kept.groups,
                conflicts: &kept.conflicts,
            };
            let mut report = score(&fold_gold, input, &view).report;
            report.aligned = data.alignment_precision(&kept);
            total.add(&report);
        }
    }
    totals
}

/// The claims, groups and conflicts touching the articles whose event `keep` accepts.
fn restrict(
    c: &claims::Corroboration,
    analysis: &pipeline::Analysis,
    article_events: &[String],
    keep: &dyn Fn(&str) -> bool,
) -> claims::Corroboration {
    let articles: HashSet<&str> = analysis
        .articles
        .iter()
        .zip(article_events)
        .filter(|(_, e)| keep(e))
        .map(|(a, _)| a.id.as_str())
        .collect();
    let claims: Vec<model::Claim> = c
        .claims
        .iter()
        .filter(|x| articles.contains(x.article.as_str()))
        .cloned()
        .collect();
    let ids: HashSet<&str> = claims.iter().map(|x| x.id.as_str()).collect();
    claims::Corroboration {
        groups: c
            .groups
            .iter()
            .filter(|g| g.claims.iter().any(|x| ids.contains(x.as_str())))
            .cloned()
            .collect(),
        conflicts: c
            .conflicts
            .iter()
            .filter(|k| {
                k.values
                    .iter()
                    .any(|s| s.claims.iter().any(|x| ids.contains(x.as_str())))
            })
            .cloned()
            .collect(),
        claims,
    }
}
