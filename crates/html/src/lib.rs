//! HTML main-content extraction (placeholder: filled in by the extraction work).
