//! The clusterer across runs over a store: a bounded [`State`] (what matching needs), one
//! [`EventRecord`] / [`ThreadRecord`] per event and thread, one [`Member`] per article. A
//! run loads the state, the records of the events its copies join ([`Clusterer::know_origins`]),
//! adds its articles and hands back what changed ([`Clusterer::changes`]); the model's events
//! are rebuilt from records and members ([`event_of`], [`thread_of`]).

use chrono::NaiveDate;
use model::{Article, Event, Thread};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Deserializer, Serialize};

use crate::cluster::{Clusterer, EventState, Label, ThreadState};
use crate::features::{self, Evidence};
use crate::vectors::{Centroid, Range};
use crate::wire;
use crate::{MemberView, StoryConfig, event_from, thread_from};

/// Version of the [`State`] layout (and of the matching rules it continues). A state of
/// another version is refused when read.
pub const STATE_VERSION: u32 = 1;

/// The persisted matching state: counters and clock, document frequencies, and the matching
/// state of the **open** events and threads (centroids, day ranges, ordinals, happenings,
/// postings). Its size is bounded by the window (events of the last 30 days, threads of the
/// last year, undated ones of the last 50,000 additions) and the fixed document-frequency
/// sketch, never by the stored articles or closed events. Read with serde: the layout and
/// every index are checked ([`StateError`]); the numeric parts are byte strings (base64 in
/// JSON). Saved after a batch ends ([`Clusterer::settle`]) and loaded again, it continues
/// exactly as the clusterer that saved it would have.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct State(Snapshot);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    /// Origins seen (the N of the IDF).
    docs: u32,
    /// Articles added (the clock of undated windows and of expiry).
    adds: u64,
    /// The newest day seen (days since 0001-01-01).
    latest_day: Option<i32>,
    /// Opening numbers of the next event and thread.
    event_seq: u64,
    thread_seq: u64,
    /// The count-min sketch of document frequencies ([`wire::doc_freq`]: only its non-zero
    /// counters). The large parts are kept encoded: saving writes them straight from the
    /// clusterer, loading checks them in one pass, resuming decodes them.
    #[serde(with = "wire::bytes")]
    df: Vec<u8>,
    /// Open events, in opening order.
    events: Vec<OpenEvent>,
    /// Open threads and the closed threads of open events, in opening order.
    threads: Vec<OpenThread>,
    /// Term -> indices into `events` ([`wire::postings`]: by term; each list in its order).
    #[serde(with = "wire::bytes")]
    event_postings: Vec<u8>,
    /// Term -> indices into `threads`.
    #[serde(with = "wire::bytes")]
    thread_postings: Vec<u8>,
    /// Name key -> indices into `events`, `events.len()` for a post whose event closed
    /// ([`crate::blocking`]; absent in states saved before names were keys).
    #[serde(with = "wire::bytes", default)]
    name_postings: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OpenEvent {
    record: EventRecord,
    #[serde(with = "wire::centroid")]
    centroid: Centroid,
    #[serde(with = "wire::centroid")]
    titles: Centroid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OpenThread {
    record: ThreadRecord,
    /// Closed threads are kept only while an open event belongs to them.
    open: bool,
    #[serde(with = "wire::centroid")]
    centroid: Centroid,
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<State, D::Error> {
        let s = Snapshot::deserialize(d)?;
        s.check().map_err(serde::de::Error::custom)?;
        Ok(State(s))
    }
}

impl State {
    /// Open events it holds.
    pub fn open_events(&self) -> usize {
        self.0.events.len()
    }

    /// Threads it holds (open ones and the closed threads of open events).
    pub fn threads(&self) -> usize {
        self.0.threads.len()
    }
}

/// Why a state or the records given with it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("stories state version {found}, this build reads version {expected}")]
    Version { found: u32, expected: u32 },
    #[error("stories state damaged: {0}")]
    Damaged(&'static str),
    #[error("stories state damaged: {0}")]
    Encoding(#[from] wire::WireError),
    #[error("the events of stored origins must be given before the first article is added")]
    KnownAfterAdd,
    #[error("event {event} belongs to thread {expected}, not to the thread record {given}")]
    WrongThread {
        event: String,
        expected: String,
        given: String,
    },
    #[error("event {id} is numbered {seq}, as another event")]
    DuplicateSeq { id: String, seq: u64 },
}

impl Snapshot {
    /// Checks what serde cannot: the version, the opening order, every index.
    fn check(&self) -> Result<(), StateError> {
        if self.version != STATE_VERSION {
            return Err(StateError::Version {
                found: self.version,
                expected: STATE_VERSION,
            });
        }
        let increasing = |s: &mut dyn Iterator<Item = u64>, next: u64| {
            let v: Vec<u64> = s.collect();
            v.windows(2).all(|p| p[0] < p[1]) && v.last().is_none_or(|&l| l < next)
        };
        if !increasing(
            &mut self.events.iter().map(|e| e.record.seq),
            self.event_seq,
        ) || !increasing(
            &mut self.threads.iter().map(|t| t.record.seq),
            self.thread_seq,
        ) {
            return Err(StateError::Damaged(
                "events or threads out of opening order",
            ));
        }
        let threads: FxHashSet<&str> = self.threads.iter().map(|t| t.record.id.as_str()).collect();
        if threads.len() != self.threads.len()
            || self
                .events
                .iter()
                .any(|e| !threads.contains(e.record.thread.as_str()))
        {
            return Err(StateError::Damaged("an open event's thread is missing"));
        }
        wire::doc_freq::validate(&self.df)?;
        wire::postings::validate(&self.event_postings, self.events.len())?;
        wire::postings::validate(&self.thread_postings, self.threads.len())?;
        wire::postings::validate(&self.name_postings, self.events.len() + 1)?;
        Ok(())
    }
}

/// What a store keeps of one event, without its members: enough to output it with its
/// members ([`event_of`]) and to reopen it when a copy of one of its articles arrives after it
/// closed. Replaces the stored record whenever a run changes the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub thread: String,
    /// The label and the member key it won by (a later member with a lesser key takes over).
    pub label: Option<Label>,
    /// Members over every run.
    pub members: u32,
    /// Opening order (the older event is kept when two merge).
    seq: u64,
    last_add: u64,
    /// Day ranges (days since 0001-01-01): reported days, publication days; years.
    range: Option<(i32, i32)>,
    published: Option<(i32, i32)>,
    years: Option<(i32, i32)>,
    /// Series ordinals and kinds of happening its headlines name.
    ordinals: Vec<(String, u32)>,
    happenings: Vec<String>,
}

/// What a store keeps of one thread (its events are the events naming it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadRecord {
    pub id: String,
    seq: u64,
    last_add: u64,
    range: Option<(i32, i32)>,
}

/// What a store keeps of one article: its event and thread (renamed when they merge away)
/// and its date evidence. New members come out of every run ([`Changes::members`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub origin: String,
    pub event: String,
    pub thread: String,
    pub evidence: Vec<Evidence>,
    /// Its own publication day (days since 0001-01-01), for ordering an event's articles.
    pub published: Option<i32>,
}

/// An origin of this run's articles that stored members share, with their event and that
/// event's thread (a closed thread reopens with the range it had).
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub origin: String,
    pub event: EventRecord,
    pub thread: ThreadRecord,
}

/// Everything a run changed, for the store (after [`Clusterer::settle`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// The state to save (replaces the stored one).
    pub state: State,
    /// Events opened or changed in this run (took members, merged into, label or thread
    /// changed), replacing the stored records.
    pub events: Vec<EventRecord>,
    /// Threads opened or changed in this run.
    pub threads: Vec<ThreadRecord>,
    /// Stored events merged away in this run: (gone id, kept id), the kept one being live.
    /// The store renames the members of `gone` to `kept` and deletes the record of `gone`.
    pub merged_events: Vec<(String, String)>,
    /// Stored threads merged away: (gone id, kept id). The store renames the thread of the
    /// stored events and members of `gone` to `kept` and deletes the record of `gone`.
    pub merged_threads: Vec<(String, String)>,
    /// The articles added in this run, with their final event and thread.
    pub members: Vec<Member>,
}

impl Clusterer {
    /// A clusterer continuing from a stored state (None for an empty store).
    pub fn resume(cfg: StoryConfig, state: Option<State>) -> Clusterer {
        let mut c = Clusterer::new(cfg);
        let Some(State(s)) = state else {
            return c;
        };
        c.docs = s.docs;
        c.adds = s.adds;
        c.latest_day = s.latest_day;
        c.event_seq = s.event_seq;
        c.thread_seq = s.thread_seq;
        // Checked when the state was read (or written by `state`): decoding cannot fail.
        let valid = "a state's encoded parts are checked when it is read";
        c.df = wire::doc_freq::decode(&s.df).expect(valid);
        for t in s.threads {
            c.push_thread(t.record, t.open, t.centroid);
        }
        for e in s.events {
            let t = c.thread_by_id[&e.record.thread];
            let i = c.push_event(e.record, t, true);
            let ev = &mut c.events[i as usize];
            ev.centroid = e.centroid;
            ev.titles = e.titles;
        }
        c.event_postings = wire::postings::decode(&s.event_postings, c.events.len()).expect(valid);
        c.thread_postings =
            wire::postings::decode(&s.thread_postings, c.threads.len()).expect(valid);
        let closed = c.events.len() as u32;
        c.name_postings =
            wire::postings::decode(&s.name_postings, c.events.len() + 1).expect(valid);
        (c.name_postings.values_mut().flatten())
            .filter(|e| **e == closed)
            .for_each(|e| *e = u32::MAX);
        c
    }

    /// Before adding a batch: the stored events of the batch's origins. For every distinct
    /// `origin` of the batch's articles that a stored member has as its `origin` (the origin
    /// article itself, or a copy of it stored first), that member's event and the event's
    /// thread: look members up by origin, not by id. Copies always share an event, even a
    /// closed one, and an origin counts once in the document frequencies; an origin left out
    /// here would open or join another event and count again. Events and threads the state
    /// does not hold come in closed, as they were left.
    pub fn know_origins(&mut self, known: Vec<Known>) -> Result<(), StateError> {
        if !self.articles.is_empty() {
            return Err(StateError::KnownAfterAdd);
        }
        self.check_known(&known)?;
        let mut origins = Vec::with_capacity(known.len());
        for k in known {
            let e = match self.event_by_id.get(&k.event.id) {
                Some(&e) => e,
                None => {
                    let t = match self.thread_by_id.get(&k.thread.id) {
                        Some(&t) => t,
                        None => self.push_thread(k.thread, false, Centroid::default()),
                    };
                    self.push_event(k.event, t, false)
                }
            };
            origins.push((k.origin, e));
        }
        self.origin_event.extend(origins);
        let sorted = |v: &mut dyn Iterator<Item = u64>| v.is_sorted();
        if !sorted(&mut self.events.iter().map(|e| e.seq))
            || !sorted(&mut self.threads.iter().map(|t| t.seq))
        {
            self.reorder();
        }
        Ok(())
    }

    /// Known records must name their thread and not take the opening number of another
    /// event or thread.
    fn check_known(&self, known: &[Known]) -> Result<(), StateError> {
        let mut ev_seq: rustc_hash::FxHashMap<u64, &str> =
            self.events.iter().map(|e| (e.seq, e.id.as_str())).collect();
        let mut th_seq: rustc_hash::FxHashMap<u64, &str> = self
            .threads
            .iter()
            .map(|t| (t.seq, t.id.as_str()))
            .collect();
        for k in known {
            if k.event.thread != k.thread.id {
                return Err(StateError::WrongThread {
                    event: k.event.id.clone(),
                    expected: k.event.thread.clone(),
                    given: k.thread.id.clone(),
                });
            }
            for (seqs, seq, id) in [
                (&mut ev_seq, k.event.seq, &k.event.id),
                (&mut th_seq, k.thread.seq, &k.thread.id),
            ] {
                if *seqs.entry(seq).or_insert(id) != id.as_str() {
                    return Err(StateError::DuplicateSeq {
                        id: id.clone(),
                        seq,
                    });
                }
            }
        }
        Ok(())
    }

    fn push_thread(&mut self, r: ThreadRecord, open: bool, centroid: Centroid) -> u32 {
        let i = self.threads.len() as u32;
        self.thread_seq = self.thread_seq.max(r.seq + 1);
        self.thread_by_id.insert(r.id.clone(), i);
        self.threads.push(ThreadState {
            centroid,
            range: Range(r.range),
            open,
            fresh: false,
            changed: false,
            ..ThreadState::empty(r.id, r.last_add, r.seq)
        });
        i
    }

    /// A stored event (open from the state, or closed from its record) into memory.
    fn push_event(&mut self, r: EventRecord, thread: u32, open: bool) -> u32 {
        let i = self.events.len() as u32;
        self.event_seq = self.event_seq.max(r.seq + 1);
        self.event_by_id.insert(r.id.clone(), i);
        self.threads[thread as usize].events.push(i);
        self.events.push(EventState {
            stored: r.members,
            label: r.label,
            range: Range(r.range),
            published: Range(r.published),
            years: Range(r.years),
            ordinals: r.ordinals,
            happenings: r.happenings,
            open,
            fresh: false,
            changed: false,
            ..EventState::empty(r.id, thread, r.last_add, r.seq)
        });
        i
    }

    /// Puts events and threads back in opening order after closed ones came in from their
    /// records: the lesser index must stay the older (merges keep it, ties go to it).
    fn reorder(&mut self) {
        let ev = sort_by_seq(&mut self.events, |e| e.seq);
        let th = sort_by_seq(&mut self.threads, |t| t.seq);
        for e in &mut self.events {
            e.thread = th[e.thread as usize];
        }
        for t in &mut self.threads {
            t.events.iter_mut().for_each(|e| *e = ev[*e as usize]);
        }
        let remap = |p: &mut rustc_hash::FxHashMap<u64, Vec<u32>>, m: &[u32]| {
            p.values_mut()
                .flat_map(|l| l.iter_mut())
                .for_each(|x| *x = m[*x as usize]);
        };
        remap(&mut self.event_postings, &ev);
        (self.name_postings.values_mut().flatten())
            .filter(|x| **x != u32::MAX)
            .for_each(|x| *x = ev[*x as usize]);
        remap(&mut self.thread_postings, &th);
        self.event_by_id
            .values_mut()
            .chain(self.origin_event.values_mut())
            .for_each(|x| *x = ev[*x as usize]);
        self.thread_by_id
            .values_mut()
            .for_each(|x| *x = th[*x as usize]);
    }

    /// After [`Clusterer::settle`]: the state to save and everything this run changed.
    pub fn changes(&self) -> Changes {
        let live = |e: &&EventState| e.merged_into.is_none() && e.size() > 0;
        Changes {
            state: self.state(),
            events: (self.events.iter())
                .filter(|e| live(e) && e.changed)
                .map(|e| self.event_record(e))
                .collect(),
            threads: (self.threads.iter())
                .filter(|t| t.merged_into.is_none() && t.changed && !t.id.is_empty())
                .map(thread_record)
                .collect(),
            merged_events: (0..self.events.len() as u32)
                .filter(|&e| !self.events[e as usize].fresh)
                .filter(|&e| self.events[e as usize].merged_into.is_some())
                .map(|e| {
                    let kept = &self.events[self.live_event(e) as usize];
                    (self.events[e as usize].id.clone(), kept.id.clone())
                })
                .collect(),
            merged_threads: (0..self.threads.len() as u32)
                .filter(|&t| !self.threads[t as usize].fresh)
                .filter(|&t| self.threads[t as usize].merged_into.is_some())
                .map(|t| {
                    let kept = &self.threads[self.live_thread(t) as usize];
                    (self.threads[t as usize].id.clone(), kept.id.clone())
                })
                .collect(),
            members: self.articles.iter().map(|a| self.member(a)).collect(),
        }
    }

    fn member(&self, a: &crate::cluster::ArticleRec) -> Member {
        let e = &self.events[self.live_event(a.event) as usize];
        Member {
            id: a.id.clone(),
            origin: a.origin.clone(),
            event: e.id.clone(),
            thread: self.threads[self.live_thread(e.thread) as usize].id.clone(),
            evidence: a.evidence.clone(),
            published: a.published,
        }
    }

    fn event_record(&self, e: &EventState) -> EventRecord {
        EventRecord {
            id: e.id.clone(),
            thread: self.threads[self.live_thread(e.thread) as usize].id.clone(),
            label: e.label.clone(),
            members: e.size() as u32,
            seq: e.seq,
            last_add: e.last_add,
            range: e.range.0,
            published: e.published.0,
            years: e.years.0,
            ordinals: e.ordinals.clone(),
            happenings: e.happenings.clone(),
        }
    }

    /// The matching state to save: open events, the threads that are open or hold an open
    /// event, their postings. Exact after [`Clusterer::settle`] (which sweeps the postings of
    /// closed events); before it, postings of merged events follow their event.
    pub fn state(&self) -> State {
        let n = self.events.len();
        let mut ev_index = vec![u32::MAX; n];
        let mut events = Vec::new();
        let mut th_used = vec![false; self.threads.len()];
        for (i, e) in self.events.iter().enumerate() {
            if e.open && e.merged_into.is_none() && e.size() > 0 {
                ev_index[i] = events.len() as u32;
                th_used[self.live_thread(e.thread) as usize] = true;
                events.push(OpenEvent {
                    record: self.event_record(e),
                    centroid: e.centroid.clone(),
                    titles: e.titles.clone(),
                });
            }
        }
        let mut th_index = vec![u32::MAX; self.threads.len()];
        let mut threads = Vec::new();
        for (i, t) in self.threads.iter().enumerate() {
            if t.merged_into.is_none() && (t.open || th_used[i]) && !t.id.is_empty() {
                th_index[i] = threads.len() as u32;
                threads.push(OpenThread {
                    record: thread_record(t),
                    open: t.open,
                    centroid: t.centroid.clone(),
                });
            }
        }
        // Saved index of every slot's live event (thread), or none: entries of closed and
        // merged ones go (after `settle` there are none left but entries of open ones).
        let ev_map: Vec<u32> = (0..n as u32)
            .map(|e| ev_index[self.live_event(e) as usize])
            .collect();
        let th_map: Vec<u32> = (0..self.threads.len() as u32)
            .map(|t| {
                let l = self.live_thread(t) as usize;
                if self.threads[l].open {
                    th_index[l]
                } else {
                    u32::MAX
                }
            })
            .collect();
        let kept = |m: &[u32], x: u32| Some(m[x as usize]).filter(|&i| i != u32::MAX);
        let event_postings = wire::postings::encode(&self.event_postings, |e| kept(&ev_map, e));
        let thread_postings = wire::postings::encode(&self.thread_postings, |t| kept(&th_map, t));
        // A post of a closed event keeps its place among a key's latest posts.
        let closed = events.len() as u32;
        let name_postings = wire::postings::encode(&self.name_postings, |e| {
            Some(if e == u32::MAX {
                closed
            } else {
                kept(&ev_map, e).unwrap_or(closed)
            })
        });
        State(Snapshot {
            version: STATE_VERSION,
            docs: self.docs,
            adds: self.adds,
            latest_day: self.latest_day,
            event_seq: self.event_seq,
            thread_seq: self.thread_seq,
            df: wire::doc_freq::encode(&self.df),
            events,
            threads,
            event_postings,
            thread_postings,
            name_postings,
        })
    }
}

fn thread_record(t: &ThreadState) -> ThreadRecord {
    ThreadRecord {
        id: t.id.clone(),
        seq: t.seq,
        last_add: t.last_add,
        range: t.range.0,
    }
}

/// Sorts `v` by `seq`; returns the new index of every old index.
fn sort_by_seq<T>(v: &mut Vec<T>, seq: impl Fn(&T) -> u64) -> Vec<u32> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by_key(|&i| seq(&v[i]));
    let mut map = vec![0u32; v.len()];
    for (new, &old) in order.iter().enumerate() {
        map[old] = new as u32;
    }
    let mut items: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| items[i].take()));
    map
}

/// The model's event from its record and all its members (stored ones, renamed after merges,
/// and the new ones), as [`Clusterer::stories`] gives it.
pub fn event_of(record: &EventRecord, members: &[Member]) -> Event {
    let views = members
        .iter()
        .map(|m| MemberView {
            id: &m.id,
            origin: &m.origin,
            evidence: &m.evidence,
            published: m.published,
        })
        .collect();
    event_from(&record.id, &record.thread, record.label.as_ref(), views)
}

/// The model's thread from its record and all its events (any order). Without events, a
/// thread with none and no label.
pub fn thread_of(record: &ThreadRecord, events: &[Event]) -> Thread {
    thread_from(&record.id, events.iter().collect()).unwrap_or_else(|| Thread {
        id: record.id.clone(),
        label: String::new(),
        events: Vec::new(),
    })
}

/// For an article without its own `published` date, its event's date when it names one day:
/// the anchor to resolve its relative expressions against (`anchor_from: inferred`).
pub fn inferred_anchor(article: &Article, event: &Event) -> Option<NaiveDate> {
    if article.published.is_some() {
        return None;
    }
    let d = event.date.as_deref()?;
    features::parse_day(d).filter(|_| d.len() == 10)
}
