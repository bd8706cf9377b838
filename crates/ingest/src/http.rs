//! The HTTP response inside a WARC `response` record: status, headers, body (de-chunked and
//! decompressed), and the charset the headers give.

use std::io::Read;

/// A parsed HTTP response, borrowing its body from the record block.
pub(crate) struct Response<'a> {
    pub status: u16,
    pub content_type: Option<String>,
    chunked: bool,
    encoding: Option<String>,
    body: &'a [u8],
}

/// Parses `HTTP/1.x STATUS ...`, the header fields and the body; `None` if the block is not
/// an HTTP response.
pub(crate) fn parse_response(block: &[u8]) -> Option<Response<'_>> {
    let end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| (i, i + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let mut resp = Response {
        status,
        content_type: None,
        chunked: false,
        encoding: None,
        body: &block[end.1..],
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => resp.content_type = Some(value.to_string()),
            "transfer-encoding" => resp.chunked = value.eq_ignore_ascii_case("chunked"),
            "content-encoding" if !value.eq_ignore_ascii_case("identity") => {
                resp.encoding = Some(value.to_ascii_lowercase())
            }
            _ => {}
        }
    }
    Some(resp)
}

impl Response<'_> {
    /// The `charset` parameter of the Content-Type.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        let at = ct.to_ascii_lowercase().find("charset=")? + "charset=".len();
        let value = ct[at..].split(';').next()?.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then_some(value)
    }

    /// The body as the server meant it: de-chunked and decompressed, at most `max` bytes.
    /// `None` for an encoding we do not read (e.g. brotli) or a broken one.
    pub fn decoded_body(&self, max: u64) -> Option<Vec<u8>> {
        let raw = if self.chunked {
            dechunk(self.body)?
        } else {
            self.body.to_vec()
        };
        let mut out = Vec::new();
        let read = match self.encoding.as_deref() {
            None => return Some(raw),
            Some("gzip" | "x-gzip") => flate2::read::MultiGzDecoder::new(raw.as_slice())
                .take(max + 1)
                .read_to_end(&mut out),
            Some("deflate") => flate2::read::ZlibDecoder::new(raw.as_slice())
                .take(max + 1)
                .read_to_end(&mut out),
            Some(_) => return None,
        };
        (read.is_ok() && out.len() as u64 <= max).then_some(out)
    }
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let eol = memchr::memchr(b'\n', body)?;
        let size_field = std::str::from_utf8(&body[..eol]).ok()?;
        let hex = size_field.split(';').next()?.trim();
        let size = usize::from_str_radix(hex, 16).ok()?;
        body = &body[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").or(body.strip_prefix(b"\n"))?;
    }
}
