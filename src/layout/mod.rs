//! Layout: lines and pages. Typesets `Document`s to the rules of Chinese typography (clreq) on
//! the pages of a page profile, producing positioned glyphs for the PDF writer.
//!
//! Knows nothing of Hexo or of PDF syntax.

pub mod book;
pub mod class;
pub mod flow;
pub mod linebreak;
pub mod page;
pub mod paragraph;
pub mod profile;
pub mod text;
