//! A small, forgiving HTML parser building an arena tree.
//!
//! Why our own: a spec-complete parser (html5ever) costs several milliseconds per news page,
//! mostly on work extraction does not need (exact error recovery, namespaces, a full entity
//! tokenizer state machine). This one does one pass over the bytes, keeps text and attribute
//! values as ranges into the input (decoding entities only for what is read), skips the
//! content of `script`/`style`/`svg`/... while remembering its range, and applies the
//! implied-end-tag rules that change the tree shape of real pages (`p` closed by blocks, `li`,
//! `dt`/`dd`, table rows and cells, end tags not crossing table cells). It never panics and
//! never recurses on input depth: element nesting is capped.

use std::collections::HashMap;
use std::ops::Range;

/// Node index in [`Dom::nodes`]; 0 is the document root.
pub type NodeId = u32;
const NONE: NodeId = u32::MAX;
/// Deeper elements are attached flat under the deepest open one, so that any tree walk has a
/// bounded depth.
const MAX_DEPTH: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Element,
    /// Text between tags (raw, entities not decoded).
    Text,
    /// Content of a raw-text element (script, style, title, ...), as its only child.
    RawText,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// Lower-cased tag name for elements.
    pub name: Box<str>,
    /// Text range for Text/RawText; attribute range into [`Dom::attrs`] for elements.
    pub range: Range<u32>,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next_sibling: NodeId,
}

/// One attribute: lower-cased name and raw value range in the source.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Box<str>,
    pub value: Range<u32>,
}

#[derive(Debug)]
pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
    /// Last node of each node's subtree: nodes are in document order, so a subtree is the
    /// index range `id..=end[id]` and ancestry is a comparison.
    pub end: Vec<NodeId>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];
/// Elements whose content is not markup; we keep it as one RawText child.
const RAW: &[&str] = &[
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "template",
    "svg",
    "math",
    "plaintext",
];
/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];
/// End tags and implied closes do not cross these.
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "marquee", "object", "applet", "template",
];

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

impl<'a> Dom<'a> {
    pub fn parse(src: &'a str) -> Dom<'a> {
        // Ranges are u32: larger inputs are cut (no news page comes near 4 GiB).
        let src = if src.len() >= u32::MAX as usize - 1 {
            let mut end = u32::MAX as usize - 2;
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            &src[..end]
        } else {
            src
        };
        let mut b = Builder {
            dom: Dom {
                src,
                nodes: Vec::with_capacity(src.len() / 40 + 16),
                attrs: Vec::with_capacity(src.len() / 60 + 16),
                end: Vec::new(),
            },
            stack: vec![0],
            open: HashMap::new(),
        };
        b.dom.nodes.push(Node {
            kind: Kind::Document,
            name: "".into(),
            range: 0..0,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        b.run();
        let mut dom = b.dom;
        let n = dom.nodes.len();
        let mut end: Vec<NodeId> = (0..n as NodeId).collect();
        for i in (1..n).rev() {
            let p = dom.nodes[i].parent as usize;
            if p < n && end[p] < end[i] {
                end[p] = end[i];
            }
        }
        dom.end = end;
        dom
    }

    /// Whether `anc` is a proper ancestor of `id`.
    pub fn is_ancestor(&self, anc: NodeId, id: NodeId) -> bool {
        anc < id && self.end.get(anc as usize).is_some_and(|&e| id <= e)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn children(&self, id: NodeId) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id as usize].parent;
        (p != NONE).then_some(p)
    }

    /// Raw (undecoded) value of attribute `name` of element `id`.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&'a str> {
        let n = &self.nodes[id as usize];
        if n.kind != Kind::Element {
            return None;
        }
        self.attrs[n.range.start as usize..n.range.end as usize]
            .iter()
            .find(|a| &*a.name == name)
            .map(|a| &self.src[a.value.start as usize..a.value.end as usize])
    }

    /// Raw text of a Text/RawText node, or of the RawText child of a raw element.
    pub fn raw_text(&self, id: NodeId) -> &'a str {
        let n = &self.nodes[id as usize];
        match n.kind {
            Kind::Text | Kind::RawText => &self.src[n.range.start as usize..n.range.end as usize],
            Kind::Element if n.first_child != NONE => {
                let c = &self.nodes[n.first_child as usize];
                if c.kind == Kind::RawText {
                    &self.src[c.range.start as usize..c.range.end as usize]
                } else {
                    ""
                }
            }
            _ => "",
        }
    }

    /// All elements in document order.
    pub fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len() as NodeId).filter(|&i| self.nodes[i as usize].kind == Kind::Element)
    }

    pub fn name(&self, id: NodeId) -> &str {
        &self.nodes[id as usize].name
    }
}

pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: NodeId,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next_sibling;
        Some(id)
    }
}

struct Builder<'a> {
    dom: Dom<'a>,
    stack: Vec<NodeId>,
    /// How many elements of each name are on the stack: most end tags and implied closes
    /// concern elements that are not open, and this answers those without a scan.
    open: HashMap<Box<str>, u32>,
}

impl<'a> Builder<'a> {
    fn append(&mut self, node: Node) -> NodeId {
        let id = self.dom.nodes.len() as NodeId;
        let parent = node.parent;
        self.dom.nodes.push(node);
        let p = &mut self.dom.nodes[parent as usize];
        let last = p.last_child;
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.dom.nodes[last as usize].next_sibling = id;
        }
        id
    }

    fn push(&mut self, id: NodeId) {
        self.stack.push(id);
        let name = self.dom.nodes[id as usize].name.clone();
        *self.open.entry(name).or_insert(0) += 1;
    }

    /// Pops the stack down to `len` entries.
    fn truncate(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            let Some(id) = self.stack.pop() else { break };
            if let Some(c) = self.open.get_mut(&self.dom.nodes[id as usize].name) {
                *c = c.saturating_sub(1);
            }
        }
    }

    fn top(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn top_name(&self) -> &str {
        &self.dom.nodes[self.top() as usize].name
    }

    fn text(&mut self, start: usize, end: usize, kind: Kind) {
        if start >= end {
            return;
        }
        let parent = self.top();
        // Merge with a preceding text node (text split by comments).
        let last = self.dom.nodes[parent as usize].last_child;
        if kind == Kind::Text && last != NONE {
            let l = &mut self.dom.nodes[last as usize];
            if l.kind == Kind::Text && l.range.end as usize == start {
                l.range.end = end as u32;
                return;
            }
        }
        self.append(Node {
            kind,
            name: "".into(),
            range: start as u32..end as u32,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
    }

    /// Index in the stack of the nearest open `name`, not crossing scope boundaries
    /// (`extra` adds boundaries).
    fn in_scope(&self, name: &str, extra: &[&str]) -> Option<usize> {
        if self.open.get(name).is_none_or(|&c| c == 0) {
            return None;
        }
        for (i, &id) in self.stack.iter().enumerate().rev().take(MAX_DEPTH) {
            let n = &*self.dom.nodes[id as usize].name;
            if n == name {
                return Some(i);
            }
            if id == 0 || SCOPE.contains(&n) || extra.contains(&n) {
                return None;
            }
        }
        None
    }

    fn close(&mut self, name: &str, extra: &[&str]) {
        if let Some(i) = self.in_scope(name, extra) {
            self.truncate(i);
        }
    }

    fn start_tag(&mut self, name: &str, attrs: Range<u32>) -> NodeId {
        match name {
            "li" => self.close("li", &["ul", "ol"]),
            "dt" | "dd" => {
                self.close("dt", &["dl"]);
                self.close("dd", &["dl"]);
            }
            "tr" => {
                self.close_cell();
                self.close("tr", &["tbody", "thead", "tfoot"]);
            }
            "td" | "th" => self.close_cell(),
            "tbody" | "thead" | "tfoot" => {
                self.close_cell();
                self.close("tr", &[]);
                for t in ["tbody", "thead", "tfoot"] {
                    self.close(t, &[]);
                }
            }
            "option" => self.close("option", &["select"]),
            "a" => self.close("a", &[]),
            _ => {}
        }
        if CLOSES_P.contains(&name) {
            self.close("p", &["button"]);
        }
        if is_heading(name) && is_heading(self.top_name()) {
            let len = self.stack.len() - 1;
            self.truncate(len);
        }
        let parent = self.top();
        let id = self.append(Node {
            kind: Kind::Element,
            name: name.into(),
            range: attrs,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        if !VOID.contains(&name) && self.stack.len() < MAX_DEPTH {
            self.push(id);
        }
        id
    }

    fn close_cell(&mut self) {
        let open = |n: &str| self.open.get(n).copied().unwrap_or(0);
        if open("td") + open("th") == 0 {
            return;
        }
        // A cell is closed by the next cell or row; here `td`/`th` are themselves boundaries, so
        // look only at the top run of the stack.
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let n = &*self.dom.nodes[id as usize].name;
            if n == "td" || n == "th" {
                self.truncate(i);
                return;
            }
            if matches!(n, "tr" | "table" | "tbody" | "thead" | "tfoot" | "html") || id == 0 {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "br" => {
                self.start_tag("br", 0..0);
            }
            "td" | "th" => self.close(name, &["tr"]),
            "body" | "html" => {}
            _ => {
                let extra: &[&str] = if name == "li" { &["ul", "ol"] } else { &[] };
                self.close(name, extra);
            }
        }
    }

    fn run(&mut self) {
        let src = self.dom.src;
        let bytes = src.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        let mut text_start = 0;
        while i < n {
            let Some(off) = memchr(b'<', &bytes[i..]) else {
                break;
            };
            let lt = i + off;
            let next = bytes.get(lt + 1).copied().unwrap_or(0);
            if next.is_ascii_alphabetic() {
                self.text(text_start, lt, Kind::Text);
                let (end, name, attrs) = self.parse_tag(lt + 1);
                let id = self.start_tag(&name, attrs);
                i = end;
                let self_closed = matches!(&*name, "svg" | "math") && self.self_closed(lt, end);
                if RAW.contains(&&*name) && !self_closed {
                    // Raw content runs to the matching end tag (or the end of input).
                    let close = find_end_tag(bytes, end, &name).unwrap_or(n);
                    self.stack_text_for(id, end, close);
                    if self.top() == id {
                        let len = self.stack.len() - 1;
                        self.truncate(len);
                    }
                    i = skip_to_gt(bytes, close).min(n);
                    if name.as_ref() == "plaintext" {
                        i = n;
                    }
                }
                text_start = i;
            } else if next == b'/' && bytes.get(lt + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
                self.text(text_start, lt, Kind::Text);
                let (end, name, _) = self.parse_tag_name_only(lt + 2);
                self.end_tag(&name);
                i = end;
                text_start = i;
            } else if next == b'!' || next == b'?' || next == b'/' {
                self.text(text_start, lt, Kind::Text);
                i = if bytes[lt + 1..].starts_with(b"!--") {
                    find(bytes, lt + 4, b"-->").map_or(n, |p| p + 3)
                } else if bytes[lt + 1..].starts_with(b"![CDATA[") {
                    find(bytes, lt + 9, b"]]>").map_or(n, |p| p + 3)
                } else {
                    skip_to_gt(bytes, lt + 1)
                };
                text_start = i;
            } else {
                // A lone '<' is text.
                i = lt + 1;
            }
        }
        self.text(text_start, n, Kind::Text);
    }

    fn self_closed(&self, lt: usize, end: usize) -> bool {
        // `<svg .../>`: foreign elements honour the self-closing slash.
        end >= 2 && end - 2 > lt && self.dom.src.as_bytes()[end - 2] == b'/'
    }

    fn stack_text_for(&mut self, id: NodeId, start: usize, end: usize) {
        if start >= end {
            return;
        }
        self.append(Node {
            kind: Kind::RawText,
            name: "".into(),
            range: start as u32..end as u32,
            parent: id,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
    }

    /// Parses a start tag from the first name byte; returns (index after '>', name, attrs).
    fn parse_tag(&mut self, start: usize) -> (usize, Box<str>, Range<u32>) {
        let bytes = self.dom.src.as_bytes();
        let n = bytes.len();
        let mut i = start;
        while i < n && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
            i += 1;
        }
        let name = lower(&self.dom.src[start..i]);
        let first_attr = self.dom.attrs.len() as u32;
        loop {
            while i < n && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            if i >= n {
                break;
            }
            if bytes[i] == b'>' {
                i += 1;
                break;
            }
            let ns = i;
            // An attribute name may start with '=' but is otherwise delimited by these.
            i += 1;
            while i < n && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let aname = lower(&self.dom.src[ns..i]);
            while i < n && is_space(bytes[i]) {
                i += 1;
            }
            let mut value = i as u32..i as u32;
            if i < n && bytes[i] == b'=' {
                i += 1;
                while i < n && is_space(bytes[i]) {
                    i += 1;
                }
                if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    let vs = i + 1;
                    let ve = memchr(q, &bytes[vs..]).map_or(n, |p| vs + p);
                    value = vs as u32..ve as u32;
                    i = (ve + 1).min(n);
                } else {
                    let vs = i;
                    while i < n && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = vs as u32..i as u32;
                }
            }
            if self.dom.attrs.len() - first_attr as usize >= 64 {
                continue; // absurd attribute counts: keep the first ones only
            }
            self.dom.attrs.push(Attr { name: aname, value });
        }
        (i, name, first_attr..self.dom.attrs.len() as u32)
    }

    fn parse_tag_name_only(&mut self, start: usize) -> (usize, Box<str>, ()) {
        let bytes = self.dom.src.as_bytes();
        let mut i = start;
        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
            i += 1;
        }
        let name = lower(&self.dom.src[start..i]);
        (skip_to_gt(bytes, i), name, ())
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn lower(s: &str) -> Box<str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        s.to_ascii_lowercase().into()
    } else {
        s.into()
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(bytes: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    if from >= bytes.len() {
        return None;
    }
    bytes[from..]
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| from + p)
}

/// Index after the next '>' at or after `from` (or the input length).
fn skip_to_gt(bytes: &[u8], from: usize) -> usize {
    if from >= bytes.len() {
        return bytes.len();
    }
    memchr(b'>', &bytes[from..]).map_or(bytes.len(), |p| from + p + 1)
}

/// Start of `</name` (case-insensitive, followed by a delimiter) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let nb = name.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let p = i + memchr(b'<', &bytes[i..])?;
        if bytes.get(p + 1) == Some(&b'/')
            && bytes.len() >= p + 2 + nb.len()
            && bytes[p + 2..p + 2 + nb.len()].eq_ignore_ascii_case(nb)
            && bytes
                .get(p + 2 + nb.len())
                .is_none_or(|&c| is_space(c) || c == b'>' || c == b'/')
        {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.children(id)
            .map(|c| match dom.node(c).kind {
                Kind::Element => dom.name(c).to_owned(),
                _ => format!("#{}", dom.raw_text(c)),
            })
            .collect()
    }

    #[test]
    fn implied_paragraph_and_list_ends() {
        let dom = Dom::parse("<div><p>a<p>b<ul><li>x<li>y</ul></div>");
        let div = dom.children(0).next().unwrap();
        assert_eq!(names(&dom, div), ["p", "p", "ul"]);
        let ul = dom.children(div).nth(2).unwrap();
        assert_eq!(names(&dom, ul), ["li", "li"]);
    }

    #[test]
    fn raw_text_and_attributes() {
        let dom = Dom::parse(
            r#"<SCRIPT type="x">if (a<b) {"</div>"}</script><META NAME=og:title content='T &amp; U'>"#,
        );
        let kids: Vec<_> = dom.children(0).collect();
        assert_eq!(dom.raw_text(kids[0]), r#"if (a<b) {"</div>"}"#);
        assert_eq!(dom.attr(kids[1], "name"), Some("og:title"));
        assert_eq!(dom.attr(kids[1], "content"), Some("T &amp; U"));
    }

    #[test]
    fn stray_end_tags_do_not_cross_cells() {
        let dom = Dom::parse("<table><tr><td><div>a</td><td>b</table>");
        let table = dom.children(0).next().unwrap();
        let tr = dom.children(table).next().unwrap();
        assert_eq!(names(&dom, tr), ["td", "td"]);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for s in [
            "",
            "<",
            "</",
            "<a",
            "<a href=",
            "<a href='",
            "<!--",
            "<![CDATA[",
            "<script>",
            "<p>é<b>ü</p>",
            "\u{0}\u{ffff}<\u{80}>",
        ] {
            let _ = Dom::parse(s);
        }
        let deep = "<div>".repeat(20_000);
        let dom = Dom::parse(&deep);
        assert!(dom.nodes.len() > 20_000);
    }
}
