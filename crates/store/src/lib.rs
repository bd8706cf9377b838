//! The crosscheck store: everything an analysis produced, in SQLite (one file, the default)
//! or PostgreSQL (a `postgres://` URL).
//!
//! [`Store::open`] takes a location and picks the backend; both implement [`Backend`] with the
//! same tables and the same content-addressed ids, so a store moves between them unchanged.
//!
//! Tables: `documents` and `articles` (with the text, paragraphs as JSON, and the article's
//! copy-group `origin`), `fingerprints` (the dedup index entry of each article, so a new run
//! rebuilds its duplicate index without re-reading every text), `assignments` (the event
//! and thread each article joined, so later articles join them without reclustering),
//! `annotations` (each article's language-model layers as JSON, with the version of the
//! annotator that wrote them, so later runs annotate only new articles), `claim_layers`
//! (each thread's claims, groups and conflicts under the signature of everything they were
//! judged from, so later runs judge only the threads new articles touch), `claim_readings`
//! (each article's claims as read from it alone, under the signature of what they were read
//! from, so a touched thread is judged without reading its stored articles again), plus `meta` (the
//! schema version). Ids are content-addressed, so adding the same input twice adds
//! nothing. Rows carry a `seq` in insertion order, which is the order "earliest stored" refers
//! to.
//!
//! [`Store::write_batch`] writes a batch of documents with all their articles in one
//! transaction: a run killed halfway leaves every document either wholly stored or absent, and
//! the next run adds the missing ones. Writers at once (several runs, or a server and a run)
//! lose nothing: inserts of a row another writer added are no-ops.
//!
//! **Schema versions.** `meta.schema` holds the version a store was made with; a build opens
//! stores of its own version ([`SCHEMA_VERSION`]), migrates older ones step by step when
//! opening them (each step idempotent; PostgreSQL runs them under the schema lock), and
//! refuses newer ones with a message naming both versions. 1: the first; 2: `annotations`;
//! 3: `claim_layers`; 4: `claim_readings`.

mod pg;
mod rows;
mod sqlite;
pub mod test_support;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use model::{Article, Document};

/// Schema version this build writes and reads (older ones are migrated when opened).
pub const SCHEMA_VERSION: i64 = 4;

/// The step that brings a store of version `from` to `from + 1`, in SQL both backends run.
/// Steps are idempotent (two SQLite writers opening an old store at once may both run one).
/// Version 2 adds the language layer's stored model output, 3 the claims layer of each
/// thread, 4 the claims read from each article. `blob` is the backend's byte-string type.
pub(crate) fn migration(from: i64, blob: &str) -> Option<String> {
    match from {
        1 => Some(annotations_table(blob)),
        2 => Some(claim_layers_table(blob)),
        3 => Some(claim_readings_table(blob)),
        _ => None,
    }
}

fn claim_layers_table(blob: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS claim_layers(
           thread TEXT PRIMARY KEY,
           signature TEXT NOT NULL,
           data {blob} NOT NULL);"
    )
}

fn claim_readings_table(blob: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS claim_readings(
           article TEXT PRIMARY KEY REFERENCES articles(id),
           signature TEXT NOT NULL,
           data {blob} NOT NULL);"
    )
}

fn annotations_table(blob: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS annotations(
           article TEXT PRIMARY KEY REFERENCES articles(id),
           version BIGINT NOT NULL,
           data {blob} NOT NULL);"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{location}: {source}")]
    Sqlite {
        location: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{location}: {}", postgres_message(source))]
    Postgres {
        location: String,
        #[source]
        source: ::postgres::Error,
    },
    #[error(
        "{location}: not a crosscheck store (schema version {found:?}, this build reads {SCHEMA_VERSION}); \
         use an empty database or file, or the crosscheck release that made it"
    )]
    Schema {
        location: String,
        found: Option<String>,
    },
    #[error("{location}: {detail}")]
    Worker { location: String, detail: String },
    #[error("{location}: corrupt row in {table}: {detail}")]
    Corrupt {
        location: String,
        table: &'static str,
        detail: String,
    },
}

/// The tables of a store, in either backend's SQL: `serial` is its auto-increment key
/// column type, `int` a 64-bit integer, `blob` a byte string.
pub(crate) fn create_tables(serial: &str, int: &str, blob: &str) -> String {
    format!(
        "CREATE TABLE documents(
           seq {serial},
           id TEXT NOT NULL UNIQUE,
           path TEXT NOT NULL,
           line {int},
           kind TEXT NOT NULL,
           bytes {int} NOT NULL);
         CREATE TABLE articles(
           seq {serial},
           id TEXT NOT NULL UNIQUE,
           document TEXT NOT NULL REFERENCES documents(id),
           idx {int} NOT NULL,
           title TEXT, caption TEXT, url TEXT, outlet TEXT, dateline TEXT,
           published TEXT, published_from TEXT,
           text TEXT NOT NULL,
           paragraphs TEXT NOT NULL,
           origin TEXT NOT NULL);
         CREATE INDEX articles_document ON articles(document);
         CREATE TABLE fingerprints(
           article TEXT PRIMARY KEY REFERENCES articles(id),
           data {blob} NOT NULL);
         CREATE TABLE assignments(
           article TEXT PRIMARY KEY REFERENCES articles(id),
           event TEXT NOT NULL,
           thread TEXT NOT NULL);
         {annotations}
         {claim_layers}
         {claim_readings}",
        annotations = annotations_table(blob),
        claim_layers = claim_layers_table(blob),
        claim_readings = claim_readings_table(blob)
    )
}

/// The server's own message when there is one ("db error" alone says nothing).
fn postgres_message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {}", d.severity(), d.message()),
        None => e.to_string(),
    }
}

/// Everything stored, in insertion order.
#[derive(Debug, Default)]
pub struct Contents {
    pub documents: Vec<Document>,
    /// Articles with `origin` as stored; `duplicate_of` and `copies` are filled by the caller.
    pub articles: Vec<Article>,
    /// The serialised dedup fingerprint of each article (same order as `articles`).
    pub fingerprints: Vec<Vec<u8>>,
}

/// What a storage engine provides. Every write is one transaction.
pub trait Backend: Send {
    /// Whether a document with this id is stored.
    fn has_document(&mut self, id: &str) -> Result<bool, StoreError>;
    /// Reads everything stored, in insertion order.
    fn load(&mut self) -> Result<Contents, StoreError>;
    /// Writes new documents with their articles and fingerprints, and changed origins of
    /// stored articles. Documents and articles already stored are left as they are.
    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[(&Article, &[u8])],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError>;
    /// The stored `(event, thread)` of each article that has one.
    fn assignments(&mut self) -> Result<HashMap<String, (String, String)>, StoreError>;
    /// Records `(article, event, thread)` assignments (replacing earlier ones).
    fn write_assignments(&mut self, rows: &[(&str, &str, &str)]) -> Result<(), StoreError>;
    /// Bytes the store occupies (the SQLite file's pages; the PostgreSQL database's size).
    fn size_bytes(&mut self) -> Result<u64, StoreError>;
    /// The stored annotations (an article's language-model layers, encoded by the caller)
    /// written with `version`, by article id.
    fn annotations(&mut self, version: i64) -> Result<HashMap<String, Vec<u8>>, StoreError>;
    /// Stores `(article, data)` annotations with `version`, replacing earlier ones.
    fn write_annotations(&mut self, version: i64, rows: &[(&str, &[u8])])
    -> Result<(), StoreError>;
    /// The stored claims layers (encoded by the caller), by signature.
    fn claim_layers(&mut self) -> Result<HashMap<String, Vec<u8>>, StoreError>;
    /// Stores `(thread, signature, data)` claims layers, replacing each thread's earlier one.
    fn write_claim_layers(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError>;
    /// The stored claim readings (encoded by the caller) of the articles `ids`, as
    /// `(signature, data)` by article id; articles without one are left out.
    fn claim_readings(&mut self, ids: &[&str]) -> Result<Readings, StoreError>;
    /// Stores `(article, signature, data)` claim readings, replacing earlier ones.
    fn write_claim_readings(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError>;
}

/// Stored claim readings: `(signature, data)` by article id.
pub type Readings = HashMap<String, (String, Vec<u8>)>;

/// An open store of either backend.
pub struct Store {
    backend: Box<dyn Backend>,
    location: String,
}

impl Store {
    /// Opens (creating if needed) the store at `location`: a `postgres://` or
    /// `postgresql://` URL selects PostgreSQL, anything else is the path of a SQLite file.
    pub fn open(location: impl AsRef<Path>) -> Result<Store, StoreError> {
        let location = location.as_ref();
        let backend: Box<dyn Backend> = match location.to_str().filter(|s| is_postgres(s)) {
            Some(url) => Box::new(pg::Postgres::open(url)?),
            None => Box::new(sqlite::Sqlite::open(location)?),
        };
        let location = match location.to_str() {
            Some(s) if is_postgres(s) => redact(s),
            _ => location.display().to_string(),
        };
        Ok(Store { backend, location })
    }

    /// Where the store is, for messages (a URL without its password).
    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        self.backend.has_document(id)
    }

    pub fn load(&mut self) -> Result<Contents, StoreError> {
        self.backend.load()
    }

    pub fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[(&Article, &[u8])],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        self.backend
            .write_batch(documents, articles, origin_updates)
    }

    pub fn assignments(&mut self) -> Result<HashMap<String, (String, String)>, StoreError> {
        self.backend.assignments()
    }

    pub fn write_assignments(&mut self, rows: &[(&str, &str, &str)]) -> Result<(), StoreError> {
        self.backend.write_assignments(rows)
    }

    pub fn size_bytes(&mut self) -> Result<u64, StoreError> {
        self.backend.size_bytes()
    }

    pub fn annotations(&mut self, version: i64) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        self.backend.annotations(version)
    }

    pub fn write_annotations(
        &mut self,
        version: i64,
        rows: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        self.backend.write_annotations(version, rows)
    }

    pub fn claim_layers(&mut self) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        self.backend.claim_layers()
    }

    pub fn write_claim_layers(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        self.backend.write_claim_layers(rows)
    }

    pub fn claim_readings(&mut self, ids: &[&str]) -> Result<Readings, StoreError> {
        self.backend.claim_readings(ids)
    }

    pub fn write_claim_readings(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        self.backend.write_claim_readings(rows)
    }
}

/// Creates the PostgreSQL database `name` (dropping one of that name first) through the
/// server at `admin` (a URL whose user may create databases) and returns its URL.
pub fn create_postgres_database(admin: &str, name: &str) -> Result<String, StoreError> {
    let location = redact(admin);
    let err = |source| StoreError::Postgres {
        location: location.clone(),
        source,
    };
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Worker {
            location: location.clone(),
            detail: format!("{name:?}: a database name of a-z, 0-9 and _ only"),
        });
    }
    // The blocking client on a thread of its own (see the PostgreSQL backend).
    let admin_url = admin.to_string();
    let name_sql = name.to_string();
    std::thread::spawn(move || -> Result<(), ::postgres::Error> {
        let mut c = ::postgres::Client::connect(&admin_url, ::postgres::NoTls)?;
        // Two statements: CREATE DATABASE cannot run inside the transaction that one
        // multi-statement query is.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name_sql}"))?;
        c.batch_execute(&format!("CREATE DATABASE {name_sql}"))
    })
    .join()
    .map_err(|_| StoreError::Worker {
        location: location.clone(),
        detail: "the connection thread panicked".into(),
    })?
    .map_err(err)?;
    let base = admin.rsplit_once('/').map(|x| x.0).unwrap_or(admin);
    Ok(format!("{base}/{name}"))
}

/// Whether `location` names a PostgreSQL database.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A connection URL with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.split_once('@') {
        Some(x) => x,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}
