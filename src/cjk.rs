//! The characters of Chinese text by kind (clreq §3.1, "Requirements for Chinese Text Layout"):
//! which are Han, which are CJK and set solid (one em wide, no space between two of them), and
//! the class of every character at line edges and next to punctuation, with where a full-width
//! mark's blank half lies in the Simplified Chinese cut.
//!
//! The one table that the Markdown reader (a line break between two CJK characters is no
//! space), the page layout (line breaking, compression, Han–Latin spacing) and the EPUB cover
//! (its title's lines) all read. Knows Unicode; knows nothing of documents, pages or books.

/// Unicode blocks of CJK characters that are set one em wide, as (first, last) code points.
/// Unassigned code points inside a run of blocks are counted with it, so runs stay whole.
const WIDE: &[(u32, u32)] = &[
    // Hangul Jamo: the leading consonants (the vowels and finals after them join a syllable).
    (0x1100, 0x115F),
    // CJK Radicals Supplement, Kangxi Radicals, Ideographic Description Characters, CJK Symbols
    // and Punctuation, Hiragana, Katakana, Bopomofo, Hangul Compatibility Jamo, Kanbun, CJK
    // Strokes, Enclosed CJK Letters and Months, CJK Compatibility.
    (0x2E80, 0x33FF),
    // CJK Unified Ideographs Extension A.
    (0x3400, 0x4DBF),
    // CJK Unified Ideographs.
    (0x4E00, 0x9FFF),
    // Hangul Jamo Extended-A.
    (0xA960, 0xA97F),
    // Hangul Syllables.
    (0xAC00, 0xD7A3),
    // CJK Compatibility Ideographs.
    (0xF900, 0xFAFF),
    // Vertical Forms.
    (0xFE10, 0xFE1F),
    // CJK Compatibility Forms.
    (0xFE30, 0xFE4F),
    // Fullwidth Forms: letters, digits and punctuation (the halfwidth ones after them are not).
    (0xFF00, 0xFF60),
    // Fullwidth signs (￠ ￡ ￢ ￣ ￤ ￥ ￦).
    (0xFFE0, 0xFFE6),
    // Planes 2 and 3: CJK Unified Ideographs Extensions B and beyond, Compatibility Supplement.
    (0x20000, 0x3FFFD),
];

/// Han ideographs: CJK Unified Ideographs, Extension A, the compatibility ideographs, and
/// planes 2 and 3 (Extensions B and beyond).
pub fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// Han, kana, bopomofo, Hangul, CJK symbols and full-width forms: characters set one em wide.
pub fn is_wide(c: char) -> bool {
    let c = u32::from(c);
    WIDE.iter()
        .any(|&(first, last)| (first..=last).contains(&c))
}

/// Emoji and other pictographs (U+1F000–U+1FAFF). Not CJK, but the page layout sets them as it
/// sets ideographs: one em, a line may break on either side.
pub fn is_pictograph(c: char) -> bool {
    matches!(u32::from(c), 0x1F000..=0x1FAFF)
}

/// A CJK character or mark, set solid: a wide character, or CJK punctuation (which includes
/// the curly quotes, dash, ellipsis and middle dot that Chinese text takes from Latin blocks).
/// A line break in the source between two of them is no space (CSS Text 3's segment-break
/// rule), and a space between two of them is a full-width one.
pub fn is_cjk(c: char) -> bool {
    is_wide(c) || class_of(c).is_cjk_punctuation()
}

/// How a character behaves at line edges and next to other punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Han ideographs, kana, Hangul, full-width letters (and, for the layout, pictographs): one
    /// em, break on either side.
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

/// The class of `c` in Chinese text.
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
        // The spaces of Latin typesetting (en, thin, hair…) break as a word space does.
        ' ' | '\t' | '\u{00A0}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' => Class::Space,
        c if is_wide(c) || is_pictograph(c) => Class::Ideograph,
        _ => Class::Latin,
    }
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

    /// CJK punctuation: the marks of clreq's classes, full-width in Chinese text.
    pub fn is_cjk_punctuation(self) -> bool {
        matches!(
            self,
            Class::Opening
                | Class::Closing
                | Class::Stop
                | Class::MiddleDot
                | Class::Inseparable
                | Class::Connector
        )
    }

    /// Characters set one em wide whose neighbours get no extra Han–Latin space.
    pub fn is_cjk(self) -> bool {
        self == Class::Ideograph || self.is_cjk_punctuation()
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

    #[test]
    fn han_wide_and_cjk_are_nested_sets() {
        for c in ['中', '㐀', '豈', '𠀀'] {
            assert!(is_han(c) && is_wide(c) && is_cjk(c), "{c}");
        }
        for c in ['あ', 'ア', 'ㄅ', '한', '，', '＂', '￥', '︐', '⿰'] {
            assert!(!is_han(c) && is_wide(c) && is_cjk(c), "{c}");
        }
        // Marks Chinese text takes from Latin blocks: CJK, not wide by block.
        for c in ['“', '’', '—', '…', '·', '⋯'] {
            assert!(!is_wide(c) && is_cjk(c), "{c}");
        }
        // Halfwidth forms, conjoining Hangul vowels, Latin and emoji are none of them.
        for c in ['ｱ', 'ﾡ', '\u{1161}', 'a', '1', ',', '😀'] {
            assert!(!is_wide(c) && !is_cjk(c), "{c}");
        }
    }

    #[test]
    fn pictographs_are_ideographs_for_the_layout_only() {
        assert_eq!(class_of('😀'), Class::Ideograph);
        assert!(is_pictograph('😀') && !is_cjk('😀'));
    }
}
