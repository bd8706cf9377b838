//! Trains the NER model: `train TRAIN.txt OUT.bin [--epochs N] [--bits B] [--seed S] [--prune P]`.

use std::time::Instant;

use crosscheck_ner::train::{TrainConfig, train, train_stacked};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cfg = TrainConfig::default();
    let mut pos = Vec::new();
    let mut stack: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> u64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| die(&format!("{name} needs a number")))
        };
        match a.as_str() {
            "--epochs" => cfg.epochs = num("--epochs") as usize,
            "--bits" => cfg.bits = num("--bits") as u32,
            "--seed" => cfg.seed = num("--seed"),
            "--augment" => cfg.augment = num("--augment") as f64 / 100.0,
            "--runs" => cfg.runs = num("--runs") as usize,
            "--folds" => cfg.folds = num("--folds") as usize,
            "--stack" => {
                stack = Some(
                    it.next()
                        .cloned()
                        .unwrap_or_else(|| die("--stack needs a path")),
                )
            }
            "--prune" => cfg.prune = num("--prune") as i32,
            _ => pos.push(a.clone()),
        }
    }
    let [input, output] = pos.as_slice() else {
        die(
            "usage: train TRAIN.txt OUT.bin [--epochs N] [--bits B] [--seed S] [--prune P] [--augment PERCENT] [--runs R] [--stack STACK.bin [--folds K]]",
        );
    };
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| die(&format!("{input}: {e}")));
    let docs =
        crosscheck_ner::conll::parse(&text).unwrap_or_else(|e| die(&format!("{input}: {e}")));
    let t0 = Instant::now();
    let log = |line: &str| eprintln!("{line} [{:.1}s]", t0.elapsed().as_secs_f64());
    let write = |path: &str, bytes: &[u8]| {
        std::fs::write(path, bytes).unwrap_or_else(|e| die(&format!("{path}: {e}")));
        eprintln!("wrote {path}: {} bytes, {:?}", bytes.len(), cfg);
    };
    match &stack {
        None => write(output, &train(&docs, &cfg, log)),
        Some(stack_path) => {
            let (stage1, stage2) = train_stacked(&docs, &cfg, log);
            write(output, &stage1);
            write(stack_path, &stage2);
        }
    }
}

fn die(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
