//! Character classes for Chinese line layout, as the layout reads them: the classes themselves
//! (which marks may not start or end a line, where a full-width mark's blank half lies) are
//! `crate::cjk`'s, shared with the Markdown reader and the EPUB cover; this module adds the
//! layout's own rules on top.

pub use crate::cjk::{Class, class_of};

/// A character that counts on a paragraph's last line (clreq: at least two characters besides
/// punctuation): a Han character, a letter or digit, or a symbol (`$`, `+`, `=`, `¥`, `→`, `∑`:
/// Unicode's symbols, which are not punctuation).
pub fn is_letter_like(c: char) -> bool {
    class_of(c) == Class::Ideograph || c.is_alphanumeric() || is_symbol(c)
}

/// Currency, mathematical and other symbols (Unicode categories Sc, Sm, Sk, So) as blogs use
/// them: the ASCII ones, and the blocks of currency, letterlike symbols, arrows, mathematical
/// operators and technical symbols.
fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '+'
            | '<'
            | '='
            | '>'
            | '^'
            | '`'
            | '|'
            | '~'
            | '¢'
            | '£'
            | '¥'
            | '©'
            | '®'
            | '°'
            | '±'
            | '×'
            | '÷'
    ) || matches!(c as u32, 0x20A0..=0x20CF | 0x2100..=0x214F | 0x2190..=0x23FF)
        // A formula (or a piece of one) in the line.
        || c == super::linebreak::FORMULA
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_count_on_the_last_line_and_marks_do_not() {
        for c in ['中', 'a', '7', 'あ', '$', '=', '¥', '→', '∑', '\u{FFFC}'] {
            assert!(is_letter_like(c), "{c}");
        }
        for c in ['，', '。', '”', '—', ' ', '!'] {
            assert!(!is_letter_like(c), "{c}");
        }
    }
}
