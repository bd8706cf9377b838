//! Evaluates the NER model on a CoNLL-2003 file:
//! `ner FILE [--fast | --model MODEL.bin [--stack STACK.bin]] [--half-a]`.
//! Prints per-type and overall exact-span precision/recall/F1 (conlleval style); with
//! `--half-a`, only the figures of half A, so that settings can be chosen without seeing
//! half B.

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!(
            "usage: ner FILE.conll [--fast | --model MODEL.bin [--stack STACK.bin]] [--half-a]"
        );
        std::process::exit(2);
    };
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|p| {
                std::fs::read(p).unwrap_or_else(|e| {
                    eprintln!("{p}: {e}");
                    std::process::exit(2)
                })
            })
    };
    let result = match (opt("--model"), opt("--stack")) {
        (Some(m), s) => {
            let rec = ner::Recognizer::from_model_bytes(&m, s.as_deref()).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(2)
            });
            crosscheck_eval::ner::run_with(Path::new(file), &rec)
        }
        _ if args.iter().any(|a| a == "--fast") => {
            crosscheck_eval::ner::run_with(Path::new(file), &ner::Recognizer::fast())
        }
        _ => crosscheck_eval::ner::run(Path::new(file)),
    };
    match result {
        Ok(report) if args.iter().any(|a| a == "--half-a") => println!(
            "{}\ntokens_per_s {:.0}",
            report.half_line(crosscheck_eval::halves::Half::A),
            report.tokens_per_second()
        ),
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
