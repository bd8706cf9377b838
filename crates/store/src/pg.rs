//! The server backend: a PostgreSQL database (`postgres://` or `postgresql://` URL), for
//! stores that several machines or processes write at once.
//!
//! Same tables and content-addressed ids as SQLite; writes are `INSERT ... ON CONFLICT`, so
//! two writers adding the same document add it once, and a batch is one transaction. The
//! schema is created under an advisory lock, so writers that open a fresh database together
//! do not race. Connections are plain TCP or a Unix socket without TLS: run it on loopback, a
//! socket or a trusted network.

use std::collections::{HashMap, HashSet};

use model::{Article, Document};
use std::sync::mpsc;

use postgres::{Client, NoTls, Transaction};

use crate::rows::{
    ArticleRow, DocumentRow, Loader, SELECT_ARTICLES, SELECT_DOCUMENTS, SELECT_DOCUMENTS_BY_ID,
};
use crate::{Backend, Commit, Contents, FingerprintHit, NewArticle, SCHEMA_VERSION, StoreError};

/// Key of the advisory lock held while the schema is checked or created ("crosscheck").
const SCHEMA_LOCK: i64 = 0x6372_6f73_7363_6863;

/// Key of the session advisory lock a run holds while it processes pending articles.
const PROCESS_LOCK: i64 = 0x6372_6f73_7370_726f;

/// An open PostgreSQL store. The blocking client runs on a thread of its own, which every
/// call hands its work to: `postgres::Client` starts (and, when dropped, stops) a runtime of
/// its own, which panics inside an async context such as the server's, so the client is
/// created, used and dropped only on that thread.
pub(crate) struct Postgres {
    jobs: mpsc::Sender<Job>,
    /// The URL without its password, for messages.
    location: String,
}

type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// The worker thread's connection.
struct Conn {
    client: Client,
    location: String,
}

impl Postgres {
    /// Connects to the database at `url`, creating the schema in an empty database.
    pub(crate) fn open(url: &str) -> Result<Postgres, StoreError> {
        let location = crate::redact(url);
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready_tx, ready) = mpsc::sync_channel(1);
        let (url, loc) = (url.to_string(), location.clone());
        std::thread::Builder::new()
            .name("crosscheck-postgres".into())
            .spawn(move || {
                let client = match Client::connect(&url, NoTls) {
                    Ok(c) => c,
                    Err(source) => {
                        let _ = ready_tx.send(Err(StoreError::Postgres {
                            location: loc,
                            source,
                        }));
                        return;
                    }
                };
                let mut conn = Conn {
                    client,
                    location: loc,
                };
                let _ = ready_tx.send(conn.init());
                for job in inbox {
                    job(&mut conn);
                }
            })
            .map_err(|e| StoreError::Worker {
                location: location.clone(),
                detail: e.to_string(),
            })?;
        ready.recv().map_err(|_| StoreError::Worker {
            location: location.clone(),
            detail: "the connection thread stopped".into(),
        })??;
        Ok(Postgres { jobs, location })
    }

    /// Runs `f` on the connection thread and waits for its answer.
    fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Conn) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let stopped = || StoreError::Worker {
            location: self.location.clone(),
            detail: "the connection thread stopped".into(),
        };
        self.jobs
            .send(Box::new(move |c| {
                let _ = tx.send(f(c));
            }))
            .map_err(|_| stopped())?;
        rx.recv().map_err(|_| stopped())?
    }
}

impl Conn {
    fn err(&self, source: postgres::Error) -> StoreError {
        StoreError::Postgres {
            location: self.location.clone(),
            source,
        }
    }

    fn init(&mut self) -> Result<(), StoreError> {
        let location = self.location.clone();
        let err = |source| StoreError::Postgres {
            location: location.clone(),
            source,
        };
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .map_err(err)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )
        .map_err(err)?;
        let version: Option<String> = tx
            .query_opt("SELECT value FROM meta WHERE key='schema'", &[])
            .map_err(err)?
            .map(|r| r.get(0));
        match version {
            None => {
                let others: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM pg_tables
                         WHERE schemaname = current_schema() AND tablename <> 'meta'",
                        &[],
                    )
                    .map_err(err)?
                    .get(0);
                if others > 0 {
                    return Err(StoreError::Schema {
                        location: location.clone(),
                        found: None,
                    });
                }
                tx.batch_execute(&crate::create_tables(
                    "BIGSERIAL PRIMARY KEY",
                    "BIGINT",
                    "BYTEA",
                ))
                .map_err(err)?;
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES('schema', $1)",
                    &[&SCHEMA_VERSION.to_string()],
                )
                .map_err(err)?;
            }
            Some(v) if v == SCHEMA_VERSION.to_string() => {}
            Some(v)
                if v.parse::<i64>()
                    .is_ok_and(|n| (1..SCHEMA_VERSION).contains(&n)) =>
            {
                // Under the advisory lock: one writer migrates, the others then see it done.
                for from in v.parse::<i64>().expect("checked")..SCHEMA_VERSION {
                    let step =
                        crate::migration(from, "BYTEA").expect("a step for every older version");
                    tx.batch_execute(&step).map_err(err)?;
                    tx.execute(
                        "UPDATE meta SET value=$1 WHERE key='schema'",
                        &[&(from + 1).to_string()],
                    )
                    .map_err(err)?;
                }
            }
            Some(v) => {
                return Err(StoreError::Schema {
                    location: location.clone(),
                    found: Some(v),
                });
            }
        }
        tx.commit().map_err(err)
    }
}

fn document_row(r: &postgres::Row) -> DocumentRow {
    DocumentRow {
        id: r.get(0),
        path: r.get(1),
        line: r.get(2),
        kind: r.get(3),
        bytes: r.get(4),
    }
}

fn article_row(r: &postgres::Row) -> ArticleRow {
    ArticleRow {
        id: r.get(0),
        document: r.get(1),
        idx: r.get(2),
        title: r.get(3),
        caption: r.get(4),
        url: r.get(5),
        outlet: r.get(6),
        dateline: r.get(7),
        published: r.get(8),
        published_from: r.get(9),
        text: r.get(10),
        paragraphs: r.get(11),
        origin: r.get(12),
    }
}

/// An owned copy of a batch, for the connection thread.
struct Batch {
    documents: Vec<Document>,
    articles: Vec<(Article, Vec<u8>, Vec<String>)>,
    origin_updates: Vec<(String, String)>,
}

/// Writes a batch with one statement per table (arrays unnested on the server), so a batch
/// costs a few round trips, not a few per article.
fn insert_batch(tx: &mut Transaction<'_>, b: &Batch) -> Result<(), postgres::Error> {
    let docs = &b.documents;
    let col = |f: &dyn Fn(&Document) -> String| -> Vec<String> { docs.iter().map(f).collect() };
    let lines: Vec<Option<i64>> = docs.iter().map(|d| d.line.map(|l| l as i64)).collect();
    let bytes: Vec<i64> = docs.iter().map(|d| d.bytes as i64).collect();
    tx.execute(
        "INSERT INTO documents(id, path, line, kind, bytes)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
         ON CONFLICT (id) DO NOTHING",
        &[
            &col(&|d| d.id.clone()),
            &col(&|d| d.path.clone()),
            &lines,
            &col(&|d| d.kind.as_str().to_string()),
            &bytes,
        ],
    )?;
    let added = insert_articles(tx, &b.articles)?;
    let new: Vec<&(Article, Vec<u8>, Vec<String>)> = (b.articles.iter())
        .filter(|(a, _, _)| added.contains(&a.id))
        .collect();
    let ids: Vec<&str> = new.iter().map(|(a, _, _)| a.id.as_str()).collect();
    let fps: Vec<&[u8]> = new.iter().map(|(_, f, _)| f.as_slice()).collect();
    tx.execute(
        "INSERT INTO fingerprints(article, data) SELECT * FROM unnest($1::text[], $2::bytea[])
         ON CONFLICT (article) DO UPDATE SET data = EXCLUDED.data",
        &[&ids, &fps],
    )?;
    let (mut key_ids, mut keys) = (Vec::new(), Vec::new());
    for (a, _, ks) in &new {
        for k in ks {
            key_ids.push(a.id.as_str());
            keys.push(k.as_str());
        }
    }
    tx.execute(
        "INSERT INTO record_keys(kind, key, id) SELECT 'fp', k, i FROM unnest($1::text[], $2::text[]) AS x(k, i)
         ON CONFLICT DO NOTHING",
        &[&keys, &key_ids],
    )?;
    tx.execute(
        "INSERT INTO pending(article) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING",
        &[&ids],
    )?;
    let upd = tx.prepare("UPDATE articles SET origin=$2 WHERE id=$1")?;
    for (id, origin) in &b.origin_updates {
        tx.execute(&upd, &[id, origin])?;
    }
    Ok(())
}

/// Inserts the articles not stored yet; returns the ids it inserted.
fn insert_articles(
    tx: &mut Transaction<'_>,
    articles: &[(Article, Vec<u8>, Vec<String>)],
) -> Result<std::collections::HashSet<String>, postgres::Error> {
    let text = |f: &dyn Fn(&Article) -> String| -> Vec<String> {
        articles.iter().map(|(a, _, _)| f(a)).collect()
    };
    let opt = |f: &dyn Fn(&Article) -> Option<String>| -> Vec<Option<String>> {
        articles.iter().map(|(a, _, _)| f(a)).collect()
    };
    let idx: Vec<i64> = articles.iter().map(|(a, _, _)| a.index as i64).collect();
    let paragraphs = text(&|a| serde_json::to_string(&a.paragraphs).expect("paragraphs serialise"));
    let rows = tx.query(
        "INSERT INTO articles(id, document, idx, title, caption, url, outlet, dateline,
           published, published_from, text, paragraphs, origin)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
           $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
           $13::text[])
         ON CONFLICT (id) DO NOTHING RETURNING id",
        &[
            &text(&|a| a.id.clone()),
            &text(&|a| a.document.clone()),
            &idx,
            &opt(&|a| a.title.clone()),
            &opt(&|a| a.caption.clone()),
            &opt(&|a| a.url.clone()),
            &opt(&|a| a.outlet.clone()),
            &opt(&|a| a.dateline.clone()),
            &opt(&|a| a.published.clone()),
            &opt(&|a| a.published_from.map(|p| p.as_str().to_string())),
            &text(&|a| a.text.clone()),
            &paragraphs,
            &text(&|a| a.origin.clone()),
        ],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Applies a run's processing (see [`Commit`]), one statement per kind of change (arrays
/// unnested on the server).
fn apply_commit(tx: &mut Transaction<'_>, c: &Commit) -> Result<(), postgres::Error> {
    let (kinds, ids): (Vec<&str>, Vec<&str>) = c
        .deletes
        .iter()
        .map(|(k, i)| (k.as_str(), i.as_str()))
        .unzip();
    tx.execute(
        "DELETE FROM records r USING unnest($1::text[], $2::text[]) AS d(kind, id)
         WHERE r.kind = d.kind AND r.id = d.id",
        &[&kinds, &ids],
    )?;
    drop_keys_of(tx, &kinds, &ids)?;
    let copy_keys = tx.prepare(
        "INSERT INTO record_keys(kind, key, id) SELECT kind, $3, id FROM record_keys
         WHERE kind=$1 AND key=$2 ON CONFLICT DO NOTHING",
    )?;
    let drop_keys = tx.prepare("DELETE FROM record_keys WHERE kind=$1 AND key=$2")?;
    for (kind, old, new) in &c.rekeys {
        tx.execute(&copy_keys, &[kind, old, new])?;
        tx.execute(&drop_keys, &[kind, old])?;
    }
    put_records(tx, c)?;
    let (mut kinds, mut keys, mut ids) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, k, id) in &c.keys {
        kinds.push(kind.as_str());
        keys.push(k.as_str());
        ids.push(id.as_str());
    }
    tx.execute(
        "INSERT INTO record_keys(kind, key, id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
        &[&kinds, &keys, &ids],
    )?;
    tx.execute("DELETE FROM pending WHERE article = ANY($1)", &[&c.done])?;
    Ok(())
}

/// Removes every key filed under the records (kind, id) given as two parallel arrays.
fn drop_keys_of(
    tx: &mut Transaction<'_>,
    kinds: &[&str],
    ids: &[&str],
) -> Result<(), postgres::Error> {
    tx.execute(
        "DELETE FROM record_keys r USING unnest($1::text[], $2::text[]) AS d(kind, id)
         WHERE r.kind = d.kind AND r.id = d.id",
        &[&kinds, &ids],
    )?;
    Ok(())
}

/// The records a commit puts, with their keys (a record put twice keeps the last).
fn put_records(tx: &mut Transaction<'_>, c: &Commit) -> Result<(), postgres::Error> {
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, p) in c.puts.iter().enumerate() {
        last.insert((p.kind.as_str(), p.id.as_str()), i);
    }
    let mut order: Vec<usize> = last.into_values().collect();
    order.sort_unstable();
    let puts: Vec<&crate::Put> = order.iter().map(|&i| &c.puts[i]).collect();
    let kinds: Vec<&str> = puts.iter().map(|p| p.kind.as_str()).collect();
    let ids: Vec<&str> = puts.iter().map(|p| p.id.as_str()).collect();
    let data: Vec<&[u8]> = puts.iter().map(|p| p.data.as_slice()).collect();
    tx.execute(
        "INSERT INTO records(kind, id, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
         ON CONFLICT (kind, id) DO UPDATE SET data = EXCLUDED.data",
        &[&kinds, &ids, &data],
    )?;
    drop_keys_of(tx, &kinds, &ids)?;
    let (mut key_kinds, mut keys, mut key_ids) = (Vec::new(), Vec::new(), Vec::new());
    for p in &puts {
        for k in &p.keys {
            key_kinds.push(p.kind.as_str());
            keys.push(k.as_str());
            key_ids.push(p.id.as_str());
        }
    }
    tx.execute(
        "INSERT INTO record_keys(kind, key, id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
        &[&key_kinds, &keys, &key_ids],
    )?;
    Ok(())
}

impl Conn {
    /// Runs `f` in one transaction, committed when it succeeds.
    fn in_transaction(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(), postgres::Error>,
    ) -> Result<(), StoreError> {
        let location = self.location.clone();
        let err = |source| StoreError::Postgres {
            location: location.clone(),
            source,
        };
        let mut tx = self.client.transaction().map_err(err)?;
        f(&mut tx).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        self.client.query(sql, params).map_err(|e| self.err(e))
    }

    fn load(&mut self) -> Result<Contents, StoreError> {
        let location = self.location.clone();
        let mut load = Loader::new(&location);
        for r in &self.query(SELECT_DOCUMENTS, &[])? {
            load.document(document_row(r))?;
        }
        for r in &self.query(&format!("{SELECT_ARTICLES} ORDER BY a.seq"), &[])? {
            load.article(article_row(r), r.get(13))?;
        }
        Ok(load.finish())
    }

    fn articles(&mut self, ids: &[String]) -> Result<Contents, StoreError> {
        let location = self.location.clone();
        let rows = self.query(
            &format!("{SELECT_ARTICLES} WHERE a.id = ANY($1) ORDER BY a.seq"),
            &[&ids],
        )?;
        let mut docs: Vec<String> = rows.iter().map(|r| r.get(1)).collect();
        docs.sort_unstable();
        docs.dedup();
        let doc_rows = self.query(
            &format!(
                "{} (SELECT unnest($1::text[])) ORDER BY seq",
                SELECT_DOCUMENTS_BY_ID
            ),
            &[&docs],
        )?;
        let siblings = self.query(
            "SELECT document, id FROM articles WHERE document = ANY($1) ORDER BY seq",
            &[&docs],
        )?;
        let mut load = Loader::new(&location);
        for r in &doc_rows {
            load.document(document_row(r))?;
        }
        load.siblings(siblings.iter().map(|r| (r.get(0), r.get(1))).collect());
        for r in &rows {
            load.article(article_row(r), r.get(13))?;
        }
        Ok(load.finish())
    }
}

impl Backend for Postgres {
    fn annotations(
        &mut self,
        version: i64,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let ids = ids.to_vec();
        self.call(move |c| {
            let rows = c.query(
                "SELECT article, data FROM annotations WHERE version=$1 AND article = ANY($2)",
                &[&version, &ids],
            )?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn write_annotations(
        &mut self,
        version: i64,
        rows: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        let rows: Vec<(String, Vec<u8>)> = rows
            .iter()
            .map(|(a, d)| (a.to_string(), d.to_vec()))
            .collect();
        self.call(move |c| {
            c.in_transaction(|tx| {
                let st = tx.prepare(
                    "INSERT INTO annotations(article, version, data) VALUES($1, $2, $3)
                     ON CONFLICT (article) DO UPDATE SET version = EXCLUDED.version,
                       data = EXCLUDED.data",
                )?;
                for (a, d) in &rows {
                    tx.execute(&st, &[a, &version, d])?;
                }
                Ok(())
            })
        })
    }

    fn claim_readings(&mut self, ids: &[&str]) -> Result<crate::Readings, StoreError> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        self.call(move |c| {
            let rows = c.query(
                "SELECT article, signature, data FROM claim_readings WHERE article = ANY($1)",
                &[&ids],
            )?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), (r.get(1), r.get(2))))
                .collect())
        })
    }

    fn write_claim_readings(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        let rows: Vec<(String, String, Vec<u8>)> = rows
            .iter()
            .map(|(a, s, d)| (a.to_string(), s.to_string(), d.to_vec()))
            .collect();
        self.call(move |c| {
            c.in_transaction(|tx| {
                let st = tx.prepare(
                    "INSERT INTO claim_readings(article, signature, data) VALUES($1, $2, $3)
                     ON CONFLICT (article) DO UPDATE SET signature = EXCLUDED.signature,
                       data = EXCLUDED.data",
                )?;
                for (a, sig, d) in &rows {
                    tx.execute(&st, &[a, sig, d])?;
                }
                Ok(())
            })
        })
    }

    fn known_documents(&mut self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let ids = ids.to_vec();
        self.call(move |c| {
            let rows = c.query("SELECT id FROM documents WHERE id = ANY($1)", &[&ids])?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn load(&mut self) -> Result<Contents, StoreError> {
        self.call(Conn::load)
    }

    fn articles(&mut self, ids: &[String]) -> Result<Contents, StoreError> {
        let ids = ids.to_vec();
        self.call(move |c| c.articles(&ids))
    }

    fn article_texts(&mut self, ids: &[String]) -> Result<Vec<Article>, StoreError> {
        let ids = ids.to_vec();
        self.call(move |c| {
            let location = c.location.clone();
            let rows = c.query(
                &format!("{SELECT_ARTICLES} WHERE a.id = ANY($1) ORDER BY a.seq"),
                &[&ids],
            )?;
            let mut load = Loader::new(&location);
            for r in &rows {
                load.article(article_row(r), None)?;
            }
            Ok(load.finish().articles)
        })
    }

    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[NewArticle<'_>],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        let batch = Batch {
            documents: documents.to_vec(),
            articles: articles
                .iter()
                .map(|(a, f, k)| ((*a).clone(), f.to_vec(), k.to_vec()))
                .collect(),
            origin_updates: origin_updates
                .iter()
                .map(|(x, y)| (x.to_string(), y.to_string()))
                .collect(),
        };
        self.call(move |c| c.in_transaction(|tx| insert_batch(tx, &batch)))
    }

    fn fingerprint_hits(&mut self, keys: &[String]) -> Result<Vec<FingerprintHit>, StoreError> {
        let keys = keys.to_vec();
        self.call(move |c| {
            let rows = c.query(
                "SELECT k.key, a.id, a.origin, o.seq, a.seq, f.data FROM record_keys k
                 JOIN articles a ON a.id = k.id JOIN articles o ON o.id = a.origin
                 LEFT JOIN fingerprints f ON f.article = a.id
                 WHERE k.kind = 'fp' AND k.key = ANY($1)",
                &[&keys],
            )?;
            Ok(rows
                .iter()
                .map(|r| FingerprintHit {
                    key: r.get(0),
                    article: r.get(1),
                    origin: r.get(2),
                    origin_seq: r.get(3),
                    seq: r.get(4),
                    fingerprint: r.get::<_, Option<Vec<u8>>>(5).unwrap_or_default(),
                })
                .collect())
        })
    }

    fn pending(&mut self) -> Result<Vec<String>, StoreError> {
        self.call(|c| {
            let rows = c.query(
                "SELECT p.article FROM pending p JOIN articles a ON a.id = p.article
                 ORDER BY a.seq",
                &[],
            )?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn records(
        &mut self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let (kind, ids) = (kind.to_string(), ids.to_vec());
        self.call(move |c| {
            let rows = c.query(
                "SELECT id, data FROM records WHERE kind=$1 AND id = ANY($2)",
                &[&kind, &ids],
            )?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn records_by_key(
        &mut self,
        kind: &str,
        keys: &[String],
    ) -> Result<Vec<(String, String, Vec<u8>)>, StoreError> {
        let (kind, keys) = (kind.to_string(), keys.to_vec());
        self.call(move |c| {
            let rows = c.query(
                "SELECT k.key, r.id, r.data FROM record_keys k
                 JOIN records r ON r.kind = k.kind AND r.id = k.id
                 WHERE k.kind=$1 AND k.key = ANY($2)",
                &[&kind, &keys],
            )?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect())
        })
    }

    fn all_records(&mut self, kind: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let kind = kind.to_string();
        self.call(move |c| {
            let rows = c.query(
                "SELECT id, data FROM records WHERE kind=$1 ORDER BY id",
                &[&kind],
            )?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), StoreError> {
        let commit = commit.clone();
        self.call(move |c| c.in_transaction(|tx| apply_commit(tx, &commit)))
    }

    fn lock(&mut self) -> Result<(), StoreError> {
        self.call(|c| {
            c.query("SELECT pg_advisory_lock($1)", &[&PROCESS_LOCK])
                .map(|_| ())
        })
    }

    fn unlock(&mut self) -> Result<(), StoreError> {
        self.call(|c| {
            c.query("SELECT pg_advisory_unlock($1)", &[&PROCESS_LOCK])
                .map(|_| ())
        })
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_string();
        self.call(move |c| {
            let rows = c.query("SELECT value FROM meta WHERE key=$1", &[&key])?;
            Ok(rows.first().map(|r| r.get(0)))
        })
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_string(), value.to_string());
        self.call(move |c| {
            c.query(
                "INSERT INTO meta(key, value) VALUES($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&key, &value],
            )
            .map(|_| ())
        })
    }

    fn size_bytes(&mut self) -> Result<u64, StoreError> {
        self.call(|c| {
            c.client
                .query_one("SELECT pg_database_size(current_database())", &[])
                .map(|r| r.get::<_, i64>(0) as u64)
                .map_err(|e| c.err(e))
        })
    }
}
