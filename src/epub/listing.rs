//! A listing as XHTML: `<pre><code>` with each highlighted token in a span of its tone's
//! class, and each line's number in front of it when the book asks for numbers.

use std::fmt::Write;

use super::xml::escape;
use crate::config::{CodeStyle, Highlight};
use crate::highlight::{self, Token};

/// The `<pre>` of a listing.
pub fn listing(language: Option<&str>, text: &str, tokens: &[Token], style: CodeStyle) -> String {
    let class = language
        .map(|l| format!(" class=\"language-{}\"", escape(&l.replace(' ', "-"))))
        .unwrap_or_default();
    let text = text.trim_end_matches('\n');
    let tokens = if style.highlight == Highlight::Off {
        &[]
    } else {
        tokens
    };
    let width = text.split('\n').count().to_string().len();
    let mut out = format!("<pre><code{class}>");
    let mut start = 0;
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if style.line_numbers {
            let _ = write!(
                out,
                "<span class=\"line-number\" aria-hidden=\"true\">{:>width$} </span>",
                n + 1
            );
        }
        for (piece, tone) in highlight::pieces(text, start..start + line.len(), tokens) {
            match tone {
                Some(tone) => {
                    let _ = write!(
                        out,
                        "<span class=\"{}\">{}</span>",
                        tone.class(),
                        escape(piece)
                    );
                }
                None => out.push_str(&escape(piece)),
            }
        }
        start += line.len() + 1;
    }
    out.push_str("</code></pre>");
    out
}

/// The stylesheet's highlight rules for `style`: colours, greys or none.
pub fn stylesheet(style: CodeStyle) -> String {
    match style.highlight {
        Highlight::Color => highlight::stylesheet(|tone| tone.rgb()),
        Highlight::Gray => highlight::stylesheet(|tone| [(tone.gray() * 255.0).round() as u8; 3]),
        Highlight::Off => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(highlight: Highlight, line_numbers: bool) -> CodeStyle {
        CodeStyle {
            highlight,
            line_numbers,
        }
    }

    #[test]
    fn tokens_become_spans_and_spaces_stay() {
        let code = "def f():\n    return \"好\"\n";
        let tokens = highlight::tokens(Some("python"), code);
        let pre = listing(
            Some("python"),
            code,
            &tokens,
            style(Highlight::Color, false),
        );
        assert!(
            pre.starts_with(
                "<pre><code class=\"language-python\"><span class=\"hl-keyword\">def</span>"
            ),
            "{pre}"
        );
        assert!(pre.ends_with("\n    <span class=\"hl-keyword\">return</span> <span class=\"hl-string\">&quot;好&quot;</span></code></pre>"), "{pre}");
    }

    #[test]
    fn off_writes_the_text_alone() {
        let code = "let x = 1;\n";
        let tokens = highlight::tokens(Some("rust"), code);
        assert_eq!(
            listing(None, code, &tokens, style(Highlight::Off, false)),
            "<pre><code>let x = 1;</code></pre>"
        );
        assert_eq!(stylesheet(style(Highlight::Off, false)), "");
    }

    #[test]
    fn line_numbers_are_right_aligned_and_hidden_from_screen_readers() {
        let code: String = (1..=10).map(|n| format!("x{n}\n")).collect();
        let pre = listing(None, &code, &[], style(Highlight::Color, true));
        assert!(
            pre.starts_with(
                "<pre><code><span class=\"line-number\" aria-hidden=\"true\"> 1 </span>x1\n"
            ),
            "{pre}"
        );
        assert!(
            pre.contains("\n<span class=\"line-number\" aria-hidden=\"true\">10 </span>x10</code>"),
            "{pre}"
        );
    }

    #[test]
    fn gray_sheet_has_no_colour() {
        let css = stylesheet(style(Highlight::Gray, false));
        for tone in highlight::Tone::ALL {
            let [r, g, b] = tone.rgb();
            assert!(!css.contains(&format!("#{r:02x}{g:02x}{b:02x}")));
        }
        assert!(css.contains(".hl-keyword { color: #000000; }"), "{css}");
    }
}
