//! The BILOU tag set and conversions between tags and entity spans.

use crate::{EntityKind, EntitySpan};

/// Number of tags: O plus Begin/Inside/Last/Unit for each of the four kinds.
pub(crate) const NT: usize = 17;
/// The "outside" tag.
pub(crate) const O: u8 = 0;
/// Pseudo previous tag at the start of a sentence.
pub(crate) const START: u8 = NT as u8;

const B: u8 = 0;
const I: u8 = 1;
const L: u8 = 2;
const U: u8 = 3;

#[inline]
pub(crate) fn tag(kind: EntityKind, pos: u8) -> u8 {
    1 + kind.index() as u8 * 4 + pos
}

#[inline]
pub(crate) fn kind_of(t: u8) -> Option<EntityKind> {
    if t == O || t >= START {
        None
    } else {
        Some(EntityKind::from_index(usize::from((t - 1) / 4)))
    }
}

#[inline]
fn pos_of(t: u8) -> u8 {
    (t - 1) % 4
}

/// True when the tag leaves no entity open (O, Last, Unit, or sentence start).
#[inline]
pub(crate) fn closes(t: u8) -> bool {
    t == O || t >= START || matches!(pos_of(t), L | U)
}

/// `VALID[prev][cur]`: the BILOU grammar. Greedy decoding masks invalid tags with it, so the
/// output always decodes to well-formed spans.
pub(crate) static VALID: [[bool; NT]; NT + 1] = build_valid();

const fn build_valid() -> [[bool; NT]; NT + 1] {
    let mut v = [[false; NT]; NT + 1];
    let mut p = 0;
    while p <= NT {
        let mut c = 0;
        while c < NT {
            let prev_closed = p == 0 || p == NT || (p - 1) % 4 == 2 || (p - 1) % 4 == 3;
            let ok = if prev_closed {
                c == 0 || (c - 1) % 4 == 0 || (c - 1) % 4 == 3
            } else {
                // An open entity must continue with Inside or Last of the same kind.
                c != 0 && (c - 1) / 4 == (p - 1) / 4 && ((c - 1) % 4 == 1 || (c - 1) % 4 == 2)
            };
            v[p][c] = ok;
            c += 1;
        }
        p += 1;
    }
    v
}

/// Encodes spans (non-overlapping) as BILOU tags over `n` tokens.
pub(crate) fn encode(spans: &[EntitySpan], n: usize) -> Vec<u8> {
    let mut tags = vec![O; n];
    for s in spans {
        if s.end <= s.start || s.end > n {
            continue;
        }
        if s.end - s.start == 1 {
            tags[s.start] = tag(s.kind, U);
        } else {
            tags[s.start] = tag(s.kind, B);
            for t in &mut tags[s.start + 1..s.end - 1] {
                *t = tag(s.kind, I);
            }
            tags[s.end - 1] = tag(s.kind, L);
        }
    }
    tags
}

/// Decodes BILOU tags into spans; tolerant of ill-formed sequences (a Begin without Last
/// closes at the next non-continuing tag).
pub(crate) fn decode(tags: &[u8]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let kind = kind_of(t);
        let pos = if kind.is_some() { pos_of(t) } else { 255 };
        if let Some((start, k)) = open {
            if kind == Some(k) && (pos == I || pos == L) {
                if pos == L {
                    out.push(EntitySpan {
                        start,
                        end: i + 1,
                        kind: k,
                    });
                    open = None;
                }
                continue;
            }
            out.push(EntitySpan {
                start,
                end: i,
                kind: k,
            });
            open = None;
        }
        if let Some(k) = kind {
            match pos {
                U | L => out.push(EntitySpan {
                    start: i,
                    end: i + 1,
                    kind: k,
                }),
                _ => open = Some((i, k)),
            }
        }
    }
    if let Some((start, k)) = open {
        out.push(EntitySpan {
            start,
            end: tags.len(),
            kind: k,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        let spans = vec![
            EntitySpan {
                start: 0,
                end: 2,
                kind: EntityKind::Person,
            },
            EntitySpan {
                start: 3,
                end: 4,
                kind: EntityKind::Place,
            },
            EntitySpan {
                start: 4,
                end: 7,
                kind: EntityKind::Org,
            },
        ];
        let tags = encode(&spans, 8);
        assert_eq!(decode(&tags), spans);
        for w in tags.windows(2) {
            assert!(VALID[w[0] as usize][w[1] as usize]);
        }
        assert!(VALID[START as usize][tags[0] as usize]);
    }

    #[test]
    fn grammar() {
        let b_per = tag(EntityKind::Person, B);
        let l_per = tag(EntityKind::Person, L);
        let l_org = tag(EntityKind::Org, L);
        assert!(VALID[b_per as usize][l_per as usize]);
        assert!(!VALID[b_per as usize][l_org as usize]);
        assert!(!VALID[b_per as usize][O as usize]);
        assert!(!VALID[START as usize][l_per as usize]);
        assert!(closes(l_per) && !closes(b_per));
    }
}
