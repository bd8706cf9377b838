//! Weight tables: a dense table of `2^bits` rows by `W` classes, indexed by the top bits of
//! each feature hash (collisions are tolerated: hashing trades a little accuracy for no
//! string storage and one memory access per feature).
//!
//! At run time weights are 8-bit integers ([`QTable`]: quantising the averaged perceptron's
//! weights to -127..=127 costs under 0.1 point of accuracy on EWT dev and halves the memory
//! the hot loop touches); during training 32-bit floats with lazy averaging ([`Trainer`]).
//! On disk only non-zero weights are stored: per non-zero row a varint row delta, the
//! classes present, and one byte per weight.

use crate::model::{ByteReader, ModelError, write_varint};

/// A class score: 16-bit integers at run time (exact, and no conversions in the hot loop),
/// floats in training.
pub(crate) trait Score: Copy + PartialOrd + Default {
    /// A score no class reaches by its features: starting a class there rules it out.
    const FLOOR: Self;

    /// The first best of `s`.
    fn argmax(s: &[Self]) -> usize {
        let mut best = 0;
        for c in 1..s.len() {
            if s[c] > s[best] {
                best = c;
            }
        }
        best
    }
}

impl Score for f32 {
    const FLOOR: f32 = f32::NEG_INFINITY;
}

impl Score for i16 {
    /// Below any sum of [`MAX_FEATURES`] / 2 weights, far from overflow when features add.
    const FLOOR: i16 = -16384;

    #[inline]
    fn argmax(s: &[i16]) -> usize {
        // Two vectorisable passes beat one branchy one.
        let m = s.iter().copied().max().unwrap_or(0);
        s.iter().position(|&v| v == m).unwrap_or(0)
    }
}

/// Starting scores: 0 for the classes in `mask`, [`Score::FLOOR`] for the others.
pub(crate) fn floor<T: Score, const W: usize>(mask: u64) -> [T; W] {
    std::array::from_fn(|c| {
        if c < 64 && mask & (1 << c) != 0 {
            T::default()
        } else {
            T::FLOOR
        }
    })
}

/// Scores feature hashes against a table; decoders are generic over it so that training and
/// inference share one code path.
pub(crate) trait Scorer<const W: usize> {
    type Acc: Score;

    /// Adds the weights of `feats` to `out`.
    fn score(&self, feats: &[u64], out: &mut [Self::Acc; W]);

    /// Starts loading the rows of `feats` into the cache, so that a later `score` does not
    /// wait for memory one row at a time (a prefetch retires at once; a load holds the
    /// reorder buffer until its data arrives).
    fn prefetch(&self, _feats: &[u64]) {}
}

/// Largest weight magnitude: sums of up to [`MAX_FEATURES`] weights fit an `i16`.
pub(crate) const MAX_Q: i32 = 127;
pub(crate) const MAX_FEATURES: usize = 128;
const _: () = assert!(MAX_FEATURES as i32 * MAX_Q - 16384 >= i16::MIN as i32);

/// Run-time weights: 8-bit, dense, rows aligned to 64 bytes.
pub(crate) struct QTable<const W: usize> {
    shift: u32,
    /// The CPU has AVX2 (checked once at load): 16 weights widened and added per instruction.
    avx2: bool,
    buf: Vec<i8>,
    /// Index of the first row in `buf` (chosen so rows start on a cache line).
    start: usize,
}

impl<const W: usize> QTable<W> {
    fn zeroed(bits: u32) -> QTable<W> {
        let rows = 1usize << bits;
        let buf = vec![0i8; rows * W + 64];
        let start = (64 - buf.as_ptr() as usize % 64) % 64;
        QTable {
            shift: 64 - bits,
            avx2: has_avx2(),
            buf,
            start,
        }
    }

    #[inline]
    fn row(&self, f: u64) -> &[i8; W] {
        let at = self.start + (f >> self.shift) as usize * W;
        debug_assert!(at + W <= self.buf.len());
        // SAFETY: `f >> shift` is below `2^bits`, and `buf` holds `2^bits` rows of `W` after
        // `start` (see `zeroed`), so the row is in bounds. This runs ~150 times per word;
        // the checked version costs two compares and a branch each time.
        unsafe { &*self.buf.as_ptr().add(at).cast::<[i8; W]>() }
    }

    /// Reads a table written by [`to_bytes`].
    pub(crate) fn read(r: &mut ByteReader<'_>) -> Result<QTable<W>, ModelError> {
        let bits = r.u32()?;
        if !(8..=24).contains(&bits) {
            return Err(ModelError::Corrupt(r.pos()));
        }
        if r.u32()? as usize != W {
            return Err(ModelError::Corrupt(r.pos()));
        }
        let nrows = r.u32()? as usize;
        let mut t = QTable::<W>::zeroed(bits);
        let size = 1usize << bits;
        let mut row = 0usize;
        for i in 0..nrows {
            let delta = r.varint()? as usize;
            row = if i == 0 { delta } else { row + delta };
            if row >= size {
                return Err(ModelError::Corrupt(r.pos()));
            }
            let classes = read_classes::<W>(r)?;
            let base = t.start + row * W;
            for c in 0..W {
                if classes & (1 << c) != 0 {
                    t.buf[base + c] = (r.u8()? as i8).max(-(MAX_Q as i8));
                }
            }
        }
        Ok(t)
    }
}

impl<const W: usize> Scorer<W> for QTable<W> {
    #[inline]
    fn prefetch(&self, feats: &[u64]) {
        #[cfg(target_arch = "x86_64")]
        for &f in feats {
            let at = self.start + (f >> self.shift) as usize * W;
            let p = self.buf.as_ptr().wrapping_add(at);
            // SAFETY: a prefetch is a hint; it never faults and reads nothing visible. SSE
            // is part of the x86_64 baseline.
            unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = feats;
    }

    type Acc = i16;

    /// 16-bit sums (exact for up to [`MAX_FEATURES`] features).
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [i16; W]) {
        debug_assert!(feats.len() <= MAX_FEATURES);
        #[cfg(target_arch = "x86_64")]
        if W >= 16 && self.avx2 {
            // SAFETY: `avx2` is set only when the CPU reports AVX2 (`has_avx2`).
            unsafe { self.sums_avx2(feats, out) };
            return;
        }
        self.sums(feats, out);
    }
}

impl<const W: usize> QTable<W> {
    /// The sums, written so that the compiler vectorises them for the instruction set of
    /// the function it is inlined into.
    #[inline(always)]
    fn sums(&self, feats: &[u64], out: &mut [i16; W]) {
        for &f in feats {
            let r = self.row(f);
            for c in 0..W {
                out[c] = out[c].wrapping_add(i16::from(r[c]));
            }
        }
    }

    /// [`QTable::sums`] compiled for AVX2 (sign-extending 16 weights per instruction; the
    /// x86-64 baseline, SSE2, needs three).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn sums_avx2(&self, feats: &[u64], out: &mut [i16; W]) {
        self.sums(feats, out);
    }
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The classes present in a row: a bit mask for narrow tables, else a count and indices.
fn read_classes<const W: usize>(r: &mut ByteReader<'_>) -> Result<u64, ModelError> {
    if W <= 8 {
        return Ok(u64::from(r.u8()?));
    }
    let n = r.u8()?;
    let mut mask = 0u64;
    for _ in 0..n {
        let c = r.u8()?;
        if usize::from(c) >= W {
            return Err(ModelError::Corrupt(r.pos()));
        }
        mask |= 1 << c;
    }
    Ok(mask)
}

/// Averaged perceptron weights during training (Daumé's lazy averaging: `avg = w - u / c`).
pub(crate) struct Trainer<const W: usize> {
    shift: u32,
    w: Vec<f32>,
    u: Vec<f64>,
    c: f64,
}

impl<const W: usize> Trainer<W> {
    pub(crate) fn new(bits: u32) -> Trainer<W> {
        let size = (1usize << bits) * W;
        Trainer {
            shift: 64 - bits,
            w: vec![0.0; size],
            u: vec![0.0; size],
            c: 1.0,
        }
    }

    /// Adds `delta` to the weights of `feats` for class `class`.
    #[inline]
    pub(crate) fn add(&mut self, feats: &[u64], class: usize, delta: f32) {
        for &f in feats {
            let at = (f >> self.shift) as usize * W + class;
            self.w[at] += delta;
            self.u[at] += self.c * f64::from(delta);
        }
    }

    /// One training example seen (the averaging clock).
    #[inline]
    pub(crate) fn tick(&mut self) {
        self.c += 1.0;
    }

    /// Averaged weights.
    pub(crate) fn averaged(&self) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.u)
            .map(|(&w, &u)| (f64::from(w) - u / self.c) as f32)
            .collect()
    }
}

impl<const W: usize> Scorer<W> for Trainer<W> {
    type Acc = f32;

    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32; W]) {
        for &f in feats {
            let at = (f >> self.shift) as usize * W;
            let r: &[f32; W] = self.w[at..at + W].try_into().expect("row width");
            for c in 0..W {
                out[c] += r[c];
            }
        }
    }
}

/// Averaged weights in a form that scores like the quantised table (for evaluating a model
/// right after training without a round trip through bytes).
pub(crate) struct Averaged<const W: usize> {
    shift: u32,
    w: Vec<f32>,
}

impl<const W: usize> Averaged<W> {
    pub(crate) fn of(t: &Trainer<W>) -> Averaged<W> {
        Averaged {
            shift: t.shift,
            w: t.averaged(),
        }
    }

    /// Adds another model's weights (same size), for averaging several training runs.
    pub(crate) fn add(&mut self, other: &Averaged<W>) {
        for (a, b) in self.w.iter_mut().zip(&other.w) {
            *a += b;
        }
    }
}

impl<const W: usize> Scorer<W> for Averaged<W> {
    type Acc = f32;

    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32; W]) {
        for &f in feats {
            let at = (f >> self.shift) as usize * W;
            let r: &[f32; W] = self.w[at..at + W].try_into().expect("row width");
            for c in 0..W {
                out[c] += r[c];
            }
        }
    }
}

/// Quantises averaged weights (`2^bits * W`) to integers with `max_q` (at most [`MAX_Q`])
/// as the largest magnitude, drops those below `prune`, and appends the table to `out`.
pub(crate) fn to_bytes<const W: usize>(
    avg: &Averaged<W>,
    max_q: f32,
    prune: i32,
    out: &mut Vec<u8>,
) {
    let bits = 64 - avg.shift;
    let max = avg.w.iter().fold(0f32, |m, &v| m.max(v.abs())).max(1e-9);
    let scale = max_q.min(MAX_Q as f32) / max;
    let mut body = Vec::new();
    let mut nrows = 0u32;
    let mut last = 0usize;
    let mut q = [0i32; W];
    for row in 0..(1usize << bits) {
        let mut mask = 0u64;
        for (c, (q, &w)) in q.iter_mut().zip(&avg.w[row * W..(row + 1) * W]).enumerate() {
            let v = (w * scale).round() as i32;
            *q = if v.abs() < prune { 0 } else { v };
            if *q != 0 {
                mask |= 1 << c;
            }
        }
        if mask == 0 {
            continue;
        }
        write_varint(&mut body, (row - if nrows == 0 { 0 } else { last }) as u64);
        last = row;
        nrows += 1;
        if W <= 8 {
            body.push(mask as u8);
        } else {
            body.push(mask.count_ones() as u8);
            body.extend((0..W as u8).filter(|&c| mask & (1 << c) != 0));
        }
        body.extend(q.iter().filter(|&&v| v != 0).map(|&v| v as i8 as u8));
    }
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(&(W as u32).to_le_bytes());
    out.extend_from_slice(&nrows.to_le_bytes());
    out.extend_from_slice(&body);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::feat;

    #[test]
    fn save_load_round_trip_keeps_argmax() {
        let mut t = Trainer::<16>::new(10);
        let feats = [feat(4, 99), feat(7, 3)];
        for _ in 0..3 {
            t.tick();
            t.add(&feats, 5, 1.0);
            t.add(&feats, 0, -1.0);
        }
        t.tick();
        let mut bytes = Vec::new();
        to_bytes(&Averaged::of(&t), 127.0, 0, &mut bytes);
        let q = QTable::<16>::read(&mut ByteReader::new(&bytes)).unwrap();
        let mut s = [0i16; 16];
        q.score(&feats, &mut s);
        assert!(s[5] > 0 && s[0] < 0 && s[1] == 0);
        assert_eq!(<i16 as Score>::argmax(&s), 5);
        let f: [i16; 4] = floor(0b0101);
        assert_eq!(f, [0, i16::FLOOR, 0, i16::FLOOR]);
        let mut bad = bytes.clone();
        bad.truncate(bytes.len() - 1);
        assert!(QTable::<16>::read(&mut ByteReader::new(&bad)).is_err());
    }
}
