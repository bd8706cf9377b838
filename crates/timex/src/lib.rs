//! Temporal expressions (placeholder: filled in by the timex work).
