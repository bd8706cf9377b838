//! Clean, fingerprint and deduplicate new documents against what a store holds, without
//! loading the store: stored articles are found through the fingerprint keys they were filed
//! under (kind `fp` of the store's record keys), and a small duplicate index is rebuilt from
//! those candidates only, so the work grows with the new documents, not with the store.
//!
//! Keys (see [`keys`]): the exact token-sequence hash, the 21 MinHash band keys and the hash
//! of each paragraph of [`dedup::MIN_PARAGRAPH_TOKENS`] tokens or more. A store files a key
//! under an article only where no earlier article of the same copy group holds it (the exact
//! hash and paragraphs: no earlier article at all), so a group of hundreds of copies answers a
//! key with one row, and a lookup stays small however many copies the store holds.
//!
//! Stored copy groups are frozen: a new article joins the older of the groups it copies and
//! stored articles keep their origins (a batch run, where every article is new, merges them).

use std::collections::{HashMap, HashSet};

use dedup::{Fingerprint, Index};
use model::{Article, Document, ParagraphRef};
use store::{FingerprintHit, Store, StoreError};

/// A new document, cleaned, with its articles' fingerprints.
pub(crate) struct Cleaned {
    pub doc: ingest::RawDocument,
    pub articles: Vec<(model::CleanArticle, Fingerprint)>,
}

/// New documents and articles after deduplication, ready to store.
#[derive(Default)]
pub(crate) struct Deduped {
    pub documents: Vec<Document>,
    pub articles: Vec<Article>,
    /// Per article: its serialised fingerprint and the keys to file it under.
    pub fingerprints: Vec<(Vec<u8>, Vec<String>)>,
    /// Per document: the range of its articles.
    pub ranges: Vec<std::ops::Range<usize>>,
    /// Documents from which no article text could be cleaned.
    pub empty: Vec<String>,
    pub index_bytes: usize,
}

impl Deduped {
    /// Records `doc`, whose articles are those pushed since `first`.
    fn push_document(&mut self, doc: &ingest::RawDocument, first: usize) {
        let document = Document {
            id: doc.id.clone(),
            path: doc.path.clone(),
            line: doc.line,
            kind: doc.kind,
            bytes: doc.bytes,
            articles: self.articles[first..]
                .iter()
                .map(|a| a.id.clone())
                .collect(),
        };
        if document.articles.is_empty() {
            self.empty.push(crate::display_path(&document));
        }
        self.documents.push(document);
        self.ranges.push(first..self.articles.len());
    }
}

/// A key of a fingerprint: what it names, for the filing rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Exact,
    Band,
    Paragraph,
}

/// The lookup keys of a fingerprint.
fn keys(fp: &Fingerprint) -> Vec<(KeyKind, String)> {
    let mut out = vec![(KeyKind::Exact, format!("x{:016x}", fp.exact))];
    for (b, k) in fp.bands.iter().enumerate() {
        out.push((KeyKind::Band, format!("b{b}:{k:016x}")));
    }
    for &(h, n) in &fp.paragraphs {
        if n as usize >= dedup::MIN_PARAGRAPH_TOKENS {
            out.push((KeyKind::Paragraph, format!("p{h:016x}")));
        }
    }
    out
}

/// The keys a stored article is filed under: every key of its fingerprint (used to backfill
/// stores made before keys existed, where no filing rule was applied).
pub(crate) fn all_keys(fp: &Fingerprint) -> Vec<String> {
    keys(fp).into_iter().map(|(_, k)| k).collect()
}

/// Stored articles that may be copies of the new ones (by shared keys), rebuilt into a
/// duplicate index in insertion order, each in its stored copy group (a group's origin is an
/// item of its own, indexed only when it is a candidate too). Their texts are read from the
/// store only when the index verifies one of them.
struct Candidates<'s> {
    index: Index,
    /// Item -> stored article id (items `0..ids.len()` are stored ones).
    ids: Vec<String>,
    store: Option<&'s mut Store>,
    /// Paragraphs of stored items read so far.
    texts: HashMap<u32, Vec<String>>,
    /// The first error met reading a text (the index's callback cannot return it).
    failed: Option<StoreError>,
    /// Which (key, stored origin) pairs the store already files.
    filed: HashSet<(String, String)>,
    /// Keys filed under any stored article.
    filed_keys: HashSet<String>,
}

impl<'s> Candidates<'s> {
    fn find(mut store: Option<&'s mut Store>, fps: &[&Fingerprint]) -> Result<Self, StoreError> {
        let mut wanted: Vec<String> = fps.iter().flat_map(|fp| all_keys(fp)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let hits = match store.as_deref_mut() {
            Some(s) if !wanted.is_empty() => s.fingerprint_hits(&wanted)?,
            _ => Vec::new(),
        };
        let mut c = Candidates {
            index: Index::new(),
            ids: Vec::new(),
            store,
            texts: HashMap::new(),
            failed: None,
            filed: (hits.iter())
                .map(|h| (h.key.clone(), h.origin.clone()))
                .collect(),
            filed_keys: hits.iter().map(|h| h.key.clone()).collect(),
        };
        c.restore(capped(&hits).collect());
        Ok(c)
    }

    /// Restores the candidates and their groups' origins in insertion order.
    fn restore(&mut self, hits: Vec<&FingerprintHit>) {
        let mut items: HashMap<&str, Restored> = HashMap::new();
        for h in &hits {
            items.insert(&h.article, (h.seq, &h.origin, Some(&h.fingerprint)));
            items
                .entry(&h.origin)
                .or_insert((h.origin_seq, &h.origin, None));
        }
        let mut order: Vec<(&str, Restored)> = items.into_iter().collect();
        order.sort_unstable_by_key(|(_, (seq, _, _))| *seq);
        let pos: HashMap<&str, u32> = (order.iter().enumerate())
            .map(|(i, (id, _))| (*id, i as u32))
            .collect();
        for (i, (id, (_, origin, fp))) in order.iter().enumerate() {
            let origin = pos.get(origin).copied().unwrap_or(i as u32);
            match fp.and_then(Fingerprint::from_bytes) {
                Some(fp) => self.index.restore(&fp, origin),
                None => self.index.restore_unindexed(origin),
            };
            self.ids.push(id.to_string());
        }
    }

    /// The paragraphs of stored item `item`, read once.
    fn paragraphs(&mut self, item: u32) -> Option<Vec<String>> {
        if let Some(p) = self.texts.get(&item) {
            return Some(p.clone());
        }
        let store = self.store.as_deref_mut()?;
        let id = self.ids.get(item as usize)?.clone();
        let found = match store.article_texts(&[id]) {
            Ok(found) => found,
            Err(e) => {
                self.failed.get_or_insert(e);
                return None;
            }
        };
        let a = found.first()?;
        let paras: Vec<String> = (0..a.paragraphs.len())
            .map(|p| a.paragraph_text(p).to_string())
            .collect();
        self.texts.insert(item, paras.clone());
        Some(paras)
    }
}

/// A stored item to restore: its insertion order, its origin, and its fingerprint (none for
/// an origin that is not a candidate itself).
type Restored<'a> = (i64, &'a str, Option<&'a [u8]>);

/// The hits the in-memory index would walk: per key, the [`dedup::MAX_CHAIN`] most recent.
fn capped(hits: &[FingerprintHit]) -> impl Iterator<Item = &FingerprintHit> {
    let mut by_key: HashMap<&str, Vec<&FingerprintHit>> = HashMap::new();
    for h in hits {
        by_key.entry(h.key.as_str()).or_default().push(h);
    }
    by_key.into_values().flat_map(|mut v| {
        v.sort_unstable_by_key(|h| std::cmp::Reverse(h.seq));
        v.truncate(dedup::MAX_CHAIN);
        v
    })
}

/// An article's fingerprint from its text (when a stored one is missing or unreadable).
pub(crate) fn fingerprint(a: &Article) -> Fingerprint {
    Fingerprint::new((0..a.paragraphs.len()).map(|p| a.paragraph_text(p)))
}

/// Deduplicates `cleaned` (in input order) against the store's candidates and each other.
pub(crate) fn dedup(
    store: Option<&mut Store>,
    cleaned: Vec<Cleaned>,
) -> Result<Deduped, StoreError> {
    let fps: Vec<&Fingerprint> = cleaned
        .iter()
        .flat_map(|c| c.articles.iter().map(|(_, fp)| fp))
        .collect();
    let mut cands = Candidates::find(store, &fps)?;
    let stored = cands.ids.len();
    let mut out = Deduped::default();
    let mut fps_new: Vec<Fingerprint> = Vec::new();
    for c in cleaned {
        let first = out.articles.len();
        for (i, (clean, fp)) in c.articles.into_iter().enumerate() {
            let article = add_one(&mut cands, &out.articles, &c.doc.id, i, clean, &fp);
            out.articles.push(article);
            fps_new.push(fp);
        }
        out.push_document(&c.doc, first);
    }
    // Final copy groups: a later article may have joined an earlier new one's group.
    let origins: Vec<String> = (0..out.articles.len())
        .map(|i| {
            item_id(
                &cands,
                &out.articles,
                cands.index.origin((stored + i) as u32),
            )
        })
        .collect();
    for (a, o) in out.articles.iter_mut().zip(origins) {
        a.origin = o;
    }
    out.fingerprints = filing(&cands, &out.articles, &fps_new);
    out.index_bytes = cands.index.heap_bytes();
    match cands.failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Adds one new article to the index; returns it with its paragraph copy links.
fn add_one(
    cands: &mut Candidates,
    new: &[Article],
    doc: &str,
    i: usize,
    clean: model::CleanArticle,
    fp: &Fingerprint,
) -> Article {
    let mut article = Article::new(doc, i, clean);
    let stored = cands.ids.len();
    let added = {
        let paragraphs = |a: &Article| -> Vec<String> {
            (0..a.paragraphs.len())
                .map(|p| a.paragraph_text(p).to_string())
                .collect()
        };
        let this = &article;
        let mut index = std::mem::take(&mut cands.index);
        let mut texts = |item: u32| -> Option<Vec<String>> {
            match (item as usize).checked_sub(stored) {
                None => cands.paragraphs(item),
                Some(k) if k == new.len() => Some(paragraphs(this)),
                Some(k) => new.get(k).map(paragraphs),
            }
        };
        let added = index.add(fp, &mut texts);
        cands.index = index;
        added
    };
    for (p, other, op) in added.paragraph_copies {
        article.paragraphs[p].copy_of = Some(ParagraphRef {
            article: item_id(cands, new, other),
            paragraph: op,
        });
    }
    article
}

/// The article id of an index item (a stored candidate, else a new article).
fn item_id(cands: &Candidates, new: &[Article], item: u32) -> String {
    let item = item as usize;
    match item.checked_sub(cands.ids.len()) {
        None => cands.ids[item].clone(),
        Some(k) => new[k].id.clone(),
    }
}

/// Each new article's serialised fingerprint and the keys to file it under: a key the store
/// or an earlier new article already files for the same copy group (exact hashes and
/// paragraphs: for any article) is not filed again; an exact copy files no band keys (its
/// original's find it), as in the in-memory index.
fn filing(cands: &Candidates, new: &[Article], fps: &[Fingerprint]) -> Vec<(Vec<u8>, Vec<String>)> {
    let mut filed = cands.filed.clone();
    let mut filed_keys = cands.filed_keys.clone();
    new.iter()
        .zip(fps)
        .map(|(a, fp)| {
            let exact_copy = filed_keys.contains(&format!("x{:016x}", fp.exact));
            let mut mine = Vec::new();
            for (kind, k) in keys(fp) {
                let novel = match kind {
                    KeyKind::Band => !exact_copy && !filed.contains(&(k.clone(), a.origin.clone())),
                    KeyKind::Exact | KeyKind::Paragraph => !filed_keys.contains(&k),
                };
                if novel {
                    filed.insert((k.clone(), a.origin.clone()));
                    filed_keys.insert(k.clone());
                    mine.push(k);
                }
            }
            (fp.to_bytes(), mine)
        })
        .collect()
}

/// `cleaned` (in input order) with each article's copy layer taken from `known` (found group
/// by group, see [`crate::keyed`]); gives `cleaned` back when `known` misses an article.
/// Fingerprints are not kept: a run with a store deduplicates itself.
pub(crate) fn assign(
    cleaned: Vec<Cleaned>,
    known: &crate::keyed::KnownCopies,
) -> Result<Deduped, Vec<Cleaned>> {
    let complete = (cleaned.iter())
        .flat_map(|c| (0..c.articles.len()).map(|i| model::article_id(&c.doc.id, i)))
        .all(|id| known.get(&id).is_some());
    if !complete {
        return Err(cleaned);
    }
    let mut out = Deduped::default();
    for c in cleaned {
        let first = out.articles.len();
        for (i, (clean, _)) in c.articles.into_iter().enumerate() {
            out.articles.push(known_article(&c.doc.id, i, clean, known));
        }
        out.push_document(&c.doc, first);
    }
    Ok(out)
}

fn known_article(
    doc: &str,
    i: usize,
    clean: model::CleanArticle,
    known: &crate::keyed::KnownCopies,
) -> Article {
    let mut a = Article::new(doc, i, clean);
    if let Some(k) = known.get(&a.id) {
        a.origin = k.origin.clone();
        for (p, article, paragraph) in &k.paragraphs {
            if let Some(para) = a.paragraphs.get_mut(*p) {
                para.copy_of = Some(ParagraphRef {
                    article: article.clone(),
                    paragraph: *paragraph,
                });
            }
        }
    }
    a
}
