//! Word clusters (placeholder until clusters are induced): maps a word to a cluster id.

/// Word-cluster lookup.
pub(crate) struct Clusters;

impl Clusters {
    pub(crate) fn global() -> &'static Clusters {
        static C: Clusters = Clusters;
        &C
    }

    #[inline]
    pub(crate) fn get(&self, _exact: u64, _lower: u64) -> u32 {
        0
    }
}
