//! The model file: one binary file holding every part (tag and label sets, the three weight
//! tables, the lemma rules and exceptions, the contraction splits), embedded into the crate
//! with `include_bytes!`. Strings are stored as length-prefixed UTF-8 and borrowed from the
//! file at run time, so lemmas from the tables cost no allocation.

/// Version of the feature set and file layout; stored in the file and checked on load, so a
/// model trained with other features is rejected instead of silently mis-scoring.
pub(crate) const FEATURE_VERSION: u32 = 2;

pub(crate) const MAGIC: &[u8; 8] = b"CCSYNTX\x01";

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a crosscheck syntax model (bad magic)")]
    BadMagic,
    #[error("model was trained with feature set {found}, this build uses {expected}: retrain it")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("model file is truncated or corrupt at byte {0}")]
    Corrupt(usize),
    #[error("model file names an unknown tag or relation at byte {0}")]
    UnknownTag(usize),
    #[error("models/ner/clusters.tsv changed since the syntax model was trained: retrain it")]
    ClustersChanged,
}

/// Sequential reader over the model bytes; every read is bounds-checked.
pub(crate) struct ByteReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> ByteReader<'a> {
        ByteReader { bytes, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(ModelError::Corrupt(self.pos))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(ModelError::Corrupt(self.pos));
            }
        }
    }

    /// A length-prefixed UTF-8 string.
    pub(crate) fn str(&mut self) -> Result<&'a str, ModelError> {
        let n = self.varint()? as usize;
        let at = self.pos;
        std::str::from_utf8(self.take(n)?).map_err(|_| ModelError::Corrupt(at))
    }
}

pub(crate) fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_round_trip_and_bounds() {
        let mut out = Vec::new();
        write_varint(&mut out, 300);
        write_str(&mut out, "indict");
        out.extend_from_slice(&7u32.to_le_bytes());
        let mut r = ByteReader::new(&out);
        assert_eq!(r.varint().unwrap(), 300);
        assert_eq!(r.str().unwrap(), "indict");
        assert_eq!(r.u32().unwrap(), 7);
        assert!(r.u8().is_err());
    }
}
