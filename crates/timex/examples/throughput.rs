//! Measures annotation speed on real text.
//!
//! Usage: `cargo run --release -p crosscheck-timex --example throughput -- PATH...`
//!
//! Every file under the PATHs is read; `.tml` files contribute their `<TEXT>` with tags
//! removed, `.json` files the string values of their JSON (e.g. BASIL articles), other files
//! their whole text. The corpus is annotated repeatedly for about two seconds on one thread;
//! tokens are white-space separated words. With `--show N`, the expressions found in the
//! first N documents are printed instead (anchored on 2026-01-28), for eyeballing.

use std::path::Path;
use std::time::Instant;

fn collect(p: &Path, out: &mut Vec<String>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else {
            return;
        };
        let mut v: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        v.sort();
        for q in v {
            collect(&q, out);
        }
        return;
    }
    let Ok(s) = std::fs::read_to_string(p) else {
        return;
    };
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let text = match ext {
        "tml" => match (s.find("<TEXT>"), s.find("</TEXT>")) {
            (Some(a), Some(b)) if a < b => strip_tags(&s[a + 6..b]),
            _ => return,
        },
        "json" => json_strings(&s),
        _ => s,
    };
    out.push(text);
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The contents of the JSON string literals, one per line (good enough for prose fields).
fn json_strings(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(x) => out.push(x),
                    None => break,
                },
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

fn main() {
    let mut docs = Vec::new();
    let mut show: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next().and_then(|n| n.parse().ok());
            continue;
        }
        collect(Path::new(&a), &mut docs);
    }
    if docs.is_empty() {
        eprintln!("usage: throughput PATH... (files or folders of text, .tml or .json)");
        std::process::exit(2);
    }
    if let Some(n) = show {
        let annotator = crosscheck_timex::Annotator::new();
        for d in docs.iter().take(n) {
            for t in annotator.annotate(d, chrono::NaiveDate::from_ymd_opt(2026, 1, 28)) {
                let mut a = t.start.saturating_sub(30);
                while !d.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (t.end + 20).min(d.len());
                while !d.is_char_boundary(b) {
                    b += 1;
                }
                println!(
                    "{}\t{}\t{}\t{}[{}]{}",
                    t.kind,
                    t.value.as_deref().unwrap_or("-"),
                    t.modifier.as_deref().unwrap_or(""),
                    &d[a..t.start].replace('\n', " "),
                    &d[t.start..t.end],
                    &d[t.end..b].replace('\n', " ")
                );
            }
        }
        return;
    }
    let tokens: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    let bytes: usize = docs.iter().map(String::len).sum();
    let annotator = crosscheck_timex::Annotator::new();
    let anchor = chrono::NaiveDate::from_ymd_opt(2026, 1, 28);
    let mut found = 0;
    let mut rounds = 0;
    let t0 = Instant::now();
    while rounds == 0 || t0.elapsed().as_secs_f64() < 2.0 {
        for d in &docs {
            found += annotator.annotate(d, anchor).len();
        }
        rounds += 1;
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{} docs, {tokens} tokens, {bytes} bytes, {} timexes per round; {rounds} rounds in {secs:.2} s",
        docs.len(),
        found / rounds
    );
    println!(
        "{:.0} tokens/s, {:.1} MB/s",
        (tokens * rounds) as f64 / secs,
        (bytes * rounds) as f64 / secs / 1e6
    );
}
