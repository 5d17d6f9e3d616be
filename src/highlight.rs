//! Code highlighting: each token of a listing classed by what it is (comment, keyword,
//! string…), from syntect's Sublime Text grammars with bat's extra ones (two-face). The document
//! keeps the classes, not colours; each book colours them its own way: the EPUB by CSS classes,
//! the PDF in colour or, for monochrome pages, in greys.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// What a token of code is, as far as its colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Comment,
    Keyword,
    String,
    /// Numbers and literal constants (`true`, `null`).
    Constant,
    Function,
    Type,
    /// Markup tags (`<div>`).
    Tag,
    /// Markup attributes (`class=`).
    Attribute,
}

impl Tone {
    pub const ALL: [Tone; 8] = [
        Tone::Comment,
        Tone::Keyword,
        Tone::String,
        Tone::Constant,
        Tone::Function,
        Tone::Type,
        Tone::Tag,
        Tone::Attribute,
    ];

    /// The EPUB's class for the tone.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Comment => "hl-comment",
            Tone::Keyword => "hl-keyword",
            Tone::String => "hl-string",
            Tone::Constant => "hl-constant",
            Tone::Function => "hl-function",
            Tone::Type => "hl-type",
            Tone::Tag => "hl-tag",
            Tone::Attribute => "hl-attribute",
        }
    }

    /// The tone's colour: each reaches AA contrast (4.5:1) on the listings' light grey, so it
    /// stays readable when an e-ink screen shows it as grey; keywords are the darkest and
    /// comments the lightest, so the two still differ there.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Tone::Comment => [0x5f, 0x65, 0x6d],
            Tone::Keyword => [0x7a, 0x1f, 0x78],
            Tone::String => [0x2b, 0x7a, 0x2b],
            Tone::Constant => [0x96, 0x52, 0x00],
            Tone::Function => [0x1a, 0x5f, 0xb4],
            Tone::Type => [0xa3, 0x3e, 0x00],
            Tone::Tag => [0xb3, 0x1d, 0x28],
            Tone::Attribute => [0x63, 0x42, 0xb8],
        }
    }

    /// The tone as a grey (0 = black) for monochrome pages: keywords black, comments light,
    /// the rest between; each still AA on the listings' grey.
    pub fn gray(self) -> f32 {
        match self {
            Tone::Keyword | Tone::Tag => 0.0,
            Tone::Comment => 0.42,
            Tone::String | Tone::Attribute => 0.3,
            Tone::Constant | Tone::Function | Tone::Type => 0.18,
        }
    }
}

/// A highlighted stretch of a listing: bytes of its text and their tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub tone: Tone,
}

/// Lines longer than this end highlighting for their listing: grammars can take time that
/// grows with the square of a line, and such lines are data (minified scripts), not code to
/// read.
const LONGEST_LINE: usize = 2000;

/// The grammars, loaded once on first use (a book without code never pays for it).
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// Scope prefixes and the tone they give, most specific first. `None` sets the token plain
/// (operators are punctuation, not keywords); a scope matching no prefix takes the tone of
/// the scope around it (a string's quotes are string).
fn rules() -> &'static [(Scope, Option<Tone>)] {
    static RULES: OnceLock<Vec<(Scope, Option<Tone>)>> = OnceLock::new();
    RULES.get_or_init(|| {
        [
            ("comment", Some(Tone::Comment)),
            ("string", Some(Tone::String)),
            ("constant.character", Some(Tone::String)),
            ("constant", Some(Tone::Constant)),
            ("keyword.operator.word", Some(Tone::Keyword)),
            ("keyword.operator.new", Some(Tone::Keyword)),
            ("keyword.operator", None),
            ("keyword", Some(Tone::Keyword)),
            ("storage", Some(Tone::Keyword)),
            ("variable.language", Some(Tone::Keyword)),
            ("markup.heading", Some(Tone::Keyword)),
            ("entity.name.function", Some(Tone::Function)),
            ("support.function", Some(Tone::Function)),
            ("variable.function", Some(Tone::Function)),
            ("entity.name.tag", Some(Tone::Tag)),
            ("entity.other.attribute-name", Some(Tone::Attribute)),
            ("entity.other.inherited-class", Some(Tone::Type)),
            ("entity.name", Some(Tone::Type)),
            ("support.type", Some(Tone::Type)),
            ("support.class", Some(Tone::Type)),
        ]
        .into_iter()
        .filter_map(|(prefix, tone)| Scope::new(prefix).ok().map(|scope| (scope, tone)))
        .collect()
    })
}

/// The grammar for a fence's language name (`js`, `C++`, `shell`…); `None` for plain text
/// and languages no grammar knows.
fn syntax_for(language: &str) -> Option<&'static SyntaxReference> {
    let lower = language.trim().to_lowercase();
    let token = match lower.as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" | "output" | "math" | "mermaid" => {
            return None;
        }
        "shell" | "sh" | "zsh" | "console" | "shell-session" | "bash" => "bash",
        "c++" | "cc" | "hpp" => "cpp",
        "py3" | "python3" => "py",
        "yml" => "yaml",
        "golang" => "go",
        "kt" => "kotlin",
        "objc" | "objective-c" => "m",
        "mysql" | "plsql" | "postgresql" | "hive" | "impala" => "sql",
        "node" | "nodejs" => "js",
        other => other,
    };
    syntaxes().find_syntax_by_token(token)
}

/// The tone of the innermost scope that has one.
fn tone_of(stack: &ScopeStack) -> Option<Tone> {
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, tone)) = rules().iter().find(|(p, _)| p.is_prefix_of(*scope)) {
            return *tone;
        }
    }
    None
}

/// Adds `range` with `tone` to `tokens`, joined to the last token when they touch.
fn push(tokens: &mut Vec<Token>, range: Range<usize>, tone: Option<Tone>) {
    let Some(tone) = tone else { return };
    if range.is_empty() {
        return;
    }
    match tokens.last_mut() {
        Some(last) if last.tone == tone && last.range.end == range.start => {
            last.range.end = range.end
        }
        _ => tokens.push(Token { range, tone }),
    }
}

/// The highlighted tokens of `text` in `language`, in order; empty for a language without a
/// grammar. Text that is not highlighted is plain.
pub fn tokens(language: Option<&str>, text: &str) -> Vec<Token> {
    let Some(syntax) = language.and_then(syntax_for) else {
        return Vec::new();
    };
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut tokens = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.len() > LONGEST_LINE {
            break;
        }
        // The grammars expect every line to end with a newline.
        let with_newline;
        let parsed = if line.ends_with('\n') {
            line
        } else {
            with_newline = format!("{line}\n");
            &with_newline
        };
        let Ok(ops) = state.parse_line(parsed, set) else {
            break;
        };
        let mut at = 0;
        for (position, op) in ops {
            let position = position.min(line.len());
            push(&mut tokens, offset + at..offset + position, tone_of(&stack));
            at = at.max(position);
            if stack.apply(&op).is_err() {
                return tokens;
            }
        }
        push(
            &mut tokens,
            offset + at..offset + line.len(),
            tone_of(&stack),
        );
        offset += line.len();
    }
    tokens
}

/// Highlight rules for a stylesheet: each tone's class in the colour `colour` gives it.
pub fn stylesheet(colour: impl Fn(Tone) -> [u8; 3]) -> String {
    let mut css = String::new();
    for tone in Tone::ALL {
        let [r, g, b] = colour(tone);
        let _ = writeln!(
            css,
            "pre .{} {{ color: #{r:02x}{g:02x}{b:02x}; }}",
            tone.class()
        );
    }
    css
}

/// The pieces of `text[range]` with their tone (`None` = plain), cut where tokens begin and
/// end.
pub fn pieces<'a>(
    text: &'a str,
    range: Range<usize>,
    tokens: &[Token],
) -> Vec<(&'a str, Option<Tone>)> {
    let mut out = Vec::new();
    let mut at = range.start;
    let first = tokens.partition_point(|t| t.range.end <= range.start);
    for token in &tokens[first..] {
        if token.range.start >= range.end {
            break;
        }
        let start = token.range.start.max(at);
        let end = token.range.end.min(range.end);
        if start > at {
            out.push((&text[at..start], None));
        }
        if end > start {
            out.push((&text[start..end], Some(token.tone)));
        }
        at = at.max(end);
    }
    if at < range.end {
        out.push((&text[at..range.end], None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the tokens of `tone`.
    fn texts_of(language: &str, code: &str, tone: Tone) -> Vec<String> {
        tokens(Some(language), code)
            .into_iter()
            .filter(|t| t.tone == tone)
            .map(|t| code[t.range].trim().to_string())
            .collect()
    }

    #[test]
    fn rust_keywords_strings_and_comments() {
        let code = "fn main() {\n    // 问候\n    let s = \"你好\";\n    let n = 42;\n}\n";
        assert_eq!(texts_of("rust", code, Tone::Comment), ["// 问候"]);
        assert_eq!(texts_of("rust", code, Tone::String), ["\"你好\""]);
        assert_eq!(texts_of("rust", code, Tone::Constant), ["42"]);
        assert!(texts_of("rust", code, Tone::Keyword).contains(&"fn".to_string()));
        assert!(texts_of("rust", code, Tone::Keyword).contains(&"let".to_string()));
        assert_eq!(texts_of("rust", code, Tone::Function), ["main"]);
    }

    #[test]
    fn fence_names_as_blogs_write_them() {
        for language in [
            "python", "py", "java", "cpp", "c++", "shell", "bash", "yml", "js",
        ] {
            assert!(syntax_for(language).is_some(), "{language}");
        }
        for language in ["toml", "typescript", "dockerfile"] {
            assert!(syntax_for(language).is_some(), "two-face's {language}");
        }
        assert!(texts_of("python", "def f():\n    pass\n", Tone::Keyword).contains(&"def".into()));
        assert_eq!(
            texts_of("html", "<p class=\"x\">段</p>", Tone::Tag),
            ["p", "p"]
        );
    }

    #[test]
    fn unknown_and_plain_languages_stay_plain() {
        assert!(tokens(Some("text"), "fn main() {}").is_empty());
        assert!(tokens(Some("no-such-language"), "fn main() {}").is_empty());
        assert!(tokens(None, "fn main() {}").is_empty());
    }

    #[test]
    fn operators_are_plain() {
        let code = "let x = a + b;";
        for t in tokens(Some("rust"), code) {
            assert!(!code[t.range.clone()].contains('+'), "{t:?}");
        }
    }

    #[test]
    fn a_last_line_without_newline_is_highlighted_to_its_end() {
        let code = "x = 1 # 注释";
        let tokens = tokens(Some("python"), code);
        assert_eq!(tokens.last().map(|t| t.range.end), Some(code.len()));
    }

    #[test]
    fn a_very_long_line_ends_highlighting_but_keeps_the_lines_before() {
        let code = format!(
            "let a = 1;\nlet s = \"{}\";\nlet b = 2;\n",
            "x".repeat(3000)
        );
        let tokens = tokens(Some("rust"), &code);
        assert!(tokens.iter().all(|t| t.range.end <= "let a = 1;\n".len()));
        assert!(!tokens.is_empty());
    }

    #[test]
    fn pieces_cut_a_line_at_token_edges() {
        let text = "a \"b\" c\nd";
        let tokens = tokens(Some("python"), text);
        assert_eq!(
            pieces(text, 0..7, &tokens),
            [("a ", None), ("\"b\"", Some(Tone::String)), (" c", None)]
        );
        assert_eq!(pieces(text, 8..9, &tokens), [("d", None)]);
    }

    /// WCAG relative luminance of an sRGB colour.
    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_tone_has_aa_contrast_on_the_listing_background() {
        // The darker of the two backgrounds: the PDF's tint (0.95 grey) and the EPUB's #f4f4f4.
        let background = [0xf2; 3];
        for tone in Tone::ALL {
            let colour = contrast(tone.rgb(), background);
            assert!(colour >= 4.5, "{tone:?} in colour: {colour:.2}");
            let g = (tone.gray() * 255.0).round() as u8;
            let grey = contrast([g; 3], background);
            assert!(grey >= 4.5, "{tone:?} in grey: {grey:.2}");
        }
        assert!(
            luminance(Tone::Keyword.rgb()) < luminance(Tone::Comment.rgb()),
            "keywords darker than comments"
        );
    }

    #[test]
    fn the_stylesheet_colours_every_tone() {
        let css = stylesheet(Tone::rgb);
        for tone in Tone::ALL {
            assert!(css.contains(&format!("pre .{} {{ color: #", tone.class())));
        }
    }
}
