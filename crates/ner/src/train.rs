//! Training: a structured averaged perceptron (Viterbi decoding, Collins 2002) over BILOU
//! tags, online over shuffled documents; optionally a second, stacked stage trained on
//! first-stage predictions made by cross-validation (jackknifing), so that at training time
//! it sees first-stage output as noisy as on new text.

use crate::conll::{Document, spans_from_tags};
use crate::features::{History, Sentence, stack_features};
use crate::model::{QModel, Trainer, to_bytes};
use crate::tagger::viterbi_document;
use crate::tags;

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// log2 of the weight-table rows (the runtime table is `2^bits * 17` 16-bit weights).
    pub bits: u32,
    /// Shuffling seed (training is deterministic for a given seed).
    pub seed: u64,
    /// Quantised weights below this magnitude (of 32,000 for the largest) are dropped.
    pub prune: i32,
    /// Models trained with different shuffles whose weights are averaged (a cheap ensemble
    /// that costs nothing at run time).
    pub runs: usize,
    /// Folds for the first-stage predictions the stacked stage learns from.
    pub folds: usize,
    /// Share of training documents also seen in a headline-case variant (see
    /// [`headline_case`]): CoNLL has capitals-only headlines but no title-case ones, which
    /// news sites use.
    pub augment: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 15,
            bits: 18,
            seed: 1,
            prune: 2,
            folds: 5,
            runs: 3,
            augment: 0.3,
        }
    }
}

/// A document prepared for training: analysed sentences and gold BILOU tags.
struct Prepared {
    sents: Vec<Sentence>,
    gold: Vec<Vec<u8>>,
    /// Index of the source document (augmented copies share their source's fold).
    source: usize,
}

fn prepare(docs: &[Document], cfg: &TrainConfig) -> Vec<Prepared> {
    let extra = augmented(docs, cfg);
    docs.iter()
        .enumerate()
        .chain(extra.iter().map(|(i, d)| (*i, d)))
        .map(|(source, d)| {
            let toks: Vec<&[String]> = d.sentences.iter().map(|s| s.tokens.as_slice()).collect();
            let sents = crate::prepare_document(&toks);
            let gold = d
                .sentences
                .iter()
                .map(|s| tags::encode(&spans_from_tags(&s.tags), s.tokens.len()))
                .collect();
            Prepared {
                sents,
                gold,
                source,
            }
        })
        .collect()
}

/// Minor words that headline style leaves in lower case.
const MINOR: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "off", "on", "per", "to", "up", "via", "vs", "vs.",
];

/// Headline (title) case: every lower-case word capitalised, except minor words unless
/// `all` or first. Labels are unchanged.
pub fn headline_case(tokens: &[String], all: bool) -> Vec<String> {
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut chars = t.chars();
            match chars.next() {
                Some(c) if c.is_lowercase() && (all || i == 0 || !MINOR.contains(&t.as_str())) => {
                    c.to_uppercase().chain(chars).collect()
                }
                _ => t.clone(),
            }
        })
        .collect()
}

/// Copies of a share of the documents with their first sentence, and one in six of the others,
/// in headline case.
fn augmented(docs: &[Document], cfg: &TrainConfig) -> Vec<(usize, Document)> {
    let mut rng = cfg.seed.wrapping_mul(0xd6e8_feb8_6659_fd93) | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if next() >= cfg.augment {
            continue;
        }
        let mut d = d.clone();
        for (i, s) in d.sentences.iter_mut().enumerate() {
            if i == 0 || next() < 1.0 / 6.0 {
                let all = next() < 0.5;
                s.tokens = headline_case(&s.tokens, all);
            }
        }
        out.push((i, d));
    }
    out
}

/// Trains one model on `docs`; `log` receives one line per epoch.
fn fit(docs: &[&Prepared], cfg: &TrainConfig, stacked: bool, log: &mut dyn FnMut(&str)) -> Vec<u8> {
    let runs = cfg.runs.max(1);
    let mut sum: Vec<f32> = Vec::new();
    for r in 0..runs {
        let avg = fit_one(docs, cfg, cfg.seed.wrapping_add(r as u64 * 7919), log);
        if sum.is_empty() {
            sum = avg;
        } else {
            sum.iter_mut().zip(&avg).for_each(|(s, a)| *s += a);
        }
    }
    // The common 1/runs scale is irrelevant after quantisation.
    to_bytes(&sum, cfg.bits, stacked, cfg.prune)
}

/// One averaged-perceptron run; returns the averaged weights.
fn fit_one(
    docs: &[&Prepared],
    cfg: &TrainConfig,
    seed: u64,
    log: &mut dyn FnMut(&str),
) -> Vec<f32> {
    let ntok: usize = docs
        .iter()
        .map(|p| p.gold.iter().map(Vec::len).sum::<usize>())
        .sum();
    let mut trainer = Trainer::new(cfg.bits);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut rng = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut hist = History::default();
    let mut out = Vec::new();
    for epoch in 0..cfg.epochs {
        // Fisher-Yates with xorshift: no dependency, deterministic.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0usize;
        for &d in &order {
            let p = docs[d];
            viterbi_document(&mut trainer, &p.sents, Some(&p.gold), &mut hist, &mut out);
            for (pred, gold) in out.iter().zip(&p.gold) {
                errors += pred.iter().zip(gold).filter(|(a, b)| a != b).count();
            }
        }
        log(&format!(
            "epoch {} token errors {} ({:.2}%)",
            epoch + 1,
            errors,
            100.0 * errors as f64 / ntok.max(1) as f64
        ));
    }
    trainer.averaged()
}

/// Trains the first-stage model on CoNLL documents and returns the model file bytes.
pub fn train(docs: &[Document], cfg: &TrainConfig, mut log: impl FnMut(&str)) -> Vec<u8> {
    let prepared = prepare(docs, cfg);
    let all: Vec<&Prepared> = prepared.iter().collect();
    fit(&all, cfg, false, &mut log)
}

/// Trains both stages: returns (first-stage model, second-stage model) file bytes.
pub fn train_stacked(
    docs: &[Document],
    cfg: &TrainConfig,
    mut log: impl FnMut(&str),
) -> (Vec<u8>, Vec<u8>) {
    let prepared = prepare(docs, cfg);
    let all: Vec<&Prepared> = prepared.iter().collect();
    log("stage 1 on all documents");
    let stage1 = fit(&all, cfg, false, &mut log);
    // Jackknife: each fold is tagged by a model trained on the other folds.
    let folds = cfg.folds.max(2);
    let mut stage1_tags: Vec<Vec<Vec<u8>>> = vec![Vec::new(); prepared.len()];
    let mut hist = History::default();
    for f in 0..folds {
        log(&format!("fold {}/{folds}", f + 1));
        let train_docs: Vec<&Prepared> = prepared
            .iter()
            .enumerate()
            .filter(|(_, p)| p.source % folds != f)
            .map(|(_, p)| p)
            .collect();
        let bytes = fit(&train_docs, cfg, false, &mut |_| {});
        let model = QModel::from_bytes(&bytes).expect("freshly trained model loads");
        for (i, p) in prepared
            .iter()
            .enumerate()
            .filter(|(_, p)| p.source % folds == f)
        {
            let mut m = &model;
            viterbi_document(&mut m, &p.sents, None, &mut hist, &mut stage1_tags[i]);
        }
    }
    let stacked: Vec<Prepared> = prepared
        .iter()
        .zip(&stage1_tags)
        .map(|(p, t)| {
            let mut sents = p.sents.clone();
            stack_features(&mut sents, t);
            Prepared {
                sents,
                gold: p.gold.clone(),
                source: p.source,
            }
        })
        .collect();
    drop(prepared);
    log("stage 2 on all documents");
    let all: Vec<&Prepared> = stacked.iter().collect();
    let stage2 = fit(&all, cfg, true, &mut log);
    (stage1, stage2)
}
