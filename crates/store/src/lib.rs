//! The crosscheck store: everything an analysis produced, in SQLite (one file, the default)
//! or PostgreSQL (a `postgres://` URL).
//!
//! [`Store::open`] takes a location and picks the backend; both implement [`Backend`] with the
//! same tables and the same content-addressed ids, so a store moves between them unchanged.
//!
//! Tables: `documents` and `articles` (with the text, paragraphs as JSON, and the article's
//! copy-group `origin`), `fingerprints` (the dedup index entry of each article), `pending`
//! (articles stored and not yet processed), `annotations` (each article's language-model
//! layers, with the version of the annotator that wrote them), `claim_readings` (each
//! article's claims as read from it alone), and `records` with `record_keys`: every layer a
//! run makes, as a record of a kind (an article's layers, an entity, an event, a thread's
//! claims, ...) by id, also found under keys (an event's members under the event, an entity
//! under its names, a new article's copy candidates under their fingerprint keys), plus
//! `meta` (the schema version). The pipeline decides what the records hold; the store only
//! keeps them, so both backends share one small interface ([`Backend`]).
//!
//! Writes: [`Backend::write_batch`] writes a batch of documents with all their articles (now
//! pending) in one transaction, so a run killed halfway leaves every document either wholly
//! stored or absent; [`Backend::commit`] writes everything one run's processing made and
//! clears its articles from `pending`, in one transaction, so a run killed before it leaves
//! them pending for the next run. Runs that process take the store's processing lock
//! ([`Store::locked`]: a lock file beside a SQLite store, a session advisory lock in
//! PostgreSQL, both freed when the process dies), so writers at once lose nothing and see
//! each other's work. Ids are content-addressed, so adding the same input twice adds nothing.
//! Rows carry a `seq` in insertion order, which is the order "earliest stored" refers to.
//!
//! **Schema versions.** `meta.schema` holds the version a store was made with; a build opens
//! stores of its own version ([`SCHEMA_VERSION`]), migrates older ones step by step when
//! opening them (each step idempotent; PostgreSQL runs them under the schema lock), and
//! refuses newer ones with a message naming both versions. 1: the first; 2: `annotations`;
//! 3: `claim_layers`; 4: `claim_readings`; 5: `records`, `record_keys` and `pending` (every
//! article stored before is pending, so the next run processes the store once, reusing its
//! annotations; `assignments` and `claim_layers` are dropped).

mod pg;
mod rows;
mod sqlite;
pub mod test_support;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use model::{Article, Document};

/// Schema version this build writes and reads (older ones are migrated when opened).
pub const SCHEMA_VERSION: i64 = 5;

/// The step that brings a store of version `from` to `from + 1`, in SQL both backends run.
/// Steps are idempotent (two SQLite writers opening an old store at once may both run one).
/// Version 2 adds the language layer's stored model output, 3 the claims layer of each
/// thread, 4 the claims read from each article. `blob` is the backend's byte-string type.
pub(crate) fn migration(from: i64, blob: &str) -> Option<String> {
    match from {
        1 => Some(annotations_table(blob)),
        2 => Some(claim_layers_table(blob)),
        3 => Some(claim_readings_table(blob)),
        4 => Some(format!(
            "{records}
             CREATE INDEX IF NOT EXISTS articles_origin ON articles(origin);
             INSERT INTO pending(article) SELECT id FROM articles WHERE true ON CONFLICT DO NOTHING;
             DROP TABLE IF EXISTS assignments;
             DROP TABLE IF EXISTS claim_layers;",
            records = records_tables(blob)
        )),
        _ => None,
    }
}

/// Schema 5: every layer a run makes, as records of a kind (`layers` of an article, `entity`,
/// `event`, ...) found by id or by the keys they are filed under; the articles a run has
/// stored but not yet processed (`pending`). A store migrated from an older schema has every
/// article pending, so the next run processes the store once (reusing stored annotations
/// and claim readings).
fn records_tables(blob: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS records(
           kind TEXT NOT NULL,
           id TEXT NOT NULL,
           data {blob} NOT NULL,
           PRIMARY KEY(kind, id));
         CREATE TABLE IF NOT EXISTS record_keys(
           kind TEXT NOT NULL,
           key TEXT NOT NULL,
           id TEXT NOT NULL,
           PRIMARY KEY(kind, key, id));
         CREATE INDEX IF NOT EXISTS record_keys_id ON record_keys(kind, id);
         CREATE TABLE IF NOT EXISTS pending(
           article TEXT PRIMARY KEY REFERENCES articles(id));"
    )
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
         CREATE INDEX articles_origin ON articles(origin);
         {annotations}
         {claim_readings}
         {records}",
        annotations = annotations_table(blob),
        claim_readings = claim_readings_table(blob),
        records = records_tables(blob)
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

/// A new article to store: the article, its serialised dedup fingerprint, and the lookup keys
/// under which later runs find it as a copy candidate (kind `fp` in `record_keys`).
pub type NewArticle<'a> = (&'a Article, &'a [u8], &'a [String]);

/// A stored article found under a fingerprint key: a copy candidate for a new article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintHit {
    pub key: String,
    pub article: String,
    /// Its copy-group origin as stored, and the origin's insertion order.
    pub origin: String,
    pub origin_seq: i64,
    /// Its insertion order.
    pub seq: i64,
    /// Its serialised fingerprint.
    pub fingerprint: Vec<u8>,
}

/// One object's layer (encoded by the caller), filed under `keys` besides its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    pub kind: String,
    pub id: String,
    pub data: Vec<u8>,
    pub keys: Vec<String>,
}

/// Everything one run's processing writes, as one transaction: a run killed before it
/// commits leaves its articles pending, and the next run processes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commit {
    /// Records replaced (data and keys).
    pub puts: Vec<Put>,
    /// Records removed with their keys: (kind, id).
    pub deletes: Vec<(String, String)>,
    /// Keys renamed within a kind: (kind, old key, new key), applied before `puts`.
    pub rekeys: Vec<(String, String, String)>,
    /// Keys filed under ids as they are: (kind, key, id) (fingerprint keys of stored
    /// articles, for instance, which have no record).
    pub keys: Vec<(String, String, String)>,
    /// Articles whose processing this commit completes (no longer pending).
    pub done: Vec<String>,
}

impl Commit {
    pub fn put(&mut self, kind: &str, id: &str, data: Vec<u8>, keys: Vec<String>) {
        self.puts.push(Put {
            kind: kind.into(),
            id: id.into(),
            data,
            keys,
        });
    }

    pub fn delete(&mut self, kind: &str, id: &str) {
        self.deletes.push((kind.into(), id.into()));
    }

    pub fn rekey(&mut self, kind: &str, old: &str, new: &str) {
        self.rekeys.push((kind.into(), old.into(), new.into()));
    }
}

/// What a storage engine provides. Every write is one transaction.
pub trait Backend: Send {
    /// Which of these documents are stored.
    fn known_documents(&mut self, ids: &[String]) -> Result<HashSet<String>, StoreError>;
    /// Reads everything stored, in insertion order.
    fn load(&mut self) -> Result<Contents, StoreError>;
    /// The stored articles `ids` (those that exist), in insertion order, with their
    /// serialised fingerprints; `documents` lists their documents, each with all its articles.
    fn articles(&mut self, ids: &[String]) -> Result<Contents, StoreError>;
    /// The stored articles `ids` (those that exist) alone, in insertion order: no documents,
    /// no fingerprints.
    fn article_texts(&mut self, ids: &[String]) -> Result<Vec<Article>, StoreError>;
    /// Writes new documents with their articles, fingerprints and fingerprint keys (the
    /// articles become pending), and changed origins of stored articles. Documents and
    /// articles already stored are left as they are.
    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[NewArticle<'_>],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError>;
    /// Stored articles filed under any of these fingerprint keys.
    fn fingerprint_hits(&mut self, keys: &[String]) -> Result<Vec<FingerprintHit>, StoreError>;
    /// Articles stored and not yet processed, in insertion order.
    fn pending(&mut self) -> Result<Vec<String>, StoreError>;
    /// The records of `kind` with these ids (those that exist): (id, data).
    fn records(&mut self, kind: &str, ids: &[String])
    -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    /// The records of `kind` filed under any of these keys: (key, id, data).
    fn records_by_key(
        &mut self,
        kind: &str,
        keys: &[String],
    ) -> Result<Vec<(String, String, Vec<u8>)>, StoreError>;
    /// Every record of `kind`: (id, data).
    fn all_records(&mut self, kind: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    /// Applies a run's processing in one transaction.
    fn commit(&mut self, commit: &Commit) -> Result<(), StoreError>;
    /// Takes the store's processing lock, waiting for another holder: one run at a time
    /// reads pending articles and commits their layers (the OS or the server frees it when
    /// the process dies).
    fn lock(&mut self) -> Result<(), StoreError>;
    fn unlock(&mut self) -> Result<(), StoreError>;
    /// A value of the `meta` table.
    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Bytes the store occupies (the SQLite file's pages; the PostgreSQL database's size).
    fn size_bytes(&mut self) -> Result<u64, StoreError>;
    /// The stored annotations (an article's language-model layers, encoded by the caller)
    /// of the articles `ids` written with `version`, by article id.
    fn annotations(
        &mut self,
        version: i64,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<u8>>, StoreError>;
    /// Stores `(article, data)` annotations with `version`, replacing earlier ones.
    fn write_annotations(&mut self, version: i64, rows: &[(&str, &[u8])])
    -> Result<(), StoreError>;
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
        Ok(!self.backend.known_documents(&[id.to_string()])?.is_empty())
    }

    /// Runs `f` holding the processing lock (see [`Backend::lock`]), freed however `f` ends.
    pub fn locked<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.backend.lock()?;
        let out = f(self);
        let freed = self.backend.unlock();
        let out = out?;
        freed?;
        Ok(out)
    }
}

/// The backend's calls, on the store.
impl std::ops::Deref for Store {
    type Target = dyn Backend;
    fn deref(&self) -> &Self::Target {
        self.backend.as_ref()
    }
}

impl std::ops::DerefMut for Store {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.backend.as_mut()
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
