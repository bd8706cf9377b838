//! A single-pass, allocation-light tokenizer: words, digit runs and punctuation with byte
//! offsets, each word looked up once in the lexicon. Joining hyphens ("third-quarter",
//! "mid-1990s") are dropped and flagged on the following token, so rules treat "two-year" like
//! "two year" while spans still cover the hyphen.

use crate::lexicon::{Lex, LexMap, MAX_WORD};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    /// Byte offsets into the text.
    pub s: u32,
    pub e: u32,
    pub kind: Kind,
    pub lex: Lex,
    /// Value of a digit run (saturating), 0 otherwise.
    pub num: u32,
    /// Digits in a digit run; 0 for other tokens.
    pub ndig: u8,
    /// First letter upper case.
    pub cap: bool,
    /// No white space between the previous token and this one.
    pub adj: bool,
    /// Joined to the previous token by a single hyphen.
    pub hy: bool,
    /// A line break precedes this token.
    pub nl: bool,
    /// For punctuation, the ASCII character (curly quotes map to their ASCII forms); 0 else.
    pub ch: u8,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

pub(crate) fn tokenize(text: &str, lex: &LexMap, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut adj = false;
    let mut nl = false;
    let mut hy = false;
    let mut buf = [0u8; MAX_WORD + 2];
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            if c == b'\n' {
                nl = true;
            }
            adj = false;
            hy = false;
            i += 1;
            continue;
        }
        let start = i;
        let mut tok = Tok {
            s: start as u32,
            e: 0,
            kind: Kind::Punct,
            lex: Lex::None,
            num: 0,
            ndig: 0,
            cap: false,
            adj,
            hy,
            nl,
            ch: 0,
        };
        if is_word_byte(c) || c >= 0x80 && starts_alpha(text, i) {
            // Word: letters, plus non-ASCII letters (so "Café" stays one word).
            while i < n {
                if is_word_byte(b[i]) {
                    i += 1;
                } else if b[i] >= 0x80 && starts_alpha(text, i) {
                    i += utf8_len(b[i]);
                } else {
                    break;
                }
            }
            // Dotted abbreviations of single letters: a.m., p.m., U.S.
            if i - start == 1 && i + 1 < n && b[i] == b'.' && is_word_byte(b[i + 1]) {
                let mut k = i;
                while k + 1 < n && b[k] == b'.' && is_word_byte(b[k + 1]) {
                    if k + 2 < n && is_word_byte(b[k + 2]) {
                        break;
                    }
                    k += 2;
                }
                if k > i {
                    i = k;
                    if i < n && b[i] == b'.' {
                        i += 1;
                    }
                }
            }
            tok.kind = Kind::Word;
            tok.cap = c.is_ascii_uppercase();
            let len = i - start;
            if len <= MAX_WORD && b[start..i].is_ascii() {
                for (k, &x) in b[start..i].iter().enumerate() {
                    buf[k] = x.to_ascii_lowercase();
                }
                let l = lex.get(&buf[..len]).copied().unwrap_or(Lex::None);
                // Abbreviated month and day names take their period ("Sept.", "Tues.").
                if let Lex::Month(_, true) | Lex::Weekday(_, true) = l
                    && i < n
                    && b[i] == b'.'
                {
                    i += 1;
                }
                tok.lex = l;
            }
        } else if c.is_ascii_digit() {
            let mut v: u32 = 0;
            while i < n && b[i].is_ascii_digit() {
                v = v.saturating_mul(10).saturating_add((b[i] - b'0') as u32);
                i += 1;
            }
            tok.kind = Kind::Num;
            tok.num = v;
            tok.ndig = (i - start).min(255) as u8;
        } else {
            tok.kind = Kind::Punct;
            if c < 0x80 {
                // A single hyphen between two alphanumerics joins them.
                if c == b'-'
                    && start > 0
                    && b[start - 1].is_ascii_alphanumeric()
                    && i + 1 < n
                    && b[i + 1].is_ascii_alphanumeric()
                {
                    i += 1;
                    adj = true;
                    hy = true;
                    nl = false;
                    continue;
                }
                tok.ch = c;
                i += 1;
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                let w = ch.len_utf8();
                if ch.is_whitespace() {
                    i += w;
                    adj = false;
                    hy = false;
                    continue;
                }
                tok.ch = match ch {
                    '\u{2018}' | '\u{2019}' => b'\'',
                    '\u{201C}' | '\u{201D}' => b'"',
                    '\u{2013}' | '\u{2014}' => b'-',
                    _ => 0,
                };
                i += w;
            }
        }
        tok.e = i as u32;
        out.push(tok);
        adj = true;
        hy = false;
        nl = false;
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

fn starts_alpha(text: &str, i: usize) -> bool {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_alphabetic())
}
