//! Full-text search over crosscheck articles.
//!
//! Job: answer "which articles say X?" with ranked hits and highlighted snippets, for
//! `crosscheck serve` (`GET /api/search?q=` and the search page).
//!
//! Input: [`model::Article`]s, added with [`SearchIndex::add`] (articles already indexed are
//! skipped by id, so the server can hand over the whole store after every write).
//! Output: [`Results`]: hits in score order, each with the article id, title, outlet, date and
//! a snippet whose highlights are byte ranges, into the snippet and (shifted by
//! `snippet_start`) into the article's `text`, like every other span in crosscheck.
//!
//! The index is a tantivy index held in RAM: the store is the source of truth, and rebuilding
//! from it at start-up takes well under a second for thousands of articles, so an on-disk
//! index would only add a second copy that can go stale. Title, text and outlet are
//! tokenised with tantivy's English stemmer (`flee` finds `flees`, `fleeing`); queries use
//! tantivy's query syntax (`"exact phrase"`, `title:assad`, `-excluded`), parsed leniently
//! so that a stray quote or colon never makes a query fail, and all words are required by
//! default (news searches are usually narrowing).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;
/// Indexing memory budget. tantivy needs at least 15 MB per indexing thread; one thread is
/// plenty for news articles and leaves the other core to the readers.
const WRITER_BYTES: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: a writer thread panicked")]
    Poisoned,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// The article id.
    pub article: String,
    pub score: f32,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// A passage of the article text around the best matches (at most 200 characters).
    pub snippet: String,
    /// Byte offset of `snippet` in the article's `text`.
    pub snippet_start: usize,
    /// Matched words: byte ranges `[start, end)` into `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// The answer to one query.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Results {
    pub query: String,
    /// Matching articles in all (`hits` holds at most the requested number).
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    text: Field,
    outlet: Field,
    published: Field,
}

/// An in-memory full-text index of articles; `Sync`, so one index serves every request.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Writer>,
    fields: Fields,
}

struct Writer {
    writer: IndexWriter,
    /// Ids already indexed, so `add` can be given the whole store each time.
    known: HashSet<String>,
}

impl SearchIndex {
    /// An empty index.
    pub fn new() -> Result<SearchIndex, SearchError> {
        let mut sb = Schema::builder();
        let stemmed = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("en_stem")
                    // Positions make phrase queries work and let snippets find the terms.
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            id: sb.add_text_field("id", STRING | STORED),
            title: sb.add_text_field("title", stemmed.clone()),
            text: sb.add_text_field("text", stemmed.clone()),
            outlet: sb.add_text_field("outlet", stemmed),
            published: sb.add_text_field("published", STORED),
        };
        let index = Index::create_in_ram(sb.build());
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        // Reloaded by hand after each commit, so a search right after `add` sees the articles.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(Writer {
                writer,
                known: HashSet::new(),
            }),
            fields,
        })
    }

    /// Indexes the articles not indexed yet; returns how many were added.
    pub fn add(&self, articles: &[model::Article]) -> Result<usize, SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let f = self.fields;
        let mut added = 0;
        for a in articles {
            if w.known.contains(&a.id) {
                continue;
            }
            let mut d = doc!(f.id => a.id.as_str(), f.text => a.text.as_str());
            if let Some(t) = &a.title {
                d.add_text(f.title, t);
            }
            if let Some(o) = &a.outlet {
                d.add_text(f.outlet, o);
            }
            if let Some(p) = &a.published {
                d.add_text(f.published, p);
            }
            w.writer.add_document(d)?;
            w.known.insert(a.id.clone());
            added += 1;
        }
        if added > 0 {
            w.writer.commit()?;
            self.reader.reload()?;
        }
        Ok(added)
    }

    /// Number of indexed articles.
    pub fn len(&self) -> usize {
        self.reader.searcher().num_docs() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The best `limit` articles for `query`. An empty query matches nothing.
    pub fn search(&self, query: &str, limit: usize) -> Result<Results, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.text, f.outlet]);
        parser.set_conjunction_by_default();
        // A word in the title says more about what an article is about than one in the body.
        parser.set_field_boost(f.title, 2.0);
        // Lenient: a syntax slip ("assad:", an unclosed quote) searches what can be read
        // rather than failing; the errors it reports are of no use to a reader.
        let (q, _errors) = parser.parse_query_lenient(query);
        let (top, total) = searcher.search(
            &q,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        // Query terms on the text field (stemmed, as indexed), weighted like tantivy's own
        // snippets: rarer terms count more.
        let mut terms: Vec<Term> = Vec::new();
        q.query_terms(&mut |t, _| {
            if t.field() == f.text {
                terms.push(t.clone());
            }
        });
        let mut weights: HashMap<String, f32> = HashMap::new();
        for t in &terms {
            if let Some(s) = t.value().as_str() {
                let df = searcher.doc_freq(t)?;
                if df > 0 {
                    weights.insert(s.to_string(), 1.0 / (1.0 + df as f32));
                }
            }
        }
        let mut analyzer = self.index.tokenizer_for_field(f.text)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top.into_iter().take(limit) {
            let d: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| -> Option<String> {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let text = get(f.text).unwrap_or_default();
            let found = matches(&mut analyzer, &weights, &text);
            let (snippet_start, end) = window(&text, &found, SNIPPET_CHARS);
            let highlights = found
                .iter()
                .filter(|m| m.0 >= snippet_start && m.1 <= end)
                .map(|m| [m.0 - snippet_start, m.1 - snippet_start])
                .collect();
            let snippet = text[snippet_start..end].to_string();
            hits.push(Hit {
                article: get(f.id).unwrap_or_default(),
                score,
                title: get(f.title),
                outlet: get(f.outlet),
                published: get(f.published),
                snippet,
                snippet_start,
                highlights,
            });
        }
        Ok(Results {
            query: query.to_string(),
            total,
            hits,
        })
    }

    /// True when the article `id` is indexed.
    pub fn contains(&self, id: &str) -> bool {
        let term = Term::from_field_text(self.fields.id, id);
        self.reader.searcher().doc_freq(&term).unwrap_or(0) > 0
    }
}

/// The words of `text` whose stem is a query term: `(start, end, weight)`, byte offsets.
///
/// Why not tantivy's `SnippetGenerator`: it stems every word of every hit's text, which was
/// most of the time of a search under load. A stemmer keeps a word's first letter, so only
/// words starting like a query term are stemmed here; the tokens are the same as indexing
/// makes (runs of letters and digits, lowercased, then stemmed by the field's analyzer).
fn matches(
    analyzer: &mut TextAnalyzer,
    weights: &HashMap<String, f32>,
    text: &str,
) -> Vec<(usize, usize, f32)> {
    let firsts: HashSet<char> = weights.keys().filter_map(|t| t.chars().next()).collect();
    let mut out = Vec::new();
    if firsts.is_empty() {
        return out;
    }
    let mut start: Option<usize> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if i < text.len() && c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        let Some(s) = start.take() else { continue };
        let word = &text[s..i];
        let first = word.chars().next().and_then(|c| c.to_lowercase().next());
        if !first.is_some_and(|c| firsts.contains(&c)) {
            continue;
        }
        let mut ts = analyzer.token_stream(word);
        if ts.advance()
            && let Some(&w) = weights.get(&ts.token().text)
        {
            out.push((s, i, w));
        }
    }
    out
}

/// Byte offset `n` characters after (or, negative, before) `at`, clamped to the text.
fn chars_from(text: &str, at: usize, n: isize) -> usize {
    if n >= 0 {
        text[at..]
            .char_indices()
            .nth(n as usize)
            .map_or(text.len(), |(i, _)| at + i)
    } else {
        text[..at]
            .char_indices()
            .rev()
            .nth((-n - 1) as usize)
            .map_or(0, |(i, _)| i)
    }
}

/// The passage of at most `max` characters with the most (weighted) matches, starting a
/// little before its first match and cut at word boundaries; the opening of the text when
/// nothing matches (a title-only hit).
fn window(text: &str, found: &[(usize, usize, f32)], max: usize) -> (usize, usize) {
    let cut_end = |start: usize| {
        let end = chars_from(text, start, max as isize);
        if end >= text.len() {
            return text.len();
        }
        // Back to the last space, unless that would leave nothing.
        match text[start..end].rfind(char::is_whitespace) {
            Some(i) if i > 0 => start + i,
            _ => end,
        }
    };
    if found.is_empty() {
        return (0, cut_end(0));
    }
    let mut best = (f32::MIN, 0usize);
    for (i, m) in found.iter().enumerate() {
        let end = chars_from(text, m.0, max as isize);
        let score: f32 = found[i..].iter().filter(|x| x.1 <= end).map(|x| x.2).sum();
        if score > best.0 {
            best = (score, m.0);
        }
    }
    // Some context before the first match: up to 40 characters, from a word start.
    let first = best.1;
    let mut start = chars_from(text, first, -40);
    if start > 0 {
        start = match text[start..first].find(char::is_whitespace) {
            Some(i) => start + i + 1,
            None => first,
        };
    }
    let end = cut_end(start).max(found.iter().find(|m| m.0 == first).map_or(first, |m| m.1));
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, text: &str) -> model::Article {
        let mut c = model::CleanArticle {
            title: Some(title.to_string()),
            outlet: Some("Test Wire".into()),
            ..Default::default()
        };
        c.set_paragraphs([(text, false)]);
        let mut a = model::Article::new("doc", 0, c);
        a.id = id.to_string();
        a
    }

    #[test]
    fn finds_stemmed_words_with_snippets_as_byte_ranges() {
        let ix = SearchIndex::new().unwrap();
        let text = "Médecins said Bashar al-Assad was fleeing Damascus in December 2024, days after the offensive began.";
        let n = ix
            .add(&[
                article("a1", "Assad in Moscow", text),
                article("a2", "Sudan", "Fighting in Kordofan displaced thousands."),
            ])
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(ix.len(), 2);
        let r = ix.search("flee damascus", 10).unwrap();
        assert_eq!(r.total, 1);
        let h = &r.hits[0];
        assert_eq!(h.article, "a1");
        assert_eq!(h.title.as_deref(), Some("Assad in Moscow"));
        let words: Vec<&str> = h
            .highlights
            .iter()
            .map(|[s, e]| &h.snippet[*s..*e])
            .collect();
        assert!(
            words.contains(&"fleeing") && words.contains(&"Damascus"),
            "{words:?}"
        );
        // Shifted by snippet_start, highlights are byte ranges into the article text.
        let [s, e] = h.highlights[0];
        assert_eq!(
            &text[h.snippet_start + s..h.snippet_start + e],
            &h.snippet[s..e]
        );
    }

    #[test]
    fn snippet_windows_fall_on_char_boundaries() {
        let text = "é".repeat(300) + " Assad fled " + &"ü".repeat(300);
        let at = text.find("Assad").unwrap();
        let found = [(at, at + 5, 1.0)];
        let (s, e) = window(&text, &found, 200);
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert!(s <= at && e >= at + 5 && text[s..e].chars().count() <= 200);
        let (s, e) = window("short text", &[], 200);
        assert_eq!((s, e), (0, 10));
        let long = "word ".repeat(100);
        let (s, e) = window(&long, &[], 200);
        assert_eq!(s, 0);
        assert!(e <= long.len() && long[..e].chars().count() <= 200 && !long[..e].ends_with(' '));
    }

    #[test]
    fn adding_again_skips_known_articles_and_odd_queries_do_not_fail() {
        let ix = SearchIndex::new().unwrap();
        let a = article("a1", "Title", "Kremlin talks on military bases.");
        ix.add(std::slice::from_ref(&a)).unwrap();
        assert_eq!(ix.add(&[a]).unwrap(), 0);
        assert_eq!(ix.len(), 1);
        assert!(ix.contains("a1") && !ix.contains("zz"));
        for q in ["", "\"unclosed", "title:", "a AND", "((", "bases:)"] {
            ix.search(q, 5).unwrap();
        }
        assert_eq!(ix.search("\"military bases\"", 5).unwrap().total, 1);
        assert_eq!(ix.search("title", 5).unwrap().hits[0].article, "a1");
        assert!(ix.search("", 5).unwrap().hits.is_empty());
    }
}
