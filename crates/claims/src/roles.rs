//! People in roles: "Nebraska Attorney General Jon Bruning", "David Axelrod, the president's
//! top political adviser".
//!
//! Outlets name the people of a story with their offices and jobs, and two outlets naming one
//! person (one entity of the run) in a role confirm who that person is in the story. A
//! [`RoleClaim`] is a person mention with the role words the language layer finds around it
//! (titles before the name, an appositive after it); role claims of one person in one thread
//! form one group.

use model::{Article, EntityKind};

/// A person named with a role.
#[derive(Debug, Clone)]
pub struct RoleClaim {
    pub article: usize,
    /// The person's entity id.
    pub entity: String,
    /// Byte span covering the role and the name.
    pub start: usize,
    pub end: usize,
    /// The role as written.
    pub role: String,
}

/// The role claims of original article `a` (run index `ai`).
pub fn read(a: &Article, ai: usize) -> Vec<RoleClaim> {
    let text = a.text.as_str();
    let mut out = Vec::new();
    for s in &a.sentences {
        let mentions: Vec<&model::Mention> = a
            .mentions
            .iter()
            .filter(|m| m.start >= s.start && m.end <= s.end)
            .collect();
        if !mentions.iter().any(|m| m.kind == EntityKind::Person) {
            continue;
        }
        let toks = crate::frames::sentence_tokens(a, s.start, s.end);
        let range_of = |m: &model::Mention| -> Option<std::ops::Range<usize>> {
            let first = toks.iter().position(|t| t.start >= m.start)?;
            let end = toks.iter().rposition(|t| t.end <= m.end)? + 1;
            (first < end).then_some(first..end)
        };
        let ranges: Vec<(std::ops::Range<usize>, EntityKind)> = mentions
            .iter()
            .filter_map(|m| Some((range_of(m)?, m.kind)))
            .collect();
        for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            let Some(r) = range_of(m) else { continue };
            let others: Vec<(std::ops::Range<usize>, EntityKind)> =
                ranges.iter().filter(|(o, _)| *o != r).cloned().collect();
            for (rs, re) in lang::entities::role_spans(text, &toks, 0..toks.len(), r, &others) {
                out.push(RoleClaim {
                    article: ai,
                    entity: m.entity.clone(),
                    start: rs.min(m.start),
                    end: re.max(m.end),
                    role: text[rs..re].to_string(),
                });
            }
        }
    }
    out
}
