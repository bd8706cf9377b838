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
        let terms = (0..n).map(|_| r.u64(WHAT)).collect::<Result<Vec<_>, _>>()?;
        if terms.windows(2).any(|p| p[0] >= p[1]) {
            return Err(WireError::Malformed(WHAT));
        }
        let mut w = Vec::with_capacity(n);
        for t in terms {
            w.push((t, r.f32(WHAT)?));
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

/// The document-frequency sketch: every counter as a varint, a run of zeros as a zero and
/// the run's length. Counters are mostly small, so a full sketch takes about a byte per
/// counter and an empty one a few bytes.
pub(crate) mod doc_freq {
    use super::*;

    pub(crate) fn encode(df: &DocFreq) -> Vec<u8> {
        let mut w = Writer::default();
        let mut zeros = 0u64;
        for &x in &df.rows {
            if x == 0 {
                zeros += 1;
                continue;
            }
            if zeros > 0 {
                w.varint(0);
                w.varint(zeros);
                zeros = 0;
            }
            w.varint(u64::from(x));
        }
        if zeros > 0 {
            w.varint(0);
            w.varint(zeros);
        }
        w.0
    }

    pub(crate) fn decode(b: &[u8]) -> Result<DocFreq, WireError> {
        const WHAT: &str = "document frequencies";
        let mut df = DocFreq::new();
        let mut r = Reader { b };
        let mut i = 0usize;
        while !r.b.is_empty() {
            let x = r.varint(WHAT)?;
            if x == 0 {
                i = i.saturating_add(r.varint(WHAT)? as usize);
                continue;
            }
            let slot = df.rows.get_mut(i).ok_or(WireError::Malformed(WHAT))?;
            *slot = u32::try_from(x).map_err(|_| WireError::Malformed(WHAT))?;
            i += 1;
        }
        if i != DF_SLOTS {
            return Err(WireError::Malformed(WHAT));
        }
        Ok(df)
    }

    pub(crate) fn serialize<S: Serializer>(df: &DocFreq, s: S) -> Result<S::Ok, S::Error> {
        put(&encode(df), s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DocFreq, D::Error> {
        decode(&get(d)?).map_err(de::Error::custom)
    }
}

/// Postings: term count, then per term (sorted) the term, its list's length and its entries
/// (indices into the state's events or threads, in their order).
pub(crate) mod postings {
    use super::*;

    pub(crate) type Postings = Vec<(u64, Vec<u32>)>;

    pub(crate) fn encode(p: &Postings) -> Vec<u8> {
        let mut w = Writer::default();
        w.varint(p.len() as u64);
        for (t, list) in p {
            w.u64(*t);
            w.varint(list.len() as u64);
            list.iter().for_each(|&x| w.varint(u64::from(x)));
        }
        w.0
    }

    pub(crate) fn decode(b: &[u8]) -> Result<Postings, WireError> {
        const WHAT: &str = "postings";
        let mut r = Reader { b };
        let n = r.count(WHAT, 9)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let t = r.u64(WHAT)?;
            let len = r.count(WHAT, 1)?;
            let list = (0..len)
                .map(|_| {
                    let x = r.varint(WHAT)?;
                    u32::try_from(x).map_err(|_| WireError::Malformed(WHAT))
                })
                .collect::<Result<Vec<u32>, _>>()?;
            out.push((t, list));
        }
        r.end(WHAT)?;
        Ok(out)
    }

    pub(crate) fn serialize<S: Serializer>(p: &Postings, s: S) -> Result<S::Ok, S::Error> {
        put(&encode(p), s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Postings, D::Error> {
        decode(&get(d)?).map_err(de::Error::custom)
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
        let b = doc_freq::encode(&df);
        assert!(b.len() < 32, "sparse: {} bytes", b.len());
        assert!(doc_freq::decode(&b).is_ok_and(|d| d == df));
        assert!(doc_freq::decode(&b[..b.len() - 2]).is_err());

        let p = vec![(1u64, vec![0u32, 5, 0]), (9, vec![300])];
        let b = postings::encode(&p);
        assert_eq!(postings::decode(&b), Ok(p));
        assert!(postings::decode(&b[..b.len() - 1]).is_err());
        assert!(postings::decode(&[0xff; 12]).is_err());
    }
}
