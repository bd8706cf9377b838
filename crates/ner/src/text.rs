//! Per-token analysis: normalised word hashes, affixes, shape and orthographic flags,
//! computed in one pass over the characters without allocating.

use crate::hash::{Fnv, str_hash};

/// Orthographic flags of one token.
pub(crate) mod flag {
    pub const INIT_CAP: u32 = 1;
    pub const ALL_CAPS: u32 = 1 << 1;
    pub const ALL_LOWER: u32 = 1 << 2;
    pub const HAS_DIGIT: u32 = 1 << 3;
    pub const ALL_DIGIT: u32 = 1 << 4;
    pub const HAS_HYPHEN: u32 = 1 << 5;
    pub const HAS_PERIOD: u32 = 1 << 6;
    pub const HAS_APOS: u32 = 1 << 7;
    pub const NO_ALNUM: u32 = 1 << 8;
    pub const ONE_CHAR: u32 = 1 << 9;
    /// Lower-case particle joined to a capitalised name: "al-Sharaa", "d'Alema".
    pub const PARTICLE_CAP: u32 = 1 << 10;
    /// Capital after the first letter in a mixed-case word: "McDonald", "iPhone".
    pub const INNER_CAP: u32 = 1 << 11;
    pub const LONG: u32 = 1 << 12;
    /// Bits that describe capitalisation (used in conjunctions).
    pub const CAPS: u32 = INIT_CAP | ALL_CAPS | ALL_LOWER | PARTICLE_CAP | INNER_CAP;
}

/// What the features need to know about one token.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokenInfo {
    /// Normalised word, case kept (quotes unified, digits as 0).
    pub exact: u64,
    /// Normalised word, lower case.
    pub lower: u64,
    /// Collapsed shape ("Xx", "X.X.", "d-d", "x-Xx").
    pub shape: u64,
    /// Lower-case prefixes and suffixes of 1..=4 chars (0 when the word is shorter).
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    pub flags: u32,
    /// Gazetteer membership: bit `cat * 4 + pos` (BILOU position in the longest match).
    pub gaz: u64,
    /// Document-level evidence (see `features::doc_flags`).
    pub doc: u32,
    /// Word-cluster id (0 when unknown).
    pub cluster: u32,
    /// Key for document-level evidence: the lower-case form, without a joined particle
    /// ("al-Assad" counts as "Assad"), so a headline's "Assad" and the body's "al-Assad" agree.
    pub key: u64,
}

/// Maps typographic variants to their ASCII forms so news text looks like the training data.
#[inline]
pub(crate) fn norm_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '0'..='9' => '0',
        _ => c,
    }
}

#[inline]
fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        // Single-char lowercase is enough for hashing; rare multi-char expansions keep the first.
        c.to_lowercase().next().unwrap_or(c)
    }
}

#[inline]
fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// Hash of a token's normalised form, case kept or lowered (the gazetteer keys use these).
pub(crate) fn word_hashes(token: &str) -> (u64, u64) {
    let mut exact = Fnv::new();
    let mut lower = Fnv::new();
    for c in token.chars() {
        let c = norm_char(c);
        exact.push(c);
        lower.push(lower_char(c));
    }
    (exact.finish(), lower.finish())
}

/// Analyses one token.
pub(crate) fn analyse(token: &str) -> TokenInfo {
    let mut exact = Fnv::new();
    let mut lower = Fnv::new();
    let mut shape = Fnv::new();
    let mut pre = [0u64; 4];
    let mut last = ['\0'; 4];
    let mut n = 0usize;
    let mut last_class = '\u{0}';
    let (mut upper, mut lowerc, mut digits, mut alnum) = (0usize, 0usize, 0usize, 0usize);
    let mut flags = 0u32;
    let mut first_upper = false;
    let mut inner_cap = false;
    // For PARTICLE_CAP: lower-case run, then '-' or '\'', then an upper-case letter.
    let mut particle_state = 0u8; // 0 start, 1 in lower run, 2 after joiner, 3 matched, 9 failed
    let mut after = Fnv::new();
    let mut prefix = ['\0'; 4];
    let mut prefix_len = 0usize;
    for c in token.chars() {
        let c = norm_char(c);
        let lc = lower_char(c);
        exact.push(c);
        lower.push(lc);
        if n < 4 {
            // `lower` already includes this char: its state is the prefix hash.
            pre[n] = lower.finish();
        }
        last[n % 4] = lc;
        let class = shape_class(c);
        if class != last_class {
            shape.push(class);
            last_class = class;
        }
        if c.is_uppercase() {
            upper += 1;
            if n == 0 {
                first_upper = true;
            } else if lowerc > 0 {
                inner_cap = true;
            }
        } else if c.is_alphabetic() {
            lowerc += 1;
        }
        if c.is_numeric() {
            digits += 1;
        }
        if c.is_alphanumeric() {
            alnum += 1;
        }
        match c {
            '-' => flags |= flag::HAS_HYPHEN,
            '.' => flags |= flag::HAS_PERIOD,
            '\'' => flags |= flag::HAS_APOS,
            _ => {}
        }
        particle_state = match (particle_state, c) {
            (0 | 1, c) if c.is_lowercase() => 1,
            (1, '-' | '\'') => 2,
            (2, c) if c.is_uppercase() => 3,
            (3, _) => 3,
            _ => 9,
        };
        if particle_state == 1 {
            if prefix_len < 4 {
                prefix[prefix_len] = c;
            }
            prefix_len += 1;
        }
        if particle_state == 3 {
            after.push(lc);
        }
        n += 1;
    }
    let mut suf = [0u64; 4];
    for (k, s) in suf.iter_mut().enumerate() {
        if k < n {
            let mut h = Fnv::new();
            for j in (0..=k).rev() {
                h.push(last[(n - 1 - j) % 4]);
            }
            *s = h.finish();
        }
    }
    let letters = upper + lowerc;
    if first_upper {
        flags |= flag::INIT_CAP;
    }
    if letters > 0 && lowerc == 0 {
        flags |= flag::ALL_CAPS;
    }
    if letters > 0 && upper == 0 {
        flags |= flag::ALL_LOWER;
    }
    if digits > 0 {
        flags |= flag::HAS_DIGIT;
        if letters == 0 {
            flags |= flag::ALL_DIGIT;
        }
    }
    if alnum == 0 {
        flags |= flag::NO_ALNUM;
    }
    if n == 1 {
        flags |= flag::ONE_CHAR;
    }
    if n > 12 {
        flags |= flag::LONG;
    }
    if particle_state == 3 {
        flags |= flag::PARTICLE_CAP;
        flags &= !flag::ALL_LOWER;
    }
    if inner_cap && first_upper {
        flags |= flag::INNER_CAP;
    }
    let lower = lower.finish();
    TokenInfo {
        exact: exact.finish(),
        lower,
        key: if particle_state == 3 && prefix_len <= 4 && is_joined_particle(&prefix[..prefix_len])
        {
            after.finish()
        } else {
            lower
        },
        shape: shape.finish(),
        pre,
        suf,
        flags,
        gaz: 0,
        doc: 0,
        cluster: 0,
    }
}

/// Particles written joined to a name ("al-Assad", "d'Alema"), as listed with a trailing
/// joiner in `data/gazetteer/name_particles.txt`; "pro-Moscow" or "ex-Yugoslav" are not names.
fn is_joined_particle(p: &[char]) -> bool {
    const JOINED: &[&str] = &[
        "ad", "adh", "al", "an", "ar", "as", "ash", "at", "ath", "az", "d", "dell", "ed", "edh",
        "el", "en", "er", "es", "esh", "et", "eth", "ez", "l", "ul",
    ];
    JOINED.iter().any(|j| j.chars().eq(p.iter().copied()))
}

/// Sentence padding tokens for the feature window.
pub(crate) fn pad(name: &str) -> TokenInfo {
    let h = str_hash(name);
    TokenInfo {
        exact: h,
        lower: h,
        key: h,
        shape: h,
        pre: [0; 4],
        suf: [0; 4],
        flags: 0,
        gaz: 0,
        doc: 0,
        cluster: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_flags() {
        let a = analyse("Hay’at");
        let b = analyse("Hay'at");
        assert_eq!(a.exact, b.exact);
        assert_eq!(analyse("1996").exact, analyse("2024").exact);
        assert_ne!(analyse("Moscow").exact, analyse("MOSCOW").exact);
        assert_eq!(analyse("Moscow").lower, analyse("MOSCOW").lower);
        assert_eq!(analyse("Moscow").suf[2], analyse("cow").lower);
        assert_eq!(analyse("Moscow").pre[2], analyse("mos").lower);
        assert!(analyse("al-Sharaa").flags & flag::PARTICLE_CAP != 0);
        assert!(analyse("al-qaeda").flags & flag::PARTICLE_CAP == 0);
        assert!(analyse("U.S.").flags & flag::ALL_CAPS != 0);
        assert!(analyse("McDonald").flags & flag::INNER_CAP != 0);
        assert_eq!(analyse("Xxxx").shape, analyse("Moscow").shape);
        assert_eq!(word_hashes("Putin").0, analyse("Putin").exact);
        assert_eq!(analyse("al-Assad").key, analyse("Assad").lower);
        assert_eq!(analyse("Assad").key, analyse("Assad").lower);
        assert_eq!(analyse("pro-Moscow").key, analyse("pro-Moscow").lower);
    }
}
