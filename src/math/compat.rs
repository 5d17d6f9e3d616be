//! TeX as MathJax reads it, rewritten for pulldown-latex: the HTML entities a blog writes
//! inside formulas, MathJax's extensions and plain-TeX commands pulldown-latex lacks (`\over`,
//! `\mod`, `\bbox`, `\verb`, `\newcommand`, `\cancelto`, …) turned into equivalents it has, and the
//! Markdown escapes a Markdown-first renderer (hexo-renderer-marked) would have taken out.

/// A command renamed: MathJax's name, and what pulldown-latex calls the same thing.
const RENAMED: &[(&str, &str)] = &[
    ("mod", "\\bmod"),
    ("mathscr", "\\mathcal"),
    ("bm", "\\boldsymbol"),
    ("mbox", "\\text"),
    ("hbox", "\\text"),
    ("fbox", "\\text"),
    ("emph", "\\textit"),
    ("bcancel", "\\cancel"),
    ("xcancel", "\\cancel"),
    ("sout", "\\cancel"),
    ("LaTeX", "\\text{LaTeX}"),
    ("TeX", "\\text{TeX}"),
];

/// Commands that only change how a group looks on screen (a box, a size, an overlap): left
/// out, their argument kept as a group.
const DROPPED_KEEPING_ARGUMENT: &[&str] = &["boxed", "smash", "mathclap", "llap", "rlap"];

/// Size switches and declarations with nothing to draw: left out.
const DROPPED: &[&str] = &[
    "tiny",
    "scriptsize",
    "footnotesize",
    "small",
    "normalsize",
    "large",
    "Large",
    "LARGE",
    "huge",
    "Huge",
];

/// Commands left out with their argument: they load extensions or reserve empty space.
const DROPPED_WITH_ARGUMENT: &[&str] = &["require", "phantom", "hphantom", "vphantom"];

/// `tex` with every MathJax construct pulldown-latex lacks rewritten into one it has.
pub fn rewrite(tex: &str) -> String {
    let decoded = decode_entities(tex);
    let commands = rewrite_commands(&decoded);
    let environments = commands
        .replace("\\begin{eqnarray*}", "\\begin{array}{rcl}")
        .replace("\\end{eqnarray*}", "\\end{array}")
        .replace("\\begin{eqnarray}", "\\begin{array}{rcl}")
        .replace("\\end{eqnarray}", "\\end{array}");
    let arrays = widen_arrays(&environments);
    rows_at_top_level(&rewrite_infix_fractions(&arrays))
}

/// Each `array` whose rows hold more cells than its column spec names gets the missing
/// columns (left-aligned), as MathJax sets them; pulldown-latex refuses such a row.
fn widen_arrays(tex: &str) -> String {
    const BEGIN: &str = "\\begin{array}{";
    let mut out = String::with_capacity(tex.len() + 8);
    let mut i = 0;
    while let Some(offset) = tex[i..].find(BEGIN) {
        let spec_start = i + offset + BEGIN.len() - 1;
        let Some(spec_end) = argument_end(tex, spec_start) else {
            break;
        };
        let body_end = tex[spec_end..]
            .find("\\end{array}")
            .map_or(tex.len(), |e| spec_end + e);
        let spec = &tex[spec_start + 1..spec_end - 1];
        let columns =
            spec.chars().filter(|c| "lcr".contains(*c)).count() + spec.matches("p{").count();
        let cells = most_cells_in_a_row(&tex[spec_end..body_end]);
        out.push_str(&tex[i..spec_end - 1]);
        out.push_str(&"l".repeat(cells.saturating_sub(columns)));
        i = spec_end - 1;
    }
    out.push_str(&tex[i..]);
    out
}

/// The most cells any row of a table body holds: `&` outside braces and inner
/// environments, plus one.
fn most_cells_in_a_row(body: &str) -> usize {
    let (mut most, mut here, mut braces, mut environments) = (1, 1, 0i32, 0i32);
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let name = command_name(body, i + 1);
                match name {
                    "begin" => environments += 1,
                    "end" => environments -= 1,
                    "\\" if braces == 0 && environments == 0 => here = 1,
                    _ => {}
                }
                i += 1 + name.len().max(1);
                continue;
            }
            b'{' => braces += 1,
            b'}' => braces -= 1,
            b'&' if braces == 0 && environments == 0 => {
                here += 1;
                most = most.max(here);
            }
            _ => {}
        }
        i += 1;
    }
    most
}

/// A formula broken into rows with `\\` outside any environment (MathJax and KaTeX set
/// each row on a line of its own) as a `gathered` environment, or an `aligned` one when its
/// rows are aligned at `&`.
fn rows_at_top_level(tex: &str) -> String {
    let (mut depth, mut rows, mut aligned) = (0usize, false, false);
    let mut last = 0;
    for (at, name) in commands(tex) {
        aligned |= depth == 0 && tex[last..at].contains('&');
        match name {
            "begin" => depth += 1,
            "end" => depth = depth.saturating_sub(1),
            "\\" => rows |= depth == 0,
            _ => {}
        }
        last = at + 1 + name.len();
    }
    aligned |= depth == 0 && tex[last..].contains('&');
    match (rows, aligned) {
        (false, _) => tex.to_string(),
        (true, false) => format!("\\begin{{gathered}}{tex}\\end{{gathered}}"),
        (true, true) => format!("\\begin{{aligned}}{tex}\\end{{aligned}}"),
    }
}

/// `tex` as a Markdown-first renderer leaves it: `\\{` read as `\{`, `\*` as `*`, `\_` as
/// `_`, `\[` as `[` (a blog whose formulas were written for that renderer escapes them so).
pub fn markdown_unescaped(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    let mut chars = tex.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(next @ ('*' | '_' | '[' | ']')) => {
                chars.next();
                out.push(next);
            }
            Some('\\') => {
                chars.next();
                let mut ahead = chars.clone();
                if ahead.next() == Some('\\') && ahead.next().is_some_and(|c| "{}%#|$".contains(c))
                {
                    // `\\\{`: an escaped backslash, then an escaped brace: `\{`.
                    continue;
                }
                match chars.peek() {
                    // `\\&` stays a row break before an alignment point.
                    Some('{' | '}' | '%' | '#' | '|' | ',' | ';' | '!' | '$') => out.push('\\'),
                    _ => out.push_str("\\\\"),
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// Whether `tex` writes `\_` and never a bare `_`: each of its subscripts escaped for a
/// Markdown-first renderer.
pub fn escapes_every_subscript(tex: &str) -> bool {
    let bytes = tex.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\' && !(i > 1 && bytes[i - 2] == b'\\');
    let underscores: Vec<bool> = (0..bytes.len())
        .filter(|&i| bytes[i] == b'_')
        .map(escaped)
        .collect();
    !underscores.is_empty() && underscores.iter().all(|&e| e)
}

/// `&lt;`, `&gt;`, `&amp;` and `&nbsp;` as the characters the browser hands MathJax.
fn decode_entities(tex: &str) -> String {
    if !tex.contains('&') {
        return tex.to_string();
    }
    tex.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "~")
        .replace("&amp;", "&")
}

/// Each command of `tex`: where its backslash stands, and its name (see [`command_name`]; a
/// backslash that ends the text has an empty one).
pub fn commands(tex: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let at = i + tex.get(i..)?.find('\\')?;
        let name = command_name(tex, at + 1);
        i = at + 1 + name.len();
        Some((at, name))
    })
}

/// A control sequence's name at `tex[at..]` (just after its backslash): letters, or one other
/// character.
fn command_name(tex: &str, at: usize) -> &str {
    let letters = tex[at..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(tex.len() - at);
    match letters {
        0 => tex[at..]
            .chars()
            .next()
            .map_or("", |c| &tex[at..at + c.len_utf8()]),
        n => &tex[at..at + n],
    }
}

/// The end of a balanced `{…}` group starting at `tex[at..]` (after blanks), or of the single
/// token there; `None` at the end of the text.
fn argument_end(tex: &str, at: usize) -> Option<usize> {
    let start = at + (tex[at..].len() - tex[at..].trim_start().len());
    let rest = &tex[start..];
    let first = rest.chars().next()?;
    match first {
        '{' => {
            let mut depth = 0usize;
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(start + i + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        '\\' => Some(start + 1 + command_name(tex, start + 1).len()),
        _ => Some(start + first.len_utf8()),
    }
}

/// The end of an optional `[…]` argument at `tex[at..]`, or `at` when there is none.
fn optional_end(tex: &str, at: usize) -> usize {
    let start = at + (tex[at..].len() - tex[at..].trim_start().len());
    if tex[start..].starts_with('[')
        && let Some(close) = tex[start..].find(']')
    {
        return start + close + 1;
    }
    at
}

/// The argument at `tex[at..end]` as a group: braces kept, a single token braced.
fn as_group(argument: &str) -> String {
    let argument = argument.trim_start();
    if argument.starts_with('{') {
        argument.to_string()
    } else {
        format!("{{{argument}}}")
    }
}

/// Every command of `tex` pulldown-latex lacks, rewritten (see the tables above); `\verb`,
/// `\bbox`, `\enclose`, `\unicode`, `\eqref` and `\newcommand` by their own rules.
fn rewrite_commands(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    let mut i = 0;
    while let Some(offset) = tex[i..].find('\\') {
        let at = i + offset;
        out.push_str(&tex[i..at]);
        let name = command_name(tex, at + 1);
        let after = at + 1 + name.len();
        let (text, next) =
            rewritten(tex, name, after).unwrap_or_else(|| (tex[at..after].to_string(), after));
        out.push_str(&text);
        i = next;
    }
    out.push_str(&tex[i..]);
    out
}

/// What `\name` (its arguments starting at `tex[after..]`) becomes, and where the text after
/// it resumes; `None` to keep it as written.
fn rewritten(tex: &str, name: &str, after: usize) -> Option<(String, usize)> {
    if let Some((_, to)) = RENAMED.iter().find(|(from, _)| *from == name) {
        // `\fbox {x}`: pulldown-latex wants the argument's brace right after the name.
        let rest = tex[after..].trim_start();
        let next = if rest.starts_with('{') {
            tex.len() - rest.len()
        } else {
            after
        };
        return Some((to.to_string(), next));
    }
    if name == "color" {
        return short_colour(tex, after);
    }
    if DROPPED.contains(&name) {
        return Some((String::new(), after));
    }
    if DROPPED_WITH_ARGUMENT.contains(&name) {
        return Some((String::new(), argument_end(tex, after)?));
    }
    if DROPPED_KEEPING_ARGUMENT.contains(&name) {
        let end = argument_end(tex, after)?;
        return Some((as_group(&tex[after..end]), end));
    }
    match name {
        "verb" => verb(tex, after),
        "bbox" => {
            let body = optional_end(tex, after);
            let end = argument_end(tex, body)?;
            Some((as_group(&tex[body..end]), end))
        }
        "enclose" => {
            let notation = argument_end(tex, after)?;
            let body = optional_end(tex, notation);
            let end = argument_end(tex, body)?;
            Some((as_group(&tex[body..end]), end))
        }
        "unicode" => {
            let end = argument_end(tex, after)?;
            let code = tex[after..end].trim().trim_matches(['{', '}']).trim();
            let value = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            Some((char::from_u32(value)?.to_string(), end))
        }
        "eqref" | "ref" => {
            let end = argument_end(tex, after)?;
            let label = tex[after..end].trim().trim_matches(['{', '}']);
            let shown = if name == "eqref" {
                format!("({label})")
            } else {
                label.to_string()
            };
            Some((format!("\\text{{{}}}", text_argument(&shown)), end))
        }
        "cancelto" => {
            // `\cancelto{0}{x}`: x struck through, what it becomes written above at its end.
            let value_end = argument_end(tex, after)?;
            let end = argument_end(tex, value_end)?;
            let value = as_group(&tex[after..value_end]);
            let body = as_group(&tex[value_end..end]);
            Some((format!("{{\\cancel{body}}}^{value}"), end))
        }
        "newcommand" | "renewcommand" | "DeclareMathOperator" => new_command(tex, name, after),
        _ => None,
    }
}

/// `\color{#abc}` as `\color{#aabbcc}`, the form pulldown-latex reads; `None` for any other.
fn short_colour(tex: &str, after: usize) -> Option<(String, usize)> {
    let end = argument_end(tex, after)?;
    let hex = tex[after..end]
        .trim()
        .strip_prefix("{#")?
        .strip_suffix('}')?;
    if hex.len() != 3 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let long: String = hex.chars().flat_map(|c| [c, c]).collect();
    Some((format!("\\color{{#{long}}}"), end))
}

/// `\verb|…|`: its text in the typewriter face, as written.
fn verb(tex: &str, after: usize) -> Option<(String, usize)> {
    let star = usize::from(tex[after..].starts_with('*'));
    let open = after + star;
    let delimiter = tex[open..].chars().next()?;
    let body = open + delimiter.len_utf8();
    let close = body + tex[body..].find(delimiter)?;
    let text = text_argument(&tex[body..close]);
    Some((format!("\\texttt{{{text}}}"), close + delimiter.len_utf8()))
}

/// Whether every `{` of `text` is closed by a later `}`.
fn braces_balance(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// `text` as the argument of `\text{…}`, which pulldown-latex shows as it stands: as written,
/// or, when braces or a `%` would end it early, without them.
fn text_argument(text: &str) -> String {
    if braces_balance(text) && !text.contains('%') {
        text.to_string()
    } else {
        text.chars()
            .filter(|c| !matches!(c, '{' | '}' | '%'))
            .collect()
    }
}

/// The most arguments a TeX macro takes.
const MAX_ARGUMENTS: usize = 9;

/// `\newcommand{\name}[n]{body}` (and `\newcommand\name…`) as `\def\name#1…#n{body}`, which
/// pulldown-latex expands; `\DeclareMathOperator{\name}{text}` as a `\def` of an operator.
fn new_command(tex: &str, command: &str, after: usize) -> Option<(String, usize)> {
    let name_end = argument_end(tex, after)?;
    let name = tex[after..name_end].trim().trim_matches(['{', '}']).trim();
    if !name.starts_with('\\') {
        return None;
    }
    let count_end = optional_end(tex, name_end);
    let count: usize = if count_end > name_end {
        let written = tex[name_end..count_end].trim().trim_matches(['[', ']']);
        written
            .trim()
            .parse()
            .ok()
            .filter(|&n| n <= MAX_ARGUMENTS)?
    } else {
        0
    };
    let body_end = argument_end(tex, count_end)?;
    let body = as_group(&tex[count_end..body_end]);
    let parameters: String = (1..=count).map(|n| format!("#{n}")).collect();
    let definition = if command == "DeclareMathOperator" {
        format!("\\def{name}{{\\operatorname{body}}}")
    } else {
        format!("\\def{name}{parameters}{body}")
    };
    Some((definition, body_end))
}

/// `a \over b`, `n \choose k` and `a \atop b` as `\frac{a}{b}`, `\binom{n}{k}` and a
/// fraction without a bar: each takes everything to its left and right inside its group
/// (braces, a table cell, a row).
fn rewrite_infix_fractions(tex: &str) -> String {
    let mut out = tex.to_string();
    while let Some((at, name)) = first_infix(&out) {
        let (start, end) = enclosing_span(&out, at, at + 1 + name.len());
        let left = out[start..at].trim();
        let right = out[at + 1 + name.len()..end].trim();
        let replacement = match name {
            "over" => format!("\\frac{{{left}}}{{{right}}}"),
            "choose" => format!("\\binom{{{left}}}{{{right}}}"),
            _ => format!("\\genfrac{{}}{{}}{{0pt}}{{}}{{{left}}}{{{right}}}"),
        };
        out.replace_range(start..end, &replacement);
    }
    out
}

/// The first `\over`, `\choose` or `\atop` of `tex`: its backslash and name.
fn first_infix(tex: &str) -> Option<(usize, &'static str)> {
    commands(tex).find_map(|(at, name)| {
        let infix = ["over", "choose", "atop"]
            .into_iter()
            .find(|n| *n == name)?;
        Some((at, infix))
    })
}

/// The span around `tex[from..to]` up to the nearest unmatched brace, `&` or `\\` on either
/// side (or the ends of the text).
fn enclosing_span(tex: &str, from: usize, to: usize) -> (usize, usize) {
    let bytes = tex.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\' && !(i > 1 && bytes[i - 2] == b'\\');
    // `\begin{matrix}` ends at its closing brace: the span starts after it.
    let ends_begin = |i: usize| {
        tex[..i]
            .rfind("\\begin{")
            .is_some_and(|b| !tex[b..i].contains('}'))
    };
    let mut depth = 0i32;
    let mut start = 0;
    for i in (0..from).rev() {
        if bytes[i] == b'}' && depth == 0 && ends_begin(i) {
            start = i + 1;
            break;
        }
        match bytes[i] {
            b'}' if !escaped(i) => depth += 1,
            b'{' if !escaped(i) => {
                if depth == 0 {
                    start = i + 1;
                    break;
                }
                depth -= 1;
            }
            b'&' if depth == 0 && !escaped(i) => {
                start = i + 1;
                break;
            }
            b'\\' if depth == 0 && i > 0 && bytes[i - 1] == b'\\' => {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let mut depth = 0i32;
    let mut end = tex.len();
    let mut i = to;
    while i < bytes.len() {
        if depth == 0 && bytes[i..].starts_with(b"\\end{") {
            end = i;
            break;
        }
        match bytes[i] {
            b'\\' => {
                if depth == 0 && bytes.get(i + 1) == Some(&b'\\') {
                    end = i;
                    break;
                }
                i += 1;
            }
            b'{' => depth += 1,
            b'}' => {
                if depth == 0 {
                    end = i;
                    break;
                }
                depth -= 1;
            }
            b'&' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
        i += 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_with_wide_characters_or_a_closing_backslash_are_read_whole() {
        assert_eq!(rewrite("a \\over b × c"), "\\frac{a}{b × c}");
        assert_eq!(rewrite("x = 1\\"), "x = 1\\");
        assert_eq!(rewrite("a & b\\"), "a & b\\");
        assert_eq!(
            problem_of("x\\").as_deref(),
            Some("empty control sequence, near `x\\`")
        );
        // TeX takes at most nine arguments.
        assert_eq!(
            rewrite("\\newcommand{\\R}[99999999]{x}"),
            "\\newcommand{\\R}[99999999]{x}"
        );
    }

    fn problem_of(tex: &str) -> Option<String> {
        super::super::problem(tex)
    }

    #[test]
    fn infix_fractions_take_their_group() {
        assert_eq!(rewrite("{a+1\\over b+1}"), "{\\frac{a+1}{b+1}}");
        assert_eq!(rewrite("x = {n+1 \\choose 2k}"), "x = {\\binom{n+1}{2k}}");
        assert_eq!(rewrite("1 \\over 2"), "\\frac{1}{2}");
        assert_eq!(
            rewrite("\\begin{matrix}a \\over b & c\\end{matrix}"),
            "\\begin{matrix}\\frac{a}{b}& c\\end{matrix}"
        );
        // `\overline` is not `\over`.
        assert_eq!(rewrite("\\overline{x}"), "\\overline{x}");
    }

    #[test]
    fn mathjax_commands_become_pulldown_latex_ones() {
        assert_eq!(rewrite("i \\mod j"), "i \\bmod j");
        assert_eq!(rewrite("\\models"), "\\models");
        assert_eq!(rewrite("\\require{cancel}\\cancel{x}"), "\\cancel{x}");
        assert_eq!(rewrite("\\bbox[yellow,5px]{x+1}"), "{x+1}");
        assert_eq!(rewrite("\\enclose{circle}[mathcolor=red]{x}"), "{x}");
        // pulldown-latex shows a text argument as it stands.
        assert_eq!(rewrite("\\verb+\\color{a}+"), "\\texttt{\\color{a}}");
        assert_eq!(rewrite("\\verb|a{b|"), "\\texttt{ab}");
        assert_eq!(rewrite("\\unicode{x263A}"), "☺");
        assert_eq!(rewrite("x_i&lt;x_j"), "x_i<x_j");
        assert_eq!(
            rewrite("\\newcommand{\\R}[1]{#1^2}\\R{x}"),
            "\\def\\R#1{#1^2}\\R{x}"
        );
        assert_eq!(rewrite("\\Large x"), " x");
        assert_eq!(rewrite("\\cancelto{0}{x+y}"), "{\\cancel{x+y}}^{0}");
        assert_eq!(
            rewrite("\\begin{eqnarray}a&=&b\\end{eqnarray}"),
            "\\begin{array}{rcl}a&=&b\\end{array}"
        );
    }

    #[test]
    fn rows_outside_an_environment_are_gathered() {
        assert_eq!(
            rewrite("x \\equiv 1\\\\\ny \\equiv 0"),
            "\\begin{gathered}x \\equiv 1\\\\\ny \\equiv 0\\end{gathered}"
        );
        assert_eq!(
            rewrite("a &= b \\\\ c &= d"),
            "\\begin{aligned}a &= b \\\\ c &= d\\end{aligned}"
        );
        let matrix = "\\begin{matrix}a & b \\\\ c & d\\end{matrix}";
        assert_eq!(rewrite(matrix), matrix);
    }

    #[test]
    fn subscripts_all_escaped_are_subscripts() {
        assert!(escapes_every_subscript("\\beta\\_0,\\beta\\_1"));
        assert!(!escapes_every_subscript("x_1 + \\text{max\\_len}"));
        assert!(!escapes_every_subscript("x^2"));
        assert_eq!(super::super::read("\\beta\\_0").tex, "\\beta_0");
        // Read as a Markdown-first renderer leaves it, a row break before an alignment
        // point stays one.
        let rows = "\\left\\\\{\\begin{aligned}&a \\\\& b\\end{aligned}\\right.";
        assert_eq!(
            super::super::read(rows).tex,
            "\\left\\{\\begin{aligned}&a \\\\& b\\end{aligned}\\right."
        );
    }

    #[test]
    fn markdown_escapes_come_out_as_a_markdown_first_renderer_takes_them() {
        assert_eq!(
            markdown_unescaped("H=\\\\{h\\_0, 2\\*3\\\\}"),
            "H=\\{h_0, 2*3\\}"
        );
        // A row break stays a row break.
        assert_eq!(markdown_unescaped("a \\\\ b"), "a \\\\ b");
    }

    #[test]
    fn an_array_gets_the_columns_its_rows_use() {
        assert_eq!(
            rewrite("\\begin{array}{l} a & b \\\\ c & d \\end{array}"),
            "\\begin{array}{ll} a & b \\\\ c & d \\end{array}"
        );
        let fitting = "\\begin{array}{|rl|} a & b \\end{array}";
        assert_eq!(rewrite(fitting), fitting);
    }

    #[test]
    fn formulas_of_the_corpus_blogs_are_read_as_mathjax_reads_them() {
        for tex in [
            "\\left.\n\\begin{array}{l}\n\\text{if $n$ is even:}&n/2\\\\\n\\text{if $n$ is odd:}&3n+1\n\\end{array}\n\\right\\\\}\n=f(n)",
            "f(n) =\n\\begin{cases}\n\\frac{n}{2},  & \\text{if $n$ is even} \\\\\\[2ex\\]\n3n+1, & \\text{if $n$ is odd}\n\\end{cases}",
            "\\require{cancel}\\begin{array}{rl}\n\\verb|y+\\cancel{x}| & y+\\cancel{x}\\\\\n\\verb|\\cancel{y+x}| & \\cancel{y+x}\\\\\n\\end{array}",
        ] {
            let reading = super::super::read(tex);
            assert_eq!(reading.problem, None, "{tex}");
        }
    }

    #[test]
    fn every_rewrite_parses() {
        for tex in [
            "{a+1\\over b+1}",
            "\\bbox[#1695ea,5px]{x}",
            "\\verb+#000+",
            "\\mathscr{ABC}",
            "\\LaTeX \\TeX",
            "\\newcommand{\\R}{\\mathbb{R}} \\R",
            "\\DeclareMathOperator{\\sgn}{sgn} \\sgn x",
            "\\fbox{ab}",
            "\\eqref{eq:1}",
            "\\cancelto{0}{x+y}",
        ] {
            let rewritten = rewrite(tex);
            assert_eq!(
                super::super::problem(&rewritten),
                None,
                "{tex} → {rewritten}"
            );
        }
    }
}
