//! HTML main-content extraction (work in progress).

pub mod candidates;

/// What [`extract`] finds in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlPage {
    pub title: Option<String>,
    pub paragraphs: Vec<HtmlParagraph>,
    pub captions: Vec<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
}

/// One block of main content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlParagraph {
    pub text: String,
    pub heading: bool,
}

pub fn extract(_html: &str, url_hint: Option<&str>) -> HtmlPage {
    HtmlPage {
        url: url_hint.map(str::to_owned),
        ..Default::default()
    }
}
