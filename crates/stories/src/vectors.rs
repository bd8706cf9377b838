//! The numeric matching state: centroids (sums of unit vectors), day ranges and document
//! frequencies.

/// A sparse unit vector: (term hash, weight), sorted by hash.
pub(crate) type Vector = Vec<(u64, f32)>;

/// A sum of unit vectors, with its squared norm kept up to date. Terms are kept sorted by
/// hash, so every sum over them runs in the same order whatever the history of the centroid:
/// a centroid saved and loaded again scores exactly as the one that was saved.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Centroid {
    pub(crate) w: Vector,
    pub(crate) norm2: f32,
}

impl Centroid {
    /// Adds `v` (sorted by hash); pushes the terms that are new to the centroid onto
    /// `new_terms` (for the postings).
    pub(crate) fn add(&mut self, v: &[(u64, f32)], new_terms: &mut Vec<u64>) {
        debug_assert!(v.windows(2).all(|p| p[0].0 < p[1].0), "unsorted vector");
        let mut out = Vec::with_capacity(self.w.len() + v.len());
        let mut old = self.w.iter().peekable();
        for &(t, x) in v {
            while let Some(&&o) = old.peek().filter(|o| o.0 < t) {
                out.push(o);
                old.next();
            }
            let prev = match old.next_if(|o| o.0 == t) {
                Some(&(_, y)) => y,
                None => {
                    new_terms.push(t);
                    0.0
                }
            };
            out.push((t, prev + x));
            self.norm2 += (prev + x) * (prev + x) - prev * prev;
        }
        out.extend(old);
        self.w = out;
    }

    pub(crate) fn add_centroid(&mut self, o: &Centroid, new_terms: &mut Vec<u64>) {
        self.add(&o.w, new_terms);
    }

    /// Keeps the `keep` heaviest terms once there are more than twice as many, so that a long
    /// running event's memory stays bounded. Ties go to the lesser hash.
    pub(crate) fn prune(&mut self, keep: usize) {
        if self.w.len() <= 2 * keep {
            return;
        }
        self.w
            .sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        self.w.truncate(keep);
        self.norm2 = self.w.iter().map(|x| x.1 * x.1).sum();
        self.w.sort_unstable_by_key(|x| x.0);
    }

    /// Drops terms whose weight fell to (about) zero and sums the norm again.
    pub(crate) fn drop_zeros(&mut self) {
        self.w.retain(|x| x.1 > 1e-6);
        self.norm2 = self.w.iter().map(|x| x.1 * x.1).sum();
    }

    pub(crate) fn cos(&self, v: &[(u64, f32)]) -> f32 {
        if self.norm2 <= 0.0 {
            return 0.0;
        }
        dot(v, &self.w) / self.norm2.sqrt()
    }

    /// The dot product of two sums of unit vectors: divided by the two member counts, the
    /// mean cosine over all pairs of their members (average link).
    pub(crate) fn dot(&self, o: &Centroid) -> f32 {
        dot(&self.w, &o.w)
    }

    pub(crate) fn cos_centroid(&self, o: &Centroid) -> f32 {
        if self.norm2 <= 0.0 || o.norm2 <= 0.0 {
            return 0.0;
        }
        self.dot(o) / (self.norm2.sqrt() * o.norm2.sqrt())
    }

    /// Heap bytes (for the matching-state figure).
    pub(crate) fn bytes(&self) -> usize {
        self.w.capacity() * std::mem::size_of::<(u64, f32)>()
    }
}

/// Dot product of two vectors sorted by hash, summed in the order of `a`.
pub(crate) fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut j, mut s) = (0, 0.0);
    for &(t, x) in a {
        while j < b.len() && b[j].0 < t {
            j += 1;
        }
        if j == b.len() {
            break;
        }
        if b[j].0 == t {
            s += x * b[j].1;
        }
    }
    s
}

/// Inclusive day range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Range(pub(crate) Option<(i32, i32)>);

impl Range {
    pub(crate) fn add(&mut self, d: Option<i32>) {
        if let Some(d) = d {
            self.0 = Some(match self.0 {
                Some((lo, hi)) => (lo.min(d), hi.max(d)),
                None => (d, d),
            });
        }
    }

    pub(crate) fn union(&mut self, o: Range) {
        if let Some((lo, hi)) = o.0 {
            self.add(Some(lo));
            self.add(Some(hi));
        }
    }

    /// Days between `d` and the range (0 inside it); None when either is undated.
    pub(crate) fn gap(&self, d: Option<i32>) -> Option<i32> {
        let (lo, hi) = self.0?;
        let d = d?;
        Some((lo - d).max(d - hi).max(0))
    }

    pub(crate) fn gap_range(&self, o: Range) -> Option<i32> {
        let (lo, hi) = self.0?;
        let (olo, ohi) = o.0?;
        Some((lo - ohi).max(olo - hi).max(0))
    }
}

/// Document frequencies in fixed memory: a count-min sketch (two rows of 2^21 counters,
/// 16 MiB, allocated zeroed so untouched pages cost nothing). An exact table would grow with
/// every new name pair forever; the sketch only ever overestimates a rare term's frequency,
/// and at the sizes seen (up to millions of distinct terms) rarely by more than one or two.
#[derive(Clone, PartialEq)]
pub(crate) struct DocFreq {
    pub(crate) rows: Vec<u32>,
}

const DF_BITS: u32 = 21;

/// Counters in the sketch (both rows).
pub(crate) const DF_SLOTS: usize = 2 << DF_BITS;

impl DocFreq {
    pub(crate) fn new() -> DocFreq {
        DocFreq {
            rows: vec![0; DF_SLOTS],
        }
    }

    fn slots(t: u64) -> [usize; 2] {
        let mask = (1usize << DF_BITS) - 1;
        let a = t as usize & mask;
        let b = ((t >> 32) as usize & mask) + (1 << DF_BITS);
        [a, b]
    }

    pub(crate) fn add(&mut self, t: u64) {
        for s in Self::slots(t) {
            self.rows[s] = self.rows[s].saturating_add(1);
        }
    }

    pub(crate) fn get(&self, t: u64) -> u32 {
        let [a, b] = Self::slots(t);
        self.rows[a].min(self.rows[b])
    }
}

impl std::fmt::Debug for DocFreq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let used = self.rows.iter().filter(|&&x| x > 0).count();
        write!(f, "DocFreq {{ {used} of {DF_SLOTS} counters used }}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroid_sums_merge_sorted_terms() {
        let mut c = Centroid::default();
        let mut new = Vec::new();
        c.add(&[(1, 0.6), (5, 0.8)], &mut new);
        c.add(&[(3, 1.0), (5, 0.2)], &mut new);
        assert_eq!(c.w, vec![(1, 0.6), (3, 1.0), (5, 1.0)]);
        assert_eq!(new, vec![1, 5, 3]);
        assert!((c.norm2 - (0.36 + 1.0 + 1.0)).abs() < 1e-5);
        assert!((c.cos(&[(5, 1.0)]) - 1.0 / c.norm2.sqrt()).abs() < 1e-6);
        let o = Centroid {
            w: vec![(0, 1.0), (3, 2.0), (9, 1.0)],
            norm2: 6.0,
        };
        assert!((c.dot(&o) - 2.0).abs() < 1e-6);
        assert_eq!(c.dot(&o), o.dot(&c));
    }

    #[test]
    fn prune_keeps_the_heaviest_and_breaks_ties_by_hash() {
        let mut c = Centroid::default();
        let v: Vector = (0..10u64)
            .map(|t| (t, if t < 2 { 2.0 } else { 1.0 }))
            .collect();
        c.add(&v, &mut Vec::new());
        c.prune(4);
        assert_eq!(c.w.len(), 4);
        assert_eq!(
            c.w.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![0, 1, 2, 3]
        );
        assert!((c.norm2 - 10.0).abs() < 1e-6);
    }
}
