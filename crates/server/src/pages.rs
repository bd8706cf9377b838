//! The HTML views: the report's pieces (from `report::html`) on their own routes, and the
//! search results page. No page carries a script; data is escaped by `report::html::esc`.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use report::html::{self, esc, pct};

use crate::AppState;
use crate::api;

fn html_page(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

fn missing(what: &str, id: &str) -> Response {
    let body = format!(
        "<h1>Not found</h1><p>No {} with id <code>{}</code>. <a href=\"/\">Back to the threads</a>.</p>",
        esc(what),
        esc(id)
    );
    html_page(StatusCode::NOT_FOUND, html::page("Not found", "", &body))
}

/// The front page: rendered once per snapshot without a query, on demand with one.
pub async fn home(
    State(s): State<Arc<AppState>>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let snap = s.snapshot();
    let params = q.map(|Query(m)| m).unwrap_or_default();
    if params.values().all(|v| v.trim().is_empty()) {
        return (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            snap.home_html.clone(),
        )
            .into_response();
    }
    match html::browse::Query::from_params(&params) {
        Ok(q) => Html(html::page_home_with(&snap.analysis, &snap.lookup, &q)).into_response(),
        Err(m) => bad_query(&m),
    }
}

/// The claims page: claim groups chosen, sorted and paged by the query string.
pub async fn claims(
    State(s): State<Arc<AppState>>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = q.map(|Query(m)| m).unwrap_or_default();
    let snap = s.snapshot();
    match html::browse::Query::from_params(&params) {
        Ok(q) => Html(html::browse::page_claims(&snap.analysis, &snap.lookup, &q)).into_response(),
        Err(m) => bad_query(&m),
    }
}

fn bad_query(message: &str) -> Response {
    let body = format!(
        "<h1>Bad request</h1><p>{}. <a href=\"/\">Back to the threads</a>.</p>",
        esc(message)
    );
    html_page(
        StatusCode::BAD_REQUEST,
        html::page("Bad request", "", &body),
    )
}

pub async fn event(State(s): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let snap = s.snapshot();
    match html::page_event(&snap.analysis, &snap.lookup, &id) {
        Some(p) => Html(p).into_response(),
        None => missing("event", &id),
    }
}

/// `?hl=START-END`: a byte span of the text to highlight (e.g. a search match).
fn parse_hl(s: Option<&String>) -> Option<(usize, usize)> {
    let (a, b) = s?.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < b).then_some((a, b))
}

pub async fn article(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let hl = q.as_ref().ok().and_then(|Query(m)| parse_hl(m.get("hl")));
    let snap = s.snapshot();
    match html::page_article(&snap.analysis, &snap.lookup, &id, hl) {
        Some(p) => Html(p).into_response(),
        None => missing("article", &id),
    }
}

pub async fn entities(
    State(s): State<Arc<AppState>>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let q = query_text(&q);
    let snap = s.snapshot();
    Html(html::page_entities(&snap.analysis, &q)).into_response()
}

/// The search page: hits with their snippets, matches marked, each linking to the article
/// with the first match highlighted.
pub async fn search(
    State(s): State<Arc<AppState>>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = q.as_ref().map(|Query(m)| m.clone()).unwrap_or_default();
    let q = query_text(&q);
    let mut b = String::new();
    let query = q.trim();
    if query.is_empty() {
        b.push_str("<h1>Search</h1><p class=\"muted\">Type words in the search box: all of them must occur (stemmed: <i>flee</i> finds <i>fleeing</i>). <code>\"a phrase\"</code>, <code>title:word</code> and <code>-word</code> work too.</p>");
        return Html(html::page("Search", "", &b)).into_response();
    }
    let offset = search_offset(&params);
    let (r, next) = match api::run_search(&s, query, offset, HITS_PER_PAGE).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let snap = s.snapshot();
    let _ = write!(
        b,
        "<h1>Search</h1><p class=\"meta\" id=\"search-summary\">{} article{} match <b>{}</b> (copies of one article shown once){}</p><ul class=\"hits\">",
        r.total,
        if r.total == 1 { "" } else { "s" },
        esc(query),
        if r.hits.is_empty() {
            String::new()
        } else {
            format!("; results {}–{}", offset + 1, offset + r.hits.len())
        }
    );
    for h in &r.hits {
        let mut href = format!("/articles/{}", pct(&h.article));
        if let Some([s0, e0]) = h.highlights.first() {
            let _ = write!(
                href,
                "?hl={}-{}#hl",
                h.snippet_start + s0,
                h.snippet_start + e0
            );
        }
        let art = snap.lookup.get_article(&snap.analysis, &h.article);
        let title = art
            .map(report::label)
            .or(h.title.clone())
            .unwrap_or_else(|| h.article.clone());
        let mut meta = Vec::new();
        if let Some(o) = &h.outlet {
            meta.push(esc(o));
        }
        if let Some(p) = &h.published {
            meta.push(esc(&model::display::date(p)));
        }
        if let Some(ev) = art
            .and_then(|a| a.event.as_deref())
            .and_then(|e| snap.lookup.get_event(&snap.analysis, e))
        {
            meta.push(format!(
                "event <a href=\"/events/{}\">{}</a>",
                esc(&pct(&ev.id)),
                esc(&ev.label)
            ));
        }
        let _ = write!(
            b,
            "<li class=\"hit\"><a class=\"hit-title\" href=\"{}\">{}</a> <span class=\"meta\">{}</span><p class=\"snippet\">{}</p></li>",
            esc(&href),
            esc(&title),
            meta.join(" · "),
            snippet_html(&h.snippet, &h.highlights)
        );
    }
    b.push_str("</ul>");
    search_pager(&mut b, query, offset, next);
    Html(html::page(&format!("Search: {query}"), query, &b)).into_response()
}

/// Search results per page.
const HITS_PER_PAGE: usize = 50;

fn search_offset(params: &HashMap<String, String>) -> usize {
    (params.get("offset").and_then(|o| o.trim().parse().ok())).unwrap_or(0)
}

/// Links to the previous and next pages of results.
fn search_pager(b: &mut String, query: &str, offset: usize, next: Option<usize>) {
    b.push_str("<nav class=\"pager\" id=\"pager-search\">");
    let link = |at: usize| format!("/search?q={}&offset={at}", pct(query));
    if offset > 0 {
        let prev = offset.saturating_sub(HITS_PER_PAGE);
        let _ = write!(
            b,
            "<a rel=\"prev\" href=\"{}\">← previous</a> ",
            esc(&link(prev))
        );
    }
    if let Some(n) = next {
        let _ = write!(b, "<a rel=\"next\" href=\"{}\">next →</a>", esc(&link(n)));
    }
    b.push_str("</nav>");
}

/// The snippet escaped, its matches in `<mark>`; ranges that are not char boundaries or
/// overlap an earlier one are skipped rather than trusted.
fn snippet_html(snippet: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &[s, e] in highlights {
        if s < at || e <= s || e > snippet.len() {
            continue;
        }
        let (Some(before), Some(word)) = (snippet.get(at..s), snippet.get(s..e)) else {
            continue;
        };
        out.push_str(&esc(before));
        let _ = write!(out, "<mark>{}</mark>", esc(word));
        at = e;
    }
    out.push_str(&esc(snippet.get(at..).unwrap_or("")));
    out
}

pub async fn css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        html::CSS,
    )
        .into_response()
}

/// 404: JSON under `/api/`, a page elsewhere.
/// A table of the store as a download: `/export/claims.csv`, `conflicts.jsonl`,
/// `articles.csv`... (the rows of `crosscheck analyze --format F --table T`).
pub async fn export(
    State(s): State<Arc<AppState>>,
    Path(file): Path<String>,
    uri: OriginalUri,
) -> Response {
    use report::export::{Format, Table};
    let parsed = file.rsplit_once('.').and_then(|(table, ext)| {
        let format = match ext {
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            _ => return None,
        };
        Some((Table::parse(table)?, format))
    });
    let Some((table, format)) = parsed else {
        return not_found(uri).await;
    };
    let snap = s.snapshot();
    let mut body = Vec::new();
    if let Err(e) = report::export::write(&snap.analysis, table, format, &mut body) {
        return api::error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    }
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Jsonl => "application/x-ndjson",
    };
    let disposition = format!("attachment; filename=\"crosscheck-{file}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return api::error(StatusCode::NOT_FOUND, format!("no route {path}"));
    }
    let body = format!(
        "<h1>Not found</h1><p>Nothing at <code>{}</code>. <a href=\"/\">Back to the threads</a>.</p>",
        esc(path)
    );
    html_page(StatusCode::NOT_FOUND, html::page("Not found", "", &body))
}

/// The `q` parameter of a page's query string (empty when missing or malformed).
fn query_text(q: &Result<Query<HashMap<String, String>>, QueryRejection>) -> String {
    q.as_ref()
        .ok()
        .and_then(|Query(m)| m.get("q").cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked() {
        assert_eq!(
            snippet_html("a <b> fled é", &[[6, 10], [0, 1], [13, 99]]),
            "a &lt;b&gt; <mark>fled</mark> é"
        );
        assert_eq!(snippet_html("é", &[[1, 2]]), "é");
        assert_eq!(parse_hl(Some(&"3-9".to_string())), Some((3, 9)));
        assert_eq!(parse_hl(Some(&"9-3".to_string())), None);
        assert_eq!(parse_hl(Some(&"x".to_string())), None);
    }
}
