//! Duplicate detection for crosscheck: which articles are copies of each other, and which
//! paragraphs stand in more than one article.
//!
//! # Model
//! * Text is reduced to **tokens**: maximal runs of letters and digits, lowercased. Case,
//!   whitespace, quote styles and other punctuation therefore never count as edits.
//! * A [`Fingerprint`] holds the text's **5-token shingles** (hashed to 64 bits), a hash of the
//!   whole token sequence (exact copies), **MinHash** band keys (a 63-value signature by
//!   one-permutation hashing, in 21 bands of 3 rows) and a hash per paragraph.
//! * An [`Index`] keeps only the band keys, the exact hashes and the paragraph hashes (about
//!   0.5 KB per article), and proposes **candidates**: items sharing a band key, the exact hash,
//!   or a paragraph. Every candidate is **verified** on the real shingle sets, which the caller
//!   supplies (recomputed from the stored text), so LSH only affects recall, never precision.
//! * Two texts are **near-duplicates** when their Jaccard similarity is >= 0.8, or when the
//!   smaller one (of at least 20 shingles) has >= 0.9 of its shingles in the other (a cut
//!   copy). With 21 bands of 3 rows, a pair at Jaccard 0.8 becomes a candidate with probability
//!   1 - (1 - 0.8^3)^21 > 0.99999, and one at Jaccard 0.5 with probability 0.94, which also
//!   catches most cut copies; shared paragraphs catch the rest.
//! * A candidate is also a copy when it is an **edited copy**: their distinct words agree at
//!   Jaccard >= 0.85, or the smaller word set (at least half the larger, 50 words or more)
//!   has >= 0.95 of its words in the other. A word changed here and there breaks many 5-word
//!   shingles (one word in 25 breaks a fifth) but few words; independent reports of one event
//!   share far fewer words (BASIL's outlets: at most 0.49 Jaccard, 0.70 containment).
//! * Copies are grouped with union-find; the group's **origin** is its earliest item (items are
//!   numbered in the order they are added: stored articles first, then input order).
//! * A paragraph of at least 8 tokens that stands, exactly or at Jaccard >= 0.8, in an earlier
//!   article of another group is linked to it (`copy_of`).

use hashbrown::HashMap;

/// Tokens per shingle.
pub const SHINGLE: usize = 5;
/// MinHash bands and rows per band.
pub const BANDS: usize = 21;
pub const ROWS: usize = 3;
/// Near-duplicate thresholds.
pub const JACCARD: f64 = 0.8;
pub const CONTAINMENT: f64 = 0.9;
/// Edited copies, on distinct words: Jaccard, or containment of the smaller word set when it
/// holds at least [`EDITED_MIN_RATIO`] of the larger one's words; for texts of at least
/// [`EDITED_MIN_WORDS`] distinct words. A copy with a word changed here and there keeps
/// nearly all its words while losing many 5-word shingles (one changed word in 25 breaks a
/// fifth of them); reports of one event by independent outlets share far fewer words (at
/// most 0.49 Jaccard and 0.70 containment between the BASIL outlets' articles of an event).
pub const EDITED_JACCARD: f64 = 0.85;
pub const EDITED_CONTAINMENT: f64 = 0.95;
pub const EDITED_MIN_RATIO: f64 = 0.5;
pub const EDITED_MIN_WORDS: usize = 50;
/// The containment rule needs the smaller text to hold at least this many shingles, so a short
/// quote inside a long article is not called a copy of it.
pub const MIN_CONTAINED_SHINGLES: usize = 20;
/// Paragraphs shorter than this are not linked across articles (too generic).
pub const MIN_PARAGRAPH_TOKENS: usize = 8;
/// At most this many items are examined per band key, so one very common key cannot make
/// insertion quadratic.
pub const MAX_CHAIN: usize = 256;

const NONE: u32 = u32::MAX;

/// Splits text into lowercased alphanumeric tokens and hashes each.
pub fn token_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut buf: Vec<u8> = Vec::with_capacity(32);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII fast path: no char decoding for the common case.
            if b.is_ascii_alphanumeric() {
                buf.push(b.to_ascii_lowercase());
            } else if !buf.is_empty() {
                out.push(token_hash(&buf));
                buf.clear();
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("char boundary");
        if c.is_alphanumeric() {
            let mut tmp = [0u8; 4];
            for l in c.to_lowercase() {
                buf.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
            }
        } else if !buf.is_empty() {
            out.push(token_hash(&buf));
            buf.clear();
        }
        i += c.len_utf8();
    }
    if !buf.is_empty() {
        out.push(token_hash(&buf));
    }
    out
}

/// Hash of one token's bytes: 8-byte words folded and mixed. Tokens are short, so this beats
/// a general-purpose hash, and `mix` spreads the result well enough for shingling.
#[inline]
fn token_hash(b: &[u8]) -> u64 {
    let mut h = 0x51_7cc1_b727_220a_u64 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h ^ u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(w));
    }
    h
}

#[inline]
fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser: cheap and well distributed.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The sorted, distinct shingle hashes of a token sequence. A text shorter than one shingle is
/// one shingle of all its tokens.
pub fn shingles_of_tokens(tokens: &[u64]) -> Vec<u64> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u64> = if tokens.len() < SHINGLE {
        vec![combine(tokens)]
    } else {
        tokens.windows(SHINGLE).map(combine).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

#[inline]
fn combine(w: &[u64]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for (i, t) in w.iter().enumerate() {
        h = mix(h ^ t.rotate_left(i as u32 * 11));
    }
    h
}

/// The sorted, distinct shingles of `text`.
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of_tokens(&token_hashes(text))
}

/// Overlap of two sorted shingle sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    pub jaccard: f64,
    /// Share of the smaller set found in the larger.
    pub containment: f64,
    pub smaller: usize,
}

impl Overlap {
    pub fn of(a: &[u64], b: &[u64]) -> Overlap {
        let (mut i, mut j, mut inter) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = a.len() + b.len() - inter;
        let smaller = a.len().min(b.len());
        Overlap {
            jaccard: if union == 0 {
                1.0
            } else {
                inter as f64 / union as f64
            },
            containment: if smaller == 0 {
                0.0
            } else {
                inter as f64 / smaller as f64
            },
            smaller,
        }
    }

    /// The near-duplicate rule for whole articles.
    pub fn is_copy(&self) -> bool {
        self.jaccard >= JACCARD
            || (self.smaller >= MIN_CONTAINED_SHINGLES && self.containment >= CONTAINMENT)
    }
}

/// The edited-copy rule on two sorted distinct word sets (see [`EDITED_JACCARD`]).
pub fn is_edited_copy(a: &[u64], b: &[u64]) -> bool {
    let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
    if small < EDITED_MIN_WORDS {
        return false;
    }
    let w = Overlap::of(a, b);
    w.jaccard >= EDITED_JACCARD
        || (w.containment >= EDITED_CONTAINMENT && small as f64 >= EDITED_MIN_RATIO * large as f64)
}

/// The sorted distinct token hashes of a text.
pub fn words(tokens: &[u64]) -> Vec<u64> {
    let mut w = tokens.to_vec();
    w.sort_unstable();
    w.dedup();
    w
}

/// What the index needs to know about one article.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Hash of the whole token sequence.
    pub exact: u64,
    /// Sorted distinct shingles (used to verify candidates; not stored in the index).
    pub shingles: Vec<u64>,
    /// Sorted distinct token hashes (the edited-copy rule; not stored either).
    pub words: Vec<u64>,
    pub bands: [u64; BANDS],
    /// Per paragraph: exact hash of its tokens, and its token count.
    pub paragraphs: Vec<(u64, u32)>,
}

impl Fingerprint {
    /// Fingerprints an article from its paragraphs' texts.
    pub fn new<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Fingerprint {
        let mut tokens = Vec::new();
        let mut paras = Vec::new();
        for p in paragraphs {
            let t = token_hashes(p);
            paras.push((seq_hash(&t), t.len() as u32));
            tokens.extend_from_slice(&t);
        }
        let shingles = shingles_of_tokens(&tokens);
        Fingerprint {
            exact: seq_hash(&tokens),
            bands: band_keys(&shingles),
            shingles,
            words: words(&tokens),
            paragraphs: paras,
        }
    }
}

impl Fingerprint {
    /// Serialises what the index keeps (not the shingles), for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 * (2 + BANDS) + 12 * self.paragraphs.len());
        out.extend_from_slice(&self.exact.to_le_bytes());
        for b in self.bands {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend_from_slice(&(self.paragraphs.len() as u64).to_le_bytes());
        for (h, n) in &self.paragraphs {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        out
    }

    /// Reads [`Fingerprint::to_bytes`] back (with empty shingles); `None` if malformed.
    pub fn from_bytes(b: &[u8]) -> Option<Fingerprint> {
        let u64_at = |i: usize| -> Option<u64> {
            Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
        };
        let exact = u64_at(0)?;
        let mut bands = [0u64; BANDS];
        for (k, band) in bands.iter_mut().enumerate() {
            *band = u64_at(8 + 8 * k)?;
        }
        let mut at = 8 + 8 * BANDS;
        let n = u64_at(at)? as usize;
        at += 8;
        if Some(b.len()) != n.checked_mul(12).and_then(|x| x.checked_add(at)) {
            return None;
        }
        let mut paragraphs = Vec::with_capacity(n);
        for _ in 0..n {
            let h = u64_at(at)?;
            let c = u32::from_le_bytes(b.get(at + 8..at + 12)?.try_into().ok()?);
            paragraphs.push((h, c));
            at += 12;
        }
        Some(Fingerprint {
            exact,
            shingles: Vec::new(),
            words: Vec::new(),
            bands,
            paragraphs,
        })
    }
}

fn seq_hash(tokens: &[u64]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ tokens.len() as u64;
    for t in tokens {
        h = mix(h ^ t);
    }
    h
}

/// MinHash signature by one-permutation hashing: each shingle hash falls into one of 64 bins
/// by its top bits and each bin keeps its minimum, so a text costs one pass over its shingles
/// instead of one pass per hash function. Empty bins (texts of few shingles) borrow the
/// minimum of a pseudo-random non-empty bin ("optimal densification", Shrivastava 2017),
/// which keeps the chance that two signatures agree in a bin close to their Jaccard.
fn band_keys(shingles: &[u64]) -> [u64; BANDS] {
    const BINS: usize = 64;
    let mut mins = [u64::MAX; BINS];
    for &s in shingles {
        let bin = (s >> 58) as usize;
        if s < mins[bin] {
            mins[bin] = s;
        }
    }
    if !shingles.is_empty() && mins.contains(&u64::MAX) {
        let filled = mins;
        for (i, m) in mins.iter_mut().enumerate() {
            let mut attempt = 0u64;
            while *m == u64::MAX {
                let j = (mix(((i as u64) << 32) | attempt) % BINS as u64) as usize;
                if filled[j] != u64::MAX {
                    *m = filled[j];
                }
                attempt += 1;
            }
        }
    }
    let mut keys = [0u64; BANDS];
    for (b, key) in keys.iter_mut().enumerate() {
        let mut h = b as u64 + 1;
        for r in 0..ROWS {
            h = mix(h ^ mins[b * ROWS + r]);
        }
        *key = h;
    }
    keys
}

/// What [`Index::add`] found for a new item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Added {
    /// The item id given to the new article.
    pub item: u32,
    /// The earlier item it copies (the best-verified one), with the overlap, if any.
    pub copy_of: Option<(u32, Overlap)>,
    /// The earlier items verified as copies of it (once it has joined a copy group, that
    /// group's other members are not verified one by one).
    pub links: Vec<(u32, Overlap)>,
    /// `(paragraph, other item, other paragraph)` for paragraphs also found in an earlier
    /// article outside this one's copy group.
    pub paragraph_copies: Vec<(usize, u32, usize)>,
}

/// The paragraph texts of items, supplied by the caller for verification (including the item
/// being added, whose id is [`Index::len`] before the call).
pub trait Texts {
    /// The paragraph texts of `item`, or `None` if unknown.
    fn paragraphs(&mut self, item: u32) -> Option<Vec<String>>;
}

impl<F: FnMut(u32) -> Option<Vec<String>>> Texts for F {
    fn paragraphs(&mut self, item: u32) -> Option<Vec<String>> {
        self(item)
    }
}

/// An item's sorted distinct shingles and words, as verification compares them.
type Sets = (Vec<u64>, Vec<u64>);

/// The LSH index with union-find copy groups.
#[derive(Debug, Default)]
pub struct Index {
    /// Band key -> most recent item with that key; older ones via `next`.
    heads: HashMap<u64, u32>,
    /// `next[item * BANDS + band]`: the previous item with the same key in that band.
    next: Vec<u32>,
    exact: HashMap<u64, u32>,
    /// Paragraph hash -> (item, paragraph index) of its first occurrence.
    paras: HashMap<u64, (u32, u32)>,
    parent: Vec<u32>,
    /// Shingles of recently verified items, so a group of many copies is not re-shingled for
    /// every new member. Bounded by [`SHINGLE_CACHE`] entries, evicted oldest first.
    cache: HashMap<u32, std::sync::Arc<Sets>>,
    cache_order: std::collections::VecDeque<u32>,
}

/// Candidates verified per new article, one per copy group, most shared keys first: the
/// likeliest copies come first, so this bounds the work without losing them.
const MAX_VERIFY: usize = 16;

/// Related (non-copy) articles searched for near-duplicate paragraphs, most similar first.
const MAX_PARAGRAPH_SOURCES: usize = 2;

/// Items whose shingles the verification cache keeps.
pub const SHINGLE_CACHE: usize = 4096;

impl Index {
    pub fn new() -> Index {
        Index::default()
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The origin (earliest item) of `item`'s copy group.
    pub fn origin(&self, mut item: u32) -> u32 {
        while self.parent[item as usize] != item {
            item = self.parent[item as usize];
        }
        item
    }

    fn origin_compress(&mut self, item: u32) -> u32 {
        let root = self.origin(item);
        let mut x = item;
        while self.parent[x as usize] != root {
            let p = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = p;
        }
        root
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.origin_compress(a), self.origin_compress(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }

    /// Approximate heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        let map = |n: usize, entry: usize| n * (entry + 1) * 8 / 7;
        map(self.heads.capacity(), 12)
            + map(self.exact.capacity(), 12)
            + map(self.paras.capacity(), 16)
            + self.next.capacity() * 4
            + self.parent.capacity() * 4
    }

    fn texts_unless_cached(&self, item: u32, texts: &mut dyn Texts) -> Option<Vec<String>> {
        if self.cache.contains_key(&item) {
            Some(Vec::new())
        } else {
            texts.paragraphs(item)
        }
    }

    /// An item's shingles and words, from its paragraphs unless cached.
    fn cached_sets(&mut self, item: u32, paras: &[String]) -> std::sync::Arc<Sets> {
        if let Some(s) = self.cache.get(&item) {
            return s.clone();
        }
        let tokens = token_hashes(&paras.join("\n"));
        let s = std::sync::Arc::new((shingles_of_tokens(&tokens), words(&tokens)));
        if self.cache_order.len() >= SHINGLE_CACHE
            && let Some(old) = self.cache_order.pop_front()
        {
            self.cache.remove(&old);
        }
        self.cache.insert(item, s.clone());
        self.cache_order.push_back(item);
        s
    }

    /// Re-adds an item already analysed (e.g. loaded from a store) whose copy group is known:
    /// `origin` is the item id of its group's origin (itself, or an earlier item).
    pub fn restore(&mut self, fp: &Fingerprint, origin: u32) -> u32 {
        let item = self.parent.len() as u32;
        self.parent.push(origin.min(item));
        self.index_item(item, fp);
        item
    }

    /// Re-adds an item known only as the origin of a copy group (its keys are not indexed:
    /// it is never proposed as a candidate, only named as its group's origin).
    pub fn restore_unindexed(&mut self, origin: u32) -> u32 {
        let item = self.parent.len() as u32;
        self.parent.push(origin.min(item));
        self.next.extend(std::iter::repeat_n(NONE, BANDS));
        item
    }

    fn index_item(&mut self, item: u32, fp: &Fingerprint) {
        // Exact copies add no band keys: the original's keys find them.
        let is_exact_copy = self.exact.contains_key(&fp.exact);
        self.next.extend(std::iter::repeat_n(NONE, BANDS));
        if !is_exact_copy {
            self.exact.insert(fp.exact, item);
            for (b, key) in fp.bands.iter().enumerate() {
                let prev = self.heads.insert(*key, item).unwrap_or(NONE);
                self.next[item as usize * BANDS + b] = prev;
            }
        }
        for (pi, &(h, n)) in fp.paragraphs.iter().enumerate() {
            if n as usize >= MIN_PARAGRAPH_TOKENS {
                self.paras.entry(h).or_insert((item, pi as u32));
            }
        }
    }

    /// Adds an article, finds the earlier articles it copies and the paragraphs it shares.
    pub fn add(&mut self, fp: &Fingerprint, texts: &mut dyn Texts) -> Added {
        let item = self.parent.len() as u32;
        self.parent.push(item);
        let mut added = Added {
            item,
            ..Default::default()
        };

        // Candidates: exact hash, band keys, shared paragraphs.
        let mut cands: Vec<u32> = Vec::new();
        if let Some(&e) = self.exact.get(&fp.exact) {
            cands.push(e);
        }
        for (b, key) in fp.bands.iter().enumerate() {
            let mut cur = self.heads.get(key).copied().unwrap_or(NONE);
            let mut walked = 0;
            while cur != NONE && walked < MAX_CHAIN {
                cands.push(cur);
                cur = self.next[cur as usize * BANDS + b];
                walked += 1;
            }
        }
        let mut para_hits: Vec<(usize, u32, usize)> = Vec::new();
        for (pi, &(h, n)) in fp.paragraphs.iter().enumerate() {
            if (n as usize) < MIN_PARAGRAPH_TOKENS {
                continue;
            }
            if let Some(&(other, op)) = self.paras.get(&h) {
                para_hits.push((pi, other, op as usize));
                cands.push(other);
            }
        }
        // Most shared keys first: the likeliest copies are verified first, and once the new
        // article has joined a copy group the group's other members need no verification.
        cands.sort_unstable();
        let mut ranked: Vec<(u32, u32)> = Vec::new();
        for c in cands {
            match ranked.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => ranked.push((c, 1)),
            }
        }
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        // Verify on real shingles.
        let mut best: Option<(u32, Overlap)> = None;
        let mut related: Vec<(u32, f64, Vec<String>)> = Vec::new();
        let mut checked_groups: Vec<u32> = Vec::new();
        for &(c, _) in &ranked {
            let group = self.origin(c);
            if self.origin(item) == group || checked_groups.contains(&group) {
                continue;
            }
            if checked_groups.len() >= MAX_VERIFY {
                break;
            }
            checked_groups.push(group);
            let Some(paras) = self.texts_unless_cached(c, texts) else {
                continue;
            };
            let exact_match = self.exact.get(&fp.exact) == Some(&c);
            let (ov, edited) = if exact_match {
                let ov = Overlap {
                    jaccard: 1.0,
                    containment: 1.0,
                    smaller: fp.shingles.len(),
                };
                (ov, false)
            } else {
                let other = self.cached_sets(c, &paras);
                let ov = Overlap::of(&fp.shingles, &other.0);
                (ov, !ov.is_copy() && is_edited_copy(&fp.words, &other.1))
            };
            if ov.is_copy() || edited {
                let better = match &best {
                    None => true,
                    Some((b, bo)) => {
                        ov.jaccard > bo.jaccard || (ov.jaccard == bo.jaccard && c < *b)
                    }
                };
                if better {
                    best = Some((c, ov));
                }
                added.links.push((c, ov));
                self.union(item, c);
            } else if ov.jaccard > 0.0 || !para_hits.is_empty() {
                // A cache hit came without texts; paragraph alignment needs them.
                let paras = if paras.is_empty() {
                    texts.paragraphs(c).unwrap_or_default()
                } else {
                    paras
                };
                related.push((c, ov.jaccard, paras));
            }
        }
        added.copy_of = best;

        // Paragraph links, outside the copy group only.
        let my_origin = self.origin(item);
        let mut linked = vec![false; fp.paragraphs.len()];
        for (pi, other, op) in para_hits {
            if self.origin(other) != my_origin && !linked[pi] {
                linked[pi] = true;
                added.paragraph_copies.push((pi, other, op));
            }
        }
        related.retain(|(c, _, _)| self.origin(*c) != my_origin);
        if !related.is_empty() && linked.iter().any(|l| !l) {
            // The most similar related articles are where shared paragraphs are likeliest.
            related.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            related.truncate(MAX_PARAGRAPH_SOURCES);
            if let Some(mine) = texts.paragraphs(item) {
                let mine: Vec<Vec<u64>> = mine.iter().map(|p| shingles(p)).collect();
                for (c, _, paras) in &related {
                    link_near_paragraphs(&mine, fp, *c, paras, &mut linked, &mut added);
                }
            }
        }
        added.paragraph_copies.sort_unstable();

        self.index_item(item, fp);
        added
    }
}

/// Links each unlinked paragraph of the new article (given as shingle sets) to the first
/// paragraph of `other` it matches at Jaccard >= 0.8. Shared shingles are counted through a
/// hash map of the other article's shingles, so the cost is linear in the text length.
fn link_near_paragraphs(
    mine: &[Vec<u64>],
    fp: &Fingerprint,
    other: u32,
    other_paras: &[String],
    linked: &mut [bool],
    added: &mut Added,
) {
    let theirs: Vec<Vec<u64>> = other_paras.iter().map(|p| shingles(p)).collect();
    let mut owner: HashMap<u64, Vec<u32>> = HashMap::new();
    for (op, set) in theirs.iter().enumerate() {
        for &h in set {
            owner.entry(h).or_default().push(op as u32);
        }
    }
    let mut shared = vec![0u32; theirs.len()];
    for (pi, set) in mine.iter().enumerate() {
        if linked.get(pi).copied().unwrap_or(true)
            || (fp.paragraphs[pi].1 as usize) < MIN_PARAGRAPH_TOKENS
        {
            continue;
        }
        shared.iter_mut().for_each(|x| *x = 0);
        for h in set {
            if let Some(ops) = owner.get(h) {
                for &op in ops {
                    shared[op as usize] += 1;
                }
            }
        }
        let hit = shared.iter().enumerate().find(|&(op, &n)| {
            let union = set.len() + theirs[op].len() - n as usize;
            n > 0 && n as f64 >= JACCARD * union as f64
        });
        if let Some((op, _)) = hit {
            linked[pi] = true;
            added.paragraph_copies.push((pi, other, op));
        }
    }
}

#[cfg(test)]
mod tests;
