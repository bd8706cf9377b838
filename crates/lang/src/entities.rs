//! Run-wide entities: mentions found by the recogniser are filtered, typed by majority, and
//! linked so that one real-world referent is one [`model::Entity`] with its aliases, roles and
//! mention count.
//!
//! Linking rules, in order:
//! 1. **Filtering.** In a subhead, a mention is kept only when the same name is also a mention
//!    in body prose somewhere in the run (a headline fragment is not). A one-word mention at the
//!    start of a sentence is dropped when the run also writes that word in lower case and never
//!    capitalises it mid-sentence ("Fighters holed up ...").
//! 2. **Kind.** A name tagged with different kinds takes its majority kind.
//! 3. **People.** A full name (two or more words) and another full name with the same surname
//!    and the same first name up to transliteration (same consonant skeleton: Ahmed / Ahmad)
//!    are one person; middle names may be missing. A surname alone ("Putin", "al-Sharaa",
//!    "Sharaa") is the person of that surname most mentioned in the same article, else in the
//!    run. A title at the start of a person span ("President Putin") is cut off into a role.
//! 4. **Stated aliases.** "X, also known as Y", "X, known as Y", "X ... nom de guerre Y",
//!    "X, aka Y" and an acronym in brackets after a name, "Syrian Democratic Forces (SDF)",
//!    make Y another name of X.
//! 5. **Canonical name.** The most frequent longest name among the group's own names (not the
//!    aliases of rule 4); the id is a hash of kind and canonical name, stable across runs.
//!
//! Roles: title words with their modifiers right before a person ("Kremlin spokesperson
//! Dmitry Peskov", "US special envoy Steve Witkoff"), and an appositive that starts with a
//! title word after it ("Saad Maan, head of the security information cell ...,").

use std::collections::HashMap;

use model::{Entity, EntityKind, Mention};
use ner::gazetteer::{GazKind, Gazetteer};

use crate::Layers;

/// A mention before linking.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RawMention {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    /// Token range within the article's tokens.
    pub tokens: std::ops::Range<usize>,
    pub sentence: usize,
    pub sentence_initial: bool,
    pub in_heading: bool,
    /// Role words stated with it.
    pub roles: Vec<String>,
}

/// Lowercase comparison key: apostrophes dropped, dashes unified, spaces collapsed.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            match c {
                '\'' | '’' | '‘' | '`' => {}
                '‐' | '‑' | '–' | '—' => out.push('-'),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Name particles that may prefix a surname ("al-Sharaa" ~ "Sharaa").
fn strip_particle(w: &str) -> &str {
    for p in [
        "al-", "el-", "ad-", "as-", "ash-", "at-", "az-", "ar-", "an-", "bin-", "ibn-",
    ] {
        if let Some(rest) = w.strip_prefix(p)
            && !rest.is_empty()
        {
            return rest;
        }
    }
    w
}

fn is_particle_word(w: &str) -> bool {
    matches!(
        w,
        "al" | "el"
            | "bin"
            | "ibn"
            | "bint"
            | "abu"
            | "van"
            | "von"
            | "de"
            | "der"
            | "den"
            | "da"
            | "di"
            | "du"
            | "la"
            | "le"
            | "del"
            | "dos"
            | "das"
            | "ben"
            | "mac"
    )
}

/// Surname key of a person name key: its last word without particle.
fn surname(key: &str) -> &str {
    strip_particle(key.rsplit(' ').next().unwrap_or(key))
}

/// Name words of a person key, particles dropped.
fn name_words(key: &str) -> Vec<&str> {
    key.split(' ').filter(|w| !is_particle_word(w)).collect()
}

/// Consonant skeleton, so transliterations compare equal (Ahmed / Ahmad, Mohammed / Muhammad).
fn skeleton(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars() {
        if !"aeiouy".contains(c) && c.is_alphabetic() && !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Is this person key a full name (given name + surname)?
fn is_full_name(key: &str) -> bool {
    name_words(key).len() >= 2
}

fn same_person(a: &str, b: &str) -> bool {
    if surname(a) != surname(b) {
        return false;
    }
    let (wa, wb) = (name_words(a), name_words(b));
    match (wa.first(), wb.first()) {
        (Some(x), Some(y)) => {
            x == y
                || skeleton(x) == skeleton(y)
                // An initial: "V. Putin".
                || (x.trim_end_matches('.').len() == 1 && y.starts_with(x.trim_end_matches('.')))
                || (y.trim_end_matches('.').len() == 1 && x.starts_with(y.trim_end_matches('.')))
        }
        _ => false,
    }
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
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
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// One article's text and layers, as linking needs them.
pub struct ArticleView<'a> {
    pub text: &'a str,
    pub layers: &'a Layers,
}

/// Links the raw mentions of all articles into run-wide entities. Returns the entities and,
/// per article, its mentions.
pub fn link(articles: &[ArticleView<'_>]) -> (Vec<Entity>, Vec<Vec<Mention>>) {
    // Surface forms and keys.
    struct M {
        art: usize,
        idx: usize,
        key: String,
        surface: String,
        kind: EntityKind,
    }
    let mut all: Vec<M> = Vec::new();
    let mut body_keys: HashMap<String, usize> = HashMap::new();
    let mut lower_words: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut mid_caps: std::collections::HashSet<String> = std::collections::HashSet::new();
    for a in articles {
        let l = a.layers;
        for s in &l.sentences {
            for (n, k) in s.tokens.clone().enumerate() {
                let w = l.tokens[k].text(a.text);
                let first = w.chars().next().unwrap_or(' ');
                if first.is_lowercase() {
                    lower_words.insert(w.to_string());
                } else if first.is_uppercase()
                    && n > 0
                    && !l.heading_paragraphs.contains(&s.paragraph)
                {
                    mid_caps.insert(w.to_lowercase());
                }
            }
        }
        for m in &l.raw_mentions {
            if !m.in_heading {
                *body_keys
                    .entry(name_key(&a.text[m.start..m.end]))
                    .or_default() += 1;
            }
        }
    }
    let gaz = Gazetteer::global();
    for (ai, a) in articles.iter().enumerate() {
        for (mi, m) in a.layers.raw_mentions.iter().enumerate() {
            let surface = a.text[m.start..m.end].to_string();
            let key = name_key(&surface);
            let words: Vec<&str> = surface.split_whitespace().collect();
            let in_gaz = !gaz.lookup(&words).is_empty();
            if m.in_heading && !body_keys.contains_key(&key) && !in_gaz {
                continue;
            }
            if m.sentence_initial && words.len() == 1 {
                let w = words[0];
                let common = lower_words.contains(&w.to_lowercase());
                if common && !mid_caps.contains(&w.to_lowercase()) && !in_gaz {
                    continue;
                }
            }
            all.push(M {
                art: ai,
                idx: mi,
                key,
                surface,
                kind: m.kind,
            });
        }
    }

    // A surname of a full-name person in the same article is that person, whatever kind the
    // recogniser gave it ("al-Assad" tagged MISC next to "Bashar al-Assad").
    let mut surnames_in_art: std::collections::HashSet<(usize, String)> =
        std::collections::HashSet::new();
    for m in &all {
        if m.kind == EntityKind::Person && is_full_name(&m.key) {
            surnames_in_art.insert((m.art, surname(&m.key).to_string()));
            surnames_in_art.insert((m.art, m.key.rsplit(' ').next().unwrap_or("").to_string()));
        }
    }
    for m in &mut all {
        if m.kind != EntityKind::Person
            && !m.key.contains(' ')
            && surnames_in_art.contains(&(m.art, m.key.clone()))
        {
            m.kind = EntityKind::Person;
        }
    }

    // Majority kind per key.
    let mut votes: HashMap<&str, [usize; 4]> = HashMap::new();
    for m in &all {
        votes.entry(m.key.as_str()).or_default()[m.kind as usize] += 1;
    }
    let kinds = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Place,
        EntityKind::Misc,
    ];
    let kind_of: HashMap<String, EntityKind> = votes
        .iter()
        .map(|(k, v)| {
            let best = (0..4).max_by_key(|&i| (v[i], 3 - i)).unwrap_or(0);
            (k.to_string(), kinds[best])
        })
        .collect();
    for m in &mut all {
        m.kind = kind_of[&m.key];
    }

    // Nodes: distinct (kind, key).
    let mut node_of: HashMap<(EntityKind, String), usize> = HashMap::new();
    let mut node_keys: Vec<(EntityKind, String)> = Vec::new();
    let mut mention_node: Vec<usize> = Vec::with_capacity(all.len());
    for m in &all {
        let k = (m.kind, m.key.clone());
        let n = *node_of.entry(k.clone()).or_insert_with(|| {
            node_keys.push(k);
            node_keys.len() - 1
        });
        mention_node.push(n);
    }
    let mut dsu = Dsu((0..node_keys.len()).collect());
    let mut node_count = vec![0usize; node_keys.len()];
    for &n in &mention_node {
        node_count[n] += 1;
    }

    // People: full names with the same surname and first name.
    let mut by_surname: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, (kind, key)) in node_keys.iter().enumerate() {
        if *kind == EntityKind::Person && is_full_name(key) {
            by_surname
                .entry(surname(key).to_string())
                .or_default()
                .push(n);
        }
    }
    for nodes in by_surname.values() {
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                if same_person(&node_keys[nodes[i]].1, &node_keys[nodes[j]].1) {
                    dsu.union(nodes[i], nodes[j]);
                }
            }
        }
    }

    // Stated aliases.
    let mut alias_nodes: std::collections::HashSet<usize> = std::collections::HashSet::new();
    // Mentions are pushed article by article, so each article's mentions are one run of `all`.
    let mut runs: Vec<std::ops::Range<usize>> = vec![0..0; articles.len()];
    {
        let mut i = 0;
        while i < all.len() {
            let art = all[i].art;
            let start = i;
            while i < all.len() && all[i].art == art {
                i += 1;
            }
            runs[art] = start..i;
        }
    }
    for (ai, a) in articles.iter().enumerate() {
        let mine: Vec<(usize, &crate::entities::RawMention)> = runs[ai]
            .clone()
            .map(|i| (i, &a.layers.raw_mentions[all[i].idx]))
            .collect();
        for w in 0..mine.len() {
            let (i, x) = mine[w];
            for &(j, y) in mine.iter().skip(w + 1).take(3) {
                if y.sentence != x.sentence {
                    break;
                }
                let between = &a.text[x.end..y.start];
                if is_alias_link(between)
                    || (is_acronym_link(between) && is_acronym_of(&all[j].surface, &all[i].surface))
                {
                    let (ni, nj) = (mention_node[i], mention_node[j]);
                    if all[i].kind == all[j].kind || is_acronym_link(between) {
                        dsu.union(ni, nj);
                        alias_nodes.insert(nj);
                    }
                }
            }
        }
    }

    // A shorter organisation or place name that starts a longer one in the same article is
    // that longer name ("Al-Qassam" / "Al-Qassam Brigades", "Golan" / "Golan Heights"),
    // unless it is an acronym or a known place of its own.
    let mut longer_in_art: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, m) in all.iter().enumerate() {
        if matches!(m.kind, EntityKind::Org | EntityKind::Place) && m.key.contains(' ') {
            longer_in_art.entry(m.art).or_default().push(i);
        }
    }
    for (i, m) in all.iter().enumerate() {
        if !matches!(m.kind, EntityKind::Org | EntityKind::Place)
            || m.surface
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        {
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
            dsu.union(mention_node[i], mention_node[j]);
        }
    }

    // Surnames alone: the person of that surname most mentioned in the article (ties: the
    // one named most recently before, else first after), else in the run. A first name alone
    // that is the first name of exactly one full-name person in the article is that person.
    struct Full {
        pos: usize,
        root: usize,
    }
    let mut full_in_art: HashMap<(usize, String), Vec<Full>> = HashMap::new();
    let mut full_by_surname_run: HashMap<String, HashMap<usize, usize>> = HashMap::new();
    let mut firsts_in_art: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for (i, m) in all.iter().enumerate() {
        if m.kind == EntityKind::Person
            && is_full_name(&m.key)
            && !alias_nodes.contains(&mention_node[i])
        {
            let root = dsu.find(mention_node[i]);
            let s = surname(&m.key).to_string();
            let first = name_words(&m.key)
                .first()
                .map(|w| w.to_string())
                .unwrap_or_default();
            let pos = articles[m.art].layers.raw_mentions[m.idx].start;
            full_in_art
                .entry((m.art, s.clone()))
                .or_default()
                .push(Full { pos, root });
            *full_by_surname_run
                .entry(s)
                .or_default()
                .entry(root)
                .or_default() += 1;
            let e = firsts_in_art.entry((m.art, first)).or_default();
            if !e.contains(&root) {
                e.push(root);
            }
        }
    }
    let mut short_target: Vec<Option<usize>> = vec![None; all.len()];
    for (i, m) in all.iter().enumerate() {
        if m.kind != EntityKind::Person || is_full_name(&m.key) {
            continue;
        }
        let s = surname(&m.key).to_string();
        let pos = articles[m.art].layers.raw_mentions[m.idx].start;
        let in_art = full_in_art.get(&(m.art, s.clone())).and_then(|fulls| {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for f in fulls {
                *counts.entry(f.root).or_default() += 1;
            }
            let top = *counts.values().max()?;
            let tied: Vec<usize> = counts
                .iter()
                .filter(|(_, c)| **c == top)
                .map(|(r, _)| *r)
                .collect();
            if tied.len() == 1 {
                return Some(tied[0]);
            }
            // Equally named in the article: the one named more often in the whole run (the
            // protagonist of the story), then the one named most recently.
            let run_count = |r: usize| {
                full_by_surname_run
                    .get(&s)
                    .and_then(|c| c.get(&r))
                    .copied()
                    .unwrap_or(0)
            };
            let top_run = tied.iter().map(|&r| run_count(r)).max().unwrap_or(0);
            let tied: Vec<usize> = tied
                .into_iter()
                .filter(|&r| run_count(r) == top_run)
                .collect();
            if tied.len() == 1 {
                return Some(tied[0]);
            }
            let before = fulls
                .iter()
                .filter(|f| f.pos < pos && tied.contains(&f.root))
                .max_by_key(|f| f.pos);
            let after = fulls
                .iter()
                .filter(|f| f.pos > pos && tied.contains(&f.root))
                .min_by_key(|f| f.pos);
            before.or(after).map(|f| f.root)
        });
        let by_first = || {
            firsts_in_art
                .get(&(m.art, m.key.clone()))
                .filter(|roots| roots.len() == 1)
                .map(|roots| roots[0])
                .filter(|_| !full_in_art.contains_key(&(m.art, s.clone())))
        };
        let in_run = || {
            full_by_surname_run.get(&s).and_then(|counts| {
                counts
                    .iter()
                    .max_by_key(|(r, c)| (**c, std::cmp::Reverse(**r)))
                    .map(|(r, _)| *r)
            })
        };
        short_target[i] = in_art.or_else(by_first).or_else(in_run);
    }

    // Groups: short forms join their target's group per mention (so "al-Sharaa" may mean
    // different people in different articles); other mentions join their node's group.
    let mut group_of: Vec<usize> = Vec::with_capacity(all.len());
    for (i, _) in all.iter().enumerate() {
        let g = match short_target[i] {
            Some(t) => dsu.find(t),
            None => dsu.find(mention_node[i]),
        };
        group_of.push(g);
    }

    // Canonical names, ids, aliases, roles.
    struct G {
        kind: EntityKind,
        names: Vec<(String, usize, bool)>, // surface, count, is_alias
        roles: Vec<(String, usize)>,
        mentions: usize,
    }
    let mut groups: HashMap<usize, G> = HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    for (i, m) in all.iter().enumerate() {
        let g = groups.entry(group_of[i]).or_insert_with(|| {
            order.push(group_of[i]);
            G {
                kind: m.kind,
                names: Vec::new(),
                roles: Vec::new(),
                mentions: 0,
            }
        });
        g.mentions += 1;
        let is_alias = alias_nodes.contains(&mention_node[i]);
        match g.names.iter_mut().find(|(s, _, _)| name_key(s) == m.key) {
            Some(e) => e.1 += 1,
            None => g.names.push((m.surface.clone(), 1, is_alias)),
        }
        for r in &articles[m.art].layers.raw_mentions[m.idx].roles {
            match g.roles.iter_mut().find(|(x, _)| x.eq_ignore_ascii_case(r)) {
                Some(e) => e.1 += 1,
                None => g.roles.push((r.clone(), 1)),
            }
        }
    }
    let mut entity_of_group: HashMap<usize, usize> = HashMap::new();
    let mut entities: Vec<Entity> = Vec::new();
    for g in order {
        let grp = &groups[&g];
        let own: Vec<&(String, usize, bool)> = grp.names.iter().filter(|n| !n.2).collect();
        let pool: Vec<&(String, usize, bool)> = if own.is_empty() {
            grp.names.iter().collect()
        } else {
            own
        };
        let canonical = pool
            .iter()
            .max_by_key(|(s, c, _)| {
                (
                    name_words(&name_key(s)).len(),
                    *c,
                    std::cmp::Reverse(s.clone()),
                )
            })
            .map(|(s, _, _)| s.clone())
            .unwrap_or_default();
        let mut aliases: Vec<String> = Vec::new();
        for (s, _, _) in &grp.names {
            if name_key(s) != name_key(&canonical)
                && !aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
            {
                aliases.push(s.clone());
            }
        }
        let mut roles = grp.roles.clone();
        roles.sort_by_key(|r| std::cmp::Reverse(r.1));
        let id =
            model::content_id(format!("{}:{}", grp.kind.as_str(), name_key(&canonical)).as_bytes());
        entity_of_group.insert(g, entities.len());
        entities.push(Entity {
            id,
            name: canonical,
            kind: grp.kind,
            aliases,
            roles: roles.into_iter().map(|r| r.0).collect(),
            mentions: grp.mentions,
        });
    }

    let mut per_article: Vec<Vec<Mention>> = vec![Vec::new(); articles.len()];
    for (i, m) in all.iter().enumerate() {
        let e = &entities[entity_of_group[&group_of[i]]];
        let raw = &articles[m.art].layers.raw_mentions[m.idx];
        per_article[m.art].push(Mention {
            start: raw.start,
            end: raw.end,
            entity: e.id.clone(),
            kind: e.kind,
        });
    }
    (entities, per_article)
}

/// Text between two names that states the second is another name of the first.
fn is_alias_link(between: &str) -> bool {
    let b = name_key(between.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '('));
    let b = b.trim_end_matches(['(', ',', ':']).trim();
    const LINKS: &[&str] = &[
        "also known as",
        "known as",
        "better known as",
        "aka",
        "a.k.a.",
        "also called",
        "formerly known as",
        "also known by his nom de guerre",
        "also known by her nom de guerre",
        "known by his nom de guerre",
        "known by her nom de guerre",
        "whose nom de guerre is",
        "nom de guerre",
        "also known by the nom de guerre",
        "also known by his alias",
    ];
    LINKS.contains(&b)
}

fn is_acronym_link(between: &str) -> bool {
    between.trim() == "("
}

/// "SDF" for "Syrian Democratic Forces", "HTS" for "Hayat Tahrir al-Sham".
fn is_acronym_of(short: &str, long: &str) -> bool {
    let short: String = short.chars().filter(|c| c.is_alphanumeric()).collect();
    if short.len() < 2
        || !short
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let initials: String = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    w.to_lowercase().as_str(),
                    "of" | "the" | "and" | "for" | "al" | "el" | "de"
                )
        })
        .filter_map(|w| w.chars().next())
        .flat_map(|c| c.to_uppercase())
        .collect();
    initials == short
}

/// Words that make a role when they precede a person name (beyond the gazetteer's titles);
/// sorted, for binary search.
const ROLE_WORDS: &[&str] = &[
    "activist",
    "administrator",
    "admiral",
    "adviser",
    "advisor",
    "ambassador",
    "analyst",
    "attorney",
    "bishop",
    "brigadier",
    "captain",
    "cardinal",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "cleric",
    "colonel",
    "commander",
    "commissioner",
    "coordinator",
    "correspondent",
    "diplomat",
    "director",
    "editor",
    "emir",
    "envoy",
    "executive",
    "expert",
    "founder",
    "general",
    "governor",
    "head",
    "imam",
    "judge",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "legislator",
    "lieutenant",
    "major",
    "marshal",
    "mayor",
    "mediator",
    "minister",
    "mp",
    "negotiator",
    "official",
    "officials",
    "photographer",
    "pope",
    "premier",
    "president",
    "prince",
    "professor",
    "prosecutor",
    "queen",
    "rabbi",
    "reporter",
    "representative",
    "researcher",
    "secretary",
    "senator",
    "sergeant",
    "sheikh",
    "spokesman",
    "spokesperson",
    "spokeswoman",
];

/// Lower-case words that may modify a role ("US special envoy", "deputy prime minister").
const ROLE_MODIFIERS: &[&str] = &[
    "special",
    "deputy",
    "former",
    "interim",
    "acting",
    "vice",
    "senior",
    "top",
    "foreign",
    "defense",
    "defence",
    "prime",
    "general",
    "state",
    "national",
    "chief",
    "interior",
    "finance",
    "energy",
    "justice",
    "health",
    "economy",
    "trade",
    "security",
    "military",
    "transitional",
    "new",
    "then",
    "presidential",
    "government",
    "armed",
    "wing",
    "press",
    "communications",
    "intelligence",
    "assistant",
    "associate",
    "executive",
    "managing",
    "regional",
    "local",
];

pub(crate) fn is_role_word(w: &str) -> bool {
    // Most tokens are no role word: rule them out before lowercasing and looking up.
    if w.len() < 2 || !w.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let l = w.to_lowercase();
    ROLE_WORDS.binary_search(&l.as_str()).is_ok()
        || Gazetteer::global()
            .lookup(&[l.as_str()])
            .contains(GazKind::Title)
}

/// Roles stated around a person mention over tokens `m` of a sentence `sent`.
pub(crate) fn roles_around(
    text: &str,
    toks: &[crate::tokenize::Token],
    sent: std::ops::Range<usize>,
    m: std::ops::Range<usize>,
    others: &[(std::ops::Range<usize>, EntityKind)],
) -> Vec<String> {
    role_spans(text, toks, sent, m, others)
        .into_iter()
        .map(|(a, b)| text[a..b].to_string())
        .collect()
}

/// The byte spans of the roles stated around a person mention over tokens `m` of a sentence
/// `sent` ("Attorney General" in "Attorney General Jon Bruning", "the CEO of Z" after "X,"):
/// `others` are the sentence's other mentions, as token ranges.
pub fn role_spans(
    text: &str,
    toks: &[crate::tokenize::Token],
    sent: std::ops::Range<usize>,
    m: std::ops::Range<usize>,
    others: &[(std::ops::Range<usize>, EntityKind)],
) -> Vec<(usize, usize)> {
    let in_person = |k: usize| {
        others
            .iter()
            .any(|(o, kind)| *kind == EntityKind::Person && o.contains(&k))
    };
    let mut roles = Vec::new();
    // Before: capitalised modifiers, role modifiers and role words, at least one role word.
    let mut s = m.start;
    let mut has_role = false;
    while s > sent.start {
        let w = toks[s - 1].text(text);
        let first = w.chars().next().unwrap_or(' ');
        let role = is_role_word(w);
        let modifier = ROLE_MODIFIERS.contains(&w.to_lowercase().as_str())
            || (first.is_uppercase() && w.chars().any(|c| c.is_alphabetic()));
        if !(role || modifier) || w == "The" || w == "A" || (in_person(s - 1) && !role) {
            break;
        }
        has_role |= role;
        s -= 1;
    }
    // Trim leading modifiers that are not part of the role (sentence-initial capitals such as
    // "Accompanying" are rare; keep from the first capitalised or modifier word).
    if has_role && s < m.start {
        let first_role = (s..m.start)
            .find(|&k| is_role_word(toks[k].text(text)))
            .unwrap_or(s);
        let start = (s..=first_role)
            .find(|&k| {
                let w = toks[k].text(text);
                ROLE_MODIFIERS.contains(&w.to_lowercase().as_str())
                    || is_role_word(w)
                    || w.chars().next().is_some_and(|c| c.is_uppercase())
            })
            .unwrap_or(first_role);
        roles.push((toks[start].start, toks[m.start - 1].end));
    }
    // After: ", head of the ... ," appositive.
    if m.end + 1 < sent.end && toks[m.end].text(text) == "," {
        let mut k = m.end + 1;
        if matches!(
            toks[k].text(text).to_lowercase().as_str(),
            "the" | "a" | "an"
        ) {
            k += 1;
        }
        let starts_with_role = (k..(k + 3).min(sent.end)).any(|j| is_role_word(toks[j].text(text)))
            && toks[k].text(text).chars().all(|c| c.is_alphabetic())
            && !matches!(toks[k].text(text), "and" | "or" | "who" | "which" | "but");
        if starts_with_role {
            let mut e = k;
            let mut list = false;
            while e < sent.end && e < k + 16 {
                let w = toks[e].text(text);
                // Another name inside means a list of people, not an appositive.
                if others
                    .iter()
                    .any(|(o, kind)| *kind == EntityKind::Person && o.start == e && o.len() >= 2)
                {
                    list = true;
                    break;
                }
                if matches!(w, "," | "." | ";" | ":" | "(" | "“" | "\"" | "—" | "–") {
                    break;
                }
                e += 1;
            }
            let closed = e < sent.end && matches!(toks[e].text(text), "," | "." | ";");
            if closed && e > k && !list {
                roles.push((toks[m.end + 1].start, toks[e - 1].end));
            }
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(same_person("ahmed al-sharaa", "ahmad al-sharaa"));
        assert!(!same_person("ahmed al-sharaa", "maher al-sharaa"));
        assert!(same_person("asaad hassan al-shaibani", "asaad al-shaibani"));
        assert_eq!(surname("al-sharaa"), "sharaa");
        assert!(!is_full_name("al-sharaa"));
        assert!(is_full_name("vladimir putin"));
        assert!(is_acronym_of("SDF", "Syrian Democratic Forces"));
        assert!(is_acronym_of("HTS", "Hayat Tahrir al-Sham"));
        assert!(!is_acronym_of("UN", "Syrian Democratic Forces"));
        assert!(is_alias_link(", also known by his nom de guerre "));
        assert!(is_alias_link(", known as "));
        assert!(!is_alias_link(" met "));
        assert_eq!(name_key("Hay’at  Tahrir AL-Sham"), "hayat tahrir al-sham");
        assert!(
            ROLE_WORDS.windows(2).all(|w| w[0] < w[1]),
            "ROLE_WORDS must stay sorted"
        );
    }
}
