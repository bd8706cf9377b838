//! The embedded backend: one SQLite file (WAL journal), the default store.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use model::Document;
use rusqlite::{Connection, OptionalExtension, params};

use crate::rows::{
    ArticleRow, DocumentRow, Loader, SELECT_ARTICLES, SELECT_DOCUMENTS, SELECT_DOCUMENTS_BY_ID,
};
use crate::{Backend, Commit, Contents, FingerprintHit, NewArticle, SCHEMA_VERSION, StoreError};

/// An open SQLite store.
pub(crate) struct Sqlite {
    conn: Connection,
    path: PathBuf,
    /// The processing lock: an exclusive lock on `<file>.lock`, held while a run processes.
    lock: Option<std::fs::File>,
}

impl Sqlite {
    /// Opens (creating if needed) the SQLite store at `path`.
    pub(crate) fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let err = |source| StoreError::Sqlite {
            location: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        // Writers wait for each other rather than fail (a batch is one short transaction).
        conn.busy_timeout(std::time::Duration::from_secs(600))
            .map_err(err)?;
        // A run reads scattered rows of a large file: a page cache of 64 MiB and reads through
        // a memory map keep them from going to the file system one page at a time.
        conn.execute_batch("PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;")
            .map_err(err)?;
        let mut store = Sqlite {
            conn,
            path: path.to_path_buf(),
            lock: None,
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

/// Stored articles under fingerprint keys, with their origin's order and their fingerprint.
const FINGERPRINT_HITS_SQLITE: &str =
    "SELECT k.key, a.id, a.origin, o.seq, a.seq, f.data FROM record_keys k
     JOIN articles a ON a.id = k.id JOIN articles o ON o.id = a.origin
     LEFT JOIN fingerprints f ON f.article = a.id
     WHERE k.kind = 'fp' AND k.key IN ({})";

fn insert_batch(
    tx: &rusqlite::Transaction<'_>,
    documents: &[Document],
    articles: &[NewArticle<'_>],
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
    let mut ins_key =
        tx.prepare_cached("INSERT OR IGNORE INTO record_keys(kind, key, id) VALUES('fp', ?1, ?2)")?;
    let mut ins_pending = tx.prepare_cached("INSERT OR IGNORE INTO pending(article) VALUES(?1)")?;
    for (a, fp, keys) in articles {
        let paragraphs = serde_json::to_string(&a.paragraphs).expect("paragraphs serialise");
        let added = ins_art.execute(params![
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
        if added == 0 {
            continue;
        }
        ins_fp.execute(params![a.id, fp])?;
        for k in keys.iter() {
            ins_key.execute(params![k, a.id])?;
        }
        ins_pending.execute([&a.id])?;
    }
    let mut upd = tx.prepare_cached("UPDATE articles SET origin=?2 WHERE id=?1")?;
    for (id, origin) in origin_updates {
        upd.execute(params![id, origin])?;
    }
    Ok(())
}

/// Applies a run's processing (see [`Commit`]).
fn apply_commit(tx: &rusqlite::Transaction<'_>, c: &Commit) -> rusqlite::Result<()> {
    let mut del = tx.prepare_cached("DELETE FROM records WHERE kind=?1 AND id=?2")?;
    let mut del_keys = tx.prepare_cached("DELETE FROM record_keys WHERE kind=?1 AND id=?2")?;
    for (kind, id) in &c.deletes {
        del.execute(params![kind, id])?;
        del_keys.execute(params![kind, id])?;
    }
    let mut rekey =
        tx.prepare_cached("UPDATE OR REPLACE record_keys SET key=?3 WHERE kind=?1 AND key=?2")?;
    for (kind, old, new) in &c.rekeys {
        rekey.execute(params![kind, old, new])?;
    }
    let mut put =
        tx.prepare_cached("INSERT OR REPLACE INTO records(kind, id, data) VALUES(?1, ?2, ?3)")?;
    let mut key =
        tx.prepare_cached("INSERT OR IGNORE INTO record_keys(kind, key, id) VALUES(?1, ?2, ?3)")?;
    for p in &c.puts {
        put.execute(params![p.kind, p.id, p.data])?;
        del_keys.execute(params![p.kind, p.id])?;
        for k in &p.keys {
            key.execute(params![p.kind, k, p.id])?;
        }
    }
    for (kind, k, id) in &c.keys {
        key.execute(params![kind, k, id])?;
    }
    let mut done = tx.prepare_cached("DELETE FROM pending WHERE article=?1")?;
    for a in &c.done {
        done.execute([a])?;
    }
    Ok(())
}

impl Sqlite {
    /// Runs `sql` once per chunk of `ids` (its `{}` replaced by the chunk's placeholders,
    /// after `fixed` leading parameters), collecting rows with `row`.
    fn query_in<T>(
        &self,
        sql: &str,
        fixed: &[&dyn rusqlite::ToSql],
        ids: &[String],
        mut row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        // Bound parameters per statement stay under SQLite's limit.
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (0..chunk.len())
                .map(|i| format!("?{}", fixed.len() + i + 1))
                .collect();
            let sql = sql.replace("{}", &marks.join(","));
            let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
            let params: Vec<&dyn rusqlite::ToSql> = fixed
                .iter()
                .copied()
                .chain(chunk.iter().map(|s| s as &dyn rusqlite::ToSql))
                .collect();
            let mut rows = st.query(params.as_slice()).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                out.push(row(r).map_err(|e| self.err(e))?);
            }
        }
        Ok(out)
    }
}

/// The stored articles `ids` with their fingerprints, in insertion order.
type SeqRows = Vec<(i64, (ArticleRow, Option<Vec<u8>>))>;

impl Sqlite {
    fn article_rows(&self, ids: &[String]) -> Result<SeqRows, StoreError> {
        let mut rows = self.query_in(
            &format!("{SELECT_ARTICLES} WHERE a.id IN ({{}})"),
            &[],
            ids,
            |r| Ok((r.get::<_, i64>(14)?, article_row(r)?)),
        )?;
        rows.sort_unstable_by_key(|r| r.0);
        Ok(rows)
    }
}

/// Bytes of a text or blob value (SQLite keeps whichever was written).
fn bytes_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Vec<u8>> {
    Ok(r.get_ref(i)?.as_bytes()?.to_vec())
}

impl Backend for Sqlite {
    fn annotations(
        &mut self,
        version: i64,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let rows = self.query_in(
            "SELECT article, data FROM annotations WHERE version=?1 AND article IN ({})",
            &[&version],
            ids,
            |r| Ok((r.get(0)?, bytes_at(r, 1)?)),
        )?;
        Ok(rows.into_iter().collect())
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

    fn claim_readings(&mut self, ids: &[&str]) -> Result<crate::Readings, StoreError> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let rows = self.query_in(
            "SELECT article, signature, data FROM claim_readings WHERE article IN ({})",
            &[],
            &ids,
            |r| Ok((r.get(0)?, (r.get(1)?, bytes_at(r, 2)?))),
        )?;
        Ok(rows.into_iter().collect())
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

    fn known_documents(&mut self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let rows = self.query_in("SELECT id FROM documents WHERE id IN ({})", &[], ids, |r| {
            r.get(0)
        })?;
        Ok(rows.into_iter().collect())
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
            .prepare(&format!("{SELECT_ARTICLES} ORDER BY a.seq"))
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let (row, fp) = article_row(r).map_err(|e| self.err(e))?;
            load.article(row, fp)?;
        }
        Ok(load.finish())
    }

    fn articles(&mut self, ids: &[String]) -> Result<Contents, StoreError> {
        let location = self.path.display().to_string();
        let rows = self.article_rows(ids)?;
        let docs: Vec<String> = rows.iter().map(|r| r.1.0.document.clone()).collect();
        let mut docs = docs;
        docs.sort_unstable();
        docs.dedup();
        let doc_rows = self.query_in(
            &format!("{SELECT_DOCUMENTS_BY_ID} ({{}}) ORDER BY seq"),
            &[],
            &docs,
            document_row,
        )?;
        let siblings = self.query_in(
            "SELECT document, id FROM articles WHERE document IN ({}) ORDER BY seq",
            &[],
            &docs,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut load = Loader::new(&location);
        for d in doc_rows {
            load.document(d)?;
        }
        load.siblings(siblings);
        for (_, (row, fp)) in rows {
            load.article(row, fp)?;
        }
        Ok(load.finish())
    }

    fn write_batch(
        &mut self,
        documents: &[Document],
        articles: &[NewArticle<'_>],
        origin_updates: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| insert_batch(tx, documents, articles, origin_updates))
    }

    fn fingerprint_hits(&mut self, keys: &[String]) -> Result<Vec<FingerprintHit>, StoreError> {
        self.query_in(FINGERPRINT_HITS_SQLITE, &[], keys, |r| {
            Ok(FingerprintHit {
                key: r.get(0)?,
                article: r.get(1)?,
                origin: r.get(2)?,
                origin_seq: r.get(3)?,
                seq: r.get(4)?,
                fingerprint: r.get::<_, Option<Vec<u8>>>(5)?.unwrap_or_default(),
            })
        })
    }

    fn article_texts(&mut self, ids: &[String]) -> Result<Vec<model::Article>, StoreError> {
        let location = self.path.display().to_string();
        let rows = self.article_rows(ids)?;
        let mut load = Loader::new(&location);
        for (_, (row, _)) in rows {
            load.article(row, None)?;
        }
        Ok(load.finish().articles)
    }

    fn pending(&mut self) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT p.article FROM pending p JOIN articles a ON a.id = p.article ORDER BY a.seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn records(
        &mut self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.query_in(
            "SELECT id, data FROM records WHERE kind=?1 AND id IN ({})",
            &[&kind],
            ids,
            |r| Ok((r.get(0)?, bytes_at(r, 1)?)),
        )
    }

    fn records_by_key(
        &mut self,
        kind: &str,
        keys: &[String],
    ) -> Result<Vec<(String, String, Vec<u8>)>, StoreError> {
        self.query_in(
            "SELECT k.key, r.id, r.data FROM record_keys k
             JOIN records r ON r.kind = k.kind AND r.id = k.id
             WHERE k.kind=?1 AND k.key IN ({})",
            &[&kind],
            keys,
            |r| Ok((r.get(0)?, r.get(1)?, bytes_at(r, 2)?)),
        )
    }

    fn all_records(&mut self, kind: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id, data FROM records WHERE kind=?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([kind], |r| Ok((r.get(0)?, bytes_at(r, 1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), StoreError> {
        self.in_transaction(|tx| apply_commit(tx, commit))
    }

    fn lock(&mut self) -> Result<(), StoreError> {
        if self.lock.is_some() {
            return Ok(());
        }
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        let io = |e: std::io::Error| StoreError::Worker {
            location: self.path.display().to_string(),
            detail: format!("processing lock: {e}"),
        };
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&name)
            .map_err(io)?;
        f.lock().map_err(io)?;
        self.lock = Some(f);
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), StoreError> {
        // Closing the file frees the lock.
        self.lock = None;
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key=?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
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
