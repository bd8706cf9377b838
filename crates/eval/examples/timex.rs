//! Evaluates timex recognition and normalisation on TimeML files.
//!
//! Usage: `cargo run --release -p crosscheck-eval --example timex -- DIR [--out OUT] [--errors]`
//!
//! DIR is searched recursively for `.tml` files (e.g. the TempEval-3 TimeBank and AQUAINT
//! folders); `--out` writes our annotations as TimeML files; `--errors` lists every missed,
//! spurious and wrongly normalised expression.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut errors = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--errors" => errors = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("unexpected argument {a}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: timex DIR [--out OUT] [--errors]");
        return ExitCode::from(2);
    };
    let result = crosscheck_eval::timex::run_with(&dir, out.as_deref(), |path, doc, sys, _| {
        if !errors {
            return;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let ctx = |s: usize, e: usize| {
            let mut a = s.saturating_sub(40);
            while !doc.raw.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (e + 30).min(doc.raw.len());
            while !doc.raw.is_char_boundary(b) {
                b += 1;
            }
            format!("{}[{}]{}", &doc.raw[a..s], &doc.raw[s..e], &doc.raw[e..b]).replace('\n', " ")
        };
        let anchor = doc.dct.map(|d| d.to_string()).unwrap_or_default();
        for g in &doc.gold {
            let hit = sys.iter().find(|s| s.start < g.end && g.start < s.end);
            match hit {
                None => println!(
                    "FN\t{name}\t{anchor}\t{}\t{}\t{}",
                    g.kind,
                    g.value.as_deref().unwrap_or("-"),
                    ctx(g.start, g.end)
                ),
                Some(s) => {
                    if s.value != g.value {
                        println!(
                            "VAL\t{name}\t{anchor}\tgold={}\tsys={}\t{}\t{}",
                            g.value.as_deref().unwrap_or("-"),
                            s.value.as_deref().unwrap_or("-"),
                            ctx(g.start, g.end),
                            &doc.raw[s.start..s.end]
                        );
                    }
                    if g.kind != s.kind.as_str() {
                        println!(
                            "TYPE\t{name}\tgold={}\tsys={}\t{}",
                            g.kind,
                            s.kind,
                            ctx(g.start, g.end)
                        );
                    }
                    if s.start != g.start || s.end != g.end {
                        println!(
                            "SPAN\t{name}\tgold=[{}]\tsys=[{}]",
                            &doc.raw[g.start..g.end],
                            &doc.raw[s.start..s.end]
                        );
                    }
                }
            }
        }
        for s in sys {
            if !doc.gold.iter().any(|g| s.start < g.end && g.start < s.end) {
                println!(
                    "FP\t{name}\t{anchor}\t{}\t{}\t{}",
                    s.kind,
                    s.value.as_deref().unwrap_or("-"),
                    ctx(s.start, s.end)
                );
            }
        }
    });
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
