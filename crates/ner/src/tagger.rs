//! Viterbi decoding over a document, shared by training (structured perceptron) and inference.

use crate::features::{
    History, NCLS, Sentence, class_features, history_features, history_value, tag_class,
    trans_feature,
};
use crate::model::Model;
use crate::tags::{NT, O, START, VALID, closes, kind_of};
use crate::text::flag;

/// Records the tags given to capitalised words in the document history.
fn record_history(hist: &mut History, s: &Sentence, tags: &[u8]) {
    for (t, &tag) in s.toks.iter().zip(tags) {
        if t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::PARTICLE_CAP) != 0 {
            let k = kind_of(tag).map_or(0, |k| k.index() + 1);
            let e = hist.entry(t.key).or_insert([0; 5]);
            e[k] = e[k].saturating_add(1);
        }
    }
}

/// Transition scores `trans[p][t]` for every previous tag `p` (START included), with the
/// BILOU grammar folded in as -inf.
fn load_transitions<M: Model>(model: &M, trans: &mut [[f32; NT]; NT + 1]) {
    for (p, row) in trans.iter_mut().enumerate() {
        *row = [0f32; NT];
        model.score(&[trans_feature(p as u8)], row);
        for (c, v) in row.iter_mut().enumerate() {
            if !VALID[p][c] {
                *v = f32::NEG_INFINITY;
            }
        }
    }
}

/// First-order Viterbi decoding of each sentence (structured perceptron when `gold` is
/// given). The document history is updated after each sentence.
pub(crate) fn viterbi_document<M: Model>(
    model: &mut M,
    sents: &[Sentence],
    gold: Option<&[Vec<u8>]>,
    hist: &mut History,
    out: &mut Vec<Vec<u8>>,
) {
    hist.clear();
    out.clear();
    let mut trans = [[0f32; NT]; NT + 1];
    load_transitions(model, &mut trans);
    let mut delta: Vec<[f32; NT]> = Vec::new();
    let mut back: Vec<[u8; NT]> = Vec::new();
    let mut cls_scores = [[0f32; NT]; NCLS];
    let mut cf = [0u64; 2];
    let mut hf = [0u64; 2];
    let mut hvs: Vec<u64> = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        let n = s.toks.len();
        delta.clear();
        back.clear();
        hvs.clear();
        for i in 0..n {
            let t = &s.toks[i];
            let hv = history_value(hist, t);
            hvs.push(hv);
            let mut emit = [0f32; NT];
            model.score(s.feats_of(i), &mut emit);
            history_features(t, hv, &mut hf);
            model.score(&hf, &mut emit);
            let mut d = [f32::NEG_INFINITY; NT];
            let mut b = [0u8; NT];
            if i == 0 {
                class_features(t, 0, &mut cf);
                let mut cs = [0f32; NT];
                model.score(&cf, &mut cs);
                for c in 0..NT {
                    d[c] = emit[c] + trans[usize::from(START)][c] + cs[c];
                    b[c] = START;
                }
            } else {
                let prev = &delta[i - 1];
                let mut live = [false; NCLS];
                for p in 0..NT {
                    if prev[p] > f32::NEG_INFINITY {
                        live[tag_class(p as u8)] = true;
                    }
                }
                for (c, scores) in cls_scores.iter_mut().enumerate() {
                    if live[c] {
                        class_features(t, c, &mut cf);
                        *scores = [0f32; NT];
                        model.score(&cf, scores);
                    }
                }
                for p in 0..NT {
                    if prev[p] == f32::NEG_INFINITY {
                        continue;
                    }
                    let cs = &cls_scores[tag_class(p as u8)];
                    // Branch-free over the current tag: invalid transitions are -inf in `trans`.
                    let tr = &trans[p];
                    for c in 0..NT {
                        let v = prev[p] + tr[c] + cs[c];
                        let better = v > d[c];
                        d[c] = if better { v } else { d[c] };
                        b[c] = if better { p as u8 } else { b[c] };
                    }
                }
                for c in 0..NT {
                    d[c] += emit[c];
                }
            }
            delta.push(d);
            back.push(b);
        }
        let mut tags = vec![O; n];
        if n > 0 {
            let last = &delta[n - 1];
            let mut best = O;
            for c in 0..NT {
                if closes(c as u8) && last[c] > last[usize::from(best)] {
                    best = c as u8;
                }
            }
            for i in (0..n).rev() {
                tags[i] = best;
                best = back[i][usize::from(best)];
            }
        }
        if let Some(g) = gold {
            let g = &g[si];
            for i in 0..n {
                model.tick();
                let (gp, yp) = if i == 0 {
                    (START, START)
                } else {
                    (g[i - 1], tags[i - 1])
                };
                let t = &s.toks[i];
                if g[i] != tags[i] {
                    let f = s.feats_of(i);
                    history_features(t, hvs[i], &mut hf);
                    model.add(f, g[i], 1.0);
                    model.add(f, tags[i], -1.0);
                    model.add(&hf, g[i], 1.0);
                    model.add(&hf, tags[i], -1.0);
                }
                if (gp, g[i]) != (yp, tags[i]) {
                    class_features(t, tag_class(gp), &mut cf);
                    model.add(&[trans_feature(gp)], g[i], 1.0);
                    model.add(&cf, g[i], 1.0);
                    class_features(t, tag_class(yp), &mut cf);
                    model.add(&[trans_feature(yp)], tags[i], -1.0);
                    model.add(&cf, tags[i], -1.0);
                }
            }
            // Transitions are cached per document: refresh after learning.
            load_transitions(model, &mut trans);
        }
        record_history(hist, s, &tags);
        out.push(tags);
    }
}
