//! Listings on the page, read back from the glyphs the layout places: every leading space
//! kept, no space added between Han and Latin, `->` two glyphs, long lines wrapped with the
//! continuation mark, tokens in their tones' inks, line numbers right-aligned in a gutter.

use std::path::Path;

use inkstone::config::{self, CodeStyle, Highlight, PunctuationStyle};
use inkstone::document::{Block, Document};
use inkstone::fonts::FontSet;
use inkstone::highlight::Tone;
use inkstone::layout::flow::Flow;
use inkstone::layout::page::{Ink, Item, TextRun};

/// One glyph as placed: the character it sets, its x from the block's left, its ink.
#[derive(Debug, Clone, Copy)]
struct Placed {
    ch: char,
    x: f32,
    ink: Ink,
}

/// The glyphs of each line of `code` in `language`, set as `style` says, left to right.
fn set(language: &str, code: &str, style: CodeStyle) -> Vec<Vec<Placed>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        config::load(root, &config::Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let files = inkstone::fonts::load_all(&config.fonts).unwrap_or_else(|e| panic!("{e}"));
    let fonts = FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"));
    let mut flow = Flow::new(&fonts, &config.page, "zh-CN", PunctuationStyle::Compressed);
    flow.code = style;
    flow.document(&Document {
        blocks: vec![Block::code(Some(language.into()), Vec::new(), code.into())],
        footnotes: Vec::new(),
    });
    flow.blocks
        .iter()
        .map(|block| {
            let mut glyphs: Vec<Placed> = block
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Text(run) => Some(placed(run)),
                    _ => None,
                })
                .flatten()
                .collect();
            glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
            glyphs
        })
        .filter(|line| !line.is_empty())
        .collect()
}

fn placed(run: &TextRun) -> Vec<Placed> {
    run.placed_glyphs()
        .map(|(x, glyph)| Placed {
            ch: run.text[glyph.text.clone()].chars().next().unwrap_or(' '),
            x,
            ink: run.ink,
        })
        .collect()
}

fn plain() -> CodeStyle {
    CodeStyle {
        highlight: Highlight::Off,
        line_numbers: false,
    }
}

/// Fails unless each line of `lines` sets exactly the text of `expected` (spaces included),
/// every character in its own column of the monospaced grid from the listing's left edge.
fn assert_on_the_grid(lines: &[Vec<Placed>], expected: &[&str]) {
    let texts: Vec<String> = lines
        .iter()
        .map(|line| line.iter().map(|g| g.ch).collect())
        .collect();
    assert_eq!(texts, expected);
    let origin = lines[0][0].x;
    let column = lines[0][1].x - lines[0][0].x;
    for (line, text) in lines.iter().zip(expected) {
        for (k, glyph) in line.iter().enumerate() {
            let want = origin + k as f32 * column;
            assert!(
                (glyph.x - want).abs() < 0.01,
                "{text:?}: {:?} at {} instead of column {k} ({want})",
                glyph.ch,
                glyph.x
            );
        }
    }
}

#[test]
fn an_indented_rust_listing_keeps_every_leading_space() {
    let code = "fn main() {\n    for w in words {\n        if w.len() > 3 {\n            best = w;\n        }\n    }\n}\n";
    let expected: Vec<&str> = code.lines().collect();
    assert_on_the_grid(&set("rust", code, plain()), &expected);
}

#[test]
fn an_indented_python_listing_with_tabs_keeps_its_columns() {
    let code = "def f(x):\n\tif x:\n\t\treturn 1\n    return 0\n";
    assert_on_the_grid(
        &set("python", code, plain()),
        &["def f(x):", "    if x:", "        return 1", "    return 0"],
    );
}

#[test]
fn every_glyph_of_code_stands_on_the_grid_with_han_two_columns_and_no_added_space() {
    let lines = set("rust", "println!(\"汉字{n}个\");\n", plain());
    let line = &lines[0];
    let column = line[1].x - line[0].x;
    let mut cell = line[0].x;
    for glyph in line {
        if glyph.ch.len_utf8() > 1 {
            // Centred in its two columns: inside the first of them, never past it.
            assert!(
                glyph.x >= cell - 0.01 && glyph.x < cell + column,
                "{} at {} for the cell at {cell}",
                glyph.ch,
                glyph.x
            );
            cell += 2.0 * column;
        } else {
            assert!(
                (glyph.x - cell).abs() < 0.01,
                "{} at {} for {cell}",
                glyph.ch,
                glyph.x
            );
            cell += column;
        }
    }
    let text: String = line.iter().map(|g| g.ch).collect();
    assert_eq!(text, "println!(\"汉字{n}个\");");
}

#[test]
fn an_arrow_and_a_range_are_the_characters_typed() {
    let lines = set("rust", "fn f() -> u8 { 1..=2 }\n", plain());
    let text: String = lines[0].iter().map(|g| g.ch).collect();
    assert_eq!(text, "fn f() -> u8 { 1..=2 }", "one glyph per character");
}

#[test]
fn a_long_line_wraps_with_the_continuation_mark() {
    let long = format!("let s = \"{}\";\n", "abcdefghij".repeat(15));
    let lines = set("rust", &long, plain());
    assert!(lines.len() >= 3, "{} lines", lines.len());
    for line in &lines[1..] {
        assert_eq!(line[0].ch, '↪', "continuation mark first");
    }
    let text: String = lines
        .iter()
        .flat_map(|l| l.iter().map(|g| g.ch))
        .filter(|&c| c != '↪')
        .collect();
    assert_eq!(text, long.trim_end(), "nothing lost");
}

#[test]
fn tokens_print_in_their_tones_ink() {
    let code = "fn main() {\n    // 注释\n    let s = \"字\";\n}\n";
    let colour = CodeStyle {
        highlight: Highlight::Color,
        line_numbers: false,
    };
    let lines = set("rust", code, colour);
    let ink_of = |line: usize, ch: char| {
        lines[line]
            .iter()
            .find(|g| g.ch == ch)
            .map(|g| g.ink)
            .unwrap_or_else(|| panic!("no {ch} on line {line}"))
    };
    assert_eq!(ink_of(0, 'f'), Ink::Rgb(Tone::Keyword.rgb()));
    assert_eq!(ink_of(0, 'm'), Ink::Rgb(Tone::Function.rgb()));
    assert_eq!(ink_of(0, '{'), Ink::BLACK);
    assert_eq!(ink_of(1, '注'), Ink::Rgb(Tone::Comment.rgb()));
    assert_eq!(ink_of(2, '字'), Ink::Rgb(Tone::String.rgb()));
    let gray = CodeStyle {
        highlight: Highlight::Gray,
        line_numbers: false,
    };
    let lines = set("rust", code, gray);
    let slash = lines[1].iter().find(|g| g.ch == '/').map(|g| g.ink);
    assert_eq!(slash, Some(Ink::Gray(Tone::Comment.gray())));
}

#[test]
fn line_numbers_stand_right_aligned_in_a_gutter_before_the_code() {
    let code: String = (1..=10).map(|n| format!("x{n}\n")).collect();
    let numbered = CodeStyle {
        highlight: Highlight::Off,
        line_numbers: true,
    };
    let lines = set("text", &code, numbered);
    assert_eq!(lines.len(), 10);
    let column = lines[0][2].x - lines[0][1].x;
    for (n, line) in lines.iter().enumerate() {
        let text: String = line.iter().map(|g| g.ch).collect();
        assert_eq!(text, format!("{}x{}", n + 1, n + 1));
        let x_code = line.iter().find(|g| g.ch == 'x').map(|g| g.x);
        assert_eq!(x_code, Some(lines[0][1].x), "code starts in one column");
        // The number's last digit ends one column before the code.
        let digits = (n + 1).to_string().len();
        let last_digit = line[digits - 1].x;
        assert!(
            (x_code.unwrap_or(0.0) - last_digit - 2.0 * column).abs() < 0.5,
            "line {}: number at {last_digit}",
            n + 1
        );
        assert!(
            matches!(line[0].ink, Ink::Gray(g) if g > 0.3),
            "numbers in grey"
        );
    }
}
