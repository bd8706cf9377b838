//! Named-entity recognition (placeholder: filled in by the NER work).
