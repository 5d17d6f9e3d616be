//! Finding Hexo tag plugins (`{% name args %}` … `{% endname %}`) in a post body.
//!
//! Hexo renders tag plugins before Markdown, skipping fenced code. We do the same, but instead
//! of HTML we leave a placeholder element (`<inkstone-tag id="N"/>`) in the Markdown and keep
//! the tag itself aside; the Markdown stage turns each placeholder into tree nodes. A block tag
//! gets a line of its own, so Markdown sees it as an HTML block, not as part of a paragraph.

use super::math_spans;

/// Tags that enclose a body and end with `{% endNAME %}`.
const BODY_TAGS: &[&str] = &[
    "blockquote",
    "quote",
    "codeblock",
    "code",
    "pullquote",
    "raw",
    "note",
    "tabs",
    "subtabs",
    "cq",
    "centerquote",
    "fold",
    "folding",
    "hidetoggle",
    "hideblock",
    "details",
    "box",
];

/// One tag plugin as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    /// Arguments split as Hexo splits them: on spaces, quotes grouping.
    pub args: Vec<String>,
    /// The arguments as written (some tags, like `label`, read them whole).
    pub raw_args: String,
    /// The text between the tag and its end tag, for tags that have one.
    pub body: Option<String>,
    /// 1-based file line of the tag and of its body's first line.
    pub line: usize,
    pub body_line: usize,
    /// The tag as written, kept for unknown tags.
    pub source: String,
    /// Whether it stands in running text (inline) or on lines of its own (block).
    pub is_block: bool,
}

/// A body with its tags replaced by placeholders.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    pub text: String,
    pub tags: Vec<Tag>,
    /// (offset in `text`, file line at that offset): placeholders change the number of lines.
    anchors: Vec<(usize, usize)>,
    /// Offsets of the newlines of `text` and the length of `text` they were found in, made on
    /// the first `line_at`: a line thousands of events long must not be counted once per event.
    newlines: std::sync::OnceLock<(usize, Vec<usize>)>,
}

impl Tag {
    /// Whether a formula tag is display math: a formula found in the text says so in its
    /// first argument; a math tag plugin (`{% math %}`) always is.
    pub fn is_display_math(&self) -> bool {
        self.name != FORMULA || self.args.first().is_some_and(|a| a == "display")
    }
}

pub const PLACEHOLDER: &str = "inkstone-tag";

/// The name of the tag a formula found in the text becomes (no tag plugin can be named so).
pub const FORMULA: &str = "$math";

/// The attributes of a formula's placeholder that hold its TeX and whether it is display
/// math (`true`/`false`).
pub const TEX_ATTRIBUTE: &str = "data-tex";
pub const DISPLAY_ATTRIBUTE: &str = "data-display";

/// [`FORMULA_MARK`] as the entity written before a formula's placeholder.
pub fn formula_mark_entity() -> String {
    format!("&#x{:X};", FORMULA_MARK as u32)
}

/// `text` for an attribute value in double quotes, on one line (a placeholder that ran over
/// lines would be read as Markdown: `=` under it makes a heading).
fn attribute_escaped(text: &str) -> String {
    crate::epub::xml::escape(text).replace('\n', "&#10;")
}

/// What stands before a formula's placeholder (as the entity of a noncharacter, which the
/// reader drops): a line that starts with a placeholder would otherwise start an HTML block
/// in CommonMark's eyes and swallow the text of the lines below it.
pub const FORMULA_MARK: char = '\u{FDD0}';

impl Expanded {
    /// The file line of a byte offset in `text`.
    pub fn line_at(&self, offset: usize) -> usize {
        let at = self.anchors.partition_point(|&(o, _)| o <= offset);
        let Some(&(anchor, line)) = at.checked_sub(1).and_then(|i| self.anchors.get(i)) else {
            return 1;
        };
        let end = offset.min(self.text.len());
        let start = anchor.min(end);
        let (length, newlines) = self.newlines.get_or_init(|| {
            let at = self.text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
            (self.text.len(), at.map(|(i, _)| i).collect())
        });
        if *length != self.text.len() {
            // The text grew after the index was made: count directly.
            return line
                + self.text.as_bytes()[start..end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
        }
        line + newlines.partition_point(|&i| i < end) - newlines.partition_point(|&i| i < start)
    }

    fn push_source(&mut self, piece: &str, line: usize) {
        self.anchors.push((self.text.len(), line));
        self.text.push_str(piece);
    }

    fn push_tag(&mut self, tag: Tag) {
        let id = self.tags.len();
        let line = tag.line;
        let element = match (&tag.body, tag.name == FORMULA) {
            // Inside raw HTML the placeholder is all the HTML reader sees: the formula travels
            // in it.
            (Some(tex), true) => format!(
                "<{PLACEHOLDER} id=\"{id}\" {TEX_ATTRIBUTE}=\"{}\" {DISPLAY_ATTRIBUTE}=\"{}\"/>",
                attribute_escaped(tex),
                tag.is_display_math()
            ),
            _ => format!("<{PLACEHOLDER} id=\"{id}\"/>"),
        };
        self.anchors.push((self.text.len(), line));
        if tag.is_block {
            if !self.text.is_empty() && !self.text.ends_with("\n\n") {
                self.text.push_str(if self.text.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            self.anchors.push((self.text.len(), line));
            self.text.push_str(&element);
            self.text.push_str("\n\n");
        } else {
            if tag.name == FORMULA {
                self.text.push_str(&formula_mark_entity());
            }
            self.text.push_str(&element);
        }
        self.tags.push(tag);
    }
}

/// Replaces the tag plugins of `body` (whose first line is file line `first_line`).
/// With `math`, formulas (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) become placeholders too, of
/// [`FORMULA`] tags whose body is the TeX: Markdown never reads them.
pub fn expand(body: &str, first_line: usize, math: bool) -> Expanded {
    let mut out = Expanded::default();
    let mut fence: Option<(u8, usize)> = None;
    let mut pos = 0;
    let mut line = first_line;
    while pos < body.len() {
        let line_end = body[pos..].find('\n').map_or(body.len(), |i| pos + i + 1);
        let text_line = &body[pos..line_end];
        if let Some((ch, len)) = fence {
            if is_fence_close(text_line, ch, len) {
                fence = None;
            }
            out.push_source(text_line, line);
            pos = line_end;
            line += 1;
            continue;
        }
        if let Some(open) = fence_open(text_line) {
            if !text_line.starts_with(' ') && below_html_line(&out.text) {
                // Hexo makes fenced code into HTML before it reads the Markdown (its
                // `backtick_code_block` filter), so a fence right under an HTML line is code,
                // where CommonMark would take it into that line's HTML block. A blank line
                // between keeps it code.
                out.push_source("\n", line);
            }
            fence = Some(open);
            out.push_source(text_line, line);
            pos = line_end;
            line += 1;
            continue;
        }
        // Scan this line for tags; a body tag may consume further lines.
        let (next, next_line) = scan_line(body, pos, line_end, line, math, &mut out);
        pos = next;
        line = next_line;
    }
    out
}

/// Handles one line from `pos`; returns where scanning resumes and its line number.
fn scan_line(
    body: &str,
    pos: usize,
    line_end: usize,
    line: usize,
    math: bool,
    out: &mut Expanded,
) -> (usize, usize) {
    let mut cursor = pos;
    let mut in_code = false;
    let bytes = body.as_bytes();
    let mut i = pos;
    while i < line_end {
        if bytes[i] == b'`' {
            in_code = !in_code;
        } else if math
            && !in_code
            && bytes[i] == b'\\'
            && matches!(bytes.get(i + 1), Some(b'\\' | b'$'))
        {
            // An escaped backslash or dollar: neither opens a formula.
            i += 2;
            continue;
        } else if math
            && !in_code
            && matches!(bytes[i], b'$' | b'\\')
            && let Some(span) = math_spans::at(body, i)
        {
            out.push_source(&body[cursor..i], line);
            let prefix: String = body[pos..i]
                .chars()
                .take_while(|c| matches!(c, '>' | ' ' | '\t'))
                .collect();
            out.push_tag(Tag {
                name: FORMULA.to_string(),
                args: vec![if span.display { "display" } else { "inline" }.to_string()],
                raw_args: String::new(),
                body: Some(math_spans::clean_tex(&span.tex, &prefix)),
                line,
                body_line: line,
                source: body[i..span.end].to_string(),
                is_block: false,
            });
            if span.end > line_end {
                return (span.end, line + count_newlines(&body[i..span.end]));
            }
            cursor = span.end;
            i = span.end;
            continue;
        } else if !in_code
            && bytes[i..line_end].starts_with(b"{%")
            && let Some(found) = parse_tag_at(body, i, line)
        {
            out.push_source(&body[cursor..i], line);
            if let Some(address) = address_in_destination(&found.tag, &body[pos..i]) {
                // `[text]({% post_path x %})`: the tag stands for an address, not for content.
                out.push_source(&address, line);
                if found.end > line_end {
                    // The tag ran onto later lines: go on from its end, as for any other tag.
                    return (found.end, line + count_newlines(&body[i..found.end]));
                }
                cursor = found.end;
                i = found.end;
                continue;
            }
            let is_block = body[pos..i].trim().is_empty()
                && body[found.end..]
                    .split('\n')
                    .next()
                    .is_some_and(|rest| rest.trim().is_empty());
            let end = found.end;
            let end_line = line + count_newlines(&body[i..end]);
            out.push_tag(Tag {
                is_block,
                ..found.tag
            });
            if is_block {
                // Skip the rest of the line (only whitespace) so the placeholder stands alone.
                let after = body[end..].find('\n').map_or(body.len(), |j| end + j + 1);
                return (after, line + count_newlines(&body[i..after]));
            }
            if end > line_end {
                return (end, end_line);
            }
            cursor = end;
            i = end;
            continue;
        }
        i += 1;
    }
    out.push_source(&body[cursor..line_end], line);
    (line_end, line + 1)
}

struct Found {
    tag: Tag,
    end: usize,
}

/// Parses the tag starting at `start` (`{%`), with its body and end tag if it has one.
fn parse_tag_at(body: &str, start: usize, line: usize) -> Option<Found> {
    // `%}` is looked for after the `{%`: in `{%}` the two overlap and there is no tag.
    let close = body[start + 2..].find("%}")? + start + 2;
    let inner = body[start + 2..close].trim();
    if inner.contains('\n') && !inner.is_empty() && inner.lines().count() > 3 {
        return None;
    }
    let (name, raw_args) = match inner.find(char::is_whitespace) {
        Some(i) => (&inner[..i], inner[i..].trim()),
        None => (inner, ""),
    };
    if name.is_empty()
        || name.starts_with("end")
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let name_lower = name.to_lowercase();
    let open_end = close + 2;
    let mut tag = Tag {
        name: name_lower.clone(),
        args: split_args(raw_args),
        raw_args: raw_args.to_string(),
        body: None,
        line,
        body_line: line,
        source: body[start..open_end].to_string(),
        is_block: false,
    };
    let end_tag = find_end_tag(body, open_end, name, &name_lower);
    let end = match end_tag {
        Some((body_end, after))
            if BODY_TAGS.contains(&name_lower.as_str()) || !is_inline_tag(&name_lower) =>
        {
            let mut body_start = open_end;
            // The body starts on the next line when the tag ends its line.
            if body[open_end..].starts_with("\r\n") {
                body_start += 2;
            } else if body[open_end..].starts_with('\n') {
                body_start += 1;
            }
            let body_start = body_start.min(body_end);
            tag.body_line = line + count_newlines(&body[start..body_start]);
            tag.body = Some(body[body_start..body_end].to_string());
            tag.source = body[start..after].to_string();
            after
        }
        _ => open_end,
    };
    Some(Found { tag, end })
}

/// Scheme of the address a `post_path` tag stands for inside a link destination; the link
/// resolver turns it into a link to that post.
pub const POST_SCHEME: &str = "inkstone-post:";

/// The address a path tag stands for when it is written where Markdown or HTML expects an
/// address (`](`, `href="`, `src="`); `None` elsewhere.
fn address_in_destination(tag: &Tag, before: &str) -> Option<String> {
    let before = before.trim_end_matches(' ');
    let in_destination = before.ends_with("](")
        || before.ends_with("](<")
        || before.ends_with("=\"")
        || before.ends_with("='");
    let name = tag.args.first()?;
    match tag.name.as_str() {
        _ if !in_destination => None,
        "asset_path" => Some(name.replace(' ', "%20")),
        "post_path" => Some(format!("{POST_SCHEME}{}", name.replace(' ', "%20"))),
        _ => None,
    }
}

/// Tags that never take a body; an `{% endNAME %}` after them is not theirs.
fn is_inline_tag(name: &str) -> bool {
    matches!(
        name,
        "asset_img"
            | "asset_image"
            | "asset_path"
            | "asset_link"
            | "post_link"
            | "post_path"
            | "img"
            | "image"
            | "link"
            | "iframe"
            | "youtube"
            | "vimeo"
            | "label"
            | "btn"
            | "button"
            | "kbd"
            | "checkbox"
            | "cb"
            | "hideinline"
            | "include_code"
            | "pdf"
            | "dplayer"
    )
}

/// Finds `{% endNAME %}` after `from`, allowing nested tags of the same name; returns the
/// body's end and the offset after the end tag.
fn find_end_tag(body: &str, from: usize, name: &str, name_lower: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut i = from;
    let verbatim = matches!(name_lower, "raw" | "codeblock" | "code");
    while let Some(found) = body[i..].find("{%") {
        let at = i + found;
        let close = body[at + 2..].find("%}")? + at + 2;
        let inner = body[at + 2..close].trim();
        let word = inner.split_whitespace().next().unwrap_or("");
        if word.eq_ignore_ascii_case(&format!("end{name}")) {
            if depth == 0 {
                return Some((at, close + 2));
            }
            depth -= 1;
        } else if !verbatim && word.eq_ignore_ascii_case(name) {
            depth += 1;
        }
        i = close + 2;
    }
    None
}

/// Splits tag arguments as Hexo does: whitespace separates, `'…'` and `"…"` group.
pub fn split_args(raw: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut has_token = false;
    for c in raw.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => current.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                has_token = true;
            }
            None if c.is_whitespace() => {
                if has_token {
                    args.push(std::mem::take(&mut current));
                    has_token = false;
                }
            }
            None => {
                current.push(c);
                has_token = true;
            }
        }
    }
    if has_token {
        args.push(current);
    }
    args
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// A fence opening line: up to three spaces, then three or more backticks or tildes.
fn fence_open(line: &str) -> Option<(u8, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = *trimmed.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == ch).count();
    // A backtick fence's info string may not contain backticks (CommonMark).
    let info_ok = ch == b'~' || !trimmed[len..].contains('`');
    (len >= 3 && info_ok).then_some((ch, len))
}

/// Whether the last line of `text` starts with an HTML tag at the margin (`<summary>…`,
/// `</div>`), which may open an HTML block that runs on to the next blank line. Not `<pre>`,
/// `<script>`, `<style>` or `<textarea>`: their blocks run to the closing tag, blank line or not.
fn below_html_line(text: &str) -> bool {
    let Some(before) = text.strip_suffix('\n') else {
        return false;
    };
    let last = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let Some(tag) = last.strip_prefix('<') else {
        return false;
    };
    let tag = tag.strip_prefix('/').unwrap_or(tag);
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(name.as_str(), "pre" | "script" | "style" | "textarea")
}

fn is_fence_close(line: &str, ch: u8, len: usize) -> bool {
    let trimmed = line.trim_start_matches(' ');
    let run = trimmed.bytes().take_while(|&b| b == ch).count();
    line.len() - trimmed.len() <= 3 && run >= len && trimmed[run..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_split_on_spaces_and_group_by_quotes() {
        assert_eq!(
            split_args(r#"/a.png 200 100 '"标题" "替代"'"#),
            vec!["/a.png", "200", "100", r#""标题" "替代""#]
        );
        assert_eq!(split_args("  a   b "), vec!["a", "b"]);
        assert_eq!(split_args("'' x"), vec!["", "x"]);
    }

    #[test]
    fn address_tag_over_two_lines_does_not_panic() {
        // Found by the `document` fuzz target: a `post_path` in a link destination whose `%}`
        // is on the next line sliced the line backwards.
        let e = expand("[a]({% post_path x\n%})\n", 1, false);
        assert!(e.text.contains(")"), "{:?}", e.text);
    }

    #[test]
    fn overlapping_open_and_close_is_no_tag() {
        // Found by the `document` fuzz target: `{%}` sliced from after `{%` to before `%}`.
        let e = expand("{%}\n", 1, false);
        assert_eq!(e.text, "{%}\n");
        assert!(e.tags.is_empty());
    }

    #[test]
    fn overlapping_open_and_close_inside_a_tag_body() {
        // Found by the `document` fuzz target: the same `{%}` overlap, inside a tag's body.
        let _ = expand("{% note %}\n{%}\n{% endnote %}\n", 1, false);
    }

    #[test]
    fn inline_tag_becomes_inline_placeholder() {
        let e = expand("见 {% post_link hello %} 一文。\n", 5, false);
        assert_eq!(e.text, "见 <inkstone-tag id=\"0\"/> 一文。\n");
        assert_eq!(e.tags[0].name, "post_link");
        assert_eq!(e.tags[0].args, vec!["hello"]);
        assert_eq!(e.tags[0].line, 5);
        assert!(!e.tags[0].is_block);
    }

    #[test]
    fn block_tag_with_body_stands_alone_and_keeps_lines() {
        let src = "前文\n{% note info %}\n内容\n{% endnote %}\n后文\n";
        let e = expand(src, 10, false);
        assert_eq!(e.text, "前文\n\n<inkstone-tag id=\"0\"/>\n\n后文\n");
        let tag = &e.tags[0];
        assert_eq!(tag.body.as_deref(), Some("内容\n"));
        assert_eq!((tag.line, tag.body_line), (11, 12));
        assert!(tag.is_block);
        let after = e.text.find("后文").unwrap_or(0);
        assert_eq!(e.line_at(after), 14);
        assert_eq!(e.line_at(0), 10);
    }

    #[test]
    fn tags_inside_code_are_left_alone() {
        let src = "```\n{% raw %}\n```\n`{% post_link x %}`\n";
        let e = expand(src, 1, false);
        assert_eq!(e.text, src);
        assert!(e.tags.is_empty());
    }

    #[test]
    fn nested_tags_of_the_same_name_pair_up() {
        let src = "{% fold a %}\n{% fold b %}\nx\n{% endfold %}\n{% endfold %}\n";
        let e = expand(src, 1, false);
        assert_eq!(e.tags.len(), 1);
        assert_eq!(
            e.tags[0].body.as_deref(),
            Some("{% fold b %}\nx\n{% endfold %}\n")
        );
    }

    #[test]
    fn raw_body_is_verbatim() {
        let e = expand("{% raw %}\n<b>{% x %}</b>\n{% endraw %}\n", 1, false);
        assert_eq!(e.tags[0].body.as_deref(), Some("<b>{% x %}</b>\n"));
    }
}
