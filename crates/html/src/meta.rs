//! Page metadata: headline, outlet, publication date, canonical URL.
//!
//! Sources in order of trust: `<meta>` tags (Open Graph, article:*, Dublin Core, itemprop,
//! parsely/sailthru-style names), JSON-LD (`NewsArticle` and friends, also inside `@graph`),
//! then the visible page (`<h1>`, `<title>`, `<time datetime>`). Dates are normalised to ISO
//! 8601 and validated; a page that states no date gets none.

use crate::dom::{Dom, Kind, NodeId};
use crate::text::{clean_inline, decode};

#[derive(Debug, Default)]
pub struct Meta {
    pub og_title: Option<String>,
    pub title_tag: Option<String>,
    pub ld_headline: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
}

/// Meta names giving the publication date, most specific first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "article_date_original",
    "datepublished",
    "publishdate",
    "publish-date",
    "published_time",
    "published-date",
    "pubdate",
    "date.available",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "article:published",
];

const SITE_META: &[&str] = &[
    "og:site_name",
    "application-name",
    "apple-mobile-web-app-title",
    "twitter:site",
    "dc.publisher",
    "publisher",
    "copyright",
];

pub fn read(dom: &Dom) -> Meta {
    let mut m = Meta::default();
    let mut date_rank = usize::MAX;
    let mut site_rank = usize::MAX;
    let mut time_dt: Option<String> = None;
    let mut ld_date: Option<(u8, String)> = None;
    let mut ld_site: Option<String> = None;
    for id in dom.elements() {
        match dom.name(id) {
            "meta" => {
                let key = dom
                    .attr(id, "property")
                    .or_else(|| dom.attr(id, "name"))
                    .or_else(|| dom.attr(id, "itemprop"))
                    .or_else(|| dom.attr(id, "http-equiv"));
                let (Some(key), Some(content)) = (key, dom.attr(id, "content")) else {
                    continue;
                };
                let key = key.trim().to_ascii_lowercase();
                let content = clean_inline(&decode(content));
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" if m.og_title.is_none() => m.og_title = Some(content),
                    "og:url" if m.url.is_none() => m.url = Some(content),
                    k => {
                        // Unlisted names that still say "publication date" rank last.
                        let generic = (k.contains("date") || k.contains("time"))
                            && (k.contains("pub") || k.contains("post") || k.contains("creat"))
                            && !k.contains("modif")
                            && !k.contains("updat");
                        let rank = DATE_META
                            .iter()
                            .position(|d| *d == k)
                            .or(generic.then_some(DATE_META.len()));
                        if let Some(r) = rank
                            && r < date_rank
                            && let Some(d) = normalise_date(&content)
                        {
                            date_rank = r;
                            m.published = Some(d);
                        }
                        if let Some(r) = SITE_META.iter().position(|d| *d == k)
                            && r < site_rank
                            && let Some(s) = site_name(&content, k)
                        {
                            site_rank = r;
                            m.site_name = Some(s);
                        }
                    }
                }
            }
            "link" => {
                let rel = dom.attr(id, "rel").unwrap_or("");
                if rel.eq_ignore_ascii_case("canonical")
                    && let Some(h) = dom.attr(id, "href")
                {
                    let h = decode(h).trim().to_owned();
                    if h.starts_with("http") {
                        // Canonical beats og:url: it is what the page says about itself.
                        m.url = Some(h);
                    }
                }
            }
            "title" if m.title_tag.is_none() && !inside_svg(dom, id) => {
                let t = clean_inline(&decode(dom.raw_text(id)));
                if !t.is_empty() {
                    m.title_tag = Some(t);
                }
            }
            "script" => {
                let ty = dom.attr(id, "type").unwrap_or("");
                if ty.trim().eq_ignore_ascii_case("application/ld+json") {
                    json_ld(dom.raw_text(id), &mut m, &mut ld_date, &mut ld_site);
                }
            }
            "time" if time_dt.is_none() => {
                // Only a <time> that says it is the publication time, or the first one inside
                // an <article>: others date comments, related stories or "updated" notes.
                let class = dom.attr(id, "class").unwrap_or("").to_ascii_lowercase();
                let pub_like = dom.attr(id, "pubdate").is_some()
                    || dom
                        .attr(id, "itemprop")
                        .is_some_and(|v| v.eq_ignore_ascii_case("datePublished"))
                    || class.contains("publish")
                    || class.contains("pubdate")
                    || class.contains("pub-date")
                    || class.contains("posted");
                let updated = class.contains("updat") || class.contains("modif");
                if let Some(dt) = dom.attr(id, "datetime")
                    && !updated
                    && (pub_like || inside(dom, id, "article"))
                    && let Some(d) = normalise_date(&decode(dt))
                {
                    time_dt = Some(d);
                }
            }
            _ => {
                // itemprop="datePublished" on non-meta elements (content or datetime attribute).
                if m.published.is_none()
                    && dom
                        .attr(id, "itemprop")
                        .is_some_and(|v| v.eq_ignore_ascii_case("datePublished"))
                    && let Some(v) = dom.attr(id, "content").or_else(|| dom.attr(id, "datetime"))
                {
                    ld_date = ld_date.or_else(|| normalise_date(&decode(v)).map(|d| (3, d)));
                }
            }
        }
    }
    // JSON-LD is as explicit as meta tags; the first <time datetime> is a last resort.
    let ld_date = ld_date.map(|(_, d)| d);
    if m.published.is_none() {
        m.published = ld_date.or(time_dt);
    } else if let (Some(meta), Some(ld)) = (&m.published, &ld_date)
        && ld.len() > meta.len()
        && ld.get(..10) == meta.get(..10)
    {
        // Same day, but JSON-LD also knows the time or the zone.
        m.published = Some(ld.clone());
    }
    if ld_site.is_some() && site_rank > 0 {
        m.site_name = ld_site;
    }
    m
}

fn inside_svg(dom: &Dom, id: NodeId) -> bool {
    inside(dom, id, "svg")
}

fn inside(dom: &Dom, mut id: NodeId, name: &str) -> bool {
    while let Some(p) = dom.parent(id) {
        if dom.name(p) == name {
            return true;
        }
        id = p;
    }
    false
}

fn site_name(content: &str, key: &str) -> Option<String> {
    let s = content.trim();
    let s = if key == "twitter:site" {
        // "@Reuters" is a handle, a weaker but usable name.
        s.trim_start_matches('@')
    } else if key == "copyright" {
        return None;
    } else {
        s
    };
    (!s.is_empty() && s.chars().count() <= 80 && !s.starts_with("http")).then(|| s.to_owned())
}

/// Reads one JSON-LD script; `date` keeps the best-ranked date seen so far (0 = article).
fn json_ld(raw: &str, m: &mut Meta, date: &mut Option<(u8, String)>, site: &mut Option<String>) {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .unwrap_or(raw)
        .trim();
    let raw = raw
        .strip_prefix("//<![CDATA[")
        .and_then(|r| r.strip_suffix("//]]>"))
        .unwrap_or(raw);
    let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else {
        // Hand-written JSON-LD is often invalid (raw quotes or newlines in strings); the date
        // is still worth a plain look-up.
        if date.is_none() {
            *date = loose_json_string(raw, "datePublished")
                .and_then(|d| normalise_date(&d))
                .map(|d| (2, d));
        }
        return;
    };
    let mut items = Vec::new();
    flatten_ld(&v, &mut items, 0);
    for it in items {
        let ty = type_names(it);
        // Which item describes this page: the article itself, else the page, else any dated
        // item that is not a person, organisation or media object.
        let rank = if ty.iter().any(|t| {
            t.ends_with("Article")
                || t.ends_with("Posting")
                || t.ends_with("Review")
                || t == "Report"
        }) {
            0
        } else if ty.iter().any(|t| t.ends_with("Page")) {
            1
        } else if ty.iter().any(|t| {
            matches!(
                t.as_str(),
                "Organization"
                    | "NewsMediaOrganization"
                    | "Person"
                    | "WebSite"
                    | "ImageObject"
                    | "BreadcrumbList"
                    | "ItemList"
                    | "SiteNavigationElement"
                    | "Brand"
            )
        }) || ty.is_empty()
        {
            continue;
        } else {
            2
        };
        if date.as_ref().is_none_or(|(r, _)| rank < *r)
            && let Some(d) = it
                .get("datePublished")
                .or_else(|| it.get("dateCreated"))
                .and_then(|d| d.as_str())
                .and_then(normalise_date)
        {
            *date = Some((rank, d));
        }
        if rank < 2
            && (m.ld_headline.is_none() || rank == 0)
            && let Some(h) = it.get("headline").and_then(|h| h.as_str())
        {
            let h = clean_inline(&decode(h));
            if !h.is_empty() {
                m.ld_headline = Some(h);
            }
        }
        if site.is_none()
            && let Some(p) = it.get("publisher")
        {
            let p = if let Some(a) = p.as_array() {
                a.first().unwrap_or(p)
            } else {
                p
            };
            if let Some(n) = p.get("name").and_then(|n| n.as_str()) {
                let n = clean_inline(&decode(n));
                if !n.is_empty() {
                    *site = Some(n);
                }
            }
        }
    }
}

/// The string value of the first `"key": "..."` in text that is not valid JSON.
fn loose_json_string(raw: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\"");
    let at = raw.find(&pat)? + pat.len();
    let rest = raw[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_owned())
}

fn type_names(v: &serde_json::Value) -> Vec<String> {
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn flatten_ld<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v serde_json::Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| flatten_ld(x, out, depth + 1)),
        serde_json::Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                flatten_ld(g, out, depth + 1);
            }
            if let Some(e) = o.get("mainEntity") {
                flatten_ld(e, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Normalises a stated date to "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[offset]"; None when it
/// is not a valid calendar date.
pub fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    // Unix timestamps (seconds or milliseconds) are stated dates too.
    if b.len() >= 9 && b.len() <= 13 && b.iter().all(u8::is_ascii_digit) {
        let mut secs: i64 = s.parse().ok()?;
        if b.len() == 13 {
            secs /= 1000;
        }
        return from_unix(secs);
    }
    let (y, mo, d, rest) = if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/' || b[4] == b'.') {
        (num(0..4)?, num(5..7)?, num(8..10)?, &s[10..])
    } else if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        (num(0..4)?, num(4..6)?, num(6..8)?, &s[8..])
    } else {
        return text_date(s);
    };
    if !valid_ymd(y, mo, d) {
        return None;
    }
    let date = format!("{y:04}-{mo:02}-{d:02}");
    let rb = rest.as_bytes();
    if rb.len() >= 6 && (rb[0] == b'T' || rb[0] == b' ') && rb[3] == b':' {
        let h = num_of(rest, 1..3)?;
        let mi = num_of(rest, 4..6)?;
        let mut sec = 0;
        let mut k = 6;
        if rb.len() >= 9 && rb[6] == b':' {
            sec = num_of(rest, 7..9)?;
            k = 9;
        }
        if h > 23 || mi > 59 || sec > 60 {
            return Some(date);
        }
        // Skip fractional seconds.
        if rb.get(k) == Some(&b'.') {
            k += 1;
            while rb.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
        }
        let tz = rest[k..].trim();
        let zone = if tz == "Z" || tz == "z" {
            "Z".to_owned()
        } else {
            parse_offset(tz).unwrap_or_default()
        };
        return Some(format!("{date}T{h:02}:{mi:02}:{sec:02}{zone}"));
    }
    Some(date)
}

const MONTH_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

/// English written dates: "November 19, 2019, 07:47 PM EST", "19 Nov 2019 07:09 GMT",
/// "Tue Nov 19 2019 05:44:06 GMT+0000". A time is kept only with its zone or as local time.
fn text_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 12 {
        return None;
    }
    let (mut y, mut mo, mut d) = (None, None, None);
    let (mut hms, mut pm, mut am, mut zone) = (None, false, false, None::<String>);
    for w in &words {
        let lw = w.to_ascii_lowercase();
        let lw = lw.trim_end_matches('.');
        if let Some(m) = month_of(w) {
            mo = mo.or(Some(m));
        } else if w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()) {
            y = y.or(w.parse::<u32>().ok());
        } else if let Some(n) = lw
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=31).contains(n))
            && lw.len() <= 4
        {
            d = d.or(Some(n));
        } else if w.contains(':') && w.as_bytes()[0].is_ascii_digit() {
            let mut parts = w.split(':').map(|p| {
                p.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .parse::<u32>()
                    .ok()
            });
            let h = parts.next().flatten()?;
            let mi = parts.next().flatten()?;
            let sec = parts.next().flatten().unwrap_or(0);
            hms = Some((h, mi, sec));
            pm |= lw.ends_with("pm");
            am |= lw.ends_with("am");
        } else if matches!(lw, "pm" | "p.m") {
            pm = true;
        } else if matches!(lw, "am" | "a.m") {
            am = true;
        } else if matches!(lw, "gmt" | "utc" | "z") {
            zone = Some("Z".into());
        } else if let Some(rest) = lw.strip_prefix("gmt").or_else(|| lw.strip_prefix("utc")) {
            zone = parse_offset(rest);
        } else if w.starts_with('+') || (w.starts_with('-') && w.len() > 1) {
            zone = parse_offset(w).or(zone);
        } else if let Some(z) = match lw {
            "est" => Some("-05:00"),
            "edt" => Some("-04:00"),
            "cst" => Some("-06:00"),
            "cdt" => Some("-05:00"),
            "mst" => Some("-07:00"),
            "mdt" => Some("-06:00"),
            "pst" => Some("-08:00"),
            "pdt" => Some("-07:00"),
            "bst" => Some("+01:00"),
            "cet" => Some("+01:00"),
            "cest" => Some("+02:00"),
            _ => None,
        } {
            zone = Some(z.into());
        }
    }
    let (y, mo, d) = (y?, mo?, d?);
    if !valid_ymd(y, mo, d) {
        return None;
    }
    let date = format!("{y:04}-{mo:02}-{d:02}");
    let Some((mut h, mi, sec)) = hms else {
        return Some(date);
    };
    if pm && h < 12 {
        h += 12;
    } else if am && h == 12 {
        h = 0;
    }
    if h > 23 || mi > 59 || sec > 59 {
        return Some(date);
    }
    Some(format!(
        "{date}T{h:02}:{mi:02}:{sec:02}{}",
        zone.unwrap_or_default()
    ))
}

fn num_of(s: &str, r: std::ops::Range<usize>) -> Option<u32> {
    let t = s.get(r)?;
    t.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| t.parse().ok())
        .flatten()
}

fn parse_offset(tz: &str) -> Option<String> {
    let b = tz.as_bytes();
    if b.is_empty() || (b[0] != b'+' && b[0] != b'-') {
        return None;
    }
    let digits: String = tz[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 4 || tz[1..].chars().any(|c| !c.is_ascii_digit() && c != ':') {
        return None;
    }
    let (h, m) = (
        digits[..2].parse::<u32>().ok()?,
        digits[2..].parse::<u32>().ok()?,
    );
    (h <= 14 && m < 60).then(|| format!("{}{h:02}:{m:02}", b[0] as char))
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    d <= days[m as usize - 1]
}

fn from_unix(secs: i64) -> Option<String> {
    // Civil-from-days (Howard Hinnant's algorithm), UTC.
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u32;
    valid_ymd(y, m, d).then(|| {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            tod / 3600,
            tod % 3600 / 60,
            tod % 60
        )
    })
}

/// Strips a trailing " - Site" / " | Site" / " – Site" part of a `<title>`.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » "] {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| {
                let (a, b) = (norm(tail), norm(s));
                !a.is_empty() && (a == b || a.contains(&b) || b.contains(&a))
            });
            // Without a known site name, only cut a short tail after a longer head.
            let short_tail =
                tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3;
            if tail_is_site || short_tail {
                return strip_site_suffix(head, site);
            }
        }
    }
    t.to_owned()
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text of the first element named `name` (e.g. the first `<h1>`).
pub fn first_text(dom: &Dom, name: &str) -> Option<(NodeId, String)> {
    let id = dom.elements().find(|&id| dom.name(id) == name)?;
    let mut s = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        match dom.node(n).kind {
            Kind::Text => {
                s.push_str(&decode(dom.raw_text(n)));
                s.push(' ');
            }
            Kind::Element => {
                let kids: Vec<_> = dom.children(n).collect();
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
    let t = clean_inline(&s);
    (!t.is_empty()).then_some((id, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_normalise_and_validate() {
        assert_eq!(normalise_date("2019-11-18").as_deref(), Some("2019-11-18"));
        assert_eq!(
            normalise_date("2019-11-18T08:05:00.000Z").as_deref(),
            Some("2019-11-18T08:05:00Z")
        );
        assert_eq!(
            normalise_date("2019-11-18T08:05:00-0500").as_deref(),
            Some("2019-11-18T08:05:00-05:00")
        );
        assert_eq!(
            normalise_date("2019-11-18 08:05").as_deref(),
            Some("2019-11-18T08:05:00")
        );
        assert_eq!(normalise_date("2019-02-30"), None);
        assert_eq!(
            normalise_date("November 19, 2019, 07:47 PM EST").as_deref(),
            Some("2019-11-19T19:47:00-05:00")
        );
        assert_eq!(
            normalise_date("Tue Nov 19 2019 05:44:06 GMT+0000").as_deref(),
            Some("2019-11-19T05:44:06+00:00")
        );
        assert_eq!(normalise_date("19 Nov 2019").as_deref(), Some("2019-11-19"));
        assert_eq!(normalise_date("Fri 6:45 PM"), None);
        assert_eq!(normalise_date("01:38:07 PM IST Nov 20"), None);
        assert_eq!(normalise_date("Monday"), None);
        assert_eq!(normalise_date("20191118").as_deref(), Some("2019-11-18"));
        assert_eq!(
            normalise_date("1574168580").as_deref(),
            Some("2019-11-19T13:03:00Z")
        );
    }

    #[test]
    fn site_suffix_is_stripped() {
        assert_eq!(
            strip_site_suffix(
                "Storm hits the coast | The Daily Planet",
                Some("Daily Planet")
            ),
            "Storm hits the coast"
        );
        assert_eq!(
            strip_site_suffix("Storm hits the coast tonight - Planet", None),
            "Storm hits the coast tonight"
        );
        assert_eq!(strip_site_suffix("Left - Right", None), "Left - Right");
    }
}
