//! The lemmatizer: tables learned from the training data. A word's lemma is looked up by
//! (exact form, XPOS), then by (lower-case form, XPOS) — irregular forms: "went" -> "go",
//! "us" -> "we" — and otherwise made by the suffix rule of the longest known ending of the
//! word with that XPOS and capitalisation ("-ies" NNS -> "-y", "-ed" VBD -> ""). Tables hold
//! only what the rules get wrong, so they stay small.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::flat::FlatMap;
use crate::hash::mix;
use crate::model::{ByteReader, ModelError, write_str, write_varint};
use crate::tags::Xpos;
use crate::words::{Word, affix_hash, ekey_of, flag, fold_lower, key_of, normalise_lower};

/// Longest suffix a rule conditions on, plus one (suffix lengths `0..MAX_SUF`): the word's
/// own suffix hashes ([`Word::suf`]) serve as keys.
const MAX_SUF: usize = 6;

/// How a lemma is made from a form: drop `strip` chars, append `append`, lower-case or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Rule<'a> {
    lower: bool,
    strip: u8,
    append: &'a str,
}

/// Capitalisation class: 0 lower or other, 1 initial capital, 2 all capitals.
fn cap_class(flags: u32) -> u64 {
    if flags & flag::ALL_CAPS != 0 && flags & flag::ONE_CHAR == 0 {
        2
    } else if flags & flag::INIT_CAP != 0 {
        1
    } else {
        0
    }
}

/// The hash of the empty suffix.
static EMPTY: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| affix_hash(""));

/// Tags whose forms inflect alike share suffix rules: past tense and past participle
/// ("-ed", "-aded" -> "-ad"), so that rare endings have more words to learn from.
fn rule_class(xpos: Xpos) -> Xpos {
    match xpos {
        Xpos::Vbn => Xpos::Vbd,
        x => x,
    }
}

fn rule_key(suffix: u64, xpos: Xpos, cap: u64) -> u64 {
    mix(mix(suffix, xpos as u64), cap)
}

fn word_key(key: u64, xpos: Xpos) -> u64 {
    mix(key, xpos as u64 | 1 << 8)
}

pub(crate) struct Lemmatizer<'a> {
    exact: FlatMap,
    lower: FlatMap,
    strings: Vec<&'a str>,
    rules: FlatMap,
    rule_list: Vec<Rule<'a>>,
}

impl<'a> Lemmatizer<'a> {
    /// The lemma of `form` (analysed as `w`) with tag `xpos`.
    pub(crate) fn lemma<'w>(&self, form: &'w str, w: &Word, xpos: Xpos) -> Cow<'w, str>
    where
        'a: 'w,
    {
        if let Some(i) = self.exact.get(word_key(w.ekey, xpos)) {
            return Cow::Borrowed(self.strings[i as usize]);
        }
        if let Some(i) = self.lower.get(word_key(w.key, xpos)) {
            return Cow::Borrowed(self.strings[i as usize]);
        }
        // English past tense and past participle share their irregular forms ("fought"):
        // a form seen as one is looked up as the other.
        let other = match xpos {
            Xpos::Vbd => Some(Xpos::Vbn),
            Xpos::Vbn => Some(Xpos::Vbd),
            _ => None,
        };
        if let Some(i) = other.and_then(|x| self.lower.get(word_key(w.key, x))) {
            return Cow::Borrowed(self.strings[i as usize]);
        }
        let cap = cap_class(w.flags);
        for k in (0..=usize::from(w.len).min(MAX_SUF - 1)).rev() {
            let suffix = if k == 0 { *EMPTY } else { w.suf[k - 1] };
            if let Some(r) = self.rules.get(rule_key(suffix, rule_class(xpos), cap)) {
                return apply(form, self.rule_list[r as usize]);
            }
        }
        Cow::Borrowed(form)
    }

    pub(crate) fn read(r: &mut ByteReader<'a>) -> Result<Lemmatizer<'a>, ModelError> {
        let mut l = Lemmatizer {
            exact: FlatMap::new(),
            lower: FlatMap::new(),
            strings: Vec::new(),
            rules: FlatMap::new(),
            rule_list: Vec::new(),
        };
        let xpos = |r: &mut ByteReader<'a>| {
            let at = r.pos();
            Xpos::from_index(usize::from(r.u8()?)).ok_or(ModelError::UnknownTag(at))
        };
        let nrules = r.varint()? as usize;
        for _ in 0..nrules {
            let x = xpos(r)?;
            let cap = u64::from(r.u8()?);
            let suffix = r.str()?;
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.str()?;
            l.rules.insert(
                rule_key(affix_hash(suffix), x, cap),
                l.rule_list.len() as u64,
            );
            l.rule_list.push(Rule {
                lower,
                strip,
                append,
            });
        }
        for table in 0..2 {
            let n = r.varint()? as usize;
            for _ in 0..n {
                let form = r.str()?;
                let x = xpos(r)?;
                let lemma = r.str()?;
                let id = l.strings.len() as u64;
                l.strings.push(lemma);
                if table == 0 {
                    l.lower.insert(word_key(key_of(form), x), id);
                } else {
                    l.exact.insert(word_key(ekey_of(form), x), id);
                }
            }
        }
        Ok(l)
    }
}

fn apply<'w>(form: &'w str, r: Rule<'_>) -> Cow<'w, str> {
    let n = form.chars().count();
    let strip = usize::from(r.strip);
    if strip > n {
        return Cow::Borrowed(form);
    }
    let cut = form
        .char_indices()
        .nth(n - strip)
        .map_or(form.len(), |(i, _)| i);
    let stem = &form[..cut];
    let needs_lower = r.lower && stem.chars().any(char::is_uppercase);
    if r.append.is_empty() && !needs_lower {
        return Cow::Borrowed(stem);
    }
    let mut s = if needs_lower {
        stem.to_lowercase()
    } else {
        stem.to_string()
    };
    s.push_str(r.append);
    Cow::Owned(s)
}

/// The rule that turns `form` into `lemma`: the shortest edit, with or without lower-casing
/// (ties keep the case).
fn derive(form: &str, lemma: &str) -> (bool, u8, String) {
    let edit = |f: &str| {
        let fc: Vec<char> = f.chars().collect();
        let lc: Vec<char> = lemma.chars().collect();
        let p = fc.iter().zip(&lc).take_while(|(a, b)| a == b).count();
        let strip = (fc.len() - p).min(255) as u8;
        let append: String = lc[p..].iter().collect();
        (strip, append)
    };
    let keep = edit(form);
    let low = edit(&form.to_lowercase());
    let cost = |e: &(u8, String)| usize::from(e.0) + e.1.chars().count();
    if cost(&low) < cost(&keep) {
        (true, low.0, low.1)
    } else {
        (false, keep.0, keep.1)
    }
}

type OwnedRule = (bool, u8, String);

/// Training-time tables; [`LemmaBuilder::to_bytes`] writes what [`Lemmatizer::read`] reads.
#[derive(Default)]
pub(crate) struct LemmaBuilder {
    /// (form, xpos) -> lemma counts
    forms: HashMap<(String, u8), HashMap<String, usize>>,
}

fn majority<K: Clone + Ord + std::hash::Hash>(m: &HashMap<K, usize>) -> (K, usize) {
    let (k, &c) = m
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .expect("non-empty counts");
    (k.clone(), c)
}

impl LemmaBuilder {
    pub(crate) fn add(&mut self, form: &str, xpos: Xpos, lemma: &str) {
        if form.is_empty() || lemma.is_empty() || lemma == "_" {
            return;
        }
        *self
            .forms
            .entry((form.to_string(), xpos as u8))
            .or_default()
            .entry(lemma.to_string())
            .or_insert(0) += 1;
    }

    /// Rule votes per suffix node: one per distinct (form, XPOS), with its usual lemma, so
    /// that a frequent irregular word ("thought" -> "think") does not become a rule for its
    /// ending. Rules that append more than a short ending ("Nov." -> "November") are not
    /// generalised: such words are exceptions.
    fn nodes(&self) -> HashMap<(u8, u8, String), HashMap<OwnedRule, usize>> {
        let mut nodes: HashMap<(u8, u8, String), HashMap<OwnedRule, usize>> = HashMap::new();
        for ((form, x), lemmas) in &self.forms {
            let (lemma, _) = majority(lemmas);
            let rule = derive(form, &lemma);
            if rule.2.chars().count() > 3 || rule.1 > 4 {
                continue;
            }
            let cap = cap_class(crate::words::analyse(form).flags) as u8;
            let class = Xpos::from_index(usize::from(*x)).map_or(*x, |x| rule_class(x) as u8);
            let chars: Vec<char> = fold_lower(form).chars().collect();
            for k in 0..=chars.len().min(MAX_SUF - 1) {
                let suf: String = chars[chars.len() - k..].iter().collect();
                *nodes
                    .entry((class, cap, suf))
                    .or_default()
                    .entry(rule.clone())
                    .or_insert(0) += 1;
            }
        }
        nodes
    }

    /// Suffix rules of at least `min_count` words that differ from their parent's rule.
    fn rules(&self, min_count: usize) -> Vec<((u8, u8, String), OwnedRule)> {
        let nodes = self.nodes();
        let mut out = Vec::new();
        for (key, counts) in &nodes {
            let (rule, _) = majority(counts);
            let total: usize = counts.values().sum();
            let (x, cap, suf) = key;
            if suf.is_empty() {
                out.push((key.clone(), rule));
                continue;
            }
            if total < min_count {
                continue;
            }
            let parent: String = suf.chars().skip(1).collect();
            let prule = nodes.get(&(*x, *cap, parent)).map(|c| majority(c).0);
            if prule.as_ref() != Some(&rule) {
                out.push((key.clone(), rule));
            }
        }
        out.sort();
        out
    }

    /// Writes the rules and the exception tables (only forms the earlier steps get wrong).
    pub(crate) fn to_bytes(&self, min_count: usize, out: &mut Vec<u8>) {
        let mut rules = Vec::new();
        let list = self.rules(min_count);
        write_varint(&mut rules, list.len() as u64);
        for ((x, cap, suf), (lower, strip, append)) in &list {
            rules.push(*x);
            rules.push(*cap);
            write_str(&mut rules, suf);
            rules.push(u8::from(*lower));
            rules.push(*strip);
            write_str(&mut rules, append);
        }
        let mut forms: Vec<(&(String, u8), String)> =
            self.forms.iter().map(|(k, c)| (k, majority(c).0)).collect();
        forms.sort();
        // Lower-case forms the rules get wrong, then other forms the rules and that table
        // get wrong.
        let mut lower_tab = Vec::new();
        let mut exact_tab = Vec::new();
        for pass in 0..2 {
            let section = with_tables(&rules, &lower_tab, &[]);
            let lem = Lemmatizer::read(&mut ByteReader::new(&section)).expect("own bytes");
            let mut found = Vec::new();
            for ((form, x), lemma) in &forms {
                let is_lower = normalise_lower(form) == *form;
                if is_lower == (pass == 0) && predict(&lem, form, *x) != *lemma {
                    found.push((form.clone(), *x, lemma.clone()));
                }
            }
            if pass == 0 {
                lower_tab = found;
            } else {
                exact_tab = found;
            }
        }
        out.extend_from_slice(&with_tables(&rules, &lower_tab, &exact_tab));
    }
}

/// A complete lemma section from a rule section and two tables.
fn with_tables(
    rules: &[u8],
    lower: &[(String, u8, String)],
    exact: &[(String, u8, String)],
) -> Vec<u8> {
    let mut b = rules.to_vec();
    for tab in [lower, exact] {
        write_varint(&mut b, tab.len() as u64);
        for (form, x, lemma) in tab {
            write_str(&mut b, form);
            b.push(*x);
            write_str(&mut b, lemma);
        }
    }
    b
}

fn predict(l: &Lemmatizer<'_>, form: &str, x: u8) -> String {
    let xpos = Xpos::from_index(usize::from(x)).unwrap_or(Xpos::Xx);
    l.lemma(form, &crate::words::analyse(form), xpos)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_exceptions() {
        let mut b = LemmaBuilder::default();
        for (f, x, l) in [
            ("walked", Xpos::Vbd, "walk"),
            ("talked", Xpos::Vbd, "talk"),
            ("asked", Xpos::Vbd, "ask"),
            ("went", Xpos::Vbd, "go"),
            ("cities", Xpos::Nns, "city"),
            ("parties", Xpos::Nns, "party"),
            ("ladies", Xpos::Nns, "lady"),
            ("dogs", Xpos::Nns, "dog"),
            ("The", Xpos::Dt, "the"),
            ("Sharon", Xpos::Nnp, "Sharon"),
        ] {
            b.add(f, x, l);
        }
        let mut out = Vec::new();
        b.to_bytes(2, &mut out);
        let l = Lemmatizer::read(&mut ByteReader::new(&out)).unwrap();
        let lem = |f: &str, x| l.lemma(f, &crate::words::analyse(f), x).into_owned();
        assert_eq!(lem("jumped", Xpos::Vbd), "jump");
        assert_eq!(lem("went", Xpos::Vbd), "go");
        assert_eq!(lem("Went", Xpos::Vbd), "go");
        assert_eq!(lem("bodies", Xpos::Nns), "body");
        assert_eq!(lem("The", Xpos::Dt), "the");
        assert_eq!(lem("Obama", Xpos::Nnp), "Obama");
        assert!(matches!(
            l.lemma("jumped", &crate::words::analyse("jumped"), Xpos::Vbd),
            Cow::Borrowed("jump")
        ));
    }
}
