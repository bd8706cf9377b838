//! Measures single-threaded throughput on a CoNLL file:
//! `bench FILE [--fast | --model MODEL.bin [--stack STACK.bin]]`.
//! Reports tokens/s for sentence mode (`recognize`) and document mode, best of 3 runs, by
//! thread CPU time where Linux reports it (so other load on the machine does not count),
//! else by wall time.

use std::time::Instant;

use crosscheck_ner::Recognizer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: bench FILE.conll [--fast | --model MODEL.bin [--stack STACK.bin]]");
        std::process::exit(2);
    };
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|p| std::fs::read(p).expect("model file"))
    };
    let rec = match (opt("--model"), opt("--stack")) {
        (Some(m), s) => Recognizer::from_model_bytes(&m, s.as_deref()).expect("valid model"),
        _ if args.iter().any(|a| a == "--fast") => Recognizer::fast(),
        _ => Recognizer::new(),
    };
    let text = std::fs::read_to_string(file).expect("readable file");
    let docs = crosscheck_ner::conll::parse(&text).expect("CoNLL file");
    let docs: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let ntok: usize = docs.iter().flatten().map(Vec::len).sum();
    rec.recognize(&["warm", "up"]);
    let mut best_sent = f64::MAX;
    let mut best_doc = f64::MAX;
    let mut n = 0usize;
    for _ in 0..3 {
        let t0 = Clock::now();
        for s in docs.iter().flatten() {
            n += rec.recognize(s).len();
        }
        best_sent = best_sent.min(t0.elapsed());
        let t0 = Clock::now();
        for d in &docs {
            n += rec.recognize_document(d).len();
        }
        best_doc = best_doc.min(t0.elapsed());
    }
    println!(
        "tokens {ntok} sentence_mode_tokens_per_s {:.0} document_mode_tokens_per_s {:.0} (checksum {n})",
        ntok as f64 / best_sent,
        ntok as f64 / best_doc
    );
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
