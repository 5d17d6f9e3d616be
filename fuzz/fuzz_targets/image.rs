//! Arbitrary bytes as an image file of a post: recognising the format, reading the header
//! (size, JPEG segments, EXIF orientation), the full check with its decoding limits, and the
//! conversion for e-readers. Nothing may panic, and an image that passed the check must
//! convert.

#![no_main]

use inkstone::images::{check, format, screen};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = format::sniff(data);
    let _ = format::dimensions(data);
    let _ = format::jpeg_facts(data);
    let _ = format::jpeg_orientation(data);
    let _ = format::describe_unknown(data);
    if let Ok(checked) = check::check(data) {
        if let Err(e) = screen::for_screen(data.to_vec(), checked.format) {
            panic!("{checked:?} passed the check but cannot be converted: {e}");
        }
    }
});
