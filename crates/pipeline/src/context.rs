//! What a run reads of the corpus already processed: nothing for a run without a store
//! ([`Empty`]), the records a store holds otherwise ([`StoreContext`]). Every lookup names
//! what it wants (ids or keys), so a run reads what its new articles touch, never the whole
//! store.

use std::collections::HashMap;

use model::{Article, Event};
use rayon::prelude::*;
use store::{Store, StoreError};

use crate::annotate::Precomputed;
use crate::keyed::KnownCandidates;
use crate::records::{self, ArticleLayers};

/// The processed corpus, as the stages of a run look it up.
pub(crate) trait Context {
    /// Stored language-model annotations of these articles (encoded), by id.
    fn annotations(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<u8>>, StoreError>;
    /// Stored entity records filed under any of these lookup keys.
    fn entities_by_key(&mut self, keys: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError>;
    /// Stored entity records by id.
    fn entities(&mut self, ids: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError>;
    /// The stories stage's stored state.
    fn stories_state(&mut self) -> Result<Option<stories::State>, StoreError>;
    /// The stored members (article records) of these articles.
    fn members(&mut self, ids: &[String]) -> Result<Vec<stories::Member>, StoreError>;
    /// The stored members of these events, by event.
    fn members_of(
        &mut self,
        events: &[String],
    ) -> Result<HashMap<String, Vec<stories::Member>>, StoreError>;
    /// Stored event records by id.
    fn event_records(&mut self, ids: &[String]) -> Result<Vec<stories::EventRecord>, StoreError>;
    /// Stored thread records by id.
    fn thread_records(&mut self, ids: &[String]) -> Result<Vec<stories::ThreadRecord>, StoreError>;
    /// The stored events of these threads, as the model shows them without their articles
    /// and date evidence (see `records::light`).
    fn events_of(&mut self, threads: &[String]) -> Result<Vec<Event>, StoreError>;
    /// Stored processed articles with their layers (event not set), in insertion order.
    fn articles(&mut self, ids: &[String]) -> Result<Vec<Article>, StoreError>;
    /// Stored claim readings of these articles (of this build's claims version).
    fn readings(
        &mut self,
        ids: &[String],
    ) -> Result<HashMap<String, claims::reading::ArticleReading>, StoreError>;
    /// Event candidates found by a shuffle before (runs without a store only).
    fn event_candidates(&self) -> Option<&KnownCandidates> {
        None
    }
}

/// A run without a store: nothing was processed before, except the model annotations a
/// run may be given (made by `crosscheck annotate`).
pub(crate) struct Empty<'a> {
    pub annotations: Option<&'a Precomputed>,
    pub candidates: Option<&'a KnownCandidates>,
}

impl Context for Empty<'_> {
    fn annotations(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        Ok(self.annotations.map(|p| p.get(ids)).unwrap_or_default())
    }
    fn event_candidates(&self) -> Option<&KnownCandidates> {
        self.candidates
    }
    fn entities_by_key(&mut self, _: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError> {
        Ok(Vec::new())
    }
    fn entities(&mut self, _: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError> {
        Ok(Vec::new())
    }
    fn stories_state(&mut self) -> Result<Option<stories::State>, StoreError> {
        Ok(None)
    }
    fn members(&mut self, _: &[String]) -> Result<Vec<stories::Member>, StoreError> {
        Ok(Vec::new())
    }
    fn members_of(
        &mut self,
        _: &[String],
    ) -> Result<HashMap<String, Vec<stories::Member>>, StoreError> {
        Ok(HashMap::new())
    }
    fn event_records(&mut self, _: &[String]) -> Result<Vec<stories::EventRecord>, StoreError> {
        Ok(Vec::new())
    }
    fn thread_records(&mut self, _: &[String]) -> Result<Vec<stories::ThreadRecord>, StoreError> {
        Ok(Vec::new())
    }
    fn events_of(&mut self, _: &[String]) -> Result<Vec<Event>, StoreError> {
        Ok(Vec::new())
    }
    fn articles(&mut self, _: &[String]) -> Result<Vec<Article>, StoreError> {
        Ok(Vec::new())
    }
    fn readings(
        &mut self,
        _: &[String],
    ) -> Result<HashMap<String, claims::reading::ArticleReading>, StoreError> {
        Ok(HashMap::new())
    }
}

/// A store's processed corpus (and the model annotations a run may be given, for the
/// articles whose annotations the store does not hold).
pub(crate) struct StoreContext<'a>(pub &'a mut Store, pub Option<&'a Precomputed>);

impl StoreContext<'_> {
    /// Records of `kind` by id, decoded; an unreadable one is a corrupt store.
    fn decoded<T: serde::de::DeserializeOwned>(
        &mut self,
        kind: &'static str,
        ids: &[String],
    ) -> Result<Vec<T>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.0.records(kind, ids)?;
        rows.into_iter()
            .map(|(id, data)| decode_or_corrupt(self.0.location(), kind, &id, &data))
            .collect()
    }

    /// Records of `kind` filed under `keys`, decoded, each once.
    fn decoded_by_key<T: serde::de::DeserializeOwned>(
        &mut self,
        kind: &'static str,
        keys: &[String],
    ) -> Result<Vec<T>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = self.0.records_by_key(kind, keys)?;
        rows.sort_unstable_by(|a, b| a.1.cmp(&b.1));
        rows.dedup_by(|a, b| a.1 == b.1);
        rows.into_iter()
            .map(|(_, id, data)| decode_or_corrupt(self.0.location(), kind, &id, &data))
            .collect()
    }
}

pub(crate) fn decode_or_corrupt<T: serde::de::DeserializeOwned>(
    location: &str,
    kind: &'static str,
    id: &str,
    data: &[u8],
) -> Result<T, StoreError> {
    records::decode(data).ok_or_else(|| StoreError::Corrupt {
        location: location.to_string(),
        table: "records",
        detail: format!("{kind} {id}: unreadable"),
    })
}

impl Context for StoreContext<'_> {
    fn annotations(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let mut found = self.0.annotations(lang::ANNOTATIONS_VERSION, ids)?;
        if let Some(given) = self.1 {
            let missing: Vec<String> = (ids.iter())
                .filter(|id| !found.contains_key(*id))
                .cloned()
                .collect();
            found.extend(given.get(&missing));
        }
        Ok(found)
    }

    fn entities_by_key(&mut self, keys: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError> {
        self.decoded_by_key(records::ENTITY, keys)
    }

    fn entities(&mut self, ids: &[String]) -> Result<Vec<lang::EntityRecord>, StoreError> {
        self.decoded(records::ENTITY, ids)
    }

    fn stories_state(&mut self) -> Result<Option<stories::State>, StoreError> {
        Ok(self
            .decoded(records::STORIES, &[records::STORIES_ID.to_string()])?
            .pop())
    }

    fn members(&mut self, ids: &[String]) -> Result<Vec<stories::Member>, StoreError> {
        self.decoded(records::MEMBER, ids)
    }

    fn members_of(
        &mut self,
        events: &[String],
    ) -> Result<HashMap<String, Vec<stories::Member>>, StoreError> {
        if events.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = self.0.records(records::EVENT_MEMBERS, events)?;
        let location = self.0.location().to_string();
        rows.par_iter()
            .map(|(id, data)| {
                let members = decode_or_corrupt(&location, records::EVENT_MEMBERS, id, data)?;
                Ok((id.clone(), members))
            })
            .collect()
    }

    fn event_records(&mut self, ids: &[String]) -> Result<Vec<stories::EventRecord>, StoreError> {
        self.decoded(records::EVENT, ids)
    }

    fn thread_records(&mut self, ids: &[String]) -> Result<Vec<stories::ThreadRecord>, StoreError> {
        self.decoded(records::THREAD, ids)
    }

    fn events_of(&mut self, threads: &[String]) -> Result<Vec<Event>, StoreError> {
        let keys: Vec<String> = threads.iter().map(|t| records::thread_key(t)).collect();
        self.decoded_by_key(records::EVENT_VIEW, &keys)
    }

    fn articles(&mut self, ids: &[String]) -> Result<Vec<Article>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = self.0.articles(ids)?.articles;
        let layers = self.0.records(records::LAYERS, ids)?;
        let mut by_id: HashMap<String, Vec<u8>> = layers.into_iter().collect();
        for a in &mut found {
            if let Some(data) = by_id.remove(&a.id) {
                let l: ArticleLayers =
                    decode_or_corrupt(self.0.location(), records::LAYERS, &a.id, &data)?;
                l.apply(a);
            }
        }
        crate::set_duplicate_of(&mut found);
        found
            .par_iter_mut()
            .for_each(|a| a.tokens = lang::tokens(a));
        Ok(found)
    }

    fn readings(
        &mut self,
        ids: &[String],
    ) -> Result<HashMap<String, claims::reading::ArticleReading>, StoreError> {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let version = crate::readings_version();
        Ok(self
            .0
            .claim_readings(&refs)?
            .into_iter()
            .filter(|(_, (sig, _))| *sig == version)
            .filter_map(|(id, (_, data))| Some((id, records::decode(&data)?)))
            .collect())
    }
}
