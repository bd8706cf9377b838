//! The run: every document and article with their layers, and the run-level layers that the
//! stages add (entities, events, threads, claims, claim groups, conflicts), with what the run
//! read and skipped. The pipeline fills a [`Corpus`]; the report and the server read one.

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
