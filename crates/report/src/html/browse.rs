//! The server's browsing views: the front page (contested claims of the latest events first,
//! then threads chosen, sorted and paged by a filter form) and the claims page (every claim
//! group, chosen, sorted and paged). The choosing is [`crate::browse`]'s; this module reads a
//! query string into it and renders the result.

use std::collections::HashMap;
use std::fmt::Write;

use model::{ClaimGroup, Corpus, Event, Verdict};

use super::{Links, Lookup, esc, group_heading, group_value_text, pct, plural};
use crate::browse::{self, Filter, Page, Paged, Sort};
use model::display;

/// Threads per page of the front page.
pub const THREADS_PER_PAGE: usize = 20;
/// Claim groups per page of the claims page.
pub const GROUPS_PER_PAGE: usize = 25;
/// Contested claims shown on the front page (the claims page lists them all).
const CONTESTED_SHOWN: usize = 10;

/// A browsing query: the filter, the order and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub filter: Filter,
    pub sort: Sort,
    pub offset: usize,
}

impl Query {
    /// The query's page of `limit` items.
    fn page(&self, limit: usize) -> Page {
        Page {
            offset: self.offset,
            limit,
        }
    }

    /// Reads `outlet`, `from`, `to`, `verdict`, `sort` and `offset` (empty values ignored);
    /// an unknown verdict or order, a malformed date or offset is an error naming it.
    pub fn from_params(p: &HashMap<String, String>) -> Result<Query, String> {
        let get = |k: &str| p.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let date = |k: &str| match get(k) {
            Some(d) if !browse::is_date(d) => Err(format!(
                "{k} must be a date (YYYY-MM-DD, YYYY-MM or YYYY), not {d:?}"
            )),
            d => Ok(d.map(str::to_string)),
        };
        let verdict = match get("verdict") {
            None => None,
            Some(v) => Some(Verdict::parse(v).ok_or_else(|| {
                let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                format!("verdict must be one of {}, not {v:?}", all.join(", "))
            })?),
        };
        let sort = match get("sort") {
            None => Sort::default(),
            Some(s) => Sort::parse(s).ok_or_else(|| {
                let all: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
                format!("sort must be one of {}, not {s:?}", all.join(", "))
            })?,
        };
        let offset = match get("offset") {
            None => 0,
            Some(o) => o
                .parse()
                .map_err(|_| format!("offset must be a whole number, not {o:?}"))?,
        };
        Ok(Query {
            filter: Filter {
                outlet: get("outlet").map(str::to_string),
                from: date("from")?,
                to: date("to")?,
                verdict,
            },
            sort,
            offset,
        })
    }

    /// The query string of this query at `offset` (the filter and order kept).
    fn href(&self, path: &str, offset: usize) -> String {
        let f = &self.filter;
        let mut parts: Vec<(&str, String)> = Vec::new();
        let mut add = |k, v: Option<&str>| {
            if let Some(v) = v {
                parts.push((k, v.to_string()));
            }
        };
        add("outlet", f.outlet.as_deref());
        add("from", f.from.as_deref());
        add("to", f.to.as_deref());
        add("verdict", f.verdict.map(|v| v.as_str()));
        add(
            "sort",
            (self.sort != Sort::default()).then(|| self.sort.as_str()),
        );
        add(
            "offset",
            (offset > 0).then(|| offset.to_string()).as_deref(),
        );
        let q: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("{k}={}", pct(v)))
            .collect();
        match q.is_empty() {
            true => path.to_string(),
            false => format!("{path}?{}", q.join("&")),
        }
    }
}

/// The filter form, submitting to `action` (GET: a filtered view is a link to share).
fn filter_form(b: &mut String, a: &Corpus, q: &Query, action: &str) {
    let f = &q.filter;
    let _ = write!(
        b,
        "<form class=\"filters\" id=\"filters\" method=\"get\" action=\"{}\">",
        esc(action)
    );
    b.push_str("<label>Outlet <select name=\"outlet\"><option value=\"\">any</option>");
    for o in browse::outlets(a) {
        let selected = f
            .outlet
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(o));
        option(b, o, o, selected);
    }
    b.push_str("</select></label> ");
    for (name, label, value) in [("from", "From", &f.from), ("to", "To", &f.to)] {
        let _ = write!(
            b,
            "<label>{label} <input type=\"date\" name=\"{name}\" value=\"{}\"></label> ",
            esc(value.as_deref().unwrap_or(""))
        );
    }
    b.push_str("<label>Verdict <select name=\"verdict\"><option value=\"\">any</option>");
    for v in Verdict::ALL {
        option(
            b,
            v.as_str(),
            &v.as_str().replace('_', " "),
            f.verdict == Some(*v),
        );
    }
    b.push_str("</select></label> <label>Order <select name=\"sort\">");
    for s in Sort::ALL {
        option(b, s.as_str(), s.label(), q.sort == s);
    }
    let _ = writeln!(
        b,
        "</select></label> <button type=\"submit\">Show</button> <a href=\"{}\">clear</a></form>",
        esc(action)
    );
}

fn option(b: &mut String, value: &str, label: &str, selected: bool) {
    let _ = write!(
        b,
        "<option value=\"{}\"{}>{}</option>",
        esc(value),
        if selected { " selected" } else { "" },
        esc(label)
    );
}

/// "Showing 21–40 of 312" and the links to the neighbouring pages.
fn pager<T>(b: &mut String, p: &Paged<T>, q: &Query, path: &str, noun: &str, id: &str) {
    let _ = write!(b, "<nav class=\"pager\" id=\"{id}\"><span class=\"meta\">");
    if p.items.is_empty() {
        let _ = write!(b, "No {noun} on this page ({} in all)", p.total);
    } else {
        let _ = write!(
            b,
            "Showing {}–{} of {} {noun}",
            p.offset + 1,
            p.offset + p.items.len(),
            p.total
        );
    }
    b.push_str("</span>");
    if let Some(prev) = p.previous() {
        let _ = write!(
            b,
            " <a rel=\"prev\" href=\"{}\">← previous</a>",
            esc(&q.href(path, prev))
        );
    }
    if let Some(next) = p.next() {
        let _ = write!(
            b,
            " <a rel=\"next\" href=\"{}\">next →</a>",
            esc(&q.href(path, next))
        );
    }
    b.push_str("</nav>\n");
}

/// The events a group is shown with, latest first.
fn group_events<'a>(a: &'a Corpus, l: &Lookup, g: &ClaimGroup) -> Vec<&'a Event> {
    let mut evs = browse::group_events(a, l, g);
    evs.sort_by(|x, y| y.date.cmp(&x.date).then(x.id.cmp(&y.id)));
    evs
}

/// One claim group as a table row: its slot, verdict, values, sources and events.
fn group_row(b: &mut String, a: &Corpus, l: &Lookup, g: &ClaimGroup) {
    let values: Vec<String> = (g.values.iter())
        .map(|v| group_value_text(a, l, Some(g), &v.value))
        .collect();
    let _ = write!(
        b,
        "<tr class=\"group {}\"><td>{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td><td>{}</td><td>",
        g.verdict.as_str(),
        esc(&group_heading(a, l, g)),
        g.verdict.as_str(),
        g.verdict.as_str().replace('_', " "),
        esc(&values.join(" vs ")),
        g.origins.len()
    );
    for e in group_events(a, l, g) {
        let date = e.date.as_deref().map(display::date).unwrap_or_default();
        let _ = write!(
            b,
            "<a href=\"{}\">{}</a> <span class=\"meta\">{}</span><br>",
            esc(&Links::Server.event(&e.id)),
            esc(&e.label),
            esc(&date)
        );
    }
    b.push_str("</td></tr>\n");
}

fn group_table(b: &mut String, a: &Corpus, l: &Lookup, groups: &[&ClaimGroup]) {
    b.push_str("<table class=\"groups\"><thead><tr><th>Claim</th><th>Verdict</th><th>Values</th><th>Sources</th><th>Events</th></tr></thead><tbody>\n");
    for g in groups {
        group_row(b, a, l, g);
    }
    b.push_str("</tbody></table>\n");
}

/// The front page's first section: contested and disputed claims of the latest events.
pub(super) fn contested(b: &mut String, a: &Corpus, l: &Lookup, q: &Query) {
    let mut f = q.filter.clone();
    let asked = f.verdict.take();
    if asked.is_some_and(|v| !matches!(v, Verdict::Contested | Verdict::Disputed)) {
        return;
    }
    let groups: Vec<&ClaimGroup> = browse::claim_groups(a, l, &f, Sort::Latest)
        .into_iter()
        .filter(|g| {
            asked.map_or(
                matches!(g.verdict, Verdict::Contested | Verdict::Disputed),
                |v| g.verdict == v,
            )
        })
        .collect();
    b.push_str("<section id=\"contested\"><h2>Contested and disputed claims</h2>\n");
    if groups.is_empty() {
        b.push_str("<p class=\"muted\">No claim is contested or disputed here.</p></section>\n");
        return;
    }
    let shown = groups.len().min(CONTESTED_SHOWN);
    let all = Query {
        filter: Filter {
            verdict: asked.or(Some(Verdict::Contested)),
            ..f.clone()
        },
        sort: Sort::Latest,
        offset: 0,
    };
    let _ = writeln!(
        b,
        "<p class=\"meta\">Latest events first: {} of {}. <a href=\"{}\">All contested claims</a> · <a href=\"{}\">all claims</a></p>",
        shown,
        plural(groups.len(), "claim group", "claim groups"),
        esc(&all.href("/claims", 0)),
        esc(&Query {
            filter: f,
            ..Query::default()
        }
        .href("/claims", 0))
    );
    group_table(b, a, l, &groups[..shown]);
    b.push_str("</section>\n");
}

/// The front page's threads: chosen, sorted and paged by the query.
pub(super) fn threads(b: &mut String, a: &Corpus, l: &Lookup, q: &Query) {
    b.push_str("<section id=\"threads\"><h2>Threads</h2>\n");
    filter_form(b, a, q, "/");
    let chosen = browse::threads(a, l, &q.filter, q.sort);
    let page = browse::paged(chosen, q.page(THREADS_PER_PAGE));
    pager(b, &page, q, "/", "threads", "pager-threads");
    for t in &page.items {
        let evs: Vec<&Event> = t.events.iter().filter_map(|e| l.get_event(a, e)).collect();
        super::thread_section(b, a, l, Links::Server, t, &evs);
    }
    let unthreaded = browse::unthreaded(a, l, &q.filter, page.next().is_none());
    if !unthreaded.is_empty() {
        super::unthreaded_section(b, a, l, Links::Server, &unthreaded);
    }
    if page.items.len() > 3 {
        pager(b, &page, q, "/", "threads", "pager-threads-end");
    }
    b.push_str("</section>\n");
}

/// The claims page: every claim group the query chooses, in its order, a page at a time.
pub fn page_claims(a: &Corpus, l: &Lookup, q: &Query) -> String {
    let mut b = String::from("<h1>Claims</h1>\n");
    filter_form(&mut b, a, q, "/claims");
    let chosen = browse::claim_groups(a, l, &q.filter, q.sort);
    let page = browse::paged(chosen, q.page(GROUPS_PER_PAGE));
    pager(&mut b, &page, q, "/claims", "claim groups", "pager-claims");
    if !page.items.is_empty() {
        group_table(&mut b, a, l, &page.items);
    }
    super::server_page("Claims", "", &b)
}
