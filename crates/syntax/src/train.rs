//! Training: the tagger (with k-fold jackknifing, so that the parser learns from tags as
//! noisy as at run time), the parser and labeller (dynamic oracle), the lemma tables and the
//! contraction splits, all written into one model file. Deterministic for a given seed.

use std::collections::HashMap;

use crate::clusters::{CLUSTERS_TSV, Clusters, checksum};
use crate::conllu::{Sentence, merge_hyphens, projectivize};
use crate::lemma::LemmaBuilder;
use crate::lexicon::{self, Lexicon, LexiconConfig};
use crate::model::{FEATURE_VERSION, MAGIC};
use crate::parser::{self, Gold, Inputs, NA, NL, Rng, State, TrainStats};
use crate::table::{Averaged, Trainer, to_bytes};
use crate::tagger::{self, NT, TagSet};
use crate::tags::{Deprel, Upos, Xpos};
use crate::words::{Word, analyse};

/// Training settings (the defaults are what `scripts/syntax_train.sh` uses).
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub tag_epochs: usize,
    pub parse_epochs: usize,
    pub tag_bits: u32,
    pub trans_bits: u32,
    pub label_bits: u32,
    /// Jackknife folds for the parser's training tags (1: gold tags).
    pub folds: usize,
    /// Probability of following a wrong prediction during parser training.
    pub explore: f64,
    /// Epochs of pure oracle training before exploring.
    pub explore_after: usize,
    pub seed: u64,
    pub clusters: bool,
    /// Suffix rules need this many training words.
    pub lemma_min: usize,
    /// Largest quantised weight magnitude, and the smallest one kept.
    pub max_q: f32,
    pub prune: i32,
    /// Times each extra (CoNLL-2003) tagger sentence is used per epoch, in percent.
    pub extra_weight: usize,
    /// Percent of training sentences the tagger also sees in capitals and, separately, in
    /// headline title case (news headlines; EWT has few).
    pub case_augment: usize,
    pub lexicon: LexiconConfig,
    /// Tagger training runs whose weights are summed.
    pub tag_runs: usize,
    /// Margin of the tagger's perceptron updates.
    pub tag_margin: f32,
    /// Parser training runs whose weights are summed.
    pub parse_runs: usize,
    /// Development only: a file keeping the tagger's share of training between runs that
    /// change only the parser (written if missing, used if present: delete it when the
    /// tagger's code or settings change).
    pub tags_cache: Option<String>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            tag_epochs: 12,
            parse_epochs: 15,
            tag_bits: 16,
            trans_bits: 20,
            label_bits: 15,
            folds: 5,
            explore: 0.9,
            explore_after: 1,
            seed: 1,
            clusters: true,
            lemma_min: 2,
            max_q: 127.0,
            prune: 0,
            extra_weight: 100,
            case_augment: 10,
            lexicon: LexiconConfig::default(),
            tag_runs: 2,
            tag_margin: 1.0,
            parse_runs: 2,
            tags_cache: None,
        }
    }
}

/// One sentence ready for the tagger.
struct TagData {
    words: Vec<Word>,
    statics: Vec<u64>,
    gold: Vec<u8>,
}

fn tag_data(forms: &[&str], gold: Vec<u8>, clusters: &Clusters) -> TagData {
    let words: Vec<Word> = forms
        .iter()
        .map(|f| {
            let mut w = analyse(f);
            w.cluster = clusters.get(w.ekey, w.key);
            w
        })
        .collect();
    let mut statics = Vec::new();
    tagger::sentence_features(&words, &mut statics);
    TagData {
        words,
        statics,
        gold,
    }
}

/// Looks the words up in a lexicon and recomputes their static features.
fn relex(data: &mut [TagData], lex: &Lexicon) {
    for d in data {
        for w in &mut d.words {
            w.lex = lex.get(w.ekey);
        }
        tagger::sentence_features(&d.words, &mut d.statics);
    }
}

fn relex_variants(variants: &mut [(usize, TagData)], lex: &Lexicon) {
    for (_, d) in variants.iter_mut() {
        relex(std::slice::from_mut(d), lex);
    }
}

/// The lexicon of the treebank sentences `keep` selects.
fn lexicon_of(
    sents: &[Sentence],
    data: &[TagData],
    keep: impl Fn(usize) -> bool,
    cfg: &LexiconConfig,
) -> (Lexicon, Vec<u8>) {
    let words = sents
        .iter()
        .zip(data)
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .flat_map(|(_, (s, d))| {
            s.tokens
                .iter()
                .map(|t| t.form.as_str())
                .zip(d.gold.iter().copied())
        });
    lexicon::build(words, cfg)
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        let j = (rng.next_f64() * (i + 1) as f64) as usize;
        v.swap(i, j.min(i));
    }
}

/// Trains `cfg.tag_runs` taggers on differently shuffled data and sums their weights (an
/// ensemble with the cost of one model: scores are linear).
fn train_tagger(data: &[&TagData], ntags: usize, cfg: &TrainConfig, rng: &mut Rng) -> Averaged<NT> {
    let mut sum = train_tagger_once(data, ntags, cfg, rng);
    for _ in 1..cfg.tag_runs {
        sum.add(&train_tagger_once(data, ntags, cfg, rng));
    }
    sum
}

fn train_tagger_once(
    data: &[&TagData],
    ntags: usize,
    cfg: &TrainConfig,
    rng: &mut Rng,
) -> Averaged<NT> {
    let mut tr = Trainer::<NT>::new(cfg.tag_bits);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut out = Vec::new();
    for _ in 0..cfg.tag_epochs {
        shuffle(&mut order, rng);
        for &i in &order {
            let d = data[i];
            tagger::train_sentence(
                &mut tr,
                cfg.tag_margin,
                &d.words,
                &d.statics,
                &d.gold,
                ntags,
                &mut out,
            );
        }
    }
    Averaged::of(&tr)
}

/// Maps CoNLL-2003's PTB tags to EWT's XPOS and guesses UPOS from how EWT tags the word
/// (else the tag), for extra tagger data.
fn extra_data(
    extra: &[Vec<(String, String)>],
    sents: &[Sentence],
    tagset: &TagSet,
    clusters: &Clusters,
) -> Vec<TagData> {
    let mut by_word: HashMap<(String, Xpos), HashMap<Upos, usize>> = HashMap::new();
    let mut by_tag: HashMap<Xpos, HashMap<Upos, usize>> = HashMap::new();
    for t in sents.iter().flat_map(|s| &s.tokens) {
        *by_word
            .entry((t.form.to_lowercase(), t.xpos))
            .or_default()
            .entry(t.upos)
            .or_insert(0) += 1;
        *by_tag.entry(t.xpos).or_default().entry(t.upos).or_insert(0) += 1;
    }
    let top = |m: &HashMap<Upos, usize>| m.iter().max_by_key(|(u, c)| (**c, **u)).map(|(u, _)| *u);
    extra
        .iter()
        .filter_map(|s| {
            let mut open_quote = true;
            let mut gold = Vec::with_capacity(s.len());
            for (w, p) in s {
                let x = match p.as_str() {
                    "(" => Xpos::Lrb,
                    ")" => Xpos::Rrb,
                    "\"" => {
                        open_quote = !open_quote;
                        if open_quote {
                            Xpos::CloseQuote
                        } else {
                            Xpos::OpenQuote
                        }
                    }
                    p => Xpos::parse(p.split('|').next().unwrap_or(p))?,
                };
                let u = by_word
                    .get(&(w.to_lowercase(), x))
                    .and_then(top)
                    .or_else(|| by_tag.get(&x).and_then(top))?;
                gold.push(tagset.class_of(u, x));
            }
            let forms: Vec<&str> = s.iter().map(|(w, _)| w.as_str()).collect();
            Some(tag_data(&forms, gold, clusters))
        })
        .collect()
}

/// Small words headline style leaves in lower case.
const TITLE_LOWER: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
    "as", "from", "vs", "vs.",
];

/// A word in headline title case ("seize" -> "Seize"; "of" stays).
fn title_case(w: &str) -> String {
    if TITLE_LOWER.contains(&w.to_lowercase().as_str()) {
        return w.to_lowercase();
    }
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Capitalised copies of some training sentences for the tagger, each with the index of
/// the sentence it copies (so that a jackknife fold leaves out copies of its own sentences).
fn case_variants(
    sents: &[Sentence],
    data: &[TagData],
    percent: usize,
    clusters: &Clusters,
) -> Vec<(usize, TagData)> {
    let mut out = Vec::new();
    for (i, (s, d)) in sents.iter().zip(data).enumerate() {
        // A fixed spread over the corpus, different for the two styles.
        let pick = |salt: usize| (i.wrapping_mul(7919) + salt) % 100 < percent;
        for (salt, style) in [(0, 0), (50, 1)] {
            if !pick(salt) {
                continue;
            }
            let forms: Vec<String> = s
                .tokens
                .iter()
                .enumerate()
                .map(|(k, t)| match style {
                    0 => t.form.to_uppercase(),
                    _ if k == 0 => title_case(&t.form)
                        .chars()
                        .enumerate()
                        .map(|(j, c)| {
                            if j == 0 {
                                c.to_uppercase().next().unwrap_or(c)
                            } else {
                                c
                            }
                        })
                        .collect(),
                    _ => title_case(&t.form),
                })
                .collect();
            let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
            out.push((i, tag_data(&refs, d.gold.clone(), clusters)));
        }
    }
    out
}

fn accuracy(data: &[&TagData], pred: &[Vec<u8>]) -> f64 {
    let (mut ok, mut n) = (0usize, 0usize);
    for (d, p) in data.iter().zip(pred) {
        ok += d.gold.iter().zip(p).filter(|(a, b)| a == b).count();
        n += d.gold.len();
    }
    ok as f64 / n.max(1) as f64
}

/// Trains every part on treebank sentences (`extra`: more tagger sentences as (word, PTB
/// tag)) and returns the model file.
pub fn train(
    sents: &[Sentence],
    extra: &[Vec<(String, String)>],
    cfg: &TrainConfig,
    log: impl Fn(&str),
) -> Vec<u8> {
    let sents: Vec<Sentence> = sents.iter().map(merge_hyphens).collect();
    let mut rng = Rng(cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut counts: HashMap<(Upos, Xpos), usize> = HashMap::new();
    for t in sents.iter().flat_map(|s| &s.tokens) {
        *counts.entry((t.upos, t.xpos)).or_insert(0) += 1;
    }
    let counts: Vec<((Upos, Xpos), usize)> = counts.into_iter().collect();
    let tagset = TagSet::from_counts(&counts);
    let ntags = tagset.len();
    let clusters = if cfg.clusters {
        Clusters::parse(CLUSTERS_TSV)
    } else {
        Clusters::empty()
    };
    let mut data: Vec<TagData> = sents
        .iter()
        .map(|s| {
            let forms: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
            let gold = s
                .tokens
                .iter()
                .map(|t| tagset.class_of(t.upos, t.xpos))
                .collect();
            tag_data(&forms, gold, &clusters)
        })
        .collect();
    let mut extra = extra_data(extra, &sents, &tagset, &clusters);
    let mut variants = case_variants(&sents, &data, cfg.case_augment, &clusters);
    let n_extra = extra.len() * cfg.extra_weight / 100;
    log(&format!(
        "{} sentences, {} tag classes, {} extra tagger sentences",
        sents.len(),
        ntags,
        n_extra
    ));

    let cached = cfg
        .tags_cache
        .as_deref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| Tagging::from_bytes(&b, sents.len()));
    let tagging = match cached {
        Some(t) => {
            log("tagging read from the cache");
            t
        }
        None => {
            let t = train_tagging(
                &sents,
                &mut data,
                (&mut extra, n_extra),
                &mut variants,
                ntags,
                cfg,
                &mut rng,
                &log,
            );
            if let Some(p) = &cfg.tags_cache {
                let _ = std::fs::write(p, t.to_bytes());
            }
            t
        }
    };
    let lex = Lexicon::read(&mut crate::model::ByteReader::new(&tagging.lexicon))
        .expect("own lexicon bytes");
    relex(&mut data, &lex);
    let pred = tagging.pred;

    let (trans, labels, label_mask) = train_parser(&sents, &data, &pred, cfg, &mut rng, &log);

    let mut lemmas = LemmaBuilder::default();
    for t in sents.iter().flat_map(|s| &s.tokens) {
        lemmas.add(&t.form, t.xpos, &t.lemma);
    }

    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
    out.extend_from_slice(&u32::from(cfg.clusters).to_le_bytes());
    out.extend_from_slice(&checksum(CLUSTERS_TSV).to_le_bytes());
    out.push(ntags as u8);
    for &(u, x) in &tagset.pairs {
        out.push(u as u8);
        out.push(x as u8);
    }
    out.extend_from_slice(&(label_mask as u32).to_le_bytes());
    out.extend_from_slice(&((label_mask >> 32) as u32).to_le_bytes());
    out.extend_from_slice(&tagging.lexicon);
    let mut mark = out.len();
    let mut sizes = Vec::new();
    let mut section = |out: &mut Vec<u8>, name: &str| {
        sizes.push(format!("{name} {} bytes", out.len() - mark));
        mark = out.len();
    };
    out.extend_from_slice(&tagging.tagger);
    section(&mut out, "tagger");
    to_bytes(&trans, cfg.max_q, cfg.prune, &mut out);
    section(&mut out, "transitions");
    to_bytes(&labels, cfg.max_q, cfg.prune, &mut out);
    section(&mut out, "labels");
    lemmas.to_bytes(cfg.lemma_min, &mut out);
    section(&mut out, "lemmas");
    crate::split::build(&sents, &mut out);
    section(&mut out, "splits");
    log(&sizes.join(", "));
    out
}

/// The tagger's share of training: jackknifed tags for the parser, the tagger table and the
/// lexicon (as model-file sections).
struct Tagging {
    pred: Vec<Vec<u8>>,
    tagger: Vec<u8>,
    lexicon: Vec<u8>,
}

impl Tagging {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for b in [&self.tagger, &self.lexicon] {
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        }
        out.extend_from_slice(&(self.pred.len() as u32).to_le_bytes());
        for p in &self.pred {
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
        }
        out
    }

    /// Reads what `to_bytes` wrote; `None` if the bytes are not such a cache (or one for
    /// other sentences).
    fn from_bytes(b: &[u8], sentences: usize) -> Option<Tagging> {
        let mut r = crate::model::ByteReader::new(b);
        let chunk = |r: &mut crate::model::ByteReader<'_>| -> Option<Vec<u8>> {
            let n = r.u32().ok()? as usize;
            Some(r.take(n).ok()?.to_vec())
        };
        let tagger = chunk(&mut r)?;
        let lexicon = chunk(&mut r)?;
        let n = r.u32().ok()? as usize;
        if n != sentences {
            return None;
        }
        let pred = (0..n).map(|_| chunk(&mut r)).collect::<Option<Vec<_>>>()?;
        Some(Tagging {
            pred,
            tagger,
            lexicon,
        })
    }
}

/// Trains the tagger: k-fold jackknifed tags (each fold with a lexicon of the other folds
/// only), then the tagger and lexicon on all the data.
#[allow(clippy::too_many_arguments)]
fn train_tagging(
    sents: &[Sentence],
    data: &mut [TagData],
    (extra, n_extra): (&mut [TagData], usize),
    variants: &mut [(usize, TagData)],
    ntags: usize,
    cfg: &TrainConfig,
    rng: &mut Rng,
    log: &impl Fn(&str),
) -> Tagging {
    let mut pred: Vec<Vec<u8>> = vec![Vec::new(); data.len()];
    if cfg.folds > 1 {
        for k in 0..cfg.folds {
            let (lex, _) = lexicon_of(sents, data, |i| i % cfg.folds != k, &cfg.lexicon);
            relex(data, &lex);
            relex(extra, &lex);
            relex_variants(variants, &lex);
            let mut part: Vec<&TagData> = (0..data.len())
                .filter(|i| i % cfg.folds != k)
                .map(|i| &data[i])
                .collect();
            part.extend(extra.iter().cycle().take(n_extra));
            part.extend(
                variants
                    .iter()
                    .filter(|(i, _)| i % cfg.folds != k)
                    .map(|(_, d)| d),
            );
            let model = train_tagger(&part, ntags, cfg, rng);
            for i in (k..data.len()).step_by(cfg.folds) {
                let d = &data[i];
                tagger::decode(
                    &model,
                    &d.words,
                    &d.statics,
                    ntags,
                    &mut pred[i],
                    (&mut Vec::new(), &mut Vec::new()),
                );
            }
            log(&format!("tagger fold {}/{} done", k + 1, cfg.folds));
        }
    } else {
        for (p, d) in pred.iter_mut().zip(data.iter()) {
            p.clone_from(&d.gold);
        }
    }
    let (lex, lexicon) = lexicon_of(sents, data, |_| true, &cfg.lexicon);
    relex(data, &lex);
    relex(extra, &lex);
    relex_variants(variants, &lex);
    let all: Vec<&TagData> = data.iter().collect();
    log(&format!(
        "jackknifed tag accuracy {:.4}",
        accuracy(&all, &pred)
    ));
    let mut all_tag = all.clone();
    all_tag.extend(extra.iter().cycle().take(n_extra));
    all_tag.extend(variants.iter().map(|(_, d)| d));
    let tag_model = train_tagger(&all_tag, ntags, cfg, rng);
    log("tagger trained");
    let mut tagger = Vec::new();
    to_bytes(&tag_model, cfg.max_q, cfg.prune, &mut tagger);
    Tagging {
        pred,
        tagger,
        lexicon,
    }
}

type ParserModels = (Averaged<NA>, Averaged<NL>, u64);

fn train_parser(
    sents: &[Sentence],
    data: &[TagData],
    tags: &[Vec<u8>],
    cfg: &TrainConfig,
    rng: &mut Rng,
    log: &impl Fn(&str),
) -> ParserModels {
    let mut label_mask = 0u64;
    let mut lifts = 0;
    let mut golds: Vec<(Vec<u32>, Vec<u8>)> = Vec::with_capacity(sents.len());
    for s in sents {
        let n = s.tokens.len();
        let mut heads: Vec<Option<u32>> = s.tokens.iter().map(|t| t.head).collect();
        lifts += projectivize(&mut heads);
        let heads = heads.iter().map(|h| h.unwrap_or(n as u32)).collect();
        let labels = s.tokens.iter().map(|t| t.deprel as u8).collect();
        for t in &s.tokens {
            if t.deprel != Deprel::Root {
                label_mask |= 1 << (t.deprel as u8);
            }
        }
        golds.push((heads, labels));
    }
    log(&format!("{lifts} arcs lifted to projectivize"));
    let inputs: Vec<Inputs> = data
        .iter()
        .zip(tags)
        .map(|(d, t)| {
            let mut x = Inputs::new();
            x.fill(&d.words, t);
            x
        })
        .collect();
    let (mut trans, mut labels) = train_parser_once(&inputs, &golds, label_mask, cfg, rng, log);
    for _ in 1..cfg.parse_runs {
        let (t, l) = train_parser_once(&inputs, &golds, label_mask, cfg, rng, log);
        trans.add(&t);
        labels.add(&l);
    }
    (trans, labels, label_mask)
}

/// One training run of the parser and labeller (dynamic oracle with exploration).
fn train_parser_once(
    inputs: &[Inputs],
    golds: &[(Vec<u32>, Vec<u8>)],
    label_mask: u64,
    cfg: &TrainConfig,
    rng: &mut Rng,
    log: &impl Fn(&str),
) -> (Averaged<NA>, Averaged<NL>) {
    let mut trans = Trainer::<NA>::new(cfg.trans_bits);
    let mut labels = Trainer::<NL>::new(cfg.label_bits);
    let mut st = State::new();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    for epoch in 0..cfg.parse_epochs {
        shuffle(&mut order, rng);
        let explore = if epoch >= cfg.explore_after {
            cfg.explore
        } else {
            0.0
        };
        let mut stats = TrainStats::default();
        for &i in &order {
            let g = Gold {
                heads: &golds[i].0,
                labels: &golds[i].1,
            };
            parser::train_sentence(
                &mut trans,
                &mut labels,
                label_mask,
                &inputs[i],
                &g,
                &mut st,
                explore,
                rng,
                &mut stats,
            );
        }
        log(&format!(
            "parser epoch {}: transition errors {:.4}, label errors {:.4}",
            epoch + 1,
            stats.wrong as f64 / stats.steps.max(1) as f64,
            stats.label_wrong as f64 / stats.arcs.max(1) as f64
        ));
    }
    (Averaged::of(&trans), Averaged::of(&labels))
}
