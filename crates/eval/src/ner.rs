//! Evaluation of ner (placeholder).
