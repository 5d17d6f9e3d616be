//! Arbitrary Unicode text through the line breaker. Byte 0 picks the measure (1–40 em),
//! byte 1 the punctuation style and flags; the rest is the text. Every unit must be set in
//! exactly one line, in order, and no line may run past the measure unless it holds one unit.
#![no_main]

use inkstone::config::PunctuationStyle;
use inkstone::layout::linebreak::{Options, Unit, break_lines};
use libfuzzer_sys::fuzz_target;

fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x1100..=0x11FF | 0x2E80..=0x303F | 0x3040..=0x30FF | 0x3100..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFF)
}

fuzz_target!(|data: &[u8]| {
    let [measure_byte, flags, rest @ ..] = data else {
        return;
    };
    let em = 10.0_f32;
    let measure = (1 + *measure_byte as u32 % 40) as f32 * em;
    let style = match flags % 3 {
        0 => PunctuationStyle::Compressed,
        1 => PunctuationStyle::Kaiming,
        _ => PunctuationStyle::LineEndHalf,
    };
    let options = Options {
        measure,
        // A 2 em indent only where the first line still has room for the widest unit (1 em):
        // with a measure under 3 em no break could keep the first line inside it.
        first_indent: if flags & 0x04 != 0 && measure >= 3.0 * em { 2.0 * em } else { 0.0 },
        style,
        justify_last: flags & 0x08 != 0,
        ragged: flags & 0x10 != 0,
    };
    let text = String::from_utf8_lossy(rest);
    let units: Vec<Unit> = text
        .chars()
        .map(|ch| Unit {
            ch,
            width: if is_cjk(ch) { em } else { 0.5 * em },
            em,
        })
        .collect();
    let lines = break_lines(&units, &options);
    // Every unit in exactly one line, in order.
    let mut next = 0;
    for line in &lines {
        assert_eq!(line.units.start, next, "lines skip or repeat units: {lines:?}");
        assert!(line.units.end > line.units.start, "empty line: {lines:?}");
        assert_eq!(line.x.len(), line.units.len(), "one position per unit");
        next = line.units.end;
    }
    assert_eq!(next, units.len(), "units left unset: {lines:?}");
    // No line wider than the measure, unless it holds a single unit.
    for line in &lines {
        if line.units.len() > 1 {
            assert!(
                line.end <= measure + 0.01,
                "line {:?} ends at {} past the measure {measure}: {:?}",
                line.units,
                line.end,
                &units[line.units.clone()].iter().map(|u| u.ch).collect::<String>(),
            );
        }
    }
});
