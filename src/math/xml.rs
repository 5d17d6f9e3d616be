//! pulldown-latex's MathML made into XML that EPUB's MathML 3 schema accepts: the crate
//! writes for HTML parsers (`<mo><</mo>`, `&nbsp;`, an attribute glued to the one before it)
//! and sets `displaystyle`/`scriptlevel` on any element, as MathML Core allows, where MathML 3
//! allows them only on `mstyle` (and `displaystyle` on `mtable`).

use std::fmt::Write as _;

use crate::epub::xml::escape;

const MATHML_NAMESPACE: &str = "http://www.w3.org/1998/Math/MathML";

/// `mathml` as well-formed MathML 3; as it came when it cannot be read even then.
pub fn epub_mathml(mathml: &str) -> String {
    let repaired = repair(mathml);
    match roxmltree::Document::parse(&repaired) {
        Ok(doc) => {
            let mut out = String::with_capacity(repaired.len() + 64);
            write_element(doc.root_element(), true, &mut out);
            out
        }
        Err(_) => repaired,
    }
}

/// Escapes what an HTML parser forgives and XML does not: a `<` that opens no tag, an `&`
/// that starts no entity (`&nbsp;` as its number), an attribute written straight after the
/// closing quote of the one before.
fn repair(mathml: &str) -> String {
    let mathml = mathml.replace("&nbsp;", "&#160;");
    let mut out = String::with_capacity(mathml.len() + 16);
    let mut chars = mathml.char_indices().peekable();
    let (mut in_tag, mut quote) = (false, None::<char>);
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if in_tag {
            match (quote, c) {
                (Some(q), _) if c == q => {
                    quote = None;
                    out.push(c);
                    if next.is_some_and(|n| n.is_alphabetic()) {
                        out.push(' ');
                    }
                    continue;
                }
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => in_tag = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/') => {
                in_tag = true;
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_entity(&mathml[i + 1..]) => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `rest` (just after an `&`) is an entity's name or number and its `;`.
fn starts_entity(rest: &str) -> bool {
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    let numeric = name
        .strip_prefix("#x")
        .map(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .or_else(|| {
            name.strip_prefix('#')
                .map(|dec| !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()))
        });
    numeric.unwrap_or(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Style attributes MathML 3 keeps for `mstyle`.
const STYLE_ATTRIBUTES: &[&str] = &["displaystyle", "scriptlevel"];

/// Writes `node` and its children; style attributes of any element but `mstyle` go on an
/// `mstyle` around it (an `mrow` simply becomes that `mstyle`).
fn write_element(node: roxmltree::Node, root: bool, out: &mut String) {
    let name = node.tag_name().name();
    let is_style = |a: &roxmltree::Attribute| STYLE_ATTRIBUTES.contains(&a.name());
    let keeps_style = name == "mstyle"
        || name == "math"
        || (name == "mtable" && !node.has_attribute("scriptlevel"));
    let moved: Vec<roxmltree::Attribute> = if keeps_style {
        Vec::new()
    } else {
        node.attributes().filter(is_style).collect()
    };
    let (element, wrapped) = match (name, moved.is_empty()) {
        ("mrow", false) => ("mstyle", false),
        (_, false) => (name, true),
        _ => (name, false),
    };
    if wrapped {
        out.push_str("<mstyle");
        write_attributes(&moved, out);
        out.push('>');
    }
    let _ = write!(out, "<{element}");
    if root {
        let _ = write!(out, " xmlns=\"{MATHML_NAMESPACE}\"");
    }
    let kept: Vec<roxmltree::Attribute> = node
        .attributes()
        .filter(|a| element == "mstyle" || keeps_style || !is_style(a))
        .collect();
    write_attributes(&kept, out);
    out.push('>');
    for child in node.children() {
        if child.is_element() {
            write_element(child, false, out);
        } else if let Some(text) = child.text() {
            out.push_str(&escape(text));
        }
    }
    let _ = write!(out, "</{element}>");
    if wrapped {
        out.push_str("</mstyle>");
    }
}

fn write_attributes(attributes: &[roxmltree::Attribute], out: &mut String) {
    for attribute in attributes {
        let _ = write!(
            out,
            " {}=\"{}\"",
            attribute.name(),
            escape(attribute.value())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_html_forgives_is_escaped() {
        assert_eq!(
            epub_mathml("<math><mo><\u{338}</mo><mo>&</mo><mtext>a&nbsp;b</mtext></math>"),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mo>&lt;\u{338}</mo>\
             <mo>&amp;</mo><mtext>a\u{a0}b</mtext></math>"
        );
        assert_eq!(
            epub_mathml("<math><mo stretchy=\"true\"minsize=\"1.2em\">(</mo></math>"),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">\
             <mo stretchy=\"true\" minsize=\"1.2em\">(</mo></math>"
        );
    }

    #[test]
    fn style_attributes_move_to_an_mstyle() {
        assert_eq!(
            epub_mathml(
                "<math><mrow displaystyle=\"true\" scriptlevel=\"0\"><mi>x</mi></mrow>\
                 <mi displaystyle=\"false\" class=\"a\">y</mi></math>"
            ),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">\
             <mstyle displaystyle=\"true\" scriptlevel=\"0\"><mi>x</mi></mstyle>\
             <mstyle displaystyle=\"false\"><mi class=\"a\">y</mi></mstyle></math>"
        );
    }
}
