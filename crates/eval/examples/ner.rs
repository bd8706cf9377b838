//! Evaluates the NER model on a CoNLL-2003 file: `ner FILE [--model MODEL.bin]`.
//! Prints per-type and overall exact-span precision/recall/F1 (conlleval style).

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, model) = match args.as_slice() {
        [file] => (file, None),
        [file, flag, model] if flag == "--model" => (file, Some(model)),
        _ => {
            eprintln!("usage: ner FILE.conll [--model MODEL.bin]");
            std::process::exit(2);
        }
    };
    let result = match model {
        None => crosscheck_eval::ner::run(Path::new(file)),
        Some(m) => {
            let bytes = std::fs::read(m).unwrap_or_else(|e| {
                eprintln!("{m}: {e}");
                std::process::exit(2)
            });
            let rec = ner::Recognizer::from_model_bytes(&bytes).unwrap_or_else(|e| {
                eprintln!("{m}: {e}");
                std::process::exit(2)
            });
            crosscheck_eval::ner::run_with(Path::new(file), &rec)
        }
    };
    match result {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
