//! `inkstone watch`: the book is built again after a change, and a post saved half-written
//! keeps the last good book until it is saved whole. No timing is asserted: each step waits
//! (up to a minute) for the line the command prints when it is done.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use common::blog::{Blog, book_file, epub_file, epub_files};
use common::inkstone;
use tempfile::TempDir;

/// The running `watch` and the lines of its standard error.
struct Watching {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(blog: &Blog, out: &TempDir) -> Watching {
        let mut child = inkstone()
            .args(["watch", "--format", "epub", "-o"])
            .arg(out.path())
            .arg(blog.root())
            .stderr(Stdio::piped())
            .spawn()
            .expect("inkstone watch starts");
        let stderr = child.stderr.take().expect("its standard error");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line holding `text`; the lines before it are kept for the message.
    fn wait_for(&mut self, text: &str) -> String {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!("no line with {text:?}; so far:\n{}", self.seen.join("\n")),
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_builds_again_after_a_change_and_keeps_the_last_good_book_after_a_broken_save() {
    let blog = Blog::new();
    let post = blog.post("a", "一篇", "第一句话。\n");
    let out = TempDir::new().expect("output folder");
    let mut watching = Watching::start(&blog, &out);
    watching.wait_for("wrote");
    watching.wait_for("watching");
    let epub = book_file(out.path(), "epub");
    let text_of = || epub_file(&epub_files(&epub), "post-0001.xhtml");
    assert!(text_of().contains("第一句话"));

    // A change to the post: built again, with the new text.
    let mut text = std::fs::read_to_string(&post).expect("the post");
    text.push_str("\n又加了一句。\n");
    std::fs::write(&post, &text).expect("save the post");
    watching.wait_for("changed: source/_posts/a.md");
    watching.wait_for("wrote");
    assert!(text_of().contains("又加了一句"));
    let good = std::fs::read(&epub).expect("the book");

    // A post saved half-written: reported at its line, and the book stays as it was.
    blog.raw("b.md", "---\ntitle: [半截\n---\n");
    let error = watching.wait_for("b.md:2");
    assert!(error.starts_with("error:"), "{error}");
    watching.wait_for("the books stay as they were");
    assert_eq!(std::fs::read(&epub).expect("the book"), good);

    // Saved whole: built again, with both posts.
    blog.raw(
        "b.md",
        "---\ntitle: 第二篇\ndate: 2020-02-02 10:00:00\n---\n\n后来补上的。\n",
    );
    watching.wait_for("changed: source/_posts/b.md");
    let summary = watching.wait_for("wrote");
    assert!(summary.contains("2 posts"), "{summary}");
}
