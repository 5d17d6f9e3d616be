//! The fence: finding the front matter block at the top of a post.
//!
//! Owns the lines of the text, the fence lines that open and close a block (`---`, `+++`,
//! `;;;`, three or more of the mark) and Hexo's rule for a block without an opening fence.
//! Gives back the block's format, the byte range of its text and where the body starts;
//! knows nothing of what the block says (that is `raw`).

use std::ops::Range;

use super::FrontMatterError;

/// The language of a block, as its fence line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
    /// The fence line that opens and closes a block of this format.
    pub(super) fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
            Format::Json => ";;;",
        }
    }
}

/// Where the front matter is: its format, its text and where the body starts.
#[derive(Debug)]
pub(super) struct Block {
    pub(super) format: Format,
    /// Whether an opening fence line was given.
    pub(super) fenced: bool,
    /// The opening fence line, or the first line when there is none.
    pub(super) open_line: usize,
    /// Byte range of the front matter text, without the fence lines.
    pub(super) content: Range<usize>,
    /// File line of the first byte of `content`.
    pub(super) content_line: usize,
    pub(super) body_start: usize,
    pub(super) body_line: usize,
    /// Blank lines before the opening fence (Hexo reads the block all the same).
    pub(super) blank_lines_before: usize,
}

impl Block {
    /// The line of the fence that closes the front matter.
    pub(super) fn close_line(&self) -> usize {
        self.body_line - 1
    }
}

/// One line of the input: its text without the line end, where it and the next line start.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    start: usize,
    next: usize,
    pub(super) number: usize,
}

/// The lines of `text` from byte `from` on, numbered from `first_number`.
pub(super) fn lines(
    text: &str,
    from: usize,
    first_number: usize,
) -> impl Iterator<Item = Line<'_>> {
    let mut start = from;
    let mut number = first_number;
    let rest = text.get(from..).unwrap_or_default();
    rest.split_inclusive('\n').map(move |raw| {
        let line = Line {
            text: raw.trim_end_matches(['\n', '\r']),
            start,
            next: start + raw.len(),
            number,
        };
        start = line.next;
        number += 1;
        line
    })
}

/// The format a fence line (`---`, `+++`, `;;;`, three or more) opens or closes.
fn fence(line: &str) -> Option<Format> {
    let line = line.trim_end_matches([' ', '\t']);
    let first = line.chars().next()?;
    let format = match first {
        '-' => Format::Yaml,
        '+' => Format::Toml,
        ';' => Format::Json,
        _ => return None,
    };
    (line.len() >= 3 && line.chars().all(|c| c == first)).then_some(format)
}

/// Finds the front matter block; `from` is where the text starts after a BOM.
pub(super) fn split(text: &str, from: usize) -> Result<Option<Block>, FrontMatterError> {
    let mut rest = lines(text, from, 1);
    let Some(first) = rest.next() else {
        return Ok(None);
    };
    // Blank lines before an opening fence: Hexo's pattern for a block without an opening
    // fence takes them and the fence line in, and YAML reads `---` as a document start. A
    // blank first line starts no other front matter.
    let mut first = first;
    let mut blank_lines_before = 0;
    while first.text.trim().is_empty() {
        let Some(next) = rest.next() else {
            return Ok(None);
        };
        blank_lines_before += 1;
        first = next;
    }
    if blank_lines_before > 0 && fence(first.text) != Some(Format::Yaml) {
        return Ok(None);
    }
    if let Some(format) = fence(first.text) {
        let Some(close) = rest.find(|line| fence(line.text) == Some(format)) else {
            if blank_lines_before > 0 {
                // A rule under blank lines, not a block Hexo would read.
                return Ok(None);
            }
            let message = format!(
                "front matter opened on line {} is never closed (no closing `{}` line)",
                first.number,
                format.fence()
            );
            return Err(FrontMatterError::new(first.number, None, message));
        };
        return Ok(Some(Block {
            format,
            fenced: true,
            open_line: first.number,
            content: first.next..close.start,
            content_line: first.number + 1,
            body_start: close.next,
            body_line: close.number + 1,
            blank_lines_before,
        }));
    }
    Ok(unfenced_block(first, rest))
}

/// Front matter without an opening fence, ended by the first `---` or `;;;` line, if the
/// first line looks like the start of one (Hexo's rule; a Markdown rule must not eat a post).
fn unfenced_block<'a>(first: Line<'a>, mut rest: impl Iterator<Item = Line<'a>>) -> Option<Block> {
    let close = rest.find(|line| matches!(fence(line.text), Some(Format::Yaml | Format::Json)))?;
    let format = fence(close.text)?;
    let plausible = match format {
        Format::Yaml => looks_like_yaml_key(first.text),
        _ => looks_like_json_start(first.text),
    };
    plausible.then_some(Block {
        format,
        fenced: false,
        open_line: first.number,
        content: first.start..close.start,
        content_line: first.number,
        body_start: close.next,
        body_line: close.number + 1,
        blank_lines_before: 0,
    })
}

/// `^[A-Za-z_][\w-]*:`
fn looks_like_yaml_key(line: &str) -> bool {
    let mut chars = line.chars();
    if !chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        return false;
    }
    for c in chars {
        match c {
            ':' => return true,
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {}
            _ => return false,
        }
    }
    false
}

/// A line `{` or one starting with `"key":`.
fn looks_like_json_start(line: &str) -> bool {
    let line = line.trim();
    if line == "{" {
        return true;
    }
    let Some(rest) = line.strip_prefix('"') else {
        return false;
    };
    rest.split_once('"')
        .is_some_and(|(_, after)| after.trim_start().starts_with(':'))
}

#[cfg(test)]
mod tests {
    use crate::collect::front_matter::FrontMatter;
    use crate::collect::front_matter::test_support::{body, err, ok, strings};

    #[test]
    fn front_matter_after_blank_lines_is_read_with_a_warning() {
        let text = "\n\n---\ntitle: 搬家\ndate: 2017-03-01\n---\n正文\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("搬家"));
        assert_eq!(&text[parsed.body.clone()], "正文\n");
        assert_eq!(parsed.body_line, 7);
        let warning = &parsed.front.warnings[0];
        assert_eq!(warning.line, 3);
        assert!(
            warning.message.contains("below 2 blank lines"),
            "{warning:?}"
        );
        // A blank line before a Markdown rule is no front matter.
        let text = "\n---\n\n正文\n";
        assert_eq!(ok(text).body, 0..text.len());
    }

    #[test]
    fn yaml_without_opening_fence() {
        let text = "title: Hello\ntags: x\n---\nBody\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.front.tags, strings(&["x"]));
        assert_eq!(&text[parsed.body.clone()], "Body\n");
        assert_eq!(parsed.body, 25..30);
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn markdown_rule_without_front_matter_is_body() {
        let text = "Some paragraph.\n\n---\n\nMore text.\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..text.len());
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn heading_first_line_is_body() {
        let text = "# Title: a heading\n---\nMore.\n";
        assert_eq!(ok(text).body, 0..text.len());
    }

    #[test]
    fn json_with_opening_fence() {
        let text = ";;;\n\"title\": \"x\",\n\"published\": false\n;;;\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("x"));
        assert!(!parsed.front.published);
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 5);
    }

    #[test]
    fn bom_is_skipped() {
        let text = "\u{feff}---\ntitle: T\n---\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("T"));
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn bom_without_front_matter() {
        let text = "\u{feff}Just text";
        let parsed = ok(text);
        assert_eq!(parsed.body, 3..text.len());
        assert_eq!(&text[parsed.body], "Just text");
    }

    #[test]
    fn bom_and_yaml_without_opening_fence() {
        let text = "\u{feff}title: T\n---\nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("T"));
        assert_eq!(body(text), "Body");
    }

    #[test]
    fn crlf_line_ends() {
        let text = "---\r\ntitle: Hello\r\ntags:\r\n  - x\r\n  - y\r\n---\r\nBody\r\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.front.tags, strings(&["x", "y"]));
        assert_eq!(&text[parsed.body], "Body\r\n");
        assert_eq!(parsed.body_line, 7);
    }

    #[test]
    fn crlf_toml_and_json() {
        let toml = "+++\r\ntitle = \"T\"\r\n+++\r\nB";
        assert_eq!(ok(toml).front.title.as_deref(), Some("T"));
        assert_eq!(body(toml), "B");
        let json = "\"title\": \"J\"\r\n;;;\r\nB";
        assert_eq!(ok(json).front.title.as_deref(), Some("J"));
        assert_eq!(body(json), "B");
    }

    #[test]
    fn no_front_matter() {
        let text = "Hello\n\nWorld\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert!(parsed.front.published);
        assert_eq!(parsed.body, 0..text.len());
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn empty_input() {
        let parsed = ok("");
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..0);
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn empty_front_matter() {
        let text = "---\n---\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 3);
    }

    #[test]
    fn long_fences_and_trailing_blanks() {
        let text = "-----\ntitle: T\n---  \nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("T"));
        assert_eq!(body(text), "Body");
    }

    #[test]
    fn closing_fence_at_end_without_newline() {
        let text = "---\ntitle: T\n---";
        let parsed = ok(text);
        assert_eq!(parsed.body, text.len()..text.len());
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn later_rules_stay_in_body() {
        let text = "---\ntitle: T\n---\nA\n\n---\n\nB\n";
        assert_eq!(body(text), "A\n\n---\n\nB\n");
    }

    #[test]
    fn unclosed_front_matter() {
        let e = err("---\ntitle: T\n\nBody text\n");
        assert_eq!(e.line, 1);
        assert_eq!(e.column, None);
        assert_eq!(
            e.message,
            "front matter opened on line 1 is never closed (no closing `---` line)"
        );
        assert_eq!(
            e.to_string(),
            "line 1: front matter opened on line 1 is never closed (no closing `---` line)"
        );
    }

    #[test]
    fn unclosed_toml_and_json() {
        assert_eq!(
            err("+++\ntitle = 1\n").message,
            "front matter opened on line 1 is never closed (no closing `+++` line)"
        );
        assert_eq!(err(";;;\n\"a\": 1\n").line, 1);
    }

    #[test]
    fn body_range_and_line_for_each_form() {
        let cases: [(&str, &str, usize); 6] = [
            ("---\na: 1\n---\nX\nY", "X\nY", 4),
            ("a: 1\nb: 2\n---\nX", "X", 4),
            ("+++\na = 1\n+++\n\nX", "\nX", 4),
            ("\"a\": 1\n;;;\nX", "X", 3),
            (";;;\n{\"a\": 1}\n;;;\nX", "X", 4),
            ("\u{feff}---\r\na: 1\r\n---\r\nX", "X", 4),
        ];
        for (text, expected, line) in cases {
            let parsed = ok(text);
            assert_eq!(&text[parsed.body.clone()], expected, "{text:?}");
            assert_eq!(parsed.body.end, text.len(), "{text:?}");
            assert_eq!(parsed.body_line, line, "{text:?}");
        }
    }
}
