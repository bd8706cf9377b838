//! The crosscheck document model, shared by every pipeline stage.
//!
//! A [`Document`] is one input unit (a file, or one line of a JSONL file) identified by a hash of
//! its bytes. Cleaning turns it into one or more [`Article`]s, each identified by a hash of its
//! document id and its index. An article carries its text and the annotation layers that later
//! stages add (paragraphs, duplicate links, ...); every span is a pair of byte offsets into the
//! article's `text`, so every output can point back at its source.
//!
//! Data flows one way: `ingest` makes documents, `clean` makes articles, `dedup` fills the
//! duplicate fields, the language layer adds tokens (kept in memory, read by later stages
//! instead of tokenizing again), sentences, mentions, timexes and quantities, later stages add
//! their own layers. A [`Corpus`] holds a whole run: its documents and articles and the
//! run-level layers (entities, events, threads, claims, claim groups, conflicts), or the
//! changes of a run over a store, which [`Corpus::apply`] merges into a whole corpus; closed
//! sets of values are enums ([`Verdict`], [`Modality`],
//! [`Severity`], [`TimexType`], [`DateSource`]). All types serialise with serde; the JSON
//! key names are a public contract (add keys, never rename).

use serde::{Deserialize, Serialize};

mod corpus;
pub mod display;
mod sets;
pub use corpus::{Corpus, RunReport, SkippedInput};
pub use sets::{DateSource, Modality, Severity, TimexType, Verdict};

/// Hex id of `bytes`: the low 64 bits of XXH3-128, as 16 lowercase hex digits.
///
/// Content addressing makes re-running the same input a no-op and keeps ids stable across runs
/// and machines.
pub fn content_id(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_128(bytes) as u64)
}

/// Id of the article at `index` inside the document `document_id`.
pub fn article_id(document_id: &str, index: usize) -> String {
    content_id(format!("{document_id}:{index}").as_bytes())
}

/// What kind of input a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// A scraped plain-text page, possibly holding several articles.
    Text,
    /// An HTML page.
    Html,
    /// One line of a JSONL file: one article.
    Jsonl,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Text => "text",
            DocKind::Html => "html",
            DocKind::Jsonl => "jsonl",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        match s {
            "text" => Some(DocKind::Text),
            "html" => Some(DocKind::Html),
            "jsonl" => Some(DocKind::Jsonl),
            _ => None,
        }
    }
}

/// One input unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    /// The path as given (for the built-in demo, `demo/<file>`).
    pub path: String,
    /// 1-based line number for JSONL documents, else null.
    pub line: Option<u64>,
    pub kind: DocKind,
    /// Size of the (decompressed) input in bytes.
    pub bytes: u64,
    /// Ids of the articles cut from this document, in order.
    pub articles: Vec<String>,
}

/// Where an article's `published` value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedFrom {
    /// The dateline of the text ("Moscow (Outlet) 28 January 2026 - ...").
    Dateline,
    /// HTML metadata (meta tags, JSON-LD, `<time>`).
    HtmlMeta,
    /// The `published` field of a JSONL record.
    Input,
}

impl PublishedFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedFrom::Dateline => "dateline",
            PublishedFrom::HtmlMeta => "html_meta",
            PublishedFrom::Input => "input",
        }
    }

    pub fn parse(s: &str) -> Option<PublishedFrom> {
        match s {
            "dateline" => Some(PublishedFrom::Dateline),
            "html_meta" => Some(PublishedFrom::HtmlMeta),
            "input" => Some(PublishedFrom::Input),
            _ => None,
        }
    }
}

/// A byte span into an article's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A paragraph of an article: a byte span into `text`, and whether it is a subhead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    /// True for a subhead ("Russian Military Bases") rather than body prose.
    #[serde(default)]
    pub heading: bool,
    /// When this paragraph also stands (same words, ignoring case, quotes and spacing, or a
    /// near-duplicate of it) in an earlier article that is not a copy of this one: that
    /// article's id and the paragraph index there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<ParagraphRef>,
}

/// A reference to a paragraph of another article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphRef {
    pub article: String,
    pub paragraph: usize,
}

/// Article fields that cleaning produces from one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CleanArticle {
    pub title: Option<String>,
    pub caption: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub dateline: Option<String>,
    /// ISO 8601 date, or date-time when the time is known.
    pub published: Option<String>,
    pub published_from: Option<PublishedFrom>,
    /// Body paragraphs joined by blank lines; the title and caption are not part of it.
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
}

impl CleanArticle {
    /// Builds `text` and `paragraphs` from paragraph strings (each `(text, is_heading)`),
    /// joining them with a blank line.
    pub fn set_paragraphs<'a, I>(&mut self, paras: I)
    where
        I: IntoIterator<Item = (&'a str, bool)>,
    {
        self.text.clear();
        self.paragraphs.clear();
        for (p, heading) in paras {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            let start = self.text.len();
            self.text.push_str(p);
            self.paragraphs.push(Paragraph {
                start,
                end: self.text.len(),
                heading,
                copy_of: None,
            });
        }
    }

    /// The text of paragraph `i`.
    pub fn paragraph_text(&self, i: usize) -> &str {
        let p = &self.paragraphs[i];
        &self.text[p.start..p.end]
    }
}

/// One article with its provenance and the duplicate layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub document: String,
    /// Position within its document, from 0.
    pub index: usize,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub dateline: Option<String>,
    pub published: Option<String>,
    pub published_from: Option<PublishedFrom>,
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    /// The id of this article's origin: the first copy of the group of copies it belongs to
    /// (dedup's copy layer).
    pub origin: String,
    /// The independent source it belongs to, wider than its copies (the claims stage joins
    /// near-verbatim rewrites and passages credited to one news agency): an article id, or
    /// null before the claims stage ran ([`Article::independent`] falls back to `origin`).
    #[serde(default)]
    pub independent_origin: Option<String>,
    /// Null on the first copy; that copy's id on the others.
    pub duplicate_of: Option<String>,
    /// On the first copy, the ids of the other copies; empty elsewhere.
    pub copies: Vec<String>,
    /// Language layer: token spans (the tokenizer's, CoNLL-style), which later stages read
    /// instead of tokenizing again. Kept in memory only: not in the JSON output (one entry
    /// per word) nor in a store (tokenizing is cheaper than storing them); a store fills them
    /// again when it loads an article.
    #[serde(skip)]
    pub tokens: Vec<Span>,
    /// The names of its own entity mentions before linking (`lang::entities::mention_names`):
    /// what its event candidates are keyed by. Set by the language layer for the stories
    /// stage, which clears them; never serialised or stored.
    #[serde(skip)]
    pub names: Vec<String>,
    /// Language layer: sentence spans.
    #[serde(default)]
    pub sentences: Vec<Span>,
    /// Language layer: entity mentions, each linked to a run-wide [`Entity`].
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// Language layer: temporal expressions.
    #[serde(default)]
    pub timexes: Vec<Timex>,
    /// Language layer: numbers with what they count.
    #[serde(default)]
    pub quantities: Vec<Quantity>,
    /// Stories layer: the event this article reports, when known.
    #[serde(default)]
    pub event: Option<String>,
}

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Misc,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Misc => "misc",
        }
    }
}

/// A mention of an entity in an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// The id of the run-wide [`Entity`].
    pub entity: String,
    pub kind: EntityKind,
}

/// One real-world referent across the whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    /// Canonical name (the fullest form seen).
    pub name: String,
    pub kind: EntityKind,
    /// Other names it goes by in the run.
    pub aliases: Vec<String>,
    /// Titles and roles stated in the text ("Kremlin spokesperson").
    pub roles: Vec<String>,
    /// Number of mentions in the run.
    pub mentions: usize,
}

/// Where a relative temporal expression's anchor came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorFrom {
    /// The article's own `published` date.
    Published,
    /// The date of the article's event, inferred by the stories stage.
    Inferred,
}

/// A TIMEX3-style temporal expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    /// TimeML type: `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TimeML normalised value, or null when it cannot be resolved.
    pub value: Option<String>,
    /// TimeML `mod` (`START`, `MID`, `END`, `APPROX`, `BEFORE`, `AFTER`, ...).
    #[serde(rename = "mod")]
    pub modifier: Option<String>,
    /// For relative expressions, what the value was resolved against.
    pub anchor_from: Option<AnchorFrom>,
}

/// How exact a stated number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Approximate,
    AtLeast,
    AtMost,
    /// "several", "a few": some small number, no figure.
    Vague,
}

/// A number with its unit and what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// ISO 4217 code, `%`, or a unit word; null for a bare count.
    pub unit: Option<String>,
    /// The noun phrase counted ("ISIS group detainees").
    pub counts: Option<String>,
    pub qualifier: Qualifier,
}

impl Article {
    /// Wraps cleaned fields as article `index` of `document`, its own origin until dedup runs.
    pub fn new(document: &str, index: usize, clean: CleanArticle) -> Article {
        let id = article_id(document, index);
        Article {
            origin: id.clone(),
            independent_origin: None,
            id,
            document: document.to_string(),
            index,
            title: clean.title,
            caption: clean.caption,
            url: clean.url,
            outlet: clean.outlet,
            dateline: clean.dateline,
            published: clean.published,
            published_from: clean.published_from,
            text: clean.text,
            paragraphs: clean.paragraphs,
            duplicate_of: None,
            copies: Vec::new(),
            tokens: Vec::new(),
            names: Vec::new(),
            sentences: Vec::new(),
            mentions: Vec::new(),
            timexes: Vec::new(),
            quantities: Vec::new(),
            event: None,
        }
    }

    /// The tokens inside `start..end` (a sentence), or `None` when the token layer is absent.
    pub fn tokens_in(&self, start: usize, end: usize) -> Option<&[Span]> {
        if self.tokens.is_empty() {
            return None;
        }
        let a = self.tokens.partition_point(|t| t.start < start);
        let b = self.tokens.partition_point(|t| t.end <= end);
        Some(&self.tokens[a..b.max(a)])
    }

    /// The text of paragraph `i`.
    pub fn paragraph_text(&self, i: usize) -> &str {
        let p = &self.paragraphs[i];
        &self.text[p.start..p.end]
    }

    /// The independent source: `independent_origin` once the claims stage set it, else the
    /// copy origin.
    pub fn independent(&self) -> &str {
        self.independent_origin.as_deref().unwrap_or(&self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = content_id(b"hello");
        assert_eq!(a, content_id(b"hello"));
        assert_eq!(a.len(), 16);
        assert_ne!(a, content_id(b"hello!"));
        assert_ne!(article_id(&a, 0), article_id(&a, 1));
    }

    #[test]
    fn paragraphs_are_byte_spans_into_text() {
        let mut c = CleanArticle::default();
        c.set_paragraphs([("  Héllo wörld. ", false), ("", false), ("Sub", true)]);
        assert_eq!(c.text, "Héllo wörld.\n\nSub");
        assert_eq!(c.paragraph_text(0), "Héllo wörld.");
        assert_eq!(c.paragraph_text(1), "Sub");
        assert!(c.paragraphs[1].heading);
    }
}

/// One piece of evidence for an event's date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateEvidence {
    /// `dateline`, `published`, `caption`, `text` or `sibling`.
    pub source: DateSource,
    /// The TimeML value it supports ("2026-01-28", "2025-10").
    pub value: String,
    /// The article it comes from.
    pub article: String,
    /// Byte span in that article's text (null for metadata such as `published`).
    pub start: Option<usize>,
    pub end: Option<usize>,
}

/// One real-world happening, reported by one or more articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub thread: String,
    /// A one-line label.
    pub label: String,
    /// TimeML date value (`2026-01-28`, `2025-10`), or null when undated.
    pub date: Option<String>,
    pub date_evidence: Vec<DateEvidence>,
    pub articles: Vec<String>,
    /// Independent origins among the articles (copies count once).
    #[serde(default)]
    pub origins: usize,
}

/// A running story: events in date order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub id: String,
    pub label: String,
    /// Event ids, dated events in date order, then undated ones.
    pub events: Vec<String>,
}

/// Who a claim is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// An entity id, or the speaker's words when no entity names it ("Syrian sources").
    pub speaker: String,
    /// The reporting verb, lemmatised: said, told, announced, confirmed, denied, ...
    pub verb: String,
}

/// One checkable statement in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    /// `statement` (a sentence as a whole), `date`, `number`, `ordinal` or `proposition`.
    #[serde(default)]
    pub kind: String,
    /// The event of the article it comes from.
    pub event: Option<String>,
    /// What the claim is about: an entity id, or a short noun phrase.
    pub subject: String,
    /// The predicate, normalised ("fled", "killed", "visit ordinal", "troops deployed").
    pub predicate: String,
    /// A TimeML value for dates, a number for quantities, a string otherwise.
    pub value: serde_json::Value,
    /// For numbers: exact, approximate, at_least, at_most; for dates the TimeML mod; else null.
    pub qualifier: Option<String>,
    pub attribution: Option<Attribution>,
    /// `asserted`, `reported` (reportedly, according to), `speculative` (leaks hint, may,
    /// suggest), `planned` (plans, will), `expected`.
    pub modality: Modality,
    pub negated: bool,
    pub article: String,
    /// Byte span of the quote in the article text.
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// One value stated for a claim slot, with who states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotValue {
    pub value: serde_json::Value,
    pub qualifier: Option<String>,
    pub claims: Vec<String>,
    pub origins: Vec<String>,
}

/// Claims from several articles about the same slot, with a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimGroup {
    pub id: String,
    /// Null when the group spans several events of its thread.
    pub event: Option<String>,
    pub thread: Option<String>,
    /// A readable name of the slot ("date: Bashar al-Assad fled").
    pub slot: String,
    /// For a group of aligned statements, how sure the aligner is that they state one fact:
    /// its lowest probability over the member pairs (absent for typed slots and lone
    /// statements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// `corroborated`, `contested`, `disputed` or `single_origin`.
    pub verdict: Verdict,
    /// Independent origins stating a value.
    pub origins: Vec<String>,
    pub claims: Vec<String>,
    pub values: Vec<SlotValue>,
}

/// The articles and quotes behind one side of a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSide {
    pub value: serde_json::Value,
    pub claims: Vec<String>,
    pub articles: Vec<String>,
    pub quotes: Vec<String>,
}

/// Incompatible values inside one claim group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: String,
    pub group: String,
    /// `date`, `number`, `ordinal`, `place`, `status` or `proposition`.
    pub kind: String,
    /// `hard` (values exclude each other) or `soft` (they disagree within a margin).
    pub severity: Severity,
    /// True when one article states two of the values, and they exclude each other.
    pub internal: bool,
    /// The articles that state two values of this conflict that exclude each other (empty
    /// when `internal` is false), so a reader can be told which article contradicts itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internal_articles: Vec<String>,
    pub values: Vec<ConflictSide>,
}
