//! Issue 5, the images row: every kind of image file a ten-year-old blog holds, damaged or
//! odd, goes through both books, shown, converted or replaced by its alt text with a warning
//! naming the post, the line and the file; and remote images, fetched only when asked.
//!
//! The PDF side reads the book with `pdfimages` (poppler-utils) and the EPUB side is checked
//! with EPUBCheck; without them those parts print that they skipped (and fail under CI=true).

mod common;

use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::blog::{
    Blog, book_file, epub_entries, epub_file, epub_files, line_containing, success,
};
use common::{epubcheck_verdict, find_tool, stderr};
use image::{ImageFormat, Rgb, RgbImage};

// =============================================================================================
// making images
// =============================================================================================

fn encoded(image: &image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode test image");
    out
}

/// A small picture with something in it (a gradient), so every format has real data.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 120])
    })
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height).into(), ImageFormat::Png)
}

fn baseline_jpeg(width: u16, height: u16) -> Vec<u8> {
    jpeg(width, height, false, jpeg_encoder::ColorType::Rgb)
}

fn jpeg(width: u16, height: u16, progressive: bool, color: jpeg_encoder::ColorType) -> Vec<u8> {
    let channels = if color == jpeg_encoder::ColorType::Cmyk {
        4
    } else {
        3
    };
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height))
        .flat_map(|i| {
            let v = (i % 251) as u8;
            [v, 255 - v, 90, 30].into_iter().take(channels)
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.set_progressive(progressive);
    encoder
        .encode(&pixels, width, height, color)
        .expect("encode jpeg");
    out
}

/// The PNG CRC (ISO 3309), to make a header that claims what we want and is still valid.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A real PNG whose header says `width` × `height`: a decompression bomb's header.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut data = png(4, 4);
    data[16..20].copy_from_slice(&width.to_be_bytes());
    data[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&data[12..29]);
    data[29..33].copy_from_slice(&crc.to_be_bytes());
    data
}

fn animated_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .expect("repeat");
        for shade in [40u8, 200] {
            let frame = image::RgbaImage::from_pixel(30, 20, image::Rgba([shade, 80, 160, 255]));
            encoder
                .encode_frame(image::Frame::new(frame))
                .expect("gif frame");
        }
    }
    out
}

fn png_16_bit() -> Vec<u8> {
    let deep = image::ImageBuffer::<image::Rgb<u16>, _>::from_fn(40, 30, |x, y| {
        image::Rgb([(x * 1600) as u16, (y * 2100) as u16, 40_000])
    });
    encoded(&image::DynamicImage::ImageRgb16(deep), ImageFormat::Png)
}

fn webp() -> Vec<u8> {
    encoded(&picture(36, 24).into(), ImageFormat::WebP)
}

const SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='60' \
                   viewBox='0 0 120 60'><rect width='120' height='60' fill='#c33'/>\
                   <circle cx='60' cy='30' r='20' fill='#fff'/>\
                   <text x='8' y='55' font-family='Arial' font-size='10'>矢量图示</text></svg>";

// =============================================================================================
// reading the books
// =============================================================================================

/// The image files inside an EPUB, by name, as bytes.
fn epub_images(epub: &Path) -> Vec<(String, Vec<u8>)> {
    epub_entries(epub)
        .into_iter()
        .filter(|(name, _)| name.contains("/images/img-"))
        .collect()
}

/// The XHTML of the EPUB's first post.
fn first_post_page(epub: &Path) -> String {
    epub_file(&epub_files(epub), "post-0001.xhtml")
}

/// `pdfimages -list`: one row per image, split into its columns (page, num, type, width,
/// height, color, comp, bpc, …); `None` after the CI rule when poppler-utils is missing.
fn pdf_images(pdf: &Path) -> Option<Vec<Vec<String>>> {
    let tool = find_tool("pdfimages", "apt-get install poppler-utils")?;
    let output = Command::new(tool)
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("run pdfimages");
    assert!(output.status.success(), "pdfimages: {}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    Some(
        text.lines()
            .skip(2)
            .map(|l| l.split_whitespace().map(String::from).collect())
            .collect(),
    )
}

/// A PNG stored in the book shows exactly the pixels of the file (it may be recompressed).
fn assert_same_pixels(stored: &[u8], file: &[u8]) {
    let pixels = |bytes: &[u8]| image::load_from_memory(bytes).expect("decodes").to_rgba16();
    assert!(
        stored.len() <= file.len(),
        "{} bytes for {}",
        stored.len(),
        file.len()
    );
    assert!(pixels(stored) == pixels(file), "the pixels changed");
}

fn assert_epubcheck_clean(epub: &Path) {
    if let Some(Err(report)) = epubcheck_verdict(epub) {
        panic!("{report}");
    }
}

// =============================================================================================
// damaged files
// =============================================================================================

#[test]
fn damaged_and_oversized_images_become_their_alt_text_with_a_warning_in_both_books() {
    let blog = Blog::new();
    let whole_png = png(60, 40);
    let whole_jpeg = baseline_jpeg(64, 48);
    let cases: [(&str, &str, Vec<u8>, &str); 7] = [
        ("empty.png", "空文件", Vec::new(), "the file is empty"),
        (
            "corrupt.png",
            "坏数据",
            {
                let mut bytes = whole_png.clone();
                for b in &mut bytes[40..] {
                    *b ^= 0x5A;
                }
                bytes
            },
            "PNG data cannot be decoded",
        ),
        (
            "cut.png",
            "截断的PNG",
            whole_png[..whole_png.len() * 2 / 3].to_vec(),
            "PNG data cannot be decoded",
        ),
        (
            "cut.jpg",
            "截断的JPEG",
            whole_jpeg[..whole_jpeg.len() / 2].to_vec(),
            "JPEG is cut short",
        ),
        (
            "huge.png",
            "三万像素",
            png_claiming(30_000, 30_000),
            "30000 × 30000 pixels it is too large",
        ),
        (
            "page.png",
            "错存的网页",
            b"<!DOCTYPE html><html><body>404 Not Found</body></html>".to_vec(),
            "an HTML or XML file",
        ),
        (
            "scripted.svg",
            "带脚本的SVG",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "<script>",
        ),
    ];
    let mut body = String::from("开头一段。\n\n");
    for (name, alt, bytes, _) in &cases {
        blog.file(&format!("source/images/{name}"), bytes);
        body.push_str(&format!("![{alt}](/images/{name})\n\n"));
    }
    body.push_str("![完好的图](/images/fine.png)\n");
    blog.file("source/images/fine.png", &whole_png);
    let post = blog.post("damaged", "坏图", &body);

    let (output, out) = blog.run(&[]);
    success(&output);
    let err = stderr(&output);
    // Each file is named once, at the post's line that uses it, with what is wrong.
    for (name, _, _, reason) in &cases {
        let line = line_containing(&post, name);
        let at = format!(
            "{}:{line}: image source/images/{name} cannot be shown",
            post.display()
        );
        let found: Vec<&str> = err.lines().filter(|l| l.contains(&at)).collect();
        assert_eq!(
            found.len(),
            1,
            "one warning for {name} at line {line}:\n{err}"
        );
        assert!(found[0].contains(reason), "{name}: {}", found[0]);
    }
    assert!(
        !err.contains("fine.png"),
        "the whole image is not reported:\n{err}"
    );

    // EPUB: only the whole image is stored; every other one is its alt text.
    let epub = book_file(out.path(), "epub");
    let stored = epub_images(&epub);
    assert_eq!(
        stored.len(),
        1,
        "{:?}",
        stored.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    assert_same_pixels(&stored[0].1, &whole_png);
    let page = first_post_page(&epub);
    for (_, alt, _, _) in &cases {
        assert!(page.contains(&format!("图片缺失：{alt}")), "{alt}: {page}");
    }
    assert!(!page.contains("alert(1)"), "{page}");
    assert_epubcheck_clean(&epub);

    // PDF: one image drawn, the others printed as their alt text.
    let pdf = book_file(out.path(), "pdf");
    if let Some(list) = pdf_images(&pdf) {
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!((list[0][3].as_str(), list[0][4].as_str()), ("60", "40"));
    }
}

// =============================================================================================
// formats that work, converted where e-readers need it
// =============================================================================================

#[test]
fn webp_animated_gif_cmyk_and_progressive_jpeg_16_bit_png_and_svg_are_shown() {
    let blog = Blog::new();
    let files: [(&str, Vec<u8>); 6] = [
        ("photo.webp", webp()),
        ("moving.gif", animated_gif()),
        (
            "print.jpg",
            jpeg(50, 40, false, jpeg_encoder::ColorType::Cmyk),
        ),
        (
            "progressive.jpg",
            jpeg(70, 50, true, jpeg_encoder::ColorType::Rgb),
        ),
        ("deep.png", png_16_bit()),
        ("drawing.svg", SVG.as_bytes().to_vec()),
    ];
    let mut body = String::from("各种格式的图。\n\n");
    for (name, bytes) in &files {
        blog.file(&format!("source/images/{name}"), bytes);
        body.push_str(&format!("![{name}](/images/{name})\n\n"));
    }
    blog.post("formats", "格式", &body);
    let (output, out) = blog.run(&[]);
    success(&output);
    let err = stderr(&output);
    assert!(!err.contains("cannot be shown"), "{err}");
    assert!(!err.contains("gray box"), "{err}");

    // EPUB: six images; WebP became PNG (lossless) and the CMYK JPEG an RGB one.
    let epub = book_file(out.path(), "epub");
    let stored = epub_images(&epub);
    let names: Vec<&str> = stored.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(stored.len(), 6, "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(".webp")), "{names:?}");
    let kinds: Vec<&str> = names.iter().filter_map(|n| n.rsplit('.').next()).collect();
    assert_eq!(kinds, ["png", "gif", "jpg", "jpg", "png", "svg"]);
    let converted = image::load_from_memory(&stored[0].1).expect("converted WebP decodes");
    assert_eq!((converted.width(), converted.height()), (36, 24));
    let rgb = &stored[2].1;
    let rgb_image = image::load_from_memory(rgb).expect("converted JPEG decodes");
    assert_eq!(rgb_image.color(), image::ColorType::Rgb8);
    assert_eq!((rgb_image.width(), rgb_image.height()), (50, 40));
    assert_eq!(
        stored[1].1, files[1].1,
        "the GIF goes in as it is, every frame"
    );
    assert_eq!(
        stored[3].1, files[3].1,
        "the progressive JPEG goes in as it is"
    );
    // The 16-bit PNG keeps its pixels (recompressed losslessly).
    assert_same_pixels(&stored[4].1, &files[4].1);
    assert_eq!(stored[5].1, files[5].1, "the SVG goes in as it is");
    assert_epubcheck_clean(&epub);

    // PDF: the five raster images drawn; the CMYK photo stays CMYK for print.
    let pdf = book_file(out.path(), "pdf");
    if let Some(list) = pdf_images(&pdf) {
        let rows: Vec<(String, String, String)> = list
            .iter()
            .filter(|r| r.get(2).is_some_and(|t| t == "image"))
            .map(|r| (r[3].clone(), r[4].clone(), r[5].clone()))
            .collect();
        let sizes: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        assert_eq!(
            sizes,
            [
                ("36", "24"),
                ("30", "20"),
                ("50", "40"),
                ("70", "50"),
                ("40", "30")
            ]
        );
        assert_eq!(rows[2].2, "cmyk", "{rows:?}");
    }
    // The SVG is drawn as vectors, its text set in a book font, so it reads back as text.
    if let Some(tool) = find_tool("pdftotext", "apt-get install poppler-utils") {
        let output = Command::new(tool)
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("run pdftotext");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("矢量图示"), "{text}");
    }
}

// =============================================================================================
// remote images
// =============================================================================================

/// A web server on the loopback address for one test: serves `files` by path, 404 for the
/// rest, counts the requests; it answers 64 requests at most and ends with the test binary.
struct Server {
    address: String,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn start(files: Vec<(&'static str, Vec<u8>)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        std::thread::spawn(move || {
            // A bounded number of connections; each answered and closed.
            for stream in listener.incoming().take(64) {
                let Ok(mut stream) = stream else { break };
                let mut reader = BufReader::new(stream.try_clone().expect("stream"));
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                // The rest of the request head.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let path = request_line.split_whitespace().nth(1).unwrap_or("/");
                let found = files.iter().find(|(p, _)| *p == path);
                let (status, body): (&str, &[u8]) = match found {
                    Some((_, bytes)) => ("200 OK", bytes),
                    None => ("404 Not Found", b"not found"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            }
        });
        Server { address, requests }
    }
}

#[test]
fn remote_images_are_fetched_only_when_asked_and_then_read_from_the_cache() {
    let photo = png(48, 32);
    let server = Server::start(vec![
        ("/photo.png", photo.clone()),
        ("/login.png", b"<html>please log in</html>".to_vec()),
    ]);
    let blog = Blog::new();
    let body = format!(
        "远程的图：\n\n![远程照片]({0}/photo.png)\n\n![不在了的图]({0}/gone.png)\n\n\
         ![要登录的图]({0}/login.png)\n",
        server.address
    );
    let post = blog.post("remote", "远程", &body);

    // Not asked: nothing is downloaded.
    let (output, out) = blog.run(&["--format", "epub"]);
    success(&output);
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
    assert!(epub_images(&book_file(out.path(), "epub")).is_empty());

    // Asked: the photo is in the book, the missing one stays a link with a warning.
    let (output, out) = blog.run(&["--format", "epub", "--fetch-images"]);
    success(&output);
    let err = stderr(&output);
    let line = line_containing(&post, "gone.png");
    let gone = format!(
        "{}:{line}: cannot download image {}/gone.png",
        post.display(),
        server.address
    );
    assert!(err.contains(&gone), "{err}");
    assert!(err.contains("404"), "{err}");
    // A download that is no image is named by its address, at its line.
    let line = line_containing(&post, "login.png");
    let not_image = format!(
        "{}:{line}: image {}/login.png cannot be shown: it is an HTML or XML file",
        post.display(),
        server.address
    );
    assert!(err.contains(&not_image), "{err}");
    let epub = book_file(out.path(), "epub");
    let stored = epub_images(&epub);
    assert_eq!(stored.len(), 1);
    assert_same_pixels(&stored[0].1, &photo);
    let page = first_post_page(&epub);
    assert!(
        page.contains(&format!("{}/gone.png", server.address)),
        "{page}"
    );
    assert_epubcheck_clean(&epub);
    let cache = blog.root().join(".inkstone-cache/images");
    let cached: Vec<_> = std::fs::read_dir(&cache).expect("cache folder").collect();
    assert_eq!(
        cached.len(),
        2,
        "the photo and the page are cached, not the 404"
    );
    let first_book = std::fs::read(&epub).expect("epub");
    let asked = server.requests.load(Ordering::SeqCst);
    assert_eq!(asked, 3);

    // Again: the photo comes from the cache, the same book is written.
    let (output, again) = blog.run(&["--format", "epub", "--fetch-images"]);
    success(&output);
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        asked + 1,
        "only gone.png is asked again"
    );
    assert_eq!(
        std::fs::read(book_file(again.path(), "epub")).expect("epub"),
        first_book
    );
}

#[test]
fn a_server_that_does_not_answer_is_asked_once_and_its_images_stay_links() {
    // A port nothing listens on any more: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let server = format!("127.0.0.1:{port}");
    let blog = Blog::new();
    blog.post(
        "dead",
        "死链",
        &format!("![第一张](http://{server}/a.png)\n\n![第二张](http://{server}/b.png)\n"),
    );
    let (output, out) = blog.run(&["--format", "epub", "--fetch-images"]);
    success(&output);
    let err = stderr(&output);
    let warning = |name: &str| {
        err.lines()
            .find(|l| l.contains(&format!("cannot download image http://{server}/{name}")))
            .unwrap_or_else(|| panic!("no warning for {name}:\n{err}"))
            .to_string()
    };
    assert!(!warning("a.png").contains("did not answer"), "{err}");
    assert!(
        warning("b.png").contains(&format!("{server} did not answer")),
        "{err}"
    );
    let page = first_post_page(&book_file(out.path(), "epub"));
    for name in ["a.png", "b.png"] {
        assert!(page.contains(&format!("http://{server}/{name}")), "{page}");
    }
}

// =============================================================================================
// images sized for their book
// =============================================================================================

/// A noisy 12-megapixel photo (4000 × 3000), as a camera writes it: a large JPEG.
fn camera_photo() -> Vec<u8> {
    let photo = RgbImage::from_fn(4000, 3000, |x, y| {
        Rgb([
            (x * 7 % 251) as u8,
            (y * 13 % 241) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&photo)
        .expect("encode photo");
    out
}

/// A 3000 × 2000 screenshot: flat areas, a few colours, lines of "text".
fn screenshot() -> Vec<u8> {
    let shot = RgbImage::from_fn(3000, 2000, |x, y| match (x / 300, y % 40) {
        (0, _) => Rgb([40, 44, 52]),
        (_, 0..=9) if (x / 7) % 3 != 0 => Rgb([200, 120, 40]),
        _ => Rgb([250, 250, 250]),
    });
    encoded(&shot.into(), ImageFormat::Png)
}

#[test]
fn a_camera_photo_is_scaled_for_each_book_and_the_original_is_untouched() {
    let blog = Blog::new();
    let photo = camera_photo();
    let shot = screenshot();
    let photo_path = blog.file("source/images/camera.jpg", &photo);
    blog.file("source/images/screen.png", &shot);
    blog.post(
        "photos",
        "照片",
        "一张相机拍的照片。\n\n![照片](/images/camera.jpg)\n\n一张截图。\n\n![截图](/images/screen.png)\n",
    );
    let (output, out) = blog.run(&[]);
    success(&output);
    assert_eq!(
        std::fs::read(&photo_path).expect("photo"),
        photo,
        "original changed"
    );
    let err = stderr(&output);
    let saving = err
        .lines()
        .find(|l| l.starts_with("images: "))
        .unwrap_or_else(|| panic!("no image saving in the summary:\n{err}"));
    assert!(saving.contains("2 made smaller for the EPUB"), "{saving}");
    assert!(
        saving.contains("scaled to the PDF's resolution"),
        "{saving}"
    );

    // EPUB: both within 1600 px on the long side, the photo still a JPEG, the screenshot a
    // PNG; together far smaller than the files.
    let epub = book_file(out.path(), "epub");
    let stored = epub_images(&epub);
    assert_eq!(stored.len(), 2);
    let sizes: Vec<(u32, u32)> = stored
        .iter()
        .map(|(_, bytes)| {
            let image = image::load_from_memory(bytes).expect("stored image decodes");
            (image.width(), image.height())
        })
        .collect();
    assert_eq!(sizes, [(1600, 1200), (1600, 1067)]);
    assert!(stored[0].0.ends_with(".jpg") && stored[1].0.ends_with(".png"));
    let stored_bytes: usize = stored.iter().map(|(_, b)| b.len()).sum();
    assert!(
        stored_bytes * 2 < photo.len() + shot.len(),
        "{stored_bytes} of {}",
        photo.len() + shot.len()
    );
    assert_epubcheck_clean(&epub);

    // PDF: the photo printed the measure's width, at no more than 300 dpi.
    let pdf = book_file(out.path(), "pdf");
    let Some(rows) = pdf_images(&pdf) else {
        return;
    };
    let images: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == "image").collect();
    assert_eq!(images.len(), 2, "{rows:?}");
    for row in images {
        // Columns: page num type width height color comp bpc enc interp object ID x-ppi y-ppi
        let (x_ppi, y_ppi): (f32, f32) = (row[12].parse().unwrap(), row[13].parse().unwrap());
        assert!(x_ppi <= 301.0 && y_ppi <= 301.0, "{row:?}");
        assert!(x_ppi >= 250.0, "scaled too far: {row:?}");
    }
}

#[test]
fn the_image_limits_are_settings() {
    let blog = Blog::new();
    blog.file("source/images/camera.jpg", camera_photo());
    blog.post("photo", "照片", "照片。\n\n![照片](/images/camera.jpg)\n");
    blog.file(
        "book.toml",
        "[images]\nmax_side = 800   # the EPUB\ndpi = 150        # the PDF\n",
    );
    let (output, out) = blog.run(&[]);
    success(&output);
    let stored = epub_images(&book_file(out.path(), "epub"));
    let image = image::load_from_memory(&stored[0].1).expect("decodes");
    assert_eq!((image.width(), image.height()), (800, 600));
    let Some(rows) = pdf_images(&book_file(out.path(), "pdf")) else {
        return;
    };
    let x_ppi: f32 = rows[0][12].parse().unwrap();
    assert!((140.0..=151.0).contains(&x_ppi), "{:?}", rows[0]);
}
