//! Evaluation of temporal expressions (TIMEX3) against TimeML corpora (TempEval-3 style).
//!
//! [`run`] reads every `.tml` file under a folder, takes the `<DCT>` value as the anchor date,
//! strips the tags from `<TEXT>` to get the raw text (keeping the byte offsets of the gold
//! `TIMEX3` spans in that raw text), annotates the raw text with [`timex::Annotator`] and scores
//! the result as TempEval-3 does:
//!
//! * strict: a system span counts when it has exactly the bounds of a gold span;
//! * relaxed: spans that overlap, matched one to one;
//! * value accuracy: share of relaxed matches whose normalised value equals the gold value;
//!   value F1 = relaxed F1 x value accuracy (the figure TempEval-3 ranked systems by).
//!
//! Files, in path order, alternate between two fixed halves (see [`crate::halves`]): rules
//! are tuned by looking at half A, and half B is the estimate on documents the tuning did not
//! see; both are printed beside the figures of all files.
//!
//! With an output folder it also writes one TimeML file per input whose `<TEXT>` holds the
//! input text (entity references kept as in the input) with only our `TIMEX3` tags in it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use timex::{Annotator, Timex};

use crate::halves::Half;

/// What can go wrong while evaluating; every variant names the file involved.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: malformed TimeML: {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("no .tml files under {0}")]
    Empty(PathBuf),
}

/// One gold TIMEX3 inside `<TEXT>`, with byte offsets into the raw (tag-free, decoded) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: Option<String>,
    pub modifier: Option<String>,
}

/// A TimeML document reduced to what timex evaluation needs.
#[derive(Debug, Clone)]
pub struct TimemlDoc {
    /// The document creation time (anchor), from the `<DCT>` TIMEX3 value.
    pub dct: Option<NaiveDate>,
    /// The `<TEXT>` content with tags removed and XML entities decoded.
    pub raw: String,
    /// The same text with entity references kept as written in the input (for output files).
    pub escaped: String,
    /// `map[i]` = byte offset in `escaped` of raw byte offset `i` (`raw.len() + 1` entries).
    pub map: Vec<usize>,
    pub gold: Vec<GoldTimex>,
    /// Byte range of the `<TEXT>` content in the source file.
    pub text_range: (usize, usize),
}

/// Figures for one run; `Display` prints the lines `crosscheck eval timex` shows.
#[derive(Debug, Clone, Default)]
pub struct TimexReport {
    pub files: usize,
    pub gold: usize,
    pub system: usize,
    pub strict_match: usize,
    pub relaxed_match: usize,
    pub value_correct: usize,
    pub type_correct: usize,
    pub tokens: usize,
    pub seconds: f64,
    /// Totals of half A and half B (empty in the report of one file).
    pub halves: Vec<TimexReport>,
}

fn prf(matched: usize, sys: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys == 0 {
        0.0
    } else {
        matched as f64 / sys as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        matched as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl TimexReport {
    pub fn strict(&self) -> (f64, f64, f64) {
        prf(self.strict_match, self.system, self.gold)
    }
    pub fn relaxed(&self) -> (f64, f64, f64) {
        prf(self.relaxed_match, self.system, self.gold)
    }
    /// Share of relaxed matches with the gold value.
    pub fn value_accuracy(&self) -> f64 {
        if self.relaxed_match == 0 {
            0.0
        } else {
            self.value_correct as f64 / self.relaxed_match as f64
        }
    }
    pub fn value_f1(&self) -> f64 {
        self.relaxed().2 * self.value_accuracy()
    }
    pub fn type_accuracy(&self) -> f64 {
        if self.relaxed_match == 0 {
            0.0
        } else {
            self.type_correct as f64 / self.relaxed_match as f64
        }
    }
    pub fn tokens_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.tokens as f64 / self.seconds
        } else {
            0.0
        }
    }
    fn add(&mut self, o: &TimexReport) {
        self.files += o.files;
        self.gold += o.gold;
        self.system += o.system;
        self.strict_match += o.strict_match;
        self.relaxed_match += o.relaxed_match;
        self.value_correct += o.value_correct;
        self.type_correct += o.type_correct;
        self.tokens += o.tokens;
        self.seconds += o.seconds;
    }

    /// The line of one half's totals: strict, relaxed and value F1 and the file count.
    pub fn half_line(&self, half: Half) -> String {
        let h = self.halves.get(half as usize).cloned().unwrap_or_default();
        format!(
            "{} strict f1 {:.4} relaxed f1 {:.4} value f1 {:.4} files {}",
            half.label(),
            h.strict().2,
            h.relaxed().2,
            h.value_f1(),
            h.files
        )
    }
}

impl fmt::Display for TimexReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sp, sr, sf) = self.strict();
        let (rp, rr, rf) = self.relaxed();
        writeln!(f, "strict precision {sp:.4} recall {sr:.4} f1 {sf:.4}")?;
        writeln!(f, "relaxed precision {rp:.4} recall {rr:.4} f1 {rf:.4}")?;
        writeln!(
            f,
            "value accuracy {:.4} f1 {:.4}",
            self.value_accuracy(),
            self.value_f1()
        )?;
        writeln!(f, "type accuracy {:.4}", self.type_accuracy())?;
        writeln!(
            f,
            "files {} gold {} system {}",
            self.files, self.gold, self.system
        )?;
        // The halves come before the timing line, which stays the last one.
        if !self.halves.is_empty() {
            writeln!(f, "{}", self.half_line(Half::A))?;
            writeln!(f, "{}", self.half_line(Half::B))?;
        }
        write!(
            f,
            "tokens {} tokens/s {:.0}",
            self.tokens,
            self.tokens_per_second()
        )
    }
}

/// Evaluates every `.tml` file under `dir` (recursively); with `out`, writes our annotations
/// as TimeML files of the same names into that folder.
pub fn run(dir: &Path, out: Option<&Path>) -> Result<TimexReport, EvalError> {
    run_with(dir, out, |_, _, _, _| {})
}

/// Like [`run`], calling `inspect(path, doc, system, report_of_this_file)` for every file
/// (used by the example to list errors).
pub fn run_with(
    dir: &Path,
    out: Option<&Path>,
    mut inspect: impl FnMut(&Path, &TimemlDoc, &[Timex], &TimexReport),
) -> Result<TimexReport, EvalError> {
    let mut files = Vec::new();
    collect_tml(dir, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Empty(dir.to_path_buf()));
    }
    if let Some(o) = out {
        std::fs::create_dir_all(o).map_err(|source| EvalError::Write {
            path: o.to_path_buf(),
            source,
        })?;
    }
    let annotator = Annotator::new();
    let mut total = TimexReport {
        halves: vec![TimexReport::default(); 2],
        ..Default::default()
    };
    for (i, path) in files.iter().enumerate() {
        let src = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.clone(),
            source,
        })?;
        let doc = parse_timeml(&src).map_err(|reason| EvalError::Format {
            path: path.clone(),
            reason,
        })?;
        let t0 = Instant::now();
        let sys = annotator.annotate(&doc.raw, doc.dct);
        let seconds = t0.elapsed().as_secs_f64();
        let mut rep = score(&doc.gold, &sys);
        rep.files = 1;
        rep.tokens = doc.raw.split_whitespace().count();
        rep.seconds = seconds;
        inspect(path, &doc, &sys, &rep);
        total.add(&rep);
        total.halves[Half::of_index(i) as usize].add(&rep);
        if let Some(o) = out {
            let name = path.file_name().unwrap_or_default();
            let target = o.join(name);
            let text = render_timeml(&src, &doc, &sys);
            std::fs::write(&target, text).map_err(|source| EvalError::Write {
                path: target.clone(),
                source,
            })?;
        }
    }
    Ok(total)
}

fn collect_tml(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let rd = std::fs::read_dir(dir).map_err(|source| EvalError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in rd {
        let entry = entry.map_err(|source| EvalError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        if p.is_dir() {
            collect_tml(&p, files)?;
        } else if p.extension().is_some_and(|e| e == "tml") {
            files.push(p);
        }
    }
    Ok(())
}

/// Scores one document: strict and relaxed (one-to-one, overlap) matches, value and type
/// agreement on the relaxed matches.
pub fn score(gold: &[GoldTimex], sys: &[Timex]) -> TimexReport {
    let mut rep = TimexReport {
        gold: gold.len(),
        system: sys.len(),
        ..Default::default()
    };
    let mut gold_used = vec![false; gold.len()];
    for s in sys {
        if gold.iter().any(|g| g.start == s.start && g.end == s.end) {
            rep.strict_match += 1;
        }
        // Prefer an exact match, then the first overlapping gold span not yet taken.
        let pick = gold
            .iter()
            .enumerate()
            .filter(|(k, g)| !gold_used[*k] && g.start < s.end && s.start < g.end)
            .min_by_key(|(k, g)| (!(g.start == s.start && g.end == s.end), *k))
            .map(|(k, _)| k);
        if let Some(k) = pick {
            gold_used[k] = true;
            rep.relaxed_match += 1;
            let g = &gold[k];
            if g.value.is_some() && g.value == s.value {
                rep.value_correct += 1;
            }
            if g.kind == s.kind.as_str() {
                rep.type_correct += 1;
            }
        }
    }
    rep
}

/// Parses a TimeML document: DCT anchor, raw `<TEXT>` and the gold TIMEX3 spans in it.
pub fn parse_timeml(src: &str) -> Result<TimemlDoc, String> {
    let dct = match (src.find("<DCT>"), src.find("</DCT>")) {
        (Some(a), Some(b)) if a < b => {
            let inner = &src[a..b];
            attr(inner, "value").and_then(|v| parse_dct(&v))
        }
        _ => None,
    };
    let open = src.find("<TEXT>").ok_or("no <TEXT> element")?;
    let text_start = open + "<TEXT>".len();
    let close = src[text_start..]
        .find("</TEXT>")
        .map(|k| k + text_start)
        .ok_or("no </TEXT> element")?;
    let body = &src[text_start..close];
    let mut raw = String::with_capacity(body.len());
    let mut escaped = String::with_capacity(body.len());
    let mut map = Vec::with_capacity(body.len() + 1);
    let mut gold = Vec::new();
    let mut open_timex: Option<(usize, String)> = None;
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let end = body[i..]
                    .find('>')
                    .map(|k| k + i)
                    .ok_or_else(|| format!("unclosed tag at byte {}", text_start + i))?;
                let tag = &body[i + 1..end];
                if let Some(rest) = tag.strip_prefix("TIMEX3") {
                    if open_timex.is_some() {
                        return Err(format!("nested TIMEX3 at byte {}", text_start + i));
                    }
                    if rest.trim_end().ends_with('/') {
                        // An empty (non-consuming) TIMEX3 has no span to score.
                    } else {
                        open_timex = Some((raw.len(), rest.to_string()));
                    }
                } else if tag.starts_with("/TIMEX3") {
                    let (start, attrs) = open_timex
                        .take()
                        .ok_or_else(|| format!("stray </TIMEX3> at byte {}", text_start + i))?;
                    gold.push(GoldTimex {
                        start,
                        end: raw.len(),
                        kind: attr(&attrs, "type").unwrap_or_default(),
                        value: attr(&attrs, "value"),
                        modifier: attr(&attrs, "mod"),
                    });
                }
                i = end + 1;
            }
            b'&' => {
                let semi = body[i..].find(';').map(|k| k + i).filter(|&k| k - i <= 10);
                let decoded = semi.and_then(|k| decode_entity(&body[i + 1..k]));
                match (semi, decoded) {
                    (Some(k), Some(c)) => {
                        let mut buf = [0u8; 4];
                        let s = c.encode_utf8(&mut buf);
                        // Every byte of the decoded character maps to the entity's start.
                        for _ in 0..s.len() {
                            map.push(escaped.len());
                        }
                        raw.push_str(s);
                        escaped.push_str(&body[i..=k]);
                        i = k + 1;
                    }
                    _ => {
                        // A bare '&' (not well-formed XML, but seen in the wild): keep it.
                        map.push(escaped.len());
                        raw.push('&');
                        escaped.push_str("&amp;");
                        i += 1;
                    }
                }
            }
            _ => {
                let next = body[i..].find(['<', '&']).map(|k| k + i).unwrap_or(b.len());
                let chunk = &body[i..next];
                for k in 0..chunk.len() {
                    map.push(escaped.len() + k);
                }
                raw.push_str(chunk);
                escaped.push_str(chunk);
                i = next;
            }
        }
    }
    if open_timex.is_some() {
        return Err("unclosed TIMEX3 in <TEXT>".into());
    }
    map.push(escaped.len());
    Ok(TimemlDoc {
        dct,
        raw,
        escaped,
        map,
        gold,
        text_range: (text_start, close),
    })
}

fn parse_dct(v: &str) -> Option<NaiveDate> {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).take(8).collect();
    if digits.len() < 8 {
        return None;
    }
    NaiveDate::parse_from_str(&digits, "%Y%m%d").ok()
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The value of attribute `name` in a tag's attribute text (entities decoded).
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(k) = tag[from..].find(name) {
        let at = from + k;
        let before_ok = at == 0 || tag.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[at + name.len()..].trim_start();
        if before_ok && let Some(rest) = rest.strip_prefix('=') {
            let rest = rest.trim_start();
            let q = rest.chars().next()?;
            if q == '"' || q == '\'' {
                let end = rest[1..].find(q)?;
                return Some(unescape(&rest[1..1 + end]));
            }
        }
        from = at + name.len();
    }
    None
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        let tail = &rest[k..];
        match tail
            .find(';')
            .and_then(|e| decode_entity(&tail[1..e]).map(|c| (e, c)))
        {
            Some((e, c)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The input document with `<TEXT>` replaced by the input text carrying only our TIMEX3 tags.
pub fn render_timeml(src: &str, doc: &TimemlDoc, sys: &[Timex]) -> String {
    let (a, b) = doc.text_range;
    let mut out = String::with_capacity(src.len() + sys.len() * 80);
    out.push_str(&src[..a]);
    let mut pos = 0;
    for (k, t) in sys.iter().enumerate() {
        let s = doc.map[t.start];
        let e = doc.map[t.end];
        out.push_str(&doc.escaped[pos..s]);
        out.push_str(&format!(
            "<TIMEX3 tid=\"t{}\" type=\"{}\"",
            k + 1,
            t.kind.as_str()
        ));
        if let Some(v) = &t.value {
            out.push_str(&format!(" value=\"{}\"", escape_attr(v)));
        } else {
            // TimeML requires a value; XXXX marks an unresolved one.
            out.push_str(" value=\"XXXX-XX-XX\"");
        }
        if let Some(m) = &t.modifier {
            out.push_str(&format!(" mod=\"{}\"", escape_attr(m)));
        }
        out.push('>');
        out.push_str(&doc.escaped[s..e]);
        out.push_str("</TIMEX3>");
        pos = e;
    }
    out.push_str(&doc.escaped[pos..]);
    out.push_str(&src[b..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">August 7, 1998</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1" class="OCCURRENCE">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> that profit rose in <TIMEX3 tid="t2" type="DATE" value="1998-Q2">the second quarter</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"#;

    #[test]
    fn reads_timeml_fixture() {
        let doc = parse_timeml(FIXTURE).unwrap();
        assert_eq!(doc.dct, NaiveDate::from_ymd_opt(1998, 8, 7));
        assert_eq!(
            doc.raw,
            "\nAT&T said Friday that profit rose in the second quarter.\n"
        );
        assert_eq!(doc.gold.len(), 2);
        let g = &doc.gold[0];
        assert_eq!(&doc.raw[g.start..g.end], "Friday");
        assert_eq!(g.value.as_deref(), Some("1998-08-07"));
        assert_eq!(g.kind, "DATE");
        let g = &doc.gold[1];
        assert_eq!(&doc.raw[g.start..g.end], "the second quarter");
        // Offsets after the decoded entity map back onto the escaped text.
        assert_eq!(
            &doc.escaped[doc.map[g.start]..doc.map[g.end]],
            "the second quarter"
        );
        assert!(doc.escaped.starts_with("\nAT&amp;T said"));
    }

    #[test]
    fn renders_and_scores() {
        let doc = parse_timeml(FIXTURE).unwrap();
        let sys = Annotator::new().annotate(&doc.raw, doc.dct);
        let out = render_timeml(FIXTURE, &doc, &sys);
        // Re-reading our own output gives back the same raw text and our spans as "gold".
        let back = parse_timeml(&out).unwrap();
        assert_eq!(back.raw, doc.raw);
        assert_eq!(back.gold.len(), sys.len());
        assert!(out.contains("<TLINK lid=\"l1\""));
        let rep = score(&doc.gold, &sys);
        assert_eq!(rep.gold, 2);
        assert_eq!(rep.relaxed_match, 2, "{sys:?}");
        assert_eq!(rep.value_correct, 2, "{sys:?}");
    }

    #[test]
    fn files_alternate_between_halves() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.tml", "b.tml", "c.tml"] {
            std::fs::write(dir.path().join(name), FIXTURE).unwrap();
        }
        let rep = run(dir.path(), None).unwrap();
        let [a, b] = [&rep.halves[0], &rep.halves[1]];
        // a.tml and c.tml in A, b.tml in B: disjoint, and together every file.
        assert_eq!((a.files, b.files), (2, 1));
        assert_eq!(a.gold + b.gold, rep.gold);
        assert_eq!(a.relaxed_match + b.relaxed_match, rep.relaxed_match);
        let again = run(dir.path(), None).unwrap();
        assert_eq!(again.halves[1].gold, b.gold);
        let shown = rep.to_string();
        assert!(
            shown.contains("\nhalf B (held apart) strict f1 "),
            "{shown}"
        );
        assert!(shown.ends_with(&format!("tokens/s {:.0}", rep.tokens_per_second())));
    }

    #[test]
    fn scoring_is_one_to_one() {
        let g = |s, e| GoldTimex {
            start: s,
            end: e,
            kind: "DATE".into(),
            value: Some("1998".into()),
            modifier: None,
        };
        let t = |s, e| Timex {
            start: s,
            end: e,
            kind: timex::TimexType::Date,
            value: Some("1998".into()),
            modifier: None,
            relative: false,
        };
        let rep = score(&[g(0, 10)], &[t(0, 4), t(5, 10)]);
        assert_eq!(rep.relaxed_match, 1);
        assert_eq!(rep.strict_match, 0);
        let rep = score(&[g(0, 4), g(5, 10)], &[t(0, 10)]);
        assert_eq!(rep.relaxed_match, 1);
    }
}
