//! Chinese conventions both back ends print: numbering parts and chapters, writing dates.

/// 1 → 一, 12 → 十二, 21 → 二十一 (as in 第十二章); from 100 on, Arabic digits.
pub fn number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let unit = |d: usize| if d == 0 { "" } else { DIGITS[d] };
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", unit(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[n / 10], unit(n % 10)),
        _ => n.to_string(),
    }
}

/// `第三部` for the third part (1-based).
pub fn part_label(n: usize) -> String {
    format!("第{}部", number(n))
}

/// `第三章` for the third chapter (1-based).
pub fn chapter_label(n: usize) -> String {
    format!("第{}章", number(n))
}

/// `2024 年 5 月 19 日`
pub fn date(date: jiff::civil::Date) -> String {
    format!("{} 年 {} 月 {} 日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_chapter_titles() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (100, "100"),
        ];
        for (n, expected) in cases {
            assert_eq!(number(n), expected);
        }
    }

    #[test]
    fn dates_have_spaces_around_the_numbers() {
        assert_eq!(date(jiff::civil::date(2024, 5, 9)), "2024 年 5 月 9 日");
    }
}
