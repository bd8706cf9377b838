//! Rows as both backends read them, turned into the model's documents and articles with the
//! same checks, and gathered into [`Contents`].

use std::collections::HashMap;

use model::{Article, DocKind, Document, Paragraph, PublishedFrom};

use crate::{Contents, StoreError};

/// Every document, in insertion order (columns as [`DocumentRow`] takes them).
pub(crate) const SELECT_DOCUMENTS: &str =
    "SELECT id, path, line, kind, bytes FROM documents ORDER BY seq";

/// Documents by id: followed by a parenthesised list or array of ids.
pub(crate) const SELECT_DOCUMENTS_BY_ID: &str =
    "SELECT id, path, line, kind, bytes FROM documents WHERE id IN";

/// Articles with their fingerprints (columns as [`ArticleRow`] takes them, then the
/// fingerprint, then the insertion order); callers add a condition or an order.
pub(crate) const SELECT_ARTICLES: &str =
    "SELECT a.id, a.document, a.idx, a.title, a.caption, a.url,
      a.outlet, a.dateline, a.published, a.published_from, a.text, a.paragraphs, a.origin, f.data,
      a.seq
    FROM articles a LEFT JOIN fingerprints f ON f.article = a.id";

/// One row of [`SELECT_DOCUMENTS`].
pub(crate) struct DocumentRow {
    pub id: String,
    pub path: String,
    pub line: Option<i64>,
    pub kind: String,
    pub bytes: i64,
}

/// One row of [`SELECT_ARTICLES`], before its checks.
pub(crate) struct ArticleRow {
    pub id: String,
    pub document: String,
    pub idx: i64,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub dateline: Option<String>,
    pub published: Option<String>,
    pub published_from: Option<String>,
    pub text: String,
    pub paragraphs: String,
    pub origin: String,
}

/// Gathers rows into [`Contents`], each document listing its articles.
pub(crate) struct Loader<'a> {
    location: &'a str,
    out: Contents,
    doc_pos: HashMap<String, usize>,
    /// Documents already list their articles ([`Loader::siblings`]).
    listed: bool,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(location: &'a str) -> Loader<'a> {
        Loader {
            location,
            out: Contents::default(),
            doc_pos: HashMap::new(),
            listed: false,
        }
    }

    fn corrupt(&self, table: &'static str, detail: String) -> StoreError {
        StoreError::Corrupt {
            location: self.location.to_string(),
            table,
            detail,
        }
    }

    pub(crate) fn document(&mut self, r: DocumentRow) -> Result<(), StoreError> {
        let kind = DocKind::parse(&r.kind).ok_or_else(|| self.corrupt("documents", r.kind))?;
        self.doc_pos.insert(r.id.clone(), self.out.documents.len());
        self.out.documents.push(Document {
            id: r.id,
            path: r.path,
            line: r.line.map(|l| l as u64),
            kind,
            bytes: r.bytes as u64,
            articles: Vec::new(),
        });
        Ok(())
    }

    /// Lists `(document, article)` pairs in their documents, for a load of some articles
    /// whose documents must still list all of theirs.
    pub(crate) fn siblings(&mut self, pairs: Vec<(String, String)>) {
        for (d, a) in pairs {
            if let Some(&i) = self.doc_pos.get(&d) {
                self.out.documents[i].articles.push(a);
            }
        }
        self.listed = true;
    }

    pub(crate) fn article(&mut self, r: ArticleRow, fp: Option<Vec<u8>>) -> Result<(), StoreError> {
        let id = r.id;
        let paragraphs: Vec<Paragraph> = serde_json::from_str(&r.paragraphs)
            .map_err(|e| self.corrupt("articles", format!("{id}: {e}")))?;
        if paragraphs
            .iter()
            .any(|p| p.end > r.text.len() || p.start > p.end)
        {
            return Err(self.corrupt("articles", format!("{id}: paragraph out of range")));
        }
        let published_from = r
            .published_from
            .map(|s| PublishedFrom::parse(&s).ok_or_else(|| self.corrupt("articles", s)))
            .transpose()?;
        // Layers that are not stored start empty.
        let empty = Article::new("", 0, model::CleanArticle::default());
        let article = Article {
            document: r.document,
            index: r.idx as usize,
            title: r.title,
            caption: r.caption,
            url: r.url,
            outlet: r.outlet,
            dateline: r.dateline,
            published: r.published,
            published_from,
            text: r.text,
            paragraphs,
            origin: r.origin,
            id,
            ..empty
        };
        if let Some(&d) = self.doc_pos.get(&article.document)
            && !self.listed
        {
            self.out.documents[d].articles.push(article.id.clone());
        }
        self.out.fingerprints.push(fp.unwrap_or_default());
        self.out.articles.push(article);
        Ok(())
    }

    pub(crate) fn finish(self) -> Contents {
        self.out
    }
}
