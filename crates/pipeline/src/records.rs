//! How the layers of a run are kept in a store: records of a kind, by id, filed under keys
//! (see `store::Commit`). Each record is deflated JSON.
//!
//! | kind | id | data | keys |
//! |---|---|---|---|
//! | `layers` | article | [`ArticleLayers`] | |
//! | `entity` | entity | `lang::EntityRecord` | its lookup keys |
//! | `stories` | `state` | `stories::State` | |
//! | `member` | article | `stories::Member` | `ev:` its event |
//! | `event` | event | `stories::EventRecord` | `th:` its thread |
//! | `event_view` | event | `model::Event` | `th:` its thread |
//! | `thread` | thread | `stories::ThreadRecord` | |
//! | `thread_view` | thread | `model::Thread` | |
//! | `claims` | thread | `claims::Corroboration` of the thread | |

use model::{Article, Mention, Quantity, Span, Timex};
use serde::{Deserialize, Serialize};

pub(crate) const LAYERS: &str = "layers";
pub(crate) const ENTITY: &str = "entity";
pub(crate) const STORIES: &str = "stories";
pub(crate) const STORIES_ID: &str = "state";
pub(crate) const MEMBER: &str = "member";
pub(crate) const EVENT: &str = "event";
pub(crate) const EVENT_VIEW: &str = "event_view";
pub(crate) const THREAD: &str = "thread";
pub(crate) const THREAD_VIEW: &str = "thread_view";
pub(crate) const CLAIMS: &str = "claims";

/// The key a member or an event is filed under: its event, its thread.
pub(crate) fn event_key(event: &str) -> String {
    format!("ev:{event}")
}

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

/// A stored layer: JSON, deflated.
pub(crate) fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    use std::io::Write;
    let json = serde_json::to_vec(v).expect("model layers serialise");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&json).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// A stored layer back; `None` when it cannot be read (it is then computed again or the
/// store reports it as corrupt).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    let z = flate2::read::ZlibDecoder::new(data);
    serde_json::from_reader(std::io::BufReader::new(z)).ok()
}
