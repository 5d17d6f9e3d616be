//! Emphasis beside Chinese punctuation, as bloggers mean it.
//!
//! CommonMark decides whether `**` may open or close emphasis from the characters beside it
//! (its flanking rules), and those fail for Chinese: in `同伴。**它较真` the `**` follows
//! punctuation and is followed by a letter, so it may not close, and the asterisks print. The
//! renderers Chinese blogs use (markdown-it with the CJK-friendly amendment, marked) render
//! bold there. Before parsing, an invisible marker is put between such a delimiter run and the
//! CJK punctuation beside it, which makes the run flanking as the amendment does; the parser's
//! events are then stripped of the marker, so no text changes.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag};

/// A noncharacter: never in text, neither space nor punctuation to the parser.
pub const MARKER: char = '\u{FDD0}';

/// The source with markers put in where a delimiter run needs one, and the byte offsets (in
/// the returned text) of the markers; `None` when nothing needs one.
pub fn prepare(text: &str) -> Option<(String, Vec<usize>)> {
    if !text.contains(['*', '~']) {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut inserts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c != '*' && c != '~' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].1 == c {
            i += 1;
        }
        let before = start.checked_sub(1).map(|k| chars[k].1);
        let after = chars.get(i).map(|&(_, ch)| ch);
        if before == Some('\\') {
            continue;
        }
        let run_start = chars[start].0;
        let run_end = chars.get(i).map_or(text.len(), |&(o, _)| o);
        if needs_marker(before, after) {
            inserts.push(run_start);
        } else if needs_marker(after, before) {
            inserts.push(run_end);
        }
    }
    inserts.extend(padded_pairs(text));
    inserts.sort_unstable();
    inserts.dedup();
    if inserts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + inserts.len() * MARKER.len_utf8());
    let mut offsets = Vec::with_capacity(inserts.len());
    let mut from = 0;
    for at in inserts {
        out.push_str(&text[from..at]);
        offsets.push(out.len());
        out.push(MARKER);
        from = at;
    }
    out.push_str(&text[from..]);
    Some((out, offsets))
}

/// Where markers make a space-padded pair on one line (`** 示例 **`, `到** best.pkl** 中`)
/// strong emphasis, as the marked renderer of older Hexo blogs showed it: after the opening
/// `**` and before a closing one that follows a space. The pair holds no `*` or backtick.
fn padded_pairs(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut search = 0;
        while let Some(found) = line[search..].find("**") {
            let open = search + found;
            // A space of any kind (blogs pasted from editors hold no-break spaces).
            let Some(space) = line[open + 2..].chars().next().filter(|c| is_padding(*c)) else {
                search = open + 2;
                continue;
            };
            let rest = &line[open + 2 + space.len_utf8()..];
            let Some(length) = rest.find("**") else {
                break;
            };
            let close = open + 2 + space.len_utf8() + length;
            let before = line[..open].chars().next_back();
            let after = line[close + 2..].chars().next();
            let opens = before.is_none_or(|c| {
                c.is_whitespace() || is_cjk_letter(c) || (is_punctuation(c) && !"*\\".contains(c))
            });
            let closes = after.is_none_or(|c| {
                c.is_whitespace() || is_cjk_letter(c) || (is_punctuation(c) && c != '*')
            });
            let content = &rest[..length];
            if opens && closes && !content.trim().is_empty() && !content.contains(['*', '`']) {
                out.push(line_start + open + 2);
                if line[..close].ends_with(is_padding) {
                    out.push(line_start + close);
                }
                search = close + 2;
            } else {
                search = open + 2;
            }
        }
        line_start += line.len();
    }
    out
}

/// A space inside a line: ASCII, no-break or ideographic.
fn is_padding(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// Whether a delimiter run with `mark` on one side and `word` on the other needs a marker on
/// the mark's side: punctuation there, a letter on the other side, and one of them CJK.
fn needs_marker(mark: Option<char>, word: Option<char>) -> bool {
    let (Some(mark), Some(word)) = (mark, word) else {
        return false;
    };
    let is_word = !word.is_whitespace() && !is_punctuation(word);
    is_punctuation(mark) && is_word && (is_cjk_punctuation(mark) || is_cjk_letter(word))
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || is_cjk_punctuation(c) || matches!(c, '\u{2010}'..='\u{2027}')
}

/// Full-width and CJK punctuation: ，。、；：？！ brackets, quotes, dashes and ellipses.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{2014}' | '\u{2026}' | '\u{2018}'..='\u{201F}' | '\u{00B7}')
}

fn is_cjk_letter(c: char) -> bool {
    crate::cjk::is_cjk(c) && !is_cjk_punctuation(c)
}

/// The offset in the original text of `offset` in the prepared one.
pub fn original_offset(offset: usize, markers: &[usize]) -> usize {
    offset - MARKER.len_utf8() * markers.partition_point(|&m| m < offset)
}

/// The event with every marker taken out of its text.
pub fn strip(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
        Event::InlineMath(t) => Event::InlineMath(clean(t)),
        Event::DisplayMath(t) => Event::DisplayMath(clean(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(clean(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(clean(info))))
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(clean(label)))
        }
        other => other,
    }
}

fn clean(text: CowStr<'_>) -> CowStr<'_> {
    if text.contains(MARKER) {
        text.replace(MARKER, "").into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser, TagEnd};

    /// What pulldown-cmark makes of `source` after the pre-pass, as minimal HTML.
    fn render(source: &str) -> String {
        let prepared = prepare(source);
        let text = prepared.as_ref().map_or(source, |(t, _)| t.as_str());
        let parser = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).map(strip);
        let mut out = String::new();
        for event in parser {
            let piece = match event {
                Event::Text(t) => t.to_string(),
                Event::Code(t) => format!("<code>{t}</code>"),
                Event::Start(Tag::Paragraph) => "<p>".into(),
                Event::End(TagEnd::Paragraph) => "</p>".into(),
                Event::Start(Tag::Strong) => "<strong>".into(),
                Event::End(TagEnd::Strong) => "</strong>".into(),
                Event::Start(Tag::Emphasis) => "<em>".into(),
                Event::End(TagEnd::Emphasis) => "</em>".into(),
                Event::Start(Tag::Strikethrough) => "<del>".into(),
                Event::End(TagEnd::Strikethrough) => "</del>".into(),
                Event::Start(Tag::CodeBlock(_)) => "<pre>".into(),
                Event::End(TagEnd::CodeBlock) => "</pre>".into(),
                _ => String::new(),
            };
            out.push_str(&piece);
        }
        out
    }

    #[test]
    fn bold_closes_after_a_chinese_stop_and_opens_before_a_bracket() {
        assert_eq!(
            render("了：**编译器不是拦路的人，而是同伴。**它较真"),
            "<p>了：<strong>编译器不是拦路的人，而是同伴。</strong>它较真</p>"
        );
        assert_eq!(
            render("我也**「不必」**再熬夜"),
            "<p>我也<strong>「不必」</strong>再熬夜</p>"
        );
        assert_eq!(
            render("这件事~~差点全部倒进垃圾桶。~~终于做完了"),
            "<p>这件事<del>差点全部倒进垃圾桶。</del>终于做完了</p>"
        );
        assert_eq!(render("*“引号”*之后"), "<p><em>“引号”</em>之后</p>");
    }

    #[test]
    fn space_padded_bold_on_one_line_is_bold_as_older_hexo_showed_it() {
        assert_eq!(render("** 示例 **"), "<p><strong> 示例 </strong></p>");
        assert_eq!(
            render("输出到** best_model.pkl** 中加以保存"),
            "<p>输出到<strong> best_model.pkl</strong> 中加以保存</p>"
        );
        assert_eq!(
            render("** OWD(One Way Distance)**算法"),
            "<p><strong> OWD(One Way Distance)</strong>算法</p>"
        );
        // Not a pair: a product, stars across lines, a wildcard.
        assert_eq!(
            render("**\u{a0}OWD**算法"),
            "<p><strong>\u{a0}OWD</strong>算法</p>",
            "a no-break space"
        );
        assert_eq!(render("a ** b"), "<p>a ** b</p>");
        assert_eq!(
            render("** 一\n二 **"),
            "<p>** 一二 **</p>",
            "soft break dropped"
        );
        assert_eq!(
            render("有一个***perf-test.sh"),
            "<p>有一个***perf-test.sh</p>"
        );
    }

    #[test]
    fn latin_text_escapes_and_code_are_left_as_commonmark_reads_them() {
        assert_eq!(prepare("a **b** c, \"**x\"**y"), None);
        assert_eq!(prepare("好。\\**它"), None);
        assert_eq!(
            render("`。**它` 和\n\n```\n。**它\n```"),
            "<p><code>。**它</code> 和</p><pre>。**它\n</pre>"
        );
    }

    #[test]
    fn offsets_map_back_to_the_source() {
        let (text, markers) = prepare("一。**二").unwrap_or_default();
        assert_eq!(markers, [6]);
        assert_eq!(text.len(), "一。**二".len() + 3);
        assert_eq!(original_offset(6, &markers), 6);
        assert_eq!(original_offset(9, &markers), 6);
        assert_eq!(original_offset(11, &markers), 8);
    }
}
