use super::*;

fn demo() -> (Vec<Article>, Vec<Entity>) {
    let mut a = pipeline_demo();
    let e = annotate_all(&mut a);
    (a, e)
}

/// The demo articles, cleaned (the lang crate must not depend on the pipeline, so clean here).
fn pipeline_demo() -> Vec<Article> {
    let mut out = Vec::new();
    for (name, bytes) in ingest_demo() {
        let id = model::content_id(bytes);
        let page = std::str::from_utf8(bytes).unwrap();
        for (i, c) in clean::clean_page(page).into_iter().enumerate() {
            let _ = name;
            out.push(Article::new(&id, i, c));
        }
    }
    out
}

fn ingest_demo() -> Vec<(&'static str, &'static [u8])> {
    ingest::demo_files().to_vec()
}

fn entity<'a>(es: &'a [Entity], name: &str) -> &'a Entity {
    es.iter().find(|e| e.name == name).unwrap_or_else(|| {
        panic!(
            "no entity {name}: {:?}",
            es.iter().map(|e| &e.name).collect::<Vec<_>>()
        )
    })
}

#[test]
fn one_entity_per_referent_with_aliases() {
    let (_, es) = demo();
    let sharaa = entity(&es, "Ahmed al-Sharaa");
    assert_eq!(sharaa.kind, EntityKind::Person);
    for alias in ["Ahmad al-Sharaa", "Sharaa", "Abu Mohammed al-Jolani"] {
        assert!(
            sharaa.aliases.iter().any(|a| a == alias),
            "{alias} not an alias of al-Sharaa: {:?}",
            sharaa.aliases
        );
    }
    assert!(
        sharaa
            .aliases
            .iter()
            .any(|a| a.eq_ignore_ascii_case("al-Sharaa"))
    );
    // "Maher al-Sharaa" is another person: never folded into Ahmed's aliases.
    assert!(!sharaa.aliases.iter().any(|a| a.starts_with("Maher")));
    if let Some(maher) = es.iter().find(|e| e.name == "Maher al-Sharaa") {
        assert_ne!(maher.id, sharaa.id);
    }
    let putin = entity(&es, "Vladimir Putin");
    assert!(putin.aliases.iter().any(|a| a == "Putin"));
    assert!(!es.iter().any(|e| e.name == "Putin"));
    let peskov = entity(&es, "Dmitry Peskov");
    assert!(
        peskov
            .roles
            .iter()
            .any(|r| r == "Kremlin spokesperson" || r == "Kremlin spokesman"),
        "{:?}",
        peskov.roles
    );
}

#[test]
fn no_headline_fragments_or_sentence_initial_words() {
    let (_, es) = demo();
    for bad in [
        "Sudan Kills",
        "Fighters Holed",
        "Fighters",
        "Moving Forward",
    ] {
        assert!(
            !es.iter()
                .any(|e| e.name == bad || e.aliases.iter().any(|a| a == bad)),
            "{bad}"
        );
    }
}

#[test]
fn mentions_point_at_their_text() {
    let (arts, es) = demo();
    let ids: std::collections::HashMap<&str, &Entity> =
        es.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut total = 0;
    for a in &arts {
        for m in &a.mentions {
            let surface = &a.text[m.start..m.end];
            let e = ids[m.entity.as_str()];
            assert!(
                e.name == surface
                    || e.aliases.iter().any(|x| x == surface)
                    || entities::name_key(&e.name) == entities::name_key(surface)
                    || e.aliases
                        .iter()
                        .any(|x| entities::name_key(x) == entities::name_key(surface)),
                "{surface} -> {}",
                e.name
            );
            total += 1;
        }
        for s in &a.sentences {
            assert!(s.start < s.end && s.end <= a.text.len());
        }
    }
    assert_eq!(total, es.iter().map(|e| e.mentions).sum::<usize>());
}

#[test]
fn timexes_anchor_on_the_article_itself() {
    let (arts, _) = demo();
    let last = arts.last().unwrap();
    assert_eq!(last.published.as_deref(), Some("2026-01-28"));
    let t = last
        .timexes
        .iter()
        .find(|t| &last.text[t.start..t.end] == "8 December 2025")
        .expect("absolute date found");
    assert_eq!(t.value.as_deref(), Some("2025-12-08"));
    assert_eq!(t.anchor_from, None);
    // Articles without a published date keep relative values unresolved.
    let lebanon = &arts[1];
    assert_eq!(lebanon.published, None);
    let sat = lebanon
        .timexes
        .iter()
        .find(|t| lebanon.text[t.start..t.end].contains("Saturday"))
        .expect("Saturday found");
    assert_eq!(sat.value, None);
}

#[test]
fn quantities_in_the_demo() {
    let (arts, _) = demo();
    let isis = &arts[2];
    let q = isis
        .quantities
        .iter()
        .find(|q| q.value == 2225.0)
        .expect("2,225");
    assert_eq!(q.counts.as_deref(), Some("ISIS group detainees"));
    let goldin = &arts[7];
    assert!(goldin.quantities.iter().any(|q| q.value == 69176.0));
    let rafah = &arts[6];
    let near = rafah
        .quantities
        .iter()
        .find(|q| q.value == 69000.0)
        .expect("nearly 69,000");
    assert_eq!(near.qualifier, model::Qualifier::AtMost);
}

mod incremental;

/// The demo's Gaza report names the soldier Hadar Goldin, then "his mother Leah Goldin": a
/// lone "Goldin" is the soldier, never the relative introduced later; "Tom Barrack" and
/// "Thomas Barrack" are one envoy.
#[test]
fn lone_surnames_skip_relatives_and_given_name_forms_join() {
    let (arts, es) = demo();
    let hadar = entity(&es, "Hadar Goldin");
    let leah = entity(&es, "Leah Goldin");
    let killed = (arts.iter())
        .find_map(|a| {
            let at = a.text.find("Goldin was killed")?;
            a.mentions.iter().find(|m| m.start == at)
        })
        .expect("the lone surname is a mention");
    assert_eq!(killed.entity, hadar.id);
    // Every lone "Goldin" is the soldier's.
    for a in &arts {
        for m in a
            .mentions
            .iter()
            .filter(|m| &a.text[m.start..m.end] == "Goldin")
        {
            assert_ne!(
                m.entity,
                leah.id,
                "{}",
                &a.text[m.start.saturating_sub(60)..m.end]
            );
        }
    }
    let barrack = entity(&es, "Tom Barrack");
    assert!(
        barrack.aliases.iter().any(|a| a == "Thomas Barrack"),
        "{barrack:?}"
    );
}

#[test]
fn courtesy_titles_are_not_part_of_a_name() {
    let mut arts = vec![Article::new(&model::content_id(b"honorifics"), 0, {
        let mut c = model::CleanArticle::default();
        c.set_paragraphs([(
                "Michael J. Morell, the deputy director, edited the talking points. Mr. Morell later removed the reference, officials said.",
                false,
            )]);
        c
    })];
    let es = annotate_all(&mut arts);
    let morell = entity(&es, "Michael J. Morell");
    assert!(!es.iter().any(|e| e.name.starts_with("Mr.")), "{es:?}");
    assert_eq!(morell.mentions, 2);
}
