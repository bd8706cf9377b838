//! The clusterer over a store: a bounded state saved through serde between runs, event and
//! thread records, members; the model's events rebuilt from them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use crosscheck_stories::{
    Changes, Clusterer, EventRecord, Known, Member, State, StateError, Stories, StoryConfig,
    ThreadRecord, batch_order, cluster, event_of, inferred_anchor, order, sort_batch, thread_of,
};
use model::{Article, Entity, Event, Thread};

mod common;
use common::{article, demo};

/// What the pipeline keeps in a store, kept as it would: the state as JSON, records replaced
/// when a run changes them, members added, renames applied.
#[derive(Default)]
struct Store {
    state: Option<String>,
    events: BTreeMap<String, EventRecord>,
    threads: BTreeMap<String, ThreadRecord>,
    members: BTreeMap<String, Member>,
}

impl Store {
    /// One run: resume from the stored state, learn the events of stored origins of the
    /// batch's copies, add the batch in batch order, settle, store the changes.
    fn run(&mut self, batch: &[&Article], entities: &[Entity], cfg: &StoryConfig) -> Changes {
        let state: Option<State> = self
            .state
            .as_deref()
            .map(|s| serde_json::from_str(s).expect("the stored state reads back"));
        let mut c = Clusterer::resume(cfg.clone(), state);
        c.set_entities(entities);
        c.know_origins(self.known(batch)).expect("known origins");
        let mut order = batch.to_vec();
        sort_batch(&mut order);
        for a in order {
            c.add(a);
        }
        c.settle();
        let ch = c.changes();
        self.apply(ch.clone());
        ch
    }

    /// The stored events of the batch's origins, looked up by origin over every stored
    /// member (the origin itself, or a copy of it stored first).
    fn known(&self, batch: &[&Article]) -> Vec<Known> {
        let origins: BTreeSet<&str> = batch.iter().map(|a| a.origin.as_str()).collect();
        let by_origin: BTreeMap<&str, &Member> = self
            .members
            .values()
            .map(|m| (m.origin.as_str(), m))
            .collect();
        origins
            .into_iter()
            .filter_map(|o| {
                let event = self.events[&by_origin.get(o)?.event].clone();
                let thread = self.threads[&event.thread].clone();
                Some(Known {
                    origin: o.to_string(),
                    event,
                    thread,
                })
            })
            .collect()
    }

    fn apply(&mut self, ch: Changes) {
        for (gone, kept) in &ch.merged_events {
            self.events
                .remove(gone)
                .expect("a stored event merged away");
            for m in self.members.values_mut().filter(|m| &m.event == gone) {
                m.event = kept.clone();
            }
        }
        for (gone, kept) in &ch.merged_threads {
            self.threads
                .remove(gone)
                .expect("a stored thread merged away");
            for e in self.events.values_mut().filter(|e| &e.thread == gone) {
                e.thread = kept.clone();
            }
            for m in self.members.values_mut().filter(|m| &m.thread == gone) {
                m.thread = kept.clone();
            }
        }
        for e in ch.events {
            self.events.insert(e.id.clone(), e);
        }
        for t in ch.threads {
            self.threads.insert(t.id.clone(), t);
        }
        for m in ch.members {
            assert!(self.members.insert(m.id.clone(), m).is_none(), "added once");
        }
        self.state = Some(serde_json::to_string(&ch.state).expect("state serialises"));
        self.check();
    }

    /// Records, members and renames agree.
    fn check(&self) {
        let mut count: BTreeMap<&str, u32> = BTreeMap::new();
        for m in self.members.values() {
            let e = &self.events[&m.event];
            assert_eq!(m.thread, e.thread, "member {} follows its event", m.id);
            *count.entry(&m.event).or_default() += 1;
        }
        for e in self.events.values() {
            assert!(self.threads.contains_key(&e.thread), "thread of {}", e.id);
            assert_eq!(
                count.get(e.id.as_str()),
                Some(&e.members),
                "members of {}",
                e.id
            );
        }
    }

    /// The model's events and threads from the records and members, in output order.
    fn stories(&self) -> (Vec<Event>, Vec<Thread>) {
        let mut by_event: BTreeMap<&str, Vec<Member>> = BTreeMap::new();
        for m in self.members.values() {
            by_event.entry(&m.event).or_default().push(m.clone());
        }
        let mut events: Vec<Event> = self
            .events
            .values()
            .map(|r| event_of(r, &by_event[r.id.as_str()]))
            .collect();
        let mut threads: Vec<Thread> = self
            .threads
            .values()
            .map(|t| {
                let evs: Vec<Event> = events
                    .iter()
                    .filter(|e| e.thread == t.id)
                    .cloned()
                    .collect();
                thread_of(t, &evs)
            })
            .collect();
        order(&mut events, &mut threads);
        (events, threads)
    }
}

/// Two batches through one clusterer kept in memory (settled after each).
fn in_memory(
    first: &[&Article],
    second: &[&Article],
    ents: &[Entity],
    cfg: &StoryConfig,
) -> Stories {
    let mut c = Clusterer::new(cfg.clone());
    c.set_entities(ents);
    for part in [first, second] {
        let mut order = part.to_vec();
        sort_batch(&mut order);
        for a in order {
            c.add(a);
        }
        c.settle();
    }
    c.stories()
}

/// Two runs as the pipeline ran them before states were saved: the first run's assignments
/// restored article by article, then the new articles added.
fn restored(
    first: &[&Article],
    second: &[&Article],
    ents: &[Entity],
    cfg: &StoryConfig,
) -> Stories {
    let owned: Vec<Article> = first.iter().map(|a| (*a).clone()).collect();
    let s1 = cluster(&owned, ents, cfg.clone());
    let mut c = Clusterer::new(cfg.clone());
    c.set_entities(ents);
    let mut kept = first.to_vec();
    sort_batch(&mut kept);
    for a in kept {
        let e = s1.event_of(&a.id).expect("assigned");
        c.restore(a, &e.id, &e.thread);
    }
    let mut fresh = second.to_vec();
    sort_batch(&mut fresh);
    for a in fresh {
        c.add(a);
    }
    c.settle();
    c.stories()
}

/// Events as sets of article ids.
fn partition(events: &[Event]) -> BTreeSet<BTreeSet<String>> {
    events
        .iter()
        .map(|e| e.articles.iter().cloned().collect())
        .collect()
}

/// The batch through the store (one run) gives what `cluster` gives.
fn assert_batch_equal(arts: &[Article], ents: &[Entity], cfg: &StoryConfig) {
    let batch = cluster(arts, ents, cfg.clone());
    let mut store = Store::default();
    let refs: Vec<&Article> = arts.iter().collect();
    store.run(&refs, ents, cfg);
    let (events, threads) = store.stories();
    assert_eq!(events, batch.events);
    assert_eq!(threads, batch.threads);
    for a in arts {
        let e = events.iter().find(|e| e.articles.contains(&a.id)).unwrap();
        assert_eq!(inferred_anchor(a, e), batch.inferred_anchor(a), "{}", a.id);
    }
}

/// Two runs through the store, and the same two runs the other ways.
struct TwoRuns {
    /// The second run's changes.
    changes: Changes,
    /// Events (as article sets) through the store, ...
    store: BTreeSet<BTreeSet<String>>,
    /// ... restoring the first run's assignments article by article (the pipeline before
    /// states were saved), ...
    restored: BTreeSet<BTreeSet<String>>,
    /// ... and both parts in one batch.
    batch: BTreeSet<BTreeSet<String>>,
}

/// Two runs through the store continue exactly as one clusterer kept in memory (same events,
/// ids, labels, dates, evidence, threads); the other ways are returned for comparison.
fn two_runs(
    first: &[&Article],
    second: &[&Article],
    ents: &[Entity],
    cfg: &StoryConfig,
) -> TwoRuns {
    let mut store = Store::default();
    store.run(first, ents, cfg);
    let changes = store.run(second, ents, cfg);
    let (events, threads) = store.stories();
    let mem = in_memory(first, second, ents, cfg);
    assert_eq!(events, mem.events);
    assert_eq!(threads, mem.threads);
    let all: Vec<Article> = first.iter().chain(second).map(|a| (*a).clone()).collect();
    TwoRuns {
        changes,
        store: partition(&events),
        restored: partition(&restored(first, second, ents, cfg).events),
        batch: partition(&cluster(&all, ents, cfg.clone()).events),
    }
}

/// [`two_runs`], and restoring assignments gives the same events.
fn assert_two_runs(
    first: &[&Article],
    second: &[&Article],
    ents: &[Entity],
    cfg: &StoryConfig,
) -> Changes {
    let r = two_runs(first, second, ents, cfg);
    assert_eq!(r.store, r.restored);
    r.changes
}

fn fixtures() -> Vec<Article> {
    let bridge = "The city council of Springfield voted to close the old river bridge for \
                  repairs after engineers found cracks in two steel beams. Mayor Quimby said \
                  traffic would be diverted over the north bridge.";
    let bridge2 = "Engineers found cracks in two steel beams of the old river bridge, and the \
                   Springfield city council voted to close it for repairs. Traffic goes over \
                   the north bridge, Mayor Quimby said.";
    let zoo = "The Shelbyville zoo welcomed two panda cubs on Monday, the first born there in \
               forty years. Keepers said mother and cubs were doing well.";
    vec![
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
        article("e", "Bridge cracks: what engineers found", bridge, None),
        article("f", "Zoo keepers show the cubs", zoo, Some("2024-03-09")),
    ]
}

/// Every article opens its own event and thread: events come together only when batches
/// end, so runs merge stored events and threads away.
fn splitting() -> StoryConfig {
    StoryConfig {
        event_threshold: 2.0,
        thread_threshold: 2.0,
        ..StoryConfig::default()
    }
}

#[test]
fn one_run_through_the_store_equals_the_batch() {
    let (arts, ents) = demo();
    assert_batch_equal(&arts, &ents, &StoryConfig::default());
    assert_batch_equal(&fixtures(), &[], &StoryConfig::default());
    assert_batch_equal(&fixtures(), &[], &splitting());
    assert_batch_equal(&long_run(), &[], &StoryConfig::default());
}

#[test]
fn two_runs_through_the_store_on_the_demo() {
    let (arts, ents) = demo();
    let cfg = StoryConfig::default();
    // By page: the first three pages, then the other two; then the last three pages first.
    let mut pages: Vec<&str> = Vec::new();
    for a in &arts {
        if !pages.contains(&a.document.as_str()) {
            pages.push(&a.document);
        }
    }
    assert_eq!(pages.len(), 5);
    for first_pages in [&pages[..3], &pages[2..]] {
        let (first, second): (Vec<&Article>, Vec<&Article>) = arts
            .iter()
            .partition(|a| first_pages.contains(&a.document.as_str()));
        assert_two_runs(&first, &second, &ents, &cfg);
    }
    // Copies after their origins: the second run knows their events through the store.
    let (first, second): (Vec<&Article>, Vec<&Article>) =
        arts.iter().partition(|a| a.origin == a.id);
    assert!(!second.is_empty(), "the demo holds a copy");
    let ch = assert_two_runs(&first, &second, &ents, &cfg);
    assert!(
        ch.events.iter().all(|e| e.members > 1),
        "copies join stored events"
    );
    // And the other way round: an origin joins the event of its copy stored before it.
    let ch = assert_two_runs(&second, &first, &ents, &cfg);
    for c in &second {
        let origin = ch.members.iter().find(|m| m.id == c.origin).unwrap();
        let stored = ch.events.iter().find(|e| e.id == origin.event).unwrap();
        assert!(stored.members > 1, "{} joined its copy's event", c.origin);
    }
    // Half by date order, then the rest.
    let order = batch_order(&arts);
    assert_two_runs(&order[..6], &order[6..], &ents, &cfg);
}

#[test]
fn two_runs_through_the_store_on_fixtures() {
    let arts = fixtures();
    let refs: Vec<&Article> = arts.iter().collect();
    for cut in 1..refs.len() {
        assert_two_runs(&refs[..cut], &refs[cut..], &[], &StoryConfig::default());
    }
    // Restoring assignments weighs a stored article with the document frequencies of its
    // place in the restore and never weighs the first 1,000 origins again (the run that
    // stored them did, when it settled): in a store of a few articles its centroids differ
    // from the ones the first run ended with. Where that changes the events, the saved state
    // gives what one batch gives.
    let mut differ = 0;
    for cut in 1..refs.len() {
        let r = two_runs(&refs[..cut], &refs[cut..], &[], &splitting());
        if r.store != r.restored {
            assert_eq!(r.store, r.batch, "cut {cut}");
            differ += 1;
        }
    }
    assert!(differ <= 1, "{differ} cuts differ from restoring");
    // A bridging report merges two stored events (and their threads) away.
    let (a, b, x) = bridging();
    let ch = assert_two_runs(&[&a, &b], &[&x], &[], &splitting());
    assert_eq!(ch.merged_events.len(), 1, "{:?}", ch.merged_events);
    assert_eq!(ch.merged_threads.len(), 1, "{:?}", ch.merged_threads);
}

/// Two reports of one closure worded apart (below the settle threshold together), and a third
/// that shares most words with each.
fn bridging() -> (Article, Article, Article) {
    let a = article(
        "m1",
        "Springfield council votes to close river bridge",
        "The city council of Springfield voted on Monday to close the old river bridge for \
         repairs. Mayor Quimby said traffic would be diverted over the north bridge.",
        Some("2024-03-04"),
    );
    let b = article(
        "m2",
        "Engineers find cracked steel beams",
        "Engineers inspecting the old river bridge found cracks in two steel beams and \
         warned that the structure was unsafe for heavy lorries and buses.",
        Some("2024-03-04"),
    );
    let x = article(
        "m3",
        "Springfield closes river bridge after engineers find cracked beams",
        "The city council of Springfield voted on Monday to close the old river bridge for \
         repairs after engineers inspecting it found cracks in two steel beams. Mayor Quimby \
         said traffic would be diverted over the north bridge; heavy lorries and buses were \
         warned the structure was unsafe.",
        Some("2024-03-05"),
    );
    (a, b, x)
}

/// A stream long enough for expiry (every 1,024 additions) to close events and threads:
/// 300 happenings, four reports each, one happening every other day for 600 days; places and
/// kinds of happening recur, so threads run long.
fn long_run() -> Vec<Article> {
    const PLACES: [&str; 20] = [
        "Arlen", "Brisco", "Calder", "Dunmore", "Elwood", "Farrow", "Glenrock", "Harlow", "Ingram",
        "Jasper", "Kelso", "Lowell", "Marlow", "Norwood", "Oakley", "Presley", "Quinton", "Radley",
        "Selwyn", "Tilden",
    ];
    const KINDS: [(&str, &str); 6] = [
        (
            "Floods hit",
            "river water flooded streets homes shops after heavy rain",
        ),
        (
            "Fire destroys warehouse in",
            "firefighters fought flames smoke warehouse roof",
        ),
        (
            "Council approves budget for",
            "councillors approved spending schools roads budget",
        ),
        (
            "Strike halts buses in",
            "drivers walked out wages union talks buses depot",
        ),
        (
            "Storm cuts power to",
            "winds toppled lines power outage crews repair",
        ),
        (
            "Festival draws crowds to",
            "music stalls visitors festival square weekend",
        ),
    ];
    const NAMES: [&str; 12] = [
        "Alvarez",
        "Brennan",
        "Castillo",
        "Dimitrov",
        "Eriksen",
        "Fontaine",
        "Gallagher",
        "Hoffmann",
        "Ivanova",
        "Jaramillo",
        "Kowalski",
        "Lindqvist",
    ];
    let day0 = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap();
    let mut out = Vec::new();
    for h in 0..300usize {
        let mut place = PLACES[(h * 7) % PLACES.len()];
        let (mut head, mut words) = KINDS[(h * 5) % KINDS.len()];
        let name = NAMES[(h * 11) % NAMES.len()];
        // The first happening is like no other: its thread closes a year later.
        if h == 0 {
            place = "Zennor";
            (head, words) = (
                "Volcano erupts near",
                "lava ash eruption crater villagers fled",
            );
        }
        for r in 0..4usize {
            let day = day0 + chrono::Duration::days(2 * h as i64 + (r % 2) as i64);
            let extra: Vec<&str> = words.split(' ').cycle().skip(r).take(6).collect();
            let title = format!("{head} {place}");
            let body = format!(
                "Officials in {place} said on {day} that {words}. Mayor {name} told reporters \
                 the town of {place} would recover. Residents described {}.",
                extra.join(" ")
            );
            let doc = format!("long-{h}-{r}");
            out.push(article(&doc, &title, &body, Some(&day.to_string())));
        }
    }
    out
}

#[test]
fn two_runs_through_the_store_reopen_closed_events_for_copies() {
    let arts = long_run();
    // A copy of the very first report arrives in the second run, after its event (and its
    // thread: more than a year went by) closed.
    let mut copy = arts[0].clone();
    copy.id = model::content_id(b"copy of the first report");
    copy.duplicate_of = Some(arts[0].id.clone());
    copy.origin = arts[0].id.clone();
    copy.published = Some("2023-08-01".to_string());
    let refs: Vec<&Article> = arts.iter().collect();
    let (first, rest) = refs.split_at(1100);
    let mut second = rest.to_vec();
    second.push(&copy);
    // After the first run, neither the origin's event nor its thread is in the saved state.
    let mut store = Store::default();
    store.run(first, &[], &StoryConfig::default());
    let origin = &store.members[&arts[0].id];
    let state: serde_json::Value = serde_json::from_str(store.state.as_deref().unwrap()).unwrap();
    let ids = |k: &str| -> Vec<String> {
        let v = state[k].as_array().unwrap();
        v.iter()
            .map(|x| x["record"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!ids("events").contains(&origin.event), "the event closed");
    assert!(
        !ids("threads").contains(&origin.thread),
        "the thread closed"
    );
    assert!(
        ids("events").len() < 40,
        "{} open events",
        ids("events").len()
    );

    let ch = assert_two_runs(first, &second, &[], &StoryConfig::default());
    let member = ch.members.iter().find(|m| m.id == copy.id).unwrap();
    assert_eq!(
        member.event, origin.event,
        "the copy joined its origin's event"
    );
    let reopened = ch.events.iter().find(|e| e.id == member.event).unwrap();
    assert_eq!(reopened.members, store.events[&origin.event].members + 1);
    assert!(ch.threads.iter().any(|t| t.id == origin.thread));
}

#[test]
fn the_state_holds_only_open_events_and_round_trips() {
    let arts = long_run();
    let mut c = Clusterer::new(StoryConfig::default());
    for a in batch_order(&arts) {
        c.add(a);
    }
    c.settle();
    let state = c.state();
    let events = c.stories().events.len();
    assert_eq!(state.open_events(), c.open_events());
    assert!(
        state.open_events() * 5 < events,
        "{} of {events}",
        state.open_events()
    );
    let json = serde_json::to_string(&state).unwrap();
    let back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, state);
    // Loaded and saved again without additions, the state is the same.
    assert_eq!(
        Clusterer::resume(StoryConfig::default(), Some(back)).state(),
        state
    );
}

#[test]
fn damaged_or_foreign_states_are_refused() {
    let arts = fixtures();
    let mut c = Clusterer::new(StoryConfig::default());
    for a in batch_order(&arts) {
        c.add(a);
    }
    c.settle();
    let json = serde_json::to_value(c.state()).unwrap();

    let mut other = json.clone();
    other["version"] = serde_json::json!(999);
    let err = serde_json::from_value::<State>(other)
        .unwrap_err()
        .to_string();
    assert!(err.contains("version 999"), "{err}");

    let mut cut = json.clone();
    let df = cut["df"].as_str().unwrap().to_string();
    cut["df"] = serde_json::json!(df[..df.len() - 8]);
    assert!(serde_json::from_value::<State>(cut).is_err());

    let mut lost = json.clone();
    lost["threads"] = serde_json::json!([]);
    let err = serde_json::from_value::<State>(lost)
        .unwrap_err()
        .to_string();
    assert!(err.contains("thread"), "{err}");

    // Known origins come before the batch, with their own thread.
    let mut store = Store::default();
    let refs: Vec<&Article> = arts.iter().collect();
    let ch = store.run(&refs[..2], &[], &StoryConfig::default());
    let event = ch.events[0].clone();
    let mut c = Clusterer::new(StoryConfig::default());
    c.add(&arts[3]);
    let thread = store.threads[&event.thread].clone();
    let known = |event: EventRecord, thread: ThreadRecord| Known {
        origin: "o".into(),
        event,
        thread,
    };
    assert_eq!(
        c.know_origins(vec![known(event.clone(), thread.clone())]),
        Err(StateError::KnownAfterAdd)
    );
    let mut c = Clusterer::new(StoryConfig::default());
    let mut wrong = thread.clone();
    wrong.id = "elsewhere".into();
    assert!(matches!(
        c.know_origins(vec![known(event, wrong)]),
        Err(StateError::WrongThread { .. })
    ));
}
