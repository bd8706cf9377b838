//! Trains the pairwise event model of `stories::pair` and prints its weights as the Rust
//! constant to paste into `crates/stories/src/pair.rs`, then the figures behind it:
//! `learn_events DIR [DIR...]` (ECB+ and BASIL).
//!
//! Logistic regression over `stories::pair::features` of two articles, trained on the pairs
//! of half A of every set given (pairs with cosine >= `PAIR_FLOOR`, each set and each class
//! weighted alike, Adam, 800 full-batch steps: deterministic). Half B never enters training.
//! Then, per set and half: the streaming clusterer as configured (which merges with the
//! shipped weights when a batch settles), and batch average link over the new model's
//! probabilities and over cosine, for the ceiling of these features; for ECB+, the model's
//! probability on pairs of one event and on pairs of the topic's other event ("siblings":
//! the same kind of happening, often the same place or people, at another time).

use crosscheck_eval::halves::Half;
use std::path::Path;
use stories::pair::{FEATURES, PAIR_FLOOR, features};

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: learn_events DIR [DIR...]");
        std::process::exit(2);
    }
    let cfg = stories::StoryConfig::default();
    let mut sets = Vec::new();
    for d in &dirs {
        let ds = match crosscheck_eval::stories::load(Path::new(d)) {
            Ok(ds) => ds,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let sig = stories::signals(&ds.articles, &cfg);
        let halves = crosscheck_eval::stories::halves_of(&ds);
        sets.push((ds, sig, halves));
    }
    let (mut x, mut y, mut set) = (Vec::new(), Vec::new(), Vec::new());
    for (si, (ds, sig, halves)) in sets.iter().enumerate() {
        for i in 0..sig.len() {
            for j in i + 1..sig.len() {
                let f = features(&sig[i], &sig[j]);
                if halves[i] == Half::A && halves[j] == Half::A && f[1] >= PAIR_FLOOR {
                    x.push(f);
                    y.push(ds.gold[i] == ds.gold[j]);
                    set.push(si);
                }
            }
        }
    }
    let w = train(&x, &y, &set);
    let list: Vec<String> = w.iter().map(|v| format!("{v:.2}")).collect();
    println!(
        "pub const WEIGHTS: [f32; FEATURES] = [\n    {},\n];",
        list.join(", ")
    );
    for (ds, sig, halves) in &sets {
        let g: Vec<&str> = ds.gold.iter().map(String::as_str).collect();
        let st = stories::cluster(&ds.articles, &ds.entities, cfg.clone());
        let pred = crosscheck_eval::stories::events_of(ds, &st);
        report(ds.name, "streaming", &g, &pred, halves);
        let n = sig.len();
        let (mut p, mut c) = (vec![vec![0f32; n]; n], vec![vec![0f32; n]; n]);
        for i in 0..n {
            for j in i + 1..n {
                let f = features(&sig[i], &sig[j]);
                let z: f32 = f.iter().zip(&w).map(|(a, b)| a * b).sum();
                p[i][j] = 1.0 / (1.0 + (-z).exp());
                p[j][i] = p[i][j];
                c[i][j] = f[1];
                c[j][i] = f[1];
            }
        }
        if ds.name == "ecbplus" {
            siblings(&ds.gold, &p, &c);
        }
        for t in [0.4f32, 0.5, 0.6, 0.7] {
            report(
                ds.name,
                &format!("avg-link model {t:.1}"),
                &g,
                &labels(&p, t),
                halves,
            );
        }
        for t in [0.15f32, 0.2, 0.25] {
            report(
                ds.name,
                &format!("avg-link cosine {t:.2}"),
                &g,
                &labels(&c, t),
                halves,
            );
        }
    }
}

/// Prints pairwise and B-cubed F1 per half and over the whole set.
fn report<S: AsRef<str>>(set: &str, what: &str, gold: &[&str], pred: &[S], halves: &[Half]) {
    use crosscheck_eval::stories::{half_scores, score};
    let pred: Vec<&str> = pred.iter().map(AsRef::as_ref).collect();
    let pred = pred.as_slice();
    let mut line = format!("{set} {what}:");
    for h in [Half::A, Half::B] {
        let s = half_scores(gold, pred, halves, h);
        line.push_str(&format!(
            " {h:?} pw {:.3} b3 {:.3}",
            s.pairwise.f1, s.bcubed.f1
        ));
    }
    let (pw, b3) = score(gold, pred);
    line.push_str(&format!(" all pw {:.3} b3 {:.3}", pw.f1, b3.f1));
    println!("{line}");
}

/// Batch average link over `sims` down to `t`, as labels.
fn labels(sims: &[Vec<f32>], t: f32) -> Vec<String> {
    let k = crosscheck_eval::stories::average_link(sims, t);
    k.iter().map(usize::to_string).collect()
}

/// Weighted logistic regression (each set and class weighs alike), Adam, small L2.
fn train(x: &[[f32; FEATURES]], y: &[bool], set: &[usize]) -> [f32; FEATURES] {
    let sets = set.iter().max().map_or(1, |m| m + 1);
    let mut counts = vec![[0f32; 2]; sets];
    for (s, &yi) in set.iter().zip(y) {
        counts[*s][yi as usize] += 1.0;
    }
    let weight: Vec<f32> = (set.iter().zip(y))
        .map(|(s, &yi)| 1.0 / counts[*s][yi as usize])
        .collect();
    let (mut w, mut m, mut v) = ([0f32; FEATURES], [0f32; FEATURES], [0f32; FEATURES]);
    for step in 1..=800 {
        let mut g = [0f32; FEATURES];
        for ((xi, &yi), &wi) in x.iter().zip(y).zip(&weight) {
            let z: f32 = xi.iter().zip(&w).map(|(a, b)| a * b).sum();
            let e = (1.0 / (1.0 + (-z).exp()) - if yi { 1.0 } else { 0.0 }) * wi;
            for k in 0..FEATURES {
                g[k] += e * xi[k];
            }
        }
        for k in 1..FEATURES {
            g[k] += 1e-4 * w[k];
        }
        for k in 0..FEATURES {
            m[k] = 0.9 * m[k] + 0.1 * g[k];
            v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
            let mh = m[k] / (1.0 - 0.9f32.powi(step));
            let vh = v[k] / (1.0 - 0.999f32.powi(step));
            w[k] -= 0.05 * mh / (vh.sqrt() + 1e-8);
        }
    }
    w
}

/// Quartiles of the model's probability over ECB+ pairs with cosine >= 0.25 (those the
/// clusterer would join): pairs of one event, and pairs of the two events of one topic.
fn siblings(gold: &[String], p: &[Vec<f32>], c: &[Vec<f32>]) {
    use crosscheck_eval::stories::{quantile, same_topic};
    let (mut same, mut sibling) = (Vec::new(), Vec::new());
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            if c[i][j] < 0.25 {
                continue;
            } else if gold[i] == gold[j] {
                same.push(p[i][j]);
            } else if same_topic(&gold[i], &gold[j]) {
                sibling.push(p[i][j]);
            }
        }
    }
    for (name, mut v) in [("one event", same), ("siblings", sibling)] {
        v.sort_by(f32::total_cmp);
        let q = |f: f64| quantile(&v, f);
        println!(
            "ecbplus pairs with cosine >= 0.25, {name}: {} pairs, probability q25 {:.2} median {:.2} q75 {:.2}",
            v.len(),
            q(0.25),
            q(0.5),
            q(0.75)
        );
    }
}
