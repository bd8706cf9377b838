//! Compact encodings of the numeric part of a [`crate::State`] (centroids, postings, document
//! frequencies). Each is one byte string of little-endian numbers and varints; in
//! human-readable formats (JSON) it is written as base64 text, so a state parses as a few
//! long strings rather than millions of numbers, and loads in milliseconds.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::vectors::{Centroid, DF_SLOTS, DocFreq};

/// Writes a byte string: raw bytes in binary formats, base64 text in human-readable ones.
fn put<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        s.serialize_str(&BASE64.encode(bytes))
    } else {
        s.serialize_bytes(bytes)
    }
}

/// Reads what [`put`] wrote.
fn get<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    struct Bytes;
    impl<'de> Visitor<'de> for Bytes {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte string or its base64 text")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
            BASE64.decode(v).map_err(E::custom)
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Vec<u8>, A::Error> {
            let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
            while let Some(b) = a.next_element()? {
                v.push(b);
            }
            Ok(v)
        }
    }
    if d.is_human_readable() {
        d.deserialize_str(Bytes)
    } else {
        d.deserialize_byte_buf(Bytes)
    }
}

/// Appends numbers to a byte string.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads numbers back; every read checks the length (a damaged state is an error, not a
/// panic).
struct Reader<'a> {
    b: &'a [u8],
}

/// Why an encoded part of a state could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("{0}: truncated")]
    Truncated(&'static str),
    #[error("{0}: malformed")]
    Malformed(&'static str),
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let (head, rest) = self
            .b
            .split_first_chunk::<N>()
            .ok_or(WireError::Truncated(what))?;
        self.b = rest;
        Ok(*head)
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, WireError> {
        // Most numbers here fit one byte.
        if let Some((&b, rest)) = self.b.split_first()
            && b < 0x80
        {
            self.b = rest;
            return Ok(u64::from(b));
        }
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let [b] = self.take::<1>(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(WireError::Malformed(what))
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, WireError> {
        self.take::<8>(what).map(u64::from_le_bytes)
    }

    fn f32(&mut self, what: &'static str) -> Result<f32, WireError> {
        self.take::<4>(what).map(f32::from_le_bytes)
    }

    /// A count of items of at least `min_bytes` each: more than the rest could hold is
    /// damage (and must not reserve memory).
    fn count(&mut self, what: &'static str, min_bytes: usize) -> Result<usize, WireError> {
        let n = self.varint(what)? as usize;
        if n.saturating_mul(min_bytes) > self.b.len() {
            return Err(WireError::Truncated(what));
        }
        Ok(n)
    }

    fn end(&self, what: &'static str) -> Result<(), WireError> {
        if self.b.is_empty() {
            Ok(())
        } else {
            Err(WireError::Malformed(what))
        }
    }
}

/// A centroid: term count, the terms (sorted), the weights, the squared norm (exact bits).
pub(crate) mod centroid {
    use super::*;

    pub(crate) fn encode(c: &Centroid) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(c.w.len() * 12 + 8));
        w.varint(c.w.len() as u64);
        c.w.iter().for_each(|&(t, _)| w.u64(t));
        c.w.iter().for_each(|&(_, x)| w.f32(x));
        w.f32(c.norm2);
        w.0
    }

    pub(crate) fn decode(b: &[u8]) -> Result<Centroid, WireError> {
        const WHAT: &str = "centroid";
        let mut r = Reader { b };
        let n = r.count(WHAT, 12)?;
        let mut w = Vec::with_capacity(n);
        for _ in 0..n {
            w.push((r.u64(WHAT)?, 0.0));
        }
        if w.windows(2).any(|p| p[0].0 >= p[1].0) {
            return Err(WireError::Malformed(WHAT));
        }
        for x in &mut w {
            x.1 = r.f32(WHAT)?;
        }
        let norm2 = r.f32(WHAT)?;
        r.end(WHAT)?;
        Ok(Centroid { w, norm2 })
    }

    pub(crate) fn serialize<S: Serializer>(c: &Centroid, s: S) -> Result<S::Ok, S::Error> {
        put(&encode(c), s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Centroid, D::Error> {
        decode(&get(d)?).map_err(de::Error::custom)
    }
}

/// Encoded parts kept as bytes in a state (written by [`put`], read by [`get`]).
pub(crate) mod bytes {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        put(b, s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        get(d)
    }
}

/// The document-frequency sketch, in blocks of 64 counters: for each block holding a
/// non-zero counter, the number of empty blocks before it (varint), a mask of its non-zero
/// counters (u64), then each of those counters as one byte (1-254) or as 255 and the counter
/// (u32). Masks are computed without branches and only set bits are visited, so a sketch of
/// millions of counters encodes and decodes in milliseconds; a young store's sketch takes a
/// few bytes.
pub(crate) mod doc_freq {
    use super::*;

    const BLOCK: usize = 64;
    const WHAT: &str = "document frequencies";

    pub(crate) fn encode(df: &DocFreq) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(df.rows.len() / 4));
        let mut skip = 0u64;
        for chunk in df.rows.chunks_exact(BLOCK) {
            let mask = chunk
                .iter()
                .enumerate()
                .fold(0u64, |m, (j, &x)| m | (u64::from(x != 0) << j));
            if mask == 0 {
                skip += 1;
                continue;
            }
            w.varint(skip);
            skip = 0;
            w.u64(mask);
            for j in bits(mask) {
                match u8::try_from(chunk[j]) {
                    Ok(x) if x < u8::MAX => w.0.push(x),
                    _ => {
                        w.0.push(u8::MAX);
                        w.0.extend_from_slice(&chunk[j].to_le_bytes());
                    }
                }
            }
        }
        w.0
    }

    /// Reads an encoded sketch, handing every non-zero counter to `f` (slot, value).
    fn walk(b: &[u8], mut f: impl FnMut(usize, u32)) -> Result<(), WireError> {
        let mut r = Reader { b };
        let mut block = 0usize;
        while !r.b.is_empty() {
            block = block.saturating_add(r.varint(WHAT)? as usize);
            if block >= DF_SLOTS / BLOCK {
                return Err(WireError::Malformed(WHAT));
            }
            let mask = r.u64(WHAT)?;
            if mask == 0 {
                return Err(WireError::Malformed(WHAT));
            }
            for j in bits(mask) {
                let x = match r.take::<1>(WHAT)? {
                    [0] => return Err(WireError::Malformed(WHAT)),
                    [u8::MAX] => u32::from_le_bytes(r.take::<4>(WHAT)?),
                    [x] => u32::from(x),
                };
                f(block * BLOCK + j, x);
            }
            block += 1;
        }
        Ok(())
    }

    /// Checks an encoded sketch without building it.
    pub(crate) fn validate(b: &[u8]) -> Result<(), WireError> {
        walk(b, |_, _| ())
    }

    pub(crate) fn decode(b: &[u8]) -> Result<DocFreq, WireError> {
        let mut df = DocFreq::new();
        walk(b, |i, x| df.rows[i] = x)?;
        Ok(df)
    }

    /// Indices of the set bits of `m`, lowest first.
    fn bits(mut m: u64) -> impl Iterator<Item = usize> {
        std::iter::from_fn(move || {
            (m != 0).then(|| {
                let j = m.trailing_zeros() as usize;
                m &= m - 1;
                j
            })
        })
    }
}

/// Postings: per term (increasing), the term (u64), its list's length and its entries
/// (varints: indices into the state's events or threads, in the list's order).
pub(crate) mod postings {
    use super::*;
    use rustc_hash::FxHashMap;

    pub(crate) type Postings = FxHashMap<u64, Vec<u32>>;

    const WHAT: &str = "postings";

    /// Encodes `p` with every entry mapped by `map` (None drops it; empty lists go).
    pub(crate) fn encode(p: &Postings, map: impl Fn(u32) -> Option<u32>) -> Vec<u8> {
        let mut terms: Vec<(u64, &Vec<u32>)> = p.iter().map(|(&t, l)| (t, l)).collect();
        terms.sort_unstable_by_key(|x| x.0);
        let mut w = Writer(Vec::with_capacity(terms.len() * 16));
        let mut list = Vec::new();
        for (t, entries) in terms {
            list.clear();
            list.extend(entries.iter().filter_map(|&x| map(x)));
            if list.is_empty() {
                continue;
            }
            w.u64(t);
            w.varint(list.len() as u64);
            list.iter().for_each(|&x| w.varint(u64::from(x)));
        }
        w.0
    }

    /// Reads encoded postings whose entries are below `n`, handing every entry to `f` with
    /// its term and its list's length.
    fn walk(b: &[u8], n: usize, mut f: impl FnMut(u64, usize, u32)) -> Result<(), WireError> {
        let mut r = Reader { b };
        let mut last: Option<u64> = None;
        while !r.b.is_empty() {
            let t = r.u64(WHAT)?;
            let len = r.count(WHAT, 1)?;
            if len == 0 || last.is_some_and(|l| l >= t) {
                return Err(WireError::Malformed(WHAT));
            }
            last = Some(t);
            for _ in 0..len {
                match r.varint(WHAT)? {
                    x if x < n as u64 => f(t, len, x as u32),
                    _ => return Err(WireError::Malformed(WHAT)),
                }
            }
        }
        Ok(())
    }

    /// Checks encoded postings (entries below `n`) without building them.
    pub(crate) fn validate(b: &[u8], n: usize) -> Result<(), WireError> {
        walk(b, n, |_, _, _| ())
    }

    pub(crate) fn decode(b: &[u8], n: usize) -> Result<Postings, WireError> {
        let mut lists: Vec<(u64, Vec<u32>)> = Vec::new();
        walk(b, n, |t, len, x| {
            // Terms strictly increase, so a new term starts a new list.
            if lists.last().is_none_or(|(u, _)| *u != t) {
                lists.push((t, Vec::with_capacity(len)));
            }
            if let Some((_, l)) = lists.last_mut() {
                l.push(x);
            }
        })?;
        let mut out = Postings::with_capacity_and_hasher(lists.len(), Default::default());
        out.extend(lists);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip_and_reject_damage() {
        let c = Centroid {
            w: vec![(3, 0.5), (u64::MAX, -1.25)],
            norm2: 1.8125,
        };
        let b = centroid::encode(&c);
        assert_eq!(centroid::decode(&b), Ok(c));
        assert!(centroid::decode(&b[..b.len() - 1]).is_err());

        let mut df = DocFreq::new();
        df.add(7);
        df.add(7);
        df.add(1 << 40);
        for _ in 0..300 {
            df.add(9);
        }
        let b = doc_freq::encode(&df);
        assert!(b.len() < 64, "sparse: {} bytes", b.len());
        assert_eq!(doc_freq::validate(&b), Ok(()));
        assert!(doc_freq::decode(&b).is_ok_and(|d| d == df));
        assert!(doc_freq::validate(&b[..b.len() - 2]).is_err());
        assert_eq!(doc_freq::encode(&DocFreq::new()), Vec::<u8>::new());

        let p: postings::Postings = [(9u64, vec![1u32, 5, 1]), (1, vec![300])]
            .into_iter()
            .collect();
        let b = postings::encode(&p, Some);
        assert_eq!(postings::decode(&b, 301), Ok(p.clone()));
        assert!(
            postings::validate(&b, 300).is_err(),
            "an entry out of range"
        );
        assert!(postings::validate(&b[..b.len() - 1], 301).is_err());
        let kept = postings::encode(&p, |x| (x != 300).then_some(x));
        assert_eq!(postings::decode(&kept, 301).unwrap().len(), 1);
    }
}
