//! Third-party extractors wrapped to the benchmark's shape (page HTML, url hint) -> body text,
//! so that `crosscheck-eval`'s extraction example can compare them with ours on the same
//! metric. They are compiled only with the `compare` feature; without it `by_name` knows only
//! `crosscheck`.

/// An extractor as the benchmark runs it.
pub type Extractor = fn(&str, Option<&str>) -> String;

/// Names accepted by [`by_name`].
pub const NAMES: &[&str] = &[
    "crosscheck",
    "rs-trafilatura",
    "trafilatura",
    "dom_smoothie",
];

/// The extractor called `name`, or `None` when unknown or not compiled in.
pub fn by_name(name: &str) -> Option<Extractor> {
    match name {
        "crosscheck" => Some(ours),
        #[cfg(feature = "compare")]
        "rs-trafilatura" => Some(rs_trafilatura),
        #[cfg(feature = "compare")]
        "rs-trafilatura-precision" => Some(rs_trafilatura_precision),
        #[cfg(feature = "compare")]
        "trafilatura" => Some(trafilatura),
        #[cfg(feature = "compare")]
        "trafilatura-precision" => Some(trafilatura_precision),
        #[cfg(feature = "compare")]
        "trafilatura-nofallback" => Some(trafilatura_nofallback),
        #[cfg(feature = "compare")]
        "dom_smoothie" => Some(dom_smoothie),
        _ => None,
    }
}

fn ours(html: &str, url: Option<&str>) -> String {
    let page = crate::extract(html, url);
    let texts: Vec<&str> = page.paragraphs.iter().map(|p| p.text.as_str()).collect();
    texts.join("\n")
}

#[cfg(feature = "compare")]
fn rs_trafilatura(html: &str, url: Option<&str>) -> String {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_owned),
        ..Default::default()
    };
    rs_trafilatura::extract_with_options(html, &options)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

#[cfg(feature = "compare")]
fn rs_trafilatura_precision(html: &str, url: Option<&str>) -> String {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_owned),
        favor_precision: true,
        ..Default::default()
    };
    rs_trafilatura::extract_with_options(html, &options)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

#[cfg(feature = "compare")]
fn trafilatura_with(html: &str, opts: &trafilatura::Options) -> String {
    trafilatura::extract(html, opts)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

#[cfg(feature = "compare")]
fn trafilatura(html: &str, _url: Option<&str>) -> String {
    trafilatura_with(html, &trafilatura::Options::default())
}

#[cfg(feature = "compare")]
fn trafilatura_precision(html: &str, _url: Option<&str>) -> String {
    let mut opts = trafilatura::Options::default();
    opts.focus = trafilatura::ExtractionFocus::FavorPrecision;
    trafilatura_with(html, &opts)
}

#[cfg(feature = "compare")]
fn trafilatura_nofallback(html: &str, _url: Option<&str>) -> String {
    trafilatura_with(html, &trafilatura::Options::default().with_fallback(false))
}

#[cfg(feature = "compare")]
fn dom_smoothie(html: &str, url: Option<&str>) -> String {
    dom_smoothie::Readability::new(html, url, None)
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}
