//! Breaking a paragraph into lines by the rules of Chinese typography (clreq), choosing the
//! breaks for the whole paragraph at once (Knuth–Plass style): every feasible set of breaks
//! is weighed, and a line that would need pushing in (setting a line-end or line-start mark
//! half width) is compared with pushing a character out (spreading the line above), and with
//! breaking elsewhere to avoid a lone character on the paragraph's last line.
//!
//! The breaker works on measured units (one per character cluster) and knows nothing of fonts
//! or pages, so its rules are tested with plain widths.

use std::ops::Range;

use super::class::{Class, class_of, is_letter_like};
use crate::config::PunctuationStyle;

/// One character (cluster) to set, with its natural advance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub ch: char,
    pub width: f32,
    /// The font size in points: em-relative amounts (quarter-em spaces, half-width marks)
    /// are measured in this.
    pub em: f32,
    /// Part of inline code: set as typed, with no space added or stretched inside it.
    pub verbatim: bool,
    /// One glyph for several characters (fi, ffl): the word holding it is never hyphenated,
    /// its letters being hidden from the breaker.
    pub ligature: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Width of a line, in points.
    pub measure: f32,
    /// Indent of the paragraph's first line, in points (2 em for body text).
    pub first_indent: f32,
    pub style: PunctuationStyle,
    /// Whether the last line is justified too (never for paragraphs; used for tests).
    pub justify_last: bool,
    /// Lines are set flush left, never spread (code, table cells, headings).
    pub ragged: bool,
}

/// A line as set: the units it holds and where each glyph's origin goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub units: Range<usize>,
    /// Glyph origin of each unit in `units` (spaces at the line's edges are left out: their
    /// entries are `None`), measured from the left edge of the measure.
    pub x: Vec<Option<f32>>,
    /// Right edge of the last glyph's advance (and of the hyphen, when there is one).
    pub end: f32,
    /// The line ends inside a word, which goes on after a hyphen at the line's end.
    pub hyphen: bool,
    /// The line is left short of the measure rather than spread more than a quarter em
    /// between characters.
    pub short: bool,
}

/// Extra space between Han characters and Latin letters or digits: a quarter em (clreq §3.2.3).
const HAN_LATIN_SPACE: f32 = 0.25;
/// How far the gap between two CJK characters may grow when a line is spread, in em: a quarter
/// em, so pushing one character out of a 27-character line spreads each gap by 0.04 em.
const CJK_STRETCH: f32 = 0.25;
/// How much a word space may grow in a line that cannot be filled otherwise: to three times its
/// width (its ordinary stretch is one width).
const MAX_SPACE_STRETCH: f32 = 2.0;
/// Pushing in (a half-width mark at a line edge) is weighed against this many times the blank
/// it removes, so it costs less than spreading a line to push a character out, as clreq prefers.
const PUSH_IN_WEIGHT: f32 = 8.0;
/// The most a comma, colon or bracket inside a line gives up when the line must shrink, in em
/// (jlreq's book practice): all such marks of a line by the same amount; 。？！ none.
const INNER_MARK_SHRINK: f32 = 0.25;
/// Demerits added for a paragraph whose last line holds fewer than two characters besides
/// punctuation (孤字): high enough to prefer any reasonable spread, not infinite.
const ORPHAN_DEMERITS: f64 = 1.0e7;
/// Penalty for breaking inside a Latin word or URL that is wider than the line.
const EMERGENCY_PENALTY: f64 = 5.0e6;
/// Characters after which a web address may break, as URLs are broken in print.
const URL_BREAKS_AFTER: &str = "/.-_?&=#";
/// Penalty for breaking a web address after one of those: cheaper than a very loose line.
const URL_PENALTY: f64 = 1.0e4;
/// Characters after which any long Latin token (a path, an identifier, a file name) may break
/// rather than leave a line spread more than a quarter em between characters.
const TOKEN_BREAKS_AFTER: &str = "/\\._-";
/// Penalty for breaking such a token: more than a slightly loose line costs, less than one
/// spread past a quarter em.
const TOKEN_PENALTY: f64 = 5.0e3;
/// Penalty for breaking a formula after a relation or binary operator: as for a long token.
const FORMULA_PENALTY: f64 = TOKEN_PENALTY;
/// What a formula's unit is: two side by side are pieces of one formula, and a line may end
/// between them (the layout cuts formulas after their relations and binary operators).
pub const FORMULA: char = '\u{FFFC}';
/// Characters a token keeps on each side of a break inside it.
const TOKEN_KEEPS: usize = 3;
/// Penalty for breaking a word inside, with a hyphen: the last resort against a line spread
/// past a quarter em (costs as much as such a line), dearer than breaking a token.
const HYPHEN_PENALTY: f64 = 1.0e4;
/// The room a hyphen at a line's end takes, in em (the serif's and sans's hyphens are 0.35
/// and 0.37 em wide; the glyph is set flush with the line's end).
const HYPHEN_WIDTH: f32 = 0.35;
/// Letters a hyphenated word keeps before and after the break (TeX's minima for English).
const HYPHEN_KEEPS_BEFORE: usize = 2;
const HYPHEN_KEEPS_AFTER: usize = 3;
/// Badness above which a line is accepted only when nothing better exists.
const MAX_BADNESS: f64 = 1.0e5;

/// A unit with its class and the blank already removed by adjacent-mark compression.
#[derive(Debug, Clone, Copy)]
struct Prepared {
    ch: char,
    class: Class,
    width: f32,
    em: f32,
    verbatim: bool,
    ligature: bool,
    /// Blank removed on each side (ink shifts left by `cut_left`).
    cut_left: f32,
    cut_right: f32,
}

/// What lies between unit i and unit i + 1.
#[derive(Debug, Clone, Copy, Default)]
struct Gap {
    width: f32,
    stretch: f32,
    shrink: f32,
    breakable: bool,
    penalty: f64,
    /// A break here is inside a word and takes a hyphen.
    hyphen: bool,
}

/// Breaks `units` into lines.
pub fn break_lines(units: &[Unit], options: &Options) -> Vec<Line> {
    if units.is_empty() {
        return Vec::new();
    }
    let prepared = prepare(units, options.style);
    let mut gaps = gaps(&prepared, options);
    let sums = Sums::new(&prepared, &gaps);
    let choose = |gaps: &[Gap]| {
        best_breaks(&prepared, gaps, &sums, options, Breaks::AtOpportunities)
            .or_else(|| best_breaks(&prepared, gaps, &sums, options, Breaks::Anywhere))
            .unwrap_or_else(|| vec![units.len() - 1])
    };
    let mut breaks = choose(&gaps);
    // As TeX does, words are hyphenated only when the lines set without it are not good
    // enough: most paragraphs never pay for it.
    if !fine_without_hyphens(&prepared, &gaps, &sums, &breaks, options)
        && mark_hyphenation(&prepared, &mut gaps)
    {
        breaks = choose(&gaps);
    }
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for (n, &end) in breaks.iter().enumerate() {
        let is_last = n + 1 == breaks.len();
        lines.push(set_line(
            &prepared,
            &gaps,
            &sums,
            start,
            end,
            n == 0,
            is_last,
            options,
        ));
        start = end + 1;
    }
    lines
}

/// Classes, style widths and adjacent-mark compression.
fn prepare(units: &[Unit], style: PunctuationStyle) -> Vec<Prepared> {
    let mut out: Vec<Prepared> = units
        .iter()
        .map(|u| {
            let class = class_of(u.ch);
            let mut p = Prepared {
                ch: u.ch,
                class,
                width: u.width,
                em: u.em,
                verbatim: u.verbatim,
                ligature: u.ligature,
                cut_left: 0.0,
                cut_right: 0.0,
            };
            if style == PunctuationStyle::Kaiming
                && !u.verbatim
                && class.is_compressible()
                && !matches!(u.ch, '。' | '！' | '？' | '．')
            {
                let (left, right) = class.blank();
                p.cut_left = left * u.em;
                p.cut_right = right * u.em;
            }
            p
        })
        .collect();
    // Where two marks meet, one blank half goes: the first mark's right half if it has one,
    // else the second mark's left half (clreq §3.1.4: 。” and ）、 take 1.5 em, not 2).
    for i in 1..out.len() {
        let (a, b) = (out[i - 1], out[i]);
        if a.verbatim || b.verbatim || !(a.class.is_compressible() && b.class.is_compressible()) {
            continue;
        }
        let a_right = a.class.blank().1 * a.em - a.cut_right;
        let b_left = b.class.blank().0 * b.em - b.cut_left;
        if a_right > 0.0 {
            out[i - 1].cut_right += a_right;
        } else if b_left > 0.0 {
            out[i].cut_left += b_left;
        }
    }
    out
}

fn is_space(p: &Prepared) -> bool {
    p.class == Class::Space
}

/// The gap after each unit: extra space, stretch, shrink and whether a line may end there.
fn gaps(units: &[Prepared], options: &Options) -> Vec<Gap> {
    let mut gaps = vec![Gap::default(); units.len()];
    for i in 0..units.len().saturating_sub(1) {
        let (a, b) = (&units[i], &units[i + 1]);
        let em = a.em.max(b.em);
        let mut gap = Gap {
            breakable: may_break_between(units, i),
            ..Gap::default()
        };
        if a.ch == FORMULA && b.ch == FORMULA {
            gap.breakable = true;
            gap.penalty = FORMULA_PENALTY;
        }
        // An ideographic space (U+3000) is a gap already: no quarter em beside it.
        let is_han = |u: &Prepared| u.class == Class::Ideograph && u.ch != '\u{3000}';
        let han_latin =
            (is_han(a) && b.class == Class::Latin) || (a.class == Class::Latin && is_han(b));
        if a.verbatim && b.verbatim {
            // Inside code nothing is added: `println!("汉字")` is what was typed.
        } else if han_latin {
            gap.width = HAN_LATIN_SPACE * em;
            gap.stretch = HAN_LATIN_SPACE * em;
            gap.shrink = HAN_LATIN_SPACE * em / 2.0;
        } else if a.class.is_cjk() || b.class.is_cjk() {
            gap.stretch = CJK_STRETCH * em;
        }
        gaps[i] = gap;
    }
    mark_emergency_breaks(units, &mut gaps, options);
    gaps
}

/// clreq's prohibitions on top of "break between any two CJK characters, at Latin spaces".
fn may_break_between(units: &[Prepared], i: usize) -> bool {
    let (a, b) = (&units[i], &units[i + 1]);
    if is_space(b) {
        return false;
    }
    if is_space(a) {
        // Break after a space: the text before it must be able to end a line, and a number
        // keeps its unit ("10 MB", "3 em").
        let before = units[..i].iter().rev().find(|u| !is_space(u));
        return before.is_none_or(|u| u.class.may_end_line())
            && b.class.may_start_line()
            && !is_number_and_unit(units, i);
    }
    if !a.class.may_end_line() || !b.class.may_start_line() {
        return false;
    }
    // A full-width space (U+3000) does not hide the mark after it: `。` must not start the
    // line behind it either.
    if b.ch.is_whitespace() {
        let visible = units[i + 1..].iter().find(|u| !u.ch.is_whitespace());
        if visible.is_some_and(|u| !u.class.may_start_line()) {
            return false;
        }
    }
    // Latin words (and numbers, URLs) are not broken inside.
    a.class.is_cjk() || b.class.is_cjk()
}

/// Whether the space at `i` stands between a number and a unit: digits before it, one to
/// three Latin letters (or `%`) after it and then no more letters.
fn is_number_and_unit(units: &[Prepared], i: usize) -> bool {
    let number_before = i > 0 && units[i - 1].ch.is_ascii_digit();
    let unit: Vec<char> = units[i + 1..]
        .iter()
        .map(|u| u.ch)
        .take_while(|c| c.is_ascii_alphabetic() || *c == '%')
        .collect();
    let word_goes_on = units
        .get(i + 1 + unit.len())
        .is_some_and(|u| u.ch.is_alphanumeric() && u.class == Class::Latin);
    number_before && (1..=3).contains(&unit.len()) && !word_goes_on
}

/// A stretch of text with no break opportunity that is wider than a line may break anywhere a
/// mark's prohibition allows; web addresses also break after their slashes and dots. A
/// stretch runs from one break opportunity to the next, spaces included: words joined by
/// spaces that may not start a line (`a %b %c`, common in code) form one stretch, and breaking
/// inside it keeps the prohibitions.
fn mark_emergency_breaks(units: &[Prepared], gaps: &mut [Gap], options: &Options) {
    let limit = options.measure - options.first_indent.max(0.0);
    let mut start = 0;
    let mut width = 0.0;
    for i in 0..units.len() {
        width += units[i].width + gaps[i].width;
        let stretch_ends = i + 1 == units.len() || gaps[i].breakable;
        if !stretch_ends {
            continue;
        }
        let over_long = width > limit;
        for (run_start, run_end) in runs_between_spaces(units, start, i) {
            let is_address = is_address(&units[run_start..=run_end]);
            for k in run_start..run_end {
                // Even inside an over-long word, a mark that may not start a line stays with
                // the character before it.
                if !(units[k].class.may_end_line() && units[k + 1].class.may_start_line()) {
                    continue;
                }
                if is_address
                    && URL_BREAKS_AFTER.contains(units[k].ch)
                    && units[k + 1].ch != units[k].ch
                {
                    gaps[k].breakable = true;
                    gaps[k].penalty = URL_PENALTY;
                } else if is_token_break(units, run_start, run_end, k) && !gaps[k].breakable {
                    gaps[k].breakable = true;
                    gaps[k].penalty = TOKEN_PENALTY;
                } else if over_long && !gaps[k].breakable {
                    gaps[k].breakable = true;
                    gaps[k].penalty = EMERGENCY_PENALTY;
                }
            }
        }
        start = i + 1;
        width = 0.0;
    }
}

/// Whether the lines ending at `breaks` are set well enough without hyphenation: none broken
/// inside a word in an emergency, none (but a paragraph's last) spread past its stretch.
fn fine_without_hyphens(
    units: &[Prepared],
    gaps: &[Gap],
    sums: &Sums,
    breaks: &[usize],
    options: &Options,
) -> bool {
    let mut start = 0;
    for (n, &end) in breaks.iter().enumerate() {
        let is_last = n + 1 == breaks.len();
        if !is_last && (gaps[end].penalty >= EMERGENCY_PENALTY || !gaps[end].breakable) {
            return false;
        }
        let spread = !options.ragged && (!is_last || options.justify_last);
        if spread {
            let m = measure(units, gaps, sums, start, end, options);
            let indent = if n == 0 { options.first_indent } else { 0.0 };
            if options.measure - indent - m.natural > m.stretch + 0.01 {
                return false;
            }
        }
        start = end + 1;
    }
    true
}

/// Marks where the English words of `units` may take a hyphen (not in web addresses);
/// whether there is any such place.
fn mark_hyphenation(units: &[Prepared], gaps: &mut [Gap]) -> bool {
    let mut any = false;
    for (start, end) in runs_between_spaces(units, 0, units.len() - 1) {
        if !is_address(&units[start..=end]) {
            any |= mark_hyphenation_points(units, gaps, start, end);
        }
    }
    any
}

/// Whether a run of text between spaces is a web address (`https://…`, `www.…`).
fn is_address(run: &[Prepared]) -> bool {
    let text: String = run.iter().map(|u| u.ch).collect();
    text.contains("://") || text.starts_with("www.")
}

/// Inside each English word of `units[start..=end]` (Latin letters, not code), a break may
/// come with a hyphen where TeX's US English patterns allow one, keeping two letters before it
/// and three after.
fn mark_hyphenation_points(units: &[Prepared], gaps: &mut [Gap], start: usize, end: usize) -> bool {
    let mut any = false;
    let is_letter = |u: &Prepared| u.ch.is_ascii_alphabetic() && !u.verbatim;
    let mut k = start;
    while k <= end {
        if !is_letter(&units[k]) {
            k += 1;
            continue;
        }
        let word_start = k;
        while k < end && is_letter(&units[k + 1]) {
            k += 1;
        }
        let letters = k + 1 - word_start;
        let whole_word = !units[word_start..=k].iter().any(|u| u.ligature)
            && !joined(units, word_start.checked_sub(1), word_start.checked_sub(2))
            && !joined(units, Some(k + 1), Some(k + 2));
        if whole_word && letters >= HYPHEN_KEEPS_BEFORE + HYPHEN_KEEPS_AFTER {
            let word: String = units[word_start..=k]
                .iter()
                .map(|u| u.ch.to_ascii_lowercase())
                .collect();
            let kept = HYPHEN_KEEPS_BEFORE..=letters - HYPHEN_KEEPS_AFTER;
            for at in hyphenation_points(&word)
                .into_iter()
                .filter(|at| kept.contains(at))
            {
                let gap = &mut gaps[word_start + at - 1];
                // A hyphen is better than breaking an over-long word anywhere.
                if !gap.breakable || gap.penalty >= EMERGENCY_PENALTY {
                    gap.breakable = true;
                    gap.penalty = HYPHEN_PENALTY;
                    gap.hyphen = true;
                    any = true;
                }
            }
        }
        k += 1;
    }
    any
}

/// Whether the unit at `beside` joins a word to more than itself: a digit or another letter
/// (`Schrödinger`), or a mark that makes a name with what lies beyond it (`linebreak.rs`,
/// `github.com/rust-lang`, `user@host`); such a word is part of a token, not to be hyphenated.
fn joined(units: &[Prepared], beside: Option<usize>, beyond: Option<usize>) -> bool {
    // Han beside a word is only its neighbour in running text.
    let at = |i: Option<usize>| i.and_then(|i| units.get(i)).filter(|u| !u.class.is_cjk());
    let word_like = |u: &Prepared| u.ch.is_alphanumeric();
    match at(beside) {
        Some(u) if word_like(u) => true,
        Some(u) if "./\\_@:#-".contains(u.ch) => at(beyond).is_some_and(word_like),
        _ => false,
    }
}

/// The letters of `word` (lowercase ASCII) after which it may be hyphenated.
fn hyphenation_points(word: &str) -> Vec<usize> {
    use hyphenation::{Hyphenator, Language, Load, Standard};
    static ENGLISH: std::sync::LazyLock<Option<Standard>> =
        std::sync::LazyLock::new(|| Standard::from_embedded(Language::EnglishUS).ok());
    ENGLISH
        .as_ref()
        .map_or_else(Vec::new, |patterns| patterns.hyphenate(word).breaks)
}

/// Whether the token `units[start..=end]` may break after unit `k`: after `/ \ . _ -` between
/// two letters or digits, with at least `TOKEN_KEEPS` characters on each side.
fn is_token_break(units: &[Prepared], start: usize, end: usize, k: usize) -> bool {
    let alphanumeric = |u: &Prepared| u.ch.is_ascii_alphanumeric();
    TOKEN_BREAKS_AFTER.contains(units[k].ch)
        && k >= start + TOKEN_KEEPS
        && k + TOKEN_KEEPS <= end
        && alphanumeric(&units[k - 1])
        && alphanumeric(&units[k + 1])
}

/// The runs of `units[start..=end]` between spaces (first and last unit of each).
fn runs_between_spaces(units: &[Prepared], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut run_start = start;
    for i in start..=end {
        if i == end || is_space(&units[i + 1]) {
            runs.push((run_start, i));
            run_start = i + 1;
        }
    }
    runs
}

/// Width, stretch and shrink of a candidate line, spaces at its edges left out.
#[derive(Debug, Clone, Copy)]
struct Measure {
    natural: f32,
    stretch: f32,
    /// The part of `stretch` that is word spaces (each may double).
    space_stretch: f32,
    /// Shrink from setting marks at the line's edges half width (push-in; preferred to
    /// spreading).
    edge_shrink: f32,
    /// Shrink from the marks inside the line, a quarter em each at most (weighed as spaces
    /// are: no cheaper than spreading).
    inner_shrink: f32,
    /// Shrink from spaces.
    space_shrink: f32,
    /// Mandatory reduction (line-end half width style).
    end_cut: f32,
}

fn trimmed(units: &[Prepared], start: usize, end: usize) -> Option<(usize, usize)> {
    let mut s = start;
    let mut e = end;
    while s <= e && is_space(&units[s]) {
        s += 1;
    }
    while e > s && is_space(&units[e]) {
        e -= 1;
    }
    (s <= e && !is_space(&units[s])).then_some((s, e))
}

/// Running totals over units and gaps, so a candidate line is measured in constant time
/// (f64: a paragraph may hold a million characters).
struct Sums {
    /// Widths of units before index i, compression already taken off.
    width: Vec<f64>,
    /// Widths of spaces before index i.
    spaces: Vec<f64>,
    /// What marks before index i may give up inside a line.
    blank: Vec<f64>,
    /// Gap widths, stretch and shrink before index i.
    gap_width: Vec<f64>,
    gap_stretch: Vec<f64>,
    gap_shrink: Vec<f64>,
}

impl Sums {
    fn new(units: &[Prepared], gaps: &[Gap]) -> Self {
        let running = |f: &dyn Fn(usize) -> f32| {
            let mut out = Vec::with_capacity(units.len() + 1);
            let mut total = 0.0f64;
            out.push(0.0);
            for i in 0..units.len() {
                total += f64::from(f(i));
                out.push(total);
            }
            out
        };
        Sums {
            width: running(&|i| units[i].width - units[i].cut_left - units[i].cut_right),
            spaces: running(&|i| {
                if is_space(&units[i]) {
                    units[i].width
                } else {
                    0.0
                }
            }),
            blank: running(&|i| inner_blank(&units[i])),
            gap_width: running(&|i| gaps[i].width),
            gap_stretch: running(&|i| gaps[i].stretch),
            gap_shrink: running(&|i| gaps[i].shrink),
        }
    }
}

fn measure(
    units: &[Prepared],
    gaps: &[Gap],
    sums: &Sums,
    start: usize,
    end: usize,
    options: &Options,
) -> Measure {
    let mut m = Measure {
        natural: 0.0,
        stretch: 0.0,
        space_stretch: 0.0,
        edge_shrink: 0.0,
        inner_shrink: 0.0,
        space_shrink: 0.0,
        end_cut: 0.0,
    };
    let Some((s, e)) = trimmed(units, start, end) else {
        return m;
    };
    let between = |v: &[f64], a: usize, b: usize| (v[b] - v[a]) as f32;
    let spaces = between(&sums.spaces, s, e + 1);
    m.natural = between(&sums.width, s, e + 1) + between(&sums.gap_width, s, e);
    m.stretch = spaces + between(&sums.gap_stretch, s, e);
    m.space_stretch = spaces;
    m.space_shrink = spaces / 3.0 + between(&sums.gap_shrink, s, e);
    if e > s {
        m.inner_shrink = between(&sums.blank, s + 1, e);
    }
    // Push-in: a line-start opening mark and a line-end closing mark may lose their blank half.
    let first = &units[s];
    if first.class == Class::Opening {
        m.edge_shrink += first.class.blank().0 * first.em - first.cut_left;
    }
    let last = &units[e];
    if matches!(last.class, Class::Closing | Class::Stop) {
        let blank = last.class.blank().1 * last.em - last.cut_right;
        if options.style == PunctuationStyle::LineEndHalf {
            m.end_cut = blank;
        } else {
            m.edge_shrink += blank;
        }
    }
    m.natural -= m.end_cut;
    if ends_hyphenated(units, gaps, end) {
        m.natural += HYPHEN_WIDTH * last.em;
    }
    m
}

/// Whether a line ending at unit `end` ends inside a word (it is not the paragraph's end).
fn ends_hyphenated(units: &[Prepared], gaps: &[Gap], end: usize) -> bool {
    end + 1 < units.len() && gaps[end].hyphen
}

/// How far a line `short` of its measure is spread: the factors of its gaps' stretch and of
/// its word spaces' stretch. Both are one at the limit (a quarter em between characters, a
/// space doubled); past it only the spaces grow, to three times their width.
fn stretch_factors(m: &Measure, short: f32) -> (f32, f32) {
    let factor = short / m.stretch;
    if factor <= 1.0 {
        (factor, factor)
    } else if m.space_stretch > 0.0 {
        let gap_stretch = m.stretch - m.space_stretch;
        let for_spaces = (short - gap_stretch) / m.space_stretch;
        (1.0, for_spaces.min(MAX_SPACE_STRETCH))
    } else {
        (1.0, 1.0)
    }
}

/// How much each of marks with blanks `free` gives up to take `excess` off a line: the same
/// for all, except a mark with less to give gives all it has.
fn even_cuts(free: &[f32], excess: f32) -> Vec<f32> {
    let mut cuts = vec![0.0; free.len()];
    let mut order: Vec<usize> = (0..free.len()).collect();
    order.sort_by(|&a, &b| free[a].total_cmp(&free[b]));
    let mut left = excess.max(0.0);
    for (n, &i) in order.iter().enumerate() {
        let share = left / (free.len() - n) as f32;
        cuts[i] = free[i].min(share);
        left -= cuts[i];
    }
    cuts
}

/// Blank a mark inside a line can give up when the line must shrink: a quarter em of what
/// compression left it, none for a full stop, question or exclamation mark, which keep their
/// width inside a line.
fn inner_blank(u: &Prepared) -> f32 {
    if !u.class.is_compressible() || u.verbatim || matches!(u.ch, '。' | '！' | '？' | '．') {
        return 0.0;
    }
    let (left, right) = u.class.blank();
    let free = (left * u.em - u.cut_left).max(0.0) + (right * u.em - u.cut_right).max(0.0);
    free.min(INNER_MARK_SHRINK * u.em)
}

/// Badness of setting a line of `m` into `available` (0 = perfect), or `None` if it cannot fit.
fn badness(m: &Measure, available: f32, flush_left: bool) -> Option<f64> {
    let excess = m.natural - available;
    if excess > 0.01 {
        // Marks at the edges are set half width before spaces shrink; using them is cheap,
        // which makes push-in win over push-out.
        let shrink = m.edge_shrink * PUSH_IN_WEIGHT + m.inner_shrink + m.space_shrink;
        if excess > m.edge_shrink + m.inner_shrink + m.space_shrink + 0.01 {
            return None;
        }
        let ratio = f64::from(excess / shrink.max(0.001));
        return Some(100.0 * ratio.powi(3));
    }
    if flush_left {
        return Some(0.0);
    }
    let short = f64::from(-excess).max(0.0);
    if short < 0.01 {
        return Some(0.0);
    }
    if m.stretch <= 0.0 {
        return Some(MAX_BADNESS);
    }
    let ratio = short / f64::from(m.stretch);
    Some((100.0 * ratio.powi(3)).min(MAX_BADNESS))
}

/// Characters besides punctuation and spaces on a line.
fn letters(units: &[Prepared], start: usize, end: usize) -> usize {
    units[start..=end]
        .iter()
        .filter(|u| is_letter_like(u.ch))
        .count()
}

/// Where lines may break: at break opportunities only, or, when no set of lines fits that way,
/// anywhere (at a high penalty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    AtOpportunities,
    Anywhere,
}

/// The break positions (index of each line's last unit) with the least total demerits, or
/// `None` when no set of lines fits.
fn best_breaks(
    units: &[Prepared],
    gaps: &[Gap],
    sums: &Sums,
    options: &Options,
    breaks: Breaks,
) -> Option<Vec<usize>> {
    let force = breaks == Breaks::Anywhere;
    let n = units.len();
    // best[k]: (demerits, previous break) for a line ending at unit k - 1; best[0] is the start.
    let mut best: Vec<Option<(f64, usize)>> = vec![None; n + 1];
    best[0] = Some((0.0, 0));
    let mut active: Vec<usize> = vec![0];
    for end in 0..n {
        let is_last = end + 1 == n;
        let allowed = is_last || gaps[end].breakable || (force && !is_space(&units[end + 1]));
        if !allowed {
            continue;
        }
        let penalty = if is_last {
            0.0
        } else if force && !gaps[end].breakable {
            EMERGENCY_PENALTY
        } else {
            gaps[end].penalty
        };
        let mut candidate: Option<(f64, usize)> = None;
        let mut keep = Vec::with_capacity(active.len());
        for &start in &active {
            let Some((before, _)) = best[start] else {
                continue;
            };
            let available = options.measure
                - if start == 0 {
                    options.first_indent
                } else {
                    0.0
                };
            let m = measure(units, gaps, sums, start, end, options);
            let flush_left = options.ragged || (is_last && !options.justify_last);
            let fits = badness(&m, available, flush_left);
            let too_long =
                m.natural - m.edge_shrink - m.inner_shrink - m.space_shrink > available + 0.01;
            if !too_long || force {
                keep.push(start);
            }
            let badness = match fits {
                Some(b) => b,
                None if force => MAX_BADNESS * 10.0,
                None => continue,
            };
            let mut demerits = (1.0 + badness).powi(2) + penalty;
            if is_last && start > 0 && letters(units, start, end) < 2 {
                demerits += ORPHAN_DEMERITS;
            }
            let total = before + demerits;
            // On a tie, the later start wins: earlier lines are filled first.
            if candidate.is_none_or(|(d, _)| total <= d + 1e-9) {
                candidate = Some((total, start));
            }
        }
        active = keep;
        if let Some(found) = candidate {
            best[end + 1] = Some(found);
            active.push(end + 1);
        }
        if active.is_empty() {
            return None;
        }
    }
    best[n]?;
    let mut breaks = Vec::new();
    let mut k = n;
    while k > 0 {
        breaks.push(k - 1);
        k = best[k]?.1;
    }
    breaks.reverse();
    Some(breaks)
}

/// Places the glyphs of one line: shrinks or spreads it to the measure (the last line stays
/// flush left; a line that cannot be filled within the limits of `stretch_factors` is left
/// short) and removes the blank halves of compressed marks.
#[allow(clippy::too_many_arguments)]
fn set_line(
    units: &[Prepared],
    gaps: &[Gap],
    sums: &Sums,
    start: usize,
    end: usize,
    is_first: bool,
    is_last: bool,
    options: &Options,
) -> Line {
    let indent = if is_first { options.first_indent } else { 0.0 };
    let available = options.measure - indent;
    let m = measure(units, gaps, sums, start, end, options);
    let mut x_list = vec![None; end + 1 - start];
    let Some((s, e)) = trimmed(units, start, end) else {
        return Line {
            units: start..end + 1,
            x: x_list,
            end: indent,
            hyphen: false,
            short: false,
        };
    };
    let mut cut_left: Vec<f32> = units[s..=e].iter().map(|u| u.cut_left).collect();
    let mut cut_right: Vec<f32> = units[s..=e].iter().map(|u| u.cut_right).collect();
    let last = cut_right.len() - 1;
    cut_right[last] += m.end_cut;
    let mut excess = m.natural - available;
    // Push-in first: the line-end mark, then the line-start mark, then spaces.
    if excess > 0.0 {
        let last_unit = &units[e];
        if matches!(last_unit.class, Class::Closing | Class::Stop)
            && options.style != PunctuationStyle::LineEndHalf
        {
            let cut = (last_unit.class.blank().1 * last_unit.em - cut_right[last])
                .min(excess)
                .max(0.0);
            cut_right[last] += cut;
            excess -= cut;
        }
        let first_unit = &units[s];
        if excess > 0.0 && first_unit.class == Class::Opening {
            let cut = (first_unit.class.blank().0 * first_unit.em - cut_left[0])
                .min(excess)
                .max(0.0);
            cut_left[0] += cut;
            excess -= cut;
        }
        // Then the marks inside the line, all by the same amount.
        if excess > 0.0 && e > s + 1 {
            let inner: Vec<(usize, f32)> = (s + 1..e)
                .map(|i| (i - s, inner_blank(&units[i])))
                .filter(|&(_, blank)| blank > 0.0)
                .collect();
            let cuts = even_cuts(&inner.iter().map(|&(_, b)| b).collect::<Vec<_>>(), excess);
            for (&(k, _), cut) in inner.iter().zip(cuts) {
                let (left, right) = units[s + k].class.blank();
                // From the blank side: the right of a closing mark or stop, the left of an
                // opening one, both halves of a middle dot.
                let share = if right > 0.0 {
                    right / (left + right)
                } else {
                    0.0
                };
                cut_right[k] += cut * share;
                cut_left[k] += cut * (1.0 - share);
                excess -= cut;
            }
        }
    }
    let space_factor = if excess > 0.0 && m.space_shrink > 0.0 {
        -(excess / m.space_shrink).min(1.0)
    } else {
        0.0
    };
    // A line is spread at most to the limit (a quarter em between characters); beyond it
    // only its word spaces grow, to three times their width, and the line is left short when
    // that is not enough. A line holding a formula that cannot be filled without spreading it
    // past the limit stays flush left: neither the formula nor the text beside it is
    // letter-spaced.
    let has_formula = units[s..=e].iter().any(|u| u.ch == FORMULA);
    let too_loose = excess < 0.0 && (m.stretch <= 0.0 || -excess / m.stretch > 1.0);
    let spread = !options.ragged && (!is_last || options.justify_last);
    let flush_left = spread && has_formula && too_loose;
    let filling = excess < 0.0 && spread && !flush_left && m.stretch > 0.0;
    let (stretch_factor, space_stretch_factor) = if filling {
        stretch_factors(&m, -excess)
    } else {
        (0.0, 0.0)
    };
    let reached =
        (m.stretch - m.space_stretch) * stretch_factor + m.space_stretch * space_stretch_factor;
    let left_short = flush_left || (filling && reached < -excess - 0.01);
    let spread = spread && !flush_left;
    // A line with nothing to spread (one long Latin word broken in an emergency) is letter-
    // spaced as a last resort, so it still meets both margins.
    let letter_spacing = if excess < 0.0 && spread && m.stretch <= 0.0 && e > s {
        -excess / (e - s) as f32
    } else {
        0.0
    };
    let mut x = indent;
    for i in s..=e {
        let k = i - s;
        let u = &units[i];
        x_list[i - start] = Some(x - cut_left[k]);
        let mut advance = u.width - cut_left[k] - cut_right[k];
        if is_space(u) {
            advance += u.width * space_stretch_factor + u.width / 3.0 * space_factor;
        }
        x += advance;
        if i < e {
            let g = &gaps[i];
            x += g.width + g.stretch * stretch_factor + g.shrink * space_factor + letter_spacing;
        }
    }
    let hyphen = ends_hyphenated(units, gaps, end);
    if hyphen {
        x += HYPHEN_WIDTH * units[e].em;
    }
    Line {
        units: start..end + 1,
        x: x_list,
        end: x,
        hyphen,
        short: left_short,
    }
}

#[cfg(test)]
mod tests;
