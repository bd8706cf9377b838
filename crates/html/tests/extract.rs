//! Behaviour of `extract` on small hand-written pages.

use crosscheck_html::{HtmlPage, extract};

const P1: &str = "The storm reached the coast early on Tuesday, flooding several streets in the \
old town, and the authorities asked residents to stay indoors until the water receded.";
const P2: &str = "Emergency services said nobody was hurt, although dozens of cars were damaged \
and the ferry service between the two harbours was suspended for the rest of the day.";
const P3: &str = "Forecasters expect calmer weather by the weekend, but they warned that another \
front could bring strong winds, heavy rain and high tides again early next week.";

/// A news page with the usual furniture around the story.
fn page(head: &str, article_extra: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head>{head}</head><body>
<div class="cookie-banner">We use cookies to improve your experience, analyse traffic and personalise advertising. Accept all cookies to continue.</div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main>
<article>
<h1>Storm floods the old town</h1>
<p class="byline">By Jane Doe</p>
<figure><img src="a.jpg"><figcaption>Flooded streets in the old town on Tuesday.</figcaption></figure>
<p>{P1}</p>
<h2>Ferries suspended</h2>
<p>{P2}</p>
{article_extra}
<p>{P3}</p>
</article>
<section class="related-articles"><h3>Related articles</h3><ul>
<li><a href="/a">Another storm story with a long and enticing headline that goes on</a></li>
<li><a href="/b">Yet another story about the weather and the ferries and the harbour</a></li>
</ul></section>
</main>
<aside class="sidebar"><h3>Most read</h3><p>Some teaser text for the most read story of the week, which is about something else entirely.</p></aside>
<footer class="site-footer"><p>Copyright 2019 The Daily Planet. All rights reserved. Contact us, terms of service and privacy policy.</p></footer>
</body></html>"#
    )
}

fn texts(p: &HtmlPage) -> Vec<&str> {
    p.paragraphs.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn keeps_the_story_and_drops_furniture() {
    let html = page(
        "<title>Storm floods the old town | The Daily Planet</title>",
        "",
    );
    let p = extract(&html, None);
    assert_eq!(texts(&p), [P1, "Ferries suspended", P2, P3]);
    assert!(p.paragraphs[1].heading);
    assert!(!p.paragraphs[0].heading);
    let all = texts(&p).join("\n");
    for furniture in [
        "cookies",
        "Home",
        "Related",
        "Most read",
        "Copyright",
        "Jane Doe",
    ] {
        assert!(!all.contains(furniture), "{furniture} leaked into {all}");
    }
}

#[test]
fn captions_are_kept_apart_and_deduplicated() {
    let extra = r#"<figure><img src="b.jpg"><figcaption>Flooded streets in the old town on Tuesday.</figcaption></figure>
<div class="wp-caption"><img src="c.jpg"><p class="wp-caption-text">A ferry waits in the harbour.</p></div>"#;
    let p = extract(&page("", extra), None);
    assert_eq!(
        p.captions,
        [
            "Flooded streets in the old town on Tuesday.",
            "A ferry waits in the harbour."
        ]
    );
    assert!(
        texts(&p)
            .iter()
            .all(|t| !t.contains("Flooded") && !t.contains("ferry waits"))
    );
}

#[test]
fn title_site_suffix_is_stripped() {
    let p = extract(
        &page(
            r#"<title>Storm floods the old town | The Daily Planet</title>
<meta property="og:site_name" content="The Daily Planet">"#,
            "",
        ),
        None,
    );
    assert_eq!(p.title.as_deref(), Some("Storm floods the old town"));
    let p = extract(
        &page(
            r#"<meta property="og:title" content="Storm floods the old town - Daily Planet">
<meta property="og:site_name" content="Daily Planet">"#,
            "",
        ),
        None,
    );
    assert_eq!(p.title.as_deref(), Some("Storm floods the old town"));
    // No <title>, no og:title: the <h1>.
    let p = extract(&page("", ""), None);
    assert_eq!(p.title.as_deref(), Some("Storm floods the old town"));
}

#[test]
fn outlet_from_og_site_name_or_json_ld_publisher() {
    let p = extract(
        &page(
            r#"<meta property="og:site_name" content="The Daily Planet">"#,
            "",
        ),
        None,
    );
    assert_eq!(p.outlet.as_deref(), Some("The Daily Planet"));
    let p = extract(
        &page(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Storm floods the old town","publisher":{"@type":"Organization","name":"Planet News"}}</script>"#,
            "",
        ),
        None,
    );
    assert_eq!(p.outlet.as_deref(), Some("Planet News"));
}

#[test]
fn published_from_meta_json_ld_or_time() {
    let p = extract(
        &page(
            r#"<meta property="article:published_time" content="2019-11-19T08:05:00-05:00">"#,
            "",
        ),
        None,
    );
    assert_eq!(p.published.as_deref(), Some("2019-11-19T08:05:00-05:00"));

    let p = extract(
        &page(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
{"@type":"WebSite","name":"Planet"},
{"@type":"NewsArticle","headline":"Storm","datePublished":"2019-11-18"}]}</script>"#,
            "",
        ),
        None,
    );
    assert_eq!(p.published.as_deref(), Some("2019-11-18"));

    let p = extract(
        &page("", r#"<p><time datetime="2019-11-17">Sunday</time></p>"#),
        None,
    );
    assert_eq!(p.published.as_deref(), Some("2019-11-17"));

    // Not stated, or not a valid date: none.
    assert_eq!(extract(&page("", ""), None).published, None);
    let p = extract(
        &page(r#"<meta name="date" content="2019-02-30">"#, ""),
        None,
    );
    assert_eq!(p.published, None);
}

#[test]
fn canonical_url_beats_the_hint() {
    let p = extract(
        &page(
            r#"<link rel="canonical" href="https://planet.example/storm">"#,
            "",
        ),
        Some("https://planet.example/storm?utm=x"),
    );
    assert_eq!(p.url.as_deref(), Some("https://planet.example/storm"));
    let p = extract(&page("", ""), Some("https://planet.example/s"));
    assert_eq!(p.url.as_deref(), Some("https://planet.example/s"));
}

#[test]
fn text_is_clean() {
    let extra = "<p>Officials&nbsp;said the\n   damage was &ldquo;serious&rdquo; &amp; would take <b>weeks</b> to\trepair, according to the mayor&#8217;s office and the harbour master.</p>";
    let p = extract(&page("", extra), None);
    assert!(texts(&p).contains(
        &"Officials said the damage was “serious” & would take weeks to repair, according to the mayor’s office and the harbour master."
    ));
}

#[test]
fn text_in_divs_with_line_breaks_is_found() {
    let html = format!(
        r#"<html><body><div id="nav"><a href="/">Home</a> <a href="/x">X</a></div>
<div class="post-body">{P1}<br><br>{P2}<br><br>{P3}</div></body></html>"#
    );
    let p = extract(&html, None);
    assert_eq!(texts(&p), [P1, P2, P3]);
}

#[test]
fn hostile_input_never_panics() {
    let fixed: Vec<String> = vec![
        String::new(),
        "<".into(),
        "<<<>>>".into(),
        "<html><body><p>unclosed <b>bold <i>italic</p></div></span>".into(),
        "<script>".into(),
        "<!--".into(),
        "<meta property=\"article:published_time\" content=\"9999-99-99T99:99\">".into(),
        "<script type=\"application/ld+json\">{\"@type\": [1, {\"x\": null}], \"datePublished\": 5}</script>".into(),
        "<script type=\"application/ld+json\">[[[[[[[[[[[[[]]]]]]]]]]]]]</script>".into(),
        "&#xFFFFFFFF; &#0; &bogus; &".into(),
        "<table><td><td><tr><li><dd><p><h1><h2></table></table>".into(),
        "\u{0}\u{1}\u{fffd}\u{10ffff}".into(),
        "<div>".repeat(5000) + &"x ".repeat(100),
        "<a href='".repeat(1000),
    ];
    for s in &fixed {
        let _ = extract(s, Some("not a url"));
    }
    // Pseudo-random junk mixing markup characters and arbitrary code points.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "<>/=\"' &#;!-abpdivscrtlmeh1\n\u{a0}é😀\u{0}"
        .chars()
        .collect();
    for _ in 0..300 {
        let mut s = String::new();
        for _ in 0..400 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let _ = extract(&s, None);
    }
}

/// A bare page around `body`, no furniture.
fn bare(body: &str) -> String {
    format!("<html><head><title>T</title></head><body>{body}</body></html>")
}

#[test]
fn a_sharing_wrapper_holding_the_article_is_kept() {
    let html = bare(&format!(
        r#"<div id="socialicons-sticky"><div class="entry-content"><p>{P1}</p><p>{P2}</p></div></div>
<div class="share-buttons"><p>Share this story with your friends on every network you like today.</p></div>"#
    ));
    let p = extract(&html, None);
    assert_eq!(texts(&p), vec![P1, P2]);
}

#[test]
fn prose_around_a_table_of_names_is_the_article() {
    let names: String = (0..40)
        .map(|i| format!("<strong>Person Number{i}</strong>, University of Somewhere<br>"))
        .collect();
    let html = bare(&format!(
        r#"<div class="letter"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
<table><tr><td>{names}</td></tr></table></div>"#
    ));
    let t = texts(&extract(&html, None)).join("\n");
    assert!(t.contains(P1) && t.contains(P3), "{t}");
}

#[test]
fn the_trailer_after_the_body_and_labels_over_links_go() {
    let html = bare(&format!(
        r#"<article><div class="body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
<div class="author-box"><p>Follow our reporter on every platform and send us your tips any time you like.</p></div>
<div>Similar topics</div><div><a href="/a">Weather</a> <a href="/b">Ferries</a> <a href="/c">Harbours</a></div>
</article>"#
    ));
    assert_eq!(texts(&extract(&html, None)), vec![P1, P2, P3]);
}

#[test]
fn a_lead_in_its_own_box_and_a_sentence_set_as_a_heading_are_text() {
    let lead = "The old town was flooded on Tuesday after the heaviest rain in a decade, and \
                officials promised help.";
    let heading =
        "Nobody was hurt, the police said, but the clean-up of the old town will take weeks.";
    let html = bare(&format!(
        r#"<div class="wrap"><div class="summary"><p>{lead}</p></div>
<div class="text"><p>{P1}</p><p>{P2}</p><h4>{heading}</h4></div></div>"#
    ));
    let p = extract(&html, None);
    assert_eq!(texts(&p), vec![lead, P1, P2, heading]);
    assert!(!p.paragraphs[3].heading);
}

#[test]
fn a_figure_holding_a_table_is_content() {
    let html = bare(&format!(
        r#"<article><p>{P1}</p><figure><table><tr><td>Withdrawal fee</td><td>1 GBP per withdrawal</td></tr></table>
<figcaption>Fees compared</figcaption></figure><p>{P2}</p></article>"#
    ));
    let t = texts(&extract(&html, None)).join("\n");
    assert!(t.contains("1 GBP per withdrawal"), "{t}");
}
