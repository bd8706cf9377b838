//! Incremental linking: a batch linked against the records earlier runs stored, compared with
//! the batch linker and with one batch run over everything.

use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::entities::{ArticleView, EntityRecord, RawMention, name_key};

/// Model layers of each article (no linking).
fn layers(articles: &[Article]) -> Vec<Layers> {
    let ann = Annotator::global();
    articles.iter().map(|a| ann.annotate(a)).collect()
}

fn views<'a>(articles: &'a [Article], layers: &'a [Layers]) -> Vec<ArticleView<'a>> {
    (articles.iter().zip(layers))
        .map(|(a, l)| ArticleView {
            text: &a.text,
            layers: l,
        })
        .collect()
}

/// An article of body paragraphs.
fn article(doc: &str, index: usize, paragraphs: &[&str]) -> Article {
    let mut c = model::CleanArticle {
        published: Some("2025-03-01".into()),
        ..Default::default()
    };
    c.set_paragraphs(paragraphs.iter().map(|p| (*p, false)));
    Article::new(&model::content_id(doc.as_bytes()), index, c)
}

/// An article of one paragraph whose mentions are the given names with the given kinds, in
/// order of appearance: the recogniser bypassed, so that linking rules are tested on exact
/// input.
fn tagged(doc: &str, text: &str, tags: &[(&str, EntityKind)]) -> (Article, Layers) {
    let a = article(doc, 0, &[text]);
    let mut l = crate::structure(&a);
    let mut from = 0;
    for &(name, kind) in tags {
        let start = from + a.text[from..].find(name).expect("tag in text");
        let end = start + name.len();
        from = end;
        let inside = |k: &usize| l.tokens[*k].start >= start && l.tokens[*k].end <= end;
        let first = (0..l.tokens.len()).find(inside).expect("tag on tokens");
        let last = (0..l.tokens.len()).rfind(inside).expect("tag on tokens");
        let sentence = (l.sentences.iter())
            .position(|s| s.tokens.contains(&first))
            .expect("token in a sentence");
        l.raw_mentions.push(RawMention {
            start,
            end,
            kind,
            tokens: first..last + 1,
            sentence,
            sentence_initial: first == l.sentences[sentence].tokens.start,
            in_heading: false,
            roles: Vec::new(),
        });
    }
    (a, l)
}

/// A store of entity records, indexed by their lookup keys as the pipeline's store does, and
/// kept as JSON.
#[derive(Default)]
struct MemStore {
    json: BTreeMap<String, String>,
    by_key: HashMap<String, Vec<String>>,
}

impl MemStore {
    fn fetch(&self, keys: &[String]) -> Vec<EntityRecord> {
        let mut ids: Vec<&String> = (keys.iter())
            .flat_map(|k| self.by_key.get(k))
            .flatten()
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(|id| self.record(id)).collect()
    }

    fn record(&self, id: &str) -> EntityRecord {
        serde_json::from_str(&self.json[id]).expect("stored record reads back")
    }

    fn all(&self) -> Vec<EntityRecord> {
        self.json.keys().map(|id| self.record(id)).collect()
    }

    fn put(&mut self, records: &[EntityRecord]) {
        for r in records {
            for k in r.keys() {
                let ids = self.by_key.entry(k).or_default();
                if !ids.contains(&r.entity.id) {
                    ids.push(r.entity.id.clone());
                }
            }
            let json = serde_json::to_string(r).expect("records serialise");
            self.json.insert(r.entity.id.clone(), json);
        }
    }
}

/// One incremental run over articles with their model layers: fetch the records under the
/// batch's keys, link, store what the batch touched.
fn run_layers(
    store: &mut MemStore,
    articles: &mut [Article],
    layers: Vec<Layers>,
) -> Vec<EntityRecord> {
    let pending = Pending {
        computed: vec![None; layers.len()],
        layers,
    };
    let known = store.fetch(&pending.lookup_keys(articles));
    let touched = pending.link(articles, known);
    store.put(&touched);
    touched
}

fn run(store: &mut MemStore, articles: &mut [Article]) -> Vec<EntityRecord> {
    let l = layers(articles);
    run_layers(store, articles, l)
}

fn run_tagged(store: &mut MemStore, docs: Vec<(Article, Layers)>) -> Vec<Article> {
    let (mut articles, layers): (Vec<Article>, Vec<Layers>) = docs.into_iter().unzip();
    run_layers(store, &mut articles, layers);
    articles
}

/// One batch run over everything, as `annotate_all` links it.
fn batch_tagged(docs: Vec<(Article, Layers)>) -> Vec<Article> {
    run_tagged(&mut MemStore::default(), docs)
}

/// The entity id of the `n`th mention written `surface` in `a`.
fn id_of(a: &Article, surface: &str, n: usize) -> String {
    (a.mentions.iter())
        .filter(|m| &a.text[m.start..m.end] == surface)
        .nth(n)
        .unwrap_or_else(|| panic!("no mention {n} of {surface}"))
        .entity
        .clone()
}

fn spans(a: &Article) -> Vec<(usize, usize, &str)> {
    (a.mentions.iter())
        .map(|m| (m.start, m.end, m.entity.as_str()))
        .collect()
}

/// A person named in full and by surname, an alias stated with a name, an acronym in brackets;
/// the last two articles use them without stating them again.
fn fixture() -> Vec<Article> {
    let texts: &[&[&str]] = &[
        &[
            "Russian President Vladimir Putin met Syrian President Ahmed al-Sharaa, also known as Abu Mohammed al-Jolani, in Moscow on Wednesday.",
            "Putin said the talks with al-Sharaa were constructive. The Syrian Democratic Forces (SDF) were not invited.",
        ],
        &[
            "Kremlin spokesperson Dmitry Peskov said Vladimir Putin would not travel to Damascus this year.",
        ],
        &[
            "On Friday, Putin told reporters in Moscow that Russia would keep its bases in Syria.",
            "SDF commanders said they would attend the next round.",
        ],
        &[
            "Abu Mohammed al-Jolani led the offensive that reached Damascus in December, V. Putin said.",
            "Rebels loyal to Ahmed al-Sharaa, also known as Abu Mohammad al-Golani, entered Aleppo.",
        ],
    ];
    (texts.iter().enumerate())
        .map(|(i, p)| article("fixture", i, p))
        .collect()
}

#[test]
fn no_known_records_link_as_the_batch_linker() {
    for arts in [super::pipeline_demo(), fixture()] {
        let l = layers(&arts);
        let v = views(&arts, &l);
        let (want_entities, want_mentions) = crate::entities::oracle::link(&v);
        let (records, mentions) = crate::entities::link(&v, Vec::new());
        let entities: Vec<Entity> = records.into_iter().map(|r| r.entity).collect();
        assert_eq!(entities, want_entities);
        assert_eq!(mentions, want_mentions);
    }
}

#[test]
fn two_runs_link_stored_people_aliases_and_acronyms() {
    let mut batch = fixture();
    let batch_entities = annotate_all(&mut batch);
    let mut arts = fixture();
    let mut store = MemStore::default();
    let (first, rest) = arts.split_at_mut(2);
    run(&mut store, first);
    let touched = run(&mut store, rest);
    // The surname alone, the alias, the acronym and the initial of the later run are the
    // entities the first run stored.
    let putin = id_of(&first[0], "Vladimir Putin", 0);
    assert_eq!(id_of(&rest[0], "Putin", 0), putin);
    assert_eq!(id_of(&rest[1], "V. Putin", 0), putin);
    let sharaa = id_of(&first[0], "Ahmed al-Sharaa", 0);
    assert_eq!(id_of(&rest[1], "Abu Mohammed al-Jolani", 0), sharaa);
    // A name the later run states as another name of a stored one joins the stored entity.
    assert_eq!(id_of(&rest[1], "Abu Mohammad al-Golani", 0), sharaa);
    let sdf = id_of(&first[0], "Syrian Democratic Forces", 0);
    assert_eq!(id_of(&rest[0], "SDF", 0), sdf);
    // Every mention as one batch run links it, and the stored entities are the batch's.
    for (a, b) in arts.iter().zip(&batch) {
        assert_eq!(spans(a), spans(b));
    }
    let mut stored: Vec<Entity> = store.all().into_iter().map(|r| r.entity).collect();
    let mut want = batch_entities;
    for es in [&mut stored, &mut want] {
        es.sort_by(|a, b| a.id.cmp(&b.id));
    }
    assert_eq!(stored, want);
    // The later run returns what it touched, the stored Putin grown by its mentions.
    let p = touched
        .iter()
        .find(|r| r.entity.id == putin)
        .expect("Putin touched");
    assert!(p.entity.aliases.iter().any(|a| a == "V. Putin"));
    assert!(!touched.iter().any(|r| r.entity.name == "Dmitry Peskov"));
}

#[test]
fn two_runs_link_the_demo_as_one_batch() {
    let all = super::pipeline_demo();
    let all_layers = layers(&all);
    let mut batch = all.clone();
    run_layers(&mut MemStore::default(), &mut batch, all_layers.clone());
    for cut in 1..all.len() {
        let mut store = MemStore::default();
        let mut arts = all.clone();
        let (first, rest) = arts.split_at_mut(cut);
        run_layers(&mut store, first, all_layers[..cut].to_vec());
        run_layers(&mut store, rest, all_layers[cut..].to_vec());
        // The later run's mentions are linked as one batch run links them.
        for (a, b) in rest.iter().zip(&batch[cut..]) {
            assert_eq!(spans(a), spans(b), "cut {cut}, article {}", a.id);
        }
        // The first run's only differ where a lone name was resolved with the counts of its
        // own run (the batch resolves it with everyone's).
        for (a, b) in first.iter().zip(&batch[..cut]) {
            assert_eq!(a.mentions.len(), b.mentions.len());
            for (x, y) in a.mentions.iter().zip(&b.mentions) {
                let surface = &a.text[x.start..x.end];
                let lone = x.kind == EntityKind::Person && !name_key(surface).contains(' ');
                assert!(x.entity == y.entity || lone, "cut {cut}: {surface}");
            }
        }
        // The store counts every mention once, under the entity it holds.
        let stored = store.all();
        let total: usize = arts.iter().map(|a| a.mentions.len()).sum();
        assert_eq!(
            stored.iter().map(|r| r.entity.mentions).sum::<usize>(),
            total
        );
        let ids: HashMap<&str, &Entity> = (stored.iter())
            .map(|r| (r.entity.id.as_str(), &r.entity))
            .collect();
        for a in arts.iter() {
            for m in &a.mentions {
                let e = ids[m.entity.as_str()];
                let key = name_key(&a.text[m.start..m.end]);
                assert!(name_key(&e.name) == key || e.aliases.iter().any(|x| name_key(x) == key));
            }
        }
    }
}

#[test]
fn stored_identities_never_merge() {
    use EntityKind::Person;
    // "V. Putin" is the same person as both stored people: its group reaches both records.
    for vladimir_mentions in [2, 1] {
        let mut store = MemStore::default();
        let vladimir = "Vladimir Putin spoke in Moscow. Vladimir Putin left.";
        let vtags = vec![("Vladimir Putin", Person); vladimir_mentions];
        let first = run_tagged(
            &mut store,
            vec![
                tagged("a", vladimir, &vtags),
                tagged(
                    "b",
                    "Viktor Putin spoke in Kazan.",
                    &[("Viktor Putin", Person)],
                ),
            ],
        );
        let (a, b) = (
            id_of(&first[0], "Vladimir Putin", 0),
            id_of(&first[1], "Viktor Putin", 0),
        );
        assert_ne!(a, b);
        let text = "V. Putin met Vladimir Putin and Viktor Putin.";
        let tags = [
            ("V. Putin", Person),
            ("Vladimir Putin", Person),
            ("Viktor Putin", Person),
        ];
        let second = run_tagged(&mut store, vec![tagged("c", text, &tags)]);
        // Each stored name stays with its record; the other name goes to the most mentioned
        // record, then the smaller id.
        assert_eq!(id_of(&second[0], "Vladimir Putin", 0), a);
        assert_eq!(id_of(&second[0], "Viktor Putin", 0), b);
        let preferred = if vladimir_mentions > 1 {
            &a
        } else {
            (&a).min(&b)
        };
        assert_eq!(&id_of(&second[0], "V. Putin", 0), preferred);
        assert_eq!(store.record(&a).entity.name, "Vladimir Putin");
        assert_eq!(store.record(&b).entity.name, "Viktor Putin");
        let to_b = usize::from(preferred == &b);
        assert_eq!(
            store.record(&a).entity.mentions,
            vladimir_mentions + 2 - to_b
        );
        assert_eq!(store.record(&b).entity.mentions, 2 + to_b);
    }
}

#[test]
fn a_new_group_with_a_stored_id_joins_the_record() {
    use EntityKind::{Misc, Org};
    // The first run's group is MISC (its first mention) and named by its ORG name; when the
    // name's votes turn to MISC, the later run's mentions of it form a new group whose id
    // (kind and canonical name) is the stored one.
    let docs = || {
        vec![
            tagged(
                "a",
                "SDF fighters advanced. The Syrian Democratic Forces (SDF) said the town fell.",
                &[
                    ("SDF", Misc),
                    ("Syrian Democratic Forces", Org),
                    ("SDF", Misc),
                ],
            ),
            tagged(
                "b",
                "The Syrian Democratic Forces withdrew, and later the Syrian Democratic Forces returned.",
                &[
                    ("Syrian Democratic Forces", Misc),
                    ("Syrian Democratic Forces", Misc),
                ],
            ),
        ]
    };
    let mut store = MemStore::default();
    let mut d = docs();
    let later = d.split_off(1);
    let first = run_tagged(&mut store, d);
    let id = id_of(&first[0], "SDF", 0);
    let stored = store.record(&id);
    assert_eq!(
        (stored.entity.kind, stored.entity.name.as_str()),
        (Misc, "Syrian Democratic Forces")
    );
    let second = run_tagged(&mut store, later);
    assert_eq!(id_of(&second[0], "Syrian Democratic Forces", 1), id);
    let grown = store.record(&id);
    assert_eq!(grown.entity.mentions, 5);
    let name = (grown.names.iter())
        .find(|n| n.name == "Syrian Democratic Forces")
        .expect("name kept");
    assert_eq!((name.mentions, name.votes), (3, [0, 1, 0, 2]));
    // As one batch run has it.
    let batch = batch_tagged(docs());
    assert_eq!(id_of(&batch[1], "Syrian Democratic Forces", 0), id);
}

/// Two runs (the first `cut` documents, then the rest) and one batch run over tagged
/// documents: the later run's articles, as each links them.
fn two_runs_and_batch(
    docs: impl Fn() -> Vec<(Article, Layers)>,
    cut: usize,
) -> (Vec<Article>, Vec<Article>) {
    let mut store = MemStore::default();
    let mut d = docs();
    let later = d.split_off(cut);
    run_tagged(&mut store, d);
    let incremental = run_tagged(&mut store, later);
    let batch = batch_tagged(docs()).split_off(cut);
    (incremental, batch)
}

#[test]
fn a_name_stated_for_a_stored_one_joins_it() {
    use EntityKind::Org;
    let docs = || {
        vec![
            tagged(
                "a",
                "The Syrian Democratic Forces said the town fell.",
                &[("Syrian Democratic Forces", Org)],
            ),
            tagged(
                "b",
                "The Syrian Democratic Forces, also known as Qasad, withdrew.",
                &[("Syrian Democratic Forces", Org), ("Qasad", Org)],
            ),
        ]
    };
    let (incremental, batch) = two_runs_and_batch(docs, 1);
    let sdf = id_of(&incremental[0], "Syrian Democratic Forces", 0);
    assert_eq!(id_of(&incremental[0], "Qasad", 0), sdf);
    assert_eq!(spans(&incremental[0]), spans(&batch[0]));
}

#[test]
fn stored_aliases_stay_aliases() {
    use EntityKind::Person;
    // A stated alias is no full-name mention of its own: a lone "Jolani" does not resolve to
    // it, in a later run as in one batch run.
    let docs = || {
        vec![
            tagged(
                "a",
                "Ahmed al-Sharaa, also known as Abu Mohammed al-Jolani, spoke.",
                &[
                    ("Ahmed al-Sharaa", Person),
                    ("Abu Mohammed al-Jolani", Person),
                ],
            ),
            tagged(
                "b",
                "Abu Mohammed al-Jolani spoke, and officials said Jolani left.",
                &[("Abu Mohammed al-Jolani", Person), ("Jolani", Person)],
            ),
        ]
    };
    let (incremental, batch) = two_runs_and_batch(docs, 1);
    assert_eq!(spans(&incremental[0]), spans(&batch[0]));
    let (full, lone) = (
        id_of(&incremental[0], "Abu Mohammed al-Jolani", 0),
        id_of(&incremental[0], "Jolani", 0),
    );
    assert_ne!(full, lone);
}

#[test]
fn stored_votes_decide_the_kind() {
    use EntityKind::{Person, Place};
    let mut store = MemStore::default();
    let text = "Troops crossed into Jordan. Jordan closed the border. Aid reached Jordan.";
    let first = run_tagged(&mut store, vec![tagged("a", text, &[("Jordan", Place); 3])]);
    let jordan = id_of(&first[0], "Jordan", 0);
    // A later mention tagged PERSON is outvoted by the stored PLACE votes.
    let text = "Officials in Amman said Jordan would reopen it.";
    let second = run_tagged(&mut store, vec![tagged("b", text, &[("Jordan", Person)])]);
    assert_eq!(second[0].mentions[0].kind, Place);
    assert_eq!(id_of(&second[0], "Jordan", 0), jordan);
    assert_eq!(store.record(&jordan).names[0].votes, [1, 0, 3, 0]);
}

#[test]
fn a_lone_surname_counts_stored_full_names() {
    use EntityKind::Person;
    let john = |doc: &str, n: usize| {
        let text = "John Smith spoke. John Smith left. John Smith returned.";
        tagged(doc, text, &vec![("John Smith", Person); n])
    };
    let jane_and_smith = || {
        vec![
            tagged(
                "c",
                "Jane Smith spoke twice, and Jane Smith left.",
                &[("Jane Smith", Person), ("Jane Smith", Person)],
            ),
            tagged(
                "d",
                "Officials said Smith would resign.",
                &[("Smith", Person)],
            ),
        ]
    };
    // (John's full-name mentions stored, and in the later batch before Jane's two; who the
    // later batch's lone "Smith" is.)
    let cases = [
        // More full-name mentions stored than the batch has for Jane.
        (3, 0, "John"),
        // A tie goes to the most recent: the person this batch names. (One batch run gives
        // it to John, the first named: a documented difference.)
        (2, 0, "Jane"),
        // A tie between people both named in the batch goes to the first named, as one batch
        // run has it.
        (1, 1, "John"),
    ];
    for (stored, named, want) in cases {
        let mut store = MemStore::default();
        let first = run_tagged(&mut store, vec![john("a", stored)]);
        let john_id = id_of(&first[0], "John Smith", 0);
        let mut later = vec![john("b", named)];
        later.extend(jane_and_smith());
        let second = run_tagged(&mut store, later);
        let jane_id = id_of(&second[1], "Jane Smith", 0);
        let want_id = if want == "John" { &john_id } else { &jane_id };
        assert_eq!(&id_of(&second[2], "Smith", 0), want_id, "{stored} {named}");
        let mut docs = vec![john("a", stored), john("b", named)];
        docs.extend(jane_and_smith());
        let batch = batch_tagged(docs);
        assert_eq!(id_of(&batch[3], "Smith", 0), john_id, "{stored} {named}");
    }
}

#[test]
fn record_keys_find_what_a_batch_needs() {
    let mut store = MemStore::default();
    let mut arts = fixture();
    let (first, rest) = arts.split_at_mut(2);
    run(&mut store, first);
    let sharaa = store.record(&id_of(&first[0], "Ahmed al-Sharaa", 0));
    let keys = sharaa.keys();
    for k in [
        "n:ahmed al-sharaa",
        "n:abu mohammed al-jolani",
        "s:sharaa",
        "s:jolani",
    ] {
        assert!(keys.iter().any(|x| x == k), "{k} not in {keys:?}");
    }
    // The later batch's keys find the stored person of its lone surname, and no record it
    // does not name.
    let pending = annotate_pending(rest, vec![None; rest.len()]);
    let found = store.fetch(&pending.lookup_keys(rest));
    assert!(found.iter().any(|r| r.entity.name == "Vladimir Putin"));
    assert!(!found.iter().any(|r| r.entity.name == "Dmitry Peskov"));
}

#[test]
fn records_not_mentioned_are_not_returned() {
    let mut store = MemStore::default();
    let mut arts = fixture();
    let (first, rest) = arts.split_at_mut(2);
    run(&mut store, first);
    let before = store.all();
    // Given every stored record, the batch returns only those it mentions.
    let pending = annotate_pending(rest, vec![None; rest.len()]);
    let touched = pending.link(rest, before.clone());
    let mentioned: std::collections::HashSet<&str> = (rest.iter())
        .flat_map(|a| a.mentions.iter().map(|m| m.entity.as_str()))
        .collect();
    assert!(
        touched
            .iter()
            .all(|r| mentioned.contains(r.entity.id.as_str()))
    );
    assert_eq!(touched.len(), mentioned.len());
    assert!(before.len() > touched.len());
}
