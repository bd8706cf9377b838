//! The embedded backend: one SQLite file (WAL journal), the default store.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use model::{Article, Document};
use rusqlite::{Connection, OptionalExtension, params};

use crate::rows::{ArticleRow, DocumentRow, Loader, SELECT_ARTICLES, SELECT_DOCUMENTS};
use crate::{Backend, Contents, SCHEMA_VERSION, StoreError};

/// An open SQLite store.
pub(crate) struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if needed) the SQLite store at `path`.
    pub(crate) fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let err = |source| StoreError::Sqlite {
            location: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        let mut store = Sqlite {
            conn,
            path: path.to_path_buf(),
        };
        store.init()?;
        Ok(store)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            location: self.path.display().to_string(),
            source,
        }
    }

    fn init(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode=WAL;
                 PRAGMA synchronous=NORMAL;
                 PRAGMA foreign_keys=ON;
                 CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )
            .map_err(|e| self.err(e))?;
        let version: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        match version {
            None => {
                let tables: i64 = self
                    .conn
                    .query_row(
                        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name<>'meta'",
                        [],
                        |r| r.get(0),
                    )
                    .map_err(|e| self.err(e))?;
                if tables > 0 {
                    return Err(StoreError::Schema {
                        location: self.path.display().to_string(),
                        found: None,
                    });
                }
                let tables =
                    crate::create_tables("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "BLOB");
                self.conn
                    .execute_batch(&format!(
                        "BEGIN;
                         {tables}
                         INSERT INTO meta(key, value) VALUES('schema', '{SCHEMA_VERSION}');
                         COMMIT;"
                    ))
                    .map_err(|e| self.err(e))?;
            }
            Some(v) if v == SCHEMA_VERSION.to_string() => {}
            Some(v)
                if v.parse::<i64>()
                    .is_ok_and(|n| (1..SCHEMA_VERSION).contains(&n)) =>
            {
                self.migrate(v.parse().expect("checked"))?;
            }
            Some(v) => {
                return Err(StoreError::Schema {
                    location: self.path.display().to_string(),
                    found: Some(v),
                });
            }
        }
        Ok(())
    }

    /// Brings a store of version `from` to [`SCHEMA_VERSION`], one step per transaction.
    fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        for v in from..SCHEMA_VERSION {
            let step = crate::migration(v, "BLOB").expect("a step for every older version");
            self.in_transaction(|tx| {
                tx.execute_batch(&step)?;
                tx.execute(
                    "UPDATE meta SET value=?1 WHERE key='schema'",
                    [(v + 1).to_string()],
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Runs `f` in one transaction, committed when it succeeds.
    fn in_transaction(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        let location = self.path.display().to_string();
        let err = |source| StoreError::Sqlite {
            location: location.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        f(&tx).map_err(err)?;
        tx.commit().map_err(err)
    }
}

fn document_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        path: r.get(1)?,
        line: r.get(2)?,
        kind: r.get(3)?,
        bytes: r.get(4)?,
    })
}

fn article_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ArticleRow, Option<Vec<u8>>)> {
    let row = ArticleRow {
        id: r.get(0)?,
        document: r.get(1)?,
        idx: r.get(2)?,
        title: r.get(3)?,
        caption: r.get(4)?,
        url: r.get(5)?,
        outlet: r.get(6)?,
        dateline: r.get(7)?,
        published: r.get(8)?,
        published_from: r.get(9)?,
        text: r.get(10)?,
        paragraphs: r.get(11)?,
        origin: r.get(12)?,
    };
    Ok((row, r.get(13)?))
}

fn insert_batch(
    tx: &rusqlite::Transaction<'_>,
    documents: &[Document],
    articles: &[(&Article, &[u8])],
    origin_updates: &[(&str, &str)],
) -> rusqlite::Result<()> {
    let mut ins_doc = tx.prepare_cached(
        "INSERT OR IGNORE INTO documents(id, path, line, kind, bytes) VALUES(?1,?2,?3,?4,?5)",
    )?;
    for d in documents {
        ins_doc.execute(params![
            d.id,
            d.path,
            d.line.map(|l| l as i64),
            d.kind.as_str(),
            d.bytes as i64
        ])?;
    }
    let mut ins_art = tx.prepare_cached(
        "INSERT OR IGNORE INTO articles(id, document, idx, title, caption, url, outlet,
           dateline, published, published_from, text, paragraphs, origin)
         VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    )?;
    let mut ins_fp =
        tx.prepare_cached("INSERT OR REPLACE INTO fingerprints(article, data) VALUES(?1, ?2)")?;
    for (a, fp) in articles {
        let paragraphs = serde_json::to_string(&a.paragraphs).expect("paragraphs serialise");
        ins_art.execute(params![
            a.id,
            a.document,
            a.index as i64,
            a.title,
            a.caption,
            a.url,
            a.outlet,
            a.dateline,
            a.published,
            a.published_from.map(|p| p.as_str()),
            a.text,
            paragraphs,
            a.origin
        ])?;
        ins_fp.execute(params![a.id, fp])?;
    }
    let mut upd = tx.prepare_cached("UPDATE articles SET origin=?2 WHERE id=?1")?;
    for (id, origin) in origin_updates {
        upd.execute(params![id, origin])?;
    }
    Ok(())
}

impl Backend for Sqlite {
    fn annotations(&mut self, version: i64) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT article, data FROM annotations WHERE version=?1")
            .map_err(|e| self.err(e))?;
        let rows = st
            // Bytes of a text or blob value (SQLite keeps whichever was written).
            .query_map([version], |r| {
                let data = r.get_ref(1)?.as_bytes()?.to_vec();
                Ok((r.get(0)?, data))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn write_annotations(
        &mut self,
        version: i64,
        rows: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT OR REPLACE INTO annotations(article, version, data) VALUES(?1, ?2, ?3)",
            )?;
            for (a, d) in rows {
                st.execute(params![a, version, d])?;
            }
            Ok(())
        })
    }

    fn claim_layers(&mut self) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT signature, data FROM claim_layers")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                let data = r.get_ref(1)?.as_bytes()?.to_vec();
                Ok((r.get(0)?, data))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn write_claim_layers(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT OR REPLACE INTO claim_layers(thread, signature, data) VALUES(?1, ?2, ?3)",
            )?;
            for (t, sig, d) in rows {
                st.execute(params![t, sig, d])?;
            }
            Ok(())
        })
    }

    fn claim_readings(&mut self, ids: &[&str]) -> Result<crate::Readings, StoreError> {
        let mut out = crate::Readings::new();
        // Bound parameters per statement stay under SQLite's limit.
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT article, signature, data FROM claim_readings WHERE article IN ({marks})"
            );
            let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
            let rows = st
                .query_map(rusqlite::params_from_iter(chunk), |r| {
                    let data = r.get_ref(2)?.as_bytes()?.to_vec();
                    Ok((r.get(0)?, (r.get(1)?, data)))
                })
                .map_err(|e| self.err(e))?;
            for row in rows {
                let (id, v): (String, (String, Vec<u8>)) = row.map_err(|e| self.err(e))?;
                out.insert(id, v);
            }
        }
        Ok(out)
    }

    fn write_claim_readings(&mut self, rows: &[(&str, &str, &[u8])]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT OR REPLACE INTO claim_readings(article, signature, data) VALUES(?1, ?2, ?3)",
            )?;
            for (a, sig, d) in rows {
                st.execute(params![a, sig, d])?;
            }
            Ok(())
        })
    }

    /// Whether a document with this id is stored.
    fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT 1 FROM documents WHERE id=?1", [id], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// Reads everything stored, in insertion order.
    fn load(&mut self) -> Result<Contents, StoreError> {
        let location = self.path.display().to_string();
        let mut load = Loader::new(&location);
        let mut st = self
            .conn
            .prepare(SELECT_DOCUMENTS)
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            load.document(document_row(r).map_err(|e| self.err(e))?)?;
        }
        let mut st = self
            .conn
            .prepare(SELECT_ARTICLES)
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let (row, fp) = article_row(r).map_err(|e| self.err(e))?;
            load.article(row, fp)?;
        }
        Ok(load.finish())
    }

    /// Writes new documents with their articles and fingerprints, and changed origins of stored
    /// articles, in one transaction.
    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[(&Article, &[u8])],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| insert_batch(tx, documents, articles, origin_updates))
    }

    /// The stored `(event, thread)` of each article that has one.
    fn assignments(&mut self) -> Result<HashMap<String, (String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT article, event, thread FROM assignments")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Records `(article, event, thread)` assignments in one transaction.
    fn write_assignments(&mut self, rows: &[(&str, &str, &str)]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT OR REPLACE INTO assignments(article, event, thread) VALUES(?1, ?2, ?3)",
            )?;
            for (a, e, t) in rows {
                st.execute(params![a, e, t])?;
            }
            Ok(())
        })
    }

    fn size_bytes(&mut self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }
}
