//! Evaluation of timex (placeholder).
