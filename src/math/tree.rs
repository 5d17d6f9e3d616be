//! pulldown-latex's flat event stream → a tree of math nodes, the shape the page layout
//! typesets: rows of atoms, scripts, fractions, roots, fences and tables. Letters come out in
//! the face they are printed in (italic `x` as U+1D465, `\mathbb{R}` as ℝ), so the layout only
//! looks characters up in the math font.

use pulldown_latex::event::{
    ArrayColumn, ColumnAlignment, Content, DelimiterSize, DelimiterType, Dimension, DimensionUnit,
    EnvironmentFlow, Event, Font, Grouping, ScriptPosition, ScriptType, StateChange, Style, Visual,
};
use pulldown_latex::{Parser, Storage};

/// TeX's classes of atoms: they decide the space between neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Ord,
    Op,
    Bin,
    Rel,
    Open,
    Close,
    Punct,
    /// A fraction or fenced group: spaced like an ordinary atom, but a thin space after
    /// punctuation and around it in some places.
    Inner,
}

/// How a column of a table aligns its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// The math styles of TeX, from largest to smallest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MathStyle {
    Display,
    Text,
    Script,
    ScriptScript,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// One character of the math font.
    Atom {
        c: char,
        class: Class,
        /// A large operator (∑, ∫) grows in display style.
        large: bool,
    },
    /// A function name or a number, set upright as one word of the math font.
    Word {
        text: String,
        class: Class,
    },
    /// `\text{…}`, set in the body font (Chinese too).
    Text(String),
    Row(Vec<Node>),
    /// A style change for the rest of its row (`\displaystyle`).
    Style(MathStyle),
    Scripts {
        base: Box<Node>,
        sub: Option<Box<Node>>,
        sup: Option<Box<Node>>,
        /// Above and below the base (limits, accents) rather than to its right.
        limits: bool,
        /// `\sum` and `\lim`: limits in display style only.
        movable: bool,
    },
    Fraction {
        numerator: Box<Node>,
        denominator: Box<Node>,
        /// Without a bar (`\binom`, `\atop`).
        bar: bool,
    },
    Root {
        index: Option<Box<Node>>,
        radicand: Box<Node>,
    },
    /// `\left( … \right)`: delimiters as tall as what they enclose.
    Fenced {
        open: Option<char>,
        close: Option<char>,
        body: Vec<Node>,
    },
    /// A delimiter of a fixed size (`\big(`, in em) or a stretchy one in a fence (`\middle|`).
    Delimiter {
        c: char,
        size: Option<f32>,
        class: Class,
    },
    /// Matrices, `aligned`, `cases`, `array`: rows of cells.
    Table {
        rows: Vec<Vec<Node>>,
        columns: Vec<Align>,
        /// Space between columns, in em; `aligned` pairs right and left columns without it.
        gap: f32,
        /// Columns alternate right and left, each pair glued (`aligned`, `align`).
        paired: bool,
        /// Cells set in display style (`aligned`, `dcases`) rather than text style.
        display: bool,
    },
    /// Horizontal space in em (negative: a kern back).
    Space(f32),
    /// Struck through: `\not=`, `\cancel`.
    Negated(Box<Node>),
}

/// Reads `tex` into a row of nodes; `Err` with the parser's message when it cannot.
pub fn parse(tex: &str) -> Result<Vec<Node>, String> {
    let storage = Storage::new();
    let events: Vec<Event> = Parser::new(tex, &storage)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let mut reader = Reader { events, at: 0 };
    let mut row = Vec::new();
    while reader.at < reader.events.len() {
        match reader.element(None) {
            Some(Item::Node(node)) => row.push(node),
            Some(Item::Font(_)) | Some(Item::Flow(_)) => {}
            None => break,
        }
    }
    Ok(row)
}

/// What one step of the stream gives.
enum Item {
    Node(Node),
    /// A font change for the rest of the row.
    Font(Option<Font>),
    /// `&` or `\\` inside an environment.
    Flow(Flow),
}

enum Flow {
    Cell,
    Row,
}

struct Reader<'a> {
    events: Vec<Event<'a>>,
    at: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.get(self.at).cloned();
        self.at += 1;
        event
    }

    /// The next element as a node (font changes before it applied to it).
    fn node(&mut self, font: Option<Font>) -> Node {
        let mut font = font;
        loop {
            match self.element(font) {
                Some(Item::Node(node)) => return node,
                Some(Item::Font(f)) => font = f,
                Some(Item::Flow(_)) | None => return Node::Row(Vec::new()),
            }
        }
    }

    /// Reads one element of the stream.
    fn element(&mut self, font: Option<Font>) -> Option<Item> {
        let event = self.next()?;
        Some(match event {
            Event::Content(content) => Item::Node(content_node(content, font)),
            Event::Begin(grouping) => Item::Node(self.group(grouping, font)),
            Event::End => return None,
            Event::Visual(visual) => Item::Node(self.visual(visual, font)),
            Event::Script { ty, position } => {
                let base = Box::new(self.node(font));
                let (sub, sup) = match ty {
                    ScriptType::Subscript => (Some(Box::new(self.node(font))), None),
                    ScriptType::Superscript => (None, Some(Box::new(self.node(font)))),
                    ScriptType::SubSuperscript => {
                        let sub = Box::new(self.node(font));
                        (Some(sub), Some(Box::new(self.node(font))))
                    }
                };
                Item::Node(Node::Scripts {
                    base,
                    sub,
                    sup,
                    limits: position != ScriptPosition::Right,
                    movable: position == ScriptPosition::Movable,
                })
            }
            Event::Space { width, .. } => Item::Node(Node::Space(width.map_or(0.0, em))),
            Event::StateChange(StateChange::Font(f)) => Item::Font(f),
            Event::StateChange(StateChange::Style(style)) => Item::Node(Node::Style(match style {
                Style::Display => MathStyle::Display,
                Style::Text => MathStyle::Text,
                Style::Script => MathStyle::Script,
                Style::ScriptScript => MathStyle::ScriptScript,
            })),
            // Colour is left out: the book prints in black, for e-ink and copy shops alike.
            Event::StateChange(StateChange::Color(_)) => Item::Node(Node::Row(Vec::new())),
            Event::EnvironmentFlow(EnvironmentFlow::Alignment) => Item::Flow(Flow::Cell),
            Event::EnvironmentFlow(EnvironmentFlow::NewLine { .. }) => Item::Flow(Flow::Row),
            Event::EnvironmentFlow(EnvironmentFlow::StartLines { .. }) => {
                Item::Node(Node::Row(Vec::new()))
            }
        })
    }

    fn visual(&mut self, visual: Visual, font: Option<Font>) -> Node {
        match visual {
            Visual::SquareRoot => Node::Root {
                index: None,
                radicand: Box::new(self.node(font)),
            },
            Visual::Root => {
                let radicand = Box::new(self.node(font));
                let index = Some(Box::new(self.node(font)));
                Node::Root { index, radicand }
            }
            Visual::Fraction(thickness) => {
                let numerator = Box::new(self.node(font));
                let denominator = Box::new(self.node(font));
                Node::Fraction {
                    numerator,
                    denominator,
                    bar: thickness.is_none_or(|t| t.value > 0.0),
                }
            }
            Visual::Negation => match self.node(font) {
                Node::Atom { c, class, large } if negated(c).is_some() => Node::Atom {
                    c: negated(c).unwrap_or(c),
                    class,
                    large,
                },
                other => Node::Negated(Box::new(other)),
            },
        }
    }

    /// The elements up to the group's end, split into cells and rows where the environment
    /// has `&` and `\\`.
    fn cells(&mut self, font: Option<Font>) -> Vec<Vec<Vec<Node>>> {
        let mut rows = vec![vec![Vec::new()]];
        let mut font = font;
        while let Some(item) = self.element(font) {
            let row = rows.last_mut().expect("a row");
            match item {
                Item::Node(node) => row.last_mut().expect("a cell").push(node),
                Item::Font(f) => font = f,
                Item::Flow(Flow::Cell) => row.push(Vec::new()),
                Item::Flow(Flow::Row) => rows.push(vec![Vec::new()]),
            }
        }
        // `\\` after the last row makes no empty row.
        if rows.len() > 1 && rows.last().is_some_and(|r| r.iter().all(Vec::is_empty)) {
            rows.pop();
        }
        rows
    }

    fn group(&mut self, grouping: Grouping, font: Option<Font>) -> Node {
        let rows = self.cells(font);
        let row = |rows: Vec<Vec<Vec<Node>>>| -> Vec<Node> {
            rows.into_iter().flatten().flatten().collect()
        };
        let table =
            |rows: Vec<Vec<Vec<Node>>>, columns: Vec<Align>, gap, paired, display| Node::Table {
                rows: rows
                    .into_iter()
                    .map(|r| r.into_iter().map(Node::Row).collect())
                    .collect(),
                columns,
                gap,
                paired,
                display,
            };
        match grouping {
            Grouping::Normal => Node::Row(row(rows)),
            Grouping::LeftRight(open, close) => Node::Fenced {
                open,
                close,
                body: row(rows),
            },
            Grouping::Matrix { alignment } => {
                let align = align_of(alignment);
                table(rows, vec![align], 1.0, false, false)
            }
            Grouping::SubArray { alignment } => {
                table(rows, vec![align_of(alignment)], 0.0, false, false)
            }
            Grouping::Array(columns) => {
                let columns: Vec<Align> = columns
                    .iter()
                    .filter_map(|c| match c {
                        ArrayColumn::Column(a) => Some(align_of(*a)),
                        ArrayColumn::Separator(_) => None,
                    })
                    .collect();
                table(rows, columns, 1.0, false, false)
            }
            Grouping::Cases { left } => {
                let body = table(rows, vec![Align::Left], 1.0, false, false);
                let (open, close) = if left {
                    (Some('{'), None)
                } else {
                    (None, Some('}'))
                };
                Node::Fenced {
                    open,
                    close,
                    body: vec![body],
                }
            }
            Grouping::Equation { .. } | Grouping::Multline => {
                table(rows, vec![Align::Center], 0.0, false, true)
            }
            Grouping::Gather { .. } | Grouping::Gathered => {
                table(rows, vec![Align::Center], 0.0, false, true)
            }
            Grouping::Align { .. }
            | Grouping::Aligned
            | Grouping::Alignat { .. }
            | Grouping::Alignedat { .. }
            | Grouping::Split => table(rows, vec![Align::Right, Align::Left], 2.0, true, true),
        }
    }
}

/// The character Unicode has for `c` struck through (`\not=` is ≠).
fn negated(c: char) -> Option<char> {
    Some(match c {
        '=' => '≠',
        '<' => '≮',
        '>' => '≯',
        '≤' => '≰',
        '≥' => '≱',
        '∈' => '∉',
        '∋' => '∌',
        '⊂' => '⊄',
        '⊃' => '⊅',
        '⊆' => '⊈',
        '⊇' => '⊉',
        '≡' => '≢',
        '∼' => '≁',
        '≈' => '≉',
        '≅' => '≇',
        '∃' => '∄',
        '∣' => '∤',
        '∥' => '∦',
        _ => return None,
    })
}

fn align_of(alignment: ColumnAlignment) -> Align {
    match alignment {
        ColumnAlignment::Left => Align::Left,
        ColumnAlignment::Center => Align::Center,
        ColumnAlignment::Right => Align::Right,
    }
}

/// A dimension in em (at 10 pt per em, as TeX's defaults assume; 18 mu to the em).
fn em(d: Dimension) -> f32 {
    let v = d.value;
    match d.unit {
        DimensionUnit::Em => v,
        DimensionUnit::Mu => v / 18.0,
        DimensionUnit::Ex => v * 0.43,
        DimensionUnit::Pt => v / 10.0,
        DimensionUnit::Pc => v * 1.2,
        DimensionUnit::In => v * 7.227,
        DimensionUnit::Bp => v / 9.963,
        DimensionUnit::Cm => v * 2.845,
        DimensionUnit::Mm => v * 0.2845,
        DimensionUnit::Dd => v * 0.107,
        DimensionUnit::Cc => v * 1.284,
        DimensionUnit::Sp => v / 655_360.0,
    }
}

fn content_node(content: Content, font: Option<Font>) -> Node {
    match content {
        // pulldown-latex writes the space of `\ `, `~` and `\nobreakspace` for HTML.
        Content::Text(text) => Node::Text(text.replace("&nbsp;", "\u{A0}")),
        Content::Number(n) => Node::Word {
            text: n.chars().map(|c| styled(c, font, false)).collect(),
            class: Class::Ord,
        },
        Content::Function(name) => Node::Word {
            text: name.to_string(),
            class: Class::Op,
        },
        Content::Ordinary { content, .. } => Node::Atom {
            c: styled(content, font, true),
            class: Class::Ord,
            large: false,
        },
        Content::LargeOp { content, small } => Node::Atom {
            c: content,
            class: Class::Op,
            large: !small,
        },
        Content::BinaryOp { content, .. } => Node::Atom {
            c: content,
            // TeX sets a slash as an ordinary symbol: `n/2`, not `n / 2`.
            class: if content == '/' {
                Class::Ord
            } else {
                Class::Bin
            },
            large: false,
        },
        Content::Relation { content, .. } => {
            let mut buf = [0u8; 8];
            let bytes = content.encode_utf8_to_buf(&mut buf);
            let text = std::str::from_utf8(bytes).unwrap_or("=");
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Node::Atom {
                    c,
                    class: Class::Rel,
                    large: false,
                },
                _ => Node::Word {
                    text: text.to_string(),
                    class: Class::Rel,
                },
            }
        }
        Content::Delimiter { content, size, ty } => Node::Delimiter {
            c: content,
            size: size.map(delimiter_em),
            class: match ty {
                DelimiterType::Open => Class::Open,
                DelimiterType::Close => Class::Close,
                DelimiterType::Fence => Class::Rel,
            },
        },
        Content::Punctuation(c) => Node::Atom {
            c,
            class: Class::Punct,
            large: false,
        },
    }
}

fn delimiter_em(size: DelimiterSize) -> f32 {
    match size {
        DelimiterSize::Big => 1.2,
        DelimiterSize::BIG => 1.8,
        DelimiterSize::Bigg => 2.4,
        DelimiterSize::BIGG => 3.0,
    }
}

/// `c` in the face `font` asks for; with no font, a variable (Latin or lowercase Greek
/// letter, where `italic_by_default`) is italic, as TeX sets it.
pub fn styled(c: char, font: Option<Font>, italic_by_default: bool) -> char {
    let font = match font {
        Some(f) => f,
        None if italic_by_default => Font::Italic,
        None => return c,
    };
    alphanumeric(c, font).unwrap_or(c)
}

/// The Mathematical Alphanumeric Symbols (U+1D400 onwards) and their older letterlike forms.
fn alphanumeric(c: char, font: Font) -> Option<char> {
    use Font::*;
    let letter = |upper: u32, lower: u32| -> Option<u32> {
        match c {
            'A'..='Z' => Some(upper + (c as u32 - 'A' as u32)),
            'a'..='z' => Some(lower + (c as u32 - 'a' as u32)),
            _ => None,
        }
    };
    let digit = |zero: u32| c.is_ascii_digit().then(|| zero + (c as u32 - '0' as u32));
    // Greek: 25 capitals from U+0391 (with ϴ at U+03A2's place), 25 lowercase from U+03B1,
    // then ∂ ϵ ϑ ϰ ϕ ϱ ϖ.
    let greek = |capitals: u32| -> Option<u32> {
        let i = match c {
            'Α'..='Ω' => c as u32 - 'Α' as u32,
            'α'..='ω' => 26 + (c as u32 - 'α' as u32),
            '∂' => 51,
            'ϵ' => 52,
            'ϑ' => 53,
            'ϰ' => 54,
            'ϕ' => 55,
            'ϱ' => 56,
            'ϖ' => 57,
            _ => return None,
        };
        Some(capitals + i)
    };
    let code = match font {
        UpRight => return Some(c),
        Italic => {
            if c == 'h' {
                return Some('ℎ');
            }
            // Capital Greek stays upright in TeX's default; asked for italic, it is italic.
            letter(0x1D434, 0x1D44E).or_else(|| greek(0x1D6E2))
        }
        Bold => letter(0x1D400, 0x1D41A)
            .or_else(|| digit(0x1D7CE))
            .or_else(|| greek(0x1D6A8)),
        BoldItalic => letter(0x1D468, 0x1D482).or_else(|| greek(0x1D71C)),
        BoldSymbol => match c {
            'A'..='Z' | 'a'..='z' => letter(0x1D468, 0x1D482),
            'α'..='ω' | 'ϵ' | 'ϑ' | 'ϰ' | 'ϕ' | 'ϱ' | 'ϖ' | '∂' => greek(0x1D71C),
            _ => digit(0x1D7CE).or_else(|| greek(0x1D6A8)),
        },
        Script => {
            let special = match c {
                'B' => Some('ℬ'),
                'E' => Some('ℰ'),
                'F' => Some('ℱ'),
                'H' => Some('ℋ'),
                'I' => Some('ℐ'),
                'L' => Some('ℒ'),
                'M' => Some('ℳ'),
                'R' => Some('ℛ'),
                'e' => Some('ℯ'),
                'g' => Some('ℊ'),
                'o' => Some('ℴ'),
                _ => None,
            };
            if special.is_some() {
                return special;
            }
            letter(0x1D49C, 0x1D4B6)
        }
        BoldScript => letter(0x1D4D0, 0x1D4EA),
        Fraktur => {
            let special = match c {
                'C' => Some('ℭ'),
                'H' => Some('ℌ'),
                'I' => Some('ℑ'),
                'R' => Some('ℜ'),
                'Z' => Some('ℨ'),
                _ => None,
            };
            if special.is_some() {
                return special;
            }
            letter(0x1D504, 0x1D51E)
        }
        BoldFraktur => letter(0x1D56C, 0x1D586),
        DoubleStruck => {
            let special = match c {
                'C' => Some('ℂ'),
                'H' => Some('ℍ'),
                'N' => Some('ℕ'),
                'P' => Some('ℙ'),
                'Q' => Some('ℚ'),
                'R' => Some('ℝ'),
                'Z' => Some('ℤ'),
                _ => None,
            };
            if special.is_some() {
                return special;
            }
            letter(0x1D538, 0x1D552).or_else(|| digit(0x1D7D8))
        }
        DoubleStruckItalic => None,
        SansSerif => letter(0x1D5A0, 0x1D5BA).or_else(|| digit(0x1D7E2)),
        BoldSansSerif => letter(0x1D5D4, 0x1D5EE)
            .or_else(|| digit(0x1D7EC))
            .or_else(|| greek(0x1D756)),
        SansSerifItalic => letter(0x1D608, 0x1D622),
        SansSerifBoldItalic => letter(0x1D63C, 0x1D656).or_else(|| greek(0x1D790)),
        Monospace => letter(0x1D670, 0x1D68A).or_else(|| digit(0x1D7F6)),
    };
    // Only lowercase Greek is italic by default; capitals stay as written.
    if font == Italic && matches!(c, 'Α'..='Ω') {
        return Some(c);
    }
    code.and_then(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_italic_and_fonts_map_to_their_alphabets() {
        assert_eq!(styled('x', None, true), '𝑥');
        assert_eq!(styled('h', None, true), 'ℎ');
        assert_eq!(styled('α', None, true), '𝛼');
        assert_eq!(styled('Γ', None, true), 'Γ');
        assert_eq!(styled('R', Some(Font::DoubleStruck), true), 'ℝ');
        assert_eq!(styled('x', Some(Font::Bold), true), '𝐱');
        assert_eq!(styled('L', Some(Font::Script), true), 'ℒ');
        assert_eq!(styled('1', None, false), '1');
    }

    #[test]
    fn scripts_fractions_and_tables_become_nodes() {
        let row = parse("a_1 + \\frac{x}{2}").unwrap_or_default();
        assert!(
            matches!(&row[0], Node::Scripts { base, sub: Some(sub), sup: None, .. }
            if **base == Node::Atom { c: '𝑎', class: Class::Ord, large: false }
            && **sub == Node::Word { text: "1".into(), class: Class::Ord })
        );
        assert!(matches!(
            &row[1],
            Node::Atom {
                c: '+',
                class: Class::Bin,
                ..
            }
        ));
        assert!(matches!(&row[2], Node::Fraction { bar: true, .. }));
        let row = parse("\\begin{aligned}a&=b\\\\c&=d\\end{aligned}").unwrap_or_default();
        let Some(Node::Table {
            rows, paired: true, ..
        }) = row.first()
        else {
            panic!("{row:?}");
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].len(), 2);
    }

    #[test]
    fn a_control_space_is_a_space_not_an_entity() {
        let row = parse("u\\ v").unwrap_or_default();
        assert_eq!(row.get(1), Some(&Node::Text("\u{A0}".into())), "{row:?}");
    }
}
