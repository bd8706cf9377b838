//! Typed slots: dates, numbers, ordinals and propositions grouped by slot keys, then judged.
//!
//! The keys and rules are those described in the crate overview (steps 3 to 5): dates of a
//! happening that occurs once compare across a thread, recurring ones near the event's date,
//! tallies across close events, other counts only corroborate.

use std::collections::{BTreeSet, HashMap};

use model::{
    Article, Claim, ClaimGroup, Conflict, ConflictSide, Event, Severity, SlotValue, Verdict,
};
use serde_json::Value;

use crate::Corroboration;
use crate::compat::{self, Relation};
use crate::extract::RawClaim;
use crate::lexicon;

/// A typed claim with its origin and article.
pub(crate) struct Placed {
    pub(crate) raw: RawClaim,
    pub(crate) claim: Claim,
    pub(crate) origin: String,
    pub(crate) article: usize,
}

/// Each event's thread and dated interval.
pub(crate) struct Calendar<'a> {
    pub(crate) thread_of: HashMap<&'a str, &'a str>,
    pub(crate) event_days: HashMap<&'a str, (chrono::NaiveDate, chrono::NaiveDate)>,
}

impl<'a> Calendar<'a> {
    pub(crate) fn new(events: &'a [Event]) -> Calendar<'a> {
        Calendar {
            thread_of: events
                .iter()
                .map(|e| (e.id.as_str(), e.thread.as_str()))
                .collect(),
            event_days: events
                .iter()
                .filter_map(|e| {
                    let d = e.date.as_deref()?;
                    Some((e.id.as_str(), compat::date_interval(d, None)?))
                })
                .collect(),
        }
    }

    /// Whether a date value lies within [`RECURRING_WINDOW_DAYS`] of the event's own date.
    pub(crate) fn near_event_date(&self, event: Option<&str>, value: &Value) -> bool {
        let (Some(e), Some(v)) = (event.and_then(|e| self.event_days.get(e)), value.as_str())
        else {
            return false;
        };
        let Some(d) = compat::date_interval(v, None) else {
            return false;
        };
        (d.0 - e.1).num_days() <= RECURRING_WINDOW_DAYS
            && (e.0 - d.1).num_days() <= RECURRING_WINDOW_DAYS
    }

    /// A tally of two events of one thread is one running count only when the events are
    /// close in time (a toll updated over a week); years apart, two earthquakes' tolls are two
    /// facts. Undated events cannot show that they are close.
    fn close_in_time(&self, a: Option<&str>, b: Option<&str>) -> bool {
        if a == b {
            return true;
        }
        match (
            a.and_then(|e| self.event_days.get(e)),
            b.and_then(|e| self.event_days.get(e)),
        ) {
            (Some(x), Some(y)) => {
                let gap = if x.1 < y.0 {
                    (y.0 - x.1).num_days()
                } else if y.1 < x.0 {
                    (x.0 - y.1).num_days()
                } else {
                    0
                };
                gap <= TALLY_WINDOW_DAYS
            }
            _ => false,
        }
    }
}

/// Groups typed claims by slot and judges each group.
pub(crate) fn judge(
    placed: &[Placed],
    articles: &[Article],
    cal: &Calendar<'_>,
) -> (Vec<ClaimGroup>, Vec<Conflict>) {
    // Group by slot.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut group_at: HashMap<String, usize> = HashMap::new();
    for (i, p) in placed.iter().enumerate() {
        let a = &articles[p.article];
        let thread = a
            .event
            .as_deref()
            .and_then(|e| cal.thread_of.get(e).copied())
            .unwrap_or("-");
        let event = a.event.as_deref().unwrap_or("-");
        let r = &p.raw;
        let once = lexicon::ONCE.contains(&r.predicate.as_str());
        let tally = lexicon::TALLIES.contains(&r.predicate.as_str());
        let key = match r.kind.as_str() {
            "ordinal" => format!(
                "ordinal|{event}|{}|{}|{}",
                r.subject,
                r.predicate,
                r.detail.as_deref().unwrap_or("")
            ),
            "number" if !r.comparable => {
                format!("number|{}:{}|{}|{}|", a.id, r.start, r.subject, r.predicate)
            }
            "number" => {
                let scope = if tally { thread } else { event };
                format!(
                    "number|{scope}|{}|{}|{}",
                    r.subject,
                    r.predicate,
                    r.detail.as_deref().unwrap_or("")
                )
            }
            // Event words of one family name one happening ("his ouster", "his flight").
            "date" => format!(
                "date|{}|{}|{}",
                if once { thread } else { event },
                r.subject,
                lang::lexicon::family(&r.predicate)
            ),
            "proposition" => format!("proposition|{thread}|{}|{}", r.subject, r.predicate),
            k => format!("{k}|{thread}|{}|{}", r.subject, r.predicate),
        };
        let g = *group_at.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }

    // A count stated without an event word ("a deal for about 200 fighters") joins the one
    // group that counts the same thing with an event word, when there is exactly one.
    let mut merged: Vec<bool> = vec![false; groups.len()];
    // Strong number groups by (scope, counted noun, detail), to find a weak count's target.
    let mut strong: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    for (h, (key, _)) in groups.iter().enumerate() {
        let q: Vec<&str> = key.split('|').collect();
        if q[0] == "number" && !q[1].contains(':') && !q[3].is_empty() {
            strong
                .entry((q[1].to_string(), q[2].to_string(), q[4].to_string()))
                .or_default()
                .push(h);
        }
    }
    for g in 0..groups.len() {
        let parts: Vec<&str> = groups[g].0.split('|').collect();
        if parts[0] != "number" || !parts[3].is_empty() || parts[1].contains(':') {
            continue;
        }
        let targets: &[usize] = strong
            .get(&(
                parts[1].to_string(),
                parts[2].to_string(),
                parts[4].to_string(),
            ))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let [t] = targets[..] {
            let moved = std::mem::take(&mut groups[g].1);
            groups[t].1.extend(moved);
            groups[t].1.sort_unstable();
            merged[g] = true;
        }
    }
    let groups: Vec<(String, Vec<usize>)> = groups
        .into_iter()
        .zip(merged)
        .filter(|(_, m)| !m)
        .map(|(g, _)| g)
        .collect();
    // Counts without an event word that joined no group are compared across the articles of
    // one event only: inside one article, "seven Republicans" and "six Republicans" in two
    // sentences are not two values of one fact.
    let groups: Vec<(String, Vec<usize>)> = groups
        .into_iter()
        .flat_map(|(key, members)| {
            let parts: Vec<&str> = key.split('|').collect();
            let one_article = members
                .iter()
                .all(|&m| placed[m].article == placed[members[0]].article);
            if parts[0] == "number"
                && parts.get(3).is_some_and(|p| p.is_empty())
                && members.len() > 1
                && one_article
            {
                members
                    .iter()
                    .map(|&m| (format!("{key}|{m}"), vec![m]))
                    .collect::<Vec<_>>()
            } else {
                vec![(key, members)]
            }
        })
        .collect();
    let groups = merge_equal_counts(groups, placed, articles);

    // Per claim, once: whether it stands away from its event's own date (see `background`
    // below) — a date value far from it, or a count or ordinal whose sentence states a date
    // far from a dated event.
    let away_from_event: Vec<bool> = placed
        .iter()
        .map(|p| {
            let event = articles[p.article].event.as_deref();
            match p.raw.kind.as_str() {
                "date" => !cal.near_event_date(event, &p.raw.value),
                _ => {
                    event.is_some_and(|e| cal.event_days.contains_key(e))
                        && p.raw
                            .sentence_dates
                            .iter()
                            .any(|d| !cal.near_event_date(event, &Value::String(d.clone())))
                }
            }
        })
        .collect();

    let mut out = Corroboration::default();
    for (key, members) in &groups {
        let first = &placed[members[0]];
        let kind = first.raw.kind.as_str();
        let gid = model::content_id(key.as_bytes());
        // Values: claims with the same value (and qualifier) together, in order of appearance.
        let mut values: Vec<(Value, Option<String>, Vec<usize>)> = Vec::new();
        for &m in members {
            let p = &placed[m];
            if p.raw.negated && kind != "proposition" {
                continue;
            }
            match values
                .iter_mut()
                .find(|v| v.0 == p.claim.value && v.1 == p.claim.qualifier)
            {
                Some(v) => v.2.push(m),
                None => values.push((p.claim.value.clone(), p.claim.qualifier.clone(), vec![m])),
            }
        }
        // Only denials ("did not say when"): no value to compare, so no group.
        if values.is_empty() {
            continue;
        }
        let origins_of = |ms: &[usize]| -> Vec<String> {
            let set: BTreeSet<&str> = ms.iter().map(|&m| placed[m].origin.as_str()).collect();
            set.into_iter().map(str::to_string).collect()
        };
        let all_origins = origins_of(members);
        // Incompatible pairs of values.
        let mut worst: Option<Relation> = None;
        let mut in_conflict = vec![false; values.len()];
        let mut incompatible: Vec<(usize, usize)> = Vec::new();
        // Two values stated in one sentence are a list or a range ("23 held by Democrats and
        // 10 by Republicans", "from 1965 to 1970"), never a conflict.
        let sentence_of = |m: usize| (placed[m].article, placed[m].raw.start);
        let predicate = first.raw.predicate.as_str();
        // A count with neither an event word nor a verb that says what is counted
        // ("13 home runs", "16 rebounds": whose?) can corroborate, never contradict.
        let weak = kind == "number" && predicate.is_empty();
        let bare = weak
            && !first
                .raw
                .detail
                .as_deref()
                .is_some_and(|d| d.split(' ').any(|w| w.starts_with('~')));
        // Only counts of a happening that later reports restate (a toll, troops deployed) or
        // counts that a verb qualifies are one fact across reports; "finished with 28
        // completions" and "received five carries" are some player's figures.
        let counted_happening = kind == "number"
            && !weak
            && !lexicon::TALLIES.contains(&predicate)
            && !lexicon::COUNTED.contains(&predicate);
        // A count with a verb only, or the date of a recurring happening: other articles can
        // contradict it, not its own ("his injury a couple of weeks ago", "back from his
        // injury this week" are two injuries or two moments).
        let recurring_date = kind == "date" && !lexicon::ONCE.contains(&predicate);
        // A date of a recurring happening away from the event's own date ("hosted in 2006 and
        // 2008"), or a count or ordinal whose sentence dates it away ("the 2003 quake, in
        // which 31,000 people were killed"), is background: it contradicts nothing.
        let background_applies = recurring_date || matches!(kind, "number" | "ordinal");
        let compared = if bare || counted_happening {
            0
        } else {
            values.len()
        };
        for x in 0..compared {
            for y in x + 1..compared {
                let same_sentence = values[x].2.iter().all(|&m| {
                    values[y]
                        .2
                        .iter()
                        .all(|&n| sentence_of(m) == sentence_of(n))
                });
                let same_article = (weak || recurring_date)
                    && values[x].2.iter().any(|&m| {
                        values[y]
                            .2
                            .iter()
                            .any(|&n| placed[m].article == placed[n].article)
                    });
                // Dates resolved against the event's own date prove nothing against others.
                let inferred = kind == "date"
                    && (values[x].2.iter().all(|&m| placed[m].raw.inferred)
                        || values[y].2.iter().all(|&m| placed[m].raw.inferred));
                let background = background_applies
                    && [x, y]
                        .iter()
                        .any(|&v| values[v].2.iter().all(|&m| away_from_event[m]));
                let event_of = |m: usize| articles[placed[m].article].event.as_deref();
                let far_apart = kind == "number"
                    && !values[x].2.iter().any(|&m| {
                        values[y]
                            .2
                            .iter()
                            .any(|&n| cal.close_in_time(event_of(m), event_of(n)))
                    });
                if same_sentence || same_article || far_apart || inferred || background {
                    continue;
                }
                let r = compat::relate(
                    kind,
                    &values[x].0,
                    values[x].1.as_deref(),
                    &values[y].0,
                    values[y].1.as_deref(),
                );
                if r != Relation::Compatible {
                    in_conflict[x] = true;
                    in_conflict[y] = true;
                    incompatible.push((x, y));
                    worst = Some(match (worst, r) {
                        (Some(Relation::Hard), _) | (_, Relation::Hard) => Relation::Hard,
                        _ => Relation::Soft,
                    });
                }
            }
        }
        let events_in: BTreeSet<Option<&str>> = members
            .iter()
            .map(|&m| articles[placed[m].article].event.as_deref())
            .collect();
        let event = if events_in.len() == 1 {
            events_in.into_iter().next().flatten().map(str::to_string)
        } else {
            None
        };
        let thread = members
            .iter()
            .find_map(|&m| {
                articles[placed[m].article]
                    .event
                    .as_deref()
                    .and_then(|e| cal.thread_of.get(e))
            })
            .map(|t| t.to_string());
        let verdict = if worst.is_some() {
            // Disputed: every side is asserted by named parties (an entity, or words naming
            // one: "an Israeli government spokesperson"), and no party on two sides.
            let sides: Vec<BTreeSet<String>> = values
                .iter()
                .zip(&in_conflict)
                .filter(|(_, c)| **c)
                .map(|(v, _)| {
                    v.2.iter()
                        .map(
                            |&m| match (&placed[m].raw.attribution, placed[m].raw.named_speaker) {
                                (Some(att), true) => att.speaker.to_lowercase(),
                                _ => String::new(),
                            },
                        )
                        .collect()
                })
                .collect();
            let attributed = sides.iter().all(|s| !s.contains(""));
            let disjoint = sides
                .iter()
                .enumerate()
                .all(|(i, a)| sides.iter().skip(i + 1).all(|b| a.is_disjoint(b)));
            if attributed && disjoint {
                Verdict::Disputed
            } else {
                Verdict::Contested
            }
        } else if confirmed(kind, &values, &origins_of) {
            Verdict::Corroborated
        } else {
            Verdict::SingleOrigin
        };
        let slot = slot_label(&first.raw);
        let claim_ids: Vec<String> = members
            .iter()
            .map(|&m| placed[m].claim.id.clone())
            .collect();
        out.groups.push(ClaimGroup {
            id: gid.clone(),
            event,
            thread,
            slot,
            confidence: None,
            verdict,
            origins: all_origins,
            claims: claim_ids,
            values: values
                .iter()
                .map(|(v, q, ms)| SlotValue {
                    value: v.clone(),
                    qualifier: q.clone(),
                    claims: ms.iter().map(|&m| placed[m].claim.id.clone()).collect(),
                    origins: origins_of(ms),
                })
                .collect(),
        });
        if let Some(sev) = worst {
            let sides: Vec<ConflictSide> = values
                .iter()
                .zip(&in_conflict)
                .filter(|(_, c)| **c)
                .map(|((v, _, ms), _)| {
                    let mut arts: Vec<String> = ms
                        .iter()
                        .map(|&m| placed[m].claim.article.clone())
                        .collect();
                    arts.dedup();
                    let mut quotes: Vec<String> = Vec::new();
                    for &m in ms {
                        if !quotes.contains(&placed[m].claim.quote) {
                            quotes.push(placed[m].claim.quote.clone());
                        }
                    }
                    ConflictSide {
                        value: v.clone(),
                        claims: ms.iter().map(|&m| placed[m].claim.id.clone()).collect(),
                        articles: arts,
                        quotes,
                    }
                })
                .collect();
            // Internal: one article states, in its own voice, two values that exclude each
            // other (an article quoting two parties who disagree reports a dispute, it does not
            // contradict itself; one stating 23 and "about two dozen" does not either).
            let internal_articles = if verdict == Verdict::Disputed {
                Vec::new()
            } else {
                let article_of = |m: &usize| placed[*m].claim.article.as_str();
                let pairs = incompatible.iter().map(|&(x, y)| {
                    let ys: Vec<&str> = values[y].2.iter().map(article_of).collect();
                    (values[x].2.iter().map(article_of))
                        .filter(move |a| ys.contains(a))
                        .collect::<Vec<_>>()
                });
                crate::distinct(pairs.flatten())
            };
            out.conflicts.push(Conflict {
                id: model::content_id(format!("{gid}:conflict").as_bytes()),
                group: gid.clone(),
                kind: kind.to_string(),
                severity: if sev == Relation::Hard {
                    Severity::Hard
                } else {
                    Severity::Soft
                },
                internal: !internal_articles.is_empty(),
                internal_articles,
                values: sides,
            });
        }
    }
    (out.groups, out.conflicts)
}

/// Equal counts of one thing in one event, stated by different origins, corroborate each
/// other even where the count alone is too vague to contradict anything ("1.5 million women"
/// in two outlets' reports of one lawsuit): such groups merge. Only groups holding one value
/// merge, and only with groups of the same value, so no merge can open a conflict. A count of
/// one or a negated count never merges (a single thing, or no thing, is no evidence), nor do
/// counts of the same noun with different event words or different named modifiers.
fn merge_equal_counts(
    groups: Vec<(String, Vec<usize>)>,
    placed: &[Placed],
    articles: &[Article],
) -> Vec<(String, Vec<usize>)> {
    // (event, counted noun, unit, value, named modifiers) -> groups with that one value.
    let mut buckets: HashMap<(String, String, String, String, String), Vec<usize>> = HashMap::new();
    for (g, (_, members)) in groups.iter().enumerate() {
        let first = &placed[members[0]];
        let Some(event) = articles[first.article].event.as_deref() else {
            continue;
        };
        let same_value = members.iter().all(|&m| {
            let r = &placed[m].raw;
            r.kind == "number"
                && !r.negated
                && r.value == first.raw.value
                && r.unit == first.raw.unit
                && r.subject == first.raw.subject
        });
        if !same_value || first.raw.value.as_f64().is_none_or(|v| v < 2.0) {
            continue;
        }
        // The sentence-position part of a generic count's detail says nothing about what is
        // counted; the named modifiers do.
        let named: Vec<&str> = first
            .raw
            .detail
            .as_deref()
            .unwrap_or("")
            .split(' ')
            .filter(|w| {
                !w.starts_with('@') && !w.starts_with('~') && Some(*w) != first.raw.unit.as_deref()
            })
            .collect();
        buckets
            .entry((
                event.to_string(),
                first.raw.subject.clone(),
                first.raw.unit.clone().unwrap_or_default(),
                first.raw.value.to_string(),
                named.join(" "),
            ))
            .or_default()
            .push(g);
    }
    let mut into: Vec<Option<usize>> = vec![None; groups.len()];
    for gs in buckets.values() {
        let origins: BTreeSet<&str> = gs
            .iter()
            .flat_map(|&g| groups[g].1.iter().map(|&m| placed[m].origin.as_str()))
            .collect();
        let predicates: BTreeSet<&str> = gs
            .iter()
            .flat_map(|&g| {
                groups[g]
                    .1
                    .iter()
                    .map(|&m| placed[m].raw.predicate.as_str())
            })
            .filter(|p| !p.is_empty())
            .collect();
        if gs.len() < 2 || origins.len() < 2 || predicates.len() > 1 {
            continue;
        }
        for &g in &gs[1..] {
            into[g] = Some(gs[0]);
        }
    }
    let mut groups = groups;
    for g in 0..groups.len() {
        if let Some(t) = into[g] {
            let moved = std::mem::take(&mut groups[g].1);
            groups[t].1.extend(moved);
            groups[t].1.sort_unstable();
        }
    }
    groups.retain(|(_, members)| !members.is_empty());
    groups
}

/// Days between two events of one thread within which their tallies are one running count.
const TALLY_WINDOW_DAYS: i64 = 30;

/// Days around an event's date within which a recurring happening's date is the event's.
const RECURRING_WINDOW_DAYS: i64 = 60;

fn slot_label(r: &RawClaim) -> String {
    let subject = if r.subject_label.is_empty() {
        r.subject.as_str()
    } else {
        r.subject_label.as_str()
    };
    match r.kind.as_str() {
        "date" => format!("when: {subject} {}", r.predicate),
        "number" if r.predicate == lexicon::AGE => format!("age: {subject}"),
        "number" => {
            let p = if r.predicate.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.predicate)
            };
            let unit = r
                .unit
                .as_deref()
                .map(|u| format!(" in {u}"))
                .unwrap_or_default();
            format!("how many: {subject}{p}{unit}")
        }
        "ordinal" => format!(
            "which: {subject} {}{}",
            r.predicate,
            r.detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ),
        "proposition" => format!("whether: {subject} {}", r.predicate),
        k => format!("{k}: {subject} {}", r.predicate),
    }
}

/// Whether two independent origins state compatible values: one value stated by two, or
/// two values that agree ("late 2024" and "8 December 2024", "about 200" and "more than
/// 100"). Origins stating values that were never compared (background dates, counts far
/// apart in time) confirm nothing to each other.
fn confirmed(
    kind: &str,
    values: &[(Value, Option<String>, Vec<usize>)],
    origins_of: &dyn Fn(&[usize]) -> Vec<String>,
) -> bool {
    values.iter().enumerate().any(|(x, (vx, qx, mx))| {
        let mut agreeing: BTreeSet<String> = origins_of(mx).into_iter().collect();
        for (y, (vy, qy, my)) in values.iter().enumerate() {
            let agrees = compat::relate(kind, vx, qx.as_deref(), vy, qy.as_deref());
            if y != x && agrees == Relation::Compatible {
                agreeing.extend(origins_of(my));
            }
        }
        agreeing.len() >= 2
    })
}
