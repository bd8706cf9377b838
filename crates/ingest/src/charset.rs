//! Decoding page bytes to text, the way browsers pick the encoding (simplified):
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) wins;
//! 2. then the charset of the HTTP `Content-Type` header, when the caller has one;
//! 3. then what the page declares in its first 4 KiB: `<meta charset>`, `<meta http-equiv
//!    content="...; charset=...">`, or an XML declaration's `encoding`;
//! 4. else valid UTF-8 is UTF-8, and anything else is guessed by `chardetng`.
//!
//! A page that declares UTF-8 but is mostly not (a legacy page whose template says UTF-8) is
//! guessed too; in a UTF-8 page, stray invalid bytes are read as windows-1252 (Latin-1 text
//! pasted into a UTF-8 template). Other bytes invalid in the chosen encoding become U+FFFD:
//! decoding never fails.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How much of the page the declaration scan reads (the HTML spec prescans 1024 bytes; some
/// pages put long scripts or comments first).
const PRESCAN: usize = 4096;

/// Decodes an HTML page. `content_type_charset` is the `charset` parameter of the HTTP
/// `Content-Type` header, if the page came over HTTP. Returns the text and the encoding used.
pub fn decode_html(
    bytes: &[u8],
    content_type_charset: Option<&str>,
) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return (decode_with(enc, &bytes[bom_len..]), enc);
    }
    let declared = content_type_charset
        .and_then(|l| Encoding::for_label(l.trim().trim_matches(['"', '\'']).as_bytes()))
        .or_else(|| declared_charset(bytes))
        .map(ascii_compatible);
    let enc = match declared {
        Some(enc) if enc == UTF_8 && !mostly_utf8(bytes) => guess(bytes),
        Some(enc) => enc,
        None => undeclared(bytes),
    };
    (decode_with(enc, bytes), enc)
}

/// Decodes a plain-text page: a BOM, else UTF-8 when valid, else a guess.
pub fn decode_text(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return (decode_with(enc, &bytes[bom_len..]), enc);
    }
    let enc = undeclared(bytes);
    (decode_with(enc, bytes), enc)
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> String {
    if enc == UTF_8 {
        return utf8_with_legacy_bytes(bytes);
    }
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-8, except that bytes invalid in UTF-8 are read as windows-1252: pages whose template is
/// UTF-8 often paste in text stored as Latin-1 ("T\xfcbingen"), and a replacement character
/// would lose the letter. Bytes windows-1252 leaves undefined become U+FFFD.
fn utf8_with_legacy_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push_str(&WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
        }
    }
    out
}

/// UTF-8 when the bytes are valid UTF-8, else chardetng's guess.
fn undeclared(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        guess(bytes)
    }
}

/// chardetng's guess from the first 256 KiB (plenty for a guess; bounds the time on huge pages).
fn guess(bytes: &[u8]) -> &'static Encoding {
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(&bytes[..bytes.len().min(256 * 1024)], true);
    det.guess(None, Utf8Detection::Allow)
}

/// A page read as bytes cannot have declared UTF-16 in ASCII (it would not be readable): the
/// HTML spec reads such a declaration as UTF-8, and x-user-defined as windows-1252.
fn ascii_compatible(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc.name() == "x-user-defined" {
        WINDOWS_1252
    } else {
        enc
    }
}

/// Valid UTF-8, or invalid sequences rare next to the valid multi-byte characters (a stray
/// byte in a UTF-8 page does not make it a legacy page).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut invalid = 0usize;
    let mut multibyte = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    invalid == 0 || invalid * 4 <= multibyte
}

/// The encoding the page declares in its first bytes: `<meta charset=...>`, a `charset=`
/// inside a `<meta>` tag's content, or `<?xml ... encoding="...">`.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    if lower.starts_with(b"<?xml")
        && let Some(end) = find(&lower, b"?>")
        && let Some(enc) = label_after(&lower[..end], b"encoding=")
    {
        return Some(enc);
    }
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(enc) = label_after(&lower[start..end], b"charset=") {
            return Some(enc);
        }
        from = end.max(start + 5);
    }
    None
}

/// The encoding named right after `key` (quotes and spaces skipped) in `tag`.
fn label_after(tag: &[u8], key: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, key)? + key.len();
    let rest = &tag[at..];
    let rest = &rest[rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b' '))
        .unwrap_or(rest.len())..];
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GBK, ISO_8859_2, KOI8_R, SHIFT_JIS};

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(s);
        assert!(!unmappable, "{s} is not representable in {}", enc.name());
        bytes.into_owned()
    }

    fn page(meta: &str, body: &str) -> String {
        format!("<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>")
    }

    #[test]
    fn meta_charset_declarations_are_honoured() {
        let cases: [(&str, &'static Encoding, &str); 4] = [
            (
                "<meta charset=\"windows-1252\">",
                WINDOWS_1252,
                "Le café où l’on dîne",
            ),
            (
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\">",
                ISO_8859_2,
                "Zażółć gęślą jaźń",
            ),
            (
                "<meta charset='Shift_JIS'>",
                SHIFT_JIS,
                "日本語のニュース記事です",
            ),
            ("<META CHARSET=koi8-r>", KOI8_R, "Новости дня в Москве"),
        ];
        for (meta, enc, body) in cases {
            let html = page(meta, body);
            let (text, used) = decode_html(&encode(enc, &html), None);
            assert_eq!(used, enc, "{meta}");
            assert!(text.contains(body), "{meta}: {text}");
        }
    }

    #[test]
    fn xml_declaration_and_http_header_count() {
        let body = "中文新闻报道的正文内容";
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"GB2312\"?>{}",
            page("", body)
        );
        let (text, used) = decode_html(&encode(GBK, &xml), None);
        assert_eq!(used, GBK);
        assert!(text.contains(body));
        // The HTTP header beats a page that declares nothing.
        let html = page("", "Grüße aus Köln");
        let (text, used) = decode_html(&encode(WINDOWS_1252, &html), Some("\"ISO-8859-1\""));
        assert_eq!(used, WINDOWS_1252); // the WHATWG name of latin-1
        assert!(text.contains("Grüße aus Köln"));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let html = page("<meta charset=\"utf-16\">", "Ελληνικά νέα");
        let mut bytes = vec![0xFF, 0xFE];
        for u in html.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (text, used) = decode_html(&bytes, None);
        assert_eq!(used, UTF_16LE);
        assert!(text.contains("Ελληνικά νέα"));
        assert!(!text.starts_with('\u{FEFF}'));
    }

    #[test]
    fn undeclared_legacy_pages_are_guessed() {
        let body = "Сегодня в Москве прошло заседание правительства, на котором министры \
                    обсудили бюджет на следующий год и новые налоги.";
        let (text, _) = decode_html(&encode(KOI8_R, &page("", body)), None);
        assert!(text.contains(body), "{text}");
        let body = "東京都内で新しい駅が開業し、多くの利用者が訪れました。関係者によると、";
        let (text, used) = decode_html(&encode(SHIFT_JIS, &page("", body)), None);
        assert_eq!(used, SHIFT_JIS);
        assert!(text.contains(body));
    }

    #[test]
    fn a_wrong_utf8_declaration_is_overruled_but_a_stray_byte_is_not() {
        let body = "À la une : l’été à Montréal, où les festivals se succèdent déjà.";
        let legacy = encode(WINDOWS_1252, &page("<meta charset=utf-8>", body));
        let (text, used) = decode_html(&legacy, None);
        assert_eq!(used, WINDOWS_1252);
        assert!(text.contains(body));
        let mut stray = page("<meta charset=utf-8>", body).into_bytes();
        stray.extend_from_slice(b"<p>bad \xff byte</p>");
        let (text, used) = decode_html(&stray, None);
        assert_eq!(used, UTF_8);
        assert!(text.contains(body) && text.contains("bad ÿ byte"));
    }

    #[test]
    fn text_pages_are_utf8_or_guessed() {
        assert_eq!(
            decode_text("Héllo".as_bytes()),
            ("Héllo".to_string(), UTF_8)
        );
        let (text, used) = decode_text(&encode(WINDOWS_1252, "Ça coûte très cher, été."));
        assert_eq!(used, WINDOWS_1252);
        assert_eq!(text, "Ça coûte très cher, été.");
    }
}
