//! Layout: lines and pages. Typesets `Document`s to the rules of Chinese typography (clreq) on
//! the pages of a page profile, producing positioned glyphs for the PDF writer.
//!
//! Knows nothing of Hexo or of PDF syntax; takes its page profile and punctuation style from
//! `config`.

pub mod book;
pub mod class;
pub mod code;
pub mod flow;
pub mod linebreak;
pub mod math;
pub mod page;
pub mod paragraph;
pub mod text;
