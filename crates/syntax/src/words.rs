//! Per-word analysis: normalised word hashes, affixes, shape and orthographic flags,
//! computed in one pass over the characters without allocating.

use crate::hash::{Fnv, str_hash};

/// Orthographic flags of one word.
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
    pub const LONG: u32 = 1 << 10;
}

/// What the features need to know about one word.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Word {
    /// Normalised word, case kept, digits as 0.
    pub exact: u64,
    /// Normalised word, lower case, digits as 0.
    pub lower: u64,
    /// Normalised word, lower case, digits kept: the key of the lemma tables.
    pub key: u64,
    /// Normalised word, case and digits kept.
    pub ekey: u64,
    /// Collapsed shape ("Xx", "X.X.", "d,d", "x-x").
    pub shape: u64,
    /// Lower-case prefixes of 1..=3 chars and suffixes of 1..=5 chars (0 when shorter).
    pub pre: [u64; 3],
    pub suf: [u64; 5],
    pub flags: u32,
    /// Word-cluster id (0 when unknown).
    pub cluster: u32,
    /// What the training data says about the word's tags (see `lexicon`; 0 when unseen).
    pub lex: u32,
    /// Length in chars (at most 255).
    pub len: u8,
}

/// Maps typographic variants to their ASCII forms, so news text looks like the training data
/// (EWT is mostly ASCII: straight quotes, "-" and "--").
#[inline]
pub(crate) fn norm_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{2026}' => '.',
        _ => c,
    }
}

#[inline]
pub(crate) fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        // One char is enough for hashing; rare multi-char expansions keep the first.
        c.to_lowercase().next().unwrap_or(c)
    }
}

#[inline]
fn fold_digit(c: char) -> char {
    if c.is_ascii_digit() { '0' } else { c }
}

#[inline]
fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// The lemma-table key of a word: normalised, lower case, digits kept.
pub(crate) fn key_of(word: &str) -> u64 {
    let mut h = Fnv::new();
    for c in word.chars() {
        h.push(lower_char(norm_char(c)));
    }
    h.finish()
}

/// The case-sensitive key of a word: normalised, case and digits kept.
pub(crate) fn ekey_of(word: &str) -> u64 {
    let mut h = Fnv::new();
    for c in word.chars() {
        h.push(norm_char(c));
    }
    h.finish()
}

/// The normalised lower-case form (for building tables at training time).
pub(crate) fn normalise_lower(word: &str) -> String {
    word.chars().map(|c| lower_char(norm_char(c))).collect()
}

/// A word as the affix features see it: normalised, lower case, digits as 0.
pub(crate) fn fold_lower(word: &str) -> String {
    word.chars()
        .map(|c| fold_digit(lower_char(norm_char(c))))
        .collect()
}

/// The hash of an affix already in [`fold_lower`] form: equal to [`Word::suf`]`[k - 1]` for
/// the word's last `k` chars (and the empty suffix's hash for `""`).
pub(crate) fn affix_hash(s: &str) -> u64 {
    let mut h = Fnv::new();
    for c in s.chars() {
        h.push(c);
    }
    h.finish()
}

/// Analyses one word.
pub(crate) fn analyse(word: &str) -> Word {
    let mut exact = Fnv::new();
    let mut lower = Fnv::new();
    let mut key = Fnv::new();
    let mut ekey = Fnv::new();
    let mut shape = Fnv::new();
    let mut pre = [0u64; 3];
    let mut last = ['\0'; 5];
    let mut n = 0usize;
    let mut last_class = '\0';
    let mut shape_len = 0;
    let (mut upper, mut lowerc, mut digits, mut alnum) = (0usize, 0usize, 0usize, 0usize);
    let mut flags = 0u32;
    for c in word.chars() {
        let c = norm_char(c);
        let lc = lower_char(c);
        let fc = fold_digit(c);
        let flc = fold_digit(lc);
        exact.push(fc);
        lower.push(flc);
        key.push(lc);
        ekey.push(c);
        if n < 3 {
            // `lower` already includes this char: its state is the prefix hash.
            pre[n] = lower.finish();
        }
        last[n % 5] = flc;
        let class = shape_class(c);
        if class != last_class && shape_len < 8 {
            shape.push(class);
            last_class = class;
            shape_len += 1;
        }
        if c.is_uppercase() {
            upper += 1;
            if n == 0 {
                flags |= flag::INIT_CAP;
            }
        } else if c.is_alphabetic() {
            lowerc += 1;
        }
        digits += usize::from(c.is_numeric());
        alnum += usize::from(c.is_alphanumeric());
        match c {
            '-' => flags |= flag::HAS_HYPHEN,
            '.' => flags |= flag::HAS_PERIOD,
            '\'' => flags |= flag::HAS_APOS,
            _ => {}
        }
        n += 1;
    }
    let mut suf = [0u64; 5];
    for (k, s) in suf.iter_mut().enumerate() {
        if k < n {
            let mut h = Fnv::new();
            for j in (0..=k).rev() {
                h.push(last[(n - 1 - j) % 5]);
            }
            *s = h.finish();
        }
    }
    let letters = upper + lowerc;
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
    Word {
        exact: exact.finish(),
        lower: lower.finish(),
        key: key.finish(),
        ekey: ekey.finish(),
        shape: shape.finish(),
        pre,
        suf,
        flags,
        cluster: 0,
        lex: 0,
        len: n.min(255) as u8,
    }
}

/// A padding word (sentence boundary, parser root).
pub(crate) fn pad(name: &str) -> Word {
    let h = str_hash(name);
    Word {
        exact: h,
        lower: h,
        key: h,
        ekey: h,
        shape: h,
        pre: [h; 3],
        suf: [h; 5],
        flags: 0,
        cluster: 0,
        lex: 0,
        len: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_flags() {
        assert_eq!(analyse("don’t").exact, analyse("don't").exact);
        assert_eq!(analyse("“").exact, analyse("\"").exact);
        assert_eq!(analyse("1996").exact, analyse("2024").exact);
        assert_ne!(analyse("1996").key, analyse("2024").key);
        assert_ne!(analyse("Moscow").exact, analyse("MOSCOW").exact);
        assert_eq!(analyse("Moscow").lower, analyse("MOSCOW").lower);
        assert_eq!(analyse("Moscow").key, key_of("moscow"));
        assert_eq!(analyse("Moscow").suf[2], analyse("cow").lower);
        assert_eq!(analyse("Moscow").pre[2], analyse("mos").lower);
        assert!(analyse("U.S.").flags & flag::ALL_CAPS != 0);
        assert!(analyse("...").flags & flag::NO_ALNUM != 0);
        assert_eq!(analyse("Xxxx").shape, analyse("Moscow").shape);
        assert_eq!(analyse("").flags & flag::NO_ALNUM, flag::NO_ALNUM);
    }
}
