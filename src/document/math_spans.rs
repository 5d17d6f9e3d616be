//! Finding formulas in a post's Markdown as MathJax and KaTeX find them in the rendered page,
//! but before Markdown reads it: `_`, `*` and `\\` inside a formula are TeX, not emphasis or
//! escapes.
//!
//! Delimiters: `$$…$$` and `\[…\]` display, `$…$` and `\(…\)` inline, and a bare
//! `\begin{equation}…\end{equation}` (and the other display environments) display. A `$` opens
//! only when a non-space follows it and closes only after a non-space and before a non-digit,
//! so `$5 and $6` stays text; `\$` is a dollar. No formula runs over a blank line.

/// A formula found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The TeX between the delimiters (an environment keeps its `\begin` and `\end`).
    pub tex: String,
    pub display: bool,
    /// Byte offset just past the closing delimiter.
    pub end: usize,
}

/// Environments MathJax typesets where they stand, without delimiters around them.
const DISPLAY_ENVIRONMENTS: &[&str] = &[
    "equation",
    "equation*",
    "align",
    "align*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "alignat",
    "alignat*",
    "eqnarray",
    "eqnarray*",
];

/// The formula that starts at byte `at` of `text`, if one does.
pub fn at(text: &str, at: usize) -> Option<Span> {
    let rest = &text[at..];
    if rest.starts_with("$$") {
        return closed(text, at + 2, "$$", true);
    }
    if rest.starts_with('$') {
        return inline_dollar(text, at);
    }
    if rest.starts_with("\\[") {
        return closed(text, at + 2, "\\]", true);
    }
    if rest.starts_with("\\(") {
        return closed(text, at + 2, "\\)", false);
    }
    let name = rest.strip_prefix("\\begin{")?.split('}').next()?;
    if !DISPLAY_ENVIRONMENTS.contains(&name) {
        return None;
    }
    let close = format!("\\end{{{name}}}");
    let found = closed(text, at, &close, true)?;
    // The environment is the formula: keep its `\begin` and `\end`.
    Some(Span {
        tex: text[at..found.end].to_string(),
        ..found
    })
}

/// Whether the byte at `at` is escaped by a backslash (an odd number of them before it).
pub fn is_escaped(text: &str, at: usize) -> bool {
    let backslashes = text.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

/// `$…$`: a non-space after the opening dollar, a non-space before the closing one and no
/// digit after it.
fn inline_dollar(text: &str, at: usize) -> Option<Span> {
    let start = at + 1;
    let first = text[start..].chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let close = unescaped(text, start, "$")?;
    let tex = &text[start..close];
    let last = tex.chars().next_back()?;
    let after = text[close + 1..].chars().next();
    if last.is_whitespace() || after.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    span(text, start, close, 1, false)
}

/// A formula from `start` to the first unescaped `close`.
fn closed(text: &str, start: usize, close: &str, display: bool) -> Option<Span> {
    let end = unescaped(text, start, close)?;
    if text[start..end].trim().is_empty() {
        return None;
    }
    span(text, start, end, close.len(), display)
}

fn span(text: &str, start: usize, close: usize, close_len: usize, display: bool) -> Option<Span> {
    let tex = &text[start..close];
    if runs_over_blank_line(tex) || runs_into_a_block(tex) {
        return None;
    }
    Some(Span {
        tex: tex.to_string(),
        display,
        end: close + close_len,
    })
}

/// The first `needle` from `from` that no backslash escapes (`\$` is a dollar in TeX too).
fn unescaped(text: &str, from: usize, needle: &str) -> Option<usize> {
    let mut i = from;
    while let Some(found) = text[i..].find(needle) {
        let at = i + found;
        // `\]` and `\)` are escaped by their own backslash; a dollar by one before it, or
        // by braces around it (`\text{if $n$ is even}`: MathJax balances braces first).
        let dollar = needle.starts_with('$');
        let escaped = dollar && (is_escaped(text, at) || inside_braces(&text[from..at]));
        if !escaped {
            return Some(at);
        }
        i = at + needle.len();
    }
    None
}

/// Whether the end of `tex` lies inside a brace group it opened. A brace after a backslash
/// is a brace to print, `\\{` too: blogs written for Markdown-first renderers double the
/// backslash of `\{`.
fn inside_braces(tex: &str) -> bool {
    let mut depth = 0i32;
    let mut after_backslash = false;
    for c in tex.chars() {
        match c {
            '{' if !after_backslash => depth += 1,
            '}' if !after_backslash => depth -= 1,
            _ => {}
        }
        after_backslash = c == '\\';
    }
    depth > 0
}

/// Whether a line between the formula's first and last is blank (a paragraph ends there).
fn runs_over_blank_line(tex: &str) -> bool {
    let pieces: Vec<&str> = tex.split('\n').collect();
    pieces.len() > 2
        && pieces[1..pieces.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// Whether a line after the formula's first opens or closes a code fence or is a heading: the
/// paragraph has ended there (Markdown renders the page first, and MathJax looks for the
/// closing delimiter in the same paragraph, never inside code).
fn runs_into_a_block(tex: &str) -> bool {
    tex.split('\n').skip(1).any(|line| {
        let line = line.trim_start_matches(['>', ' ', '\t']);
        line.starts_with("```")
            || line.starts_with("~~~")
            || (line.starts_with('#') && line.trim_start_matches('#').starts_with(' '))
    })
}

/// The TeX as MathJax reads it from the page: the quote markers (`> `) or list indentation that
/// Markdown strips from a formula's continuation lines go, and `\\\\`, a row break escaped for
/// Markdown renderers that eat one backslash of two (hexo-renderer-marked), is one row break.
pub fn clean_tex(tex: &str, line_prefix: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    for (i, line) in tex.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = if i > 0 {
            strip_prefix_markers(line, line_prefix)
        } else {
            line
        };
        out.push_str(line);
    }
    out.replace("\\\\\\\\", "\\\\").trim().to_string()
}

/// `line` without the container markers of the formula's first line (`> `, `  `).
fn strip_prefix_markers<'a>(line: &'a str, prefix: &str) -> &'a str {
    let mut rest = line;
    for marker in prefix.chars() {
        match rest.chars().next() {
            Some(c) if c == marker || (marker == ' ' && c == '\t') => rest = &rest[c.len_utf8()..],
            Some('>') if marker == ' ' => break,
            _ => break,
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Option<(String, bool)> {
        let i = text.find(['$', '\\'])?;
        at(text, i).map(|s| (s.tex, s.display))
    }

    #[test]
    fn dollars_open_and_close_as_katex_and_pandoc_read_them() {
        assert_eq!(find("设 $a_1 + b_1$ 为"), Some(("a_1 + b_1".into(), false)));
        assert_eq!(find("$5 and $6"), None);
        assert_eq!(find("$ x$"), None);
        assert_eq!(find("$x $"), None);
        assert_eq!(find("$x$5"), None);
        assert_eq!(find("$x\\$y$"), Some(("x\\$y".into(), false)));
        assert_eq!(find("$$\\sum_i x_i$$"), Some(("\\sum_i x_i".into(), true)));
        assert_eq!(find("\\(x^2\\)"), Some(("x^2".into(), false)));
        assert_eq!(find("\\[x^2\\]"), Some(("x^2".into(), true)));
        assert_eq!(find("$a\n\nb$"), None);
        // A paragraph ends where a code fence or a heading starts.
        assert_eq!(
            find("${..} 中间\n```properties\nx=${random.int}\n```"),
            None
        );
        assert_eq!(find("$a\n## b$"), None);
        assert!(find("$a\n> b$").is_some());
        assert_eq!(find("$$\na\n$$"), Some(("\na\n".into(), true)));
        assert_eq!(
            find("\\begin{align}a&=b\\end{align} 后"),
            Some(("\\begin{align}a&=b\\end{align}".into(), true))
        );
        assert_eq!(find("\\begin{itemize}x\\end{itemize}"), None);
        // A dollar inside braces belongs to the formula (MathJax balances braces first).
        assert_eq!(
            find("$\\fbox {$E$}$ 后"),
            Some(("\\fbox {$E$}".into(), false))
        );
        assert_eq!(
            find("$$f=\\left\\\\{ x \\right.$$ 与 $$y$$"),
            Some(("f=\\left\\\\{ x \\right.".into(), true))
        );
    }

    #[test]
    fn continuation_lines_lose_their_quote_markers_and_escaped_row_breaks() {
        assert_eq!(clean_tex("\n> a\\\\\\\\\n> b\n> ", "> "), "a\\\\\nb");
        assert_eq!(clean_tex("x\n  y", "  "), "x\ny");
    }
}
