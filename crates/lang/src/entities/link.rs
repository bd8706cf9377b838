//! Linking a batch against stored records, phase by phase (the rules are in the module doc of
//! [`super`]).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use model::{EntityKind, Mention};
use ner::gazetteer::Gazetteer;

use super::record::{Counted, EntityRecord, Growing};
use super::*;

/// One article's text and layers, as linking needs them.
pub struct ArticleView<'a> {
    pub text: &'a str,
    pub layers: &'a Layers,
}

/// Links the raw mentions of a batch of articles into entities, against `known`: the stored
/// records found under the batch's lookup keys (none for a run without a store). Returns every
/// record the batch touched (new ones, and known ones grown by its mentions), in the order of
/// their first mention (a known record reached only through a new group of its id last), and,
/// per article, its mentions.
pub fn link(
    articles: &[ArticleView<'_>],
    known: Vec<EntityRecord>,
) -> (Vec<EntityRecord>, Vec<Vec<Mention>>) {
    let known = Known::new(known);
    let mut all = kept_mentions(articles, &vocabulary(articles));
    type_surnames(&mut all);
    vote_kinds(&mut all, &known);
    let mut g = Graph::new(&all, known.records.len());
    join_people(&mut g, &known);
    join_stated_aliases(&mut g, articles, &all);
    join_name_prefixes(&mut g, &all);
    join_known(&mut g, &known);
    let slots = node_slots(&mut g, &known);
    let people = People::new(articles, &all, &g, &slots, &known);
    let targets = short_targets(articles, &all, &people, &mut g, &known);
    assemble(articles, &all, &g, &slots, &targets, known)
}

/// A kept mention.
struct M {
    art: usize,
    idx: usize,
    key: String,
    surface: String,
    /// The kind the recogniser gave it (after the surname rule): its majority vote.
    voted: EntityKind,
    /// Its kind after the majority vote.
    kind: EntityKind,
}

/// The stored records given to a batch, with their name keys.
struct Known {
    records: Vec<EntityRecord>,
    /// Per record, the name key of each name.
    keys: Vec<Vec<String>>,
}

impl Known {
    fn new(mut records: Vec<EntityRecord>) -> Known {
        // A record given twice would count twice.
        let mut seen = HashSet::new();
        records.retain(|r| seen.insert(r.entity.id.clone()));
        let keys = (records.iter())
            .map(|r| r.names.iter().map(|n| name_key(&n.name)).collect())
            .collect();
        Known { records, keys }
    }

    /// Every name of every record: record, name, name key.
    fn names(&self) -> impl Iterator<Item = (usize, &NameCount, &str)> {
        (self.records.iter().zip(&self.keys).enumerate()).flat_map(|(r, (rec, keys))| {
            (rec.names.iter().zip(keys)).map(move |(n, k)| (r, n, k.as_str()))
        })
    }

    /// Of two records, the one a group reaching both goes to: the most mentioned, then the
    /// smaller id (any fixed order would keep runs deterministic; this one favours the
    /// established entity).
    fn preferred(&self, a: usize, b: usize) -> usize {
        let (ea, eb) = (&self.records[a].entity, &self.records[b].entity);
        let a_first = (Reverse(ea.mentions), &ea.id) <= (Reverse(eb.mentions), &eb.id);
        if a_first { a } else { b }
    }
}

/// The batch's own vocabulary, for the batch-local filters of rule 1.
struct Vocabulary {
    /// Name keys of mentions in body prose.
    body_keys: HashSet<String>,
    /// Words written in lower case.
    lower_words: HashSet<String>,
    /// Words (lower-cased) capitalised mid-sentence in body prose.
    mid_caps: HashSet<String>,
}

fn vocabulary(articles: &[ArticleView<'_>]) -> Vocabulary {
    let mut v = Vocabulary {
        body_keys: HashSet::new(),
        lower_words: HashSet::new(),
        mid_caps: HashSet::new(),
    };
    for a in articles {
        let l = a.layers;
        for s in &l.sentences {
            for (n, k) in s.tokens.clone().enumerate() {
                let w = l.tokens[k].text(a.text);
                let first = w.chars().next().unwrap_or(' ');
                if first.is_lowercase() {
                    v.lower_words.insert(w.to_string());
                } else if first.is_uppercase()
                    && n > 0
                    && !l.heading_paragraphs.contains(&s.paragraph)
                {
                    v.mid_caps.insert(w.to_lowercase());
                }
            }
        }
        for m in l.raw_mentions.iter().filter(|m| !m.in_heading) {
            v.body_keys.insert(name_key(&a.text[m.start..m.end]));
        }
    }
    v
}

/// Rule 1: the mentions that are names, article by article.
fn kept_mentions(articles: &[ArticleView<'_>], v: &Vocabulary) -> Vec<M> {
    let gaz = Gazetteer::global();
    let mut all = Vec::new();
    for (ai, a) in articles.iter().enumerate() {
        for (mi, m) in a.layers.raw_mentions.iter().enumerate() {
            let surface = a.text[m.start..m.end].to_string();
            let key = name_key(&surface);
            let words: Vec<&str> = surface.split_whitespace().collect();
            let in_gaz = !gaz.lookup(&words).is_empty();
            if m.in_heading && !v.body_keys.contains(&key) && !in_gaz {
                continue;
            }
            if m.sentence_initial && words.len() == 1 {
                let lower = words[0].to_lowercase();
                let common = v.lower_words.contains(&lower) && !v.mid_caps.contains(&lower);
                if common && !in_gaz {
                    continue;
                }
            }
            all.push(M {
                art: ai,
                idx: mi,
                key,
                surface,
                voted: m.kind,
                kind: m.kind,
            });
        }
    }
    all
}

/// A surname of a full-name person in the same article is that person, whatever kind the
/// recogniser gave it ("al-Assad" tagged MISC next to "Bashar al-Assad").
fn type_surnames(all: &mut [M]) {
    let mut surnames_in_art: HashSet<(usize, String)> = HashSet::new();
    for m in all.iter() {
        if m.kind == EntityKind::Person && is_full_name(&m.key) {
            surnames_in_art.insert((m.art, surname(&m.key).to_string()));
            surnames_in_art.insert((m.art, m.key.rsplit(' ').next().unwrap_or("").to_string()));
        }
    }
    for m in all.iter_mut() {
        if m.kind != EntityKind::Person
            && !m.key.contains(' ')
            && surnames_in_art.contains(&(m.art, m.key.clone()))
        {
            m.kind = EntityKind::Person;
        }
        m.voted = m.kind;
    }
}

/// Rule 2: each name key takes its majority kind over the batch's votes and the stored ones.
fn vote_kinds(all: &mut [M], known: &Known) {
    let mut votes: HashMap<&str, [usize; 4]> = HashMap::new();
    for m in all.iter() {
        votes.entry(m.key.as_str()).or_default()[m.voted as usize] += 1;
    }
    for (_, n, key) in known.names() {
        if let Some(v) = votes.get_mut(key) {
            for (v, w) in v.iter_mut().zip(n.votes) {
                *v += w;
            }
        }
    }
    const KINDS: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Place,
        EntityKind::Misc,
    ];
    let kind_of: HashMap<String, EntityKind> = votes
        .iter()
        .map(|(k, v)| {
            let best = (0..4).max_by_key(|&i| (v[i], 3 - i)).unwrap_or(0);
            (k.to_string(), KINDS[best])
        })
        .collect();
    for m in all.iter_mut() {
        m.kind = kind_of[&m.key];
    }
}

/// The link graph: one node per distinct (kind, name key) of the batch, then one per known
/// record; names linked by rules 3 and 4 (and to the records) are one set.
struct Graph {
    node_keys: Vec<(EntityKind, String)>,
    node_of: HashMap<(EntityKind, String), usize>,
    mention_node: Vec<usize>,
    dsu: Dsu,
    /// Nodes stated as another name of something (rule 4), in this batch or a stored record.
    alias_nodes: HashSet<usize>,
}

impl Graph {
    fn new(all: &[M], known: usize) -> Graph {
        let mut node_of: HashMap<(EntityKind, String), usize> = HashMap::new();
        let mut node_keys: Vec<(EntityKind, String)> = Vec::new();
        let mut mention_node = Vec::with_capacity(all.len());
        for m in all {
            let k = (m.kind, m.key.clone());
            let n = *node_of.entry(k.clone()).or_insert_with(|| {
                node_keys.push(k);
                node_keys.len() - 1
            });
            mention_node.push(n);
        }
        let dsu = Dsu((0..node_keys.len() + known).collect());
        Graph {
            node_keys,
            node_of,
            mention_node,
            dsu,
            alias_nodes: HashSet::new(),
        }
    }

    /// The graph node of known record `r`.
    fn record_node(&self, r: usize) -> usize {
        self.node_keys.len() + r
    }
}

/// Rule 3: full person names with the same surname and first name are one set; a batch
/// name that is the same person as a record's full name joins the record (two records are
/// never joined directly).
fn join_people(g: &mut Graph, known: &Known) {
    /// A full person name: a batch node, or a name of a known record.
    #[derive(Clone, Copy)]
    enum Named {
        Batch(usize),
        Stored(usize),
    }
    let mut by_surname: HashMap<&str, Vec<(Named, &str)>> = HashMap::new();
    for (n, (kind, key)) in g.node_keys.iter().enumerate() {
        if *kind == EntityKind::Person && is_full_name(key) {
            (by_surname.entry(surname(key)).or_default()).push((Named::Batch(n), key));
        }
    }
    for (r, n, key) in known.names() {
        if n.kind == EntityKind::Person && is_full_name(key) {
            // Only surnames the batch names in full matter here.
            if let Some(v) = by_surname.get_mut(surname(key)) {
                v.push((Named::Stored(r), key));
            }
        }
    }
    let mut unions = Vec::new();
    for names in by_surname.values() {
        for (i, &(a, ka)) in names.iter().enumerate() {
            // Stored names come last: each pair has a batch node first, or two records.
            let Named::Batch(a) = a else { break };
            for &(b, kb) in &names[i + 1..] {
                if same_person(ka, kb) {
                    let b = match b {
                        Named::Batch(n) => n,
                        Named::Stored(r) => g.record_node(r),
                    };
                    unions.push((a, b));
                }
            }
        }
    }
    for (a, b) in unions {
        g.dsu.union(a, b);
    }
}

/// Rule 4: names stated as another name of a name before them in the same sentence.
fn join_stated_aliases(g: &mut Graph, articles: &[ArticleView<'_>], all: &[M]) {
    // Mentions are pushed article by article, so each article's mentions are one run of `all`.
    let mut start = 0;
    while start < all.len() {
        let art = all[start].art;
        let end = start + all[start..].iter().take_while(|m| m.art == art).count();
        let a = &articles[art];
        let raw = |i: usize| &a.layers.raw_mentions[all[i].idx];
        for i in start..end {
            let x = raw(i);
            for j in (i + 1..end).take(3) {
                let y = raw(j);
                if y.sentence != x.sentence {
                    break;
                }
                let between = &a.text[x.end..y.start];
                let acronym = is_acronym_link(between);
                let stated = is_alias_link(between)
                    || (acronym && is_acronym_of(&all[j].surface, &all[i].surface));
                if stated && (all[i].kind == all[j].kind || acronym) {
                    let (ni, nj) = (g.mention_node[i], g.mention_node[j]);
                    g.dsu.union(ni, nj);
                    g.alias_nodes.insert(nj);
                }
            }
        }
        start = end;
    }
}

/// A shorter organisation or place name that starts a longer one in the same article is
/// that longer name ("Al-Qassam" / "Al-Qassam Brigades", "Golan" / "Golan Heights"), unless
/// it is an acronym or a known place of its own.
fn join_name_prefixes(g: &mut Graph, all: &[M]) {
    let gaz = Gazetteer::global();
    let org_or_place = |m: &M| matches!(m.kind, EntityKind::Org | EntityKind::Place);
    let mut longer_in_art: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, m) in all.iter().enumerate() {
        if org_or_place(m) && m.key.contains(' ') {
            longer_in_art.entry(m.art).or_default().push(i);
        }
    }
    for (i, m) in all.iter().enumerate() {
        let acronym = (m.surface.chars())
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        if !org_or_place(m) || acronym {
            continue;
        }
        let words: Vec<&str> = m.surface.split_whitespace().collect();
        if !gaz.lookup(&words).is_empty() {
            continue;
        }
        let prefix = format!("{} ", m.key);
        if let Some(&j) = longer_in_art
            .get(&m.art)
            .and_then(|v| v.iter().find(|&&j| all[j].key.starts_with(&prefix)))
        {
            g.dsu.union(g.mention_node[i], g.mention_node[j]);
        }
    }
}

/// Batch names that are names of known records: a name a record owns joins it; a name a
/// record holds as a stated alias is an alias in this batch too.
fn join_known(g: &mut Graph, known: &Known) {
    for (r, n, key) in known.names() {
        let Some(&node) = g.node_of.get(&(n.kind, key.to_string())) else {
            continue;
        };
        if n.owned {
            let rn = g.record_node(r);
            g.dsu.union(node, rn);
        }
        if n.alias {
            g.alias_nodes.insert(node);
        }
    }
}

/// Where the mentions of a graph node go (unless resolved as a lone surname or first name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    /// A known record.
    Known(usize),
    /// The new group of this root node.
    New(usize),
}

/// The slot of each batch node: the record that owns its name; else the record its set
/// reaches (the preferred one when it reaches several: stored identities never merge); else
/// the new group of its set.
fn node_slots(g: &mut Graph, known: &Known) -> Vec<Slot> {
    let mut owner: HashMap<(EntityKind, &str), usize> = HashMap::new();
    for (r, n, key) in known.names().filter(|(_, n, _)| n.owned) {
        owner
            .entry((n.kind, key))
            .and_modify(|o| *o = known.preferred(*o, r))
            .or_insert(r);
    }
    let mut reached: HashMap<usize, usize> = HashMap::new();
    for r in 0..known.records.len() {
        let root = g.dsu.find(g.record_node(r));
        reached
            .entry(root)
            .and_modify(|o| *o = known.preferred(*o, r))
            .or_insert(r);
    }
    (0..g.node_keys.len())
        .map(|n| {
            let (kind, key) = &g.node_keys[n];
            let root = g.dsu.find(n);
            match owner.get(&(*kind, key.as_str())).or(reached.get(&root)) {
                Some(&r) => Slot::Known(r),
                None => Slot::New(root),
            }
        })
        .collect()
}

/// A full-name mention of a person in an article.
struct Full {
    pos: usize,
    slot: Slot,
    /// Introduced as someone's relative ("his mother Leah Goldin"): this naming does not make
    /// the person whom the following lone surnames mean.
    relative: bool,
}

/// Full-name mentions of people (stated aliases excluded), as lone surnames and first names
/// are resolved against them.
struct People {
    /// Per article and surname.
    in_art: HashMap<(usize, String), Vec<Full>>,
    /// Per surname, full-name mentions per person, batch and stored.
    run: HashMap<String, HashMap<Slot, usize>>,
    /// Per article and first name, the people so named in full.
    firsts: HashMap<(usize, String), Vec<Slot>>,
}

impl People {
    fn new(
        articles: &[ArticleView<'_>],
        all: &[M],
        g: &Graph,
        slots: &[Slot],
        known: &Known,
    ) -> People {
        let mut p = People {
            in_art: HashMap::new(),
            run: HashMap::new(),
            firsts: HashMap::new(),
        };
        for (i, m) in all.iter().enumerate() {
            let node = g.mention_node[i];
            if m.kind != EntityKind::Person
                || !is_full_name(&m.key)
                || g.alias_nodes.contains(&node)
            {
                continue;
            }
            let slot = slots[node];
            let s = surname(&m.key).to_string();
            let first = (name_words(&m.key).first())
                .map(|w| w.to_string())
                .unwrap_or_default();
            let pos = articles[m.art].layers.raw_mentions[m.idx].start;
            let relative = super::introduced_as_relative(articles[m.art].text, pos);
            let fulls = p.in_art.entry((m.art, s.clone())).or_default();
            fulls.push(Full {
                pos,
                slot,
                relative,
            });
            *p.run.entry(s).or_default().entry(slot).or_default() += 1;
            let e = p.firsts.entry((m.art, first)).or_default();
            if !e.contains(&slot) {
                e.push(slot);
            }
        }
        for (r, n, key) in known.names() {
            if n.kind == EntityKind::Person && is_full_name(key) && !n.alias {
                let counts = p.run.entry(surname(key).to_string()).or_default();
                *counts.entry(Slot::Known(r)).or_default() += n.mentions;
            }
        }
        p
    }

    /// Full-name mentions of person `slot` with surname `s`, batch and stored.
    fn run_count(&self, s: &str, slot: Slot) -> usize {
        (self.run.get(s))
            .and_then(|c| c.get(&slot))
            .copied()
            .unwrap_or(0)
    }
}

/// Rule 3 for lone names: the person each lone surname or first name of the batch is, or
/// `None` (it then goes where its own name goes).
fn short_targets(
    articles: &[ArticleView<'_>],
    all: &[M],
    people: &People,
    g: &mut Graph,
    known: &Known,
) -> Vec<Option<Slot>> {
    let recency = Recency::new(g, known);
    let mut targets = vec![None; all.len()];
    for (i, m) in all.iter().enumerate() {
        if m.kind != EntityKind::Person || is_full_name(&m.key) {
            continue;
        }
        let s = surname(&m.key);
        let pos = articles[m.art].layers.raw_mentions[m.idx].start;
        let in_art = people.in_art.get(&(m.art, s.to_string()));
        targets[i] = in_art
            .and_then(|fulls| in_article(fulls, pos, |slot| people.run_count(s, slot)))
            .or_else(|| {
                // A first name alone that is the first name of exactly one full-name person in
                // the article (and no surname there).
                (people.firsts.get(&(m.art, m.key.clone())))
                    .filter(|slots| slots.len() == 1 && in_art.is_none())
                    .map(|slots| slots[0])
            })
            .or_else(|| {
                let counts = people.run.get(s)?;
                let best = counts
                    .iter()
                    .max_by_key(|&(&slot, &c)| (c, recency.key(slot)))?;
                Some(*best.0)
            });
    }
    targets
}

/// The person a lone surname at `pos` is among the article's full-name mentions of that
/// surname: the one named most in the article, then in the run (the protagonist of the story),
/// then the one named most recently before it, else first after it. A person the article
/// introduces as someone's relative ("his mother Leah Goldin") is a candidate only when no
/// one else of that surname is named in full there.
fn in_article(fulls: &[Full], pos: usize, run_count: impl Fn(Slot) -> usize) -> Option<Slot> {
    let relatives: HashSet<Slot> = fulls
        .iter()
        .filter(|f| f.relative)
        .map(|f| f.slot)
        .collect();
    let others = fulls.iter().any(|f| !relatives.contains(&f.slot));
    let fulls: Vec<&Full> = (fulls.iter())
        .filter(|f| !others || !relatives.contains(&f.slot))
        .collect();
    let mut counts: HashMap<Slot, usize> = HashMap::new();
    for f in &fulls {
        *counts.entry(f.slot).or_default() += 1;
    }
    let top = *counts.values().max()?;
    let tied: Vec<Slot> = (counts.iter())
        .filter(|(_, c)| **c == top)
        .map(|(r, _)| *r)
        .collect();
    if tied.len() == 1 {
        return Some(tied[0]);
    }
    let top_run = tied.iter().map(|&r| run_count(r)).max().unwrap_or(0);
    let tied: Vec<Slot> = (tied.into_iter())
        .filter(|&r| run_count(r) == top_run)
        .collect();
    if tied.len() == 1 {
        return Some(tied[0]);
    }
    let before = (fulls.iter())
        .filter(|f| f.pos < pos && tied.contains(&f.slot))
        .max_by_key(|f| f.pos);
    let after = (fulls.iter())
        .filter(|f| f.pos > pos && tied.contains(&f.slot))
        .min_by_key(|f| f.pos);
    before.or(after).map(|f| f.slot)
}

/// The tie-break between people equally mentioned in full: the most recent first.
struct Recency<'a> {
    /// The graph root of each record (a batch node when it is linked to a name of the batch).
    record_roots: Vec<usize>,
    batch_nodes: usize,
    known: &'a Known,
}

impl<'a> Recency<'a> {
    fn new(g: &mut Graph, known: &'a Known) -> Recency<'a> {
        let record_roots = (0..known.records.len())
            .map(|r| g.dsu.find(g.record_node(r)))
            .collect();
        Recency {
            record_roots,
            batch_nodes: g.node_keys.len(),
            known,
        }
    }

    /// Greater is preferred: a person linked to a name of this batch, the first named in the
    /// batch (its set's root is its earliest node, as a batch run has it); then, among people
    /// only stored, the most mentioned, then the smaller id.
    fn key(&self, slot: Slot) -> (Option<Reverse<usize>>, usize, Reverse<&'a str>) {
        match slot {
            Slot::New(root) => (Some(Reverse(root)), 0, Reverse("")),
            Slot::Known(r) => {
                let root = self.record_roots[r];
                let e = &self.known.records[r].entity;
                let in_batch = (root < self.batch_nodes).then_some(Reverse(root));
                (in_batch, e.mentions, Reverse(e.id.as_str()))
            }
        }
    }
}

/// Groups the mentions into records (known ones grown, new ones named), and gives each mention
/// its entity.
fn assemble(
    articles: &[ArticleView<'_>],
    all: &[M],
    g: &Graph,
    slots: &[Slot],
    targets: &[Option<Slot>],
    known: Known,
) -> (Vec<EntityRecord>, Vec<Vec<Mention>>) {
    let mut known: Vec<Option<EntityRecord>> = known.records.into_iter().map(Some).collect();
    let mut growing: Vec<Growing> = Vec::new();
    let mut at: HashMap<Slot, usize> = HashMap::new();
    let mut mention_at = Vec::with_capacity(all.len());
    for (i, m) in all.iter().enumerate() {
        let node = g.mention_node[i];
        let slot = targets[i].unwrap_or(slots[node]);
        let k = *at.entry(slot).or_insert_with(|| {
            growing.push(match slot {
                Slot::Known(r) => Growing::stored(known[r].take().expect("each record once")),
                Slot::New(_) => Growing::new(m.kind),
            });
            growing.len() - 1
        });
        let raw = &articles[m.art].layers.raw_mentions[m.idx];
        growing[k].add(&Counted {
            surface: &m.surface,
            key: &m.key,
            kind: m.kind,
            voted: m.voted,
            alias: g.alias_nodes.contains(&node),
            owned: targets[i].is_none(),
            roles: &raw.roles,
        });
        mention_at.push(k);
    }
    let into = name_new(&mut growing, known);
    let records: Vec<EntityRecord> = growing.into_iter().map(Growing::finish).collect();
    // Indices of the records kept, after the absorbed ones are dropped.
    let mut kept = vec![0; into.len()];
    let mut out = Vec::with_capacity(records.len());
    for (k, rec) in records.into_iter().enumerate() {
        if into[k] == k {
            kept[k] = out.len();
            out.push(rec);
        }
    }
    let mut per_article: Vec<Vec<Mention>> = vec![Vec::new(); articles.len()];
    for (m, k) in all.iter().zip(mention_at) {
        let e = &out[kept[into[k]]].entity;
        let raw = &articles[m.art].layers.raw_mentions[m.idx];
        per_article[m.art].push(Mention {
            start: raw.start,
            end: raw.end,
            entity: e.id.clone(),
            kind: e.kind,
        });
    }
    (out, per_article)
}

/// Names the new records, and folds a new record whose id is already taken (by a known record,
/// touched by the batch or not, or by an earlier new record) into the holder of that id.
/// Returns, per record, the record it ends up in (itself when kept); known records the batch
/// reaches this way are appended.
fn name_new(growing: &mut Vec<Growing>, mut known: Vec<Option<EntityRecord>>) -> Vec<usize> {
    let mut holder: HashMap<String, usize> = HashMap::new();
    for (k, gr) in growing.iter().enumerate().filter(|(_, gr)| gr.stored) {
        holder.insert(gr.record.entity.id.clone(), k);
    }
    let untouched: HashMap<String, usize> = (known.iter().enumerate())
        .filter_map(|(r, rec)| Some((rec.as_ref()?.entity.id.clone(), r)))
        .collect();
    let mut into: Vec<usize> = (0..growing.len()).collect();
    for k in 0..growing.len() {
        if growing[k].stored {
            continue;
        }
        growing[k].name_new();
        let id = growing[k].record.entity.id.clone();
        let h = match (holder.get(&id), untouched.get(&id)) {
            (Some(&h), _) => h,
            (None, Some(&r)) => {
                let rec = known[r].take().expect("each record once");
                growing.push(Growing::stored(rec));
                into.push(growing.len() - 1);
                growing.len() - 1
            }
            (None, None) => {
                holder.insert(id, k);
                continue;
            }
        };
        holder.insert(id, h);
        let absorbed = std::mem::replace(&mut growing[k], Growing::new(EntityKind::Misc));
        growing[h].absorb(absorbed.record);
        into[k] = h;
    }
    into
}

pub(super) struct Dsu(pub(super) Vec<usize>);

impl Dsu {
    pub(super) fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }

    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}
