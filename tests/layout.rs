//! The typesetting rules, checked on every line the layout sets for the sample book and for
//! every blog in the shared corpus: no prohibited line starts or ends, no split dash or
//! ellipsis, no lone character on a paragraph's last line, justified lines flush to both
//! margins, no line wider than the measure.

mod common;

use std::path::Path;

use inkstone::config::PunctuationStyle;
use inkstone::diag::Diagnostics;
use inkstone::layout::class::{class_of, is_letter_like};
use inkstone::layout::flow::LineCheck;
use inkstone::layout::page::GlyphBounds;
use inkstone::{config, fonts, pipeline};

/// The book's fonts, ready for shaping.
fn font_set(config: &config::Config) -> fonts::FontSet {
    let files = fonts::load_all(&config.fonts).unwrap_or_else(|e| panic!("{e}"));
    fonts::FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"))
}

/// Every line of the book in `folder`, set as book.toml says (page profile, punctuation),
/// after checking that no glyph on any page overprints another.
fn typeset(folder: &Path) -> Vec<LineCheck> {
    typeset_with(folder, &config::Overrides::default())
}

/// The same, with the command line's `overrides` (another page profile).
fn typeset_with(folder: &Path, overrides: &config::Overrides) -> Vec<LineCheck> {
    let config = config::load(folder, overrides).unwrap_or_else(|e| panic!("{e}"));
    let diags = Diagnostics::new();
    let sources = pipeline::read(&config, false, &diags, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    let fonts = font_set(&config);
    let set = pipeline::typeset(&config, &sources, &fonts, &diags);
    let name = folder.display().to_string();
    assert_no_overprints(&name, &set.pages.pages, &fonts);
    assert_every_character_has_a_glyph(&name, &set.pages.pages, &diags);
    assert_marks_inside_lines_keep_their_width(&name, &set.pages.pages, fonts.math_face());
    if let Some(math) = fonts.math_face() {
        assert_lines_with_formulas_are_not_letter_spaced(&name, &set.pages.pages, math);
    }
    // Lines left short rather than spread past a quarter em (before a formula, a word of code
    // or a stretch of an address that cannot break): a few, never the rule (at most 2 %).
    let short = set.lines.iter().filter(|l| l.short).count();
    let spreadable = set
        .lines
        .iter()
        .filter(|l| (l.justified || l.short) && !l.last)
        .count();
    eprintln!("{name}: {short} of {spreadable} justified lines left short");
    assert!(
        short * 50 <= spreadable,
        "{name}: {short} of {spreadable} justified lines left short"
    );
    set.lines
}

/// One glyph on a page: its origin and advance, the character it sets, its font and size.
struct PlacedGlyph {
    x: f32,
    /// The baseline.
    y: f32,
    advance: f32,
    ch: char,
    font: usize,
    size: f32,
}

/// The glyphs of each line of `page`, left to right: those on one baseline, cut where more
/// than 0.6 em lies between one glyph's advance and the next glyph (table cells side by side).
fn page_lines(page: &inkstone::layout::page::Page) -> Vec<Vec<PlacedGlyph>> {
    let mut out: Vec<Vec<PlacedGlyph>> = Vec::new();
    for glyphs in baselines(page) {
        let mut line: Vec<PlacedGlyph> = Vec::new();
        for g in glyphs {
            if let Some(last) = line.last()
                && g.x - (last.x + last.advance) > 0.6 * last.size
            {
                out.push(std::mem::take(&mut line));
            }
            line.push(g);
        }
        out.push(line);
    }
    out
}

/// The glyphs on each baseline of `page`, left to right.
fn baselines(page: &inkstone::layout::page::Page) -> Vec<Vec<PlacedGlyph>> {
    use inkstone::layout::page::Item;
    let mut lines: std::collections::BTreeMap<i64, Vec<PlacedGlyph>> = Default::default();
    for item in &page.items {
        let Item::Text(run) = item else { continue };
        let line = lines.entry((run.y * 10.0).round() as i64).or_default();
        for (x, glyph) in run.placed_glyphs() {
            if let Some(ch) = run.text[glyph.text.clone()].chars().next() {
                line.push(PlacedGlyph {
                    x,
                    y: run.y,
                    advance: glyph.x_advance,
                    ch,
                    font: run.font,
                    size: run.size,
                });
            }
        }
    }
    let mut out: Vec<Vec<PlacedGlyph>> = lines.into_values().collect();
    for glyphs in &mut out {
        glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    out
}

/// Checks the lines of body text that hold a formula (glyphs of the math face `math`):
/// justification may add at most a quarter em between two Han characters, measured from one
/// glyph's advance to the next glyph's origin. (The blank beside each formula is checked
/// with the other rules, in `violations`.)
fn assert_lines_with_formulas_are_not_letter_spaced(
    name: &str,
    pages: &[inkstone::layout::page::Page],
    math: usize,
) {
    use inkstone::layout::class::{Class, class_of};
    let body = body_size(pages);
    let han =
        |g: &PlacedGlyph| g.font != math && g.size == body && class_of(g.ch) == Class::Ideograph;
    let mut problems = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let lines = baselines(page);
        let formulas = FormulaGlyphs::of(&lines, Some(math), body);
        for line in &lines {
            let Some(y) = line.first().map(|g| g.y) else {
                continue;
            };
            let in_line = formulas.near(y);
            if in_line.is_empty() || !line.iter().any(han) {
                continue;
            }
            let text: String = line.iter().map(|g| g.ch).collect();
            for pair in line.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let gap = (b.x - (a.x + a.advance)) / body;
                let formula_between = in_line.iter().any(|&x| x > a.x && x < b.x);
                if han(a) && han(b) && gap > 0.26 && !formula_between {
                    problems.push(format!(
                        "page {}: {gap:.2} em between {} and {} in {text}",
                        n + 1,
                        a.ch,
                        b.ch
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: {} letter-spaced lines with formulas:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Where the math glyphs of a page lie, to tell which lines hold formulas: a formula's scripts
/// and fractions lie off its line's baseline, so a line holds the formula glyphs within an em
/// and a half of it.
struct FormulaGlyphs {
    at: Vec<(f32, f32)>,
    body: f32,
}

impl FormulaGlyphs {
    fn of(lines: &[Vec<PlacedGlyph>], math: Option<usize>, body: f32) -> Self {
        let at = lines
            .iter()
            .flatten()
            .filter(|g| Some(g.font) == math)
            .map(|g| (g.x, g.y))
            .collect();
        FormulaGlyphs { at, body }
    }

    /// The x of each math glyph of the line on baseline `y`.
    fn near(&self, y: f32) -> Vec<f32> {
        self.at
            .iter()
            .filter(|(_, gy)| (gy - y).abs() < 1.5 * self.body)
            .map(|&(x, _)| x)
            .collect()
    }
}

/// The size most glyphs of the body font are set in: the body text's.
fn body_size(pages: &[inkstone::layout::page::Page]) -> f32 {
    use inkstone::layout::page::Item;
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    for item in pages.iter().flat_map(|p| &p.items) {
        if let Item::Text(run) = item
            && run.font == 0
        {
            *counts.entry(run.size.to_bits()).or_default() += run.glyphs.len();
        }
    }
    let most = counts.into_iter().max_by_key(|&(_, n)| n);
    most.map_or(0.0, |(bits, _)| f32::from_bits(bits))
}

/// Checks how the marks inside the lines of body text are set, measured from glyph origins
/// (jlreq's book practice): a full stop, question or exclamation mark keeps its full em; a
/// comma, colon or bracket gives up a quarter em at most (lines with one narrower than ¾ em
/// at most 1 %); the commas of one line are all compressed or all full. Marks beside another
/// mark (compressed together) and at a line's edges are left out. At most 0.5 % of justified
/// lines spread more than a quarter em between two Han characters (a formula between them is
/// no gap).
fn assert_marks_inside_lines_keep_their_width(
    name: &str,
    pages: &[inkstone::layout::page::Page],
    math: Option<usize>,
) {
    let is_mark = |c: char| inkstone::layout::class::class_of(c).is_compressible();
    let body = body_size(pages);
    let (mut lines, mut justified, mut narrow, mut loose) = (0usize, 0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let formulas = FormulaGlyphs::of(&baselines(page), math, body);
        let page_lines: Vec<Vec<PlacedGlyph>> = page_lines(page)
            .into_iter()
            .filter(|line| line.len() >= 6 && line.iter().any(|g| g.font == 0 && g.size == body))
            .collect();
        // A justified line reaches the right edge of the text, where most lines of the page
        // end (a line-end mark set half width keeps its whole advance, past that edge).
        let line_end = |line: &[PlacedGlyph]| line.last().map_or(0.0, |g| g.x + g.advance);
        let mut ends: std::collections::BTreeMap<i64, usize> = Default::default();
        for line in &page_lines {
            *ends
                .entry((line_end(line) * 10.0).round() as i64)
                .or_default() += 1;
        }
        let right_edge = ends
            .iter()
            .max_by_key(|&(end, count)| (count, end))
            .map_or(0.0, |(&end, _)| end as f32 / 10.0);
        for line in page_lines {
            lines += 1;
            let is_justified = line_end(&line) > right_edge - 0.3;
            justified += usize::from(is_justified);
            let mut commas = Vec::new();
            let mut has_narrow = false;
            for i in 1..line.len() - 1 {
                let g = &line[i];
                let beside_mark = is_mark(line[i - 1].ch) || is_mark(line[i + 1].ch);
                if g.font != 0 || g.size != body || !is_mark(g.ch) || beside_mark {
                    continue;
                }
                let width = (line[i + 1].x - g.x) / g.size;
                if "。？！".contains(g.ch) && width < 0.99 {
                    problems.push(format!(
                        "page {}: {} set {width:.2} em inside a line",
                        n + 1,
                        g.ch
                    ));
                }
                if "，、；：".contains(g.ch) {
                    commas.push(width);
                }
                has_narrow |= width < 0.75;
            }
            narrow += usize::from(has_narrow);
            let han = |c: char| {
                inkstone::layout::class::class_of(c) == inkstone::layout::class::Class::Ideograph
            };
            let in_line = formulas.near(line[0].y);
            let loose_gap = line.windows(2).any(|w| {
                w[0].font == 0
                    && w[0].size == body
                    && han(w[0].ch)
                    && han(w[1].ch)
                    && w[1].x - w[0].x > 1.26 * w[0].size
                    && !in_line.iter().any(|&x| x > w[0].x && x < w[1].x)
            });
            loose += usize::from(loose_gap && is_justified);
            let compressed = commas.iter().any(|&w| w < 0.99);
            if compressed && commas.iter().any(|&w| w >= 0.99) {
                let text: String = line.iter().map(|g| g.ch).collect();
                problems.push(format!(
                    "page {}: compressed and full commas in {text}",
                    n + 1
                ));
            }
        }
    }
    eprintln!("{name}: {lines} lines, {justified} justified, {narrow} narrow, {loose} loose");
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    assert!(
        narrow * 100 <= lines,
        "{name}: {narrow} of {lines} lines hold a mark narrower than 3/4 em"
    );
    // Lines spread more than a quarter em between Han characters: long tokens break at
    // `/ \ . _ -` and English words take a hyphen instead; what is left is mostly lines
    // before inline code too long to move up.
    assert!(
        loose * 200 <= justified,
        "{name}: {loose} of {justified} justified lines spread more than 1/4 em between Han \
         characters"
    );
}

/// Fails naming each character set as `.notdef` (glyph 0) and each one no font has.
fn assert_every_character_has_a_glyph(
    name: &str,
    pages: &[inkstone::layout::page::Page],
    diags: &Diagnostics,
) {
    use inkstone::layout::page::Item;
    let mut notdef = std::collections::BTreeSet::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                for glyph in run.glyphs.iter().filter(|g| g.id == 0) {
                    notdef.extend(run.text[glyph.text.clone()].chars());
                }
            }
        }
    }
    assert!(notdef.is_empty(), "{name}: set as .notdef: {notdef:?}");
    let missing: Vec<String> = diags
        .snapshot()
        .iter()
        .filter(|d| d.message.starts_with("no font has the character"))
        .map(|d| d.message.clone())
        .collect();
    assert!(missing.is_empty(), "{name}: {missing:?}");
}

/// The ink of each glyph of each loaded face as boxes in em, read from the outlines: for each
/// of twelve bands between the glyph's bottom and top, the ink's left and right edges there.
fn ink_edges(fonts: &fonts::FontSet) -> impl Fn(usize, u16) -> Vec<GlyphBounds> {
    use skrifa::MetadataProvider as _;
    use skrifa::instance::{LocationRef, Size};
    use skrifa::outline::DrawSettings;
    let faces = fonts.loaded();
    let cache: std::cell::RefCell<std::collections::HashMap<(usize, u16), Vec<GlyphBounds>>> =
        Default::default();
    move |font, glyph| {
        if let Some(boxes) = cache.borrow().get(&(font, glyph)) {
            return boxes.clone();
        }
        let boxes = faces
            .get(font)
            .and_then(|face| skrifa::FontRef::from_index(&face.bytes, face.index).ok())
            .and_then(|font| {
                let upem = f32::from(
                    font.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em,
                );
                let outline = font
                    .outline_glyphs()
                    .get(skrifa::GlyphId::new(u32::from(glyph)))?;
                let mut pen = InkPoints::default();
                let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                outline.draw(settings, &mut pen).ok()?;
                Some(pen.bands(12, upem))
            })
            .unwrap_or_default();
        cache.borrow_mut().insert((font, glyph), boxes.clone());
        boxes
    }
}

/// Points along a glyph's outline, each segment sampled at eight places.
#[derive(Default)]
struct InkPoints {
    points: Vec<(f32, f32)>,
    at: (f32, f32),
}

impl InkPoints {
    const STEPS: usize = 8;

    fn sample(&mut self, point: impl Fn(f32) -> (f32, f32)) {
        for k in 1..=Self::STEPS {
            self.points.push(point(k as f32 / Self::STEPS as f32));
        }
        self.at = point(1.0);
    }

    /// The points' extent in `count` horizontal bands, in em.
    fn bands(&self, count: usize, upem: f32) -> Vec<GlyphBounds> {
        let (bottom, top) = self
            .points
            .iter()
            .fold((f32::MAX, f32::MIN), |(b, t), p| (b.min(p.1), t.max(p.1)));
        if self.points.is_empty() || top <= bottom {
            return Vec::new();
        }
        let height = (top - bottom) / count as f32;
        (0..count)
            .filter_map(|n| {
                let (y0, y1) = (bottom + n as f32 * height, bottom + (n + 1) as f32 * height);
                let xs = self
                    .points
                    .iter()
                    .filter(|p| p.1 >= y0 - 0.5 && p.1 <= y1 + 0.5);
                let (left, right) =
                    xs.fold((f32::MAX, f32::MIN), |(l, r), p| (l.min(p.0), r.max(p.0)));
                (right >= left).then(|| (left / upem, right / upem, y0 / upem, y1 / upem))
            })
            .collect()
    }
}

impl skrifa::outline::OutlinePen for InkPoints {
    fn move_to(&mut self, x: f32, y: f32) {
        self.points.push((x, y));
        self.at = (x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x0, y0) = self.at;
        self.sample(|t| (x0 + (x - x0) * t, y0 + (y - y0) * t));
    }

    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        let (x0, y0) = self.at;
        self.sample(|t| {
            let u = 1.0 - t;
            (
                u * u * x0 + 2.0 * u * t * cx + t * t * x,
                u * u * y0 + 2.0 * u * t * cy + t * t * y,
            )
        });
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (x0, y0) = self.at;
        self.sample(|t| {
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            (
                a * x0 + b * cx0 + c * cx1 + d * x,
                a * y0 + b * cy0 + c * cy1 + d * y,
            )
        });
    }

    fn close(&mut self) {}
}

/// Fails naming every pair of glyphs that overprint each other, page by page.
fn assert_no_overprints(
    name: &str,
    pages: &[inkstone::layout::page::Page],
    fonts: &fonts::FontSet,
) {
    let ink = ink_edges(fonts);
    let found: Vec<String> = pages
        .iter()
        .enumerate()
        .flat_map(|(n, page)| {
            page.overprints(&ink)
                .into_iter()
                .map(move |o| format!("page {}: {o}", n + 1))
        })
        .collect();
    assert!(
        found.is_empty(),
        "{name}: {} overprinting glyphs:\n{}",
        found.len(),
        found
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every broken rule, one message per line.
fn violations(lines: &[LineCheck]) -> Vec<String> {
    let mut found = Vec::new();
    let mut paragraph_lines = 0;
    for (i, line) in lines.iter().enumerate() {
        paragraph_lines += 1;
        let text = line.text.trim();
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else {
            continue;
        };
        let ends_paragraph = line.last;
        // A text made only of marks (a table cell listing 《 「 （) has no break the rules
        // allow; wherever a narrow measure breaks it, a mark is at an edge.
        let only_marks = !text.chars().any(is_letter_like);
        if !class_of(first).may_start_line() && paragraph_lines > 1 && !only_marks {
            found.push(format!("line starts with {first}: {text}"));
        }
        if !class_of(last).may_end_line() && !ends_paragraph && !only_marks {
            found.push(format!("line ends with {last}: {text}"));
        }
        if let Some(next) = lines.get(i + 1).filter(|_| !ends_paragraph) {
            let next_first = next.text.trim().chars().next();
            for mark in ['—', '…'] {
                if last == mark && next_first == Some(mark) {
                    found.push(format!("{mark}{mark} split: {text} / {}", next.text));
                }
            }
        }
        if line.end > line.measure + 0.01 {
            found.push(format!(
                "line wider than the measure ({} > {}): {text}",
                line.end, line.measure
            ));
        }
        if line.justified && !ends_paragraph && (line.end - line.measure).abs() > 0.01 {
            found.push(format!(
                "justified line not flush ({} of {}): {text}",
                line.end, line.measure
            ));
        }
        // A formula sits a quarter em from the text beside it; spreading may add at most
        // another quarter em.
        if let Some(gap) = line.formula_gaps.iter().find(|&&g| g > 0.51) {
            found.push(format!("{gap:.2} em beside a formula: {text}"));
        }
        if ends_paragraph {
            let letters = text.chars().filter(|&c| is_letter_like(c)).count();
            // A piece of a formula too wide to share a line is no lone character.
            let wide_formula = text.contains('\u{FFFC}') && line.end > line.measure / 3.0;
            if paragraph_lines > 1 && line.justified && letters < 2 && !wide_formula {
                let before = lines[i - 1].text.trim();
                found.push(format!(
                    "paragraph ends with a lone character: {before} / {text}"
                ));
            }
            paragraph_lines = 0;
        }
    }
    found
}

fn assert_clean(name: &str, lines: &[LineCheck]) {
    assert!(lines.len() > 50, "{name}: only {} lines set", lines.len());
    let found = violations(lines);
    assert!(
        found.is_empty(),
        "{name}: {} rule violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_sample_book_keeps_every_rule() {
    assert_clean("sample", &typeset(Path::new(env!("CARGO_MANIFEST_DIR"))));
}

#[test]
fn the_sample_book_keeps_every_rule_on_every_page_profile() {
    for (profile, _) in config::profiles::BUILT_IN {
        let overrides = config::Overrides {
            profile: Some(profile.to_string()),
            ..config::Overrides::default()
        };
        let lines = typeset_with(Path::new(env!("CARGO_MANIFEST_DIR")), &overrides);
        assert_clean(&format!("sample on {profile}"), &lines);
    }
}

#[test]
fn the_corpus_blogs_keep_every_rule() {
    let Some(blogs) = common::corpus_blogs() else {
        return;
    };
    for blog in blogs {
        let name = blog.file_name().unwrap_or_default().to_string_lossy();
        assert_clean(&name, &typeset(&blog));
    }
}

#[test]
fn the_checker_finds_broken_rules() {
    let line = |text: &str, end: f32, last: bool| LineCheck {
        text: text.into(),
        end,
        measure: 10.0,
        justified: true,
        last,
        ..LineCheck::default()
    };
    let broken = [
        line("一二三四——", 10.0, false),
        line("——五，", 10.0, false),
        line("，六", 9.0, false),
        line("七", 1.0, true),
        LineCheck {
            formula_gaps: vec![0.25, 0.7],
            ..line("设\u{fffc}为", 10.0, false)
        },
    ];
    let found = violations(&broken);
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(found[5].contains("0.70 em beside a formula"), "{found:#?}");
}

#[test]
fn an_english_word_at_a_line_end_takes_a_hyphen_flush_with_the_measure() {
    use inkstone::document::{Block, Document, Inline};
    let config = config::load(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &config::Overrides::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let set = font_set(&config);
    // After a 2-em indent and 19 Han characters, "understanding" does not fit the 27-em line
    // and the Han alone would be spread a third of an em a gap: the word is hyphenated where
    // its line is spread least ("understand-" is too long for it).
    let han = "汉".repeat(19);
    let doc = Document {
        blocks: vec![Block::Paragraph(vec![Inline::Text(format!(
            "{han} understanding 的意思。"
        ))])],
        footnotes: Vec::new(),
    };
    let mut flow = inkstone::layout::flow::Flow::new(
        &set,
        &config.page,
        "zh-CN",
        PunctuationStyle::Compressed,
    );
    flow.document(&doc);
    let lines: Vec<&LineCheck> = flow.blocks.iter().flat_map(|b| &b.lines).collect();
    let texts: Vec<&str> = lines.iter().map(|l| l.text.trim()).collect();
    assert_eq!(
        texts,
        [format!("{han} under-").as_str(), "standing 的意思。"]
    );
    assert!((lines[0].end - lines[0].measure).abs() < 0.01);
    // The hyphen is drawn, flush with the measure.
    let hyphen = flow
        .blocks
        .iter()
        .flat_map(|b| &b.items)
        .find_map(|item| match item {
            inkstone::layout::page::Item::Text(run) if run.text == "-" => Some(run),
            _ => None,
        });
    let hyphen = hyphen.unwrap_or_else(|| panic!("no hyphen drawn"));
    let right = hyphen.x + hyphen.glyphs.iter().map(|g| g.x_advance).sum::<f32>();
    assert!((right - lines[0].measure).abs() < 0.01, "{right}");
    assert_ne!(hyphen.glyphs[0].id, 0, "a real hyphen glyph");
}

#[test]
fn text_nested_twenty_quotes_deep_is_still_set() {
    use inkstone::document::{Block, Document, Inline, QuoteStyle};
    let config = config::load(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &config::Overrides::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let set = font_set(&config);
    let profile = config.page;
    let mut block = Block::Paragraph(vec![Inline::Text("深处的一句话，仍然要排出来。".into())]);
    for _ in 0..20 {
        block = Block::Quote {
            style: QuoteStyle::Plain,
            blocks: vec![block],
            attribution: Vec::new(),
        };
    }
    let doc = Document {
        blocks: vec![block],
        footnotes: Vec::new(),
    };
    let mut flow =
        inkstone::layout::flow::Flow::new(&set, &profile, "zh-CN", PunctuationStyle::Compressed);
    flow.document(&doc);
    let text: String = flow
        .blocks
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
        .collect();
    assert_eq!(text, "深处的一句话，仍然要排出来。");
    for line in flow.blocks.iter().flat_map(|b| &b.lines) {
        assert!(
            line.measure >= 6.0 * profile.font_size - 0.01,
            "a line {} pt wide",
            line.measure
        );
    }
}

#[test]
fn a_character_no_font_has_is_reported_where_the_blog_wrote_it() {
    // Private-use characters: no font of the book has them. One is in a post's title, two only
    // in a part and a chapter name, one only in the book's title.
    let blog = common::blog::Blog::with_config("title: 砚边\u{F0003}\nauthor: 测试者\n");
    blog.raw(
        "a.md",
        "---\ntitle: 标题\u{F0000}\ndate: 2020-01-02 03:04:05\ncategories: [技术]\n---\n正文。\n",
    );
    blog.raw(
        "b.md",
        "---\ntitle: 普通\ndate: 2020-01-03 03:04:05\n\
         categories: [[生活\u{F0001}, 随笔\u{F0002}]]\n---\n正文。\n",
    );
    let config = blog.config(false);
    let diags = Diagnostics::new();
    let sources = pipeline::read(&config, false, &diags, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    pipeline::typeset(&config, &sources, &font_set(&config), &diags);
    let found: Vec<String> = diags
        .snapshot()
        .iter()
        .filter(|d| d.message.starts_with("no font has the character"))
        .map(|d| {
            let file = d.file.as_deref().and_then(|f| f.file_name());
            let file = file.map(|f| f.to_string_lossy().into_owned());
            let code = d.message.split("(U+").nth(1).and_then(|s| s.get(..5));
            format!(
                "{}:{} U+{}",
                file.unwrap_or_default(),
                d.line.unwrap_or(0),
                code.unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "_config.yml:1 U+F0003",
            "a.md:2 U+F0000",
            "b.md:4 U+F0001",
            "b.md:4 U+F0002"
        ]
    );
}

#[test]
fn a_twelve_column_table_of_long_words_and_addresses_never_overprints() {
    let mut table = String::from("| 名称 | Description | Homepage | License | Language | Stars |");
    table.push_str(" Maintainers | Platforms | Dependencies | Alternatives | Notes | 状态 |\n");
    table.push_str(&"|---".repeat(12));
    table.push_str("|\n");
    for n in 0..6 {
        table.push_str(&format!(
            "| 项目{n} | internationalization-and-localization | \
             https://example.org/projects/very/long/path/name_{n}/index.html | Apache-2.0 | \
             Rust | {n}000 | maintainer_with_long_name_{n} | Linux/macOS/Windows | \
             serde,tokio,hyper,reqwest | pandoc-and-calibre-alternatives | \
             支持中文排版与竖排 | 维护中 |\n"
        ));
    }
    let (dir, _post) = common::small_blog(&table);
    let lines = typeset(dir.path());
    // A word hyphenated at a line's end ("Descrip-" / "tion") is read whole again.
    let mut cells = String::new();
    for line in &lines {
        let hyphenated = cells.ends_with('-')
            && cells[..cells.len() - 1].ends_with(|c: char| c.is_ascii_alphabetic())
            && line.text.starts_with(|c: char| c.is_ascii_alphabetic());
        if hyphenated {
            cells.pop();
        }
        cells.push_str(&line.text);
    }
    for word in ["Description", "Alternatives", "维护中", "Apache-2.0"] {
        assert!(cells.contains(word), "{word} not set whole: {cells}");
    }
}

#[test]
fn the_overprint_check_finds_two_glyphs_on_one_spot() {
    use inkstone::layout::page::{Glyph, Item, Page, TextRun};
    let run = |x: f32| {
        Item::Text(TextRun {
            font: 0,
            size: 10.0,
            x,
            y: 100.0,
            ink: inkstone::layout::page::Ink::BLACK,
            text: "字".into(),
            glyphs: vec![Glyph {
                id: 1,
                x_advance: 10.0,
                x_offset: 0.0,
                y_offset: 0.0,
                text: 0..3,
            }],
        })
    };
    let page = |items| Page {
        items,
        links: Vec::new(),
        label: None,
    };
    let ink = |_, _| vec![(0.05, 0.95, -0.1, 0.8)];
    assert_eq!(page(vec![run(0.0), run(10.0)]).overprints(&ink).len(), 0);
    assert_eq!(page(vec![run(0.0), run(6.0)]).overprints(&ink).len(), 1);
}

#[test]
fn chinese_text_inside_a_formula_is_set_in_the_body_font() {
    use inkstone::layout::page::Item;
    let fonts = sample_fonts();
    let math = fonts.math_face().expect("the math font is shipped");
    let formula =
        inkstone::layout::math::typeset("f(x) = 1 \\text{若 } x > 0", false, &fonts, 10.0)
            .unwrap_or_else(|e| panic!("{e}"));
    let runs: Vec<(String, usize)> = formula
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some((run.text.clone(), run.font)),
            _ => None,
        })
        .collect();
    let font_of = |needle: &str| {
        runs.iter()
            .find(|(text, _)| text.contains(needle))
            .map(|&(_, font)| font)
            .unwrap_or_else(|| panic!("no run holds {needle}: {runs:?}"))
    };
    assert_eq!(font_of("若"), 0, "{runs:?}");
    assert_eq!(font_of("="), math, "{runs:?}");
    assert_eq!(font_of(">"), math, "{runs:?}");
}

/// The glyphs of a typeset formula: the text each sets and its origin (y down).
fn formula_glyphs(formula: &inkstone::layout::math::MathBox) -> Vec<(String, f32, f32)> {
    use inkstone::layout::page::Item;
    let mut out = Vec::new();
    for item in &formula.items {
        if let Item::Text(run) = item {
            for (x, glyph) in run.placed_glyphs() {
                let text = run.text[glyph.text.clone()].to_string();
                out.push((text, x, run.y - glyph.y_offset));
            }
        }
    }
    out
}

fn sample_fonts() -> fonts::FontSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        config::load(root, &config::Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    font_set(&config)
}

#[test]
fn rows_of_aligned_break_at_double_backslashes_and_line_up_at_ampersands() {
    let fonts = sample_fonts();
    let tex = "\\begin{aligned} a &= b + 1 \\\\ ccc &= d \\end{aligned}";
    let formula =
        inkstone::layout::math::typeset(tex, true, &fonts, 10.0).unwrap_or_else(|e| panic!("{e}"));
    let equals: Vec<(f32, f32)> = formula_glyphs(&formula)
        .into_iter()
        .filter(|(text, _, _)| text == "=")
        .map(|(_, x, y)| (x, y))
        .collect();
    assert_eq!(equals.len(), 2, "{:?}", formula_glyphs(&formula));
    // One `=` under the other, a row apart (at least the 1 em strut of a table row).
    assert!((equals[0].0 - equals[1].0).abs() < 0.01, "{equals:?}");
    assert!(equals[1].1 - equals[0].1 >= 10.0, "{equals:?}");
}

#[test]
fn an_inline_formula_may_break_after_its_relations_and_binary_operators() {
    let fonts = sample_fonts();
    let pieces = inkstone::layout::math::typeset_pieces("a + b = c", &fonts, 10.0)
        .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = pieces
        .iter()
        .map(|p| formula_glyphs(p).into_iter().map(|g| g.0).collect())
        .collect();
    assert_eq!(texts, vec!["𝑎+", "𝑏=", "𝑐"]);
    // Side by side the pieces are the whole formula.
    let whole = inkstone::layout::math::typeset("a + b = c", false, &fonts, 10.0)
        .unwrap_or_else(|e| panic!("{e}"));
    let total: f32 = pieces.iter().map(|p| p.width).sum();
    assert!(
        (total - whole.width).abs() < 0.01,
        "{total} vs {}",
        whole.width
    );
}

/// `running_head = "outer"` sets the running head and the folio at the outer edge of the text
/// block (the right on a right-hand page), without the rule; "centred" centres both.
#[test]
fn the_running_head_style_places_the_head_and_the_folio() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"));
    for style in [config::RunningHead::Centred, config::RunningHead::Outer] {
        let mut config = config::load(folder, &config::Overrides::default()).expect("config");
        config.page.running_head = style;
        let diags = Diagnostics::new();
        let sources = pipeline::read(&config, false, &diags, &|_| {}).expect("posts");
        let set = pipeline::typeset(&config, &sources, &font_set(&config), &diags);
        let p = config.page;
        let (mut heads, mut folios) = (0, 0);
        for (i, page) in set.pages.pages.iter().enumerate() {
            let is_recto = i % 2 == 0;
            let (left, right) = (p.block_left(is_recto), p.block_left(is_recto) + p.measure());
            let rules = page.items.iter().filter(|item| {
                matches!(item, inkstone::layout::page::Item::Rule { from, .. } if from.1 < p.top)
            });
            for item in &page.items {
                let inkstone::layout::page::Item::Text(run) = item else {
                    continue;
                };
                let end = run.x + run.glyphs.iter().map(|g| g.x_advance).sum::<f32>();
                let (above, below) = (run.y < p.top, run.y > p.top + p.block_height());
                if !above && !below {
                    continue;
                }
                let width = end - run.x;
                let expected = match style {
                    config::RunningHead::Outer if is_recto => (right - width, right),
                    config::RunningHead::Outer => (left, left + width),
                    _ => {
                        let x = left + (p.measure() - width) / 2.0;
                        (x, x + width)
                    }
                };
                assert!(
                    (run.x - expected.0).abs() < 0.01 && (end - expected.1).abs() < 0.01,
                    "{style:?}, page {}: {:?} at {}..{end}, expected {expected:?}",
                    i + 1,
                    run.text,
                    run.x
                );
                if above {
                    heads += 1;
                } else {
                    folios += 1;
                }
            }
            let rules = rules.count();
            match style {
                config::RunningHead::Outer => assert_eq!(rules, 0, "page {}", i + 1),
                _ => assert!(rules <= 1),
            }
        }
        assert!(
            heads > 30 && folios > 30,
            "{style:?}: {heads} heads, {folios} folios"
        );
    }
}
