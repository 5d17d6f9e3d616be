//! Dates: the text of a `date` or `updated` field, in Hexo's formats, as a time in the blog's
//! time zone.
//!
//! Owns the formats (those moment.js reads) and the conversion between zones; which field
//! holds a date and the words of the error are `fields`' business.

use jiff::ZonedDateTime;
use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};

/// Parses a date in Hexo's formats (those moment.js reads): `2025-10-30 07:17:59`,
/// `2013/7/13 20:46:25`, `2024-05-19`, `2024/5/19`, ISO 8601 with or without an offset or `Z`,
/// `2024-05-19T10:20`; seconds and fractions of a second are optional.
///
/// A civil time is taken to be in `tz`; a time with an offset is converted into `tz`.
pub fn parse_date(s: &str, tz: &TimeZone) -> Option<ZonedDateTime> {
    let mut scan = Scanner {
        bytes: s.trim().as_bytes(),
        pos: 0,
    };
    let date = scan.date()?;
    let time = scan.time()?;
    let offset = scan.offset()?;
    if scan.pos != scan.bytes.len() {
        return None;
    }
    let civil = date.to_datetime(time);
    match offset {
        Some(offset) => Some(
            offset
                .to_timestamp(civil)
                .ok()?
                .to_zoned_datetime(tz.clone()),
        ),
        None => tz.to_zoned_datetime(civil).ok(),
    }
}

/// A cursor over the bytes of a date.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// A number of `min` to `max` digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<i32> {
        let start = self.pos;
        let mut value = 0i32;
        let mut count = 0;
        while count < max {
            let Some(digit @ b'0'..=b'9') = self.peek() else {
                break;
            };
            value = value * 10 + i32::from(digit - b'0');
            self.pos += 1;
            count += 1;
        }
        if count < min {
            self.pos = start;
            return None;
        }
        Some(value)
    }

    fn skip_blanks(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `YYYY-M-D` or `YYYY/M/D` (one or two digits for month and day).
    fn date(&mut self) -> Option<Date> {
        let year = self.digits(4, 4)?;
        let sep = self.peek().filter(|b| matches!(b, b'-' | b'/'))?;
        self.pos += 1;
        let month = self.digits(1, 2)?;
        if !self.eat(sep) {
            return None;
        }
        let day = self.digits(1, 2)?;
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()
    }

    /// `THH:MM[:SS[.fff]]` or the same after blanks; midnight when the text ends here.
    fn time(&mut self) -> Option<Time> {
        if self.peek().is_none() {
            return Some(Time::midnight());
        }
        if !(self.eat(b'T') || self.eat(b't') || self.skip_blanks() > 0) {
            return None;
        }
        let hour = self.digits(1, 2)?;
        if !self.eat(b':') {
            return None;
        }
        let minute = self.digits(1, 2)?;
        let second = if self.eat(b':') {
            self.digits(1, 2)?
        } else {
            0
        };
        let nanos = if self.eat(b'.') || self.eat(b',') {
            self.fraction()?
        } else {
            0
        };
        Time::new(
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            nanos,
        )
        .ok()
    }

    /// Digits after a decimal point, as nanoseconds (past nine digits they are dropped).
    fn fraction(&mut self) -> Option<i32> {
        let start = self.pos;
        let mut nanos = 0i32;
        let mut scale = 100_000_000;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            nanos += i32::from(digit - b'0') * scale;
            scale /= 10;
            self.pos += 1;
        }
        (self.pos > start).then_some(nanos)
    }

    /// `Z`, `UTC`, `GMT`, `+08`, `+0800`, `+08:00` or `+8`, after optional blanks;
    /// `Some(None)` when there is none.
    fn offset(&mut self) -> Option<Option<Offset>> {
        self.skip_blanks();
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return Some(None);
        }
        if rest.eq_ignore_ascii_case(b"z")
            || rest.eq_ignore_ascii_case(b"utc")
            || rest.eq_ignore_ascii_case(b"gmt")
        {
            self.pos = self.bytes.len();
            return Some(Some(Offset::UTC));
        }
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.pos += 1;
        let hours = self.digits(1, 2)?;
        let minutes = if self.eat(b':') {
            self.digits(2, 2)?
        } else {
            self.digits(2, 2).unwrap_or(0)
        };
        Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
            .ok()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::front_matter::test_support::shanghai;

    /// A date as jiff writes it, e.g. `2024-05-19T10:00:00+08:00[Asia/Shanghai]`.
    fn date(s: &str) -> String {
        parse_date(s, &shanghai()).unwrap().to_string()
    }

    #[test]
    fn date_hexo_default_format() {
        assert_eq!(
            date("2025-10-30 07:17:59"),
            "2025-10-30T07:17:59+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_slashes_and_single_digits() {
        assert_eq!(
            date("2013/7/13 20:46:25"),
            "2013-07-13T20:46:25+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024/5/19"),
            "2024-05-19T00:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024-5-9 8:05"),
            "2024-05-09T08:05:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_only() {
        assert_eq!(
            date("2024-05-19"),
            "2024-05-19T00:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_iso_without_seconds() {
        assert_eq!(
            date("2024-05-19T10:20"),
            "2024-05-19T10:20:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_iso_civil() {
        assert_eq!(
            date("2024-05-19T10:20:30"),
            "2024-05-19T10:20:30+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_utc_is_converted() {
        assert_eq!(
            date("2024-05-19T02:00:00Z"),
            "2024-05-19T10:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024-05-19T02:00:00.000Z"),
            "2024-05-19T10:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_offsets_are_converted() {
        let expected = "2024-05-19T10:00:00+08:00[Asia/Shanghai]";
        assert_eq!(date("2024-05-19T10:00:00+8"), expected);
        assert_eq!(date("2024-05-19 02:00:00 +0"), expected);
        assert_eq!(date("2024-05-19T04:00:00+02:00"), expected);
        assert_eq!(date("2024-05-19T04:00:00+0200"), expected);
        assert_eq!(date("2024-05-19 04:00:00 +02"), expected);
        assert_eq!(date("2024-05-18T21:00:00-05:00"), expected);
        assert_eq!(date("2024-05-19 02:00:00 UTC"), expected);
    }

    #[test]
    fn date_fraction_of_second() {
        assert_eq!(
            date("2024-05-19T10:20:30.5"),
            "2024-05-19T10:20:30.5+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_in_another_zone() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let zdt = parse_date("2024-07-01 12:00:00", &tz).unwrap();
        assert_eq!(
            zdt.to_string(),
            "2024-07-01T12:00:00-04:00[America/New_York]"
        );
        let zdt = parse_date("2024-07-01T16:00:00Z", &tz).unwrap();
        assert_eq!(
            zdt.to_string(),
            "2024-07-01T12:00:00-04:00[America/New_York]"
        );
    }

    #[test]
    fn date_rejects_nonsense() {
        for s in [
            "tomorrow",
            "2024",
            "2024-13-01",
            "2024-02-30",
            "2024-05-19 25:00",
            "2024-05-19T10",
            "2024-05-19 10:00 +",
            "2024-05-19 10:00 +081",
            "2024-05/19",
            "24-05-19",
            "2024-05-19x",
            "",
        ] {
            assert_eq!(parse_date(s, &shanghai()), None, "{s:?}");
        }
    }
}
