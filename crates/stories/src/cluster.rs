//! The incremental clusterer: articles into events, events into threads.

use rustc_hash::{FxHashMap, FxHashSet};

use model::{Article, Entity};

use crate::StoryConfig;
use crate::blocking::{self, EventKeys, Given};
use crate::features::{self, Evidence, Features};
use crate::pair;
use crate::vectors::{Centroid, DocFreq, Range, Vector};

/// One event in memory: open (inside the window), closed (only what its stored record
/// holds), or merged into another.
#[derive(Debug, Clone)]
pub(crate) struct EventState {
    pub(crate) id: String,
    pub(crate) thread: u32,
    /// This clusterer's articles (indices into `Clusterer::articles`).
    pub(crate) members: Vec<u32>,
    /// Members added in earlier runs (stored, not in memory).
    pub(crate) stored: u32,
    /// The label and the key it won by: the least key over the members.
    pub(crate) label: Option<Label>,
    pub(crate) centroid: Centroid,
    /// Sum of the members' title vectors.
    pub(crate) titles: Centroid,
    pub(crate) range: Range,
    /// Days of the members' own publication dates (input, metadata or dateline).
    pub(crate) published: Range,
    /// Years of the members' day estimates or, for undated ones, of their latest year mentioned.
    pub(crate) years: Range,
    pub(crate) ordinals: Vec<(String, u32)>,
    /// Kinds of happening its members' headlines name.
    pub(crate) happenings: Vec<String>,
    pub(crate) merged_into: Option<u32>,
    pub(crate) open: bool,
    pub(crate) last_add: u64,
    pub(crate) stamp: u64,
    /// Opening order over every run. Events sit in memory in this order, so the lesser
    /// index is the older event (a merge keeps it; ties between scores go to it).
    pub(crate) seq: u64,
    /// Opened by this clusterer, not stored before.
    pub(crate) fresh: bool,
    /// Changed by this clusterer: its stored record is out of date.
    pub(crate) changed: bool,
}

impl EventState {
    /// An open event with no members yet.
    pub(crate) fn empty(id: String, thread: u32, last_add: u64, seq: u64) -> EventState {
        EventState {
            id,
            thread,
            members: Vec::new(),
            stored: 0,
            label: None,
            centroid: Centroid::default(),
            titles: Centroid::default(),
            range: Range::default(),
            published: Range::default(),
            years: Range::default(),
            ordinals: Vec::new(),
            happenings: Vec::new(),
            merged_into: None,
            open: true,
            last_add,
            stamp: 0,
            seq,
            fresh: true,
            changed: true,
        }
    }

    /// Members over every run.
    pub(crate) fn size(&self) -> usize {
        self.stored as usize + self.members.len()
    }
}

/// One thread in memory (open, closed or merged), like [`EventState`].
#[derive(Debug, Clone)]
pub(crate) struct ThreadState {
    pub(crate) id: String,
    /// Its events in memory (the stored ones are found by thread id).
    pub(crate) events: Vec<u32>,
    pub(crate) centroid: Centroid,
    pub(crate) range: Range,
    pub(crate) merged_into: Option<u32>,
    pub(crate) open: bool,
    pub(crate) last_add: u64,
    pub(crate) stamp: u64,
    /// Opening order over every run (threads sit in memory in this order).
    pub(crate) seq: u64,
    pub(crate) fresh: bool,
    pub(crate) changed: bool,
}

impl ThreadState {
    pub(crate) fn empty(id: String, last_add: u64, seq: u64) -> ThreadState {
        ThreadState {
            id,
            events: Vec::new(),
            centroid: Centroid::default(),
            range: Range::default(),
            merged_into: None,
            open: true,
            last_add,
            stamp: 0,
            seq,
            fresh: true,
            changed: true,
        }
    }
}

/// What is kept of each article added to this clusterer.
#[derive(Debug, Clone)]
pub(crate) struct ArticleRec {
    pub(crate) id: String,
    pub(crate) origin: String,
    pub(crate) event: u32,
    pub(crate) evidence: Vec<Evidence>,
    /// Its own publication day, for listing an event's articles in date order.
    pub(crate) published: Option<i32>,
}

/// An event's label and the key it won by. Which member names an event, whatever the order
/// they arrived in: a headline before a first sentence, then the earliest published (undated
/// last), then the least article id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    pub text: String,
    /// The member had no headline (the label is its first sentence).
    untitled: bool,
    /// The member's publication day (days since 0001-01-01).
    published: Option<i32>,
    /// The member's id.
    article: String,
}

impl Label {
    fn key(&self) -> (bool, bool, Option<i32>, &str) {
        (
            self.untitled,
            self.published.is_none(),
            self.published,
            &self.article,
        )
    }

    /// Whether this label wins over `other` (the lesser key).
    fn beats(&self, other: Option<&Label>) -> bool {
        other.is_none_or(|o| self.key() < o.key())
    }
}

/// The label `a` would give its event: its title, else its first sentence.
fn label_for(a: &Article, published: Option<i32>) -> Option<Label> {
    let titled = a.title.as_deref().is_some_and(|t| !t.trim().is_empty());
    Some(Label {
        text: label_of(a)?,
        untitled: !titled,
        published,
        article: a.id.clone(),
    })
}

/// The incremental clustering state (see the crate documentation for the algorithm and the
/// incremental rule). `Send`; continue a store's state with [`Clusterer::resume`].
pub struct Clusterer {
    pub(crate) cfg: StoryConfig,
    annotator: timex::Annotator,
    pub(crate) df: DocFreq,
    /// Origins seen over every run (the N of the IDF).
    pub(crate) docs: u32,
    pub(crate) articles: Vec<ArticleRec>,
    /// Events in opening order (`seq`), see [`EventState::seq`].
    pub(crate) events: Vec<EventState>,
    pub(crate) threads: Vec<ThreadState>,
    pub(crate) origin_event: FxHashMap<String, u32>,
    pub(crate) event_by_id: FxHashMap<String, u32>,
    pub(crate) thread_by_id: FxHashMap<String, u32>,
    /// Term -> open events whose centroid took it (in that order; the same event may appear
    /// again after its centroid dropped the term and took it back).
    pub(crate) event_postings: FxHashMap<u64, Vec<u32>>,
    pub(crate) thread_postings: FxHashMap<u64, Vec<u32>>,
    /// Name key ([`blocking::key`]) -> the events its posts joined, oldest first, at most
    /// the last `2 * KEY_CAP` (`u32::MAX`: a post whose event closed before a save).
    pub(crate) name_postings: FxHashMap<u64, Vec<u32>>,
    /// Candidates by name found by a shuffle ([`Clusterer::give_candidates`]), used instead
    /// of `name_postings`, with this run's articles by id.
    given: Option<std::sync::Arc<Given>>,
    article_at: FxHashMap<String, u32>,
    pub(crate) entity_names: FxHashMap<String, String>,
    /// The newest day seen (the window's clock).
    pub(crate) latest_day: Option<i32>,
    /// Articles added over every run (the clock of undated windows and of expiry).
    pub(crate) adds: u64,
    /// The `seq` of the next event and thread opened.
    pub(crate) event_seq: u64,
    pub(crate) thread_seq: u64,
    stamp: u64,
    /// Near candidates of the last assignment, checked for a merge once the article joined.
    pending_merge: Vec<u32>,
    /// Events that took an article since the last [`Clusterer::settle`].
    touched: FxHashSet<u32>,
    /// Articles of this batch whose vectors were weighed by immature document frequencies
    /// (fewer than [`MATURE_DOCS`] origins seen).
    immature: Vec<Immature>,
    /// The pairwise model's signals of this batch's articles (by index), for
    /// [`Clusterer::settle`].
    pair_signals: FxHashMap<u32, pair::Signals>,
}

/// An article whose vector was weighed early in a run.
struct Immature {
    article: u32,
    /// The vector it joined its event with.
    vector: Vector,
    /// Its raw terms (before IDF).
    terms: Vec<(u64, f32)>,
}

/// Origins after which document frequencies are taken as settled: vectors weighed before are
/// weighed again when the batch ends. Early in a run every shared word is "in most
/// documents", so the first reports of one event look unrelated and split it.
const MATURE_DOCS: u32 = 1000;

/// Which events [`Clusterer::settle`] pairs with the events a batch touched.
#[derive(Clone, Copy)]
enum Partners {
    /// Every open event.
    Open,
    /// The touched events only.
    Touched,
}

/// Members of each event the pairwise model compares when a batch settles (the latest).
const PAIR_MEMBERS: usize = 64;

impl Clusterer {
    pub fn new(cfg: StoryConfig) -> Clusterer {
        Clusterer {
            cfg,
            annotator: timex::Annotator::new(),
            df: DocFreq::new(),
            docs: 0,
            articles: Vec::new(),
            events: Vec::new(),
            threads: Vec::new(),
            origin_event: Default::default(),
            event_by_id: Default::default(),
            thread_by_id: Default::default(),
            event_postings: Default::default(),
            thread_postings: Default::default(),
            name_postings: Default::default(),
            given: None,
            article_at: Default::default(),
            entity_names: Default::default(),
            latest_day: None,
            adds: 0,
            event_seq: 0,
            thread_seq: 0,
            stamp: 0,
            pending_merge: Vec::new(),
            touched: Default::default(),
            immature: Vec::new(),
            pair_signals: Default::default(),
        }
    }

    /// Number of articles added (or restored).
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Records entity names for thread labels (the run-wide table of the language layer).
    pub fn set_entities(&mut self, entities: &[Entity]) {
        for e in entities {
            self.entity_names.insert(e.id.clone(), e.name.clone());
        }
    }

    /// Adds one article (cleaned and deduplicated; annotated when the language layer ran) and
    /// returns the id of the event it joins or opens. A later merge may move it to an older
    /// event: [`Clusterer::stories`] gives the final assignment.
    pub fn add(&mut self, a: &Article) -> String {
        let keys = blocking::event_keys(&a.id, a.published.as_deref(), &a.names);
        let f = features::extract(a, &self.annotator, &self.cfg.weights);
        let v = self.vectorise(a, &f);
        let tv = self.title_vector(&f);
        self.tick(f.day);
        let known = self
            .origin_event
            .get(&a.origin)
            .map(|&e| self.live_event(e));
        let e = match known {
            // Copies always share an event.
            Some(e) => e,
            None => self.assign(&v, &tv, &f, a, keys.as_ref()),
        };
        let idx = self.articles.len() as u32;
        self.pair_signals
            .insert(idx, pair::Signals::of(a, &f, v.clone()));
        if self.docs < MATURE_DOCS {
            self.immature.push(Immature {
                article: idx,
                vector: v.clone(),
                terms: f.terms.clone(),
            });
        }
        self.join(e, a, &v, &tv, f);
        if let Some(k) = &keys {
            self.post_names(k, e);
        }
        let e = self.merge_pending(e);
        self.touched.insert(e);
        self.events[e as usize].id.clone()
    }

    /// Ends a batch: merges pairs of open events, at least one of them touched by the batch,
    /// whose members resemble each other on average (average link over all pairs of their
    /// articles, times the date and happening factors) at least `settle_threshold`, best pair
    /// first; then, the same way, pairs the learned pairwise model scores at least
    /// `pair_threshold` ([`crate::pair`]). Single-pass assignment splits an event
    /// when its first articles differ more than its later ones show; this repairs such splits
    /// once the batch is in, without touching events the batch did not reach.
    pub fn settle(&mut self) {
        self.reweigh_immature();
        let touched: Vec<u32> = std::mem::take(&mut self.touched).into_iter().collect();
        let (average, learned) = (self.cfg.settle_threshold, self.cfg.pair_threshold);
        self.merge_best_first(&touched, Partners::Open, Self::settle_score, average);
        // Only the batch's articles carry the model's signals: its events are the only pairs.
        self.merge_best_first(&touched, Partners::Touched, Self::pair_score, learned);
        self.pair_signals.clear();
        // What a batch leaves is what is saved: postings of closed and merged events go now
        // rather than at the next expiry, so a state saved and loaded matches the live one.
        self.sweep_postings();
    }

    /// Merges pairs of open events, one of them among `touched` and the other among
    /// `partners`, scoring at least `threshold`, best pair first; a pair whose events changed
    /// since it was scored is scored again when it comes up (lazy greedy).
    fn merge_best_first(
        &mut self,
        touched: &[u32],
        partners: Partners,
        score: fn(&Self, u32, u32) -> f32,
        threshold: f32,
    ) {
        let is_open = |ev: &EventState| ev.open && ev.merged_into.is_none() && ev.size() > 0;
        let mut touched: Vec<u32> = (touched.iter())
            .map(|&e| self.live_event(e))
            .filter(|&e| is_open(&self.events[e as usize]))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let others: Vec<u32> = match partners {
            Partners::Open => (0..self.events.len() as u32)
                .filter(|&e| is_open(&self.events[e as usize]))
                .collect(),
            Partners::Touched => touched.clone(),
        };
        let mut version: FxHashMap<u32, u32> = Default::default();
        let mut heap: std::collections::BinaryHeap<(OrdF32, u32, u32, u32, u32)> =
            Default::default();
        // Pairs with at least one touched event: touched x others, each pair once (a pair of
        // two touched events is taken from its smaller one), so a run that touched few events
        // scores few pairs however large the store.
        for &x in &touched {
            for &y in &others {
                if y == x || (y < x && touched.binary_search(&y).is_ok()) {
                    continue;
                }
                let (x, y) = (x.min(y), x.max(y));
                let s = score(self, x, y);
                if s >= threshold {
                    heap.push((OrdF32(s), x, y, 0, 0));
                }
            }
        }
        while let Some((_, x, y, vx, vy)) = heap.pop() {
            let (lx, ly) = (self.live_event(x), self.live_event(y));
            if lx == ly {
                continue;
            }
            let (cx, cy) = (
                version.get(&lx).copied().unwrap_or(0),
                version.get(&ly).copied().unwrap_or(0),
            );
            if (lx, ly) != (x, y) || cx != vx || cy != vy {
                let s = score(self, lx, ly);
                if s >= threshold {
                    heap.push((OrdF32(s), lx, ly, cx, cy));
                }
                continue;
            }
            let keep = self.merge_events(lx, ly);
            *version.entry(keep).or_default() += 1;
        }
    }

    /// Replaces, in their events' centroids, the vectors of this batch's articles that were
    /// weighed with immature document frequencies by their vectors under the present ones.
    /// Events closed since have no centroid to correct (a stored closed event has none).
    fn reweigh_immature(&mut self) {
        for im in std::mem::take(&mut self.immature) {
            let e = self.live_event(self.articles[im.article as usize].event);
            if !self.events[e as usize].open {
                continue;
            }
            let new = self.weigh(&im.terms);
            if let Some(s) = self.pair_signals.get_mut(&im.article) {
                s.vector = new.clone();
            }
            let neg: Vector = im.vector.iter().map(|&(t, x)| (t, -x)).collect();
            let mut new_terms = Vec::new();
            let c = &mut self.events[e as usize].centroid;
            c.add(&neg, &mut new_terms);
            c.add(&new, &mut new_terms);
            c.drop_zeros();
            for t in new_terms {
                self.event_postings.entry(t).or_default().push(e);
            }
        }
    }

    /// Average-link score of two events for [`Clusterer::settle`]: 0 when their ordinals
    /// name different occurrences.
    fn settle_score(&self, x: u32, y: u32) -> f32 {
        let (ex, ey) = (&self.events[x as usize], &self.events[y as usize]);
        if ordinal_conflict(&ex.ordinals, &ey.ordinals) {
            return 0.0;
        }
        let happening = happening_between(ex, ey);
        let pairs = (ex.size() * ey.size()) as f32;
        ex.centroid.dot(&ey.centroid) / pairs * self.publication_factor(ex, ey) * happening
    }

    /// Events published a month apart or more report different happenings; dates read from
    /// the text (without a publication date to anchor them) and the years an undated article
    /// mentions are too loose to keep halves of one event apart.
    fn publication_factor(&self, ex: &EventState, ey: &EventState) -> f32 {
        match ex.published.gap_range(ey.published) {
            Some(g) if g > self.cfg.window_days => {
                (-((g - self.cfg.window_days) as f32) / self.cfg.date_decay_days).exp()
            }
            _ => 1.0,
        }
    }

    /// The pairwise model's score of two events for [`Clusterer::settle`]: the mean
    /// probability over pairs of this batch's articles of each (the latest
    /// [`PAIR_MEMBERS`]), times the publication factor; 0 when either took no article in
    /// this batch, when their ordinals conflict, or when their average cosine is below
    /// [`pair::PAIR_FLOOR`] (the model never saw such pairs; it also spares the work).
    fn pair_score(&self, x: u32, y: u32) -> f32 {
        let (ex, ey) = (&self.events[x as usize], &self.events[y as usize]);
        if ordinal_conflict(&ex.ordinals, &ey.ordinals) {
            return 0.0;
        }
        let pairs = (ex.size() * ey.size()) as f32;
        if ex.centroid.dot(&ey.centroid) / pairs < pair::PAIR_FLOOR {
            return 0.0;
        }
        let (sx, sy) = (self.batch_signals(ex), self.batch_signals(ey));
        if sx.is_empty() || sy.is_empty() {
            return 0.0;
        }
        let sum: f32 = (sx.iter())
            .map(|a| sy.iter().map(|b| pair::probability(a, b)).sum::<f32>())
            .sum();
        sum / (sx.len() * sy.len()) as f32
            * self.publication_factor(ex, ey)
            * happening_between(ex, ey)
    }

    /// The pairwise signals of an event's latest members added in this batch.
    fn batch_signals(&self, ev: &EventState) -> Vec<&pair::Signals> {
        (ev.members.iter().rev())
            .filter_map(|m| self.pair_signals.get(m))
            .take(PAIR_MEMBERS)
            .collect()
    }

    /// Re-adds a stored article to the event (and thread) it was assigned before, without any
    /// search: rebuilding the state of a store costs feature extraction only.
    pub fn restore(&mut self, a: &Article, event_id: &str, thread_id: &str) {
        let f = features::extract(a, &self.annotator, &self.cfg.weights);
        let v = self.vectorise(a, &f);
        let tv = self.title_vector(&f);
        self.tick(f.day);
        let e = match self.event_by_id.get(event_id) {
            Some(&e) => self.live_event(e),
            None => {
                let t = match self.thread_by_id.get(thread_id) {
                    Some(&t) => self.live_thread(t),
                    None => self.new_thread(Some(thread_id.to_string())),
                };
                self.new_event(a, t, Some(event_id.to_string()))
            }
        };
        self.join(e, a, &v, &tv, f);
    }

    /// The features and the vector of each article of a batch, weighed by document
    /// frequencies over the whole batch (diagnostics and training).
    pub(crate) fn vectors_of(&mut self, articles: &[Article]) -> Vec<(Features, Vector)> {
        let fs: Vec<Features> = articles
            .iter()
            .map(|a| features::extract(a, &self.annotator, &self.cfg.weights))
            .collect();
        for (a, f) in articles.iter().zip(&fs) {
            if a.duplicate_of.is_none() {
                self.docs += 1;
                for &(t, _) in &f.terms {
                    self.df.add(t);
                }
            }
        }
        // Mark every origin as seen so `vectorise` does not count it again.
        for a in articles {
            self.origin_event.insert(a.origin.clone(), 0);
        }
        let out = articles
            .iter()
            .zip(fs)
            .map(|(a, f)| {
                let v = self.vectorise(a, &f);
                (f, v)
            })
            .collect();
        self.origin_event.clear();
        out
    }

    /// Document frequencies count each origin once (copies are not independent evidence of a
    /// term's spread); the vector is TF-IDF with BM25's IDF, sub-linear TF, cut to the
    /// `max_terms` heaviest terms and normalised.
    fn vectorise(&mut self, a: &Article, f: &Features) -> Vector {
        if !self.origin_event.contains_key(&a.origin) {
            self.docs += 1;
            for &(t, _) in &f.terms {
                self.df.add(t);
            }
        }
        self.weigh(&f.terms)
    }

    /// The TF-IDF unit vector of raw terms under the present document frequencies.
    fn weigh(&self, terms: &[(u64, f32)]) -> Vector {
        let mut v: Vector = terms
            .iter()
            .map(|&(t, tf)| (t, (1.0 + tf).ln() * self.idf(t)))
            .collect();
        if v.len() > self.cfg.max_terms {
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
            v.truncate(self.cfg.max_terms);
            v.sort_unstable_by_key(|x| x.0);
        }
        unit(&mut v);
        v
    }

    /// BM25's IDF of term `t` over the origins seen so far, raised to `idf_power`.
    fn idf(&self, t: u64) -> f32 {
        let (n, df) = (self.docs as f32, self.df.get(t) as f32);
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        if self.cfg.idf_power == 1.0 {
            idf
        } else {
            idf.powf(self.cfg.idf_power)
        }
    }

    /// The title's TF-IDF unit vector (document frequencies of the whole articles).
    fn title_vector(&self, f: &Features) -> Vector {
        if self.cfg.title_share <= 0.0 {
            return Vector::new();
        }
        let mut v: Vector = f
            .title_terms
            .iter()
            .map(|&(t, tf)| (t, tf * self.idf(t)))
            .collect();
        unit(&mut v);
        v
    }

    /// Advances the clock and closes events and threads that fell out of the window.
    fn tick(&mut self, day: Option<i32>) {
        self.adds += 1;
        if let Some(d) = day
            && self.latest_day.is_none_or(|l| d > l)
        {
            self.latest_day = Some(d);
        }
        if self.adds.is_multiple_of(1024) {
            self.expire();
        }
    }

    fn expire(&mut self) {
        let cfg = &self.cfg;
        let now = self.latest_day;
        let adds = self.adds;
        let stale = |range: Range, last_add: u64, window: i32| -> bool {
            match (range.0, now) {
                (Some((_, hi)), Some(now)) => now - hi > window,
                _ => adds.saturating_sub(last_add) > cfg.undated_window as u64,
            }
        };
        for e in self.events.iter_mut().filter(|e| e.open) {
            if e.merged_into.is_some() || stale(e.range, e.last_add, cfg.window_days) {
                e.open = false;
                e.centroid = Centroid::default();
                e.titles = Centroid::default();
            }
        }
        for t in self.threads.iter_mut().filter(|t| t.open) {
            if t.merged_into.is_some() || stale(t.range, t.last_add, cfg.thread_window_days) {
                t.open = false;
                t.centroid = Centroid::default();
            }
        }
        self.sweep_postings();
    }

    /// Drops postings of closed and merged events and threads, and name keys of windows
    /// before the previous one (a batch adds dated articles in date order: no later article
    /// queries them).
    fn sweep_postings(&mut self) {
        if let Some(now) = self.latest_day {
            let first = now.div_euclid(blocking::WINDOW_DAYS) - 1;
            self.name_postings
                .retain(|&k, _| blocking::window_of(k) >= first);
        }
        let events = &self.events;
        self.event_postings.retain(|_, p| {
            p.retain(|&e| events[e as usize].open);
            !p.is_empty()
        });
        let threads = &self.threads;
        self.thread_postings.retain(|_, p| {
            p.retain(|&t| threads[t as usize].open);
            !p.is_empty()
        });
    }

    pub(crate) fn live_event(&self, mut e: u32) -> u32 {
        while let Some(n) = self.events[e as usize].merged_into {
            e = n;
        }
        e
    }

    pub(crate) fn live_thread(&self, mut t: u32) -> u32 {
        while let Some(n) = self.threads[t as usize].merged_into {
            t = n;
        }
        t
    }

    /// Open events (or threads) sharing the vector's heaviest terms: postings of the
    /// `candidate_terms` heaviest terms (the most recent `postings_cap` of each) give each
    /// event a pre-score, the sum of the shared terms' weights; the `max_candidates` best go on
    /// to full scoring.
    fn candidates(&mut self, v: &[(u64, f32)], threads: bool) -> Vec<u32> {
        self.stamp += 1;
        let stamp = self.stamp;
        let mut top: Vec<(u64, f32)> = v.to_vec();
        top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(self.cfg.candidate_terms);
        let mut out: Vec<(f32, u32)> = Vec::new();
        let mut slot: FxHashMap<u32, usize> = FxHashMap::default();
        for (t, w) in top {
            let postings = if threads {
                &self.thread_postings
            } else {
                &self.event_postings
            };
            let Some(p) = postings.get(&t) else { continue };
            for &x in p.iter().rev().take(self.cfg.postings_cap) {
                let (x, open, seen) = if threads {
                    let x = self.live_thread(x);
                    let th = &mut self.threads[x as usize];
                    let seen = th.stamp == stamp;
                    th.stamp = stamp;
                    (x, th.open, seen)
                } else {
                    let x = self.live_event(x);
                    let ev = &mut self.events[x as usize];
                    let seen = ev.stamp == stamp;
                    ev.stamp = stamp;
                    (x, ev.open, seen)
                };
                if !open {
                    continue;
                }
                if seen {
                    if let Some(&k) = slot.get(&x) {
                        out[k].0 += w;
                    }
                } else {
                    slot.insert(x, out.len());
                    out.push((w, x));
                }
            }
        }
        if out.len() > self.cfg.max_candidates {
            out.select_nth_unstable_by(self.cfg.max_candidates - 1, |a, b| {
                b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
            });
            out.truncate(self.cfg.max_candidates);
        }
        out.into_iter().map(|x| x.1).collect()
    }

    /// Open events of the latest articles sharing a name key with the article (its names in
    /// its window and the previous one, the last [`blocking::KEY_CAP`] posts of each): the
    /// [`blocking::KEY_CANDIDATES`] with the most shared posts (ties to the older event).
    fn name_candidates(&self, id: &str, keys: Option<&EventKeys>) -> Vec<u32> {
        let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
        if let Some(given) = &self.given {
            for (other, n) in given.get(id).into_iter().flatten() {
                if let Some(&i) = self.article_at.get(other) {
                    let e = self.live_event(self.articles[i as usize].event);
                    *shared.entry(e).or_default() += n;
                }
            }
        } else if let Some(k) = keys {
            for q in &k.query {
                let Some(p) = self.name_postings.get(q) else {
                    continue;
                };
                for &e in p.iter().rev().take(blocking::KEY_CAP) {
                    if e != u32::MAX {
                        *shared.entry(self.live_event(e)).or_default() += 1;
                    }
                }
            }
        }
        let mut found: Vec<(u32, u32)> = (shared.into_iter())
            .filter(|&(e, _)| self.events[e as usize].open)
            .collect();
        found.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        (found.into_iter())
            .take(blocking::KEY_CANDIDATES)
            .map(|x| x.0)
            .collect()
    }

    /// Records that an article of event `e` posts its name keys.
    fn post_names(&mut self, keys: &EventKeys, e: u32) {
        if self.given.is_some() {
            return;
        }
        for &k in &keys.post {
            let p = self.name_postings.entry(k).or_default();
            p.push(e);
            if p.len() > 2 * blocking::KEY_CAP {
                p.drain(..p.len() - blocking::KEY_CAP);
            }
        }
    }

    /// Takes event candidates by name from a shuffle instead of this clusterer's own index
    /// (the same candidates: see [`blocking`]). `given` lists every article of the batch that
    /// has keys, each with the earlier articles it shares posts with.
    pub fn give_candidates(&mut self, given: std::sync::Arc<Given>) {
        self.given = Some(given);
    }

    /// Date factor: 1 within `slack` days of the event's range, then decaying.
    fn date_factor(&self, gap: Option<i32>) -> f32 {
        match gap {
            Some(g) if g > self.cfg.date_slack_days => {
                (-((g - self.cfg.date_slack_days) as f32) / self.cfg.date_decay_days).exp()
            }
            _ => 1.0,
        }
    }

    fn event_score(&self, e: u32, v: &[(u64, f32)], tv: &[(u64, f32)], f: &Features) -> f32 {
        let ev = &self.events[e as usize];
        if ordinal_conflict(&ev.ordinals, &f.ordinals) {
            return 0.0;
        }
        // Another kind of happening weighs against joining without forbidding it: headlines
        // of one event do not always name it with the same verb.
        let happening = if happening_conflict(&ev.happenings, f.happening) {
            HAPPENING_PENALTY
        } else {
            1.0
        };
        let time = match ev.range.gap(f.day) {
            Some(g) => self.date_factor(Some(g)),
            None => self.year_factor(ev.years.gap(f.year_estimate())),
        };
        let text = if tv.is_empty() || ev.titles.norm2 <= 0.0 {
            ev.centroid.cos(v)
        } else {
            let b = self.cfg.title_share;
            (1.0 - b) * ev.centroid.cos(v) + b * ev.titles.cos(tv)
        };
        text * time * happening
    }

    /// Year factor, used when one side has no day: 1 within `year_slack` years, then
    /// dividing by e per further year.
    fn year_factor(&self, gap: Option<i32>) -> f32 {
        match gap {
            Some(g) if g > self.cfg.year_slack => (-((g - self.cfg.year_slack) as f32)).exp(),
            _ => 1.0,
        }
    }

    /// Chooses the event for a new origin: the best open event scoring at least the
    /// threshold, else a new one. Other events that also pass and resemble the chosen one as
    /// much are merged into the older of the two (so that an article bridging two halves of
    /// one event repairs an earlier split).
    fn assign(
        &mut self,
        v: &[(u64, f32)],
        tv: &[(u64, f32)],
        f: &Features,
        a: &Article,
        keys: Option<&EventKeys>,
    ) -> u32 {
        let mut cands = self.candidates(v, false);
        for e in self.name_candidates(&a.id, keys) {
            if !cands.contains(&e) {
                cands.push(e);
            }
        }
        let mut scored: Vec<(f32, u32)> = cands
            .into_iter()
            .map(|e| (self.event_score(e, v, tv, f), e))
            .filter(|s| s.0 >= self.cfg.merge_floor * self.cfg.event_threshold)
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(self.cfg.merge_candidates + 1);
        let Some(&(best_score, best)) = scored.first() else {
            let t = self.assign_thread(v, f);
            return self.new_event(a, t, None);
        };
        if best_score < self.cfg.event_threshold {
            let t = self.assign_thread(v, f);
            return self.new_event(a, t, None);
        }
        self.pending_merge = scored[1..].iter().map(|x| x.1).collect();
        best
    }

    /// After `e` took a new article: merges into it the near candidates whose centroid now
    /// resembles its centroid (an article bridging two halves of one event repairs an earlier
    /// split); the younger event is merged into the older.
    fn merge_pending(&mut self, e: u32) -> u32 {
        let mut keep = e;
        for other in std::mem::take(&mut self.pending_merge) {
            let (x, y) = (self.live_event(keep), self.live_event(other));
            if x == y || !self.events[y as usize].open {
                continue;
            }
            let (ex, ey) = (&self.events[x as usize], &self.events[y as usize]);
            if ordinal_conflict(&ex.ordinals, &ey.ordinals) {
                continue;
            }
            let happening = happening_between(ex, ey);
            let time = match ex.range.gap_range(ey.range) {
                Some(g) => self.date_factor(Some(g)),
                None => self.year_factor(ex.years.gap_range(ey.years)),
            };
            let s = ex.centroid.cos_centroid(&ey.centroid) * time * happening;
            if s >= self.cfg.merge_threshold {
                keep = self.merge_events(x, y);
            }
        }
        self.live_event(keep)
    }

    fn assign_thread(&mut self, v: &[(u64, f32)], f: &Features) -> u32 {
        let cands = self.candidates(v, true);
        let mut best: Option<(f32, u32)> = None;
        for t in cands {
            let th = &self.threads[t as usize];
            if th
                .range
                .gap(f.day)
                .is_some_and(|g| g > self.cfg.thread_window_days)
            {
                continue;
            }
            let s = th.centroid.cos(v);
            if s >= self.cfg.thread_threshold && best.is_none_or(|b| s > b.0) {
                best = Some((s, t));
            }
        }
        match best {
            Some((_, t)) => t,
            None => self.new_thread(None),
        }
    }

    fn new_thread(&mut self, id: Option<String>) -> u32 {
        let i = self.threads.len() as u32;
        // The id is fixed when the first event is attached (see `new_event`).
        let id = id.unwrap_or_default();
        if !id.is_empty() {
            self.thread_by_id.insert(id.clone(), i);
        }
        self.threads
            .push(ThreadState::empty(id, self.adds, self.thread_seq));
        self.thread_seq += 1;
        i
    }

    fn new_event(&mut self, a: &Article, thread: u32, id: Option<String>) -> u32 {
        let i = self.events.len() as u32;
        let id = id.unwrap_or_else(|| model::content_id(format!("event:{}", a.id).as_bytes()));
        self.event_by_id.insert(id.clone(), i);
        let th = &mut self.threads[thread as usize];
        if th.id.is_empty() {
            th.id = model::content_id(format!("thread:{id}").as_bytes());
            self.thread_by_id.insert(th.id.clone(), thread);
        }
        th.events.push(i);
        th.changed = true;
        self.events
            .push(EventState::empty(id, thread, self.adds, self.event_seq));
        self.event_seq += 1;
        i
    }

    fn join(&mut self, e: u32, a: &Article, v: &[(u64, f32)], tv: &[(u64, f32)], f: Features) {
        let idx = self.articles.len() as u32;
        let mut new_terms = Vec::new();
        let ev = &mut self.events[e as usize];
        ev.members.push(idx);
        ev.changed = true;
        let published = a
            .published
            .as_deref()
            .and_then(features::parse_day)
            .map(features::day_of);
        if let Some(l) = label_for(a, published).filter(|l| l.beats(ev.label.as_ref())) {
            ev.label = Some(l);
        }
        ev.centroid.add(v, &mut new_terms);
        ev.centroid.prune(self.cfg.centroid_terms);
        ev.titles.add(tv, &mut Vec::new());
        ev.titles.prune(self.cfg.centroid_terms);
        ev.range.add(f.day);
        ev.published.add(
            f.evidence
                .iter()
                .find(|e| {
                    matches!(
                        e.source,
                        features::Source::Published | features::Source::Dateline
                    )
                })
                .map(|e| e.day),
        );
        ev.years.add(f.year_estimate());
        ev.last_add = self.adds;
        ev.open = true;
        for &(s, n) in &f.ordinals {
            if !ev.ordinals.iter().any(|(t, m)| t == s && *m == n) {
                ev.ordinals.push((s.to_string(), n));
            }
        }
        if let Some(h) = f.happening
            && !ev.happenings.iter().any(|x| x == h)
        {
            ev.happenings.push(h.to_string());
        }
        let ev_thread = ev.thread;
        let thread = self.live_thread(ev_thread);
        for t in new_terms.drain(..) {
            self.event_postings.entry(t).or_default().push(e);
        }
        let th = &mut self.threads[thread as usize];
        th.centroid.add(v, &mut new_terms);
        th.centroid.prune(self.cfg.centroid_terms);
        th.range.add(f.day);
        th.last_add = self.adds;
        th.open = true;
        th.changed = true;
        for t in new_terms {
            self.thread_postings.entry(t).or_default().push(thread);
        }
        self.origin_event.entry(a.origin.clone()).or_insert(e);
        if self.given.is_some() {
            self.article_at
                .insert(a.id.clone(), self.articles.len() as u32);
        }
        self.articles.push(ArticleRec {
            id: a.id.clone(),
            origin: a.origin.clone(),
            event: e,
            evidence: f.evidence,
            published,
        });
    }

    /// Merges the younger of two events into the older (the lesser index: events sit in
    /// opening order); their threads merge too.
    fn merge_events(&mut self, x: u32, y: u32) -> u32 {
        let (keep, gone) = if x < y { (x, y) } else { (y, x) };
        let g = &mut self.events[gone as usize];
        // The stub keeps what the run reports of a merged event: its id, age and origin.
        let stub = EventState {
            merged_into: Some(keep),
            open: false,
            fresh: g.fresh,
            ..EventState::empty(g.id.clone(), 0, 0, g.seq)
        };
        let g = std::mem::replace(g, stub);
        self.event_by_id.insert(g.id.clone(), keep);
        for &m in &g.members {
            self.articles[m as usize].event = keep;
        }
        let mut new_terms = Vec::new();
        let k = &mut self.events[keep as usize];
        k.changed = true;
        k.members.extend(&g.members);
        k.stored += g.stored;
        k.centroid.add_centroid(&g.centroid, &mut new_terms);
        k.centroid.prune(self.cfg.centroid_terms);
        k.titles.add_centroid(&g.titles, &mut Vec::new());
        k.range.union(g.range);
        k.published.union(g.published);
        k.years.union(g.years);
        k.last_add = k.last_add.max(g.last_add);
        if let Some(l) = g.label.filter(|l| l.beats(k.label.as_ref())) {
            k.label = Some(l);
        }
        for o in g.ordinals {
            if !k.ordinals.contains(&o) {
                k.ordinals.push(o);
            }
        }
        for h in g.happenings {
            if !k.happenings.contains(&h) {
                k.happenings.push(h);
            }
        }
        let k_thread = k.thread;
        let kt = self.live_thread(k_thread);
        for t in new_terms {
            self.event_postings.entry(t).or_default().push(keep);
        }
        let gt = self.live_thread(g.thread);
        let th = &mut self.threads[gt as usize];
        th.events.retain(|&e| e != gone);
        th.changed = true;
        if kt != gt {
            self.merge_threads(kt, gt);
        }
        keep
    }

    fn merge_threads(&mut self, x: u32, y: u32) {
        let (keep, gone) = if x < y { (x, y) } else { (y, x) };
        let g = &mut self.threads[gone as usize];
        let stub = ThreadState {
            merged_into: Some(keep),
            open: false,
            fresh: g.fresh,
            ..ThreadState::empty(g.id.clone(), 0, g.seq)
        };
        let g = std::mem::replace(g, stub);
        self.thread_by_id.insert(g.id.clone(), keep);
        for &e in &g.events {
            let ev = &mut self.events[e as usize];
            ev.thread = keep;
            ev.changed = true;
        }
        let mut new_terms = Vec::new();
        let k = &mut self.threads[keep as usize];
        k.changed = true;
        k.events.extend(&g.events);
        k.centroid.add_centroid(&g.centroid, &mut new_terms);
        k.centroid.prune(self.cfg.centroid_terms);
        k.range.union(g.range);
        for t in new_terms {
            self.thread_postings.entry(t).or_default().push(keep);
        }
    }

    /// Events still open to new articles (inside the window).
    pub fn open_events(&self) -> usize {
        self.events.iter().filter(|e| e.open).count()
    }

    /// Threads still open to new events (inside the thread window).
    pub fn open_threads(&self) -> usize {
        self.threads.iter().filter(|t| t.open).count()
    }

    /// Approximate heap bytes of the matching state: open centroids and postings.
    pub fn matching_bytes(&self) -> usize {
        let c = Centroid::bytes;
        let ev: usize = self
            .events
            .iter()
            .map(|e| c(&e.centroid) + c(&e.titles))
            .sum();
        let th: usize = self.threads.iter().map(|t| c(&t.centroid)).sum();
        let p = |m: &FxHashMap<u64, Vec<u32>>| -> usize {
            m.values().map(|v| v.capacity() * 4 + 32).sum::<usize>() + m.capacity() * 8
        };
        ev + th + p(&self.event_postings) + p(&self.thread_postings)
    }
}

/// The factor on an event score when the headlines name different kinds of happening.
const HAPPENING_PENALTY: f32 = 0.5;

/// The happening factor between two events: the penalty when a headline of one names a kind
/// of happening that none of the other's can.
fn happening_between(ex: &EventState, ey: &EventState) -> f32 {
    if ey
        .happenings
        .iter()
        .any(|h| happening_conflict(&ex.happenings, Some(h.as_str())))
    {
        HAPPENING_PENALTY
    } else {
        1.0
    }
}

/// An article whose headline names a kind of happening that none of the event's headlines
/// can name ("sends a message" vs "meets", "will not surrender" vs "receives a body") reports
/// another event, however much it shares in names and words.
fn happening_conflict(event: &[String], article: Option<&str>) -> bool {
    match article {
        Some(h) => !event.is_empty() && !event.iter().any(|e| lang::lexicon::same_happening(e, h)),
        None => false,
    }
}

/// Two events that state different ordinals of the same series ("first meeting", "second
/// visit") are different occurrences.
fn ordinal_conflict<A: AsRef<str>, B: AsRef<str>>(a: &[(A, u32)], b: &[(B, u32)]) -> bool {
    a.iter().any(|(s, n)| {
        let s = s.as_ref();
        b.iter().any(|(t, _)| t.as_ref() == s) && !b.iter().any(|(t, m)| t.as_ref() == s && m == n)
    })
}

/// A one-line label: the title, else the first sentence of the text (cut at 120 characters).
fn label_of(a: &Article) -> Option<String> {
    if let Some(t) = a.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return Some(t.to_string());
    }
    let text = a.text.trim();
    if text.is_empty() {
        return None;
    }
    let end = text
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?' | '\n') && i > 20)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let s = &text[..end];
    Some(if s.chars().count() > 120 {
        let cut: String = s.chars().take(119).collect();
        format!("{}…", cut.trim_end())
    } else {
        s.to_string()
    })
}

/// Scales `v` to unit length (a zero vector stays zero).
fn unit(v: &mut Vector) {
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| x.1 /= norm);
    }
}

/// An `f32` ordered for a heap of scores (scores are finite).
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF32(f32);

impl Eq for OrdF32 {}

impl PartialOrd for OrdF32 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for OrdF32 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}
