//! A store's integrity: its counts, and every way its layers can disagree with each other
//! (an article no run processed, a member of an event that is not stored, an event missing
//! from its thread, a mention of an entity that is not stored, ...). Two stores with the same
//! counts and no problems hold the same kinds of things in the same numbers; the tests of
//! concurrent writers compare a shared store with a serial one this way.

use std::collections::{HashMap, HashSet};
use std::fmt;

use store::{Store, StoreError};

use crate::records;

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Integrity {
    pub documents: usize,
    pub articles: usize,
    /// Articles stored and not processed yet.
    pub pending: usize,
    pub entities: usize,
    pub events: usize,
    pub threads: usize,
    pub claims: usize,
    pub claim_groups: usize,
    pub conflicts: usize,
    /// Every disagreement between layers, in words.
    pub problems: Vec<String>,
}

impl fmt::Display for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents {} articles {} pending {} entities {} events {} threads {} claims {} \
             claim_groups {} conflicts {}",
            self.documents,
            self.articles,
            self.pending,
            self.entities,
            self.events,
            self.threads,
            self.claims,
            self.claim_groups,
            self.conflicts
        )?;
        for p in &self.problems {
            writeln!(f, "problem: {p}")?;
        }
        Ok(())
    }
}

/// Checks every layer of `store` against the others (reads the whole store).
pub fn check(store: &mut Store) -> Result<Integrity, StoreError> {
    let pending: HashSet<String> = store.pending()?.into_iter().collect();
    let all = crate::load_store(store, crate::RunReport::default())?;
    let mut out = Integrity {
        documents: all.documents.len(),
        articles: all.articles.len(),
        pending: pending.len(),
        entities: all.entities.len(),
        events: all.events.len(),
        threads: all.threads.len(),
        claims: all.claims.len(),
        claim_groups: all.claim_groups.len(),
        conflicts: all.conflicts.len(),
        problems: Vec::new(),
    };
    let processed: HashSet<String> = (store.all_records(records::LAYERS)?.into_iter())
        .map(|(id, _)| id)
        .collect();
    check_articles(&all, &pending, &processed, &mut out.problems);
    check_stories(&all, &pending, &mut out.problems);
    check_claims(&all, &mut out.problems);
    Ok(out)
}

/// Every article processed or pending (not both), its origin stored, its entities stored.
fn check_articles(
    all: &crate::Analysis,
    pending: &HashSet<String>,
    processed: &HashSet<String>,
    problems: &mut Vec<String>,
) {
    let ids: HashSet<&str> = all.articles.iter().map(|a| a.id.as_str()).collect();
    let entities: HashSet<&str> = all.entities.iter().map(|e| e.id.as_str()).collect();
    for a in &all.articles {
        match (pending.contains(&a.id), processed.contains(&a.id)) {
            (true, true) => problems.push(format!("article {} is pending and processed", a.id)),
            (false, false) => problems.push(format!("article {} was never processed", a.id)),
            _ => {}
        }
        if !ids.contains(a.origin.as_str()) {
            problems.push(format!(
                "article {}: origin {} is not stored",
                a.id, a.origin
            ));
        }
        for m in a
            .mentions
            .iter()
            .filter(|m| !entities.contains(m.entity.as_str()))
        {
            problems.push(format!(
                "article {}: entity {} is not stored",
                a.id, m.entity
            ));
        }
    }
    for d in &all.documents {
        for a in d.articles.iter().filter(|a| !ids.contains(a.as_str())) {
            problems.push(format!("document {}: article {a} is not stored", d.id));
        }
    }
}

/// Every processed article in a stored event that lists it, every event in its thread.
fn check_stories(all: &crate::Analysis, pending: &HashSet<String>, problems: &mut Vec<String>) {
    let events: HashMap<&str, &model::Event> =
        all.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let threads: HashMap<&str, &model::Thread> =
        all.threads.iter().map(|t| (t.id.as_str(), t)).collect();
    for a in all.articles.iter().filter(|a| !pending.contains(&a.id)) {
        match a.event.as_deref().map(|e| events.get(e)) {
            None => problems.push(format!("article {} has no event", a.id)),
            Some(None) => problems.push(format!("article {}: event not stored", a.id)),
            Some(Some(e)) if !e.articles.contains(&a.id) => {
                problems.push(format!("article {}: event {} does not list it", a.id, e.id))
            }
            _ => {}
        }
    }
    let listed: usize = all.events.iter().map(|e| e.articles.len()).sum();
    if listed != all.articles.len() - pending.len() {
        problems.push(format!(
            "events list {listed} articles, {} are processed",
            all.articles.len() - pending.len()
        ));
    }
    for e in &all.events {
        match threads.get(e.thread.as_str()) {
            None => problems.push(format!("event {}: thread {} not stored", e.id, e.thread)),
            Some(t) if !t.events.contains(&e.id) => {
                problems.push(format!("event {}: thread {} does not list it", e.id, t.id))
            }
            _ => {}
        }
    }
    let in_threads: usize = all.threads.iter().map(|t| t.events.len()).sum();
    if in_threads != all.events.len() {
        problems.push(format!(
            "threads list {in_threads} events, {} are stored",
            all.events.len()
        ));
    }
}

/// Every claim of a stored article, every group's claims and every conflict's group stored.
fn check_claims(all: &crate::Analysis, problems: &mut Vec<String>) {
    let articles: HashSet<&str> = all.articles.iter().map(|a| a.id.as_str()).collect();
    let claims: HashSet<&str> = all.claims.iter().map(|c| c.id.as_str()).collect();
    let groups: HashSet<&str> = all.claim_groups.iter().map(|g| g.id.as_str()).collect();
    for c in all
        .claims
        .iter()
        .filter(|c| !articles.contains(c.article.as_str()))
    {
        problems.push(format!("claim {}: article {} not stored", c.id, c.article));
    }
    for g in &all.claim_groups {
        if g.claims.is_empty() {
            problems.push(format!("claim group {} has no claims", g.id));
        }
        for c in g.claims.iter().filter(|c| !claims.contains(c.as_str())) {
            problems.push(format!("claim group {}: claim {c} not stored", g.id));
        }
    }
    for c in all
        .conflicts
        .iter()
        .filter(|c| !groups.contains(c.group.as_str()))
    {
        problems.push(format!("conflict {}: group {} not stored", c.id, c.group));
    }
}
