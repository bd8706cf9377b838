//! Trains the NER model: `train TRAIN.txt OUT.bin [--epochs N] [--bits B] [--seed S] [--prune P]`.

use std::time::Instant;

use crosscheck_ner::train::{TrainConfig, train};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cfg = TrainConfig::default();
    let mut pos = Vec::new();
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
            "--viterbi" => cfg.viterbi = true,
            "--prune" => cfg.prune = num("--prune") as i32,
            _ => pos.push(a.clone()),
        }
    }
    let [input, output] = pos.as_slice() else {
        die(
            "usage: train TRAIN.txt OUT.bin [--epochs N] [--bits B] [--seed S] [--prune P] [--viterbi]",
        );
    };
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| die(&format!("{input}: {e}")));
    let docs =
        crosscheck_ner::conll::parse(&text).unwrap_or_else(|e| die(&format!("{input}: {e}")));
    let t0 = Instant::now();
    let bytes = train(&docs, &cfg, |line| {
        eprintln!("{line} [{:.1}s]", t0.elapsed().as_secs_f64())
    });
    std::fs::write(output, &bytes).unwrap_or_else(|e| die(&format!("{output}: {e}")));
    eprintln!("wrote {output}: {} bytes, {:?}", bytes.len(), cfg);
}

fn die(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
