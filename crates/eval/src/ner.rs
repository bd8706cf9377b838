//! Evaluation of the named-entity recogniser on CoNLL-2003 style files.
//!
//! Reads the file, tags each document (split at `-DOCSTART-`) with
//! [`ner::Recognizer::recognize_document`], and scores exact spans per type as conlleval does:
//! a predicted entity counts only if its boundaries and type both match a gold entity.
//!
//! Documents also fall into two fixed halves by position (even: A, odd: B; see
//! [`crate::halves`]): models are tuned by looking at half A, and half B is the estimate on
//! text the tuning did not see. The full-file figure stays the first one printed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ner::{EntityKind, EntitySpan, Recognizer};

use crate::halves::Half;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Counts for one entity type (or all types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Per-type and overall exact-span scores, plus throughput.
#[derive(Clone, Debug, Default)]
pub struct NerReport {
    /// Counts per type, in [`EntityKind::ALL`] order.
    pub per_type: [Counts; 4],
    pub sentences: usize,
    pub tokens: usize,
    /// Seconds spent tagging (reading and scoring excluded), single thread: thread CPU time
    /// where Linux reports it, so other load on the machine does not count; else wall time.
    pub tag_seconds: f64,
    /// Overall counts of the documents of half A and of half B.
    pub halves: [Counts; 2],
    /// Documents in half A and in half B.
    pub half_documents: [usize; 2],
}

impl NerReport {
    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type {
            c.add(t);
        }
        c
    }

    /// Adds the spans of one sentence.
    pub fn add_sentence(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan]) {
        for g in gold {
            self.per_type[g.kind as usize].gold += 1;
        }
        for p in predicted {
            self.per_type[p.kind as usize].predicted += 1;
            if gold.contains(p) {
                self.per_type[p.kind as usize].correct += 1;
            }
        }
    }

    /// Adds the spans of one sentence of a document in `half`.
    pub fn add_sentence_in(&mut self, half: Half, gold: &[EntitySpan], predicted: &[EntitySpan]) {
        let before = self.overall();
        self.add_sentence(gold, predicted);
        let after = self.overall();
        let h = &mut self.halves[half as usize];
        h.gold += after.gold - before.gold;
        h.predicted += after.predicted - before.predicted;
        h.correct += after.correct - before.correct;
    }

    /// The line of one half: `half A (tuned on) precision P recall R f1 F documents N`.
    pub fn half_line(&self, half: Half) -> String {
        let c = self.halves[half as usize];
        format!(
            "{} precision {:.4} recall {:.4} f1 {:.4} documents {}",
            half.label(),
            c.precision(),
            c.recall(),
            c.f1(),
            self.half_documents[half as usize]
        )
    }

    pub fn tokens_per_second(&self) -> f64 {
        if self.tag_seconds > 0.0 {
            self.tokens as f64 / self.tag_seconds
        } else {
            0.0
        }
    }
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, c) in EntityKind::ALL.iter().zip(&self.per_type) {
            writeln!(
                f,
                "{} precision {:.4} recall {:.4} f1 {:.4}",
                kind.conll_label(),
                c.precision(),
                c.recall(),
                c.f1()
            )?;
        }
        writeln!(
            f,
            "tokens {} tokens_per_s {:.0}",
            self.tokens,
            self.tokens_per_second()
        )?;
        // The halves come before the full-file line, which stays the last one.
        writeln!(f, "{}", self.half_line(Half::A))?;
        writeln!(f, "{}", self.half_line(Half::B))?;
        let o = self.overall();
        write!(
            f,
            "overall precision {:.4} recall {:.4} f1 {:.4}",
            o.precision(),
            o.recall(),
            o.f1()
        )
    }
}

/// Evaluates the embedded default model on a CoNLL-2003 file.
pub fn run(file: &Path) -> Result<NerReport, EvalError> {
    run_with(file, &Recognizer::new())
}

/// Evaluates a given recogniser on a CoNLL-2003 file.
pub fn run_with(file: &Path, recognizer: &Recognizer) -> Result<NerReport, EvalError> {
    let text = std::fs::read_to_string(file).map_err(|source| EvalError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let docs = ner::conll::parse(&text).map_err(|e| EvalError::Malformed {
        path: file.to_path_buf(),
        line: e.line,
        message: e.message,
    })?;
    let mut report = NerReport::default();
    for (i, doc) in docs.iter().enumerate() {
        let half = Half::of_index(i);
        report.half_documents[half as usize] += 1;
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        let t0 = Clock::now();
        let predicted = recognizer.recognize_document(&sentences);
        report.tag_seconds += t0.elapsed();
        for (s, p) in doc.sentences.iter().zip(&predicted) {
            report.sentences += 1;
            report.tokens += s.tokens.len();
            report.add_sentence_in(half, &ner::conll::spans_from_tags(&s.tags), p);
        }
    }
    Ok(report)
}

/// Thread CPU time (Linux `/proc/thread-self/schedstat`: nanoseconds on CPU), else wall time.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Clock {
    fn now() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: cpu_ns(),
        }
    }

    fn elapsed(&self) -> f64 {
        match (self.cpu, cpu_ns()) {
            (Some(a), Some(b)) if b >= a => (b - a) as f64 / 1e9,
            _ => self.wall.elapsed().as_secs_f64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: EntityKind) -> EntitySpan {
        EntitySpan { start, end, kind }
    }

    #[test]
    fn exact_span_scores() {
        let mut r = NerReport::default();
        // Gold: 3 PER, 1 LOC. Predicted: 2 PER right, 1 PER with a wrong boundary, LOC missed.
        r.add_sentence(
            &[
                span(0, 2, EntityKind::Person),
                span(3, 4, EntityKind::Place),
            ],
            &[span(0, 2, EntityKind::Person)],
        );
        r.add_sentence(
            &[
                span(0, 1, EntityKind::Person),
                span(2, 4, EntityKind::Person),
            ],
            &[
                span(0, 1, EntityKind::Person),
                span(2, 3, EntityKind::Person),
            ],
        );
        let per = r.per_type[0];
        assert_eq!((per.gold, per.predicted, per.correct), (3, 3, 2));
        assert_eq!(r.per_type[2].gold, 1);
        let o = r.overall();
        assert!((o.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((o.recall() - 0.5).abs() < 1e-12);
        assert!((o.f1() - 4.0 / 7.0).abs() < 1e-12);
        let shown = r.to_string();
        let last = shown.lines().last().unwrap();
        assert_eq!(last, "overall precision 0.6667 recall 0.5000 f1 0.5714");
        assert!(
            shown
                .lines()
                .next()
                .unwrap()
                .starts_with("PER precision 0.6667 recall 0.6667")
        );
        assert!(shown.contains("LOC precision 0.0000 recall 0.0000 f1 0.0000"));
    }

    #[test]
    fn malformed_input_names_path_and_line() {
        let dir = std::env::temp_dir().join(format!("crosscheck-ner-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.txt");
        std::fs::write(&path, "EU NNP B-NP B-ORG\n\nrejects\n").unwrap();
        let err = run(&path).unwrap_err().to_string();
        assert!(err.contains("bad.txt:3:"), "{err}");
        let missing = run(&dir.join("missing.txt")).unwrap_err().to_string();
        assert!(missing.contains("missing.txt"), "{missing}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn halves_split_documents_and_add_up() {
        let dir = std::env::temp_dir().join(format!("crosscheck-ner-eval3-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("three.txt");
        let doc = |name: &str| {
            format!("-DOCSTART- -X- -X- O\n\n{name} NNP B-NP B-PER\nspoke VBD B-VP O\n\n")
        };
        std::fs::write(&path, doc("Smith") + &doc("Jones") + &doc("Brown")).unwrap();
        let r = run(&path).unwrap();
        // Documents 0 and 2 in A, 1 in B: disjoint, and together the whole file.
        assert_eq!(r.half_documents, [2, 1]);
        let [a, b] = r.halves;
        let o = r.overall();
        assert_eq!((a.gold, b.gold), (2, 1));
        assert_eq!(a.predicted + b.predicted, o.predicted);
        assert_eq!(a.correct + b.correct, o.correct);
        let again = run(&path).unwrap();
        assert_eq!(again.halves, r.halves);
        let shown = r.to_string();
        assert!(shown.contains("\nhalf A (tuned on) precision "), "{shown}");
        assert!(
            shown.contains(" documents 1\noverall precision "),
            "{shown}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn tags_a_tiny_file() {
        let dir = std::env::temp_dir().join(format!("crosscheck-ner-eval2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.txt");
        std::fs::write(
            &path,
            "-DOCSTART- -X- -X- O\n\nVladimir NNP B-NP B-PER\nPutin NNP I-NP I-PER\nvisited VBD B-VP O\nParis NNP B-NP B-LOC\n. . O O\n",
        )
        .unwrap();
        let r = run(&path).unwrap();
        assert_eq!(r.tokens, 5);
        assert_eq!(r.overall().gold, 2);
        assert!(r.overall().correct >= 1, "{r}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
