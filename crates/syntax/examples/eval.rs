//! Evaluates the tagger, lemmatizer and parser on a CoNLL-U file:
//! `eval FILE.conllu[.gz] [--model MODEL.bin] [--raw] [--repeat R] [--confusions] [--write OUT.conllu] [--case upper|title] [--threads K]`.
//!
//! Words are given as the treebank's syntactic words, with hyphenated words merged as at
//! training time ("gun - rights" -> "gun-rights"; `--raw` keeps EWT's split). Prints UPOS,
//! XPOS, lemma accuracy, UAS, LAS (full labels) and CLAS-style LAS on universal relations
//! (as the CoNLL 2018 shared task scores), punctuation included, and tokens/s of
//! tag + lemma + parse on one thread (thread CPU time, best of 3 timings of R passes).

mod common;

use std::time::Instant;

use common::{die, read_text};
use syntax::Parser;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(path) = opt("--conll2003") {
        let (parser, _) = load(opt("--model"));
        conll2003_agreement(parser, &path);
        return;
    }
    let Some(file) = args.first() else {
        die("usage: eval FILE.conllu.gz [--model MODEL.bin] [--raw] [--repeat R]");
    };
    let t0 = Instant::now();
    let (parser, size) = load(opt("--model"));
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let repeat: usize = opt("--repeat").and_then(|r| r.parse().ok()).unwrap_or(10);
    let text = read_text(file).unwrap_or_else(|e| die(&e));
    let mut sents = syntax::conllu::parse(&text).unwrap_or_else(|e| die(&format!("{file}: {e}")));
    if !args.iter().any(|a| a == "--raw") {
        sents = sents.iter().map(syntax::conllu::merge_hyphens).collect();
    }
    // Robustness to headline casing: the same sentences in capitals or with every word
    // capitalised.
    match opt("--case").as_deref() {
        Some("upper") => sents
            .iter_mut()
            .flat_map(|s| &mut s.tokens)
            .for_each(|t| t.form = t.form.to_uppercase()),
        Some("title") => sents.iter_mut().flat_map(|s| &mut s.tokens).for_each(|t| {
            let mut c = t.form.chars();
            t.form = c
                .next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default();
        }),
        _ => {}
    }
    let mut dump = opt("--write").map(|p| {
        std::io::BufWriter::new(
            std::fs::File::create(&p).unwrap_or_else(|e| die(&format!("{p}: {e}"))),
        )
    });
    let mut c = Counts::default();
    let mut confusions: std::collections::HashMap<String, usize> = Default::default();
    for s in &sents {
        let words: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
        let out = parser.parse(&words);
        c.add(s, &out);
        if let Some(w) = dump.as_mut() {
            write_conllu(w, s, &out);
        }
        for (g, p) in s.tokens.iter().zip(&out) {
            if g.upos != p.upos {
                *confusions
                    .entry(format!(
                        "UPOS {} -> {} ({})",
                        g.upos,
                        p.upos,
                        g.form.to_lowercase()
                    ))
                    .or_default() += 1;
                *confusions
                    .entry(format!("UPOS {} -> {}", g.upos, p.upos))
                    .or_default() += 1;
            }
            if g.head == p.head && g.deprel != p.deprel {
                *confusions
                    .entry(format!("label {} -> {}", g.deprel, p.deprel))
                    .or_default() += 1;
            }
            if g.lemma != p.lemma {
                *confusions
                    .entry(format!("lemma {} {} -> {}", g.form, g.lemma, p.lemma))
                    .or_default() += 1;
            }
        }
    }
    if args.iter().any(|a| a == "--confusions") {
        let mut v: Vec<(String, usize)> = confusions.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (k, n) in v.iter().take(3000) {
            println!("{n:5} {k}");
        }
    }
    let n = c.n as f64;
    println!(
        "{file}: {} sentences, {} words\nUPOS {:.4}  XPOS {:.4}  UPOS+XPOS {:.4}  lemma {:.4}\nUAS {:.4}  LAS {:.4}  LAS(universal labels) {:.4}  label acc {:.4}",
        sents.len(),
        c.n,
        c.upos as f64 / n,
        c.xpos as f64 / n,
        c.both as f64 / n,
        c.lemma as f64 / n,
        c.uas as f64 / n,
        c.las as f64 / n,
        c.ulas as f64 / n,
        c.label as f64 / n,
    );
    let all: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.tokens.iter().map(|t| t.form.as_str()).collect())
        .collect();
    let (tag_speed, parse_speed) = speed(parser, &all, repeat);
    println!(
        "tokens/s on one thread: tag+lemma {tag_speed:.0}, tag+lemma+parse {parse_speed:.0}; model {size} bytes, loaded in {load_ms:.0} ms"
    );
    if let Some(k) = opt("--threads").and_then(|t| t.parse::<usize>().ok()) {
        // The pipeline parses on every core at once: the weight tables are shared, the
        // caches contended.
        let per: Vec<f64> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..k)
                .map(|_| s.spawn(|| speed(parser, &all, repeat).1))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap_or(0.0)).collect()
        });
        let list: Vec<String> = per.iter().map(|v| format!("{v:.0}")).collect();
        println!(
            "tag+lemma+parse tokens/s per thread with {k} threads at once: {}",
            list.join(", ")
        );
    }
}

/// Writes a sentence as CoNLL-U with the predictions (gold in MISC: `G=UPOS|XPOS|head|rel`).
fn write_conllu(
    w: &mut impl std::io::Write,
    s: &syntax::conllu::Sentence,
    out: &[syntax::Analysis<'_>],
) {
    for (i, (g, p)) in s.tokens.iter().zip(out).enumerate() {
        let head = p.head.map_or(0, |h| h + 1);
        let ghead = g.head.map_or(0, |h| h + 1);
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\tG={}|{}|{}|{}|{}",
            i + 1,
            g.form,
            p.lemma,
            p.upos,
            p.xpos,
            head,
            p.deprel,
            g.upos,
            g.xpos,
            ghead,
            g.deprel,
            g.lemma
        )
        .unwrap_or_else(|e| die(&format!("write: {e}")));
    }
    writeln!(w).unwrap_or_else(|e| die(&format!("write: {e}")));
}

/// The shipped model, or a model file.
fn load(path: Option<String>) -> (&'static Parser, usize) {
    match path {
        Some(p) => {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| die(&format!("{p}: {e}")));
            let size = bytes.len();
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let parser = Parser::from_bytes(bytes).unwrap_or_else(|e| die(&format!("{p}: {e}")));
            (Box::leak(Box::new(parser)), size)
        }
        None => (Parser::global(), syntax::MODEL_SIZE),
    }
}

/// XPOS agreement with CoNLL-2003's (automatic, PTB) tags on Reuters news: a proxy for
/// tagging news text. Brackets and quotes are compared as PTB writes them.
fn conll2003_agreement(parser: &Parser, path: &str) {
    let text = read_text(path).unwrap_or_else(|e| die(&e));
    let sents = syntax::conllu::parse_conll2003(&text);
    let (mut ok, mut n) = (0usize, 0usize);
    let mut diff: std::collections::HashMap<String, usize> = Default::default();
    for s in &sents {
        let words: Vec<&str> = s.iter().map(|(w, _)| w.as_str()).collect();
        for ((w, gold), (_, x, _)) in s.iter().zip(parser.tag(&words)) {
            let mine = match x.as_str() {
                "-LRB-" => "(",
                "-RRB-" => ")",
                "``" | "''" => "\"",
                other => other,
            };
            n += 1;
            let same = mine == gold.split('|').next().unwrap_or(gold);
            ok += usize::from(same);
            if !same {
                *diff.entry(format!("{gold} -> {mine}")).or_default() += 1;
                let caps = if w.chars().all(|c| !c.is_lowercase()) {
                    "CAPS"
                } else {
                    ""
                };
                *diff.entry(format!("{gold} -> {mine} {caps}")).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(String, usize)> = diff.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (k, c) in v.iter().take(16) {
        println!("{c:6} {k}");
    }
    println!(
        "{path}: XPOS agreement with CoNLL-2003 tags {:.4} over {n} words",
        ok as f64 / n.max(1) as f64
    );
}

#[derive(Default)]
struct Counts {
    n: usize,
    upos: usize,
    xpos: usize,
    both: usize,
    lemma: usize,
    uas: usize,
    las: usize,
    ulas: usize,
    label: usize,
}

impl Counts {
    fn add(&mut self, s: &syntax::conllu::Sentence, out: &[syntax::Analysis<'_>]) {
        for (g, p) in s.tokens.iter().zip(out) {
            self.n += 1;
            self.upos += usize::from(g.upos == p.upos);
            self.xpos += usize::from(g.xpos == p.xpos);
            self.both += usize::from(g.upos == p.upos && g.xpos == p.xpos);
            self.lemma += usize::from(g.lemma == p.lemma);
            let head_ok = g.head == p.head;
            self.uas += usize::from(head_ok);
            self.las += usize::from(head_ok && g.deprel == p.deprel);
            self.ulas += usize::from(head_ok && g.deprel.universal() == p.deprel.universal());
            self.label += usize::from(g.deprel == p.deprel);
        }
    }
}

/// Tokens per second of `tag` and of `parse`: best of 3 timings of `repeat` passes over
/// the sentences each (thread CPU time is counted in scheduler ticks here: a timing must
/// last long enough).
fn speed(parser: &Parser, sents: &[Vec<&str>], repeat: usize) -> (f64, f64) {
    let ntok: usize = sents.iter().map(Vec::len).sum::<usize>() * repeat.max(1);
    let mut best = (f64::MAX, f64::MAX);
    let mut check = 0usize;
    for _ in 0..3 {
        let t0 = Clock::now();
        for _ in 0..repeat.max(1) {
            for s in sents {
                check += parser.tag(s).len();
            }
        }
        best.0 = best.0.min(t0.elapsed());
        let t0 = Clock::now();
        for _ in 0..repeat.max(1) {
            for s in sents {
                check += parser.parse(s).len();
            }
        }
        best.1 = best.1.min(t0.elapsed());
    }
    assert!(check > 0);
    (ntok as f64 / best.0, ntok as f64 / best.1)
}

/// Thread CPU time (Linux `/proc/thread-self/schedstat`, nanoseconds on CPU), or wall time.
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
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => self.wall.elapsed().as_secs_f64(),
        }
    }
}
