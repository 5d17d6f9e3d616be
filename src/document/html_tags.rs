//! Raw HTML read as text, tag by tag, before any HTML parser sees it: a single tag and its
//! attributes (inline HTML arrives from pulldown-cmark one tag at a time), comments, how an
//! HTML block opens or closes a container around the Markdown that follows, and what an inline
//! tag stands for in the tree. Whole fragments are converted by `html`.

use super::links::Context;
use super::tree::{Image, Inline, InlineStyle};

/// One HTML tag as written.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub closing: bool,
    pub self_closing: bool,
}

impl HtmlTag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a single tag (`<a href="x">`, `</b>`, `<br/>`); `None` for comments and non-tags.
pub fn parse_tag(raw: &str) -> Option<HtmlTag> {
    let inner = raw.trim().strip_prefix('<')?.strip_suffix('>')?;
    if inner.starts_with('!') || inner.starts_with('?') {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    Some(HtmlTag {
        name,
        attrs: parse_attrs(&inner[name_end..]),
        closing,
        self_closing,
    })
}

fn parse_attrs(mut s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start();
        let key_end = s
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(s.len());
        if key_end == 0 {
            break;
        }
        let key = s[..key_end].to_ascii_lowercase();
        s = s[key_end..].trim_start();
        let mut value = String::new();
        if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &rest[1..];
                let end = body.find(q).unwrap_or(body.len());
                value = body[..end].to_string();
                s = body.get(end + 1..).unwrap_or("");
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                value = rest[..end].to_string();
                s = &rest[end..];
            }
        }
        attrs.push((key, decode_entities(&value)));
    }
    attrs
}

/// The handful of entities that appear in attribute values written by hand.
fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Removes `<!-- … -->` comments (Hexo's `<!-- more -->` among them).
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements that may wrap Markdown across several HTML blocks (`<div>` … blank line … `</div>`).
const CONTAINERS: &[&str] = &[
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "details",
    "blockquote",
    "center",
    "figure",
    "nav",
];

/// What an HTML block does to the tree.
pub enum Step {
    /// A container opens here and stays open for the Markdown that follows.
    Open { tag: String, fragment: String },
    /// A container opened by an earlier block closes here.
    Close(String),
    /// Self-contained HTML to convert.
    Blocks(String),
}

/// Splits an HTML block into self-contained pieces and container openings/closings.
pub fn container_steps(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut segment_start = 0;
    let mut i = 0;
    while let Some(lt) = text[i..].find('<') {
        let at = i + lt;
        let Some(gt) = text[at..].find('>') else {
            break;
        };
        let end = at + gt + 1;
        if let Some(tag) =
            parse_tag(&text[at..end]).filter(|t| CONTAINERS.contains(&t.name.as_str()))
        {
            if tag.closing {
                if stack.last().is_some_and(|(n, _)| *n == tag.name) {
                    stack.pop();
                } else if stack.is_empty() {
                    push_fragment(&mut steps, &text[segment_start..at]);
                    steps.push(Step::Close(tag.name));
                    segment_start = end;
                }
            } else if !tag.self_closing {
                stack.push((tag.name, at));
            }
        }
        i = end;
    }
    if let Some((name, at)) = stack.into_iter().next() {
        push_fragment(&mut steps, &text[segment_start..at]);
        // The opening element's own content (a `<summary>`, leading text) is parsed with it.
        steps.push(Step::Open {
            tag: name,
            fragment: text[at..].to_string(),
        });
    } else {
        push_fragment(&mut steps, &text[segment_start..]);
    }
    steps
}

fn push_fragment(steps: &mut Vec<Step>, fragment: &str) {
    if !fragment.trim().is_empty() {
        steps.push(Step::Blocks(fragment.to_string()));
    }
}

/// The style an inline element (`<sup>`, `<kbd>`, `<mark>`, …) stands for.
pub fn style_of(name: &str) -> Option<InlineStyle> {
    Some(match name {
        "sup" => InlineStyle::Superscript,
        "sub" => InlineStyle::Subscript,
        "kbd" => InlineStyle::Keyboard,
        "mark" => InlineStyle::Mark,
        "u" | "ins" => InlineStyle::Underline,
        "small" => InlineStyle::Small,
        "abbr" | "acronym" => InlineStyle::Abbreviation,
        _ => return None,
    })
}

/// What an inline HTML opening tag stands for.
pub enum InlineHtml {
    Style(InlineStyle),
    Emphasis,
    Strong,
    Strike,
    Link(String),
}

/// Reads an inline opening tag; `None` for tags that add nothing to the tree (`<span>`).
pub fn inline_kind(tag: &HtmlTag) -> Option<InlineHtml> {
    Some(match tag.name.as_str() {
        "strong" | "b" => InlineHtml::Strong,
        "em" | "i" | "cite" | "dfn" | "var" => InlineHtml::Emphasis,
        "s" | "del" | "strike" => InlineHtml::Strike,
        "a" => {
            // A `javascript:` address is dropped (with a warning) when the link is resolved.
            InlineHtml::Link(tag.attr("href")?.to_string())
        }
        name => InlineHtml::Style(style_of(name)?),
    })
}

/// Inline elements that stand alone: `<br>`, `<img>`.
pub fn void_inline(tag: &HtmlTag, ctx: &Context, line: usize) -> Option<Inline> {
    match tag.name.as_str() {
        "br" => Some(Inline::LineBreak),
        "img" => {
            let src = tag.attr("src").or_else(|| tag.attr("data-src"))?;
            let source = ctx.image_source(src, line);
            Some(Inline::Image(Image {
                source,
                alt: tag.attr("alt").unwrap_or("").to_string(),
                title: tag.attr("title").map(str::to_string),
            }))
        }
        _ => None,
    }
}

/// Whether `text` holds the closing tag of `name`, in any case.
pub fn closes(text: &str, name: &str) -> bool {
    text.to_ascii_lowercase().contains(&format!("</{name}"))
}

/// Reports a `<script>` or `<style>` that closes nowhere in its paragraph: text written about
/// the tag (a browser would swallow the rest of the page), which the book prints as written.
pub fn warn_printed_as_text(name: &str, ctx: &Context, line: usize) {
    ctx.warn(
        line,
        format!("<{name}> has no closing tag in its paragraph: printed as text"),
    );
}

/// Reports a tag whose element a book cannot hold (a script, a frame): it is left out.
pub fn warn_if_dropped(tag: &HtmlTag, ctx: &Context, line: usize) {
    if matches!(
        tag.name.as_str(),
        "script" | "style" | "iframe" | "object" | "embed"
    ) {
        ctx.warn(
            line,
            format!(
                "removed <{}> from the post: a book cannot hold it",
                tag.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_with_attributes() {
        let tag = parse_tag(r#"<img src="a.png" alt='替代' data-x=1 hidden/>"#);
        let tag = tag.unwrap_or_else(|| panic!("no tag"));
        assert_eq!(tag.name, "img");
        assert!(tag.self_closing);
        assert_eq!(tag.attr("alt"), Some("替代"));
        assert_eq!(tag.attr("data-x"), Some("1"));
        assert_eq!(tag.attr("hidden"), Some(""));
        assert!(parse_tag("</KBD>").is_some_and(|t| t.closing && t.name == "kbd"));
        assert!(parse_tag("<!-- more -->").is_none());
    }

    #[test]
    fn comments_are_stripped() {
        assert_eq!(strip_comments("a<!-- more -->b<!-- x"), "ab");
    }
}
