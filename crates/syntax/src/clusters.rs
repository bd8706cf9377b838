//! Word clusters (shared with the NER model: `models/ner/clusters.tsv`, k-means over
//! neighbour contexts in ~860k tokens of unlabelled news text, 32/128/512 clusters). They let
//! the tagger and parser generalise from EWT's web text to news words it never saw. The
//! model file records a checksum of the file it was trained with.

use crate::flat::FlatMap;
use crate::hash::str_hash;
use crate::lexicon::Lexicon;
use crate::words::Word;
use crate::words::{ekey_of, key_of};

pub(crate) static CLUSTERS_TSV: &str = include_str!("../../../models/ner/clusters.tsv");

/// Checksum of the cluster file (stored in the model; a different file means retraining).
pub(crate) fn checksum(text: &str) -> u32 {
    (str_hash(text) >> 32) as u32
}

/// Packed ids `(c32 + 1) << 20 | (c128 + 1) << 10 | (c512 + 1)`; 0 means unknown.
pub(crate) struct Clusters {
    exact: FlatMap,
    lower: FlatMap,
}

/// Everything known about a word form, found with one probe: its cluster (low 32 bits)
/// and its tag lexicon entry (high 32 bits). Forms missing from the cluster file fall back
/// to their lower-case form's cluster.
pub(crate) struct Vocab {
    exact: FlatMap,
    lower: FlatMap,
}

impl Vocab {
    pub(crate) fn new(clusters: Clusters, lexicon: &Lexicon) -> Vocab {
        let Clusters { mut exact, lower } = clusters;
        for &(k, low, v) in &lexicon.entries {
            let c = exact.get(k).or_else(|| lower.get(low)).unwrap_or(0) & 0xffff_ffff;
            exact.set(k, c | u64::from(v) << 32);
        }
        Vocab { exact, lower }
    }

    /// Starts loading what `fill` will read.
    #[inline]
    pub(crate) fn prefetch(&self, w: &Word) {
        self.exact.prefetch(w.ekey);
    }

    #[inline]
    pub(crate) fn fill(&self, w: &mut Word) {
        match self.exact.get(w.ekey) {
            Some(v) => {
                w.cluster = v as u32;
                w.lex = (v >> 32) as u32;
            }
            None => {
                w.cluster = self.lower.get(w.key).unwrap_or(0) as u32;
                w.lex = 0;
            }
        }
    }
}

impl Clusters {
    pub(crate) fn parse(text: &str) -> Clusters {
        let mut c = Clusters {
            exact: FlatMap::new(),
            lower: FlatMap::new(),
        };
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(a), Some(b), Some(d)) = (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Ok(a), Ok(b), Ok(d)) = (a.parse::<u32>(), b.parse::<u32>(), d.parse::<u32>())
            else {
                continue;
            };
            let id = ((a + 1) & 0x3ff) << 20 | ((b + 1) & 0x3ff) << 10 | ((d + 1) & 0x3ff);
            c.exact.insert(ekey_of(w), u64::from(id));
            // Lines come most frequent first: the commonest casing speaks for the word.
            c.lower.insert(key_of(w), u64::from(id));
        }
        c
    }

    pub(crate) fn empty() -> Clusters {
        Clusters {
            exact: FlatMap::new(),
            lower: FlatMap::new(),
        }
    }

    #[inline]
    pub(crate) fn get(&self, ekey: u64, key: u64) -> u32 {
        self.exact
            .get(ekey)
            .or_else(|| self.lower.get(key))
            .unwrap_or(0) as u32
    }
}
