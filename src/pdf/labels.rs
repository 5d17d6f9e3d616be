//! PDF page labels: the page numbers a viewer shows, made to match the printed folios.

use crate::layout::page::PageLabel;

/// The label a viewer shows for one page: a numbering style and the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folio {
    Roman(u32),
    Arabic(u32),
}

impl Folio {
    fn from_label(label: &PageLabel) -> Option<Folio> {
        match *label {
            PageLabel::Roman(n) if n >= 1 => Some(Folio::Roman(n)),
            PageLabel::Arabic(n) if n >= 1 => Some(Folio::Arabic(n)),
            // 0 cannot be written as a PDF page label (its numbers start at 1).
            _ => None,
        }
    }

    fn number(self) -> u32 {
        match self {
            Folio::Roman(n) | Folio::Arabic(n) => n,
        }
    }

    fn with_number(self, n: u32) -> Folio {
        match self {
            Folio::Roman(_) => Folio::Roman(n),
            Folio::Arabic(_) => Folio::Arabic(n),
        }
    }
}

/// The viewer's label for every page.
///
/// A page whose folio is printed gets that folio. A page that prints none (an opening page, a
/// blank verso) still counts, as it does in the book: it continues the numbering of the last
/// page before it that has a folio (`… 11, [12], 13 …`). Pages before the first printed folio
/// count back from it in its style (`[i], [ii], iii`) where that stays at 1 or more; the
/// pages still left over (a cover before a folio `i`) get no label.
pub(crate) fn resolve(labels: &[Option<PageLabel>]) -> Vec<Option<Folio>> {
    let mut out = Vec::with_capacity(labels.len());
    let mut last: Option<(usize, Folio)> = None;
    for (i, label) in labels.iter().enumerate() {
        let own = label.as_ref().and_then(Folio::from_label);
        let folio = match (own, last) {
            (Some(f), _) => Some(f),
            (None, Some((at, f))) => {
                let distance = u32::try_from(i - at).ok();
                distance
                    .and_then(|d| f.number().checked_add(d))
                    .map(|n| f.with_number(n))
            }
            (None, None) => None,
        };
        if let Some(f) = own {
            last = Some((i, f));
        }
        out.push(folio);
    }
    // Count back from the first printed folio.
    if let Some(first) = out.iter().position(Option::is_some)
        && let Some(f) = out[first]
    {
        for (i, slot) in out[..first].iter_mut().enumerate() {
            let distance = u32::try_from(first - i).unwrap_or(u32::MAX);
            if let Some(n) = f.number().checked_sub(distance).filter(|n| *n >= 1) {
                *slot = Some(f.with_number(n));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnumbered_pages_continue_the_numbering() {
        let labels = [
            None,
            None,
            Some(PageLabel::Roman(3)),
            Some(PageLabel::Roman(4)),
            None,
            Some(PageLabel::Arabic(1)),
            None,
            Some(PageLabel::Arabic(3)),
            None,
        ];
        assert_eq!(
            resolve(&labels),
            vec![
                Some(Folio::Roman(1)),
                Some(Folio::Roman(2)),
                Some(Folio::Roman(3)),
                Some(Folio::Roman(4)),
                Some(Folio::Roman(5)),
                Some(Folio::Arabic(1)),
                Some(Folio::Arabic(2)),
                Some(Folio::Arabic(3)),
                Some(Folio::Arabic(4)),
            ]
        );
    }

    #[test]
    fn pages_before_folio_one_get_no_label() {
        let labels = [None, None, Some(PageLabel::Arabic(1)), None];
        assert_eq!(
            resolve(&labels),
            vec![None, None, Some(Folio::Arabic(1)), Some(Folio::Arabic(2))]
        );
        let labels = [None, Some(PageLabel::Arabic(2))];
        assert_eq!(
            resolve(&labels),
            vec![Some(Folio::Arabic(1)), Some(Folio::Arabic(2))]
        );
    }

    #[test]
    fn no_folios_no_labels() {
        assert_eq!(resolve(&[None, None]), vec![None, None]);
        assert_eq!(resolve(&[]), vec![]);
        // Folio 0 cannot be a PDF label: treated as unnumbered.
        assert_eq!(
            resolve(&[Some(PageLabel::Arabic(0)), Some(PageLabel::Arabic(1))]),
            vec![None, Some(Folio::Arabic(1))]
        );
    }
}
