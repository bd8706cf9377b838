use super::fixtures::{HOSTILE, sample};
use super::*;
use serde_json::json;

/// Every tag of `html` as (name, [(attribute, value)]), by a small scanner: text is escaped,
/// so every `<` starts a tag this module wrote.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let mut j = i + off + 1;
        if html[j..].starts_with("!--") {
            i = j + html[j..].find("-->").expect("closed comment") + 3;
            continue;
        }
        let start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
            j += 1;
        }
        let name = html[start..j].trim_end_matches('/').to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            if b[j] == b'/' {
                j += 1;
                continue;
            }
            let s = j;
            while j < b.len() && !b"= >".contains(&b[j]) && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            let key = html[s..j].to_ascii_lowercase();
            let mut val = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                assert_eq!(b[j], b'"', "unquoted attribute {key} in <{name}>");
                let e = j + 1 + html[j + 1..].find('"').expect("closed quote");
                val = html[j + 1..e].to_string();
                j = e + 1;
            }
            attrs.push((key, val));
        }
        out.push((name, attrs));
        i = j + 1;
    }
    out
}

const ALLOWED: &[&str] = &[
    "!doctype",
    "html",
    "/html",
    "head",
    "/head",
    "meta",
    "title",
    "/title",
    "style",
    "/style",
    "link",
    "body",
    "/body",
    "header",
    "/header",
    "nav",
    "/nav",
    "main",
    "/main",
    "footer",
    "/footer",
    "section",
    "/section",
    "article",
    "/article",
    "h1",
    "/h1",
    "h2",
    "/h2",
    "h3",
    "/h3",
    "h4",
    "/h4",
    "h5",
    "/h5",
    "p",
    "/p",
    "a",
    "/a",
    "b",
    "/b",
    "br",
    "span",
    "/span",
    "ul",
    "/ul",
    "ol",
    "/ol",
    "li",
    "/li",
    "div",
    "/div",
    "table",
    "/table",
    "thead",
    "/thead",
    "tbody",
    "/tbody",
    "tr",
    "/tr",
    "th",
    "/th",
    "td",
    "/td",
    "mark",
    "/mark",
    "blockquote",
    "/blockquote",
    "cite",
    "/cite",
    "details",
    "/details",
    "summary",
    "/summary",
    "svg",
    "/svg",
    "line",
    "text",
    "/text",
    "circle",
    "rect",
    "form",
    "/form",
    "input",
    "button",
    "/button",
    "label",
    "/label",
    "select",
    "/select",
    "option",
    "/option",
    "nav",
    "/nav",
];

/// The safety invariants of a page: only our tags, no event handler attributes, no `src`,
/// links only to fragments, same-origin paths or http(s) URLs, stylesheets only same-origin.
fn assert_safe(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script tag");
    assert!(!lower.contains("<img"), "an img tag");
    for (name, attrs) in tags(html) {
        assert!(ALLOWED.contains(&name.as_str()), "unexpected tag <{name}>");
        for (k, v) in attrs {
            assert!(!k.starts_with("on"), "event handler {k} on <{name}>");
            assert!(
                k != "src" && k != "srcdoc" && k != "xlink:href",
                "{k} on <{name}>"
            );
            if k == "href" || k == "action" {
                let v = v.replace("&amp;", "&");
                let ok = v.starts_with('#')
                    || (v.starts_with('/') && !v.starts_with("//"))
                    || safe_url(&v).is_some();
                assert!(ok, "{k}={v:?} on <{name}>");
                if name == "link" {
                    assert!(v.starts_with('/'), "remote stylesheet {v}");
                }
                if v.starts_with("http") {
                    assert_eq!(name, "a", "remote {k} on <{name}>");
                }
            }
        }
    }
}

#[test]
fn report_of_the_sample_shows_threads_timeline_matrix_and_conflict() {
    let a = sample();
    let html = render(&a);
    assert_safe(&html);
    assert!(html.contains(REPORT_CSP));
    // Thread with its timeline: one marker per dated event.
    assert!(html.contains("Russia and the new Syria"));
    assert_eq!(html.matches("<circle").count(), 2);
    assert!(html.contains("href=\"#event-ev-jan\""));
    // The January event, its conflict with both quotes side by side, and links to the spans.
    let jan = &html[html.find("id=\"event-ev-jan\"").unwrap()..];
    let jan = &jan[..jan.find("</section>").unwrap()];
    assert!(jan.contains("the date of Bashar al-Assad&#39;s flight"));
    assert!(jan.contains("<div class=\"value\">December 2024</div>"));
    assert!(jan.contains("<div class=\"value\">December 2025</div>"));
    assert!(jan.contains("<blockquote class=\"quote\">December 2024 flight</blockquote>"));
    assert!(jan.contains("<blockquote class=\"quote\">December 2025 flight</blockquote>"));
    assert!(jan.contains("<blockquote class=\"quote\">in late 2024</blockquote>"));
    assert!(jan.contains("href=\"#q-cl-1\""));
    let a004 = &a.articles[0].id;
    assert!(jan.contains(&format!("href=\"#article-{a004}\"")));
    // The quote is marked at its byte span in the article text (after a multi-byte "é").
    assert!(html.contains(&format!("id=\"article-{a004}\"")));
    assert!(html.contains("<mark class=\"conflict\" id=\"q-cl-2\""));
    assert!(html.contains(">December 2025 flight</mark>"));
    // Matrix: contested first, then single-origin; origins as columns with stances.
    let contested = jan.find("verdict-contested").unwrap();
    let single = jan.find("verdict-single_origin").unwrap();
    assert!(contested < single);
    assert!(jan.contains("class=\"cell contradict\""));
    assert!(jan.contains("class=\"cell alone\""));
    assert!(jan.contains("class=\"cell silent\""));
    assert!(jan.contains("<th title=\"origin"));
    // Conflict list, entity index with aliases.
    assert!(html.contains("id=\"conflicts\""));
    assert!(html.contains("href=\"#c-ev-jan-cf-fled\""));
    assert!(html.contains("id=\"c-ev-jan-cf-fled\""));
    assert!(html.contains("<td>Bashar al-Assad</td><td>person</td><td>Assad</td>"));
}

#[test]
fn hostile_article_is_plain_text() {
    let html = render(&sample());
    assert_safe(&html);
    // The hostile text is there, escaped, as text.
    // (its first characters are a claim quote, so they sit in a <mark> of their own)
    let rest = &HOSTILE[HOSTILE.find("<img").unwrap()..];
    assert!(html.contains(&esc(rest)));
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;Hostile"));
    // Its javascript: URL is shown, not linked.
    assert!(html.contains(
        "source (not a web link): <span class=\"url\">javascript:window.__pwned=1</span>"
    ));
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript"));
    // Nothing fetches anything remote: the only http(s) strings are article links.
    for (name, attrs) in tags(&html) {
        for (k, v) in attrs {
            if v.contains("http:") || v.contains("https:") {
                assert_eq!((name.as_str(), k.as_str()), ("a", "href"));
            }
        }
    }
}

/// The demo corpus, analysed.
fn demo() -> Corpus {
    pipeline::analyze(
        &pipeline::Input::Demo,
        None,
        &Default::default(),
        &pipeline::Quiet,
    )
    .unwrap()
}

#[test]
fn report_of_the_demo_renders_with_empty_layers() {
    let a = demo();
    let html = render(&a);
    assert_safe(&html);
    for art in &a.articles {
        assert!(html.contains(&format!("id=\"article-{}\"", art.id)));
    }
    if a.events.is_empty() {
        assert!(html.contains("No events in this analysis"));
    } else {
        assert!(html.contains("<svg class=\"timeline\""));
    }
    // Entities with aliases make the index.
    assert!(html.contains("<table class=\"entities\">"));
    assert!(html.contains("Vladimir Putin") || html.contains("Putin"));
}

#[test]
fn empty_analysis_renders() {
    let html = render(&Corpus::default());
    assert_safe(&html);
    assert!(html.contains("<b>0</b> articles"));
}

#[test]
fn server_pages_link_to_routes() {
    let a = sample();
    let l = Lookup::new(&a);
    let home = page_home(&a, &l);
    assert_safe(&home);
    assert!(home.contains("href=\"/events/ev-jan\""));
    assert!(home.contains("<link rel=\"stylesheet\" href=\"/assets/style.css\">"));
    assert!(!home.contains("<style>"));
    let ev = page_event(&a, &l, "ev-jan").unwrap();
    assert_safe(&ev);
    let a004 = &a.articles[0].id;
    assert!(ev.contains(&format!("href=\"/articles/{a004}#q-cl-1\"")));
    assert!(page_event(&a, &l, "nope").is_none());
    let (s, e) = (a.claims[1].start, a.claims[1].end);
    let art = page_article(&a, &l, a004, Some((s, e))).unwrap();
    assert_safe(&art);
    assert!(art.contains("<mark class=\"hl\" id=\"q-cl-2\""), "{art}");
    let ents = page_entities(&a, "assad");
    assert_safe(&ents);
    assert!(ents.contains("Bashar al-Assad") && !ents.contains("alert(1)"));
    let hostile = page_article(&a, &l, &a.articles[2].id, None).unwrap();
    assert_safe(&hostile);
    let p = page("x", "\"><script>", "<p>body</p>");
    assert_safe(&p);
    assert!(p.contains("value=\"&quot;&gt;&lt;script&gt;\""));
}

/// The sample with a pledge stated in money, its claim, its group and its quantity, and
/// undated events dated by a week and a season.
fn sample_with_amounts() -> Corpus {
    use model::{Quantity, SlotValue};
    let mut a = sample();
    let text = "Donors pledged $250 million in aid for 12500 families.";
    let mut art = a.articles[1].clone();
    art.id = "art-pledge".into();
    art.text = text.into();
    art.paragraphs = vec![model::Paragraph {
        start: 0,
        end: text.len(),
        heading: false,
        copy_of: None,
    }];
    let (s, e) = (text.find('$').unwrap(), text.find(" in aid").unwrap());
    art.quantities = vec![Quantity {
        start: s,
        end: e,
        value: 250e6,
        unit: Some("USD".into()),
        counts: Some("aid".into()),
        qualifier: model::Qualifier::Exact,
    }];
    let mut claim = a.claims[3].clone();
    claim.id = "cl-pledge".into();
    claim.kind = "number".into();
    claim.article = art.id.clone();
    claim.predicate = "pledge".into();
    claim.value = json!(250000000);
    claim.qualifier = Some("exact".into());
    (claim.start, claim.end) = (0, text.len());
    claim.quote = text.into();
    let mut group = a.claim_groups[1].clone();
    group.id = "grp-pledge".into();
    group.slot = "how many: aid (pledge) in USD".into();
    group.claims = vec![claim.id.clone()];
    group.origins = vec![art.id.clone()];
    group.values = vec![SlotValue {
        value: json!(250000000),
        qualifier: Some("exact".into()),
        claims: vec![claim.id.clone()],
        origins: vec![art.id.clone()],
    }];
    a.events[1].articles.push(art.id.clone());
    a.events[0].date = Some("2026-W04".into());
    a.articles.push(art);
    a.claims.push(claim);
    a.claim_groups.push(group);
    a
}

#[test]
fn pages_show_values_in_words() {
    let a = sample_with_amounts();
    let html = render(&a);
    assert_safe(&html);
    // Headings as phrases, dates and amounts in words, qualifiers as words.
    assert!(
        html.contains("the date of Bashar al-Assad&#39;s flight"),
        "{html}"
    );
    assert!(html.contains("which of al-Sharaa&#39;s visits"));
    assert!(html.contains("● second</td>"), "{html}");
    // A quote's tooltip in the article text names its slot and value in words.
    assert!(html.contains("title=\"the date of Bashar al-Assad&#39;s flight: December 2024\""));
    assert!(html.contains("how much aid pledged, in USD"));
    assert!(html.contains("$250 million"));
    assert!(html.contains("<div class=\"value\">December 2024</div>"));
    assert!(html.contains("late 2024"));
    assert!(html.contains("the week of 19 January 2026"));
    assert!(html.contains("28 January 2026"));
    // The raw forms are not what a reader sees.
    for raw in [
        "250000000",
        "2026-W04",
        "(END)",
        "when: Bashar",
        "how many: aid",
    ] {
        assert!(!html.contains(raw), "{raw} shown raw");
    }
    // The server's pages read the same.
    let l = Lookup::new(&a);
    let ev = page_event(&a, &l, "ev-jan").unwrap();
    assert!(ev.contains("$250 million") && ev.contains("how much aid pledged, in USD"));
    assert!(!ev.contains("250000000"));
    let home = page_home(&a, &l);
    assert!(home.contains("the week of 19 January 2026") && !home.contains("2026-W04"));
}

#[test]
fn summary_shows_values_in_words_and_json_keeps_them_raw() {
    let a = sample_with_amounts();
    let text = crate::summary(&a);
    assert!(
        text.contains("SINGLE ORIGIN how much aid pledged, in USD = $250 million"),
        "{text}"
    );
    assert!(
        text.contains("CONTESTED the date of Bashar al-Assad's flight"),
        "{text}"
    );
    assert!(text.contains("= December 2024 ("), "{text}");
    assert!(text.contains("the week of 19 January 2026"), "{text}");
    assert!(text.contains("[event 28 January 2026: "), "{text}");
    assert!(
        !text.contains("250000000") && !text.contains("2026-W04"),
        "{text}"
    );
    let json = serde_json::to_value(crate::Output::new(&a)).unwrap();
    let group = (json["claim_groups"].as_array().unwrap().iter())
        .find(|g| g["id"] == "grp-pledge")
        .unwrap();
    assert_eq!(group["slot"], "how many: aid (pledge) in USD");
    assert_eq!(group["values"][0]["value"], 250000000);
    assert_eq!(json["events"][0]["date"], "2026-W04");
    assert_eq!(json["claim_groups"][0]["values"][0]["value"], "2024-12");
    assert_eq!(json["articles"][0]["published"], "2026-01-28");
}

#[test]
fn units_come_from_the_quantity_stating_the_claim_value() {
    let a = sample_with_amounts();
    let l = Lookup::new(&a);
    let pledge = l.get_claim(&a, "cl-pledge").unwrap();
    assert_eq!(claim_unit(&a, &l, pledge), Some("USD"));
    // Another value in the same sentence is not the claim's quantity.
    let mut other = pledge.clone();
    other.value = json!(12500);
    assert_eq!(claim_unit(&a, &l, &other), None);
    // Dates and ordinals have no unit.
    assert_eq!(claim_unit(&a, &l, &a.claims[0]), None);
    let group = &a.claim_groups[3];
    assert_eq!(group_unit(&a, &l, group), Some("USD"));
    assert_eq!(
        group_value_text(&a, &l, Some(group), &json!(250000000)),
        "$250 million"
    );
    assert_eq!(group_unit(&a, &l, &a.claim_groups[0]), None);
}

#[test]
fn stances() {
    let a = sample();
    let g = &a.claim_groups[0];
    let (a004, a002) = (&a.articles[0].id, &a.articles[1].id);
    // 004 states two incompatible values; 002 states a third; no majority.
    assert_eq!(stance(g, a004).0, Stance::Contradict);
    assert_eq!(stance(g, a002).0, Stance::Contradict);
    assert_eq!(stance(g, "nobody").0, Stance::Silent);
    assert_eq!(stance(&a.claim_groups[1], a002).0, Stance::Alone);
    // One origin stating two incompatible values contradicts itself, even alone.
    let mut own = g.clone();
    own.values.truncate(2);
    own.origins = vec![a004.clone()];
    assert_eq!(stance(&own, a004).0, Stance::Contradict);
    // Two origins against one: the two agree, the one contradicts.
    let mut g = g.clone();
    g.values.truncate(2);
    g.values[0].origins = vec!["x".into(), "y".into()];
    g.values[1].origins = vec!["z".into()];
    g.origins = vec!["x".into(), "y".into(), "z".into()];
    assert_eq!(stance(&g, "x").0, Stance::Agree);
    assert_eq!(stance(&g, "z").0, Stance::Contradict);
    g.verdict = model::Verdict::Corroborated;
    assert_eq!(stance(&g, "z").0, Stance::Agree);
}

#[test]
fn the_server_shows_file_names_not_its_directories() {
    assert_eq!(
        shown_path("/srv/crawl/2026/feed.jsonl", Links::Server),
        "feed.jsonl"
    );
    assert_eq!(
        shown_path("C:\\data\\feed.jsonl", Links::Server),
        "feed.jsonl"
    );
    assert_eq!(
        shown_path("https://example.org/rss.xml", Links::Server),
        "https://example.org/rss.xml"
    );
    assert_eq!(
        shown_path("/srv/crawl/2026/feed.jsonl", Links::Report),
        "/srv/crawl/2026/feed.jsonl"
    );
}

/// The heading of the conflict card of `c` in the block of event `e`.
fn card_heading<'h>(html: &'h str, e: &str, c: &Conflict) -> &'h str {
    let at = format!("id=\"{}\"", conflict_anchor(e, &c.id));
    let card = &html[html.find(&at).expect("the conflict's card")..];
    &card[..card.find("<div class=\"sides\">").unwrap()]
}

#[test]
fn a_conflict_card_names_the_article_stating_two_values_and_only_then() {
    let a = demo();
    let html = render(&a);
    let text = crate::summary(&a);
    let event_of = |c: &Conflict| {
        let g = a.claim_groups.iter().find(|g| g.id == c.group).unwrap();
        let art = &g.claims[0];
        let claim = a.claims.iter().find(|x| &x.id == art).unwrap();
        claim.event.clone().unwrap()
    };
    let (inside, between): (Vec<&Conflict>, Vec<&Conflict>) =
        a.conflicts.iter().partition(|c| c.internal);
    // The demo's 004 dates Assad's flight December 2024 and December 2025; the Gaza toll is
    // 69,000 in one article and 69,176 in another.
    assert!(
        !inside.is_empty() && !between.is_empty(),
        "{:?}",
        a.conflicts
    );
    for c in inside {
        let who = a.articles.iter().find(|x| x.id == c.internal_articles[0]);
        let who = crate::source_name(who.unwrap());
        let heading = card_heading(&html, &event_of(c), c);
        assert!(
            heading.contains(&format!("{} states ", esc(&who))),
            "{heading}"
        );
        assert!(text.contains(&format!(", {who} states ")), "{text}");
    }
    for c in between {
        let heading = card_heading(&html, &event_of(c), c);
        assert!(!heading.contains("badge internal"), "{heading}");
    }
    assert!(!text.contains("inside one article"));
}
