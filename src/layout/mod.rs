//! Layout: lines and pages. Typesets `Document`s to the rules of Chinese typography (clreq) on
//! the pages of a page profile, producing positioned glyphs for the PDF writer.
//!
//! Knows nothing of Hexo or of PDF syntax.

pub mod class;
pub mod linebreak;
pub mod page;
