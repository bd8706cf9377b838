//! Flat exports of a run for spreadsheets and scripts: one [`Table`] (claims, conflicts or
//! articles) as CSV or JSONL, one row per claim, per side of a conflict, or per article.
//!
//! Rows carry what a reader needs beside the ids: a claim's verdict and slot, the outlet, date
//! and URL of its article, names instead of entity ids. CSV cells that a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) are prefixed
//! with `'`, since the text comes from the pages read; JSONL keeps every value as it is.

use std::collections::HashMap;
use std::io::Write;

use model::{Article, Corpus};
use serde::Serialize;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Claims,
    Conflicts,
    Articles,
}

impl Table {
    pub fn parse(s: &str) -> Option<Table> {
        match s {
            "claims" => Some(Table::Claims),
            "conflicts" => Some(Table::Conflicts),
            "articles" => Some(Table::Articles),
            _ => None,
        }
    }
}

/// How to write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

#[derive(Debug, Serialize)]
pub struct ClaimRow {
    pub claim: String,
    pub kind: String,
    pub verdict: String,
    pub slot: String,
    pub subject: String,
    pub predicate: String,
    pub value: String,
    pub qualifier: String,
    pub speaker: String,
    pub verb: String,
    pub modality: String,
    pub negated: bool,
    pub quote: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub article: String,
    pub start: usize,
    pub end: usize,
    pub group: String,
    pub event: String,
}

#[derive(Debug, Serialize)]
pub struct ConflictRow {
    pub conflict: String,
    pub slot: String,
    pub kind: String,
    pub severity: String,
    pub internal: bool,
    pub value: String,
    pub outlets: String,
    pub quote: String,
    pub articles: String,
    pub claims: String,
    pub group: String,
}

#[derive(Debug, Serialize)]
pub struct ArticleRow {
    pub article: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub origin: String,
    pub duplicate_of: String,
    pub event: String,
    pub words: usize,
    pub document: String,
}

/// Writes `table` of `corpus` to `out` in `format`.
pub fn write(
    corpus: &Corpus,
    table: Table,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let names = Names::of(corpus);
    match table {
        Table::Claims => emit(claim_rows(corpus, &names), format, out),
        Table::Conflicts => emit(conflict_rows(corpus, &names), format, out),
        Table::Articles => emit(article_rows(corpus), format, out),
    }
}

fn emit<R: Serialize + Escape>(
    rows: Vec<R>,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        Format::Jsonl => {
            for r in &rows {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            for mut r in rows {
                r.escape();
                w.serialize(r)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// Readable names of ids: entities by name, articles with their outlet, date and URL.
struct Names<'a> {
    entities: HashMap<&'a str, &'a str>,
    articles: HashMap<&'a str, &'a Article>,
}

impl<'a> Names<'a> {
    fn of(c: &'a Corpus) -> Names<'a> {
        Names {
            entities: (c.entities.iter())
                .map(|e| (e.id.as_str(), e.name.as_str()))
                .collect(),
            articles: c.articles.iter().map(|a| (a.id.as_str(), a)).collect(),
        }
    }

    /// An entity's name, or the text itself when it is no entity id.
    fn name(&self, id_or_text: &str) -> String {
        self.entities
            .get(id_or_text)
            .map_or(id_or_text, |n| n)
            .to_string()
    }

    fn outlet(&self, article: &str) -> String {
        (self.articles.get(article))
            .and_then(|a| a.outlet.clone())
            .unwrap_or_default()
    }
}

/// A claim's verdict, slot and group, by claim id.
fn groups_of(c: &Corpus) -> HashMap<&str, &model::ClaimGroup> {
    let mut out = HashMap::new();
    for g in &c.claim_groups {
        for id in &g.claims {
            out.insert(id.as_str(), g);
        }
    }
    out
}

fn claim_rows(c: &Corpus, names: &Names) -> Vec<ClaimRow> {
    let groups = groups_of(c);
    c.claims
        .iter()
        .map(|cl| {
            let g = groups.get(cl.id.as_str());
            let a = names.articles.get(cl.article.as_str());
            ClaimRow {
                claim: cl.id.clone(),
                kind: cl.kind.clone(),
                verdict: g.map(|g| tag(&g.verdict)).unwrap_or_default(),
                slot: g.map(|g| g.slot.clone()).unwrap_or_default(),
                subject: names.name(&cl.subject),
                predicate: cl.predicate.clone(),
                value: plain(&cl.value),
                qualifier: cl.qualifier.clone().unwrap_or_default(),
                speaker: (cl.attribution.as_ref())
                    .map_or(String::new(), |s| names.name(&s.speaker)),
                verb: (cl.attribution.as_ref()).map_or(String::new(), |s| s.verb.clone()),
                modality: tag(&cl.modality),
                negated: cl.negated,
                quote: cl.quote.clone(),
                outlet: a.and_then(|a| a.outlet.clone()).unwrap_or_default(),
                published: a.and_then(|a| a.published.clone()).unwrap_or_default(),
                url: a.and_then(|a| a.url.clone()).unwrap_or_default(),
                article: cl.article.clone(),
                start: cl.start,
                end: cl.end,
                group: g.map(|g| g.id.clone()).unwrap_or_default(),
                event: cl.event.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn conflict_rows(c: &Corpus, names: &Names) -> Vec<ConflictRow> {
    let slots: HashMap<&str, &str> = (c.claim_groups.iter())
        .map(|g| (g.id.as_str(), g.slot.as_str()))
        .collect();
    let mut rows = Vec::new();
    for k in &c.conflicts {
        for side in &k.values {
            let mut outlets: Vec<String> = side.articles.iter().map(|a| names.outlet(a)).collect();
            outlets.retain(|o| !o.is_empty());
            outlets.dedup();
            rows.push(ConflictRow {
                conflict: k.id.clone(),
                slot: slots.get(k.group.as_str()).unwrap_or(&"").to_string(),
                kind: k.kind.clone(),
                severity: tag(&k.severity),
                internal: k.internal,
                value: plain(&side.value),
                outlets: outlets.join("; "),
                quote: side.quotes.first().cloned().unwrap_or_default(),
                articles: side.articles.join("; "),
                claims: side.claims.join("; "),
                group: k.group.clone(),
            });
        }
    }
    rows
}

fn article_rows(c: &Corpus) -> Vec<ArticleRow> {
    c.articles
        .iter()
        .map(|a| ArticleRow {
            article: a.id.clone(),
            title: a.title.clone().unwrap_or_default(),
            outlet: a.outlet.clone().unwrap_or_default(),
            published: a.published.clone().unwrap_or_default(),
            url: a.url.clone().unwrap_or_default(),
            origin: a.origin.clone(),
            duplicate_of: a.duplicate_of.clone().unwrap_or_default(),
            event: a.event.clone().unwrap_or_default(),
            words: a.text.split_whitespace().count(),
            document: a.document.clone(),
        })
        .collect()
}

/// An enum's JSON name ("corroborated", "hard").
fn tag<T: Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.to_string(),
        Err(_) => String::new(),
    }
}

/// A JSON value as a cell: strings bare, others as JSON.
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Neutralises text cells a spreadsheet would evaluate.
trait Escape {
    fn escape(&mut self);
}

fn defuse(cell: &mut String) {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        cell.insert(0, '\'');
    }
}

impl Escape for ClaimRow {
    fn escape(&mut self) {
        for cell in [
            &mut self.slot,
            &mut self.subject,
            &mut self.predicate,
            &mut self.value,
            &mut self.speaker,
            &mut self.verb,
            &mut self.quote,
            &mut self.outlet,
            &mut self.url,
        ] {
            defuse(cell);
        }
    }
}

impl Escape for ConflictRow {
    fn escape(&mut self) {
        for cell in [
            &mut self.slot,
            &mut self.value,
            &mut self.outlets,
            &mut self.quote,
        ] {
            defuse(cell);
        }
    }
}

impl Escape for ArticleRow {
    fn escape(&mut self) {
        for cell in [&mut self.title, &mut self.outlet, &mut self.url] {
            defuse(cell);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_numbers_kept() {
        for (given, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-5", "-5"),
            ("+1.5", "+1.5"),
            ("plain", "plain"),
        ] {
            let mut cell = given.to_string();
            defuse(&mut cell);
            assert_eq!(cell, want);
        }
    }
}
