//! Shared by the examples: reading (optionally gzipped) files.
#![allow(dead_code)] // not every example uses every helper

use std::io::Read;

/// Reads a text file, gunzipping it when its name ends in `.gz`.
pub fn read_text(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    if !path.ends_with(".gz") {
        return String::from_utf8(bytes).map_err(|e| format!("{path}: {e}"));
    }
    let mut s = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut s)
        .map_err(|e| format!("{path}: {e}"))?;
    Ok(s)
}

pub fn die(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
