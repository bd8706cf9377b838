//! How the layers of a run are kept in a store: records of a kind, by id, filed under keys
//! (see `store::Commit`). Each record is deflated JSON.
//!
//! | kind | id | data | keys |
//! |---|---|---|---|
//! | `layers` | article | [`ArticleLayers`] | |
//! | `entity` | entity | `lang::EntityRecord` | its lookup keys |
//! | `stories` | `state` | `stories::State` | |
//! | `member` | article | `stories::Member` | |
//! | `event_members` | event | every `stories::Member` of the event | |
//! | `event` | event | `stories::EventRecord` | |
//! | `event_view` | event | `model::Event`, light (see [`light`]) | `th:` its thread |
//! | `thread` | thread | `stories::ThreadRecord` | |
//! | `thread_view` | thread | `model::Thread` | |
//! | `claims` | thread | `claims::Corroboration` of the thread | |
//! | `claims_pending` | thread | the token of the run that left its claims for later | |

use model::{Article, Mention, Quantity, Span, Timex};
use serde::{Deserialize, Serialize};

pub(crate) const LAYERS: &str = "layers";
pub(crate) const ENTITY: &str = "entity";
pub(crate) const STORIES: &str = "stories";
pub(crate) const STORIES_ID: &str = "state";
pub(crate) const MEMBER: &str = "member";
pub(crate) const EVENT_MEMBERS: &str = "event_members";
pub(crate) const EVENT: &str = "event";
pub(crate) const EVENT_VIEW: &str = "event_view";
pub(crate) const THREAD: &str = "thread";
pub(crate) const THREAD_VIEW: &str = "thread_view";
pub(crate) const CLAIMS: &str = "claims";
pub(crate) const CLAIMS_PENDING: &str = "claims_pending";

/// An event as its thread needs it: id, thread, label, date, origins, without its articles
/// and date evidence (which grow with the event; the whole event is made again from its
/// record and members where it is shown).
pub(crate) fn light(e: &model::Event) -> model::Event {
    model::Event {
        articles: Vec::new(),
        date_evidence: Vec::new(),
        ..e.clone()
    }
}

/// The key an event view is filed under: its thread.
pub(crate) fn thread_key(thread: &str) -> String {
    format!("th:{thread}")
}

/// What the language layer and the origins stage add to a stored article (its event is its
/// stories member's).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ArticleLayers {
    pub sentences: Vec<Span>,
    pub mentions: Vec<Mention>,
    pub timexes: Vec<Timex>,
    pub quantities: Vec<Quantity>,
    pub independent_origin: Option<String>,
}

impl ArticleLayers {
    pub(crate) fn of(a: &Article) -> ArticleLayers {
        ArticleLayers {
            sentences: a.sentences.clone(),
            mentions: a.mentions.clone(),
            timexes: a.timexes.clone(),
            quantities: a.quantities.clone(),
            independent_origin: a.independent_origin.clone(),
        }
    }

    pub(crate) fn apply(self, a: &mut Article) {
        a.sentences = self.sentences;
        a.mentions = self.mentions;
        a.timexes = self.timexes;
        a.quantities = self.quantities;
        a.independent_origin = self.independent_origin;
    }
}

/// Records shorter than this stay plain JSON: a deflate stream costs more to set up than it
/// saves on a few hundred bytes (a store reads thousands of small member records at once).
const DEFLATE_FROM: usize = 1024;

/// A stored layer: JSON, deflated unless small.
pub(crate) fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    use std::io::Write;
    let json = serde_json::to_vec(v).expect("model layers serialise");
    if json.len() < DEFLATE_FROM {
        return json;
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&json).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// The first byte of a compact record (postcard, version 1 of this layout).
const COMPACT: u8 = 0x01;

/// A record read in bulk on every run (an event's members): postcard after a version byte,
/// several times smaller and faster to read than JSON. Not self-describing: a change of the
/// type is a change of the store's format.
pub(crate) fn encode_compact<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = vec![COMPACT];
    out.extend(postcard::to_allocvec(v).expect("model layers serialise"));
    out
}

/// A stored layer back, whichever of the encodings wrote it; `None` when it cannot be read
/// (it is then computed again or the store reports it as corrupt). A zlib stream starts with
/// 0x78 and a compact record with 0x01, which no JSON text does.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    match data.first() {
        Some(&COMPACT) => return postcard::from_bytes(&data[1..]).ok(),
        Some(&0x78) => {}
        _ => return serde_json::from_slice(data).ok(),
    }
    let mut json = Vec::with_capacity(data.len() * 4);
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut json).ok()?;
    serde_json::from_slice(&json).ok()
}
