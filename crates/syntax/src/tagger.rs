//! The part-of-speech tagger: a greedy left-to-right averaged perceptron over joint
//! (UPOS, XPOS) classes (at most [`NT`], the pairs seen most often in training), with
//! Honnibal-style features: the word, its affixes and shape, its neighbours, word clusters,
//! and the two tags before it.

use crate::hash::{feat, mix};
use crate::lexicon::{FIXED, top};
use crate::table::{Score, Scorer, Trainer};
use crate::tags::{Upos, Xpos};
use crate::words::{Word, flag, pad};

/// Width of the tag table (number of joint classes, padded).
pub(crate) const NT: usize = 64;
/// Static features per word (computed once per sentence).
const NS: usize = 37;
/// Features from the tags already chosen.
const NH: usize = 7;
/// Features from the guessed tags to the right.
const NG: usize = 3;
pub(crate) const NF: usize = NS + NH + NG;

/// The joint tag classes of a model: class `i` is `pairs[i]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TagSet {
    pub(crate) pairs: Vec<(Upos, Xpos)>,
}

impl TagSet {
    /// The `NT` commonest (UPOS, XPOS) pairs of the training words.
    pub(crate) fn from_counts(counts: &[((Upos, Xpos), usize)]) -> TagSet {
        let mut v = counts.to_vec();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        TagSet {
            pairs: v.into_iter().take(NT).map(|(p, _)| p).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// The class of a gold pair; a rare pair outside the set maps to the commonest class with
    /// its XPOS, else with its UPOS, else 0.
    pub(crate) fn class_of(&self, upos: Upos, xpos: Xpos) -> u8 {
        let find = |f: &dyn Fn(&(Upos, Xpos)) -> bool| self.pairs.iter().position(f);
        find(&|p| *p == (upos, xpos))
            .or_else(|| find(&|p| p.1 == xpos))
            .or_else(|| find(&|p| p.0 == upos))
            .unwrap_or(0) as u8
    }
}

static BOS: std::sync::LazyLock<[Word; 2]> =
    std::sync::LazyLock::new(|| [pad("<s2>"), pad("<s1>")]);
static EOS: std::sync::LazyLock<[Word; 2]> =
    std::sync::LazyLock::new(|| [pad("</s1>"), pad("</s2>")]);

/// The word at `i + off`, or a padding word beyond the sentence.
#[inline]
fn at(words: &[Word], i: usize, off: isize) -> &Word {
    let j = i as isize + off;
    if j < 0 {
        &BOS[(j + 2).max(0) as usize]
    } else if j as usize >= words.len() {
        &EOS[(j as usize - words.len()).min(1)]
    } else {
        &words[j as usize]
    }
}

#[inline]
fn c512(w: &Word) -> u64 {
    u64::from(w.cluster & 0x3ff)
}

#[inline]
fn c128(w: &Word) -> u64 {
    u64::from(w.cluster >> 10 & 0x3ff) | 1 << 12
}

/// The features of word `i` that do not depend on tags.
fn static_features(words: &[Word], i: usize, style: u64, out: &mut [u64]) {
    let w = &words[i];
    let (p1, p2, n1, n2) = (
        at(words, i, -1),
        at(words, i, -2),
        at(words, i, 1),
        at(words, i, 2),
    );
    let first = u64::from(i == 0) << 20;
    let vals: [u64; NS] = [
        0,
        w.exact,
        w.lower,
        w.suf[0],
        w.suf[1],
        w.suf[2],
        w.suf[3],
        w.pre[0],
        w.pre[1],
        w.pre[2],
        w.shape,
        u64::from(w.flags) | first,
        p1.lower,
        p2.lower,
        n1.lower,
        n2.lower,
        p1.suf[2],
        n1.suf[2],
        p1.shape,
        n1.shape,
        mix(p1.lower, w.lower),
        mix(w.lower, n1.lower),
        c512(w),
        c128(w),
        c128(n1),
        c128(p1),
        c512(n1),
        u64::from(n1.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::HAS_DIGIT)),
        mix(
            w.suf[2],
            u64::from(w.flags & (flag::INIT_CAP | flag::ALL_CAPS)),
        ),
        mix(w.lower, first),
        mix(p1.lower, n1.lower),
        u64::from(w.cluster >> 20) | 1 << 14,
        c128(n2),
        n2.suf[2],
        mix(u64::from(w.flags) | first, style),
        mix(w.lower, style),
        mix(
            u64::from(n1.flags & (flag::INIT_CAP | flag::ALL_CAPS)),
            style,
        ),
    ];
    for (t, (o, v)) in out.iter_mut().zip(vals).enumerate() {
        *o = feat(t as u32, v);
    }
}

/// Features of word `i` from the two tags before it (`NT` = none) and, for the first one, the
/// guessed tag after it.
#[inline]
fn history_features(w: &Word, next: &Word, t1: u8, t2: u8, g1: u8, out: &mut [u64]) {
    let (a, b) = (u64::from(t1), u64::from(t2));
    let vals: [u64; NH] = [
        a,
        mix(a, b),
        mix(a, w.lower),
        b,
        mix(a, w.suf[2]),
        mix(a, next.lower),
        mix(a, u64::from(g1)),
    ];
    for (k, (o, v)) in out.iter_mut().zip(vals).enumerate() {
        *o = feat((NS + k) as u32, v);
    }
}

/// Features of word `i` from the guessed tags of the two words after it.
#[inline]
fn guess_features(w: &Word, g1: u8, g2: u8, out: &mut [u64]) {
    let (g1, g2) = (u64::from(g1), u64::from(g2));
    let vals: [u64; NG] = [g1, mix(g1, g2), mix(g1, w.lower)];
    for (k, (o, v)) in out.iter_mut().zip(vals).enumerate() {
        *o = feat((NS + NH + k) as u32, v);
    }
}

/// Static features of a whole sentence, `NS` per word (none for fixed words).
pub(crate) fn sentence_features(words: &[Word], feats: &mut Vec<u64>) {
    feats.clear();
    feats.resize(words.len() * NS, 0);
    let style = sentence_style(words);
    for i in 0..words.len() {
        if words[i].lex & FIXED == 0 {
            static_features(words, i, style, &mut feats[i * NS..(i + 1) * NS]);
        }
    }
}

/// How a sentence is cased: 0 normally, 1 headline title case (nearly every word
/// capitalised), 2 all capitals. Capitals say little about names in a headline.
fn sentence_style(words: &[Word]) -> u64 {
    let (mut alpha, mut caps, mut init) = (0usize, 0usize, 0usize);
    for w in words {
        if w.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::ALL_LOWER) != 0 {
            alpha += 1;
            caps += usize::from(w.flags & flag::ALL_CAPS != 0 && w.flags & flag::ONE_CHAR == 0);
            init += usize::from(w.flags & flag::INIT_CAP != 0);
        }
    }
    if alpha >= 2 && caps * 10 >= alpha * 9 {
        2
    } else if alpha >= 4 && init * 10 >= alpha * 7 {
        1
    } else {
        0
    }
}

/// The best of the first `n` classes.
#[inline]
fn argmax<T: Score>(scores: &[T; NT], n: usize) -> u8 {
    T::argmax(&scores[..n.min(NT)]) as u8
}

/// Greedy left-to-right tagging: `choose` picks the class of word `i` from its features.
fn run(
    words: &[Word],
    statics: &[u64],
    guess: &[u8],
    out: &mut Vec<u8>,
    mut choose: impl FnMut(&[u64; NF], usize) -> u8,
) {
    out.clear();
    let g = |j: usize| guess.get(j).copied().unwrap_or(NT as u8 + 1);
    let mut f = [0u64; NF];
    let (mut t1, mut t2) = (NT as u8, NT as u8);
    for i in 0..words.len() {
        let w = &words[i];
        let pred = if w.lex & FIXED != 0 {
            top(w.lex)
        } else {
            f[..NS].copy_from_slice(&statics[i * NS..(i + 1) * NS]);
            history_features(w, at(words, i, 1), t1, t2, g(i + 1), &mut f[NS..NS + NH]);
            guess_features(w, g(i + 1), g(i + 2), &mut f[NS + NH..]);
            choose(&f, i)
        };
        out.push(pred);
        t2 = t1;
        t1 = pred;
    }
}

/// Each word's tag from its static features alone (fixed words: their tag): a guess at the
/// tags to the right of a word, which a left-to-right tagger has not chosen yet. `stat`
/// receives the static scores.
fn guesses<S: Scorer<NT>>(
    model: &S,
    words: &[Word],
    statics: &[u64],
    ntags: usize,
    out: &mut Vec<u8>,
    stat: &mut Vec<[S::Acc; NT]>,
) {
    out.clear();
    stat.clear();
    stat.resize(words.len(), [S::Acc::default(); NT]);
    // All static features are known: rows load a word ahead of their use.
    model.prefetch(&statics[..NS.min(statics.len())]);
    for (i, w) in words.iter().enumerate() {
        if let Some(next) = statics.get((i + 1) * NS..(i + 2) * NS) {
            model.prefetch(next);
        }
        out.push(if w.lex & FIXED != 0 {
            top(w.lex)
        } else {
            model.score(&statics[i * NS..(i + 1) * NS], &mut stat[i]);
            argmax(&stat[i], ntags)
        });
    }
}

/// Tags one sentence (`statics` from [`sentence_features`]; `guess` and `stat` are scratch
/// space).
pub(crate) fn decode<S: Scorer<NT>>(
    model: &S,
    words: &[Word],
    statics: &[u64],
    ntags: usize,
    out: &mut Vec<u8>,
    (guess, stat): (&mut Vec<u8>, &mut Vec<[S::Acc; NT]>),
) {
    guesses(model, words, statics, ntags, guess, stat);
    // The guess features are known now: their rows load for all words at once, so that the
    // greedy pass waits only on the rows of the tag history.
    let g = |j: usize| guess.get(j).copied().unwrap_or(NT as u8 + 1);
    let mut gf = [[0u64; NG]; 2];
    for i in 0..=words.len() {
        if i < words.len() {
            guess_features(&words[i], g(i + 1), g(i + 2), &mut gf[i % 2]);
            model.prefetch(&gf[i % 2]);
        }
        if i > 0 && words[i - 1].lex & FIXED == 0 {
            model.score(&gf[(i - 1) % 2], &mut stat[i - 1]);
        }
    }
    run(words, statics, guess, out, |f, i| {
        let mut scores = stat[i];
        model.score(&f[NS..NS + NH], &mut scores);
        argmax(&scores, ntags)
    });
}

/// One perceptron pass over a sentence: an update at every mistake and whenever the best
/// wrong class comes within `margin` of the gold one (a margin makes the weights more robust
/// on new text), with the predicted tags as the history (as at run time).
#[allow(clippy::too_many_arguments)]
pub(crate) fn train_sentence(
    tr: &mut Trainer<NT>,
    margin: f32,
    words: &[Word],
    statics: &[u64],
    gold: &[u8],
    ntags: usize,
    out: &mut Vec<u8>,
) {
    let (mut guess, mut stat) = (Vec::new(), Vec::new());
    guesses(tr, words, statics, ntags, &mut guess, &mut stat);
    run(words, statics, &guess, out, |f, i| {
        let mut scores = [0f32; NT];
        tr.score(f, &mut scores);
        let p = argmax(&scores, ntags);
        let g = gold[i];
        // The best wrong class: updated against when it comes within `margin` of the gold.
        let g_score = scores[usize::from(g)];
        scores[usize::from(g)] = f32::NEG_INFINITY;
        let rival = argmax(&scores, ntags);
        if p != g || g_score - scores[usize::from(rival)] < margin {
            tr.add(f, usize::from(g), 1.0);
            tr.add(f, usize::from(rival), -1.0);
        }
        tr.tick();
        p
    });
}
