//! Escaping text for XHTML and XML files.

/// Escapes text content and attribute values; drops characters XML forbids (C0 controls other
/// than tab and newlines, lone surrogates cannot occur in Rust strings).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL made safe for an `href`: spaces and characters URLs may not hold are percent-encoded.
pub fn escape_url(url: &str) -> String {
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                encoded.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_control() => {}
            c => encoded.push(c),
        }
    }
    escape(&encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(escape("a<b>&\"c\u{0}\u{8}"), "a&lt;b&gt;&amp;&quot;c");
        assert_eq!(escape("]]>"), "]]&gt;");
    }

    #[test]
    fn urls_lose_spaces_and_braces() {
        assert_eq!(
            escape_url("https://x.com/a b?q={1}&r"),
            "https://x.com/a%20b?q=%7B1%7D&amp;r"
        );
    }
}
