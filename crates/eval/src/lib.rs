//! Evaluation of crosscheck against public datasets: dataset readers and metrics.
//!
//! Each module reads one kind of dataset from a path given by the user (nothing here refers to
//! a fixed location), runs the matching pipeline stage and returns a report whose `Display`
//! prints the figure lines that `crosscheck eval ...` shows.

pub mod blocks;
pub mod claims;
pub mod dedup;
pub mod entities;
pub mod extraction;
pub mod halves;
pub mod ner;
pub mod speed;
pub mod store;
pub mod stories;
pub mod timex;
pub mod warc;
pub mod web_extraction;
