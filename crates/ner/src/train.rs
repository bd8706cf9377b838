//! Training: averaged perceptron over greedy BILOU decoding, online, with shuffled documents.

use crate::conll::{Document, spans_from_tags};
use crate::features::{History, Sentence};
use crate::model::Trainer;
use crate::tagger::{tag_document, viterbi_document};
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
    /// Viterbi decoding and structured-perceptron updates instead of greedy decoding.
    pub viterbi: bool,
    /// Quantised weights below this magnitude (of 32,000 for the largest) are dropped.
    pub prune: i32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 15,
            bits: 20,
            seed: 1,
            viterbi: false,
            prune: 2,
        }
    }
}

/// A document prepared for training: analysed sentences and gold BILOU tags.
struct Prepared {
    sents: Vec<Sentence>,
    gold: Vec<Vec<u8>>,
}

/// Trains a model on CoNLL documents and returns the model file bytes. `log` receives one
/// line per epoch.
pub fn train(docs: &[Document], cfg: &TrainConfig, mut log: impl FnMut(&str)) -> Vec<u8> {
    let prepared: Vec<Prepared> = docs
        .iter()
        .map(|d| {
            let toks: Vec<&[String]> = d.sentences.iter().map(|s| s.tokens.as_slice()).collect();
            let sents = crate::prepare_document(&toks);
            let gold = d
                .sentences
                .iter()
                .map(|s| tags::encode(&spans_from_tags(&s.tags), s.tokens.len()))
                .collect();
            Prepared { sents, gold }
        })
        .collect();
    let ntok: usize = prepared
        .iter()
        .map(|p| p.gold.iter().map(Vec::len).sum::<usize>())
        .sum();
    let mut trainer = Trainer::new(cfg.bits);
    trainer.viterbi = cfg.viterbi;
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
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
            let p = &prepared[d];
            if cfg.viterbi {
                viterbi_document(&mut trainer, &p.sents, Some(&p.gold), &mut hist, &mut out);
            } else {
                tag_document(&mut trainer, &p.sents, Some(&p.gold), &mut hist, &mut out);
            }
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
    trainer.to_bytes(cfg.prune)
}
