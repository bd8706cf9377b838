//! A hand-built analysis with every layer filled (threads, events, claims, a thread-wide
//! date conflict inside one article, a single-origin claim) and a hostile article, so the
//! views and the server are exercised before the real stories and claims stages land.
//! Used by the tests of this crate and of `crosscheck-server`.

use model::Corpus;
use model::{
    Article, Attribution, Claim, ClaimGroup, CleanArticle, Conflict, ConflictSide, DocKind,
    Document, Entity, EntityKind, Event, SlotValue, Thread,
};
use serde_json::json;

/// Text of a hostile article: markup, an event handler and a `javascript:` link.
pub const HOSTILE: &str = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"> <a href=\"javascript:window.__pwned=1\">click</a> <svg onload=alert(1)>";

fn article(doc: &str, title: &str, outlet: &str, url: &str, paras: &[&str]) -> Article {
    let mut c = CleanArticle {
        title: Some(title.into()),
        outlet: Some(outlet.into()),
        url: Some(url.into()),
        published: Some("2026-01-28".into()),
        published_from: Some(model::PublishedFrom::Input),
        ..Default::default()
    };
    c.set_paragraphs(paras.iter().map(|p| (*p, false)));
    Article::new(doc, 0, c)
}

fn span(a: &Article, needle: &str) -> (usize, usize) {
    let s = a.text.find(needle).expect("needle in fixture text");
    (s, s + needle.len())
}

#[allow(clippy::too_many_arguments)]
fn claim(
    kind: &str,
    id: &str,
    event: &str,
    a: &Article,
    needle: &str,
    predicate: &str,
    value: serde_json::Value,
    qualifier: Option<&str>,
) -> Claim {
    let (start, end) = span(a, needle);
    Claim {
        kind: kind.into(),
        id: id.into(),
        event: Some(event.into()),
        subject: "ent-assad".into(),
        predicate: predicate.into(),
        value,
        qualifier: qualifier.map(str::to_string),
        attribution: None,
        modality: model::Modality::Asserted,
        negated: false,
        article: a.id.clone(),
        start,
        end,
        quote: a.text[start..end].to_string(),
    }
}

/// The sample analysis: two events of one thread; the January 2026 event has the
/// "when Assad fled" conflict (December 2024 vs December 2025 inside one article, and
/// "late 2024" in another) and a single-origin claim.
pub fn sample() -> Corpus {
    let d004 = model::content_id(b"doc-004");
    let d002 = model::content_id(b"doc-002");
    let dh = model::content_id(b"doc-hostile");
    let mut a004 = article(
        &d004,
        "Putin hosts al-Sharaa at the Kremlin",
        "Moscow Times",
        "https://news.example/004",
        &[
            "Putin continues sheltering exiled Bashar al-Assad in Moscow since his December 2024 flight, despite al-Sharaa’s calls.",
            "Médecins noted that Moscow has sheltered Assad since his December 2025 flight from Damascus.",
        ],
    );
    a004.event = Some("ev-jan".into());
    let mut a002 = article(
        &d002,
        "Al-Sharaa makes second visit to Russia",
        "Wire Service",
        "https://news.example/002",
        &[
            "The meeting marked al-Sharaa's second visit to Russia since the ouster of Bashar al-Assad in late 2024.",
        ],
    );
    a002.event = Some("ev-jan".into());
    let mut hostile = article(
        &dh,
        "<script>window.__pwned=1</script>Hostile",
        "<b>Evil</b>",
        "javascript:window.__pwned=1",
        &[HOSTILE],
    );
    hostile.event = Some("ev-oct".into());
    hostile.caption = Some("<img src=x onerror=alert(1)>".into());
    hostile.published = Some("2025-10-15".into());

    let c1 = claim(
        "date",
        "cl-1",
        "ev-jan",
        &a004,
        "December 2024 flight",
        "flee",
        json!("2024-12"),
        None,
    );
    let c2 = claim(
        "date",
        "cl-2",
        "ev-jan",
        &a004,
        "December 2025 flight",
        "flee",
        json!("2025-12"),
        None,
    );
    let c3 = claim(
        "date",
        "cl-3",
        "ev-jan",
        &a002,
        "in late 2024",
        "flee",
        json!("2024"),
        Some("END"),
    );
    let mut c4 = claim(
        "ordinal",
        "cl-4",
        "ev-jan",
        &a002,
        "second visit to Russia",
        "visit",
        json!(2),
        None,
    );
    c4.subject = "al-Sharaa".into();
    c4.attribution = Some(Attribution {
        speaker: "Syrian sources".into(),
        verb: "said".into(),
    });
    let mut c5 = claim(
        "proposition",
        "cl-5",
        "ev-oct",
        &hostile,
        "<script>",
        "<b>pred</b>",
        json!("<img src=x onerror=alert(1)>"),
        None,
    );
    c5.subject = "<svg onload=alert(1)>".into();

    let g1 = ClaimGroup {
        id: "grp-fled".into(),
        event: None,
        thread: Some("th-syria".into()),
        slot: "when: Bashar al-Assad flee".into(),
        confidence: None,
        verdict: model::Verdict::Contested,
        origins: vec![a004.id.clone(), a002.id.clone()],
        claims: vec!["cl-1".into(), "cl-2".into(), "cl-3".into()],
        values: vec![
            SlotValue {
                value: json!("2024-12"),
                qualifier: None,
                claims: vec!["cl-1".into()],
                origins: vec![a004.id.clone()],
            },
            SlotValue {
                value: json!("2025-12"),
                qualifier: None,
                claims: vec!["cl-2".into()],
                origins: vec![a004.id.clone()],
            },
            SlotValue {
                value: json!("2024"),
                qualifier: Some("END".into()),
                claims: vec!["cl-3".into()],
                origins: vec![a002.id.clone()],
            },
        ],
    };
    let g2 = ClaimGroup {
        id: "grp-visit".into(),
        event: Some("ev-jan".into()),
        thread: Some("th-syria".into()),
        slot: "which: al-Sharaa visit".into(),
        confidence: None,
        verdict: model::Verdict::SingleOrigin,
        origins: vec![a002.id.clone()],
        claims: vec!["cl-4".into()],
        values: vec![SlotValue {
            value: json!(2),
            qualifier: None,
            claims: vec!["cl-4".into()],
            origins: vec![a002.id.clone()],
        }],
    };
    let g3 = ClaimGroup {
        id: "grp-hostile".into(),
        event: Some("ev-oct".into()),
        thread: Some("th-syria".into()),
        slot: "<script>window.__pwned=1</script>".into(),
        confidence: None,
        verdict: model::Verdict::SingleOrigin,
        origins: vec![hostile.id.clone()],
        claims: vec!["cl-5".into()],
        values: vec![SlotValue {
            value: json!("<img src=x onerror=alert(1)>"),
            qualifier: None,
            claims: vec!["cl-5".into()],
            origins: vec![hostile.id.clone()],
        }],
    };
    let conflict = Conflict {
        id: "cf-fled".into(),
        group: "grp-fled".into(),
        kind: "date".into(),
        severity: model::Severity::Hard,
        internal: true,
        internal_articles: vec![a004.id.clone()],
        values: vec![
            ConflictSide {
                value: json!("2024-12"),
                claims: vec!["cl-1".into(), "cl-3".into()],
                articles: vec![a004.id.clone(), a002.id.clone()],
                quotes: vec![c1.quote.clone(), c3.quote.clone()],
            },
            ConflictSide {
                value: json!("2025-12"),
                claims: vec!["cl-2".into()],
                articles: vec![a004.id.clone()],
                quotes: vec![c2.quote.clone()],
            },
        ],
    };
    let events = vec![
        Event {
            id: "ev-oct".into(),
            thread: "th-syria".into(),
            label: "First visit <script>".into(),
            date: Some("2025-10-15".into()),
            date_evidence: vec![],
            articles: vec![hostile.id.clone()],
            origins: 1,
        },
        Event {
            id: "ev-jan".into(),
            thread: "th-syria".into(),
            label: "Putin meets al-Sharaa in Moscow".into(),
            date: Some("2026-01-28".into()),
            date_evidence: vec![model::DateEvidence {
                source: model::DateSource::Published,
                value: "2026-01-28".into(),
                article: a004.id.clone(),
                start: None,
                end: None,
            }],
            articles: vec![a004.id.clone(), a002.id.clone()],
            origins: 2,
        },
    ];
    let threads = vec![Thread {
        id: "th-syria".into(),
        label: "Russia and the new Syria".into(),
        events: vec!["ev-oct".into(), "ev-jan".into()],
    }];
    let entities = vec![
        Entity {
            id: "ent-assad".into(),
            name: "Bashar al-Assad".into(),
            kind: EntityKind::Person,
            aliases: vec!["Assad".into()],
            roles: vec!["former president".into()],
            mentions: 4,
        },
        Entity {
            id: "ent-evil".into(),
            name: "<script>alert(1)</script>".into(),
            kind: EntityKind::Misc,
            aliases: vec!["<img src=x onerror=alert(1)>".into()],
            roles: vec![],
            mentions: 1,
        },
    ];
    let documents = [(&d004, &a004), (&d002, &a002), (&dh, &hostile)]
        .iter()
        .map(|(d, a)| Document {
            id: (*d).clone(),
            path: format!("fixture/{}.txt", &d[..4]),
            line: None,
            kind: DocKind::Text,
            bytes: a.text.len() as u64,
            articles: vec![a.id.clone()],
        })
        .collect();
    Corpus {
        documents,
        articles: vec![a004, a002, hostile],
        entities,
        events,
        threads,
        claims: vec![c1, c2, c3, c4, c5],
        claim_groups: vec![g1, g2, g3],
        conflicts: vec![conflict],
        ..Default::default()
    }
}
