//! The dependency parser: greedy arc-eager transitions (Nivre 2003) with the root at the end
//! of the buffer (Ballesteros & Nivre 2013), an averaged perceptron over Zhang & Nivre
//! (2011) style features choosing among SHIFT, REDUCE, LEFT-ARC and RIGHT-ARC, and a second
//! perceptron that labels each arc as it is made (so later features see the labels).
//! Training follows a dynamic oracle with exploration (Goldberg & Nivre 2012) on the
//! tagger's jackknifed tags.

use crate::hash::{feat, mix};
use crate::table::{Score, Scorer, Trainer, floor};
use crate::tagger::NT;
use crate::tags::Deprel;
use crate::words::{Word, flag, pad};

/// Transitions.
pub(crate) const NA: usize = 4;
const SH: usize = 0;
const RE: usize = 1;
const LA: usize = 2;
const RA: usize = 3;

/// Width of the label table (Deprel indices; the model lists the ones it may choose).
pub(crate) const NL: usize = 64;
/// Transition features per state.
pub(crate) const NF: usize = 65;
/// Label features per arc.
pub(crate) const NLF: usize = 24;

const NONE: u32 = u32::MAX;
const NO_LABEL: u8 = 63;
const ROOT_TAG: u64 = NT as u64;
const NONE_TAG: u64 = NT as u64 + 1;

/// Per-word inputs of the parser: word hashes and tag classes, with the root at index `n`
/// and a "none" entry at `n + 1` for absent positions.
pub(crate) struct Inputs {
    w: Vec<u64>,
    p: Vec<u64>,
    suf: Vec<u64>,
    exact: Vec<u64>,
    n: usize,
}

static ROOT_WORD: std::sync::LazyLock<Word> = std::sync::LazyLock::new(|| pad("<root>"));
static NONE_WORD: std::sync::LazyLock<Word> = std::sync::LazyLock::new(|| pad("<none>"));

impl Inputs {
    pub(crate) fn new() -> Inputs {
        Inputs {
            w: Vec::new(),
            p: Vec::new(),
            suf: Vec::new(),
            exact: Vec::new(),
            n: 0,
        }
    }

    pub(crate) fn fill(&mut self, words: &[Word], tags: &[u8]) {
        self.n = words.len();
        self.w.clear();
        self.p.clear();
        self.suf.clear();
        self.exact.clear();
        for (w, &t) in words.iter().zip(tags) {
            // Digits differ from letters in attachment (years, counts): the shape marks them.
            let digit = if w.flags & flag::HAS_DIGIT != 0 {
                w.shape
            } else {
                0
            };
            self.w.push(w.lower);
            self.p.push(u64::from(t));
            self.suf.push(mix(w.suf[2], digit));
            self.exact.push(w.exact);
        }
        for (w, t) in [(&*ROOT_WORD, ROOT_TAG), (&*NONE_WORD, NONE_TAG)] {
            self.w.push(w.lower);
            self.p.push(t);
            self.suf.push(w.suf[2]);
            self.exact.push(w.exact);
        }
    }
}

/// A parser configuration: stack, buffer front, and the arcs made so far with their
/// children summaries (leftmost two, rightmost two, label sets).
pub(crate) struct State {
    n: usize,
    stack: Vec<u32>,
    b: usize,
    pub(crate) head: Vec<u32>,
    pub(crate) label: Vec<u8>,
    lc1: Vec<u32>,
    lc2: Vec<u32>,
    rc1: Vec<u32>,
    rc2: Vec<u32>,
    lmask: Vec<u64>,
    rmask: Vec<u64>,
    on_stack: Vec<bool>,
}

impl State {
    pub(crate) fn new() -> State {
        State {
            n: 0,
            stack: Vec::new(),
            b: 0,
            head: Vec::new(),
            label: Vec::new(),
            lc1: Vec::new(),
            lc2: Vec::new(),
            rc1: Vec::new(),
            rc2: Vec::new(),
            lmask: Vec::new(),
            rmask: Vec::new(),
            on_stack: Vec::new(),
        }
    }

    fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.b = 0;
        let m = n + 2;
        for v in [
            &mut self.head,
            &mut self.lc1,
            &mut self.lc2,
            &mut self.rc1,
            &mut self.rc2,
        ] {
            v.clear();
            v.resize(m, NONE);
        }
        self.label.clear();
        self.label.resize(m, NO_LABEL);
        for v in [&mut self.lmask, &mut self.rmask] {
            v.clear();
            v.resize(m, 0);
        }
        self.on_stack.clear();
        self.on_stack.resize(m, false);
    }

    /// Index for feature lookups: absent positions read the "none" entry.
    #[inline]
    fn ix(&self, x: u32) -> usize {
        if x == NONE { self.n + 1 } else { x as usize }
    }

    #[inline]
    fn s(&self, k: usize) -> u32 {
        let len = self.stack.len();
        if k < len {
            self.stack[len - 1 - k]
        } else {
            NONE
        }
    }

    #[inline]
    fn buf(&self, k: usize) -> u32 {
        let j = self.b + k;
        if j <= self.n { j as u32 } else { NONE }
    }

    #[inline]
    fn get(&self, v: &[u32], x: u32) -> u32 {
        if x == NONE { NONE } else { v[x as usize] }
    }

    fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.is_empty()
    }

    fn valid(&self) -> [bool; NA] {
        let has_s = !self.stack.is_empty();
        let word_b = self.b < self.n;
        let s0_headed = has_s && self.head[self.s(0) as usize] != NONE;
        [word_b, s0_headed, has_s && !s0_headed, has_s && word_b]
    }

    fn add_arc(&mut self, h: usize, d: usize, l: u8) {
        self.head[d] = h as u32;
        self.label[d] = l;
        let d32 = d as u32;
        if d < h {
            if self.lc1[h] == NONE || d32 < self.lc1[h] {
                self.lc2[h] = self.lc1[h];
                self.lc1[h] = d32;
            } else if self.lc2[h] == NONE || d32 < self.lc2[h] {
                self.lc2[h] = d32;
            }
        } else {
            if self.rc1[h] == NONE || d32 > self.rc1[h] {
                self.rc2[h] = self.rc1[h];
                self.rc1[h] = d32;
            } else if self.rc2[h] == NONE || d32 > self.rc2[h] {
                self.rc2[h] = d32;
            }
        }
        if l != NO_LABEL {
            self.set_label(h, d, l);
        }
    }

    /// Labels arc `h -> d` (made earlier with no label).
    fn set_label(&mut self, h: usize, d: usize, l: u8) {
        self.label[d] = l;
        if d < h {
            self.lmask[h] |= 1 << (l & 63);
        } else {
            self.rmask[h] |= 1 << (l & 63);
        }
    }

    /// Applies transition `a`; arcs carry label `l`.
    fn apply(&mut self, a: usize, l: u8) {
        match a {
            SH => {
                self.on_stack[self.b] = true;
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            RE => {
                let s = self.stack.pop().expect("valid transition");
                self.on_stack[s as usize] = false;
            }
            LA => {
                let s = self.stack.pop().expect("valid transition") as usize;
                self.on_stack[s] = false;
                self.add_arc(self.b, s, l);
            }
            _ => {
                let s = self.s(0) as usize;
                self.add_arc(s, self.b, l);
                self.on_stack[self.b] = true;
                self.stack.push(self.b as u32);
                self.b += 1;
            }
        }
    }

    /// The arc transition `a` would make, as (head, dependent).
    fn arc_of(&self, a: usize) -> Option<(usize, usize)> {
        match a {
            LA => Some((self.b, self.s(0) as usize)),
            RA => Some((self.s(0) as usize, self.b)),
            _ => None,
        }
    }
}

#[inline]
fn dist_bucket(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    let d = a.abs_diff(b);
    match d {
        0..=4 => u64::from(d),
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

/// The word before `x` (none at the start).
#[inline]
fn left_of(x: u32) -> u32 {
    if x == NONE || x == 0 { NONE } else { x - 1 }
}

/// The word after `x` (none at the end; the root counts as a word).
#[inline]
fn right_of(x: u32, n: usize) -> u32 {
    if x == NONE || x as usize >= n {
        NONE
    } else {
        x + 1
    }
}

#[inline]
fn m3(a: u64, b: u64, c: u64) -> u64 {
    mix(mix(a, b), c)
}

/// The transition features of a state: Zhang & Nivre (2011) templates over the stack and
/// buffer words, their tags, heads, children and labels, and distance; a few of theirs left
/// out (valencies, label sets, some word pairs: no loss on EWT dev without them) and a few
/// on the second stack word and the words next to `s0` and `n0` added.
fn features_unlabelled(st: &State, x: &Inputs, out: &mut [u64; NF]) {
    let s0 = st.s(0);
    let s1 = st.s(1);
    let n0 = st.buf(0);
    let n1 = st.buf(1);
    let n2 = st.buf(2);
    let s0h = st.get(&st.head, s0);
    let s0h2 = st.get(&st.head, s0h);
    let s0l = st.get(&st.lc1, s0);
    let s0l2 = st.get(&st.lc2, s0);
    let s0r = st.get(&st.rc1, s0);
    let s0r2 = st.get(&st.rc2, s0);
    let n0l = st.get(&st.lc1, n0);
    let n0l2 = st.get(&st.lc2, n0);
    let w = |i: u32| x.w[st.ix(i)];
    let p = |i: u32| x.p[st.ix(i)];
    let (s0w, s0p, n0w, n0p) = (w(s0), p(s0), w(n0), p(n0));
    let (n1p, n2p) = (p(n1), p(n2));
    let d = dist_bucket(s0, n0);
    let s2p = p(st.s(2));
    let vals: [u64; NF] = [
        0,
        s0w,
        s0p,
        n0w,
        n0p,
        w(n1),
        n1p,
        w(n2),
        n2p,
        m3(s0w, s0p, n0p),
        m3(s0p, n0w, n0p),
        mix(s0p, n0p),
        mix(n0p, n1p),
        m3(n0p, n1p, n2p),
        m3(s0p, n0p, n1p),
        m3(p(s0h), s0p, n0p),
        m3(s0p, p(s0l), n0p),
        m3(s0p, p(s0r), n0p),
        m3(s0p, n0p, p(n0l)),
        mix(s0w, d),
        mix(s0p, d),
        mix(n0w, d),
        mix(n0p, d),
        m3(s0w, n0w, d),
        m3(s0p, n0p, d),
        w(s0h),
        p(s0h),
        0,
        w(s0l),
        p(s0l),
        0,
        w(s0r),
        p(s0r),
        0,
        w(n0l),
        p(n0l),
        0,
        w(s0h2),
        p(s0h2),
        0,
        w(s0l2),
        p(s0l2),
        0,
        w(s0r2),
        p(s0r2),
        0,
        w(n0l2),
        p(n0l2),
        0,
        m3(s0p, p(s0l), p(s0l2)),
        m3(s0p, p(s0r), p(s0r2)),
        m3(s0p, p(s0h), p(s0h2)),
        m3(n0p, p(n0l), p(n0l2)),
        w(s1),
        p(s1),
        m3(p(s1), s0p, n0p),
        mix(x.suf[st.ix(n0)], n0p),
        mix(p(s1), s0p),
        s2p,
        m3(s2p, p(s1), s0p),
        mix(w(s1), s0w),
        0,
        0,
        mix(n0p, p(left_of(n0))),
        mix(s0p, p(right_of(s0, st.n))),
    ];
    for (t, (o, v)) in out.iter_mut().zip(vals).enumerate() {
        *o = feat(t as u32, v);
    }
}

/// All transition features of a state: [`features_unlabelled`] and [`label_dependent`].
fn features(st: &State, x: &Inputs, out: &mut [u64; NF]) {
    features_unlabelled(st, x, out);
    label_dependent(st, x, out);
}

/// Where the label-reading templates sit in the feature array.
const LABEL_SLOTS: [usize; 10] = [27, 30, 33, 36, 39, 42, 45, 48, 61, 62];

/// The templates of [`features`] that read arc labels (positions in the feature array),
/// computed apart so that the parser can fill them in once a pending label is known.
fn label_dependent(st: &State, x: &Inputs, out: &mut [u64; NF]) {
    let s0 = st.s(0);
    let n0 = st.buf(0);
    let s0h = st.get(&st.head, s0);
    let p = |i: u32| x.p[st.ix(i)];
    let l = |i: u32| u64::from(st.label[st.ix(i)]);
    let (s0p, n0p) = (p(s0), p(n0));
    let vals: [u64; 10] = [
        l(s0),
        l(st.get(&st.lc1, s0)),
        l(st.get(&st.rc1, s0)),
        l(st.get(&st.lc1, n0)),
        l(s0h),
        l(st.get(&st.lc2, s0)),
        l(st.get(&st.rc2, s0)),
        l(st.get(&st.lc2, n0)),
        m3(s0p, n0p, l(s0)),
        mix(l(s0), p(s0h)),
    ];
    for (t, v) in LABEL_SLOTS.into_iter().zip(vals) {
        out[t] = feat(t as u32, v);
    }
}

/// The label features of arc `h -> d`, conjoined with its direction.
fn label_features(st: &State, x: &Inputs, h: usize, d: usize, out: &mut [u64; NLF]) {
    let n = st.n;
    let p = |i: usize| x.p[i];
    let hw = x.w[h];
    let hp = p(h);
    let dw = x.w[d];
    let dp = p(d);
    let dir = u64::from(d < h);
    let next = if d + 1 < n { d + 1 } else { n + 1 };
    let prev = if d > 0 { d - 1 } else { n + 1 };
    let hh = st.ix(st.head[h]);
    let dl = st.ix(st.lc1[d]);
    let dr = st.ix(st.rc1[d]);
    let hl = st.ix(st.lc1[h]);
    let hr = st.ix(st.rc1[h]);
    let lab = |i: usize| u64::from(st.label[i]);
    let vals: [u64; NLF] = [
        0,
        hw,
        hp,
        dw,
        dp,
        mix(hp, dp),
        mix(hw, dp),
        mix(hp, dw),
        mix(hw, dw),
        m3(hp, dp, dist_bucket(h as u32, d as u32)),
        mix(dp, st.lmask[d]),
        mix(dp, st.rmask[d]),
        mix(hp, st.lmask[h]),
        mix(hp, st.rmask[h]),
        m3(dp, x.w[dl], p(dl)),
        mix(dp, lab(dl)),
        mix(dp, lab(dr)),
        m3(hp, dp, p(next)),
        m3(hp, dp, p(prev)),
        mix(x.suf[d], dp),
        m3(hp, dp, p(hh)),
        m3(hp, dp, lab(hl)),
        m3(hp, dp, lab(hr)),
        mix(x.exact[d], hp),
    ];
    for (t, (o, v)) in out.iter_mut().zip(vals).enumerate() {
        *o = feat(t as u32, mix(v, dir));
    }
}

// Labels outside the model's label set start at the floor and stay below any allowed one.
const _: () = assert!(2 * NLF as i32 * crate::table::MAX_Q < -(i16::FLOOR as i32));

/// The best label, from scores that started at the label set's floor.
#[inline]
fn best_label<T: Score>(scores: &[T; NL]) -> u8 {
    T::argmax(scores) as u8
}

#[inline]
fn best_action<T: Score>(scores: &[T; NA], valid: &[bool; NA]) -> usize {
    let mut best = NA;
    for a in 0..NA {
        if valid[a] && (best == NA || scores[a] > scores[best]) {
            best = a;
        }
    }
    best
}

/// The models, and the starting label scores (the floor for labels the model never chooses).
pub(crate) struct Models<'a, P: Scorer<NA>, L: Scorer<NL>> {
    pub(crate) trans: &'a P,
    pub(crate) labels: &'a L,
    pub(crate) label_floor: [L::Acc; NL],
}

/// Once the buffer holds only the root, the rest is fixed: a headed stack top is reduced,
/// a headless one becomes a child of the root.
fn finish(st: &mut State) {
    while !st.stack.is_empty() {
        let a = if st.valid()[RE] { RE } else { LA };
        st.apply(a, Deprel::Root as u8);
    }
}

/// Parses one sentence: `st.head` / `st.label` hold the result (`n` = root) after
/// [`fix_roots`].
pub(crate) fn parse<P: Scorer<NA>, L: Scorer<NL>>(
    m: &Models<'_, P, L>,
    x: &Inputs,
    st: &mut State,
) {
    st.reset(x.n);
    let mut f = [0u64; NF];
    let mut lf = [0u64; NLF];
    // The arc just made: its label rows load while the next state's other features are
    // computed, and its label is filled in before they are needed.
    let mut pending: Option<(usize, usize)> = None;
    let label = |st: &mut State, lf: &[u64; NLF], (h, d): (usize, usize)| {
        let mut s = m.label_floor;
        m.labels.score(lf, &mut s);
        st.set_label(h, d, best_label(&s));
    };
    while !st.terminal() {
        if st.b >= st.n {
            if let Some(arc) = pending.take() {
                label(st, &lf, arc);
            }
            finish(st);
            break;
        }
        let valid = st.valid();
        let a = if st.stack.is_empty() {
            if let Some(arc) = pending.take() {
                label(st, &lf, arc);
            }
            SH
        } else {
            features_unlabelled(st, x, &mut f);
            if let Some(arc) = pending.take() {
                m.trans.prefetch(&f);
                label(st, &lf, arc);
                label_dependent(st, x, &mut f);
                for t in LABEL_SLOTS {
                    m.trans.prefetch(&f[t..=t]);
                }
            } else {
                label_dependent(st, x, &mut f);
                m.trans.prefetch(&f);
            }
            let mut s = [P::Acc::default(); NA];
            m.trans.score(&f, &mut s);
            best_action(&s, &valid)
        };
        if let Some((h, d)) = st.arc_of(a) {
            label_features(st, x, h, d, &mut lf);
            m.labels.prefetch(&lf);
            pending = Some((h, d));
        }
        st.apply(a, NO_LABEL);
    }
    fix_roots(m, x, st);
}

/// Size of every word's subtree (words `0..n`), counted by walking up from each word.
fn subtree_sizes(st: &State, sizes: &mut Vec<u32>) {
    let n = st.n;
    sizes.clear();
    sizes.resize(n + 1, 0);
    for i in 0..n {
        let mut x = i;
        let mut steps = 0;
        while x < n && steps <= n {
            sizes[x] += 1;
            x = st.head[x] as usize;
            steps += 1;
        }
    }
}

/// UD trees have one root. When several words ended up attached to the root, the one with
/// the largest subtree stays; the others attach to it with the labeller's choice.
fn fix_roots<P: Scorer<NA>, L: Scorer<NL>>(m: &Models<'_, P, L>, x: &Inputs, st: &mut State) {
    let n = st.n;
    let roots = (0..n).filter(|&i| st.head[i] as usize == n).count();
    if roots <= 1 {
        return;
    }
    let mut sizes = Vec::new();
    subtree_sizes(st, &mut sizes);
    let Some(main) = (0..n)
        .filter(|&i| st.head[i] as usize == n)
        .max_by_key(|&i| (sizes[i], std::cmp::Reverse(i)))
    else {
        return;
    };
    let mut lf = [0u64; NLF];
    for i in 0..n {
        if i != main && st.head[i] as usize == n {
            label_features(st, x, main, i, &mut lf);
            let mut s = m.label_floor;
            m.labels.score(&lf, &mut s);
            let l = best_label(&s);
            st.add_arc(main, i, l);
        }
    }
}

/// Gold-tree bookkeeping for the dynamic oracle.
pub(crate) struct Gold<'a> {
    /// Gold heads, `n` for the root word; projective.
    pub(crate) heads: &'a [u32],
    pub(crate) labels: &'a [u8],
}

/// Costs of the four transitions: gold arcs that become unreachable (Goldberg & Nivre 2012,
/// arc-eager; the root is an ordinary word at the end of the buffer).
fn costs(st: &State, g: &Gold<'_>) -> [u32; NA] {
    let n = st.n;
    let b = st.b;
    let mut c = [0u32; NA];
    let in_buf_after = |h: u32| (h as usize) > b && (h as usize) <= n;
    let deps_in_buffer = |s: usize| (b..n).filter(|&d| g.heads[d] as usize == s).count() as u32;
    let headless_stack_deps_of = |h: usize| {
        st.stack
            .iter()
            .filter(|&&d| g.heads[d as usize] as usize == h && st.head[d as usize] == NONE)
            .count() as u32
    };
    let gb = g.heads[b];
    let gb_on_stack = (gb as usize) < n && st.on_stack[gb as usize];
    let stack_deps_b = headless_stack_deps_of(b);
    c[SH] = u32::from(gb_on_stack) + stack_deps_b;
    if let Some(&s) = st.stack.last() {
        let s = s as usize;
        let deps_s = deps_in_buffer(s);
        c[RE] = deps_s;
        let gs = g.heads[s];
        c[LA] = u32::from(gs as usize != b && in_buf_after(gs)) + deps_s;
        c[RA] = u32::from(gb as usize != s && (gb_on_stack || in_buf_after(gb))) + stack_deps_b;
    }
    c
}

/// A tiny deterministic random generator (xorshift*) for exploration.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Training counters.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct TrainStats {
    pub(crate) steps: usize,
    pub(crate) wrong: usize,
    pub(crate) arcs: usize,
    pub(crate) label_wrong: usize,
}

/// One dynamic-oracle pass over a sentence: the transition model is updated whenever it
/// prefers a transition that loses gold arcs; with probability `explore` the parser then
/// follows its own (possibly wrong) choice, so that it learns to recover from mistakes.
/// The labeller learns from every gold arc the parser makes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train_sentence(
    trans: &mut Trainer<NA>,
    labels: &mut Trainer<NL>,
    label_mask: u64,
    x: &Inputs,
    g: &Gold<'_>,
    st: &mut State,
    explore: f64,
    rng: &mut Rng,
    stats: &mut TrainStats,
) {
    st.reset(x.n);
    let mut f = [0u64; NF];
    let mut lf = [0u64; NLF];
    let label_floor: [f32; NL] = floor(label_mask);
    while !st.terminal() {
        if st.b >= st.n {
            finish(st);
            break;
        }
        let valid = st.valid();
        let a = if st.stack.is_empty() {
            SH
        } else {
            features(st, x, &mut f);
            let f = &f[..];
            let mut s = [0f32; NA];
            trans.score(f, &mut s);
            let pred = best_action(&s, &valid);
            let c = costs(st, g);
            let min = (0..NA)
                .filter(|&a| valid[a])
                .map(|a| c[a])
                .min()
                .unwrap_or(0);
            let zero = [0, 1, 2, 3].map(|a| valid[a] && c[a] == min);
            let best_gold = best_action(&s, &zero);
            stats.steps += 1;
            if c[pred] > min {
                stats.wrong += 1;
                trans.add(f, best_gold, 1.0);
                trans.add(f, pred, -1.0);
            }
            trans.tick();
            if c[pred] == min || rng.next_f64() < explore {
                pred
            } else {
                best_gold
            }
        };
        let l = match st.arc_of(a) {
            Some((h, d)) => {
                label_features(st, x, h, d, &mut lf);
                let mut s = label_floor;
                labels.score(&lf, &mut s);
                let pred = best_label(&s);
                if g.heads[d] as usize == h {
                    let gold = g.labels[d];
                    stats.arcs += 1;
                    if pred != gold {
                        stats.label_wrong += 1;
                        labels.add(&lf, usize::from(gold), 1.0);
                        labels.add(&lf, usize::from(pred), -1.0);
                    }
                    labels.tick();
                }
                pred
            }
            None => NO_LABEL,
        };
        st.apply(a, l);
    }
}
