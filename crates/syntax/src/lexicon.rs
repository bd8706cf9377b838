//! The tag lexicon: for every word form seen often enough in training, its commonest and
//! second commonest tag class. The tagger reads it as features (the right-hand neighbours'
//! likely tags are otherwise unknown to a left-to-right tagger), and words that are
//! practically unambiguous ("the", ",", "of") take their tag from it without being scored.

use std::collections::HashMap;

use crate::flat::FlatMap;
use crate::model::{ByteReader, ModelError, write_str, write_varint};
use crate::tagger::NT;
use crate::words::{ekey_of, key_of};

/// Set in a lexicon value: the word is in the lexicon.
pub(crate) const KNOWN: u32 = 1 << 17;
/// Set in a lexicon value: the word always takes its commonest class.
pub(crate) const FIXED: u32 = 1 << 16;

/// The class a lexicon value names first.
#[inline]
pub(crate) fn top(v: u32) -> u8 {
    (v & 0xff) as u8
}

/// Form (exact, normalised) -> packed `top | second << 8 | FIXED | KNOWN`.
pub(crate) struct Lexicon {
    map: FlatMap,
    /// (exact key, lower-case key, value) of every form.
    pub(crate) entries: Vec<(u64, u64, u32)>,
}

/// Thresholds of the lexicon: which words enter, which are fixed.
#[derive(Clone, Copy, Debug)]
pub struct LexiconConfig {
    pub min_count: usize,
    pub fixed_count: usize,
    pub fixed_share: f64,
}

impl Default for LexiconConfig {
    fn default() -> Self {
        LexiconConfig {
            min_count: 20,
            fixed_count: 20,
            fixed_share: 0.995,
        }
    }
}

impl Lexicon {
    #[inline]
    pub(crate) fn get(&self, ekey: u64) -> u32 {
        self.map.get(ekey).unwrap_or(0) as u32
    }

    pub(crate) fn read(r: &mut ByteReader<'_>) -> Result<Lexicon, ModelError> {
        let n = r.varint()? as usize;
        let mut map = FlatMap::new();
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let form = r.str()?;
            let v = r.u32()?;
            if top(v) as usize >= NT {
                return Err(ModelError::Corrupt(r.pos()));
            }
            map.insert(ekey_of(form), u64::from(v));
            entries.push((ekey_of(form), key_of(form), v));
        }
        Ok(Lexicon { map, entries })
    }
}

/// Counts tag classes per form and writes the lexicon section; returns it loaded as well.
pub(crate) fn build<'a>(
    words: impl Iterator<Item = (&'a str, u8)>,
    cfg: &LexiconConfig,
) -> (Lexicon, Vec<u8>) {
    let mut counts: HashMap<&str, [u32; NT]> = HashMap::new();
    for (w, c) in words {
        counts.entry(w).or_insert([0; NT])[usize::from(c) % NT] += 1;
    }
    let mut entries: Vec<(&str, u32)> = counts
        .into_iter()
        .filter_map(|(w, c)| {
            let total: u32 = c.iter().sum();
            if (total as usize) < cfg.min_count {
                return None;
            }
            let mut order: Vec<usize> = (0..NT).collect();
            order.sort_by_key(|&k| (std::cmp::Reverse(c[k]), k));
            let (a, b) = (order[0], order[1]);
            let second = if c[b] > 0 { b } else { a };
            let fixed = total as usize >= cfg.fixed_count
                && f64::from(c[a]) >= cfg.fixed_share * f64::from(total);
            let v = a as u32 | (second as u32) << 8 | KNOWN | if fixed { FIXED } else { 0 };
            Some((w, v))
        })
        .collect();
    entries.sort();
    let mut out = Vec::new();
    write_varint(&mut out, entries.len() as u64);
    for (w, v) in &entries {
        write_str(&mut out, w);
        out.extend_from_slice(&v.to_le_bytes());
    }
    let lex = Lexicon::read(&mut ByteReader::new(&out)).expect("own bytes");
    (lex, out)
}
