//! Fits the HTML extractor's block model (`crates/html/block_model.json`) on half A of a
//! must / must-not snippet set, and reports what dropping blocks would do on both halves.
//!
//! Each page's blocks, as the rules select them (`html::block_features`), are labelled by
//! the snippets: a block holding a `with` snippet (or held by one, when a snippet spans
//! blocks) is content, one holding a `without` snippet is boilerplate, others are not used.
//! A weighted L2 logistic regression is fitted by full-batch gradient descent (both classes
//! weigh the same in total), and the threshold on P(content) is the one that gives the best
//! snippet F1 on half A when the blocks below it are dropped (half B is only reported).

use std::fmt;
use std::path::Path;

use crate::extraction::EvalError;
use crate::web_extraction::{Counts, Half, half_of, norm, read_items, read_page};

/// Gradient-descent steps and step size of the fit.
const STEPS: usize = 3000;
const RATE: f32 = 0.5;
/// L2 weights tried by cross-validation on half A (48 boilerplate blocks call for a strong one).
const L2S: &[f32] = &[1e-3, 1e-2, 3e-2, 1e-1];
/// Thresholds tried on P(content), in hundredths; 0 drops nothing.
const THRESHOLDS: std::ops::RangeInclusive<u32> = 0..=60;
/// Blocks this short held by a snippet are too little evidence to label.
const MIN_HELD: usize = 20;
/// Features that are hashed words (the last ones): tried with and without.
const WORD_FEATURES: usize = 64;

/// One page: its blocks' normalised texts and features, and its snippets.
struct Page {
    half: Half,
    texts: Vec<String>,
    features: Vec<Vec<f32>>,
    with: Vec<String>,
    without: Vec<String>,
}

/// Fit figures: examples, the chosen threshold and simulated snippet counts.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub content: usize,
    pub boilerplate: usize,
    pub l2: f32,
    pub words: bool,
    pub threshold: f32,
    /// Pooled out-of-fold counts of the chosen settings on half A.
    pub cv: Counts,
    pub a_before: Counts,
    pub a_after: Counts,
    pub b_before: Counts,
    pub b_after: Counts,
    /// Article benchmark (F1, median ms) without and with the model.
    pub zyte: Option<[(f64, f64); 2]>,
}

impl fmt::Display for TrainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "half A blocks: {} content, {} boilerplate; l2 {}, words {}, threshold {:.2}",
            self.content, self.boilerplate, self.l2, self.words, self.threshold
        )?;
        writeln!(f, "half A, 2-fold CV:   {}", self.cv)?;
        writeln!(f, "half A, rules only:  {}", self.a_before)?;
        writeln!(f, "half A, with model:  {}", self.a_after)?;
        writeln!(f, "half B, rules only:  {}", self.b_before)?;
        writeln!(f, "half B, with model:  {}", self.b_after)?;
        writeln!(
            f,
            "all, rules only:     {}",
            sum(&self.a_before, &self.b_before)
        )?;
        write!(
            f,
            "all, with model:     {}",
            sum(&self.a_after, &self.b_after)
        )?;
        if let Some([(f0, ms0), (f1, ms1)]) = self.zyte {
            write!(
                f,
                "\narticle benchmark: f1 {f0:.4} ({ms0:.3} ms) rules only, {f1:.4} ({ms1:.3} ms) with model"
            )?;
        }
        Ok(())
    }
}

fn sum(a: &Counts, b: &Counts) -> Counts {
    Counts {
        tp: a.tp + b.tp,
        fp: a.fp + b.fp,
        fn_: a.fn_ + b.fn_,
        pages: a.pages + b.pages,
    }
}

/// Fits the model on half A of the snippet set in `dir` and writes it to `out`; with `zyte`,
/// also scores the article benchmark there with and without the model.
pub fn train(dir: &Path, out: &Path, zyte: Option<&Path>) -> Result<TrainReport, EvalError> {
    if !dir.is_dir() {
        return Err(EvalError::MissingDir(dir.to_path_buf()));
    }
    let pages = read_pages(dir)?;
    let a: Vec<&Page> = pages.iter().filter(|p| p.half == Half::A).collect();
    let b: Vec<&Page> = pages.iter().filter(|p| p.half == Half::B).collect();
    let (config, threshold, cv) = cross_validate(&a);
    let (x, y) = examples(a.iter().copied(), config.words);
    let (bias, weights) = fit(&x, &y, config.l2);
    let model = html::blocks::BlockModel {
        bias,
        weights,
        threshold,
    };
    let zyte = match zyte {
        Some(z) => Some(zyte_figures(z, &model)?),
        None => None,
    };
    write_model(&model, out)?;
    Ok(TrainReport {
        content: y.iter().filter(|&&l| l).count(),
        boilerplate: y.iter().filter(|&&l| !l).count(),
        l2: config.l2,
        words: config.words,
        threshold,
        cv,
        a_before: simulate(&a, &model, 0.0),
        a_after: simulate(&a, &model, threshold),
        b_before: simulate(&b, &model, 0.0),
        b_after: simulate(&b, &model, threshold),
        zyte,
    })
}

/// A fit's settings.
#[derive(Debug, Clone, Copy)]
struct Config {
    l2: f32,
    words: bool,
}

/// Two folds of half A's pages (alternating): the settings and threshold whose pooled
/// out-of-fold F1 is best (the first among equals: strongest L2 last, so weaker ones win ties).
fn cross_validate(a: &[&Page]) -> (Config, f32, Counts) {
    let folds: [Vec<&Page>; 2] = [
        a.iter().step_by(2).copied().collect(),
        a.iter().skip(1).step_by(2).copied().collect(),
    ];
    let mut best: Option<(Config, f32, Counts)> = None;
    for &l2 in L2S {
        for words in [false, true] {
            let config = Config { l2, words };
            let models: Vec<html::blocks::BlockModel> = (0..2)
                .map(|k| {
                    let (x, y) = examples(folds[1 - k].iter().copied(), words);
                    let (bias, weights) = fit(&x, &y, l2);
                    html::blocks::BlockModel {
                        bias,
                        weights,
                        threshold: 0.0,
                    }
                })
                .collect();
            for t in THRESHOLDS {
                let t = t as f32 / 100.0;
                let c = sum(
                    &simulate(&folds[0], &models[0], t),
                    &simulate(&folds[1], &models[1], t),
                );
                if best
                    .as_ref()
                    .is_none_or(|b| c.scores().2 > b.2.scores().2 + 1e-9)
                {
                    best = Some((config, t, c));
                }
            }
        }
    }
    best.unwrap_or((
        Config {
            l2: L2S[0],
            words: false,
        },
        0.0,
        Counts::default(),
    ))
}

/// Article-benchmark F1 and median ms without and with the model.
fn zyte_figures(
    dir: &Path,
    model: &html::blocks::BlockModel,
) -> Result<[(f64, f64); 2], EvalError> {
    let run = |m: Option<&html::blocks::BlockModel>| {
        crate::extraction::run_with(dir, |page, url| {
            crate::extraction::body_text(&html::extract_with_model(page, url, m))
        })
        .map(|r| (r.f1, r.median_ms))
    };
    Ok([run(None)?, run(Some(model))?])
}

fn read_pages(dir: &Path) -> Result<Vec<Page>, EvalError> {
    let items = read_items(&dir.join("evaldata.json"))?;
    let mut pages = Vec::with_capacity(items.len());
    for item in items.values() {
        let bytes = read_page(&dir.join("html"), &item.file)?;
        let html = bytes.as_deref().and_then(|b| page_html(&item.file, b));
        let (texts, features) = html
            .map(|h| {
                html::block_features(&h)
                    .into_iter()
                    .map(|(t, f)| (norm(&t), f))
                    .unzip()
            })
            .unwrap_or_default();
        pages.push(Page {
            half: half_of(&item.file),
            texts,
            features,
            with: item.with.iter().map(|s| norm(s)).collect(),
            without: item.without.iter().map(|s| norm(s)).collect(),
        });
    }
    Ok(pages)
}

/// The page decoded as `crosscheck analyze` decodes it.
fn page_html(file: &str, bytes: &[u8]) -> Option<String> {
    let (kind, _) = ingest::classify(Path::new(file))?;
    match ingest::page_document(file, kind, bytes).ok()?.content {
        ingest::Content::Page(text) => Some(text),
        _ => None,
    }
}

/// Labelled blocks: true for content, false for boilerplate; ambiguous blocks are left out.
fn examples<'a>(pages: impl Iterator<Item = &'a Page>, words: bool) -> (Vec<Vec<f32>>, Vec<bool>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for p in pages {
        for (t, f) in p.texts.iter().zip(&p.features) {
            let related = |s: &String| {
                !s.is_empty() && (t.contains(s.as_str()) || (t.len() >= MIN_HELD && s.contains(t)))
            };
            let content = p.with.iter().any(related);
            let boiler = p.without.iter().any(related);
            if content != boiler {
                let mut f = f.clone();
                // Without word features their weights stay 0 (no gradient but L2's).
                if !words {
                    let n = f.len().saturating_sub(WORD_FEATURES);
                    f[n..].iter_mut().for_each(|v| *v = 0.0);
                }
                x.push(f);
                y.push(content);
            }
        }
    }
    (x, y)
}

/// Weighted L2 logistic regression by gradient descent: (bias, weights).
fn fit(x: &[Vec<f32>], y: &[bool], l2: f32) -> (f32, Vec<f32>) {
    let dims = html::blocks::N_FEATURES;
    let pos = y.iter().filter(|&&l| l).count().max(1) as f32;
    let neg = (y.len() as f32 - pos).max(1.0);
    // Each class weighs half of the loss.
    let weight = |l: bool| if l { 0.5 / pos } else { 0.5 / neg };
    let mut w = vec![0.0f32; dims];
    let mut b = 0.0f32;
    for _ in 0..STEPS {
        let mut gw = vec![0.0f32; dims];
        let mut gb = 0.0f32;
        for (xi, &yi) in x.iter().zip(y) {
            let z = b + w.iter().zip(xi).map(|(a, v)| a * v).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = (p - if yi { 1.0 } else { 0.0 }) * weight(yi);
            gb += g;
            for (gj, v) in gw.iter_mut().zip(xi) {
                *gj += g * v;
            }
        }
        b -= RATE * gb;
        for (wj, gj) in w.iter_mut().zip(&gw) {
            *wj -= RATE * (gj + l2 * *wj);
        }
    }
    (b, w)
}

/// Snippet counts on some pages when blocks scoring below `threshold` are dropped (the text
/// is the selected blocks only: on the dev pages the rules' figures come out the same as the
/// pipeline's).
fn simulate(pages: &[&Page], model: &html::blocks::BlockModel, threshold: f32) -> Counts {
    let mut c = Counts::default();
    for p in pages {
        let kept: Vec<&str> = p
            .texts
            .iter()
            .zip(&p.features)
            .filter(|(_, f)| model.p_content(f) >= threshold)
            .map(|(t, _)| t.as_str())
            .collect();
        // The shipped filter keeps everything rather than nothing.
        let text = if kept.is_empty() {
            p.texts.join(" ")
        } else {
            kept.join(" ")
        };
        let found = p.with.iter().filter(|s| text.contains(s.as_str())).count();
        c.tp += found;
        c.fn_ += p.with.len() - found;
        c.fp += p
            .without
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .count();
        c.pages += 1;
    }
    c
}

fn write_model(model: &html::blocks::BlockModel, out: &Path) -> Result<(), EvalError> {
    let round = |v: f32| (v as f64 * 1e4).round() / 1e4;
    let json = serde_json::json!({
        "about": "Block model of crosscheck-html: logistic regression, P(content) of a \
                  selected block; blocks below threshold drop. Rebuild: scripts/train_blocks.sh",
        "bias": round(model.bias),
        "threshold": round(model.threshold),
        "weights": model.weights.iter().map(|&w| round(w)).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string(&json).map_err(|source| EvalError::Json {
        path: out.to_path_buf(),
        source,
    })?;
    std::fs::write(out, text + "\n").map_err(|source| EvalError::Io {
        path: out.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_separates_a_separable_feature() {
        let dims = html::blocks::N_FEATURES;
        let row = |v: f32| {
            let mut r = vec![0.0; dims];
            r[0] = v;
            r
        };
        let x = vec![row(1.0), row(0.9), row(0.0), row(0.1)];
        let y = vec![true, true, false, false];
        let (b, w) = fit(&x, &y, 1e-3);
        let m = html::blocks::BlockModel {
            bias: b,
            weights: w,
            threshold: 0.5,
        };
        assert!(m.p_content(&row(1.0)) > 0.5 && m.p_content(&row(0.0)) < 0.5);
    }

    #[test]
    fn snippets_label_blocks() {
        let page = Page {
            half: Half::A,
            texts: vec![
                "the long article text.".into(),
                "subscribe now".into(),
                "x".into(),
            ],
            features: vec![vec![1.0], vec![2.0], vec![3.0]],
            with: vec!["article text".into()],
            without: vec!["subscribe".into()],
        };
        let (x, y) = examples(std::iter::once(&page), true);
        assert_eq!(x, vec![vec![1.0], vec![2.0]]);
        assert_eq!(y, vec![true, false]);
    }
}
