//! Word clusters induced from unlabelled news text (`examples/clusters.rs`: spherical k-means
//! over left/right neighbour vectors at 32, 128 and 512 clusters; see the crate doc for the
//! command). They let the model generalise from words seen in training to words that only
//! share their contexts.

use std::sync::OnceLock;

use crate::features::IdMap;
use crate::text::word_hashes;

static CLUSTERS_TSV: &str = include_str!("../../../models/ner/clusters.tsv");

/// Word-cluster lookup: packed ids `(c32 + 1) << 20 | (c128 + 1) << 10 | (c512 + 1)`, so
/// `id >> 20` and `id >> 10` are the coarser clusterings and 0 means unknown.
pub(crate) struct Clusters {
    exact: IdMap<u32>,
    lower: IdMap<u32>,
}

impl Clusters {
    pub(crate) fn global() -> &'static Clusters {
        static C: OnceLock<Clusters> = OnceLock::new();
        C.get_or_init(|| Clusters::parse(CLUSTERS_TSV))
    }

    fn parse(text: &str) -> Clusters {
        let mut exact = IdMap::default();
        let mut lower = IdMap::default();
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Ok(a), Ok(b), Ok(c)) = (a.parse::<u32>(), b.parse::<u32>(), c.parse::<u32>())
            else {
                continue;
            };
            let id = (a + 1) << 20 | (b + 1) << 10 | (c + 1);
            let (e, l) = word_hashes(w);
            exact.entry(e).or_insert(id);
            // Lines come most frequent first: the commonest casing speaks for the word.
            lower.entry(l).or_insert(id);
        }
        Clusters { exact, lower }
    }

    /// The cluster of a word by its exact form, else by its lower-case form (0: unknown).
    #[inline]
    pub(crate) fn get(&self, exact: u64, lower: u64) -> u32 {
        match self.exact.get(&exact) {
            Some(&id) => id,
            None => self.lower.get(&lower).copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_share_a_cluster() {
        let c = Clusters::global();
        let id = |w: &str| {
            let (e, l) = word_hashes(w);
            c.get(e, l)
        };
        assert_ne!(id("Monday"), 0);
        assert_eq!(id("Monday") >> 20, id("Friday") >> 20);
        // Unseen casings fall back to the commonest casing of the word.
        assert_eq!(id("MoNdAy"), id("Monday"));
        assert_eq!(id("Xyzzyqwv"), 0);
    }
}
