//! Finding one's way in the PDF: link annotations (web addresses and places in the book), the
//! outline of nested bookmarks, the page labels a viewer shows (the printed folios, worked
//! out in `labels`) and the document's metadata (title, author, language, date).
//!
//! Every place is a page and a height from its top; with bleed (and marks), places move by
//! the trim's `origin` on the media box, as the page content does.

use std::num::NonZeroU32;

use krilla::action::LinkAction;
use krilla::annotation::{LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::{Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as KrillaLabel};

use super::{PdfError, finite, labels};
use crate::layout::page::{DocumentMeta, Link, LinkTarget, OutlineEntry, Page, Pages};

/// Link and outline targets must name existing pages (krilla panics otherwise).
pub(super) fn check_targets(pages: &Pages) -> Result<(), PdfError> {
    let count = pages.pages.len();
    for (index, page) in pages.pages.iter().enumerate() {
        for link in &page.links {
            if let LinkTarget::Page { page: target, .. } = link.target
                && target >= count
            {
                return Err(PdfError::LinkPastEnd {
                    page: index + 1,
                    target: target + 1,
                    count,
                });
            }
        }
    }
    fn walk(entries: &[OutlineEntry], count: usize) -> Result<(), PdfError> {
        for entry in entries {
            if entry.page >= count {
                return Err(PdfError::BookmarkPastEnd {
                    title: entry.title.clone(),
                    target: entry.page + 1,
                    count,
                });
            }
            walk(&entry.children, count)?;
        }
        Ok(())
    }
    walk(&pages.outline, count)
}

/// The viewer's page label of every page, in order.
pub(super) fn page_labels(pages: &[Page]) -> Vec<KrillaLabel> {
    let labels: Vec<_> = pages.iter().map(|p| p.label.clone()).collect();
    labels::resolve(&labels)
        .into_iter()
        .map(krilla_label)
        .collect()
}

fn krilla_label(folio: Option<labels::Folio>) -> KrillaLabel {
    match folio {
        Some(labels::Folio::Roman(n)) => {
            KrillaLabel::new(Some(NumberingStyle::LowerRoman), None, NonZeroU32::new(n))
        }
        Some(labels::Folio::Arabic(n)) => {
            KrillaLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(n))
        }
        None => KrillaLabel::default(),
    }
}

/// The annotation of a link, or `None` for a link with no area or an empty address.
pub(super) fn link_annotation(link: &Link, origin: f32) -> Option<LinkAnnotation> {
    let (x, y, w, h) = (link.x, link.y, link.width, link.height);
    if !finite(&[x, y, w, h]) || w <= 0.0 || h <= 0.0 {
        return None;
    }
    let rect = Rect::from_xywh(x + origin, y + origin, w, h)?;
    let target = match &link.target {
        LinkTarget::Url(url) => {
            if url.is_empty() {
                return None;
            }
            Target::Action(LinkAction::new(uri_ascii(url)).into())
        }
        LinkTarget::Page { page, y } => Target::Destination(destination(*page, *y, origin).into()),
    };
    Some(LinkAnnotation::new(rect, target))
}

fn destination(page: usize, y: f32, origin: f32) -> XyzDestination {
    let y = if y.is_finite() { y.max(0.0) } else { 0.0 };
    XyzDestination::new(page, Point::from_xy(0.0, y + origin))
}

/// PDF URIs are 7-bit ASCII: percent-encode everything else (a Chinese path or query, a
/// space), leaving what is already ASCII as it is.
fn uri_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.as_bytes() {
        if b > 0x20 && b < 0x7F {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The bookmarks, top level open; `None` when the book has none.
pub(super) fn outline(entries: &[OutlineEntry], origin: f32) -> Option<Outline> {
    if entries.is_empty() {
        return None;
    }
    let mut outline = Outline::new();
    for entry in entries {
        outline.push_child(outline_node(entry, origin, true));
    }
    Some(outline)
}

fn outline_node(entry: &OutlineEntry, origin: f32, open: bool) -> OutlineNode {
    let mut node = OutlineNode::new(
        entry.title.clone(),
        destination(entry.page, entry.y, origin),
    )
    .with_open(open);
    for child in &entry.children {
        node.push_child(outline_node(child, origin, false));
    }
    node
}

pub(super) fn metadata(meta: &DocumentMeta) -> Metadata {
    let mut m = Metadata::new()
        .title(meta.title.clone())
        .creator(format!("inkstone {}", env!("CARGO_PKG_VERSION")))
        .producer("krilla".to_string());
    if let Some(author) = meta.author.as_ref().filter(|a| !a.is_empty()) {
        m = m.authors(vec![author.clone()]);
    }
    if let Some(subject) = meta.subject.as_ref().filter(|s| !s.is_empty()) {
        m = m.description(subject.clone());
    }
    if !meta.language.is_empty() {
        m = m.language(meta.language.clone());
    }
    if let Some(date) = meta.date.and_then(pdf_date) {
        m = m.creation_date(date);
    }
    m
}

/// The book's date as a PDF date. `DocumentMeta::date` carries no UTC offset; krilla writes
/// such a date as UTC.
fn pdf_date(d: jiff::civil::DateTime) -> Option<DateTime> {
    let year = u16::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let byte = |v: i8| u8::try_from(v).ok();
    Some(
        DateTime::new(year)
            .month(byte(d.month())?)
            .day(byte(d.day())?)
            .hour(byte(d.hour())?)
            .minute(byte(d.minute())?)
            .second(byte(d.second())?),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_ascii("https://a.b/c?d=e#f"), "https://a.b/c?d=e#f");
        assert_eq!(uri_ascii("https://a.b/中 x"), "https://a.b/%E4%B8%AD%20x");
    }

    #[test]
    fn dates() {
        let d = pdf_date(jiff::civil::date(2016, 5, 19).at(0, 0, 0, 0));
        assert_eq!(
            d,
            Some(
                DateTime::new(2016)
                    .month(5)
                    .day(19)
                    .hour(0)
                    .minute(0)
                    .second(0)
            )
        );
        assert_eq!(pdf_date(jiff::civil::date(-5, 1, 1).at(0, 0, 0, 0)), None);
    }
}
