//! The linker as it was before incremental linking (one batch, no stored records), kept
//! verbatim as the oracle of rule 1: [`super::link`] with no known records must give exactly
//! its entities and mentions.

use std::collections::HashMap;

use model::{Entity, EntityKind, Mention};
use ner::gazetteer::Gazetteer;

use super::link::{ArticleView, Dsu};
use super::*;

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
    // one named most recently before, else first after; a person introduced as a relative
    // only when no one else is), else in the run. A first name alone that is the first name of exactly one
    // full-name person in the article is that person.
    struct Full {
        pos: usize,
        root: usize,
        relative: bool,
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
            let relative = super::introduced_as_relative(articles[m.art].text, pos);
            full_in_art
                .entry((m.art, s.clone()))
                .or_default()
                .push(Full {
                    pos,
                    root,
                    relative,
                });
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
            // A person introduced as someone's relative is a candidate only when no one else
            // of that surname is named in full in the article.
            let relatives: std::collections::HashSet<usize> = fulls
                .iter()
                .filter(|f| f.relative)
                .map(|f| f.root)
                .collect();
            let others = fulls.iter().any(|f| !relatives.contains(&f.root));
            let fulls: Vec<&Full> = fulls
                .iter()
                .filter(|f| !others || !relatives.contains(&f.root))
                .collect();
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for f in &fulls {
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
