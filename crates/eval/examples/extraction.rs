//! Runs the extraction benchmark: `extraction DIR [--with NAME] [--worst N] [--slowest N]`.
//!
//! NAME is `crosscheck` (default) or, when built with `--features html/compare`, one of the
//! third-party candidates (`rs-trafilatura`, `trafilatura`, `dom_smoothie`). `--worst N` also
//! lists the N pages with the lowest F1, for error analysis.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut name = "crosscheck".to_owned();
    let mut worst = 0usize;
    let mut slowest = 0usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--with" => name = args.next().unwrap_or_default(),
            "--worst" => worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--slowest" => slowest = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: extraction DIR [--with NAME] [--worst N] [--slowest N]");
        return ExitCode::from(2);
    };
    let Some(extractor) = html::candidates::by_name(&name) else {
        eprintln!(
            "unknown or not compiled-in extractor {name:?}; names: {:?} (third-party ones need --features html/compare)",
            html::candidates::NAMES
        );
        return ExitCode::from(2);
    };
    match crosscheck_eval::extraction::run_with(&dir, extractor) {
        Ok(report) => {
            // Write errors (a closed pipe) are ignored: the figures were printed or not wanted.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{report}");
            let mut pages: Vec<_> = report.pages.iter().collect();
            pages.sort_by(|a, b| f1_of(a.tp_fp_fn).total_cmp(&f1_of(b.tp_fp_fn)));
            for p in pages.iter().take(worst) {
                let (tp, fp, fn_) = p.tp_fp_fn;
                let _ = writeln!(
                    out,
                    "worst {} f1 {:.3} tp {tp:.3} fp {fp:.3} fn {fn_:.3} {}",
                    p.id,
                    f1_of(p.tp_fp_fn),
                    p.url.as_deref().unwrap_or("")
                );
            }
            let mut by_time: Vec<_> = report.pages.iter().collect();
            by_time.sort_by(|a, b| b.millis.total_cmp(&a.millis));
            for p in by_time.iter().take(slowest) {
                let _ = writeln!(out, "slowest {} ms {:.3}", p.id, p.millis);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn f1_of((tp, fp, fn_): (f64, f64, f64)) -> f64 {
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}
