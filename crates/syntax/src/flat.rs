//! A flat open-addressing map from well-mixed 64-bit hashes to `u64`: one probe into a
//! contiguous array for the per-word lexicon lookups (lemmas, clusters, contractions), where
//! a `HashMap` would rehash the key and chase pointers.

#[derive(Clone, Debug, Default)]
pub(crate) struct FlatMap {
    slots: Vec<(u64, u64)>,
    len: usize,
}

/// Hash 0 marks an empty slot; a real key of 0 is stored as 1 (keys are hashes: no clash
/// that matters).
#[inline]
fn fix(k: u64) -> u64 {
    if k == 0 { 1 } else { k }
}

impl FlatMap {
    pub(crate) fn new() -> FlatMap {
        FlatMap::default()
    }

    #[inline]
    fn index(&self, k: u64) -> usize {
        // Keys are already mixed hashes: their top bits are a good slot index.
        (k >> 40) as usize & (self.slots.len() - 1)
    }

    /// Inserts `k -> v`; an existing key keeps its first value.
    pub(crate) fn insert(&mut self, k: u64, v: u64) {
        self.put(k, v, false);
    }

    /// Inserts `k -> v`, replacing an existing value.
    pub(crate) fn set(&mut self, k: u64, v: u64) {
        self.put(k, v, true);
    }

    fn put(&mut self, k: u64, v: u64, replace: bool) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let k = fix(k);
        let mask = self.slots.len() - 1;
        let mut i = self.index(k);
        loop {
            let slot = &mut self.slots[i];
            if slot.0 == 0 {
                *slot = (k, v);
                self.len += 1;
                return;
            }
            if slot.0 == k {
                if replace {
                    slot.1 = v;
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![(0, 0); (old.len() * 2).max(16)];
        self.len = 0;
        for (k, v) in old {
            if k != 0 {
                self.insert(k, v);
            }
        }
    }

    /// Starts loading the slot of `k` (see `Scorer::prefetch`).
    #[inline]
    pub(crate) fn prefetch(&self, k: u64) {
        if self.slots.is_empty() {
            return;
        }
        let p = &self.slots[self.index(fix(k))] as *const (u64, u64);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it never faults and reads nothing visible. SSE is
        // part of the x86_64 baseline.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
        };
        #[cfg(not(target_arch = "x86_64"))]
        let _ = p;
    }

    #[inline]
    pub(crate) fn get(&self, k: u64) -> Option<u64> {
        if self.slots.is_empty() {
            return None;
        }
        let k = fix(k);
        let mask = self.slots.len() - 1;
        let mut i = self.index(k);
        loop {
            let (sk, sv) = self.slots[i];
            if sk == k {
                return Some(sv);
            }
            if sk == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::fmix;

    #[test]
    fn insert_and_get() {
        let mut m = FlatMap::new();
        for i in 0..1000u64 {
            m.insert(fmix(i + 1), i);
        }
        m.insert(fmix(5), 77);
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get(fmix(5)), Some(4));
        m.set(fmix(5), 77);
        assert_eq!(m.get(fmix(5)), Some(77));
        assert_eq!(m.get(fmix(1000)), Some(999));
        assert_eq!(m.get(fmix(5000)), None);
        m.insert(0, 3);
        assert_eq!(m.get(0), Some(3));
        assert_eq!(FlatMap::new().get(9), None);
    }
}
