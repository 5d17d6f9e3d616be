//! Front matter of a post (YAML, TOML or JSON, closed or not) on arbitrary text: an error is
//! fine, a panic is not; a body range that is returned must lie on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = inkstone::collect::front_matter::parse(&text, &jiff::tz::TimeZone::UTC) {
        // The caller slices the body out of the text: the range must be valid.
        assert!(text.get(parsed.body.clone()).is_some(), "body range {:?} not in text", parsed.body);
        assert!(parsed.body_line >= 1);
    }
});
