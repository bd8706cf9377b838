//! Feature extraction. Every feature is a 64-bit hash of (template, value); the model maps
//! its top bits to a row of the weight table, so no strings are stored or compared.
//!
//! Static features (word window, affixes, shapes, capitalisation context, gazetteer
//! matches, document evidence, word clusters) are computed once per sentence; dynamic ones
//! (previous tags, the document's tag history for the word) during greedy decoding.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::clusters::Clusters;
use crate::gazetteer::Gazetteer;
use crate::hash::{combine, feat, feat2};
use crate::text::{TokenInfo, analyse, flag, pad};

/// Version of the feature set; stored in the model file and checked on load, so a model
/// trained with other features is rejected instead of silently mis-scoring.
pub(crate) const FEATURE_VERSION: u32 = 6;

/// Sentence flags.
pub(crate) const SENT_ALL_CAPS: u32 = 1;
pub(crate) const SENT_TITLE: u32 = 2;

/// Document evidence about a word (by its `key`: lower case, joined particle dropped).
const DOC_LOWER: u32 = 1; // seen in lower case
const DOC_CAP_MID: u32 = 2; // seen capitalised inside a normally-cased sentence
const DOC_CAPS_ONLY: u32 = 4; // seen only in capitals

/// One sentence, analysed, with its static features.
#[derive(Clone)]
pub(crate) struct Sentence {
    pub toks: Vec<TokenInfo>,
    pub sflags: u32,
    /// Static feature hashes of all tokens; token `i` owns `feats[offs[i]..offs[i + 1]]`.
    pub feats: Vec<u64>,
    pub offs: Vec<u32>,
}

impl Sentence {
    #[inline]
    pub fn feats_of(&self, i: usize) -> &[u64] {
        &self.feats[self.offs[i] as usize..self.offs[i + 1] as usize]
    }
}

/// Analyses the tokens of one sentence (gazetteer and cluster lookups included).
pub(crate) fn analyse_sentence<S: AsRef<str>>(
    tokens: &[S],
    gaz: &Gazetteer,
    clusters: &Clusters,
) -> Sentence {
    let mut toks: Vec<TokenInfo> = tokens
        .iter()
        .map(|t| {
            let mut info = analyse(t.as_ref());
            info.cluster = clusters.get(info.exact, info.lower);
            info
        })
        .collect();
    gaz.annotate(&mut toks);
    let (mut alpha, mut caps, mut init) = (0usize, 0usize, 0usize);
    for t in &toks {
        if t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::ALL_LOWER | flag::PARTICLE_CAP) != 0 {
            alpha += 1;
            if t.flags & flag::ALL_CAPS != 0 {
                caps += 1;
            }
            if t.flags & flag::INIT_CAP != 0 {
                init += 1;
            }
        }
    }
    let mut sflags = 0;
    // Headlines: all letters in capitals, or nearly every word capitalised.
    if alpha >= 2 && caps * 10 >= alpha * 9 {
        sflags |= SENT_ALL_CAPS;
    } else if alpha >= 4 && init * 10 >= alpha * 7 {
        sflags |= SENT_TITLE;
    }
    Sentence {
        toks,
        sflags,
        feats: Vec::new(),
        offs: Vec::new(),
    }
}

/// Identity hasher for maps keyed by well-mixed hashes.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Fills in document evidence: how each word is written elsewhere in the document. This is
/// what tells a capitalised headline or sentence-initial word apart from a name.
pub(crate) fn doc_flags(sents: &mut [Sentence]) {
    let mut seen: IdMap<u32> = IdMap::default();
    for s in sents.iter() {
        let normal = s.sflags & (SENT_ALL_CAPS | SENT_TITLE) == 0;
        for (i, t) in s.toks.iter().enumerate() {
            let mut bits = 0;
            if t.flags & flag::ALL_LOWER != 0 {
                bits |= DOC_LOWER;
            } else if normal
                && i > 0
                && t.flags & flag::INIT_CAP != 0
                && t.flags & flag::ALL_CAPS == 0
            {
                bits |= DOC_CAP_MID;
            }
            if bits != 0 {
                *seen.entry(t.key).or_insert(0) |= bits;
            } else if t.flags & flag::ALL_CAPS != 0 {
                seen.entry(t.key).or_insert(0);
            }
        }
    }
    for s in sents.iter_mut() {
        for t in s.toks.iter_mut() {
            if t.flags & flag::NO_ALNUM != 0 {
                continue;
            }
            let bits = seen.get(&t.key).copied().unwrap_or(0);
            t.doc = if bits == 0 { DOC_CAPS_ONLY } else { bits };
        }
    }
}

static BOS2: std::sync::LazyLock<[TokenInfo; 2]> =
    std::sync::LazyLock::new(|| [pad("<s2>"), pad("<s1>")]);
static EOS2: std::sync::LazyLock<[TokenInfo; 2]> =
    std::sync::LazyLock::new(|| [pad("</s1>"), pad("</s2>")]);

#[inline]
fn caps(t: &TokenInfo) -> u64 {
    u64::from(t.flags & flag::CAPS) | (u64::from(t.flags & flag::NO_ALNUM) << 8)
}

/// Computes the static features of every token of `s`.
pub(crate) fn static_features(s: &mut Sentence) {
    let n = s.toks.len();
    s.feats.clear();
    s.offs.clear();
    s.feats.reserve(n * 48);
    s.offs.reserve(n + 1);
    let bos = &*BOS2;
    let eos = &*EOS2;
    let at = |toks: &[TokenInfo], j: isize| -> TokenInfo {
        if j < 0 {
            bos[(2 + j).max(0) as usize]
        } else if j as usize >= toks.len() {
            eos[(j as usize - toks.len()).min(1)]
        } else {
            toks[j as usize]
        }
    };
    let sf = u64::from(s.sflags);
    for i in 0..n {
        s.offs.push(s.feats.len() as u32);
        let ii = i as isize;
        let (m2, m1, c, p1, p2) = (
            at(&s.toks, ii - 2),
            at(&s.toks, ii - 1),
            s.toks[i],
            at(&s.toks, ii + 1),
            at(&s.toks, ii + 2),
        );
        let first = u64::from(i == 0);
        let out = &mut s.feats;
        out.push(feat(1, 0));
        out.push(feat(2, m2.lower));
        out.push(feat(3, m1.lower));
        out.push(feat(4, c.lower));
        out.push(feat(5, p1.lower));
        out.push(feat(6, p2.lower));
        out.push(feat(7, c.exact));
        out.push(feat2(8, m1.lower, c.lower));
        out.push(feat2(9, c.lower, p1.lower));
        for k in 0..4 {
            if c.pre[k] != 0 {
                out.push(feat(10 + k as u32, c.pre[k]));
            }
            if c.suf[k] != 0 {
                out.push(feat(14 + k as u32, c.suf[k]));
            }
        }
        out.push(feat(18, m1.shape));
        out.push(feat2(19, c.shape, sf));
        out.push(feat(20, p1.shape));
        out.push(feat2(21, m1.shape, c.shape));
        out.push(feat2(22, c.shape, p1.shape));
        out.push(feat2(23, combine(m1.shape, c.shape), p1.shape));
        out.push(feat2(24, u64::from(c.flags), sf | (first << 4)));
        out.push(feat2(
            25,
            combine(caps(&m1), caps(&c)),
            caps(&p1) | (sf << 16),
        ));
        out.push(feat2(34, m1.lower, c.shape));
        out.push(feat2(35, c.shape, p1.lower));
        out.push(feat2(36, m2.lower, m1.lower));
        out.push(feat2(37, p1.lower, p2.lower));
        out.push(feat2(38, c.exact, sf | (first << 4)));
        // Gazetteers: each matched (kind, position) at the token and its neighbours, and
        // conjoined with capitalisation so lower-case homographs learn their own weight.
        let mut g = c.gaz;
        while g != 0 {
            let b = u64::from(g.trailing_zeros());
            out.push(feat(26, b));
            out.push(feat2(27, b, caps(&c) | (sf << 16)));
            g &= g - 1;
        }
        let mut g = m1.gaz;
        while g != 0 {
            out.push(feat(28, u64::from(g.trailing_zeros())));
            g &= g - 1;
        }
        let mut g = p1.gaz;
        while g != 0 {
            out.push(feat(29, u64::from(g.trailing_zeros())));
            g &= g - 1;
        }
        // Document evidence, conjoined with how this occurrence is written and where.
        out.push(feat2(
            30,
            u64::from(c.doc),
            caps(&c) | (first << 12) | (sf << 16),
        ));
        // Word clusters (coarse and fine) of the token and its neighbours.
        if c.cluster != 0 {
            let cl = u64::from(c.cluster);
            out.push(feat(31, cl));
            out.push(feat(32, cl >> 10));
            out.push(feat2(33, cl >> 20, caps(&c)));
        }
        if m1.cluster != 0 {
            out.push(feat(39, u64::from(m1.cluster)));
        }
        if p1.cluster != 0 {
            out.push(feat(40, u64::from(p1.cluster)));
        }
    }
    s.offs.push(s.feats.len() as u32);
}

/// History of tags given to a word earlier in the document: counts for O, PER, ORG, LOC, MISC.
pub(crate) type History = IdMap<[u16; 5]>;

/// History value for a token: the majority entity kind seen for its word so far, and whether
/// it was also seen outside entities.
#[inline]
pub(crate) fn history_value(hist: &History, t: &TokenInfo) -> u64 {
    if t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::PARTICLE_CAP) == 0 {
        return 0;
    }
    match hist.get(&t.key) {
        None => 1,
        Some(c) => {
            let mut best = 0;
            for k in 1..5 {
                if c[k] > 0 && (best == 0 || c[k] > c[best]) {
                    best = k;
                }
            }
            2 + best as u64 * 2 + u64::from(c[0] > 0)
        }
    }
}

/// Previous-tag classes for the Viterbi decoder's lexical transition features: start, O,
/// closed entity (L/U), open entity (B/I).
pub(crate) const NCLS: usize = 4;

/// Open entities of different kinds share a class: the grammar already restricts the next
/// tag to that kind's Inside/Last columns.
#[inline]
pub(crate) fn tag_class(p: u8) -> usize {
    use crate::tags::{O, START};
    if p == START {
        0
    } else if p == O {
        1
    } else if (p - 1) % 4 >= 2 {
        2
    } else {
        3
    }
}

/// Transition feature of the full previous tag.
#[inline]
pub(crate) fn trans_feature(p: u8) -> u64 {
    feat(50, u64::from(p))
}

/// Lexical features of token `t` conjoined with the previous tag's class.
#[inline]
pub(crate) fn class_features(t: &TokenInfo, cls: usize, out: &mut [u64; 2]) {
    let c = cls as u64;
    out[0] = feat2(52, c, t.lower);
    out[1] = feat2(53, c, t.shape);
}

/// History features of token `t` that do not depend on the previous tag.
#[inline]
pub(crate) fn history_features(t: &TokenInfo, hv: u64, out: &mut [u64; 2]) {
    out[0] = feat2(54, hv, caps(t));
    out[1] = feat(56, hv);
}

/// Stacking features for the second-stage model, from the first stage's tags over the whole
/// document: the first-stage tag here and next door, how the same word is tagged in its other
/// occurrences (later ones included, unlike the history), and the longest first-stage entity
/// elsewhere that contains the word. They are appended to each token's static features.
pub(crate) fn stack_features(sents: &mut [Sentence], stage1: &[Vec<u8>]) {
    use crate::tags::kind_of;
    let mut counts: IdMap<[u16; 5]> = IdMap::default();
    // Per word: (entity length, kind + 1, position) of the longest entity containing it.
    let mut longest: IdMap<(u16, u8, u8)> = IdMap::default();
    for (s, tags) in sents.iter().zip(stage1) {
        for (t, &tag) in s.toks.iter().zip(tags) {
            if t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::PARTICLE_CAP) != 0 {
                let k = kind_of(tag).map_or(0, |k| k.index() + 1);
                counts.entry(t.key).or_insert([0; 5])[k] += 1;
            }
        }
        for span in crate::tags::decode(tags) {
            let len = (span.end - span.start) as u16;
            for i in span.start..span.end {
                let pos = if len == 1 {
                    3
                } else if i == span.start {
                    0
                } else if i + 1 == span.end {
                    2
                } else {
                    1
                };
                let e = longest.entry(s.toks[i].key).or_insert((0, 0, 0));
                if len > e.0 {
                    *e = (len, span.kind.index() as u8 + 1, pos);
                }
            }
        }
    }
    for (s, tags) in sents.iter_mut().zip(stage1) {
        let n = s.toks.len();
        let mut feats = Vec::with_capacity(s.feats.len() + n * 8);
        let mut offs = Vec::with_capacity(n + 1);
        for i in 0..n {
            offs.push(feats.len() as u32);
            feats.extend_from_slice(s.feats_of(i));
            let t = &s.toks[i];
            let tag = u64::from(tags[i]);
            let prev = if i > 0 { u64::from(tags[i - 1]) } else { 99 };
            let next = if i + 1 < n {
                u64::from(tags[i + 1])
            } else {
                99
            };
            feats.push(feat(60, tag));
            feats.push(feat2(61, prev, tag));
            feats.push(feat2(62, tag, next));
            if t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::PARTICLE_CAP) != 0 {
                let mut c = counts.get(&t.key).copied().unwrap_or([0; 5]);
                let own = kind_of(tags[i]).map_or(0, |k| k.index() + 1);
                c[own] = c[own].saturating_sub(1);
                let total: u16 = c.iter().sum();
                let v = if total == 0 {
                    0
                } else {
                    let mut best = 1;
                    for k in 2..5 {
                        if c[k] > c[best] {
                            best = k;
                        }
                    }
                    if c[best] == 0 {
                        1
                    } else {
                        // Kind, and whether it is the unanimous / majority / minority reading.
                        let share = if c[best] == total {
                            2
                        } else if c[best] * 2 >= total {
                            1
                        } else {
                            0
                        };
                        2 + best as u64 * 3 + share
                    }
                };
                feats.push(feat2(63, v, tag));
                feats.push(feat2(64, v, caps(t) | u64::from(s.sflags) << 16));
            }
            if t.flags & flag::NO_ALNUM == 0
                && let Some(&(len, kind, pos)) = longest.get(&t.key)
            {
                let l = u64::from(len.min(4));
                feats.push(feat2(65, u64::from(kind) * 4 + u64::from(pos), l));
                feats.push(feat2(66, u64::from(kind), tag));
            }
        }
        offs.push(feats.len() as u32);
        s.feats = feats;
        s.offs = offs;
    }
}

/// Context aggregation (Ratinov & Roth 2009): a capitalised word also gets, as features, the
/// words next to its other occurrences in the document (up to `MAX_OCC` of them), so that
/// "Bristol" in a headline learns from "Bristol 28" or "in Bristol" further down.
pub(crate) fn context_features(sents: &mut [Sentence]) {
    const MAX_OCC: usize = 8;
    let named = flag::INIT_CAP | flag::ALL_CAPS | flag::PARTICLE_CAP;
    // Occurrences grouped by word with one sort (no allocation per word), in document order.
    let mut occ: Vec<(u64, u32, u32)> = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        for (i, t) in s.toks.iter().enumerate() {
            if t.flags & named != 0 {
                occ.push((t.key, si as u32, i as u32));
            }
        }
    }
    occ.sort_unstable();
    let mut groups: IdMap<(usize, usize)> = IdMap::default();
    let mut start = 0;
    for end in 1..=occ.len() {
        if end == occ.len() || occ[end].0 != occ[start].0 {
            groups.insert(occ[start].0, (start, end));
            start = end;
        }
    }
    let mut extra: Vec<Vec<(u32, u64)>> = vec![Vec::new(); sents.len()];
    for (si, s) in sents.iter().enumerate() {
        for (i, t) in s.toks.iter().enumerate() {
            if t.flags & named == 0 {
                continue;
            }
            let Some(&(from, to)) = groups.get(&t.key) else {
                continue;
            };
            let mut taken = 0;
            for &(_, sj, j) in &occ[from..to] {
                if (sj as usize, j as usize) == (si, i) {
                    continue;
                }
                if taken == MAX_OCC {
                    break;
                }
                taken += 1;
                let o = &sents[sj as usize].toks;
                let j = j as usize;
                let left = if j > 0 { o[j - 1].lower } else { 1 };
                let right = if j + 1 < o.len() { o[j + 1].lower } else { 2 };
                extra[si].push((i as u32, feat(70, left)));
                extra[si].push((i as u32, feat(71, right)));
            }
        }
    }
    for (s, ex) in sents.iter_mut().zip(extra) {
        if ex.is_empty() {
            continue;
        }
        let n = s.toks.len();
        let mut feats = Vec::with_capacity(s.feats.len() + ex.len());
        let mut offs = Vec::with_capacity(n + 1);
        let mut k = 0;
        for i in 0..n {
            offs.push(feats.len() as u32);
            feats.extend_from_slice(s.feats_of(i));
            while k < ex.len() && ex[k].0 as usize == i {
                feats.push(ex[k].1);
                k += 1;
            }
        }
        offs.push(feats.len() as u32);
        s.feats = feats;
        s.offs = offs;
    }
}
