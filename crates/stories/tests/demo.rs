//! The stories stage on the built-in demo corpus (five scraped pages, twelve articles) and on
//! small fixtures.

use std::collections::HashMap;

use crosscheck_stories::{Clusterer, Stories, StoryConfig, batch_order, cluster};
use model::Article;

mod common;
use common::{article, demo};

/// The demo article whose title (or, untitled, text) starts with `prefix`.
fn find<'a>(arts: &'a [Article], prefix: &str) -> &'a Article {
    arts.iter()
        .find(|a| {
            a.title.as_deref().unwrap_or(&a.text).starts_with(prefix) && a.duplicate_of.is_none()
        })
        .unwrap_or_else(|| panic!("no demo article {prefix:?}"))
}

fn event<'a>(s: &'a Stories, a: &Article) -> &'a str {
    &s.event_of(&a.id).expect("assigned").id
}

fn thread<'a>(s: &'a Stories, a: &Article) -> &'a str {
    &s.event_of(&a.id).expect("assigned").thread
}

#[test]
fn demo_events_and_threads() {
    let (arts, ents) = demo();
    let s = cluster(&arts, &ents, StoryConfig::default());
    assert_eq!(s.articles.len(), arts.len());

    let first = find(&arts, "First Putin-Al-Sharaa Meeting");
    let visit = find(&arts, "Syria’s Sharaa meets Putin");
    let visit2 = find(&arts, "Russian President Vladimir Putin hosted");
    let message = find(&arts, "Putin’s Message");
    // The October meeting ("first") and the January visit ("second") are different events
    // of one thread; the two January reports are one event.
    assert_ne!(event(&s, first), event(&s, visit));
    assert_eq!(event(&s, visit), event(&s, visit2));
    assert_eq!(thread(&s, first), thread(&s, visit));
    assert_eq!(thread(&s, message), thread(&s, visit));
    // The January event is dated by the Washington Insider's dateline date.
    let ev = s.event_of(&visit.id).unwrap();
    assert_eq!(ev.date.as_deref(), Some("2026-01-28"));
    assert!(ev.date_evidence.iter().any(|e| e.article == visit2.id));

    let rafah = find(&arts, "Hamas Says Fighters");
    let goldin = find(&arts, "Israel Receives Body");
    assert_eq!(thread(&s, rafah), thread(&s, goldin));

    // Unrelated stories each have their own event, and no other article joins them.
    for p in [
        "Lebanon PM Pledges",
        "Over 2,200 ISIS Detainees",
        "Drone Attack by RSF",
        "Syrian Govt Visits Notorious Al-Hol",
        "Israeli Government Spokesperson",
    ] {
        let a = find(&arts, p);
        let e = s.event_of(&a.id).unwrap();
        assert_eq!(e.articles, vec![a.id.clone()], "{p}");
    }
    let lebanon = find(&arts, "Lebanon PM Pledges");
    assert_ne!(thread(&s, lebanon), thread(&s, visit));
    assert_ne!(thread(&s, lebanon), thread(&s, rafah));
}

/// Known gap (see the crate doc): with the demo's twelve articles, the Rafah surrender and the
/// Goldin handover (same day, same places and parties) score above the event threshold, and
/// Putin's message (undated) joins the January visit.
#[test]
fn demo_same_place_same_day_events_stay_apart() {
    let (arts, ents) = demo();
    let s = cluster(&arts, &ents, StoryConfig::default());
    let rafah = find(&arts, "Hamas Says Fighters");
    let goldin = find(&arts, "Israel Receives Body");
    assert_ne!(event(&s, rafah), event(&s, goldin));
    let visit = find(&arts, "Syria’s Sharaa meets Putin");
    let message = find(&arts, "Putin’s Message");
    assert_ne!(event(&s, message), event(&s, visit));
}

#[test]
fn copies_share_an_event() {
    let (arts, ents) = demo();
    let s = cluster(&arts, &ents, StoryConfig::default());
    let copies: Vec<&Article> = arts.iter().filter(|a| a.duplicate_of.is_some()).collect();
    assert!(!copies.is_empty(), "the demo holds a copy");
    for c in copies {
        let o = arts.iter().find(|a| a.id == c.origin).unwrap();
        assert_eq!(event(&s, c), event(&s, o));
        // A copy is not an independent origin.
        let ev = s.event_of(&c.id).unwrap();
        assert!(ev.origins < ev.articles.len());
    }
}

#[test]
fn incremental_adds_equal_the_batch_and_restore_rebuilds_it() {
    let (arts, ents) = demo();
    let batch = cluster(&arts, &ents, StoryConfig::default());

    let order = batch_order(&arts);
    let mut c = Clusterer::new(StoryConfig::default());
    c.set_entities(&ents);
    // Two "runs": the first half, then the rest.
    for a in &order[..6] {
        c.add(a);
    }
    for a in &order[6..] {
        c.add(a);
    }
    let inc = c.stories();
    assert_eq!(inc.events, batch.events);
    assert_eq!(inc.threads, batch.threads);

    // The batch does not depend on input order.
    let mut rev = arts.clone();
    rev.reverse();
    assert_eq!(
        cluster(&rev, &ents, StoryConfig::default()).events,
        batch.events
    );

    // Rebuilding from stored assignments gives the same stories, and new articles then
    // join as before.
    let mut r = Clusterer::new(StoryConfig::default());
    r.set_entities(&ents);
    for a in &order[..6] {
        let e = inc.event_of(&a.id).unwrap();
        r.restore(a, &e.id, &e.thread);
    }
    let half = r.stories();
    let mut h = Clusterer::new(StoryConfig::default());
    h.set_entities(&ents);
    for a in &order[..6] {
        h.add(a);
    }
    assert_eq!(half.events.len(), h.stories().events.len());
    for a in &order[6..] {
        r.add(a);
    }
    let ids = |s: &Stories| -> HashMap<String, String> {
        s.articles
            .iter()
            .cloned()
            .zip(s.article_event.iter().cloned())
            .collect()
    };
    assert_eq!(ids(&r.stories()), ids(&batch));
}

#[test]
fn inferred_anchor_comes_from_the_event() {
    let (mut arts, ents) = demo();
    let s = cluster(&arts, &ents, StoryConfig::default());
    let visit = find(&arts, "Syria’s Sharaa meets Putin").clone();
    assert!(visit.published.is_none());
    let d = s.inferred_anchor(&visit).expect("anchor from the sibling");
    assert_eq!(d.to_string(), "2026-01-28");
    let dated = find(&arts, "Russian President Vladimir Putin hosted");
    assert_eq!(s.inferred_anchor(dated), None, "has its own date");
    s.apply(&mut arts);
    assert!(arts.iter().all(|a| a.event.is_some()));
}

#[test]
fn far_dates_split_and_undated_events_come_last() {
    let body = "The city council of Springfield voted to close the old river bridge for \
                repairs after engineers found cracks in two steel beams. Mayor Quimby said \
                traffic would be diverted over the north bridge.";
    let arts = vec![
        article(
            "a",
            "Springfield closes river bridge",
            body,
            Some("2024-03-04"),
        ),
        article(
            "b",
            "River bridge closed in Springfield",
            body,
            Some("2024-03-05"),
        ),
        // The same words two years later: another closure.
        article(
            "c",
            "Springfield closes river bridge again",
            body,
            Some("2026-05-10"),
        ),
    ];
    let s = cluster(&arts, &[], StoryConfig::default());
    assert_eq!(event(&s, &arts[0]), event(&s, &arts[1]));
    assert_ne!(event(&s, &arts[0]), event(&s, &arts[2]));
    assert_eq!(
        s.event_of(&arts[0].id).unwrap().date.as_deref(),
        Some("2024-03-04")
    );

    // A thread holding an undated event (opened first) and a dated one lists the dated first.
    let undated = article("d", "Bridge cracks: what engineers found", body, None);
    let mut c = Clusterer::new(StoryConfig::default());
    c.restore(&undated, "e-undated", "t");
    c.restore(&arts[2], "e-dated", "t");
    let s = c.stories();
    assert_eq!(s.threads.len(), 1);
    assert_eq!(s.threads[0].events, ["e-dated", "e-undated"]);
    assert_eq!(s.event("e-undated").unwrap().date, None);
    assert_eq!(
        s.event("e-dated").unwrap().date.as_deref(),
        Some("2026-05-10")
    );
}

#[test]
fn clusterer_is_send() {
    fn send<T: Send>() {}
    send::<Clusterer>();
    send::<Stories>();
}

#[test]
fn settle_repairs_split_events_but_keeps_far_dates_and_other_stories_apart() {
    let bridge = "The city council of Springfield voted to close the old river bridge for \
                  repairs after engineers found cracks in two steel beams. Mayor Quimby said \
                  traffic would be diverted over the north bridge.";
    let bridge2 = "Engineers found cracks in two steel beams of the old river bridge, and the \
                   Springfield city council voted to close it for repairs. Traffic goes over \
                   the north bridge, Mayor Quimby said.";
    let zoo = "The Shelbyville zoo welcomed two panda cubs on Monday, the first born there in \
               forty years. Keepers said mother and cubs were doing well.";
    let arts = [
        article(
            "a",
            "Springfield closes river bridge",
            bridge,
            Some("2024-03-04"),
        ),
        article(
            "b",
            "Cracked beams shut Springfield bridge",
            bridge2,
            Some("2024-03-05"),
        ),
        article(
            "c",
            "Panda cubs born at Shelbyville zoo",
            zoo,
            Some("2024-03-05"),
        ),
        article(
            "d",
            "Springfield shuts river bridge",
            bridge2,
            Some("2026-05-10"),
        ),
    ];
    // Assignment that never joins: every article opens its own event, as a split would.
    let cfg = StoryConfig {
        event_threshold: 2.0,
        ..StoryConfig::default()
    };
    let mut c = Clusterer::new(cfg);
    for a in &arts {
        c.add(a);
    }
    assert_eq!(c.stories().events.len(), 4);
    c.settle();
    let s = c.stories();
    assert_eq!(
        event(&s, &arts[0]),
        event(&s, &arts[1]),
        "one closure, repaired"
    );
    assert_ne!(event(&s, &arts[0]), event(&s, &arts[2]), "another story");
    assert_ne!(event(&s, &arts[0]), event(&s, &arts[3]), "two years later");
    assert_eq!(s.events.len(), 3);
}

#[test]
fn first_reports_of_a_run_are_weighed_again_when_the_batch_ends() {
    // Three differently worded reports of one event open the run (earliest dates), so they
    // are weighed while the run has seen almost nothing: every shared name is "in most
    // documents". Reports of other happenings follow.
    let reports = [
        (
            "Governor Alvarez admits he misstated his military record",
            "Governor Elena Alvarez of Nevada acknowledged on Monday that she had misstated \
             her military record at a veterans rally in Reno, saying she had served in the \
             Gulf when she had in fact served at a base in Texas. Alvarez said the remark was \
             an error.\n\nThe campaign of her challenger, the former banker Douglas Whitford, \
             circulated a video of the speech to reporters. Polls published last month put \
             the race within three points, and turnout among retired soldiers has decided \
             close contests in the state before.",
        ),
        (
            "Alvarez: I misspoke about serving in the Gulf",
            "Nevada Governor Elena Alvarez said she misspoke when she told veterans in Reno \
             that she had served in the Gulf war. Her office said Alvarez served at a Texas \
             base and regretted the error about her military service.\n\nDemocratic \
             leaders in Carson City rallied behind her, and the state party chairman \
             described the episode as a distraction from the budget fight over school \
             funding that dominates the legislative session.",
        ),
        (
            "Nevada governor under fire over military service claim",
            "Republicans in Nevada demanded an apology from Governor Alvarez after records \
             showed she never served in the Gulf, despite telling a veterans rally in Reno \
             that she had. Alvarez called the claim about her service an honest error.\n\n\
             Veterans groups were divided: the local chapter of the American Legion accepted \
             the explanation, while a retired colonel who attended the gathering told a radio \
             host that the account had been repeated at several fundraisers.",
        ),
    ];
    let others = [
        (
            "Storm floods coastal towns in Oregon",
            "Heavy rain flooded three coastal towns in Oregon on Tuesday, closing highways \
             and schools as rivers rose above their banks.",
        ),
        (
            "Central bank holds interest rates",
            "The central bank kept its benchmark interest rate unchanged on Wednesday, citing \
             slowing inflation and a cooling labour market.",
        ),
        (
            "Striker scores twice as United win derby",
            "A late double from the striker gave United a 2-1 win in the derby on Saturday, \
             lifting the club to third in the league table.",
        ),
        (
            "Wildfire forces evacuations near Athens",
            "Firefighters battled a wildfire north of Athens on Thursday as strong winds \
             pushed the flames toward villages and hundreds of residents were evacuated.",
        ),
        (
            "Carmaker recalls 200,000 vehicles over brake fault",
            "The carmaker recalled 200,000 vehicles worldwide on Friday after finding a fault \
             in the brake software that could delay braking in cold weather.",
        ),
    ];
    let mut arts: Vec<Article> = reports
        .iter()
        .enumerate()
        .map(|(i, (t, b))| article(&format!("r{i}"), t, b, Some("2024-05-06")))
        .collect();
    // The same kinds of news, a month apart: other events, but a run large enough for its
    // document frequencies to tell names from common words by the time the batch ends.
    for month in 6..12 {
        arts.extend(others.iter().enumerate().map(|(i, (t, b))| {
            let day = format!("2024-{month:02}-{:02}", 3 + i);
            article(&format!("o{month}-{i}"), t, b, Some(&day))
        }));
    }
    let s = cluster(&arts, &[], StoryConfig::default());
    assert_eq!(event(&s, &arts[0]), event(&s, &arts[1]));
    assert_eq!(event(&s, &arts[0]), event(&s, &arts[2]));
    let members = &s.event_of(&arts[0].id).unwrap().articles;
    assert_eq!(members.len(), 3, "only the three reports");
}

/// Each event's label by the articles it holds, and each thread's by the articles of each
/// of its events.
fn labels_by_members(s: &Stories) -> Vec<(Vec<Vec<String>>, String)> {
    let members = |e: &model::Event| {
        let mut arts = e.articles.clone();
        arts.sort();
        arts
    };
    let mut out = Vec::new();
    for e in &s.events {
        out.push((vec![members(e)], format!("event: {}", e.label)));
    }
    for t in &s.threads {
        let mut evs: Vec<Vec<String>> = (s.events.iter())
            .filter(|e| t.events.contains(&e.id))
            .map(members)
            .collect();
        evs.sort();
        out.push((evs, format!("thread: {}", t.label)));
    }
    out.sort();
    out
}

#[test]
fn labels_are_headlines_whatever_the_order_the_articles_arrive_in() {
    let (arts, ents) = demo();
    let added = |order: Vec<&Article>| {
        let mut c = Clusterer::new(StoryConfig::default());
        c.set_entities(&ents);
        for a in order {
            c.add(a);
            // Each article its own run: merges happen as they would over a store.
            c.settle();
        }
        c.stories()
    };
    let forward = added(arts.iter().collect());
    let backward = added(arts.iter().rev().collect());
    let (f, b) = (labels_by_members(&forward), labels_by_members(&backward));
    // Where both orders grouped the same articles into the same events, the labels are the
    // same (the grouping itself may differ: see demo_same_place_same_day_events_stay_apart).
    let mut compared = 0;
    for (members, label) in &f {
        if let Some((_, other)) = b.iter().find(|(m, l)| m == members && l[..6] == label[..6]) {
            assert_eq!(label, other);
            compared += 1;
        }
    }
    assert!(compared >= f.len() / 2, "{f:#?}\n{b:#?}");
    // Every label is the headline of one of the articles it names.
    for s in [&forward, &backward] {
        for e in &s.events {
            let titles: Vec<&str> = (arts.iter())
                .filter(|a| e.articles.contains(&a.id))
                .filter_map(|a| a.title.as_deref())
                .collect();
            if !titles.is_empty() {
                assert!(
                    titles.contains(&e.label.as_str()),
                    "{}: {titles:?}",
                    e.label
                );
            }
        }
    }
}
