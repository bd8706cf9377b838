//! Evaluation of extraction (placeholder).
