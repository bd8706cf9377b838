//! Trains the syntax model: `train TRAIN.conllu[.gz] [MORE.conllu[.gz] ...] OUTDIR
//! [--conll2003 TRAIN.txt] [--tag-epochs N] [--parse-epochs N] [--tag-bits B]
//! [--trans-bits B] [--label-bits B] [--folds K] [--seed S] [--no-clusters] [--prune P]
//! [--max-q Q] [--lemma-min N] [--extra-weight PERCENT]`. Writes OUTDIR/model.bin.

mod common;

use std::time::Instant;

use common::{die, read_text};
use syntax::train::{TrainConfig, train};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cfg = TrainConfig::default();
    let mut pos = Vec::new();
    let mut conll2003 = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> f64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| die(&format!("{name} needs a number")))
        };
        match a.as_str() {
            "--tag-epochs" => cfg.tag_epochs = num(a) as usize,
            "--parse-epochs" => cfg.parse_epochs = num(a) as usize,
            "--tag-bits" => cfg.tag_bits = num(a) as u32,
            "--trans-bits" => cfg.trans_bits = num(a) as u32,
            "--label-bits" => cfg.label_bits = num(a) as u32,
            "--folds" => cfg.folds = num(a) as usize,
            "--seed" => cfg.seed = num(a) as u64,
            "--explore" => cfg.explore = num(a),
            "--prune" => cfg.prune = num(a) as i32,
            "--max-q" => cfg.max_q = num(a) as f32,
            "--lemma-min" => cfg.lemma_min = num(a) as usize,
            "--extra-weight" => cfg.extra_weight = num(a) as usize,
            "--no-clusters" => cfg.clusters = false,
            "--parse-runs" => cfg.parse_runs = num(a) as usize,
            "--explore-after" => cfg.explore_after = num(a) as usize,
            "--tags-cache" => cfg.tags_cache = it.next().cloned(),
            "--case-augment" => cfg.case_augment = num(a) as usize,
            "--tag-runs" => cfg.tag_runs = num(a) as usize,
            "--tag-margin" => cfg.tag_margin = num(a) as f32,
            "--conll2003" => conll2003.push(
                it.next()
                    .cloned()
                    .unwrap_or_else(|| die("--conll2003 needs a path")),
            ),
            "--lex-min" => cfg.lexicon.min_count = num(a) as usize,
            "--fixed-count" => cfg.lexicon.fixed_count = num(a) as usize,
            "--fixed-share" => cfg.lexicon.fixed_share = num(a),
            _ => pos.push(a.clone()),
        }
    }
    let Some((outdir, inputs)) = pos.split_last() else {
        die("usage: train TRAIN.conllu.gz [MORE ...] OUTDIR [options]");
    };
    if inputs.is_empty() {
        die("usage: train TRAIN.conllu.gz [MORE ...] OUTDIR [options]");
    }
    let t0 = Instant::now();
    let log = |line: &str| eprintln!("{line} [{:.1}s]", t0.elapsed().as_secs_f64());
    let mut sents = Vec::new();
    for path in inputs {
        let text = read_text(path).unwrap_or_else(|e| die(&e));
        let s = syntax::conllu::parse(&text).unwrap_or_else(|e| die(&format!("{path}: {e}")));
        log(&format!("{path}: {} sentences", s.len()));
        sents.extend(s);
    }
    let mut extra = Vec::new();
    for path in &conll2003 {
        let text = read_text(path).unwrap_or_else(|e| die(&e));
        extra.extend(syntax::conllu::parse_conll2003(&text));
    }
    let bytes = train(&sents, &extra, &cfg, log);
    std::fs::create_dir_all(outdir).unwrap_or_else(|e| die(&format!("{outdir}: {e}")));
    let path = format!("{outdir}/model.bin");
    std::fs::write(&path, &bytes).unwrap_or_else(|e| die(&format!("{path}: {e}")));
    eprintln!("wrote {path}: {} bytes, {cfg:?}", bytes.len());
}
