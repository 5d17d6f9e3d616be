//! Character classes for Chinese line layout (clreq §3.1, "Requirements for Chinese Text
//! Layout"): which marks may not start or end a line, and where a full-width mark's blank half
//! lies in the Simplified Chinese cut (so compression knows which side to remove).

/// How a character behaves at line edges and next to other punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Han ideographs, kana, Hangul, full-width letters: one em, break on either side.
    Ideograph,
    /// 「『“‘（《〈【〖〔［｛: never at a line end; blank half on the left.
    Opening,
    /// 」』”’）》〉】〗〕］｝: never at a line start; blank half on the right (SC cut).
    Closing,
    /// 。．，、；：！？: never at a line start; blank half on the right (SC cut).
    Stop,
    /// ·・: never at a line start; blank quarter on each side.
    MiddleDot,
    /// —— and ……: two ems that stay together and never start a line (strict).
    Inseparable,
    /// ～: a connector, may not start a line.
    Connector,
    /// Latin letters, digits and other narrow characters: words are not broken inside.
    Latin,
    /// ASCII closing punctuation `,.;:!?)]}`: never at a line start.
    LatinClosing,
    /// ASCII opening punctuation `([{`: never at a line end.
    LatinOpening,
    /// A space between Latin words: a break opportunity that vanishes at a line edge.
    Space,
}

pub fn class_of(c: char) -> Class {
    match c {
        '「' | '『' | '“' | '‘' | '（' | '《' | '〈' | '【' | '〖' | '〔' | '［' | '｛' | '｟'
        | '〘' => Class::Opening,
        '」' | '』' | '”' | '’' | '）' | '》' | '〉' | '】' | '〗' | '〕' | '］' | '｝' | '｠'
        | '〙' => Class::Closing,
        '。' | '．' | '，' | '、' | '；' | '：' | '！' | '？' => Class::Stop,
        '·' | '・' | '‧' => Class::MiddleDot,
        '—' | '…' | '⸺' | '⋯' => Class::Inseparable,
        '～' | '〜' => Class::Connector,
        // ASCII quotes open or close: they go with the word they touch (UAX 14's QU), so they
        // are Latin here.
        ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '%' => Class::LatinClosing,
        '(' | '[' | '{' => Class::LatinOpening,
        ' ' | '\t' | '\u{00A0}' => Class::Space,
        c if is_ideographic(c) => Class::Ideograph,
        _ => Class::Latin,
    }
}

/// A character that counts on a paragraph's last line (clreq: at least two characters besides
/// punctuation): a Han character, or a letter or digit.
pub fn is_letter_like(c: char) -> bool {
    class_of(c) == Class::Ideograph || c.is_alphanumeric()
}

/// Han, kana, Hangul, CJK symbols and full-width forms: set one em wide, breakable around.
pub fn is_ideographic(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF
        | 0x3200..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x1F000..=0x1FAFF | 0x20000..=0x3FFFD)
}

impl Class {
    /// May a line start with this character?
    pub fn may_start_line(self) -> bool {
        !matches!(
            self,
            Class::Closing
                | Class::Stop
                | Class::MiddleDot
                | Class::Inseparable
                | Class::Connector
                | Class::LatinClosing
        )
    }

    /// May a line end with this character?
    pub fn may_end_line(self) -> bool {
        !matches!(self, Class::Opening | Class::LatinOpening)
    }

    /// Full-width punctuation whose blank part can be removed.
    pub fn is_compressible(self) -> bool {
        matches!(
            self,
            Class::Opening | Class::Closing | Class::Stop | Class::MiddleDot
        )
    }

    /// Blank space (in em) on the left and right of the mark's full-width glyph.
    pub fn blank(self) -> (f32, f32) {
        match self {
            Class::Opening => (0.5, 0.0),
            Class::Closing | Class::Stop => (0.0, 0.5),
            Class::MiddleDot => (0.25, 0.25),
            _ => (0.0, 0.0),
        }
    }

    /// Characters set one em wide whose neighbours get no extra Han–Latin space.
    pub fn is_cjk(self) -> bool {
        matches!(
            self,
            Class::Ideograph
                | Class::Opening
                | Class::Closing
                | Class::Stop
                | Class::MiddleDot
                | Class::Inseparable
                | Class::Connector
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_clreq() {
        for c in "」』”’）》〉】〗〕］｝".chars() {
            assert_eq!(class_of(c), Class::Closing, "{c}");
        }
        for c in "「『“‘（《〈【〖〔［｛".chars() {
            assert_eq!(class_of(c), Class::Opening, "{c}");
        }
        for c in "。．，、；：！？".chars() {
            assert_eq!(class_of(c), Class::Stop, "{c}");
        }
        assert_eq!(class_of('中'), Class::Ideograph);
        assert_eq!(class_of('a'), Class::Latin);
        assert_eq!(class_of('—'), Class::Inseparable);
        assert!(!class_of('，').may_start_line());
        assert!(!class_of('“').may_end_line());
    }
}
