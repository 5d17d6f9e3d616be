//! Each rule of the line breaker with its input, a measure in em, and the exact lines.
//! Widths: CJK characters and marks 1 em, Latin letters ½ em, a space ¼ em (font size 1).

use super::*;

fn units(text: &str) -> Vec<Unit> {
    text.chars()
        .map(|ch| {
            let width = match class_of(ch) {
                Class::Latin | Class::LatinClosing | Class::LatinOpening => 0.5,
                Class::Space => 0.25,
                _ => 1.0,
            };
            Unit {
                ch,
                width,
                em: 1.0,
                verbatim: false,
                ligature: false,
            }
        })
        .collect()
}

fn options(measure: f32) -> Options {
    Options {
        measure,
        first_indent: 0.0,
        style: PunctuationStyle::Compressed,
        justify_last: false,
        ragged: false,
    }
}

fn set(text: &str, options: &Options) -> (Vec<String>, Vec<Line>) {
    let chars: Vec<char> = text.chars().collect();
    let lines = break_lines(&units(text), options);
    let texts = lines
        .iter()
        .map(|l| {
            chars[l.units.clone()]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect();
    (texts, lines)
}

fn lines(text: &str, measure: f32) -> Vec<String> {
    set(text, &options(measure)).0
}

fn xs(line: &Line) -> Vec<f32> {
    line.x.iter().flatten().copied().collect()
}

#[test]
fn han_text_fills_whole_lines() {
    assert_eq!(
        lines("一二三四五六七八九十", 5.0),
        ["一二三四五", "六七八九十"]
    );
}

#[test]
fn first_line_is_indented() {
    let o = Options {
        first_indent: 2.0,
        ..options(5.0)
    };
    let (texts, lines) = set("一二三四五六七八", &o);
    assert_eq!(texts, ["一二三", "四五六七八"]);
    assert_eq!(xs(&lines[0])[0], 2.0);
}

#[test]
fn a_stop_never_starts_a_line_it_is_pushed_in() {
    // Breaking after 四 would start line 2 with ，; the line-end comma set half width and the
    // one inside the line a quarter em narrower keep it on line 1.
    let (texts, lines) = set("一二，三四，五六", &options(5.25));
    assert_eq!(texts, ["一二，三四，", "五六"]);
    assert!((lines[0].end - 5.25).abs() < 1e-4, "{}", lines[0].end);
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 2.0, 2.75, 3.75, 4.75]);
}

#[test]
fn a_mark_inside_a_line_gives_up_a_quarter_em_at_most() {
    // Half an em of the inner comma would fit the line; a quarter does not: 四 moves down and
    // line 1 is spread instead.
    let (texts, lines) = set("一二，三四，五六", &options(5.0));
    assert_eq!(texts, ["一二，三", "四，五六"]);
    let x = xs(&lines[0]);
    assert!(
        x[2] - x[1] >= 1.0 && x[3] - x[2] >= 1.0,
        "the comma keeps its width: {x:?}"
    );
}

#[test]
fn a_full_stop_inside_a_line_keeps_its_width() {
    // Only the line-end comma can give up its blank half: 0.5 em, not the 0.75 needed.
    let (texts, lines) = set("一二。三四，五六", &options(5.25));
    assert_eq!(texts, ["一二。三", "四，五六"]);
    let x = xs(&lines[0]);
    assert!(x[3] - x[2] >= 1.0, "the stop keeps its width: {x:?}");
}

#[test]
fn the_commas_inside_a_line_give_up_the_same() {
    // One em too long: the line-end comma gives half, the two inside a quarter each.
    let (texts, lines) = set("一，二，三四五，六七", &options(7.0));
    assert_eq!(texts, ["一，二，三四五，", "六七"]);
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 1.75, 2.75, 3.5, 4.5, 5.5, 6.5]);
    assert!((lines[0].end - 7.0).abs() < 1e-4, "{}", lines[0].end);
}

#[test]
fn a_character_is_pushed_out_when_push_in_is_not_enough() {
    // 』， cannot both fit after 十 (11.5 em with the two marks compressed, 11 with the comma
    // pushed in), so 十 moves down and the line above is spread an eighth of an em a gap.
    let (texts, lines) = set("一二三四五六七八九十』，六", &options(10.0));
    assert_eq!(texts, ["一二三四五六七八九", "十』，六"]);
    assert!(
        (lines[0].end - 10.0).abs() < 1e-4,
        "line 1 is spread to the measure"
    );
    assert!(!lines[0].short);
}

#[test]
fn word_spaces_grow_to_three_times_their_width_before_a_line_is_left_short() {
    // "ab cd ef" in 4.5 em: an em to add over two spaces of a quarter em each.
    let (texts, lines) = set("ab cd ef 12345678", &options(4.5));
    assert_eq!(texts, ["ab cd ef", "12345678"]);
    assert_eq!(xs(&lines[0]), [0.0, 0.5, 1.0, 1.75, 2.25, 2.75, 3.5, 4.0]);
    assert!(!lines[0].short);
    assert_eq!(lines[0].end, 4.5);
}

#[test]
fn a_line_is_spread_a_quarter_em_at_most_and_left_short_beyond() {
    // Pushing 五 out of a 5-em line would spread the four characters left a third of an em.
    let (texts, lines) = set("一二三四五』，六", &options(5.0));
    assert_eq!(texts, ["一二三四", "五』，六"]);
    assert_eq!(xs(&lines[0]), [0.0, 1.25, 2.5, 3.75]);
    assert!(lines[0].short);
}

#[test]
fn closing_marks_never_start_a_line() {
    for mark in "」』”’）》〉】〗〕］｝".chars() {
        let text = format!("一二三四五{mark}六七八");
        for line in lines(&text, 5.0) {
            assert!(
                class_of(line.chars().next().unwrap_or('一')).may_start_line(),
                "{text}: {line}"
            );
        }
    }
}

#[test]
fn an_opening_mark_never_ends_a_line() {
    assert_eq!(lines("一二三四「五六」", 5.0), ["一二三四", "「五六」"]);
}

#[test]
fn a_line_start_opening_mark_may_be_pushed_in() {
    // 「 at the start of line 2 loses its blank left half to make room for 」 on that line.
    let (texts, lines) = set("一二三四五「六七八九」", &options(5.0));
    assert_eq!(texts, ["一二三四五", "「六七八九」"]);
    assert_eq!(
        xs(&lines[1])[0],
        -0.5,
        "the mark's ink moves to the line's edge"
    );
}

#[test]
fn dashes_and_ellipses_are_never_split_nor_start_a_line() {
    assert_eq!(lines("一二三四——五六", 5.0), ["一二三", "四——五六"]);
    assert_eq!(lines("一二三四……五六", 5.0), ["一二三", "四……五六"]);
}

#[test]
fn adjacent_marks_are_compressed_to_one_and_a_half_em() {
    let (_, lines) = set("好。”他", &options(10.0));
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 1.5, 2.5]);
    let (_, lines) = set("甲）、乙", &options(10.0));
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 1.5, 2.5]);
    // Two opening marks: the second loses its blank left half (its ink moves left).
    let (_, lines) = set("甲“「乙", &options(10.0));
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 1.5, 2.5]);
}

#[test]
fn a_quarter_em_separates_han_and_latin() {
    let (_, lines) = set("中文Rust中文", &options(20.0));
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 2.25, 2.75, 3.25, 3.75, 4.5, 5.5]);
}

#[test]
fn an_ideographic_space_takes_no_quarter_em_beside_latin() {
    // 第一章　Rust: the full-width space is the gap, not a Han character beside a word.
    let (_, lines) = set("第一章\u{3000}Rust\u{3000}中", &options(20.0));
    assert_eq!(
        xs(&lines[0]),
        [0.0, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0]
    );
}

#[test]
fn an_english_word_takes_a_hyphen_rather_than_leave_a_loose_line() {
    // Without it the first line would hold the eight Han characters alone, spread half an em
    // a gap; un-der-stand-ing breaks after "under", which spreads the line least.
    let (texts, lines) = set("一二三四五六七八 understanding", &options(12.0));
    assert_eq!(texts, ["一二三四五六七八 under", "standing"]);
    assert!(lines[0].hyphen && !lines[1].hyphen);
    assert_eq!(lines[0].end, 12.0, "the hyphen ends flush with the measure");
}

#[test]
fn names_and_ligatures_are_never_hyphenated() {
    // A file name, a domain, a word beside a non-ASCII letter or a digit, and a word whose
    // "fi" is one glyph: none takes a hyphen, so the line before them is left short.
    for word in [
        "understanding.rs",
        "example.understanding",
        "schrödingerbecause",
        "understanding2",
    ] {
        let (texts, lines) = set(&format!("一二三四五六七八 {word}"), &options(12.0));
        assert_eq!(texts[0], "一二三四五六七八", "{word}");
        assert!(!lines[0].hyphen, "{word}");
    }
    let mut input = units("一二三四五六七八 understanding");
    input[12].ligature = true;
    let lines = break_lines(&input, &options(12.0));
    assert!(lines.iter().all(|l| !l.hyphen));
}

#[test]
fn code_is_never_hyphenated() {
    let mut input = units("一二三四五六七八 understanding");
    for unit in &mut input[9..] {
        unit.verbatim = true;
    }
    let lines = break_lines(&input, &options(12.0));
    assert_eq!(
        lines.iter().map(|l| l.units.clone()).collect::<Vec<_>>(),
        [0..9, 9..22]
    );
    assert!(lines.iter().all(|l| !l.hyphen));
}

#[test]
fn no_quarter_em_at_line_edges() {
    let (texts, lines) = set("一二三四Rust", &options(4.0));
    assert_eq!(texts, ["一二三四", "Rust"]);
    assert_eq!(xs(&lines[1])[0], 0.0);
}

#[test]
fn latin_words_are_not_broken() {
    assert_eq!(lines("hello world foo", 6.0), ["hello world", "foo"]);
}

#[test]
fn an_over_long_word_breaks_anywhere() {
    assert_eq!(
        lines(&"a".repeat(20), 4.0),
        ["aaaaaaaa", "aaaaaaaa", "aaaa"]
    );
}

#[test]
fn lines_are_justified_and_the_last_is_flush_left() {
    let (texts, lines) = set("一二三四，五六Rust七八九十一二三四五六", &options(6.0));
    assert!(texts.len() > 2, "{texts:?}");
    for line in &lines[..lines.len() - 1] {
        assert!(
            (line.end - 6.0).abs() < 1e-3,
            "{texts:?}: a line ends at {}",
            line.end
        );
    }
    let last = lines.last().map(|l| l.end).unwrap_or(0.0);
    assert!(last < 6.0 - 0.5, "last line flush left, ends at {last}");
}

#[test]
fn the_last_line_is_never_a_single_character() {
    // 11 characters at 5 a line would leave 一 alone; the breaker sets 5 + 4 + 2 instead.
    assert_eq!(
        lines("一二三四五六七八九十一", 5.0),
        ["一二三四五", "六七八九", "十一"]
    );
    // A lone character followed by its stop counts as one character too.
    assert_eq!(
        lines("一二三四五六七八九十一。", 5.0),
        ["一二三四五", "六七八九", "十一。"]
    );
}

#[test]
fn kaiming_style_sets_pauses_half_and_stops_full() {
    let o = Options {
        style: PunctuationStyle::Kaiming,
        ..options(20.0)
    };
    let (_, lines) = set("一，二。三", &o);
    assert_eq!(xs(&lines[0]), [0.0, 1.0, 1.5, 2.5, 3.5]);
}

#[test]
fn line_end_half_style_always_halves_a_line_end_mark() {
    let o = Options {
        style: PunctuationStyle::LineEndHalf,
        ..options(4.5)
    };
    let (texts, lines) = set("一二三四，五六七八", &o);
    assert_eq!(texts, ["一二三四，", "五六七八"]);
    assert!((lines[0].end - 4.5).abs() < 1e-4);
}

#[test]
fn spaces_vanish_at_line_edges() {
    let (texts, lines) = set("aaaa bbbb cccc", &options(5.0));
    assert_eq!(texts, ["aaaa bbbb", "cccc"]);
    assert_eq!(xs(&lines[1])[0], 0.0);
}

#[test]
fn ragged_lines_are_not_spread() {
    let o = Options {
        ragged: true,
        ..options(5.0)
    };
    let (texts, lines) = set("一二三四——五六", &o);
    assert_eq!(texts, ["一二三", "四——五六"]);
    assert_eq!(lines[0].end, 3.0);
}

#[test]
fn a_web_address_breaks_after_a_slash_rather_than_leave_a_loose_line() {
    // The address fits a line alone, but would leave 甲乙 spread over 6.5 ems above it;
    // `//` stays together.
    assert_eq!(
        lines("甲乙https://ab.cd/efgh", 6.5),
        ["甲乙https://", "ab.cd/efgh"]
    );
}

#[test]
fn a_stop_behind_a_full_width_space_does_not_start_a_line() {
    // The break may not fall before "　。": 四 goes down with them.
    assert_eq!(
        lines("一二三四　。五六", 4.0),
        ["一二三", "四\u{3000}。", "五六"]
    );
}

#[test]
fn words_that_may_not_start_a_line_are_broken_inside_rather_than_before_them() {
    // No space here may end a line (each is followed by %), and together they are wider than
    // the line: they break inside, the % staying after the space.
    let found = lines("ab %cd %ef %gh", 3.0);
    assert!(found.iter().all(|l| !l.starts_with('%')), "{found:?}");
    assert_eq!(found.concat().replace(' ', ""), "ab%cd%ef%gh");
}

/// Glyph origins of `line` as widths: each unit's distance to the next (the last one's to the
/// line's end), by unit.
fn advances(line: &Line) -> Vec<f32> {
    let x = xs(line);
    let mut out: Vec<f32> = x.windows(2).map(|w| w[1] - w[0]).collect();
    out.extend(x.last().map(|last| line.end - last));
    out
}

#[test]
fn the_notebook_paragraph_keeps_its_stops_whole_and_commas_above_three_quarters() {
    // The sample book's 2023-05-19-notebooks paragraph at the page's 27 em measure, indented
    // 2 em: before this rule it set eight marks half width to save a third line.
    let text = "整理书桌，数了数，正在用的本子有五个。朋友说太多了，一个不就够了？\
                我想了想，每个本子各有各的脾气，还真不好合并。";
    let o = Options {
        first_indent: 2.0,
        ..options(27.0)
    };
    let (texts, lines) = set(text, &o);
    assert_eq!(
        texts,
        [
            "整理书桌，数了数，正在用的本子有五个。朋友说太多",
            "了，一个不就够了？我想了想，每个本子各有各的脾气，还真",
            "不好合并。"
        ]
    );
    let chars: Vec<char> = text.chars().collect();
    for line in &lines[..lines.len() - 1] {
        let widths = advances(line);
        let marks: Vec<(char, f32)> = chars[line.units.clone()]
            .iter()
            .zip(&widths)
            .take(widths.len() - 1)
            .filter(|(c, _)| "，。？".contains(**c))
            .map(|(c, w)| (*c, *w))
            .collect();
        for (c, w) in &marks {
            let least = if *c == '，' { 0.75 } else { 1.0 };
            assert!(*w >= least - 1e-4, "{c} set {w} em in {marks:?}");
        }
        let commas: Vec<f32> = marks
            .iter()
            .filter(|(c, _)| *c == '，')
            .map(|m| m.1)
            .collect();
        assert!(
            commas.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-4),
            "the commas of a line alike: {commas:?}"
        );
    }
}

#[test]
fn thin_spaces_break_as_word_spaces_and_marks_after_them_do_not_start_a_line() {
    // MathJax-style sums written with thin spaces (U+2009) between their terms.
    let text = "a_{x_2}\u{2009}+\u{2009}a_{x_2\u{2009}+\u{2009}1}\u{2009}+\u{2009}...\u{2009}+\u{2009}a_{y_2}";
    for measure in (40..120).map(|k| k as f32 / 10.0) {
        let (texts, _) = set(text, &options(measure));
        for line in &texts {
            assert!(!line.starts_with('.'), "{measure}: {texts:?}");
        }
    }
    assert_eq!(class_of('\u{2009}'), Class::Space);
}

#[test]
fn a_long_token_breaks_after_an_underscore_rather_than_spread_a_line() {
    let (texts, lines) = set("一二三四五六abcdefgh_ijklmnop七八九", &options(11.0));
    assert_eq!(texts, ["一二三四五六abcdefgh_", "ijklmnop七八九"]);
    let x = xs(&lines[0]);
    assert!(x[1] - x[0] < 1.25, "gaps of a quarter em at most: {x:?}");
    // Fewer than three characters on a side: the token stays whole.
    assert_eq!(
        set("一二三四五六七八ab_cd", &options(9.9)).0,
        ["一二三四五六七八", "ab_cd"]
    );
}

#[test]
fn a_number_keeps_its_unit() {
    // "10 MB" would break after the space at 6 em; the number moves down with its unit.
    assert_eq!(
        lines("一二三四 10 MB 五六", 6.0),
        ["一二三四", "10 MB 五六"]
    );
    // A longer word after a number is an ordinary word.
    assert_eq!(lines("一二三 10 apps", 6.0), ["一二三 10", "apps"]);
}

#[test]
fn a_formula_breaks_between_its_pieces_rather_than_spread_the_line() {
    // Ten Han characters, then a formula of three pieces, 2 em each (`a +`, `b =`, `c`), in a
    // 13 em measure: whole, the 6 em formula fits on no line with the text, so the first line
    // would be spread by 3 em; cut after its first piece, the line holds it (10 + ¼ + 2 em)
    // and is spread by ¾ em only.
    let mut input = units("一二三四五六七八九十");
    for _ in 0..3 {
        input.push(Unit {
            ch: FORMULA,
            width: 2.0,
            em: 1.0,
            verbatim: true,
            ligature: false,
        });
    }
    input.extend(units("甲乙丙丁戊己庚辛"));
    let lines = break_lines(&input, &options(13.0));
    let counts: Vec<usize> = lines.iter().map(|l| l.units.len()).collect();
    assert_eq!(counts, vec![11, 10]);
    assert!((lines[0].end - 13.0).abs() < 0.01, "{:?}", lines[0]);
}
