//! What the clustering sees of one article: a weighted term vector (before IDF), series
//! ordinals ("second visit"), and dated evidence of when the reported event happened.

use chrono::{Datelike, NaiveDate};
use model::{AnchorFrom, Article, EntityKind};

use crate::text::{self, Word};

/// Where a date came from, strongest first: the model's closed set (this stage never makes
/// `Sibling` evidence itself).
pub use model::DateSource as Source;

/// Vote weight of a source when choosing an event's date.
pub fn weight(s: Source) -> f32 {
    match s {
        Source::Dateline | Source::Published => 2.0,
        Source::Caption => 1.5,
        Source::Text | Source::Sibling => 1.0,
    }
}

/// One dated piece of evidence from an article (what a stored [`crate::Member`] keeps to date
/// its event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub source: Source,
    /// Days since 0001-01-01 (chrono's `num_days_from_ce`).
    pub day: i32,
    /// Byte span in the article text (text evidence only).
    pub span: Option<(u32, u32)>,
}

/// The features of one article.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// (term hash, weighted term frequency), sorted by hash, before IDF.
    pub terms: Vec<(u64, f32)>,
    /// Title terms (hashes, counts), sorted by hash: a headline names the happening itself.
    pub title_terms: Vec<(u64, f32)>,
    /// (series, ordinal) stated in the title, caption or lead: ("meeting", 2) for "second visit".
    pub ordinals: Vec<(&'static str, u32)>,
    /// The kind of happening the headline names (its first event word's class): "meets" ->
    /// meet, "Receives Body" -> receive, "Message" -> message.
    pub happening: Option<&'static str>,
    pub evidence: Vec<Evidence>,
    /// The best single estimate of the reported day: `published`, else the caption's date,
    /// else the first date of the lead.
    pub day: Option<i32>,
    /// For an article without a day: the latest year its text mentions (1900-2099), a coarse
    /// clue to when it was written.
    pub year: Option<i32>,
    /// Linked entities with their mention counts (language layer), for thread labels.
    pub entities: Vec<(String, u32)>,
}

/// How far into the text the "lead" goes: the first paragraph or this many bytes.
const LEAD_BYTES: usize = 600;

const W_CAPTION: f32 = 1.0;
const W_BODY: f32 = 1.0;

pub fn day_of(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

pub fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// Parses the day of an ISO 8601 date or date-time ("2026-01-28", "2026-01-28T10:00:00Z").
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// A TimeML value that names one day ("2026-01-28", also with a time part).
fn value_day(v: &str) -> Option<NaiveDate> {
    let d = parse_day(v)?;
    if v.len() > 10 && !v[10..].starts_with('T') {
        return None;
    }
    (1900..=2200).contains(&d.year()).then_some(d)
}

pub(crate) fn lead_end(a: &Article) -> usize {
    let first = a.paragraphs.first().map(|p| p.end).unwrap_or(a.text.len());
    let mut end = first.max(LEAD_BYTES.min(a.text.len()));
    while !a.text.is_char_boundary(end) {
        end += 1;
    }
    end.min(a.text.len())
}

/// Extracts the features of `a`. `names` maps entity ids to their kind when the language
/// layer ran (mentions of places and people weigh a little more than misc).
pub fn extract(a: &Article, annotator: &timex::Annotator, w: &crate::Weights) -> Features {
    let (w_title, w_lead, w_name, w_bigram, w_entity) =
        (w.title, w.lead, w.name, w.name_pair, w.entity);
    let mut f = Features::default();
    let mut acc: rustc_hash::FxHashMap<u64, f32> = Default::default();
    let mut buf = String::new();
    let mut prev = String::new();
    let lead = lead_end(a);
    // Only a headline names the happening reliably; a lead sentence often opens on
    // background ("... said on Tuesday that ...").
    f.happening = match &a.title {
        Some(t) => lang::lexicon::happening(t),
        None => a
            .sentences
            .first()
            .and_then(|s| lang::lexicon::happening(&a.text[s.start..s.end])),
    };

    let mut add_words = |ws: &[Word], base: &dyn Fn(&Word) -> f32, names: bool| {
        prev.clear();
        let mut prev_name = false;
        for w in ws {
            text::normalise(w.raw, &mut buf);
            let h = text::term_hash(&buf);
            if buf.len() >= 2 && !text::is_stop_hash(h) {
                let mut wt = base(w);
                if names && w.name {
                    wt += w_name;
                }
                *acc.entry(h).or_default() += wt;
            }
            let is_name = names && w.name;
            if is_name && prev_name && w.joined {
                *acc.entry(text::bigram_hash(&prev, &buf)).or_default() += w_bigram;
            }
            prev_name = is_name;
            std::mem::swap(&mut prev, &mut buf);
        }
    };

    if let Some(t) = &a.title {
        let ws = text::words(t);
        let mut tt: rustc_hash::FxHashMap<u64, f32> = Default::default();
        let mut b = String::new();
        for w in &ws {
            text::normalise(w.raw, &mut b);
            let h = text::term_hash(&b);
            if b.len() >= 2 && !text::is_stop_hash(h) {
                *tt.entry(h).or_default() += 1.0;
            }
        }
        f.title_terms = tt.into_iter().collect();
        f.title_terms.sort_unstable_by_key(|t| t.0);
        add_words(&ws, &|_| w_title, false);
        ordinals(&ws, &mut f.ordinals);
    }
    if let Some(c) = &a.caption {
        let ws = text::words(c);
        add_words(&ws, &|_| W_CAPTION, true);
        ordinals(&ws, &mut f.ordinals);
    }
    let ws = text::words(&a.text);
    add_words(
        &ws,
        &|w: &Word| if w.start < lead { w_lead } else { W_BODY },
        true,
    );
    let lead_words: Vec<Word> = ws.iter().copied().take_while(|w| w.start < lead).collect();
    ordinals(&lead_words, &mut f.ordinals);
    f.ordinals.sort_unstable();
    f.ordinals.dedup();

    // Linked entities, when the language layer ran.
    let mut ents: rustc_hash::FxHashMap<&str, u32> = Default::default();
    for m in &a.mentions {
        let k = match m.kind {
            EntityKind::Person | EntityKind::Place => 1.0,
            EntityKind::Org => 0.9,
            EntityKind::Misc => 0.6,
        };
        *acc.entry(text::entity_hash(&m.entity)).or_default() += w_entity * k;
        *ents.entry(m.entity.as_str()).or_default() += 1;
    }
    f.entities = ents.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    f.entities.sort();

    f.terms = acc.into_iter().collect();
    f.terms.sort_unstable_by_key(|t| t.0);

    dates(a, lead, annotator, &mut f);
    if f.day.is_none() {
        f.year = ws
            .iter()
            .filter(|w| w.raw.len() == 4 && w.raw.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|w| w.raw.parse::<i32>().ok())
            .filter(|y| (1900..2100).contains(y))
            .max();
    }
    f
}

impl Features {
    /// The year of the day estimate, else the latest year mentioned.
    pub fn year_estimate(&self) -> Option<i32> {
        self.day.and_then(date_of).map(|d| d.year()).or(self.year)
    }
}

/// Series ordinals: an ordinal followed within four words by an occurrence noun ("first
/// Putin-Al-Sharaa meeting" is four words).
fn ordinals(ws: &[Word], out: &mut Vec<(&'static str, u32)>) {
    let mut buf = String::new();
    for (i, w) in ws.iter().enumerate() {
        let Some(n) = text::ordinal(w.raw) else {
            continue;
        };
        for v in ws.iter().skip(i + 1).take(4) {
            text::normalise(v.raw, &mut buf);
            if let Some(c) = text::occurrence_class(&buf) {
                out.push((c, n));
                break;
            }
        }
    }
}

fn dates(a: &Article, lead: usize, annotator: &timex::Annotator, f: &mut Features) {
    let published = a.published.as_deref().and_then(parse_day);
    if let Some(d) = published {
        let source = match a.published_from {
            Some(model::PublishedFrom::Dateline) => Source::Dateline,
            _ => Source::Published,
        };
        f.evidence.push(Evidence {
            source,
            day: day_of(d),
            span: None,
        });
    }
    // A file photo's date says nothing about this event.
    if let Some(c) = a.caption.as_deref().filter(|c| !is_file_photo(c)) {
        for t in annotator.annotate(c, published) {
            if t.kind != timex::TimexType::Date || (t.relative && published.is_none()) {
                continue;
            }
            if let Some(d) = t.value.as_deref().and_then(value_day) {
                f.evidence.push(Evidence {
                    source: Source::Caption,
                    day: day_of(d),
                    span: None,
                });
            }
        }
    }
    // Dates in the lead; later dates in a text are mostly background ("killed in 2014").
    let mut push_text = |start: usize, end: usize, v: Option<&str>| {
        if let Some(d) = v.and_then(value_day) {
            f.evidence.push(Evidence {
                source: Source::Text,
                day: day_of(d),
                span: Some((start as u32, end as u32)),
            });
        }
    };
    if a.timexes.is_empty() {
        for t in annotator.annotate(&a.text[..lead], published) {
            if t.kind == timex::TimexType::Date && (!t.relative || published.is_some()) {
                push_text(t.start, t.end, t.value.as_deref());
            }
        }
    } else {
        for t in a.timexes.iter().filter(|t| t.start < lead) {
            // Values resolved against an inferred anchor came from the event date: not evidence.
            if t.kind == model::TimexType::Date && t.anchor_from != Some(AnchorFrom::Inferred) {
                push_text(t.start, t.end, t.value.as_deref());
            }
        }
    }
    f.day = published.map(day_of).or_else(|| {
        let first = |s: Source| f.evidence.iter().find(|e| e.source == s).map(|e| e.day);
        first(Source::Caption).or_else(|| first(Source::Text))
    });
}

fn is_file_photo(c: &str) -> bool {
    let l = c.to_ascii_lowercase();
    l.contains(" file)") || l.contains("file photo") || l.contains("(file")
}
