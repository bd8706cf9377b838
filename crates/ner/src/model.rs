//! The weight table and its file format.
//!
//! Weights live in a dense table of `2^bits` rows by [`NT`] tags, indexed by the top bits of
//! each feature hash. On disk only non-zero weights are kept, quantised to 16 bits: per
//! non-zero row a varint row delta, a 17-bit tag mask (3 bytes) and zig-zag varint values.

use crate::features::FEATURE_VERSION;
use crate::tags::NT;

const MAGIC: &[u8; 8] = b"CCNER\x00\x02\x00";
const HEADER: usize = 28;

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a crosscheck NER model (bad magic)")]
    BadMagic,
    #[error("model was trained with feature set {found}, this build uses {expected}: retrain it")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("model file is truncated or corrupt at byte {0}")]
    Corrupt(usize),
    #[error("a first-stage model was given where a second stage was expected, or vice versa")]
    Stage,
    #[error("model file has an unsupported table size 2^{0}")]
    Bits(u32),
}

/// Scores features against a weight table; the decoder is generic over it so training and
/// inference share one code path.
pub(crate) trait Model {
    fn score(&self, feats: &[u64], acc: &mut [f32; NT]);
    /// Adds `delta` to the weights of `feats` for `tag`.
    fn add(&mut self, _feats: &[u64], _tag: u8, _delta: f32) {}
    fn tick(&mut self) {}
}

/// Runtime weights: 16-bit quantised, dense.
pub(crate) struct QModel {
    shift: u32,
    w: Vec<i16>,
    /// A second-stage model (expects stacking features).
    pub(crate) stacked: bool,
}

impl QModel {
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<QModel, ModelError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if version != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: version,
                expected: FEATURE_VERSION,
            });
        }
        let bits = u32::from_le_bytes(bytes[12..16].try_into().unwrap());
        if !(10..=26).contains(&bits) {
            return Err(ModelError::Bits(bits));
        }
        let nrows = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
        let ntags = u32::from_le_bytes(bytes[20..24].try_into().unwrap()) as usize;
        if ntags != NT {
            return Err(ModelError::Corrupt(20));
        }
        let size = 1usize << bits;
        let mut w = vec![0i16; size * NT];
        let stacked = u32::from_le_bytes(bytes[24..28].try_into().unwrap()) & 1 != 0;
        let mut pos = HEADER;
        let mut row = 0usize;
        for r in 0..nrows {
            let delta = read_varint(bytes, &mut pos)? as usize;
            row = if r == 0 { delta } else { row + delta };
            if row >= size || pos + 3 > bytes.len() {
                return Err(ModelError::Corrupt(pos));
            }
            let mask = u32::from(bytes[pos])
                | u32::from(bytes[pos + 1]) << 8
                | u32::from(bytes[pos + 2]) << 16;
            pos += 3;
            for t in 0..NT {
                if mask & (1 << t) != 0 {
                    let z = read_varint(bytes, &mut pos)?;
                    let v = ((z >> 1) as i64) ^ -((z & 1) as i64);
                    w[row * NT + t] = v as i16;
                }
            }
        }
        Ok(QModel {
            shift: 64 - bits,
            w,
            stacked,
        })
    }
}

impl Model for QModel {
    #[inline]
    fn score(&self, feats: &[u64], acc: &mut [f32; NT]) {
        // Integer accumulation is exact and vectorises; the common scale is irrelevant to argmax.
        let mut sum = [0i32; NT];
        for &f in feats {
            let row = (f >> self.shift) as usize * NT;
            let r: &[i16; NT] = self.w[row..row + NT].try_into().unwrap();
            for t in 0..NT {
                sum[t] += i32::from(r[t]);
            }
        }
        for t in 0..NT {
            acc[t] += sum[t] as f32;
        }
    }
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> Result<u64, ModelError> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let &b = bytes.get(*pos).ok_or(ModelError::Corrupt(*pos))?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
        shift += 7;
        if shift > 63 {
            return Err(ModelError::Corrupt(*pos));
        }
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Averaged perceptron weights during training (Daumé's lazy averaging: `avg = w - u / c`).
pub(crate) struct Trainer {
    shift: u32,
    w: Vec<f32>,
    u: Vec<f64>,
    c: f64,
}

impl Trainer {
    pub(crate) fn new(bits: u32) -> Trainer {
        let size = (1usize << bits) * NT;
        Trainer {
            shift: 64 - bits,
            w: vec![0.0; size],
            u: vec![0.0; size],
            c: 1.0,
        }
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

/// Quantises weights (`2^bits * NT` of them) and writes the model file; weights whose
/// quantised magnitude is below `prune` are dropped to keep the file small.
pub(crate) fn to_bytes(avg: &[f32], bits: u32, stacked: bool, prune: i32) -> Vec<u8> {
    {
        let max = avg.iter().fold(0f32, |m, &v| m.max(v.abs())).max(1e-9);
        // Keep headroom so sums of ~100 features cannot overflow i32 (they cannot anyway) and
        // single weights fit i16.
        let scale = 32_000.0 / max;
        let mut body = Vec::new();
        let mut nrows = 0u32;
        let mut last = 0usize;
        let mut q = [0i32; NT];
        for row in 0..(1usize << bits) {
            let mut mask = 0u32;
            for t in 0..NT {
                let v = (avg[row * NT + t] * scale).round() as i32;
                q[t] = if v.abs() < prune { 0 } else { v };
                if q[t] != 0 {
                    mask |= 1 << t;
                }
            }
            if mask == 0 {
                continue;
            }
            write_varint(
                &mut body,
                if nrows == 0 {
                    row as u64
                } else {
                    (row - last) as u64
                },
            );
            last = row;
            nrows += 1;
            body.extend_from_slice(&mask.to_le_bytes()[..3]);
            for &v in &q {
                if v != 0 {
                    let z = ((v << 1) ^ (v >> 31)) as u32;
                    write_varint(&mut body, u64::from(z));
                }
            }
        }
        let mut out = Vec::with_capacity(body.len() + HEADER);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(&nrows.to_le_bytes());
        out.extend_from_slice(&(NT as u32).to_le_bytes());
        out.extend_from_slice(&u32::from(stacked).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }
}

impl Model for Trainer {
    #[inline]
    fn score(&self, feats: &[u64], acc: &mut [f32; NT]) {
        for &f in feats {
            let row = (f >> self.shift) as usize * NT;
            let r: &[f32; NT] = self.w[row..row + NT].try_into().unwrap();
            for t in 0..NT {
                acc[t] += r[t];
            }
        }
    }

    #[inline]
    fn add(&mut self, feats: &[u64], tag: u8, delta: f32) {
        let t = usize::from(tag);
        for &f in feats {
            let row = (f >> self.shift) as usize * NT + t;
            self.w[row] += delta;
            self.u[row] += self.c * f64::from(delta);
        }
    }

    #[inline]
    fn tick(&mut self) {
        self.c += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_round_trip_keeps_scores() {
        let mut t = Trainer::new(12);
        let feats = [crate::hash::feat(4, 99), crate::hash::feat(7, 3)];
        for _ in 0..3 {
            t.tick();
            t.add(&feats, 5, 1.0);
            t.add(&feats, 0, -1.0);
        }
        t.tick();
        t.add(&feats[..1], 0, 1.0);
        t.add(&feats[..1], 2, -1.0);
        t.tick();
        let bytes = to_bytes(&t.averaged(), 12, false, 0);
        let q = QModel::from_bytes(&bytes).unwrap();
        let mut a = [0f32; NT];
        let mut b = [0f32; NT];
        Model::score(&t, &feats, &mut a);
        q.score(&feats, &mut b);
        let argmax = |s: &[f32; NT]| (0..NT).max_by(|&x, &y| s[x].total_cmp(&s[y])).unwrap();
        assert_eq!(argmax(&a), 5);
        assert_eq!(argmax(&b), 5);
        assert!(b[5] > 0.0 && b[0] < 0.0 && b[2] < 0.0);
        assert!(matches!(
            QModel::from_bytes(b"nonsense"),
            Err(ModelError::BadMagic)
        ));
        let mut bad = bytes.clone();
        bad.truncate(bytes.len() - 1);
        assert!(QModel::from_bytes(&bad).is_err());
    }
}
