//! JSONL input: one article per line.

use std::io::{BufRead, BufReader, Read};

use model::DocKind;
use serde::{Deserialize, Serialize};

use crate::{Content, IngestError, RawDocument, Reason};

/// One JSONL article record: `text` is required, the rest optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JsonlRecord {
    pub text: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    /// As given; cleaning normalises it to ISO 8601 or drops it.
    #[serde(default)]
    pub published: Option<String>,
}

pub(crate) fn read(
    reader: impl Read,
    path: &str,
    max_bytes: u64,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut out = Vec::new();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let err = |line: Option<u64>, reason: Reason| IngestError {
        path: path.to_string(),
        line,
        reason,
    };
    loop {
        buf.clear();
        line_no += 1;
        let (len, complete) = read_line_capped(&mut reader, &mut buf, max_bytes).map_err(|e| {
            // Failing on the first line means the file itself is unreadable.
            let reason = Reason::Unreadable(e.to_string());
            if line_no == 1 {
                err(None, reason)
            } else {
                err(Some(line_no), reason)
            }
        })?;
        if len == 0 && complete {
            break;
        }
        if !complete {
            out.push(Err(err(
                Some(line_no),
                Reason::TooLarge {
                    what: "line",
                    size: len,
                    limit: max_bytes,
                },
            )));
            continue;
        }
        let line = trim_line(&buf);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        out.push(parse_line(line, path, line_no).map_err(|r| err(Some(line_no), r)));
    }
    if out.is_empty() {
        return Err(err(None, Reason::Empty));
    }
    Ok(out)
}

/// Reads one line into `buf` unless it is longer than `max` bytes, in which case the rest of
/// the line is skipped without being kept. Returns the line length and whether it was kept.
/// `(0, true)` means end of input.
fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<(u64, bool)> {
    let mut len = 0u64;
    let mut keep = true;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((len, keep));
        }
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..=i], true),
            None => (chunk, false),
        };
        let n = part.len();
        len += n as u64;
        if keep {
            if len > max + 1 {
                keep = false;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        reader.consume(n);
        if done {
            // An empty-but-terminated line must not read as end of input.
            return Ok((len.max(1), keep));
        }
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn parse_line(line: &[u8], path: &str, line_no: u64) -> Result<RawDocument, Reason> {
    let text =
        std::str::from_utf8(line).map_err(|e| Reason::InvalidUtf8(e.valid_up_to() as u64))?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Reason::Json(e.to_string()))?;
    let serde_json::Value::Object(map) = &value else {
        return Err(Reason::Record("expected a JSON object".into()));
    };
    match map.get("text") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {}
        Some(serde_json::Value::String(_)) => {
            return Err(Reason::Record("field \"text\" is empty".into()));
        }
        Some(_) => return Err(Reason::Record("field \"text\" must be a string".into())),
        None => return Err(Reason::Record("missing required field \"text\"".into())),
    }
    for key in ["title", "url", "outlet", "published"] {
        match map.get(key) {
            None | Some(serde_json::Value::Null) | Some(serde_json::Value::String(_)) => {}
            Some(_) => {
                return Err(Reason::Record(format!(
                    "field \"{key}\" must be a string or null"
                )));
            }
        }
    }
    let record: JsonlRecord =
        serde_json::from_value(value).map_err(|e| Reason::Json(e.to_string()))?;
    Ok(RawDocument {
        id: model::content_id(line),
        path: path.to_string(),
        line: Some(line_no),
        kind: DocKind::Jsonl,
        bytes: line.len() as u64,
        content: Content::Record(record),
    })
}
