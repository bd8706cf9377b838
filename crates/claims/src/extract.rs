//! Claim extraction: one pass over each sentence of an article.
//!
//! A claim is a value the sentence states about a subject:
//! * **date**: a temporal expression attached to an event word near it ("since fleeing Syria on
//!   8 December 2025", "his December 2024 flight", "the ouster of ... Bashar al-Assad in late
//!   2024"); the subject is the entity the event word is about (of-phrase, possessive, or the
//!   nearest name before it; "his" is the last person named). A date attached to a reporting
//!   verb ("told AFP on Saturday") is when it was said, not a claim.
//! * **number**: a quantity with what it counts; the slot is the counted noun (lemma) and the
//!   event word that governs it ("killed nearly 69,000 Palestinians", "the number of
//!   Palestinians killed ... 69,176").
//! * **ordinal**: "second visit", "first meeting", with any date attached ("first meeting in
//!   October 2025").
//! * **proposition**: in an attributed clause, an event word with its actor or place, true or
//!   negated ("Turkish soldiers would not be deployed to Gaza" / "Türkiye would participate").
//!
//! Every claim keeps the sentence as its quote, the attribution of the sentence (speaker entity
//! or words, and reporting verb), its modality (reported, speculative, planned, expected,
//! asserted) and negation.

use std::collections::HashMap;

use model::{Article, Attribution, Entity, EntityKind, Mention, Modality};
use serde_json::Value;

use crate::lexicon::{self, lemma};

/// The kinds of typed claim, as [`RawClaim::kind`] names them.
pub const KINDS: &[&str] = &["date", "number", "ordinal", "proposition"];

/// A claim before grouping (stored with its article's reading).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RawClaim {
    /// One of [`KINDS`].
    pub kind: String,
    /// Entity id, or a lemma phrase when no entity is the subject.
    pub subject: String,
    /// Readable subject.
    pub subject_label: String,
    /// Event class or lemma.
    pub predicate: String,
    pub value: Value,
    pub qualifier: Option<String>,
    /// Extra slot key (an ordinal's attached date; a proposition's place).
    pub detail: Option<String>,
    /// A number's unit (ISO 4217, "%", a measure word).
    pub unit: Option<String>,
    /// For numbers: whether the slot is specific enough to compare across sentences (an event
    /// word, and a counted noun that is named or not generic).
    pub comparable: bool,
    pub attribution: Option<Attribution>,
    /// Readable speaker (entity name or words).
    pub speaker_label: Option<String>,
    /// A speaker that is a named entity (used to tell disputes from errors).
    pub named_speaker: bool,
    pub modality: Modality,
    pub negated: bool,
    /// A news agency the sentence credits ("told AFP"): the claim's origin.
    pub agency: Option<String>,
    /// A date resolved against an inferred anchor (the event's own date): no evidence
    /// against other dates.
    pub inferred: bool,
    /// Dates the sentence states on its own (not resolved against an inferred anchor): a
    /// count or ordinal in "the 2003 quake, in which 31,000 people were killed" belongs to
    /// 2003.
    pub sentence_dates: Vec<String>,
    pub start: usize,
    pub end: usize,
}

/// Counted nouns too general to compare across sentences on their own.
const GENERIC_HEADS: &[&str] = &[
    "people",
    "person",
    "other",
    "one",
    "man",
    "woman",
    "child",
    "individual",
    "resident",
    "civilian",
    "family",
    "member",
    "thing",
    "time",
    "case",
    "unit",
    "item",
    "seat",
    "state",
    "vote",
    "candidate",
    "instance",
    "occasion",
    "point",
    "percentage",
    "bill",
    "measure",
    "official",
    "country",
    "year",
    "day",
    "week",
    "month",
    "hour",
    "minute",
    "way",
    "part",
    "step",
    "issue",
    "question",
    "reason",
    "place",
    "area",
    "group",
    "project",
    "letter",
    "action",
    "race",
    "hearing",
    "senator",
    "worth",
    "dollar",
    "page",
    "document",
    "republican",
    "democrat",
    "american",
    "voter",
    "percent",
    "term",
    "record",
    "report",
    "story",
];

struct Tok<'a> {
    text: &'a str,
    lower: String,
    lemma: String,
    start: usize,
    end: usize,
}

/// Per-article extraction context.
pub struct Extractor<'a> {
    entities: HashMap<&'a str, &'a Entity>,
}

fn is_punct(t: &str) -> bool {
    !t.chars().any(char::is_alphanumeric)
}

/// A country and its demonym share a stem ("Turkish" / "Türkiye", "Syrian" / "Syria").
pub fn place_stem(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(lang::entities::base_letter)
        .filter(|c| c.is_alphabetic())
        .take(4)
        .collect()
}

impl<'a> Extractor<'a> {
    pub fn new(entities: &'a [Entity]) -> Extractor<'a> {
        Extractor {
            entities: entities.iter().map(|e| (e.id.as_str(), e)).collect(),
        }
    }

    fn name(&self, id: &str) -> String {
        self.entities
            .get(id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Extracts the claims of one article.
    pub fn article(&self, a: &Article) -> Vec<RawClaim> {
        let mut out = Vec::new();
        let text = a.text.as_str();
        let mut last_person: Option<String> = None;
        for s in &a.sentences {
            // Subheads state no claims.
            if a.paragraphs
                .iter()
                .any(|p| p.heading && p.start <= s.start && s.end <= p.end)
            {
                continue;
            }
            let raw = crate::frames::sentence_tokens(a, s.start, s.end);
            let toks: Vec<Tok> = raw
                .iter()
                .map(|t| {
                    let tx = t.text(text);
                    Tok {
                        text: tx,
                        lower: tx.to_lowercase(),
                        lemma: lemma(tx),
                        start: t.start,
                        end: t.end,
                    }
                })
                .collect();
            let mentions: Vec<&Mention> = a
                .mentions
                .iter()
                .filter(|m| m.start >= s.start && m.end <= s.end)
                .collect();
            let mention_at = |k: usize| -> Option<&Mention> {
                mentions
                    .iter()
                    .copied()
                    .find(|m| m.start <= toks[k].start && toks[k].end <= m.end)
            };
            let sent = SentenceView {
                toks: &toks,
                mention_at: &mention_at,
            };
            let (attribution, speaker_label, named, agency, verb_at) =
                self.attribution(&sent, &last_person);
            let modality = modality(&toks, attribution.is_some());
            let sentence_dates: Vec<String> = a
                .timexes
                .iter()
                .filter(|t| {
                    t.start >= s.start && t.end <= s.end && t.kind == model::TimexType::Date
                })
                .filter(|t| t.anchor_from != Some(model::AnchorFrom::Inferred))
                .filter_map(|t| t.value.clone())
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                .collect();
            let base = |kind: &'static str| RawClaim {
                kind: kind.to_string(),
                subject: String::new(),
                subject_label: String::new(),
                predicate: String::new(),
                value: Value::Null,
                qualifier: None,
                detail: None,
                unit: None,
                comparable: true,
                attribution: attribution.clone(),
                speaker_label: speaker_label.clone(),
                named_speaker: named,
                modality,
                negated: false,
                agency: agency.map(str::to_string),
                inferred: false,
                sentence_dates: sentence_dates.clone(),
                start: s.start,
                end: s.end,
            };

            // Dates.
            for t in a
                .timexes
                .iter()
                .filter(|t| t.start >= s.start && t.end <= s.end)
            {
                let Some(value) = t.value.as_deref() else {
                    continue;
                };
                if t.kind != model::TimexType::Date
                    || !value.starts_with(|c: char| c.is_ascii_digit())
                {
                    continue;
                }
                let Some(first) = toks.iter().position(|x| x.start >= t.start) else {
                    continue;
                };
                let last = toks.iter().rposition(|x| x.end <= t.end).unwrap_or(first);
                let Some((pred_at, class)) = date_predicate(&toks, first, last, verb_at) else {
                    continue;
                };
                if conditional(&toks, first) {
                    continue;
                }
                let Some((subject, label)) = self.subject_of(&sent, pred_at, first, &last_person)
                else {
                    continue;
                };
                let mut c = base("date");
                c.subject = subject;
                c.subject_label = label;
                c.predicate = class.to_string();
                c.value = Value::String(value.to_string());
                c.qualifier = t.modifier.clone();
                c.inferred = t.anchor_from == Some(model::AnchorFrom::Inferred);
                c.negated = negated_near(&toks, pred_at);
                out.push(c);
            }

            // Numbers.
            for q in a
                .quantities
                .iter()
                .filter(|q| q.start >= s.start && q.end <= s.end)
            {
                let Some(counts) = q.counts.as_deref() else {
                    continue;
                };
                let words: Vec<&str> = counts.split_whitespace().collect();
                let mut head_end = words.len();
                for (i, w) in words.iter().enumerate().skip(1) {
                    let l = w.to_lowercase();
                    if (l.ends_with("ed") || l.ends_with("ing")) && l.len() > 4 {
                        head_end = i;
                        break;
                    }
                }
                let head = lemma(words[head_end - 1]);
                let participle = words.get(head_end).map(|w| lemma(w));
                let Some(qfirst) = toks.iter().position(|x| x.start >= q.start) else {
                    continue;
                };
                if conditional(&toks, qfirst) {
                    continue;
                }
                // "the two Syrians" refers back to people already named; it counts nothing.
                if qfirst > 0
                    && matches!(
                        toks[qfirst - 1].lower.as_str(),
                        "the" | "these" | "those" | "both"
                    )
                {
                    continue;
                }
                // Names inside the counted phrase are part of the slot: "10,000 Russian troops"
                // and "900 troops" of the United States are not the same count.
                // Where the counted phrase stands: after the number, or earlier in the
                // sentence ("the number of Palestinians killed ... has risen to 69,176").
                let sentence = &text[s.start..s.end];
                let (c_start, c_end) = match sentence[q.end - s.start..].find(counts) {
                    Some(i) => (q.end + i, q.end + i + counts.len()),
                    None => match sentence.find(counts) {
                        Some(i) => (s.start + i, s.start + i + counts.len()),
                        None => (q.end, q.end),
                    },
                };
                let modifiers: Vec<String> = a
                    .mentions
                    .iter()
                    .filter(|m| m.start >= c_start && m.end <= c_end)
                    .filter(|m| {
                        let w = &text[m.start..m.end];
                        words[..head_end]
                            .iter()
                            .any(|x| w.contains(x) || x.contains(w))
                    })
                    .map(|m| place_stem(&self.name(&m.entity)))
                    .collect();
                let pred = participle
                    .as_deref()
                    .and_then(lexicon::event_class)
                    .or_else(|| number_predicate(&toks, qfirst));
                // "one candidate", "one problem": a single thing with no event word is no
                // count worth stating as a claim ("killed one man" is).
                if q.value == 1.0 && q.unit.is_none() && pred.is_none() {
                    continue;
                }
                let mut c = base("number");
                c.subject = head.clone();
                c.subject_label = words[..head_end].join(" ");
                c.predicate = pred.unwrap_or("").to_string();
                // Whole numbers print as integers ("69176", not "69176.0").
                c.value = if q.value.fract() == 0.0 && q.value.abs() < 9e15 {
                    serde_json::json!(q.value as i64)
                } else {
                    serde_json::json!(q.value)
                };
                c.unit = q.unit.clone();
                c.qualifier = Some(
                    match q.qualifier {
                        model::Qualifier::Exact => "exact",
                        model::Qualifier::Approximate => "approximate",
                        model::Qualifier::AtLeast => "at_least",
                        model::Qualifier::AtMost => "at_most",
                        model::Qualifier::Vague => "vague",
                    }
                    .to_string(),
                );
                let named = !modifiers.is_empty();
                let mut detail: Vec<String> = modifiers;
                if let Some(u) = &q.unit {
                    detail.push(u.clone());
                }
                let generic =
                    GENERIC_HEADS.contains(&head.as_str()) || c.unit.as_deref() == Some("%");
                // "one problem", "one word": a single thing is no count worth checking.
                c.comparable = (!generic || named) && !(q.value == 1.0 && q.unit.is_none());
                if GENERIC_HEADS.contains(&head.as_str()) {
                    // "people", "others": what is counted depends on the sentence, so the
                    // slot is the sentence's place and event word, or the sentence itself.
                    let place = mentions
                        .iter()
                        .find(|m| m.kind == EntityKind::Place)
                        .map(|m| place_stem(&self.name(&m.entity)));
                    // "19 separate actions the president could take" and "23 executive actions
                    // that will be taken": the verb that follows tells what is counted, so
                    // such counts compare across the articles of one event.
                    let verb = (c.unit.is_none() && q.value != 1.0)
                        .then(|| toks.iter().position(|t| t.start >= c_end))
                        .flatten()
                        .and_then(|after| verb_after(&toks, after));
                    match (place, pred, verb) {
                        (Some(p), Some(_), _) => detail.push(p),
                        (_, None, Some(v)) if !named => {
                            c.comparable = true;
                            detail.push(format!("~{v}"));
                        }
                        _ => detail.push(format!("@{}:{}", a.id, q.start)),
                    }
                }
                if !detail.is_empty() {
                    c.detail = Some(detail.join(" "));
                }
                c.negated = negated_near(&toks, qfirst);
                out.push(c);
            }

            out.extend(self.ages(&sent, &base));

            // Ordinals.
            for k in 0..toks.len() {
                let Some(n) = lexicon::ordinal(toks[k].text) else {
                    continue;
                };
                // The event noun right after ("second visit", "second official visit").
                let Some((noun_at, class)) = (k + 1..(k + 3).min(toks.len()))
                    .find_map(|j| lexicon::event_class(&toks[j].lemma).map(|c| (j, c)))
                else {
                    continue;
                };
                if matches!(class, "kill" | "attack") {
                    continue;
                }
                let Some((subject, label)) = self.subject_of(&sent, k, k, &last_person) else {
                    continue;
                };
                let date = a
                    .timexes
                    .iter()
                    .find(|t| t.start >= toks[noun_at].end && t.start <= toks[noun_at].end + 4)
                    .and_then(|t| t.value.clone());
                let mut c = base("ordinal");
                c.subject = subject;
                c.subject_label = label;
                c.predicate = class.to_string();
                c.value = serde_json::json!(n);
                c.detail = date;
                out.push(c);
            }

            // Propositions: "X said (that) <actor> would (not) <event word>". The clause must
            // follow a verb of saying directly (after its object: "told reporters"), name its
            // actor within its first words, and reach the event word soon after.
            if let Some(v) = verb_at
                && PROPOSITION_VERBS.contains(&toks[v].lemma.as_str())
                && let Some(clause) = reported_clause(&toks, v)
                && let Some((pred_at, class)) = (clause..(clause + 9).min(toks.len()))
                    .take_while(|&j| !matches!(toks[j].text, "," | ";" | "." | ":"))
                    .find_map(|j| event_at(&toks, j).map(|c| (j, c)))
                && !conditional(&toks, pred_at)
                && let Some((subject, label)) =
                    self.actor_of(&sent, clause, pred_at.min(clause + 5))
            {
                let place = (pred_at + 1..toks.len()).find_map(|j| {
                    mention_at(j)
                        .filter(|m| m.kind == EntityKind::Place)
                        .map(|m| self.name(&m.entity))
                });
                let neg = (v + 1..pred_at)
                    .any(|j| lexicon::NEGATIONS.contains(&toks[j].lower.as_str()))
                    || toks[v].lemma == "deny";
                let mut c = base("proposition");
                c.subject = subject;
                c.subject_label = label;
                c.predicate = class.to_string();
                c.value = Value::String(if neg { "no" } else { "yes" }.into());
                c.negated = neg;
                c.detail = place;
                out.push(c);
            }

            // Remember the last person named, for "his" / "he" in later sentences.
            if let Some(m) = mentions.iter().rev().find(|m| m.kind == EntityKind::Person) {
                last_person = Some(m.entity.clone());
            }
        }
        out
    }

    /// People's ages stated beside their names ("McCarthy, 49,", "Labrador, who is 46,",
    /// "Raul Labrador, a 46-year-old Mormon", "46-year-old Raul Labrador", "Smith (45)"): a
    /// person's age is one fact across the reports of an event, and outlets get it wrong.
    fn ages(
        &self,
        sent: &SentenceView<'_, '_>,
        base: &dyn Fn(&'static str) -> RawClaim,
    ) -> Vec<RawClaim> {
        let toks = sent.toks;
        let mut out = Vec::new();
        // Every form states the age in digits; most sentences have none to look at.
        if !toks
            .iter()
            .any(|t| t.text.bytes().any(|b| b.is_ascii_digit()))
        {
            return out;
        }
        let mut k = 0;
        while k < toks.len() {
            let Some(m) = (sent.mention_at)(k).filter(|m| m.kind == EntityKind::Person) else {
                k += 1;
                continue;
            };
            let mut end = k + 1;
            while end < toks.len() && (sent.mention_at)(end).is_some_and(|n| std::ptr::eq(n, m)) {
                end += 1;
            }
            if let Some(age) = age_before(toks, k, end).or_else(|| age_after(toks, end)) {
                let mut c = base("number");
                c.subject = m.entity.clone();
                c.subject_label = self.name(&m.entity);
                c.predicate = lexicon::AGE.to_string();
                c.value = serde_json::json!(age);
                c.qualifier = Some("exact".to_string());
                out.push(c);
            }
            k = end;
        }
        out
    }

    /// The attribution of a sentence: speaker id or words, verb, whether the speaker is a
    /// named entity, a credited agency, and the reporting verb's token index.
    #[allow(clippy::type_complexity)]
    fn attribution(
        &self,
        s: &SentenceView<'_, '_>,
        last_person: &Option<String>,
    ) -> (
        Option<Attribution>,
        Option<String>,
        bool,
        Option<&'static str>,
        Option<usize>,
    ) {
        let toks = s.toks;
        let mut agency = None;
        // "told AFP", "according to Reuters", "(AFP)".
        for k in 0..toks.len() {
            if let Some(ag) = lexicon::agency(toks[k].text) {
                let prev = if k > 0 {
                    toks[k - 1].lower.as_str()
                } else {
                    ""
                };
                let prev2 = if k > 1 {
                    toks[k - 2].lower.as_str()
                } else {
                    ""
                };
                if matches!(prev, "told" | "to" | "(" | "by" | "tells") || prev2 == "according" {
                    agency = Some(ag);
                }
            }
        }
        // "according to X".
        if let Some(k) = toks.iter().position(|t| t.lower == "according")
            && toks.get(k + 1).is_some_and(|t| t.lower == "to")
        {
            let (speaker, label, named) = self.phrase_at(s, k + 2, true);
            if !speaker.is_empty() {
                return (
                    Some(Attribution {
                        speaker,
                        verb: "according to".into(),
                    }),
                    Some(label),
                    named,
                    agency,
                    Some(k),
                );
            }
        }
        // A reporting verb with a speaker: not a noun ("the report", "secretary of state"),
        // not a participle ("newly confirmed", "was announced", "rejecting measures").
        // Inside quotation marks, "said" is the quoted speaker's own word ("lots of my
        // constituents have said ...," said Mr. Goodlatte).
        let quoted = quoted_tokens(toks);
        let verb = (0..toks.len()).find(|&k| {
            let after_non_subject =
                k > 0 && lexicon::NOT_BEFORE_REPORTING.contains(&toks[k - 1].lower.as_str());
            !quoted[k]
                && !after_non_subject
                && lexicon::REPORTING.contains(&toks[k].lemma.as_str())
                && !toks[k].lower.ends_with("ing")
                && toks[k].text.chars().next().is_some_and(char::is_lowercase)
                // "states", "a report", "these claims" are nouns: as verbs these words are in
                // the past ("reported") or take a clause ("claims that").
                && (!lexicon::ALSO_NOUNS.contains(&toks[k].lemma.as_str())
                    || toks[k].lower.ends_with("ed")
                    || toks.get(k + 1).is_some_and(|t| t.lower == "that"))
        });
        let Some(v) = verb else {
            return (None, None, false, agency, None);
        };
        let verb_text = if toks[v].lemma == "decline"
            && toks.get(v + 2).is_some_and(|t| t.lower == "comment")
        {
            "declined to comment".to_string()
        } else {
            past(&toks[v].lemma, &toks[v].lower)
        };
        // Inverted: ", said X" / "X said" at the end. Only after punctuation: in "rejected
        // the measures" the words after the verb are its object.
        let after = if v > 0 && is_punct(toks[v - 1].text) {
            self.phrase_at(s, v + 1, true)
        } else {
            (String::new(), String::new(), false)
        };
        let before = self.subject_before(s, v);
        // "Gila Gamliel, the minister of ..., told Army Radio": the speaker is the name the
        // appositive describes (after "told", the listener).
        let appositive = || -> Option<(String, String, bool)> {
            if v == 0 || toks[v - 1].text != "," {
                return None;
            }
            (0..v.saturating_sub(1)).find_map(|j| {
                let m = (s.mention_at)(j).filter(|m| m.kind == EntityKind::Person)?;
                let ends_here = (s.mention_at)(j + 1).is_none_or(|n| !std::ptr::eq(n, m));
                (ends_here && toks[j + 1].text == ",")
                    .then(|| (m.entity.clone(), self.name(&m.entity), true))
            })
        };
        // The appositive comes first: in "Mr. Wilder, the governor's spokesman, said Ms.
        // Brewer's office ...", the name after the verb starts the reported clause.
        let (speaker, label, named) = match before.or_else(appositive) {
            Some(b) => b,
            None if toks[v].lemma != "tell" && !after.0.is_empty() => after,
            None => return (None, None, false, agency, Some(v)),
        };
        let (speaker, label, named) = if matches!(label.to_lowercase().as_str(), "he" | "she") {
            match last_person {
                Some(p) => (p.clone(), self.name(p), true),
                None => (speaker, label, named),
            }
        } else {
            (speaker, label, named)
        };
        (
            Some(Attribution {
                speaker,
                verb: verb_text,
            }),
            Some(label),
            named,
            agency,
            Some(v),
        )
    }

    /// The subject phrase right before token `v`: a name, or up to four words back to the
    /// clause start ("Syrian sources", "An Israeli government spokesperson", "he").
    fn subject_before(&self, s: &SentenceView<'_, '_>, v: usize) -> Option<(String, String, bool)> {
        let toks = s.toks;
        let mut k = v;
        // Skip adverbs and auxiliaries: "has repeatedly said", "also said".
        while k > 0
            && (matches!(
                toks[k - 1].lower.as_str(),
                "also"
                    | "has"
                    | "have"
                    | "had"
                    | "later"
                    | "previously"
                    | "repeatedly"
                    | "reportedly"
                    | "then"
                    | "did"
                    | "would"
                    | "again"
                    | "usually"
                    | "often"
                    | "publicly"
                    | "privately"
                    | "officially"
                    | "earlier"
                    | "recently"
                    | "not"
                    | "never"
                    // "last year announced", "on Thursday said": time, not the speaker.
                    | "yesterday"
                    | "today"
                    | "tonight"
                    | "last"
                    | "week"
                    | "month"
                    | "year"
                    | "ago"
                    | "morning"
                    | "afternoon"
                    | "evening"
                    | "night"
                    | "monday"
                    | "tuesday"
                    | "wednesday"
                    | "thursday"
                    | "friday"
                    | "saturday"
                    | "sunday"
                    | "on"
                    | "in"
                    | "january"
                    | "february"
                    | "march"
                    | "april"
                    | "may"
                    | "june"
                    | "july"
                    | "august"
                    | "september"
                    | "october"
                    | "november"
                    | "december"
            ) || toks[k - 1].text.bytes().all(|b| b.is_ascii_digit()))
        {
            k -= 1;
        }
        if k == 0 {
            return None;
        }
        // "the broad authority they say ...": a pronoun right before the verb is the subject.
        if matches!(
            toks[k - 1].lower.as_str(),
            "he" | "she" | "they" | "we" | "i" | "it" | "you"
        ) {
            let w = toks[k - 1].text.to_string();
            return Some((w.clone(), w, false));
        }
        if let Some(m) = (s.mention_at)(k - 1) {
            return Some((m.entity.clone(), self.name(&m.entity), true));
        }
        let mut start = k;
        while start > 0 && k - start < 5 {
            let t = &toks[start - 1];
            if is_punct(t.text)
                || matches!(
                    t.lower.as_str(),
                    "that"
                        | "which"
                        | "who"
                        | "whom"
                        | "whose"
                        | "what"
                        | "and"
                        | "but"
                        | "while"
                        | "since"
                        | "after"
                        | "before"
                        | "because"
                        | "when"
                        | "as"
                        | "if"
                        | "although"
                        | "though"
                        | "until"
                        | "where"
                )
            {
                break;
            }
            start -= 1;
        }
        if start == k {
            return None;
        }
        // "lawmakers who were briefed on the plan said": the noun the clause describes.
        if start >= 2 && toks[start - 1].lower == "who" && !is_punct(toks[start - 2].text) {
            start -= 2;
        }
        // A name inside the phrase is the speaker ("Kremlin spokesman Dmitry Peskov").
        if let Some(m) = (start..k)
            .rev()
            .find_map(|j| (s.mention_at)(j))
            .filter(|m| m.kind == EntityKind::Person)
        {
            return Some((m.entity.clone(), self.name(&m.entity), true));
        }
        let words: Vec<&str> = toks[start..k].iter().map(|t| t.text).collect();
        let phrase = words.join(" ");
        let named = (start..k).find_map(|j| (s.mention_at)(j));
        // "An Israeli government spokesperson": a party named by its words.
        Some((phrase.clone(), phrase, named.is_some()))
    }

    /// A name or short phrase starting at token `k` (for "according to X", ", said X").
    fn phrase_at(
        &self,
        s: &SentenceView<'_, '_>,
        k: usize,
        names_only: bool,
    ) -> (String, String, bool) {
        let toks = s.toks;
        if k >= toks.len() {
            return (String::new(), String::new(), false);
        }
        let mut j = k;
        while j < toks.len() && matches!(toks[j].lower.as_str(), "the" | "a" | "an") {
            j += 1;
        }
        if j < toks.len()
            && let Some(m) = (j..(j + 3).min(toks.len())).find_map(|x| (s.mention_at)(x))
        {
            return (m.entity.clone(), self.name(&m.entity), true);
        }
        if names_only {
            // Words up to the next punctuation: "Iraqi security sources".
            let mut e = k;
            while e < toks.len() && !is_punct(toks[e].text) && e - k < 5 {
                e += 1;
            }
            if e > k
                && e - k <= 4
                && toks[k]
                    .text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic())
            {
                let phrase: Vec<&str> = toks[k..e].iter().map(|t| t.text).collect();
                if phrase
                    .iter()
                    .any(|w| w.ends_with('s') || w.chars().next().is_some_and(char::is_uppercase))
                {
                    let p = phrase.join(" ");
                    return (p.clone(), p, false);
                }
            }
        }
        (String::new(), String::new(), false)
    }

    /// The entity an event word at `pred` is about.
    fn subject_of(
        &self,
        s: &SentenceView<'_, '_>,
        pred: usize,
        value_at: usize,
        last_person: &Option<String>,
    ) -> Option<(String, String)> {
        let toks = s.toks;
        let resolve = |m: &Mention| (m.entity.clone(), self.name(&m.entity));
        // "the ouster of longtime leader Bashar al-Assad".
        if toks.get(pred + 1).is_some_and(|t| t.lower == "of") {
            for (j, t) in toks
                .iter()
                .enumerate()
                .take((pred + 6).min(toks.len()))
                .skip(pred + 2)
            {
                if let Some(m) = (s.mention_at)(j)
                    .filter(|m| matches!(m.kind, EntityKind::Person | EntityKind::Org))
                {
                    return Some(resolve(m));
                }
                if is_punct(t.text) {
                    break;
                }
            }
        }
        // A possessive right before the event word or the value: "Assad’s ouster", "his
        // December 2024 flight", "al-Sharaa's second visit".
        let anchor = pred.min(value_at);
        for j in (anchor.saturating_sub(2)..anchor).rev() {
            let l = toks[j].lower.as_str();
            if matches!(l, "his" | "her") {
                return last_person_before(s, j)
                    .or_else(|| last_person.clone())
                    .map(|p| (p.clone(), self.name(&p)));
            }
            if matches!(l, "’s" | "'s")
                && j > 0
                && let Some(m) = (s.mention_at)(j - 1)
            {
                return Some(resolve(m));
            }
        }
        // An event noun ("the November election", "an attack") names its subject only by
        // an of-phrase or a possessive, both tried above; a verb ("fleeing", "was elected")
        // takes the nearest name before it.
        if is_nominal(toks, pred) {
            return None;
        }
        // The nearest person or organisation named before the event word.
        for j in (0..pred).rev() {
            if let Some(m) =
                (s.mention_at)(j).filter(|m| matches!(m.kind, EntityKind::Person | EntityKind::Org))
            {
                return Some(resolve(m));
            }
        }
        // A pronoun subject.
        if toks
            .iter()
            .take(pred)
            .any(|t| matches!(t.lower.as_str(), "he" | "she"))
        {
            return last_person.clone().map(|p| (p.clone(), self.name(&p)));
        }
        None
    }

    /// The actor of an event word in a reported clause: the nearest name between the verb and
    /// the event word (a demonym counts as its country: "Turkish soldiers").
    fn actor_of(
        &self,
        s: &SentenceView<'_, '_>,
        from: usize,
        pred: usize,
    ) -> Option<(String, String)> {
        for j in (from..pred).rev() {
            if let Some(m) = (s.mention_at)(j) {
                let name = self.name(&m.entity);
                if matches!(
                    m.kind,
                    EntityKind::Place | EntityKind::Misc | EntityKind::Org
                ) {
                    // Actors that are countries compare by stem ("Turkish" ~ "Türkiye").
                    return Some((format!("country:{}", place_stem(&name)), name));
                }
                return Some((m.entity.clone(), name));
            }
        }
        None
    }
}

struct SentenceView<'a, 'b> {
    toks: &'a [Tok<'a>],
    mention_at: &'b dyn Fn(usize) -> Option<&'a Mention>,
}

fn last_person_before(s: &SentenceView<'_, '_>, k: usize) -> Option<String> {
    (0..k)
        .rev()
        .find_map(|j| (s.mention_at)(j).filter(|m| m.kind == EntityKind::Person))
        .map(|m| m.entity.clone())
}

/// The event word a date attaches to: a noun right after it ("his December 2024 flight"), else
/// the nearest event word before it in the clause, else just after. A reporting verb nearer
/// than any event word means the date says when something was said.
fn date_predicate(
    toks: &[Tok<'_>],
    first: usize,
    last: usize,
    verb_at: Option<usize>,
) -> Option<(usize, &'static str)> {
    for (j, t) in toks
        .iter()
        .enumerate()
        .take((last + 3).min(toks.len()))
        .skip(last + 1)
    {
        if let Some(c) = event_at(toks, j) {
            return Some((j, c));
        }
        // "in an Oct. 15 interview": the date modifies the noun after it; when that noun
        // names no event, the date is not a claim about an event.
        if is_punct(t.text) {
            break;
        }
        if is_common_noun(&t.lower) {
            return None;
        }
    }
    let mut j = first;
    let mut steps = 0;
    while j > 0 && steps < 9 {
        j -= 1;
        steps += 1;
        let t = &toks[j];
        if matches!(t.text, ";" | "." | ":" | "“" | "”" | "\"") {
            break;
        }
        if Some(j) == verb_at || lexicon::REPORTING.contains(&t.lemma.as_str()) {
            return None;
        }
        if let Some(c) = event_at(toks, j) {
            return Some((j, c));
        }
    }
    for (j, t) in toks
        .iter()
        .enumerate()
        .take((last + 5).min(toks.len()))
        .skip(last + 1)
    {
        if is_punct(t.text) {
            break;
        }
        if let Some(c) = lexicon::event_class(&t.lemma) {
            return Some((j, c));
        }
    }
    None
}

/// Above this, a number beside a name is no age ("Smith, 1998,").
const MAX_AGE: u32 = 120;

/// A token that states an age on its own ("49").
fn age_number(t: Option<&Tok<'_>>) -> Option<u32> {
    let t = t?.text;
    let n: u32 = (t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()?;
    (1..=MAX_AGE).contains(&n).then_some(n)
}

/// "46-year-old" (or "46-years-old").
fn year_old(t: Option<&Tok<'_>>) -> Option<u32> {
    let t = t?;
    let n = t
        .lower
        .strip_suffix("-year-old")
        .or_else(|| t.lower.strip_suffix("-years-old"))?;
    let n: u32 = n.parse().ok()?;
    (1..=MAX_AGE).contains(&n).then_some(n)
}

/// An age right before a name: "46-year-old Raul Labrador". Not an age the person had then
/// ("then-15-year-old Timmons"), nor one of a noun the name only modifies ("the 39-year-old
/// Troy man": `end` is the token after the name).
fn age_before(toks: &[Tok<'_>], first: usize, end: usize) -> Option<u32> {
    let at = first.checked_sub(1)?;
    // "then-15-year-old", also split by scraping ("then- 15-year-old").
    let word = |back: usize| at.checked_sub(back).map_or("", |k| toks[k].lower.as_str());
    let then = matches!(word(1), "then" | "then-") || (word(1) == "-" && word(2) == "then");
    let modifier = toks.get(end).is_some_and(|t| is_common_noun(t.text));
    (!then && !modifier)
        .then(|| year_old(toks.get(at)))
        .flatten()
}

/// An age right after a name (`end`: the token after it): ", 49,", ", who is 46,", ", a
/// 46-year-old", " (45)".
fn age_after(toks: &[Tok<'_>], end: usize) -> Option<u32> {
    let word = |k: usize| toks.get(k).map_or("", |t| t.lower.as_str());
    let closes = |k: usize| matches!(word(k), "," | ")" | ";" | "." | "years");
    match word(end) {
        "(" => age_number(toks.get(end + 1)).filter(|_| word(end + 2) == ")"),
        "," => match word(end + 1) {
            "who" if word(end + 2) == "is" => {
                age_number(toks.get(end + 3)).filter(|_| closes(end + 4))
            }
            "a" | "an" => year_old(toks.get(end + 2)),
            _ => age_number(toks.get(end + 1))
                .filter(|_| closes(end + 2) && word(end + 2) != "years"),
        },
        _ => None,
    }
}

/// The event word governing a number: the nearest event word in the four tokens before it
/// (skipping qualifiers), stopping at punctuation.
fn number_predicate(toks: &[Tok<'_>], at: usize) -> Option<&'static str> {
    let mut j = at;
    let mut steps = 0;
    while j > 0 && steps < 5 {
        j -= 1;
        steps += 1;
        if is_punct(toks[j].text) || lexicon::REPORTING.contains(&toks[j].lemma.as_str()) {
            return None;
        }
        if let Some(c) = lexicon::event_class(&toks[j].lemma) {
            return Some(c);
        }
    }
    None
}

/// The first verb after a counted phrase, within its clause and six tokens ("actions the
/// president could take" -> take; "steps he took" -> take): a word after a modal or "to", or
/// an inflected form that is no plural noun. Verbs of saying and auxiliaries tell nothing.
fn verb_after(toks: &[Tok<'_>], after: usize) -> Option<String> {
    for j in after..(after + 6).min(toks.len()) {
        let t = &toks[j];
        if is_punct(t.text) {
            return None;
        }
        let after_modal = j > 0
            && matches!(
                toks[j - 1].lower.as_str(),
                "can" | "could" | "will" | "would" | "may" | "might" | "must" | "should" | "to"
            );
        let inflected = t.lemma != t.lower && !t.lower.ends_with('s');
        // "top-ranked", "well-known": part of a compound modifier, not a verb.
        let compound = t.text.contains('-')
            || (j > 0 && toks[j - 1].text == "-" && toks[j - 1].end == t.start);
        if !(after_modal || inflected) || compound || t.text.starts_with(char::is_uppercase) {
            continue;
        }
        if matches!(
            t.lemma.as_str(),
            "be" | "have" | "do" | "get" | "become" | "been" | "being" | "had" | "did"
        ) || lexicon::REPORTING.contains(&t.lemma.as_str())
        {
            continue;
        }
        return Some(t.lemma.clone());
    }
    None
}

/// Which tokens stand inside quotation marks. A sentence that opens with a closing mark
/// continues a quote begun in an earlier sentence.
fn quoted_tokens(toks: &[Tok<'_>]) -> Vec<bool> {
    let mut inside = toks
        .iter()
        .find(|t| matches!(t.text, "“" | "”"))
        .is_some_and(|t| t.text == "”");
    toks.iter()
        .map(|t| match t.text {
            "“" => {
                inside = true;
                true
            }
            "”" => {
                inside = false;
                true
            }
            "\"" => {
                inside = !inside;
                true
            }
            _ => inside,
        })
        .collect()
}

/// Whether token `k` stands in a condition ("if Ms. Brewer signs the measure", "unless 40
/// more states join"): a hypothetical states no fact. The condition runs from "if" to the
/// next clause break.
fn conditional(toks: &[Tok<'_>], k: usize) -> bool {
    toks[..k]
        .iter()
        .rev()
        .take_while(|t| !matches!(t.text, "," | ";" | ":" | "—" | "–"))
        .any(|t| matches!(t.lower.as_str(), "if" | "unless"))
}

fn negated_near(toks: &[Tok<'_>], at: usize) -> bool {
    (at.saturating_sub(4)..at).any(|j| {
        matches!(
            toks[j].lower.as_str(),
            "not" | "no" | "never" | "n't" | "without"
        )
    })
}

fn modality(toks: &[Tok<'_>], attributed: bool) -> Modality {
    let has = |list: &[&str]| toks.iter().any(|t| list.contains(&t.lower.as_str()));
    if has(lexicon::HEDGES) {
        Modality::Speculative
    } else if has(lexicon::EXPECTATION) {
        Modality::Expected
    } else if has(&["plans", "plan", "scheduled", "will", "intends", "pending"]) {
        Modality::Planned
    } else if has(lexicon::REPORTED) || attributed {
        Modality::Reported
    } else {
        Modality::Asserted
    }
}

fn past(lemma: &str, surface: &str) -> String {
    match lemma {
        "say" => "said".into(),
        "tell" => "told".into(),
        "deny" => "denied".into(),
        "write" => "wrote".into(),
        _ if surface.ends_with("ed") => surface.to_string(),
        l => {
            if l.ends_with('e') {
                format!("{l}d")
            } else {
                format!("{l}ed")
            }
        }
    }
}

/// The event class of token `k`, unless a particle makes it another verb ("struck down" a law
/// is no attack, "took over" no seizure).
fn event_at(toks: &[Tok<'_>], k: usize) -> Option<&'static str> {
    let c = lexicon::event_class(&toks[k].lemma)?;
    let next = toks.get(k + 1).map(|t| t.lower.as_str());
    if matches!(next, Some("down" | "up" | "off" | "out" | "over" | "by"))
        && !matches!(c, "withdraw" | "release")
    {
        return None;
    }
    Some(c)
}

/// Is the event word at `k` a noun here: after a determiner or possessive, or a form that is
/// only a noun ("flight", "ouster", "election")?
fn is_nominal(toks: &[Tok<'_>], k: usize) -> bool {
    let w = toks[k].lower.as_str();
    if w.ends_with("ing") || w.ends_with("ed") {
        return false;
    }
    let prev = if k > 0 {
        toks[k - 1].lower.as_str()
    } else {
        ""
    };
    let determiner = matches!(
        prev,
        "the"
            | "a"
            | "an"
            | "this"
            | "that"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "’s"
            | "'s"
            | "whose"
    );
    let noun_only = matches!(
        w,
        "flight"
            | "exile"
            | "ouster"
            | "downfall"
            | "meeting"
            | "talks"
            | "summit"
            | "trip"
            | "tour"
            | "death"
            | "toll"
            | "injury"
            | "detention"
            | "handover"
            | "repatriation"
            | "appointment"
            | "inauguration"
            | "election"
            | "airstrike"
            | "bombing"
            | "deployment"
            | "withdrawal"
            | "evacuation"
            | "arrival"
            | "outbreak"
            | "announcement"
            | "approval"
            | "displacement"
            | "intervention"
            | "ceasefire"
            | "truce"
            | "agreement"
            | "deal"
            | "accord"
            | "assault"
            | "raid"
    );
    determiner || noun_only || prev.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A lower-case word that is most likely a noun (not a function word, verb form or adverb).
fn is_common_noun(w: &str) -> bool {
    // Beyond the shared closed-class words.
    const FUNCTION: &[&str] = &["until", "night", "morning", "evening", "afternoon"];
    w.chars().all(|c| c.is_alphabetic())
        && w.chars().next().is_some_and(char::is_lowercase)
        && !lang::lexicon::FUNCTION_WORDS.contains(&w)
        && !FUNCTION.contains(&w)
        && !w.ends_with("ly")
        && !w.ends_with("ed")
}

/// Verbs of saying that introduce a checkable yes/no statement.
const PROPOSITION_VERBS: &[&str] = &[
    "say", "tell", "announce", "confirm", "deny", "insist", "declare", "state", "claim", "reject",
    "warn", "rule", "assert", "reaffirm",
];

/// Where the clause a reporting verb at `v` introduces begins: right after it, after "that",
/// or after a short object ("told reporters that", "told AFP", "ruled out").
fn reported_clause(toks: &[Tok<'_>], v: usize) -> Option<usize> {
    let mut k = v + 1;
    if toks
        .get(k)
        .is_some_and(|t| matches!(t.lower.as_str(), "out" | "on" | "in"))
    {
        k += 1;
    }
    // A date, a place or an object between the verb and the clause: "said on Sunday that",
    // "said at a security conference earlier this month that".
    let that = (k..(k + 10).min(toks.len())).find(|&j| toks[j].lower == "that");
    match that {
        Some(j) => Some(j + 1),
        None if k < toks.len() => Some(k),
        None => None,
    }
}
