//! Feature hashing: 64-bit FNV-1a over characters, MurmurHash3's finaliser, and
//! combinators. Weight tables are indexed by the top bits of these hashes, so the functions
//! here are part of the model file format: changing them invalidates trained models (bump
//! `FEATURE_VERSION` in `model.rs`).

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// Incremental FNV-1a state over chars (fed as UTF-8 bytes).
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    #[inline]
    pub(crate) fn new() -> Self {
        Fnv(FNV_OFFSET)
    }

    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.byte(c as u8);
        } else {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                self.byte(b);
            }
        }
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(FNV_PRIME);
    }

    #[inline]
    pub(crate) fn finish(self) -> u64 {
        fmix(self.0)
    }
}

/// MurmurHash3's 64-bit finaliser: spreads entropy into the top bits used as row index.
#[inline]
pub(crate) fn fmix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// Order-sensitive combination of two values (cheap: one multiply; the final `feat` mixes).
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    a.wrapping_mul(GOLDEN).rotate_left(23) ^ b
}

/// The hash of feature template `t` with (already combined) value `v`. Only the top bits
/// index the weight table, and the top bits of a product depend on every bit of the
/// multiplicand: one multiply is enough (this runs ~200 times per word).
#[inline]
pub(crate) fn feat(t: u32, v: u64) -> u64 {
    (v ^ u64::from(t + 1).wrapping_mul(0xd6e8_feb8_6659_fd93)).wrapping_mul(0x9fb2_1c65_1e98_df25)
}

/// The hash of a plain string, for constants and table keys.
pub(crate) fn str_hash(s: &str) -> u64 {
    let mut h = Fnv::new();
    for c in s.chars() {
        h.push(c);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_order_sensitive() {
        // Fixed values: a trained model depends on them, so a change must be deliberate.
        assert_eq!(fmix(1), 0xb456_bcfc_34c2_cb2c);
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_ne!(feat(1, 7), feat(2, 7));
        assert_ne!(str_hash("said"), str_hash("Said"));
    }
}
