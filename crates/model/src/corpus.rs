//! The run: every document and article with their layers, and the run-level layers that the
//! stages add (entities, events, threads, claims, claim groups, conflicts), with what the run
//! read and skipped. The pipeline fills a [`Corpus`]; the report and the server read one.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::{Article, Claim, ClaimGroup, Conflict, Document, Entity, Event, Thread};

/// Everything a run produced, in store order then input order.
#[derive(Debug, Default, Clone)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub articles: Vec<Article>,
    /// Run-wide entities (language layer), most mentioned first.
    pub entities: Vec<Entity>,
    /// Events and threads (stories stage); articles carry their `event`.
    pub events: Vec<Event>,
    pub threads: Vec<Thread>,
    /// Claims, their groups and the conflicts found (claims stage).
    pub claims: Vec<Claim>,
    pub claim_groups: Vec<ClaimGroup>,
    pub conflicts: Vec<Conflict>,
    pub report: RunReport,
    /// In the changes of a run over a store: events and threads merged away, as (gone id,
    /// kept id), and the threads whose claims layer was judged again (their claims, groups
    /// and conflicts here replace the earlier ones). Empty for a whole corpus.
    pub merged: Vec<(String, String)>,
    pub judged_threads: Vec<String>,
}

impl Corpus {
    /// Brings a whole corpus up to date with the changes of a run over its store: documents,
    /// articles, entities, events and threads replaced or added by id, those merged away
    /// removed (their articles renamed), and the claims layers of re-judged threads replaced.
    pub fn apply(&mut self, ch: Corpus) {
        upsert(&mut self.documents, ch.documents, |d| d.id.clone());
        upsert(&mut self.articles, ch.articles, |a| a.id.clone());
        let gone: HashMap<&str, &str> = ch
            .merged
            .iter()
            .map(|(g, k)| (g.as_str(), k.as_str()))
            .collect();
        for a in &mut self.articles {
            let renamed = a.event.as_deref().and_then(|e| gone.get(e));
            if let Some(k) = renamed {
                a.event = Some(k.to_string());
            }
        }
        self.events.retain(|e| !gone.contains_key(e.id.as_str()));
        self.threads.retain(|t| !gone.contains_key(t.id.as_str()));
        upsert(&mut self.entities, ch.entities, |e| e.id.clone());
        self.entities.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.name.cmp(&b.name))
        });
        upsert(&mut self.events, ch.events, |e| e.id.clone());
        upsert(&mut self.threads, ch.threads, |t| t.id.clone());
        let judged: HashSet<&str> = (ch.judged_threads.iter().map(String::as_str))
            .chain(gone.keys().copied())
            .collect();
        self.drop_claims_of(&judged);
        self.claims.extend(ch.claims);
        self.claim_groups.extend(ch.claim_groups);
        self.conflicts.extend(ch.conflicts);
        self.report = ch.report;
    }

    /// Removes the claims, groups and conflicts of these threads.
    fn drop_claims_of(&mut self, threads: &HashSet<&str>) {
        let thread_of: HashMap<&str, &str> = (self.events.iter())
            .map(|e| (e.id.as_str(), e.thread.as_str()))
            .collect();
        let article_thread: HashMap<&str, &str> = (self.articles.iter())
            .filter_map(|a| Some((a.id.as_str(), *thread_of.get(a.event.as_deref()?)?)))
            .collect();
        let in_judged = |t: Option<&str>| t.is_some_and(|t| threads.contains(t));
        self.claims
            .retain(|c| !in_judged(article_thread.get(c.article.as_str()).copied()));
        let before: HashSet<String> = self.claim_groups.iter().map(|g| g.id.clone()).collect();
        self.claim_groups
            .retain(|g| !in_judged(g.thread.as_deref()));
        let kept: HashSet<&str> = self.claim_groups.iter().map(|g| g.id.as_str()).collect();
        self.conflicts
            .retain(|c| kept.contains(c.group.as_str()) || !before.contains(&c.group));
    }
}

/// Replaces the items of `into` that `new` holds again (same key) in place, and appends the
/// others.
fn upsert<T>(into: &mut Vec<T>, new: Vec<T>, key: impl Fn(&T) -> String) {
    let at: HashMap<String, usize> = (into.iter().enumerate())
        .map(|(i, x)| (key(x), i))
        .collect();
    for x in new {
        match at.get(&key(&x)) {
            Some(&i) => into[i] = x,
            None => into.push(x),
        }
    }
}

/// What one run read, skipped and added.
#[derive(Debug, Default, Clone)]
pub struct RunReport {
    /// Supported files found.
    pub files: usize,
    /// Files inside directories that are of no supported type.
    pub ignored: usize,
    /// Documents read without error in this run (new or already stored).
    pub read: usize,
    /// Inputs that could not be read, each with its reason.
    pub skipped: Vec<SkippedInput>,
    /// Documents read that the store already held.
    pub already_stored: usize,
    pub new_documents: usize,
    pub new_articles: usize,
    /// Documents from which no article text could be cleaned.
    pub empty_documents: Vec<String>,
    /// Heap bytes held by the duplicate index at the end of the run.
    pub dedup_index_bytes: usize,
    /// Threads whose claims were judged in this run.
    pub threads_judged: usize,
    /// Threads whose claims layer the store held unchanged (not judged again).
    pub threads_reused: usize,
    /// Articles of the judged threads whose claims were read in this run, and those whose
    /// stored reading was kept.
    pub articles_read: usize,
    pub readings_reused: usize,
}

/// An input that could not be read: where (a path, and a line of a JSONL file) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedInput {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

impl fmt::Display for SkippedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}
