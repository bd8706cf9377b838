//! The JSON API (`/api/...`), the write guard and the error shape (`{"error": "..."}`).

// Helpers return `Result<_, Response>` so a handler can answer an error with `?`-like early
// returns; the error path is the rare one, so boxing the response would buy nothing.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use model::Article;
use model::Corpus;
use report::html::Lookup;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{AppState, Snapshot};

/// The OpenAPI description, served as is.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn json_bytes(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn params(p: Params) -> Result<HashMap<String, String>, Response> {
    p.map(|Query(m)| m)
        .map_err(|e| error(StatusCode::BAD_REQUEST, e.body_text()))
}

/// `limit` from the query string: default `def`, at most `max`.
fn limit(p: &HashMap<String, String>, def: usize, max: usize) -> Result<usize, Response> {
    match p.get("limit").map(|s| s.trim()) {
        None | Some("") => Ok(def),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n.min(max)),
            _ => Err(error(
                StatusCode::BAD_REQUEST,
                format!("limit must be a whole number from 1 to {max}, not {s:?}"),
            )),
        },
    }
}

fn param<'a>(p: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
    p.get(k).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// An article without its text and layers, for lists.
#[derive(Serialize)]
pub(crate) struct ArticleSummary<'a> {
    id: &'a str,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    origin: &'a str,
    independent_origin: &'a str,
    duplicate_of: Option<&'a str>,
    event: Option<&'a str>,
}

impl<'a> From<&'a Article> for ArticleSummary<'a> {
    fn from(a: &'a Article) -> Self {
        ArticleSummary {
            id: &a.id,
            title: a.title.as_deref(),
            outlet: a.outlet.as_deref(),
            published: a.published.as_deref(),
            url: a.url.as_deref(),
            origin: &a.origin,
            independent_origin: a.independent(),
            duplicate_of: a.duplicate_of.as_deref(),
            event: a.event.as_deref(),
        }
    }
}

fn event_summary(a: &Corpus, l: &Lookup, e: &model::Event) -> Value {
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for g in l.event_groups(a, &e.id) {
        *verdicts.entry(g.verdict.as_str()).or_default() += 1;
    }
    json!({
        "id": e.id,
        "label": e.label,
        "date": e.date,
        "thread": e.thread,
        "origins": e.origins,
        "articles": e.articles.len(),
        "verdicts": verdicts,
        "conflicts": l.event_conflicts(a, &e.id).len(),
    })
}

/// The body of `GET /api/threads` (rendered once per snapshot).
pub(crate) fn threads_body(a: &Corpus, l: &Lookup) -> Value {
    let all: Vec<&model::Thread> = a.threads.iter().collect();
    let total = all.len();
    let mut body = threads_page(a, l, &all, true);
    body["total"] = json!(total);
    body
}

/// `threads` with their event summaries, the events in no thread when `unthreaded`, and the
/// store's counts.
fn threads_page(a: &Corpus, l: &Lookup, threads: &[&model::Thread], unthreaded: bool) -> Value {
    let threads: Vec<Value> = threads
        .iter()
        .map(|t| {
            let events: Vec<Value> = t
                .events
                .iter()
                .filter_map(|id| l.get_event(a, id))
                .map(|e| event_summary(a, l, e))
                .collect();
            json!({ "id": t.id, "label": t.label, "events": events })
        })
        .collect();
    let unthreaded: Vec<Value> = (l.unthreaded.iter())
        .filter(|_| unthreaded)
        .map(|&i| event_summary(a, l, &a.events[i]))
        .collect();
    json!({
        "threads": threads,
        "unthreaded": unthreaded,
        "stats": {
            "documents": a.documents.len(),
            "articles": a.articles.len(),
            "entities": a.entities.len(),
            "events": a.events.len(),
            "threads": a.threads.len(),
            "claims": a.claims.len(),
            "claim_groups": a.claim_groups.len(),
            "conflicts": a.conflicts.len(),
        },
    })
}

/// Query parameters that choose, order or page a list.
const BROWSING: [&str; 7] = ["outlet", "from", "to", "verdict", "sort", "limit", "offset"];

/// The browsing query and the page of `p` (no `limit`: every item from `offset` on).
fn browsing(
    p: &HashMap<String, String>,
) -> Result<(report::html::browse::Query, report::browse::Page), Response> {
    let q = report::html::browse::Query::from_params(p)
        .map_err(|m| error(StatusCode::BAD_REQUEST, m))?;
    let limit = match p.contains_key("limit") {
        true => limit(p, 100, 1000)?,
        false => usize::MAX,
    };
    let page = report::browse::Page {
        offset: q.offset,
        limit,
    };
    Ok((q, page))
}

/// `body` with where the page sits in its list, for the client to ask for the next.
fn with_paging<T>(mut body: Value, p: &report::browse::Paged<T>) -> Value {
    body["total"] = json!(p.total);
    body["offset"] = json!(p.offset);
    body["limit"] = json!((p.limit != usize::MAX).then_some(p.limit));
    body["next_offset"] = json!(p.next());
    body
}

pub async fn threads(State(s): State<Arc<AppState>>, p: Params) -> Response {
    let p = match params(p) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !BROWSING.iter().any(|k| p.contains_key(*k)) {
        return json_bytes(s.snapshot().threads_json.clone());
    }
    let (q, page) = match browsing(&p) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let snap = s.snapshot();
    let (a, l) = (&snap.analysis, &snap.lookup);
    let chosen = report::browse::threads(a, l, &q.filter, q.sort);
    let paged = report::browse::paged(chosen, page);
    let with_unthreaded =
        !report::browse::unthreaded(a, l, &q.filter, paged.next().is_none()).is_empty();
    let body = threads_page(a, l, &paged.items, with_unthreaded);
    Json(with_paging(body, &paged)).into_response()
}

fn not_found(what: &str, id: &str) -> Response {
    error(StatusCode::NOT_FOUND, format!("no {what} with id {id:?}"))
}

pub async fn event(State(s): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let snap = s.snapshot();
    let (a, l) = (&snap.analysis, &snap.lookup);
    let Some(e) = l.get_event(a, &id) else {
        return not_found("event", &id);
    };
    let groups = l.event_groups(a, &id);
    let claims: Vec<&model::Claim> = groups
        .iter()
        .flat_map(|g| g.claims.iter())
        .filter_map(|c| l.get_claim(a, c))
        .collect();
    let articles: Vec<ArticleSummary> = e
        .articles
        .iter()
        .filter_map(|x| l.get_article(a, x))
        .map(ArticleSummary::from)
        .collect();
    Json(json!({
        "event": e,
        "articles": articles,
        "claim_groups": groups,
        "claims": claims,
        "conflicts": l.event_conflicts(a, &id),
    }))
    .into_response()
}

pub async fn article(State(s): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let snap = s.snapshot();
    match snap.lookup.get_article(&snap.analysis, &id) {
        Some(art) => Json(art).into_response(),
        None => not_found("article", &id),
    }
}

pub async fn claims(State(s): State<Arc<AppState>>, p: Params) -> Response {
    let p = match params(p) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let snap = s.snapshot();
    let (a, l) = (&snap.analysis, &snap.lookup);
    let event = param(&p, "event");
    let article = param(&p, "article");
    let verdict = match param(&p, "verdict").map(|v| (v, model::Verdict::parse(v))) {
        None => None,
        Some((_, Some(v))) => Some(v),
        Some((v, None)) => {
            let all: Vec<&str> = model::Verdict::ALL.iter().map(|v| v.as_str()).collect();
            return error(
                StatusCode::BAD_REQUEST,
                format!("verdict must be one of {}, not {v:?}", all.join(", ")),
            );
        }
    };
    if let Some(e) = event
        && !l.event.contains_key(e)
    {
        return not_found("event", e);
    }
    let mut groups: Vec<&model::ClaimGroup> = match event {
        Some(e) => l.event_groups(a, e),
        None => a.claim_groups.iter().collect(),
    };
    groups.retain(|g| verdict.is_none_or(|v| g.verdict == v));
    let (q, page) = match browsing(&p) {
        Ok(x) => x,
        Err(r) => return r,
    };
    groups.retain(|g| q.filter.keeps_group(a, l, g));
    if p.contains_key("sort") {
        let order = report::browse::claim_groups(a, l, &q.filter, q.sort);
        let rank: HashMap<&str, usize> = (order.iter().enumerate())
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        groups.sort_by_key(|g| rank.get(g.id.as_str()).copied().unwrap_or(usize::MAX));
    }
    let in_article = |c: &model::Claim| article.is_none_or(|x| c.article == x);
    if article.is_some() {
        groups.retain(|g| {
            g.claims
                .iter()
                .filter_map(|c| l.get_claim(a, c))
                .any(in_article)
        });
    }
    let paged = report::browse::paged(groups, page);
    let whole = paged.offset == 0 && paged.next().is_none();
    let groups = &paged.items;
    // Claims: those of the selected groups; without a verdict filter (and on a whole list)
    // also the claims of the event (or of the whole store) that belong to no group.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut claims: Vec<&model::Claim> = groups
        .iter()
        .flat_map(|g| g.claims.iter())
        .filter_map(|c| l.get_claim(a, c))
        .filter(|c| in_article(c) && seen.insert(&c.id))
        .collect();
    let chosen = q.filter.outlet.is_some() || q.filter.from.is_some() || q.filter.to.is_some();
    if verdict.is_none() && whole && !chosen {
        claims.extend(a.claims.iter().filter(|c| {
            event.is_none_or(|e| c.event.as_deref() == Some(e))
                && in_article(c)
                && seen.insert(&c.id)
        }));
    }
    let body = json!({ "claim_groups": groups, "claims": claims });
    Json(with_paging(body, &paged)).into_response()
}

pub async fn entities(State(s): State<Arc<AppState>>, p: Params) -> Response {
    let p = match params(p) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let n = match limit(&p, 100, 1000) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let offset = match offset(&p) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let q = param(&p, "q").unwrap_or("");
    let snap = s.snapshot();
    let matches = report::html::entities_matching(&snap.analysis.entities, q);
    let page = report::browse::paged(matches, report::browse::Page { offset, limit: n });
    Json(json!({
        "total": page.total,
        "offset": page.offset,
        "next_offset": page.next(),
        "entities": page.items,
    }))
    .into_response()
}

/// `offset` from the query string (0 when absent).
fn offset(p: &HashMap<String, String>) -> Result<usize, Response> {
    match param(p, "offset") {
        None => Ok(0),
        Some(o) => o.parse().map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                format!("offset must be a whole number, not {o:?}"),
            )
        }),
    }
}

/// A search hit with the article's event.
#[derive(Serialize)]
struct HitOut<'a> {
    #[serde(flatten)]
    hit: &'a search::Hit,
    event: Option<&'a str>,
}

/// Runs a search on a blocking thread (tantivy is synchronous and CPU-bound).
pub(crate) async fn run_search(
    s: &Arc<AppState>,
    q: &str,
    offset: usize,
    n: usize,
) -> Result<(search::Results, Option<usize>), Response> {
    let st = s.clone();
    let q = q.to_string();
    // Copies of one article are one hit: ask for more, keep each origin's best.
    let wanted = (offset + n).saturating_mul(4).min(MAX_SEARCH_HITS);
    let mut r = tokio::task::spawn_blocking(move || st.search.search(&q, wanted))
        .await
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let snap = s.snapshot();
    let mut seen = std::collections::HashSet::new();
    r.hits.retain(|h| {
        let origin = (snap.lookup.get_article(&snap.analysis, &h.article))
            .map_or(h.article.as_str(), |a| a.origin.as_str());
        seen.insert(origin.to_string())
    });
    let more = r.hits.len() > offset + n;
    r.hits = r.hits.into_iter().skip(offset).take(n).collect();
    Ok((r, more.then_some(offset + n)))
}

/// Raw hits a search reads at most (copies included): pages reach this deep.
pub(crate) const MAX_SEARCH_HITS: usize = 20_000;

pub async fn search(State(s): State<Arc<AppState>>, p: Params) -> Response {
    let p = match params(p) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let n = match limit(&p, 10, 100) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let Some(q) = param(&p, "q") else {
        return error(StatusCode::BAD_REQUEST, "q (the search words) is required");
    };
    let offset = match offset(&p) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let (r, next) = match run_search(&s, q, offset, n).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let snap = s.snapshot();
    let hits: Vec<HitOut> = r
        .hits
        .iter()
        .map(|h| HitOut {
            hit: h,
            event: snap
                .lookup
                .get_article(&snap.analysis, &h.article)
                .and_then(|a| a.event.as_deref()),
        })
        .collect();
    Json(json!({
        "query": r.query,
        "total": r.total,
        "offset": offset,
        "next_offset": next,
        "hits": hits,
    }))
    .into_response()
}

pub async fn openapi() -> Response {
    json_bytes(Bytes::from_static(OPENAPI.as_bytes()))
}

/// Equal-time comparison, so the time a wrong token takes says nothing of the right one.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Guards writes: 403 when the server has no token, 401 without the right bearer token.
pub async fn require_token(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(token) = &s.token else {
        return error(
            StatusCode::FORBIDDEN,
            format!(
                "writes are disabled on this server: start it with {} set",
                crate::TOKEN_ENV
            ),
        );
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if same(g.as_bytes(), token.as_bytes()) => next.run(req).await,
        _ => {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "a valid bearer token is required (Authorization: Bearer <token>)",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"crosscheck\""),
            );
            r
        }
    }
}

/// Turns the plain-text 413 of the body-limit layers into the API's JSON error.
pub async fn json_limit_errors(State(s): State<Arc<AppState>>, res: Response) -> Response {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body over the limit of {} bytes", s.max_body),
        );
    }
    res
}

/// Checks a JSONL body before anything is stored: UTF-8, and every non-blank line a JSON
/// object with a string `text`. A bad line refuses the whole body (nothing half-written).
fn validate_jsonl(body: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("the body is not UTF-8 (at byte {})", e.valid_up_to()))?;
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: bad JSON: {e}", i + 1))?;
        let Some(obj) = v.as_object() else {
            return Err(format!("line {}: expected a JSON object", i + 1));
        };
        match obj.get("text") {
            Some(Value::String(t)) if !t.trim().is_empty() => {}
            Some(Value::String(_)) => return Err(format!("line {}: \"text\" is empty", i + 1)),
            _ => {
                return Err(format!("line {}: \"text\" (a string) is required", i + 1));
            }
        }
        for k in ["title", "url", "outlet", "published"] {
            if let Some(x) = obj.get(k)
                && !(x.is_string() || x.is_null())
            {
                return Err(format!("line {}: \"{k}\" must be a string", i + 1));
            }
        }
        n += 1;
    }
    if n == 0 {
        return Err("the body holds no JSONL record".into());
    }
    Ok(n)
}

/// `POST /api/articles`: JSONL in, a run against the store, the snapshot brought up to date
/// with the run's changes.
pub async fn post_articles(
    State(s): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            let status = e.status();
            let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("request body over the limit of {} bytes", s.max_body)
            } else {
                e.body_text()
            };
            return error(status, msg);
        }
    };
    let records = match validate_jsonl(&body) {
        Ok(n) => n,
        Err(msg) => return error(StatusCode::BAD_REQUEST, msg),
    };
    if s.writer.is_none() {
        return error(StatusCode::FORBIDDEN, "this server is read-only");
    }
    let st = s.clone();
    let res = tokio::task::spawn_blocking(move || write(&st, body.to_vec())).await;
    match res {
        Ok(Ok(out)) if out["read"] == 0 => {
            // Valid JSON, but ingest could read no record (e.g. every line over the size
            // limit): the client's error, with ingest's reasons.
            let mut body = json!({ "error": "no record could be read" });
            body["skipped"] = out["skipped"].clone();
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
        Ok(Ok(out)) => {
            let status = if out["new_articles"].as_u64().unwrap_or(0) > 0 {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            tracing::info!(records, new_articles = %out["new_articles"], "articles posted");
            (status, Json(out)).into_response()
        }
        Ok(Err(msg)) => error(StatusCode::INTERNAL_SERVER_ERROR, msg),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Runs the stages on `body` against the store, indexes the new articles, and swaps in the
/// snapshot with the run's changes applied.
fn write(s: &AppState, body: Vec<u8>) -> Result<Value, String> {
    let writer = s.writer.as_ref().ok_or("this server is read-only")?;
    // One write at a time: the store is one SQLite connection, and each write must see the
    // previous one's articles to find copies of them.
    let mut store = writer
        .store
        .lock()
        .map_err(|_| "the store lock is poisoned")?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let changes = (writer.analyze)(Some((format!("api/{secs}.jsonl"), body)), &mut store)?;
    let r = &changes.report;
    // The run's changes list the articles it processed in insertion order: the new ones last.
    let fresh = &changes.articles[changes.articles.len().saturating_sub(r.new_articles)..];
    let new_ids: Vec<String> = fresh.iter().map(|a| a.id.clone()).collect();
    let skipped: Vec<Value> = r
        .skipped
        .iter()
        .map(|e| json!({ "line": e.line, "reason": e.reason.to_string() }))
        .collect();
    let out = json!({
        "read": r.read,
        "already_stored": r.already_stored,
        "new_documents": r.new_documents,
        "new_articles": r.new_articles,
        "articles": new_ids,
        "skipped": skipped,
    });
    // Index before the swap, so an article is searchable as soon as the POST returns.
    s.search.add(fresh).map_err(|e| e.to_string())?;
    let spares = writer.spare.clone();
    let (corpus, at) = {
        let mut sp = spares.lock().map_err(|_| "the spare lock is poisoned")?;
        let current = sp.take_current();
        let at = sp.generation;
        sp.wrote(changes.clone());
        (current, at)
    };
    let mut corpus = corpus.unwrap_or_else(|| s.snapshot().analysis.clone());
    corpus.apply(changes);
    let old = s.snapshot.swap(Arc::new(Snapshot::new(corpus)));
    // The replaced snapshot comes back as the next write's spare once its readers let go.
    std::thread::spawn(move || {
        if let Some(analysis) = reclaim(old)
            && let Ok(mut sp) = spares.lock()
        {
            sp.give_back(at, analysis);
        }
    });
    Ok(out)
}

/// The analysis of a snapshot just replaced, once the readers still holding it let go
/// (requests are short); `None` if they hold it for more than a few seconds.
fn reclaim(mut old: Arc<Snapshot>) -> Option<Corpus> {
    for _ in 0..500 {
        match Arc::try_unwrap(old) {
            Ok(snap) => return Some(snap.analysis),
            Err(still) => old = still,
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_validation_names_the_line() {
        assert_eq!(
            validate_jsonl(b"{\"text\":\"a\"}\n\n{\"text\":\"b\",\"title\":null}\n"),
            Ok(2)
        );
        assert!(validate_jsonl(b"").unwrap_err().contains("no JSONL record"));
        assert!(
            validate_jsonl(b"{\"text\":\"a\"}\n{oops")
                .unwrap_err()
                .starts_with("line 2: bad JSON")
        );
        assert!(validate_jsonl(b"[1]").unwrap_err().contains("object"));
        assert!(
            validate_jsonl(b"{\"title\":\"t\"}")
                .unwrap_err()
                .contains("\"text\"")
        );
        assert!(
            validate_jsonl(b"{\"text\":\"a\",\"url\":5}")
                .unwrap_err()
                .contains("url")
        );
        assert!(validate_jsonl(b"\xff").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn token_comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
