//! Stored entities: what linking needs to extend an entity in later runs, and how a run grows
//! one.

use std::collections::HashMap;

use model::{Entity, EntityKind};
use serde::{Deserialize, Serialize};

use super::{is_full_name, name_key, name_words, surname};

/// A stored entity with what linking needs to extend it in later runs: the model entity plus
/// the counts behind it. The pipeline stores it as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// Frozen in id, name and kind; aliases, roles and mentions follow the counts below.
    pub entity: Entity,
    /// Every name its mentions were written as, one per name key, in first-seen order.
    pub names: Vec<NameCount>,
    /// Every role stated with it (case-insensitively one), in first-seen order.
    pub roles: Vec<RoleCount>,
}

/// One name of an [`EntityRecord`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameCount {
    /// As first written.
    pub name: String,
    /// The kind its mentions were linked under (a name joined by an acronym may differ from the
    /// entity's kind).
    pub kind: EntityKind,
    pub mentions: usize,
    /// Stated as another name of the entity (linking rule 4): never its canonical name, and no
    /// full-name mention when counting people for a lone surname.
    pub alias: bool,
    /// Its mentions joined the entity by name, so later mentions of the name join it too. A
    /// surname or first name resolved per mention to a person is not owned: later ones are
    /// resolved again.
    pub owned: bool,
    /// The kinds the recogniser gave its mentions, by [`EntityKind`] order: the name's votes in
    /// later majority votes.
    pub votes: [usize; 4],
}

/// One role of an [`EntityRecord`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleCount {
    pub role: String,
    pub mentions: usize,
}

/// Lookup key of a name (its name key).
pub(crate) fn name_lookup(key: &str) -> String {
    format!("n:{key}")
}

/// Lookup key of a person's surname (for lone surnames and full-name matches).
pub(crate) fn surname_lookup(key: &str) -> String {
    format!("s:{}", surname(key))
}

impl EntityRecord {
    /// The lookup keys the store indexes this record under: the name key of each of its names
    /// (aliases included), and the surname key of each full person name.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(self.names.len() + 1);
        for n in &self.names {
            let key = name_key(&n.name);
            if n.kind == EntityKind::Person && is_full_name(&key) {
                keys.push(surname_lookup(&key));
            }
            keys.push(name_lookup(&key));
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// One mention as a record counts it.
pub(super) struct Counted<'a> {
    pub surface: &'a str,
    pub key: &'a str,
    /// Its kind after the majority vote.
    pub kind: EntityKind,
    /// The kind the recogniser gave it.
    pub voted: EntityKind,
    pub alias: bool,
    pub owned: bool,
    pub roles: &'a [String],
}

/// A record growing with a run's mentions, indexed by name key and role.
pub(super) struct Growing {
    pub record: EntityRecord,
    /// Stored (frozen identity) or made by this run.
    pub stored: bool,
    name_at: HashMap<String, usize>,
    role_at: HashMap<String, usize>,
}

impl Growing {
    pub fn stored(record: EntityRecord) -> Growing {
        let name_at = (record.names.iter().enumerate())
            .map(|(i, n)| (name_key(&n.name), i))
            .collect();
        let role_at = (record.roles.iter().enumerate())
            .map(|(i, r)| (r.role.to_ascii_lowercase(), i))
            .collect();
        Growing {
            record,
            stored: true,
            name_at,
            role_at,
        }
    }

    /// A new record of `kind`; its name and id are chosen by [`Growing::name_new`].
    pub fn new(kind: EntityKind) -> Growing {
        let entity = Entity {
            id: String::new(),
            name: String::new(),
            kind,
            aliases: Vec::new(),
            roles: Vec::new(),
            mentions: 0,
        };
        Growing {
            record: EntityRecord {
                entity,
                names: Vec::new(),
                roles: Vec::new(),
            },
            stored: false,
            name_at: HashMap::new(),
            role_at: HashMap::new(),
        }
    }

    pub fn add(&mut self, m: &Counted<'_>) {
        let names = &mut self.record.names;
        let at = match self.name_at.get(m.key) {
            Some(&at) => at,
            None => {
                names.push(NameCount {
                    name: m.surface.to_string(),
                    kind: m.kind,
                    mentions: 0,
                    alias: false,
                    owned: false,
                    votes: [0; 4],
                });
                self.name_at.insert(m.key.to_string(), names.len() - 1);
                names.len() - 1
            }
        };
        let n = &mut names[at];
        n.mentions += 1;
        n.alias |= m.alias;
        n.owned |= m.owned;
        n.votes[m.voted as usize] += 1;
        for r in m.roles {
            self.add_role(r, 1);
        }
        self.record.entity.mentions += 1;
    }

    fn add_role(&mut self, role: &str, mentions: usize) {
        let roles = &mut self.record.roles;
        let at = *self
            .role_at
            .entry(role.to_ascii_lowercase())
            .or_insert_with(|| {
                roles.push(RoleCount {
                    role: role.to_string(),
                    mentions: 0,
                });
                roles.len() - 1
            });
        roles[at].mentions += mentions;
    }

    /// Adds another record's counts (a group of the same id).
    pub fn absorb(&mut self, other: EntityRecord) {
        for n in other.names {
            let names = &mut self.record.names;
            match self.name_at.get(&name_key(&n.name)) {
                Some(&at) => {
                    let mine = &mut names[at];
                    mine.mentions += n.mentions;
                    mine.alias |= n.alias;
                    mine.owned |= n.owned;
                    for (v, w) in mine.votes.iter_mut().zip(n.votes) {
                        *v += w;
                    }
                }
                None => {
                    self.name_at.insert(name_key(&n.name), names.len());
                    names.push(n);
                }
            }
        }
        for r in other.roles {
            self.add_role(&r.role, r.mentions);
        }
        self.record.entity.mentions += other.entity.mentions;
    }

    /// Chooses a new record's canonical name and id: the most frequent longest name among its
    /// own names (all names when every one is an alias).
    pub fn name_new(&mut self) {
        let names = &self.record.names;
        let own: Vec<&NameCount> = names.iter().filter(|n| !n.alias).collect();
        let pool = if own.is_empty() {
            names.iter().collect()
        } else {
            own
        };
        let canonical = pool
            .into_iter()
            .max_by_key(|n| {
                (
                    name_words(&name_key(&n.name)).len(),
                    n.mentions,
                    std::cmp::Reverse(&n.name),
                )
            })
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let e = &mut self.record.entity;
        e.id = entity_id(e.kind, &canonical);
        e.name = canonical;
    }

    /// The record with its entity's aliases and roles following its counts.
    pub fn finish(mut self) -> EntityRecord {
        let e = &mut self.record.entity;
        let canonical = name_key(&e.name);
        let mut seen = std::collections::HashSet::new();
        e.aliases = (self.record.names.iter())
            .filter(|n| name_key(&n.name) != canonical && seen.insert(n.name.to_ascii_lowercase()))
            .map(|n| n.name.clone())
            .collect();
        let mut roles: Vec<&RoleCount> = self.record.roles.iter().collect();
        roles.sort_by_key(|r| std::cmp::Reverse(r.mentions));
        e.roles = roles.into_iter().map(|r| r.role.clone()).collect();
        self.record
    }
}

/// The id of an entity: a hash of kind and canonical name, stable across runs.
pub(super) fn entity_id(kind: EntityKind, canonical: &str) -> String {
    model::content_id(format!("{}:{}", kind.as_str(), name_key(canonical)).as_bytes())
}
