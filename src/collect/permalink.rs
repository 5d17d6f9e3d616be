//! A post's address on the blog, computed as Hexo does from the `permalink` pattern, so that
//! links written against the website (`/posts/abc123/`) can point inside the book.

use crate::config::Site;

/// Expands Hexo's permalink pattern (`:year/:month/:day/:title/`, `posts/:abbrlink/`, …) for
/// one post and normalises it (see [`normalise_url_path`]).
pub fn url_path(
    site: &Site,
    slug: &str,
    title: &str,
    date: &jiff::ZonedDateTime,
    category: &[String],
    abbrlink: Option<&str>,
) -> String {
    let name = slug.rsplit('/').next().unwrap_or(slug);
    let values: [(&str, String); 14] = [
        (":year", format!("{:04}", date.year())),
        (":month", format!("{:02}", date.month())),
        (":i_month", date.month().to_string()),
        (":day", format!("{:02}", date.day())),
        (":i_day", date.day().to_string()),
        (":hour", format!("{:02}", date.hour())),
        (":minute", format!("{:02}", date.minute())),
        (":second", format!("{:02}", date.second())),
        (":title", slug.to_string()),
        (":name", name.to_string()),
        (":post_title", title.to_string()),
        (":category", category.join("/")),
        (":abbrlink", abbrlink.unwrap_or(name).to_string()),
        (":id", name.to_string()),
    ];
    let mut out = String::new();
    let pattern = site.permalink.as_str();
    let mut rest = pattern;
    'outer: while !rest.is_empty() {
        if rest.starts_with(':') {
            // Longest placeholder first: `:i_month` before `:id`, `:post_title` before `:title`.
            let mut best: Option<&(&str, String)> = None;
            for entry in &values {
                if rest.starts_with(entry.0) && best.is_none_or(|b| entry.0.len() > b.0.len()) {
                    best = Some(entry);
                }
            }
            if let Some((key, value)) = best {
                out.push_str(value);
                rest = &rest[key.len()..];
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    normalise_url_path(&out, site)
}

/// Reduces any link to the blog itself to a comparable path: the site's URL and root removed,
/// no query or fragment, no `index.html`, no `.html`, no slashes at either end.
/// `https://example.com/blog/posts/abc/index.html#top` → `posts/abc`.
pub fn normalise_url_path(link: &str, site: &Site) -> String {
    let mut path = link.trim();
    let url = site.url.trim_end_matches('/');
    if !url.is_empty() {
        if let Some(rest) = path.strip_prefix(url) {
            path = rest;
        } else if let Some(rest) = strip_scheme_insensitive(path, url) {
            path = rest;
        }
    }
    path = path.split(['#', '?']).next().unwrap_or("");
    let root = site.root.trim_matches('/');
    let mut path = path.trim_start_matches('/');
    if !root.is_empty()
        && let Some(rest) = path.strip_prefix(root)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        path = rest.trim_start_matches('/');
    }
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".html").unwrap_or(path);
    percent_decode(path)
}

/// `http://` and `https://` name the same blog.
fn strip_scheme_insensitive<'a>(link: &'a str, url: &str) -> Option<&'a str> {
    let host = |s: &str| s.split_once("://").map(|(_, rest)| rest.to_string());
    let (link_host, url_host) = (host(link)?, host(url)?);
    if link_host.starts_with(&url_host) {
        let skip = link.len() - link_host.len() + url_host.len();
        link.get(skip..)
    } else {
        None
    }
}

/// Links in Markdown are often percent-encoded (`%E4%B8%AD`); file names are not.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(Ok(byte)) = s.get(i + 1..i + 3).map(|hex| u8::from_str_radix(hex, 16))
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(permalink: &str) -> Site {
        Site {
            permalink: permalink.into(),
            url: "https://example.com".into(),
            ..Site::default()
        }
    }

    fn date() -> jiff::ZonedDateTime {
        jiff::civil::datetime(2024, 5, 9, 8, 3, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn default_pattern_uses_date_and_slug() {
        let path = url_path(
            &site(":year/:month/:day/:title/"),
            "hello",
            "Hello",
            &date(),
            &[],
            None,
        );
        assert_eq!(path, "2024/05/09/hello");
    }

    #[test]
    fn abbrlink_and_short_dates() {
        let s = site("posts/:abbrlink/");
        assert_eq!(
            url_path(&s, "x", "X", &date(), &[], Some("a1b2")),
            "posts/a1b2"
        );
        let s = site(":i_month/:i_day/:name.html");
        assert_eq!(url_path(&s, "dir/x", "X", &date(), &[], None), "5/9/x");
    }

    #[test]
    fn links_to_the_site_normalise_alike() {
        let s = site("posts/:abbrlink/");
        for link in [
            "/posts/a1b2/",
            "posts/a1b2",
            "https://example.com/posts/a1b2/index.html",
            "http://example.com/posts/a1b2/#top",
        ] {
            assert_eq!(normalise_url_path(link, &s), "posts/a1b2", "{link}");
        }
        assert_eq!(
            normalise_url_path("/article/%E4%B8%AD.html", &s),
            "article/中"
        );
    }
}
