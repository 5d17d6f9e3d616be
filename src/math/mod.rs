//! TeX math as MathJax and KaTeX blogs write it: reading it (pulldown-latex's parser), MathML
//! for the EPUB, and a tree of boxes-to-be for the page layout (`tree`).
//!
//! Knows TeX; knows nothing of posts, pages or files.

pub mod compat;
pub mod tree;
mod xml;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// A formula's TeX with what MathJax reads as numbering taken out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbered {
    pub tex: String,
    /// `\tag{…}` as written.
    pub tag: Option<String>,
    /// An `equation`, `align`, `gather`, `multline` or `alignat` environment without its
    /// star, which AMS numbering counts (unless `\nonumber`/`\notag` say otherwise).
    pub counted: bool,
}

/// Takes `\tag{…}`, `\tag*{…}`, `\label{…}`, `\nonumber` and `\notag` out of `tex`.
pub fn numbering(tex: &str) -> Numbered {
    let mut out = tex.to_string();
    let tag = take_command(&mut out, "\\tag*").or_else(|| take_command(&mut out, "\\tag"));
    while take_command(&mut out, "\\label").is_some() {}
    let unnumbered = ["\\nonumber", "\\notag"].iter().any(|c| out.contains(c));
    for command in ["\\nonumber", "\\notag"] {
        out = out.replace(command, "");
    }
    let counted = !unnumbered
        && ["equation", "align", "gather", "multline", "alignat"]
            .iter()
            .any(|env| out.trim_start().starts_with(&format!("\\begin{{{env}}}")));
    Numbered {
        tex: out.trim().to_string(),
        // `\tag{\*}`: a star escaped for a Markdown-first renderer.
        tag: tag.map(|t| t.trim().replace("\\*", "*")),
        counted,
    }
}

/// Removes the first `command{argument}` from `tex`; the argument.
fn take_command(tex: &mut String, command: &str) -> Option<String> {
    let start = tex.find(&format!("{command}{{")).or_else(|| {
        // `\tag {1}`
        let at = tex.find(command)?;
        tex[at + command.len()..]
            .trim_start()
            .starts_with('{')
            .then_some(at)
    })?;
    let open = start + tex[start..].find('{')?;
    let mut depth = 0usize;
    for (i, c) in tex[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    let argument = tex[open + 1..open + i].to_string();
                    tex.replace_range(start..open + i + 1, "");
                    return Some(argument);
                }
            }
            _ => {}
        }
    }
    None
}

/// A formula's TeX ready to typeset, or why it cannot be.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The TeX as pulldown-latex reads it (see [`compat`]); as written when it cannot be read.
    pub tex: String,
    pub problem: Option<String>,
}

/// `tex` as MathJax would read it: rewritten for pulldown-latex, and, when that does not
/// parse, read again as a Markdown-first renderer would have left it.
pub fn read(tex: &str) -> Reading {
    // Every subscript written `\_` (`\beta\_0`): escaped for a Markdown-first renderer, which
    // would have taken the backslash; TeX that means an underscore has real subscripts too.
    let markdown_first = compat::escapes_every_subscript(tex);
    let source = if markdown_first {
        compat::markdown_unescaped(tex)
    } else {
        tex.to_string()
    };
    let tex = source.as_str();
    let rewritten = compat::rewrite(tex);
    let Some(why) = problem(&rewritten) else {
        return Reading {
            tex: rewritten,
            problem: None,
        };
    };
    let unescaped = compat::rewrite(&compat::markdown_unescaped(tex));
    if problem(&unescaped).is_none() {
        return Reading {
            tex: unescaped,
            problem: None,
        };
    }
    Reading {
        tex: tex.to_string(),
        problem: Some(why),
    }
}

/// Why `tex` cannot be typeset, naming the construct and where it stands; `None` when it can.
pub fn problem(tex: &str) -> Option<String> {
    let storage = Storage::new();
    let error = Parser::new(tex, &storage).find_map(Result::err)?;
    let described = describe(&error.to_string());
    if described.starts_with(UNKNOWN_COMMAND)
        && let Some(command) = unknown_command(tex)
    {
        return Some(format!("unknown command `{command}`"));
    }
    Some(described)
}

/// How pulldown-latex's error for a command it does not know begins.
const UNKNOWN_COMMAND: &str = "unknown primitive command";

/// The first command of `tex` pulldown-latex does not know: its error context cuts long names
/// short, so each command is tried alone.
fn unknown_command(tex: &str) -> Option<String> {
    for (_, name) in compat::commands(tex) {
        let command = format!("\\{name}");
        let storage = Storage::new();
        let error = Parser::new(&command, &storage).find_map(Result::err);
        let unknown = error.is_some_and(|e| describe(&e.to_string()).starts_with(UNKNOWN_COMMAND));
        // A symbol of text mode (`\textbackslash`) is unknown only in math mode.
        if unknown && !name.starts_with("text") {
            return Some(command);
        }
    }
    None
}

/// pulldown-latex's error (`parsing error: KIND\n╭─► context:\n│ TEXT\n│ ^^^`) as one line:
/// `KIND, near TEXT`.
fn describe(error: &str) -> String {
    let mut lines = error.lines();
    let kind = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("parsing error: ")
        .replace("unkown", "unknown");
    let near: Vec<&str> = lines
        .filter_map(|l| l.strip_prefix('│'))
        .map(|l| l.trim_start_matches(['…', ' ']))
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^'))
        .collect();
    match near.last() {
        Some(text) => format!("{kind}, near `{}`", text.trim_end()),
        None => kind,
    }
}

/// The formula as MathML Core (`<math>…</math>`), with its TeX as `alttext` for readers that
/// speak it and for search.
pub fn mathml(tex: &str, display: bool) -> String {
    let storage = Storage::new();
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: None,
        xml: true,
        ..RenderConfig::default()
    };
    let mut out = String::new();
    // Writing to a String cannot fail; a parse error is drawn as pulldown-latex's error mark.
    let _ = pulldown_latex::push_mathml(&mut out, Parser::new(tex, &storage), config);
    xml::epub_mathml(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_labels_come_out_and_environments_are_counted() {
        let n = numbering("E = mc^2 \\tag{1.2}\\label{eq:e}");
        assert_eq!(
            (n.tex.as_str(), n.tag.as_deref(), n.counted),
            ("E = mc^2", Some("1.2"), false)
        );
        let n = numbering("\\begin{equation}a=b\\end{equation}");
        assert!(n.counted && n.tag.is_none());
        let n = numbering("\\begin{align*}a&=b\\end{align*}");
        assert!(!n.counted);
        let n = numbering("\\begin{align}a&=b \\nonumber\\end{align}");
        assert!(!n.counted);
    }

    #[test]
    fn mathml_is_well_formed_xml_with_every_operator() {
        for tex in [
            "a\\,b",
            "\\text{a b}",
            "a<b",
            "a>b",
            "a \\& b",
            "\\text{<&>}",
            "x_{i<j}",
        ] {
            let xml = mathml(tex, false);
            assert!(roxmltree::Document::parse(&xml).is_ok(), "{tex}: {xml}");
        }
        assert!(mathml("a<b", false).contains("<mo>&lt;</mo>"));
    }

    #[test]
    fn a_problem_names_the_construct() {
        assert_eq!(problem("a_1 + b_1"), None);
        let p = problem("\\frac{a}{b").unwrap();
        assert!(p.starts_with("unbalanced group"), "{p}");
        let p = problem("x + \\frac{1}{2} \\nosuchcommand y").unwrap();
        assert_eq!(p, "unknown command `\\nosuchcommand`");
    }
}
