//! The server backend: a PostgreSQL database (`postgres://` or `postgresql://` URL), for
//! stores that several machines or processes write at once.
//!
//! Same tables and content-addressed ids as SQLite; writes are `INSERT ... ON CONFLICT`, so
//! two writers adding the same document add it once, and a batch is one transaction. The
//! schema is created under an advisory lock, so writers that open a fresh database together
//! do not race. Connections are plain TCP or a Unix socket without TLS: run it on loopback, a
//! socket or a trusted network.

use std::collections::HashMap;

use model::{Article, Document};
use std::sync::mpsc;

use postgres::{Client, NoTls, Transaction};

use crate::rows::{ArticleRow, DocumentRow, Loader, SELECT_ARTICLES, SELECT_DOCUMENTS};
use crate::{Backend, Contents, SCHEMA_VERSION, StoreError};

/// Key of the advisory lock held while the schema is checked or created ("crosscheck").
const SCHEMA_LOCK: i64 = 0x6372_6f73_7363_6863;

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

fn insert_batch(
    tx: &mut Transaction<'_>,
    documents: &[Document],
    articles: &[(&Article, &[u8])],
    origin_updates: &[(&str, &str)],
) -> Result<(), postgres::Error> {
    let ins_doc = tx.prepare(
        "INSERT INTO documents(id, path, line, kind, bytes) VALUES($1,$2,$3,$4,$5)
         ON CONFLICT (id) DO NOTHING",
    )?;
    for d in documents {
        let line = d.line.map(|l| l as i64);
        tx.execute(
            &ins_doc,
            &[&d.id, &d.path, &line, &d.kind.as_str(), &(d.bytes as i64)],
        )?;
    }
    let ins_art = tx.prepare(
        "INSERT INTO articles(id, document, idx, title, caption, url, outlet, dateline,
           published, published_from, text, paragraphs, origin)
         VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
         ON CONFLICT (id) DO NOTHING",
    )?;
    let ins_fp = tx.prepare(
        "INSERT INTO fingerprints(article, data) VALUES($1, $2)
         ON CONFLICT (article) DO UPDATE SET data = EXCLUDED.data",
    )?;
    for (a, fp) in articles {
        let paragraphs = serde_json::to_string(&a.paragraphs).expect("paragraphs serialise");
        let from = a.published_from.map(|p| p.as_str());
        tx.execute(
            &ins_art,
            &[
                &a.id,
                &a.document,
                &(a.index as i64),
                &a.title,
                &a.caption,
                &a.url,
                &a.outlet,
                &a.dateline,
                &a.published,
                &from,
                &a.text,
                &paragraphs,
                &a.origin,
            ],
        )?;
        tx.execute(&ins_fp, &[&a.id, fp])?;
    }
    let upd = tx.prepare("UPDATE articles SET origin=$2 WHERE id=$1")?;
    for (id, origin) in origin_updates {
        tx.execute(&upd, &[id, origin])?;
    }
    Ok(())
}

impl Conn {
    fn annotations(&mut self, version: i64) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT article, data FROM annotations WHERE version=$1",
                &[&version],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn write_annotations(
        &mut self,
        version: i64,
        rows: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let st = tx.prepare(
                "INSERT INTO annotations(article, version, data) VALUES($1, $2, $3)
                 ON CONFLICT (article) DO UPDATE SET version = EXCLUDED.version,
                   data = EXCLUDED.data",
            )?;
            for (a, d) in rows {
                tx.execute(&st, &[a, &version, d])?;
            }
            Ok(())
        })
    }

    fn claim_layers(&mut self) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let rows = self
            .client
            .query("SELECT signature, data FROM claim_layers", &[])
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn write_claim_layers(&mut self, rows: &[(String, String, Vec<u8>)]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let st = tx.prepare(
                "INSERT INTO claim_layers(thread, signature, data) VALUES($1, $2, $3)
                 ON CONFLICT (thread) DO UPDATE SET signature = EXCLUDED.signature,
                   data = EXCLUDED.data",
            )?;
            for (t, sig, d) in rows {
                tx.execute(&st, &[t, sig, d])?;
            }
            Ok(())
        })
    }

    fn claim_readings(&mut self, ids: &[String]) -> Result<crate::Readings, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT article, signature, data FROM claim_readings WHERE article = ANY($1)",
                &[&ids],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect())
    }

    fn write_claim_readings(
        &mut self,
        rows: &[(String, String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let st = tx.prepare(
                "INSERT INTO claim_readings(article, signature, data) VALUES($1, $2, $3)
                 ON CONFLICT (article) DO UPDATE SET signature = EXCLUDED.signature,
                   data = EXCLUDED.data",
            )?;
            for (a, sig, d) in rows {
                tx.execute(&st, &[a, sig, d])?;
            }
            Ok(())
        })
    }

    fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        self.client
            .query_opt("SELECT 1 FROM documents WHERE id=$1", &[&id])
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    fn load(&mut self) -> Result<Contents, StoreError> {
        let mut load = Loader::new(&self.location);
        let docs = self
            .client
            .query(SELECT_DOCUMENTS, &[])
            .map_err(|e| self.err(e))?;
        for r in &docs {
            load.document(document_row(r))?;
        }
        let rows = self
            .client
            .query(SELECT_ARTICLES, &[])
            .map_err(|e| self.err(e))?;
        for r in &rows {
            load.article(article_row(r), r.get(13))?;
        }
        Ok(load.finish())
    }

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

    fn write_batch(&mut self, b: &Batch) -> Result<(), StoreError> {
        let articles: Vec<(&Article, &[u8])> =
            b.articles.iter().map(|(a, f)| (a, f.as_slice())).collect();
        let updates: Vec<(&str, &str)> = b
            .origin_updates
            .iter()
            .map(|(x, y)| (x.as_str(), y.as_str()))
            .collect();
        self.in_transaction(|tx| insert_batch(tx, &b.documents, &articles, &updates))
    }

    fn assignments(&mut self) -> Result<HashMap<String, (String, String)>, StoreError> {
        let rows = self
            .client
            .query("SELECT article, event, thread FROM assignments", &[])
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect())
    }

    fn write_assignments(&mut self, rows: &[[String; 3]]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let st = tx.prepare(
                "INSERT INTO assignments(article, event, thread) VALUES($1, $2, $3)
                 ON CONFLICT (article) DO UPDATE SET event = EXCLUDED.event,
                   thread = EXCLUDED.thread",
            )?;
            for [a, e, t] in rows {
                tx.execute(&st, &[a, e, t])?;
            }
            Ok(())
        })
    }
}

/// A batch, owned, to hand to the connection thread.
struct Batch {
    documents: Vec<Document>,
    articles: Vec<(Article, Vec<u8>)>,
    origin_updates: Vec<(String, String)>,
}

impl Backend for Postgres {
    fn annotations(&mut self, version: i64) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        self.call(move |c| c.annotations(version))
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
        self.call(move |c| c.write_annotations(version, &rows))
    }

    fn claim_layers(&mut self) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        self.call(|c| c.claim_layers())
    }

    fn write_claim_layers(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        let rows: Vec<(String, String, Vec<u8>)> = rows
            .iter()
            .map(|(t, s, d)| (t.to_string(), s.to_string(), d.to_vec()))
            .collect();
        self.call(move |c| c.write_claim_layers(&rows))
    }

    fn claim_readings(&mut self, ids: &[&str]) -> Result<crate::Readings, StoreError> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        self.call(move |c| c.claim_readings(&ids))
    }

    fn write_claim_readings(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        let rows: Vec<(String, String, Vec<u8>)> = rows
            .iter()
            .map(|(a, s, d)| (a.to_string(), s.to_string(), d.to_vec()))
            .collect();
        self.call(move |c| c.write_claim_readings(&rows))
    }

    fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.call(move |c| c.has_document(&id))
    }

    fn load(&mut self) -> Result<Contents, StoreError> {
        self.call(Conn::load)
    }

    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[(&Article, &[u8])],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        let batch = Batch {
            documents: documents.to_vec(),
            articles: articles
                .iter()
                .map(|(a, f)| ((*a).clone(), f.to_vec()))
                .collect(),
            origin_updates: origin_updates
                .iter()
                .map(|(x, y)| (x.to_string(), y.to_string()))
                .collect(),
        };
        self.call(move |c| c.write_batch(&batch))
    }

    fn assignments(&mut self) -> Result<HashMap<String, (String, String)>, StoreError> {
        self.call(Conn::assignments)
    }

    fn write_assignments(&mut self, rows: &[(&str, &str, &str)]) -> Result<(), StoreError> {
        let rows: Vec<[String; 3]> = rows
            .iter()
            .map(|(a, e, t)| [a.to_string(), e.to_string(), t.to_string()])
            .collect();
        self.call(move |c| c.write_assignments(&rows))
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
