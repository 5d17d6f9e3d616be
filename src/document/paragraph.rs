//! Finishing a run of inlines into a paragraph, shared by the Markdown, HTML and tag plugin
//! readers: a line break in the source resolved to a space or to nothing, adjacent text merged,
//! a paragraph of one lone image made a figure.

use super::tree::{Block, Inline};
use crate::cjk;

/// A paragraph that holds nothing but one image is a figure, captioned by its title or alt.
pub fn paragraph_or_figure(content: Vec<Inline>) -> Option<Block> {
    let meaningful: Vec<&Inline> = content
        .iter()
        .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()))
        .filter(|i| !matches!(i, Inline::SoftBreak | Inline::LineBreak))
        .collect();
    if meaningful.is_empty() {
        return None;
    }
    if let [Inline::Image(image)] = meaningful.as_slice() {
        return Some(Block::figure(image.clone()));
    }
    Some(Block::Paragraph(content))
}

/// A line break inside a paragraph is a space between Latin words but nothing between two
/// Chinese characters (CSS Text 3's segment-break rule), so `中\n文` reads `中文`, inside every
/// kind of inline container alike.
pub fn resolve_soft_breaks(content: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(content.len());
    let mut iter = content.into_iter().peekable();
    while let Some(mut inline) = iter.next() {
        if matches!(inline, Inline::SoftBreak) {
            let before = out.last().and_then(last_char);
            let after = iter.peek().and_then(first_char);
            let joins =
                matches!((before, after), (Some(b), Some(a)) if cjk::is_cjk(b) && cjk::is_cjk(a));
            if !joins {
                out.push(Inline::Text(" ".into()));
            }
            continue;
        }
        if let Some(children) = inline.children_mut() {
            *children = resolve_soft_breaks(std::mem::take(children));
        }
        out.push(inline);
    }
    merge_text(out)
}

/// `content` without the blanks at its two ends (the text around a display formula that
/// splits its paragraph).
pub fn trim_edges(mut content: Vec<Inline>) -> Vec<Inline> {
    while matches!(content.first(), Some(Inline::LineBreak | Inline::SoftBreak)) {
        content.remove(0);
    }
    while matches!(content.last(), Some(Inline::LineBreak | Inline::SoftBreak)) {
        content.pop();
    }
    if let Some(Inline::Text(t)) = content.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = content.last_mut() {
        *t = t.trim_end().to_string();
    }
    content.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    content
}

/// Adjacent text nodes merged, so later stages see whole runs.
pub fn merge_text(content: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(content.len());
    for inline in content {
        if let (Some(Inline::Text(prev)), Inline::Text(next)) = (out.last_mut(), &inline) {
            prev.push_str(next);
        } else {
            out.push(inline);
        }
    }
    out
}

/// The last character an inline shows, looking inside containers.
fn last_char(inline: &Inline) -> Option<char> {
    match inline {
        Inline::Text(t) | Inline::Code(t) => t.chars().last(),
        other => other.children()?.last().and_then(last_char),
    }
}

/// The first character an inline shows, looking inside containers.
fn first_char(inline: &Inline) -> Option<char> {
    match inline {
        Inline::Text(t) | Inline::Code(t) => t.chars().next(),
        other => other.children()?.first().and_then(first_char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::tree::InlineStyle;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn a_line_break_between_chinese_characters_is_nothing_in_every_container() {
        let mark = |content| Inline::Styled {
            style: InlineStyle::Mark,
            content,
        };
        let broken = || vec![text("标记中"), Inline::SoftBreak, text("文相连")];
        assert_eq!(
            resolve_soft_breaks(vec![mark(broken())]),
            [mark(vec![text("标记中文相连")])]
        );
        assert_eq!(
            resolve_soft_breaks(vec![Inline::Emphasis(broken())]),
            [Inline::Emphasis(vec![text("标记中文相连")])]
        );
    }

    #[test]
    fn a_line_break_between_latin_words_is_a_space() {
        let content = vec![text("one"), Inline::SoftBreak, text("two")];
        assert_eq!(resolve_soft_breaks(content), [text("one two")]);
        // Across a container's edge the characters on either side decide.
        let content = vec![
            Inline::Strong(vec![text("中")]),
            Inline::SoftBreak,
            text("word"),
        ];
        assert_eq!(
            resolve_soft_breaks(content),
            [Inline::Strong(vec![text("中")]), text(" word")]
        );
    }
}
