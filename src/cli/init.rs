//! `inkstone init`: writes a commented book.toml for a blog from its `_config.yml` and the posts
//! found, never over one that exists.

use std::process::ExitCode;

use super::InitArgs;
use crate::collect::{self, Book};
use crate::config::{self, Config};
use crate::diag::Diagnostics;

pub fn run(args: &InitArgs) -> ExitCode {
    let path = args.path.join(config::BOOK_FILE);
    if path.exists() {
        eprintln!(
            "error: {} exists; inkstone init never overwrites it",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    let diags = Diagnostics::new();
    let book = config::load(&args.path, &config::Overrides::default())
        .map_err(crate::pipeline::Error::from)
        .and_then(|config| {
            let book = collect::collect(&config, &diags)?;
            Ok((config, book))
        });
    super::compile::print_diagnostics(&diags, false);
    let (config, book) = match book {
        Ok(found) => found,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match crate::output::write_atomically(&path, book_toml(&config, &book).as_bytes()) {
        Ok(()) => {
            eprintln!(
                "wrote {}: {} from {}; edit it, then run inkstone compile",
                path.display(),
                super::compile::count(book.divisions.len(), "part"),
                super::compile::count(book.posts.len(), "post")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The text of book.toml: the book's title and author, and its parts in their order with the
/// number of posts in each, every other setting shown commented out at its default.
fn book_toml(config: &Config, book: &Book) -> String {
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    let mut out = String::from(
        "# The book inkstone makes of this blog, written by `inkstone init` from _config.yml and\n\
         # the posts it found. Every setting is described in inkstone's README.\n\n[book]\n",
    );
    out.push_str(&format!("title = {}\n", quoted(&book.meta.title)));
    match &book.meta.author {
        Some(author) => out.push_str(&format!("author = {}\n", quoted(author))),
        None => out.push_str("# author = \"\"\n"),
    }
    out.push_str("# subtitle = \"\"\n# cover = \"cover.jpg\"           # PNG or JPEG; without one a cover is drawn\n");
    out.push_str("\n[structure]\n# The parts in this order; parts not named follow by their earliest post.\nparts = [\n");
    for part in &book.divisions {
        out.push_str(&format!(
            "  {},  # {}\n",
            quoted(&part.title),
            super::compile::count(part.post_count(), "post")
        ));
    }
    out.push_str("]\n");
    let others = config
        .structure
        .others
        .as_deref()
        .unwrap_or(crate::zh::OTHERS);
    out.push_str(&format!(
        "# others = {}               # the part of the posts without a category\n",
        quoted(others)
    ));
    out.push_str("# categories = \"front-matter\"  # or \"folders\", \"both\"\n");
    out.push_str(
        "\n[typography]\n# punctuation = \"compressed\"   # or \"kaiming\", \"line-end-half\"\n",
    );
    out.push_str(concat!(
        "\n[pdf]\n",
        "# profile = \"32k\"              # 32k-large, a5, 16k, 6x9; ereader-6, ereader-7, ereader-10\n",
        "# running_head = \"centred\"     # or \"outer\", \"none\"\n",
        "\n[back]\n",
        "# index = true                 # the index of tags at the end of the PDF\n",
        "# chronology = false           # the posts by date after it\n",
        "\n[cover]\n",
        "# paper = \"80g\"                # --cover: mm per leaf, or 60g, 70g, 80g, 100g\n",
        "\n[images]\n",
        "# max_side = 1600              # EPUB: longest side in pixels (0: full size)\n",
        "# dpi = 300                    # PDF: finest resolution where printed (0: the files)\n",
    ));
    out
}
