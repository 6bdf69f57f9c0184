//! HTML front end: decoding, selectors, word boundaries, nested removal, the
//! text view, the serializer round trip, malformed and deeply nested input,
//! limits, and corpus fixtures as snapshots.

use deboil::{Engine, Error, Format, HtmlOptions, HtmlOutput, Mode, PackErrorKind};

fn options(output: HtmlOutput) -> HtmlOptions {
    HtmlOptions::with_output(output)
}

fn text_of(engine: &Engine, html: &str) -> String {
    engine
        .clean_html(html.as_bytes(), &options(HtmlOutput::Text))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_text()
}

/// An engine with only the given pack (no built-in rules).
fn engine_with(pack: &str, mode: Mode) -> Engine {
    Engine::builder()
        .builtin(false)
        .mode(mode)
        .add_pack("test.toml", &format!("name = \"test\"\n{pack}"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn selector_engine(selector: &str) -> Engine {
    engine_with(
        &format!("[[rule]]\nid = \"t.sel\"\ncategory = \"nav\"\nselector = {selector:?}\n"),
        Mode::Default,
    )
}

#[test]
fn decodes_declared_charsets_and_honours_an_override() {
    let cases: &[(&'static encoding_rs::Encoding, &str, &str)] = &[
        (encoding_rs::WINDOWS_1251, "windows-1251", "Привет, мир"),
        (encoding_rs::GBK, "gbk", "你好世界"),
        (encoding_rs::SHIFT_JIS, "shift_jis", "こんにちは世界"),
        (encoding_rs::WINDOWS_1256, "windows-1256", "مرحبا بالعالم"),
    ];
    let engine = engine_with("", Mode::Default);
    for (encoding, label, text) in cases {
        let page = format!(
            "<html><head><meta charset=\"{label}\"></head><body><p>{text}</p></body></html>"
        );
        let (bytes, _, _) = encoding.encode(&page);
        assert_eq!(
            text_of_bytes(&engine, &bytes, None),
            format!("{text}\n"),
            "{label}"
        );
        let page = format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\"></head><body><p>{text}</p></body></html>");
        let (bytes, _, _) = encoding.encode(&page);
        assert_eq!(
            text_of_bytes(&engine, &bytes, None),
            format!("{text}\n"),
            "{label} http-equiv"
        );
        // Undeclared: the override decides.
        let bare = format!("<p>{text}</p>");
        let (bytes, _, _) = encoding.encode(&bare);
        assert_eq!(
            text_of_bytes(&engine, &bytes, Some(label)),
            format!("{text}\n"),
            "{label} override"
        );
    }
    // A BOM beats the declaration; UTF-8 is the fallback.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice("<meta charset=windows-1251><p>Привет</p>".as_bytes());
    assert_eq!(text_of_bytes(&engine, &bom, None), "Привет\n");
    assert_eq!(
        text_of_bytes(&engine, "<p>héllo</p>".as_bytes(), None),
        "héllo\n"
    );
    let error = engine
        .clean_html(
            b"<p>x</p>",
            &HtmlOptions {
                encoding: Some("klingon".into()),
                ..HtmlOptions::default()
            },
        )
        .unwrap_err();
    assert!(matches!(error, Error::Input(_)), "{error}");
}

fn text_of_bytes(engine: &Engine, bytes: &[u8], encoding: Option<&str>) -> String {
    let options = HtmlOptions {
        output: HtmlOutput::Text,
        encoding: encoding.map(str::to_string),
        ..HtmlOptions::default()
    };
    engine.clean_html(bytes, &options).unwrap().into_text()
}

/// Every selector form, on elements it must and must not match.
#[test]
fn selector_forms() {
    let cases: &[(&str, &str, bool)] = &[
        ("aside", "<aside>Menu</aside>", true),
        ("aside", "<div>Menu</div>", false),
        ("#promo", "<div id=\"promo\">Menu</div>", true),
        ("#promo", "<div id=\"promotion\">Menu</div>", false),
        (".banner", "<div class=\"x banner\">Menu</div>", true),
        (".banner", "<div class=\"bannerless\">Menu</div>", false),
        ("[data-ad]", "<div data-ad=\"1\">Menu</div>", true),
        ("[data-ad]", "<div data-add=\"1\">Menu</div>", false),
        (
            "[data-kind=promo]",
            "<div data-kind=\"PROMO\">Menu</div>",
            true,
        ),
        (
            "[data-kind=promo]",
            "<div data-kind=\"promos\">Menu</div>",
            false,
        ),
        (
            "[data-kind*=rom]",
            "<div data-kind=\"promo\">Menu</div>",
            true,
        ),
        (
            "[data-kind*=rom]",
            "<div data-kind=\"pro\">Menu</div>",
            false,
        ),
        ("[id^=gpt-]", "<div id=\"gpt-top\">Menu</div>", true),
        ("[id^=gpt-]", "<div id=\"top-gpt-\">Menu</div>", false),
        ("[id$=-ad]", "<div id=\"top-ad\">Menu</div>", true),
        (
            "[role=navigation]",
            "<div role=\"navigation\">Menu</div>",
            true,
        ),
        ("[role=navigation]", "<div role=\"main\">Menu</div>", false),
        (
            "div.box[role=note]",
            "<div class=\"box\" role=\"note\">Menu</div>",
            true,
        ),
        (
            "div.box[role=note]",
            "<span class=\"box\" role=\"note\">Menu</span>",
            false,
        ),
        ("div.box[role=note]", "<div class=\"box\">Menu</div>", false),
        (
            ".outer .inner",
            "<div class=\"outer\"><section><p class=\"inner\">Menu</p></section></div>",
            true,
        ),
        (".outer .inner", "<div class=\"inner\">Menu</div>", false),
        (
            "section .a p",
            "<section><div class=\"a\"><p>Menu</p></div></section>",
            true,
        ),
        (
            "section .a p",
            "<div class=\"a\"><section><p>Menu</p></section></div>",
            false,
        ),
        ("nav, .crumbs", "<div class=\"crumbs\">Menu</div>", true),
        ("*[hidden]", "<div hidden>Menu</div>", true),
    ];
    for (selector, snippet, expected) in cases {
        let engine = selector_engine(selector);
        let page = format!("<html><body><p>Body text stays.</p>{snippet}</body></html>");
        let cleaned = engine
            .clean_html(page.as_bytes(), &options(HtmlOutput::Text))
            .unwrap();
        let fired = cleaned.removals().iter().any(|r| r.rule == "t.sel");
        assert_eq!(fired, *expected, "{selector} on {snippet}");
        assert!(cleaned.text().contains("Body text stays."));
        assert_eq!(
            cleaned.text().contains("Menu"),
            !expected,
            "{selector} on {snippet}"
        );
    }
}

#[test]
fn class_words_match_on_word_boundaries() {
    let engine = selector_engine(".ad");
    let cases: &[(&str, bool)] = &[
        ("ad", true),
        ("ad-slot", true),
        ("sidebar_ad", true),
        ("topAd", true),
        ("add-to-cart", false),
        ("header", false),
        ("load", false),
        ("badge", false),
    ];
    for (class, expected) in cases {
        let page = format!("<body><p>Body.</p><div class=\"{class}\">Thing</div></body>");
        let text = text_of(&engine, &page);
        assert_eq!(!text.contains("Thing"), *expected, "class={class}");
    }
}

#[test]
fn a_state_word_before_a_class_word_does_not_match() {
    let engine = selector_engine(".sharing");
    for (class, expected) in [
        ("post-sharing", true),
        ("has-sharing", false),
        ("no-sharing", false),
    ] {
        let page = format!("<body><p>Body.</p><div class=\"{class}\">Thing</div></body>");
        let text = text_of(&engine, &page);
        assert_eq!(!text.contains("Thing"), expected, "class={class}");
    }
}

#[test]
fn an_ad_class_on_a_section_of_prose_does_not_remove_it() {
    let engine = Engine::builtin();
    let prose = "The grill reaches its top temperature in four minutes, and the steak, seared \
                 for ninety seconds a side, comes out with a crust that a pan rarely gives. \
                 Cleaning takes longer: the drip tray and the grate go in the sink, the heating \
                 element must be wiped by hand, and the glass door needs a scraper. At its \
                 price it is still the best grill of the test for a small balcony, and the one \
                 we would buy again.";
    let page = format!(
        "<body><article><h1>Grill review</h1><p>Intro of the review, long enough to read.</p>\
         <section class=\"Review__Section Review__Section--Ads\"><h2>Verdict</h2><p>{prose}</p></section>\
         <div class=\"ad-slot\"><img src=\"banner.png\"><span>Advertisement</span></div>\
         </article></body>"
    );
    let text = text_of(&engine, &page);
    assert!(text.contains("Cleaning takes longer"), "{text}");
    assert!(!text.contains("Advertisement"), "{text}");
}

#[test]
fn bad_selectors_fail_at_load_with_file_and_line() {
    let cases: &[(&str, PackErrorKind)] = &[
        ("div > p", PackErrorKind::InvalidSelector),
        ("a:hover", PackErrorKind::InvalidSelector),
        ("[class", PackErrorKind::InvalidSelector),
        ("", PackErrorKind::InvalidSelector),
    ];
    for (selector, kind) in cases {
        let error = Engine::builder()
            .builtin(false)
            .add_pack(
                "packs/html.toml",
                &format!("name = \"x\"\n[[rule]]\nid = \"bad.sel\"\ncategory = \"nav\"\nselector = {selector:?}\n"),
            )
            .build()
            .unwrap_err();
        let pack = error.as_pack_error().unwrap_or_else(|| panic!("{error}"));
        assert_eq!(pack.kind, *kind, "{error}");
        assert_eq!(pack.location.line, 5, "{error}");
        assert!(
            error.to_string().starts_with("packs/html.toml:5:"),
            "{error}"
        );
        assert_eq!(pack.rule.as_deref(), Some("bad.sel"));
    }
    let error = Engine::builder()
        .builtin(false)
        .add_pack("p.toml", "name = \"x\"\n[[rule]]\nid = \"both\"\ncategory = \"nav\"\nselector = \"nav\"\nphrases = [\"menu\"]\n")
        .build()
        .unwrap_err();
    assert_eq!(
        error.as_pack_error().map(|e| e.kind),
        Some(PackErrorKind::InvalidValue)
    );
}

#[test]
fn text_engines_ignore_selector_rules() {
    let engine = selector_engine("p");
    let cleaned = engine.clean("nav p div\n", Format::Text).unwrap();
    assert!(!cleaned.is_changed());
}

#[test]
fn keep_selectors_protect_content() {
    let engine = engine_with(
        "[[rule]]\nid = \"t.nav\"\ncategory = \"nav\"\nselector = \"nav, .sidebar\"\n[[rule]]\nid = \"t.keep\"\ncategory = \"nav\"\naction = \"keep\"\nselector = \".toc\"\n",
        Mode::Default,
    );
    let text = text_of(
        &engine,
        "<body><nav class=\"toc\">Contents</nav><div class=\"sidebar\"><p class=\"toc\">Chapter list</p></div><nav>Menu</nav><p>Body.</p></body>",
    );
    assert_eq!(text, "Contents\n\nChapter list\n\nBody.\n");
}

const ARTICLE: &str = "<html><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
<article><h1>Rates hold</h1>\
<p>The central bank kept rates unchanged on Friday, citing cooling inflation, a steady labour market and slower credit growth.</p>\
<p>Get the BTCC app to start your crypto journey</p>\
<p>Analysts had expected the decision, which follows two cuts earlier in the year, and markets barely moved.</p>\
<ul><li>Inflation: 2.1%</li><li>Unemployment: 4.0%</li></ul></article>\
<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a></div>\
<footer>Example News, 1 Harbour Street, Portsmouth</footer></body></html>";

#[test]
fn a_promo_paragraph_inside_the_article_goes_and_the_article_stays() {
    let engine = Engine::builtin();
    let cleaned = engine
        .clean_html(ARTICLE.as_bytes(), &options(HtmlOutput::Html))
        .unwrap();
    let html = cleaned.text();
    assert!(html.contains("<article><h1>Rates hold</h1>"), "{html}");
    assert!(html.contains("kept rates unchanged"));
    assert!(html.contains("markets barely moved"));
    assert!(!html.contains("BTCC"), "{html}");
    assert!(!html.contains("Share on Facebook"));
    assert!(!html.contains("<nav>"));
    let promo = cleaned
        .removals()
        .iter()
        .find(|r| r.text.contains("BTCC"))
        .expect("the promo is reported");
    assert_eq!(promo.element.as_deref(), Some("body > article > p"));
    assert_eq!(promo.rule, "app-banner.get-the-app");
    let nav = cleaned
        .removals()
        .iter()
        .find(|r| r.rule == "html.nav")
        .unwrap();
    assert_eq!(nav.element.as_deref(), Some("body > nav"));
    // Default mode keeps what is neither a rule's match nor structure: the footer.
    assert!(html.contains("1 Harbour Street"));
}

#[test]
fn removal_offsets_refer_to_the_text_view() {
    let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
    let cleaned = engine
        .clean_html(ARTICLE.as_bytes(), &options(HtmlOutput::Html))
        .unwrap();
    let (view, cleaned_view) = cleaned.text_view().unwrap();
    let mut rebuilt = String::new();
    let mut cursor = 0;
    for removal in cleaned.removals() {
        assert!(removal.start >= cursor);
        assert_eq!(&view[removal.range()], removal.text);
        rebuilt.push_str(&view[cursor..removal.start]);
        cursor = removal.end;
    }
    rebuilt.push_str(&view[cursor..]);
    assert_eq!(rebuilt, cleaned_view);
    assert!(cleaned.unified_diff().contains("-Get the BTCC app"));
    // Aggressive: the footer is page chrome.
    assert!(!cleaned.text().contains("1 Harbour Street"));
    assert!(!cleaned_view.contains("Home"));
}

#[test]
fn text_view_has_one_line_per_block_and_lists_as_items() {
    let engine = engine_with("", Mode::Default);
    let html = "<body><h2>Title</h2><p>First <b>bold</b>   paragraph\n continues.</p><p>Second<br>line two</p>\
<ul><li>one</li><li><p>two</p><p>more</p></li></ul><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>\
<pre>code  line 1\n  code line 2</pre><div>tail</div></body>";
    assert_eq!(
        text_of(&engine, html),
        "Title\n\nFirst bold paragraph continues.\n\nSecond\nline two\n\n- one\n- two\n\nmore\n\na b\nc d\n\ncode  line 1\n  code line 2\n\ntail\n"
    );
    let markdown = engine
        .clean_html(html.as_bytes(), &options(HtmlOutput::Markdown))
        .unwrap()
        .into_text();
    assert!(
        markdown.starts_with("## Title\n\nFirst bold paragraph continues.\n"),
        "{markdown}"
    );
    assert!(markdown.contains("- one\n- two\n"), "{markdown}");
    assert!(markdown.contains("    code  line 1\n"), "{markdown}");
}

#[test]
fn scripts_styles_and_hidden_elements_are_not_text() {
    let engine = Engine::builtin();
    let text = text_of(
        &engine,
        "<head><title>T</title><style>p{}</style></head><body><script>var x=1;</script><p>Seen.</p>\
<div style=\"display: none\">Unseen</div><p hidden>Also unseen</p><span aria-hidden=\"true\">icon</span><template>Later</template></body>",
    );
    assert_eq!(text, "Seen.\n");
}

#[test]
fn an_untouched_page_round_trips_through_the_serializer() {
    let engine = engine_with("", Mode::Default);
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>T &amp; U</title></head>\
<body><!-- note --><p class=\"a\" data-x='1 &quot;2&quot;'>Text &lt;b&gt; <b>bold</b><br>é</p><img src=\"x.png\" alt=\"\"></body></html>";
    let once = engine
        .clean_html(page.as_bytes(), &options(HtmlOutput::Html))
        .unwrap();
    assert!(!once.is_changed());
    assert_eq!(
        once.text(),
        page.replace("'1 &quot;2&quot;'", "\"1 &quot;2&quot;\"")
    );
    let twice = engine
        .clean_html(once.text().as_bytes(), &options(HtmlOutput::Html))
        .unwrap();
    assert_eq!(twice.text(), once.text());
    // The library's HTML routing through `clean` gives the same.
    let routed = engine.clean(page, Format::Html).unwrap();
    assert_eq!(routed.text(), once.text());
}

#[test]
fn malformed_html_is_parsed_like_a_browser_would() {
    let engine = engine_with("", Mode::Default);
    let cases: &[(&str, &str)] = &[
        ("<p>one<p>two", "one\n\ntwo\n"),
        ("<div><span>open</div>after</span>", "open\nafter\n"),
        ("</div></p>stray<b><i>mis</b>nested</i>", "straymisnested\n"),
        (
            "<table><td>cell<p>para</table>tail",
            "cell\n\npara\n\ntail\n",
        ),
        (
            "<p>a &amp b &lt; c &#x41; &bogus;</p>",
            "a & b < c A &bogus;\n",
        ),
        ("<<<>>>< p>x", "<<<>>>< p>x\n"),
        ("", ""),
        ("\u{0}\u{1}<p>\u{FFFD}</p>", "\u{1}\n\n\u{FFFD}\n"),
    ];
    for (html, expected) in cases {
        assert_eq!(text_of(&engine, html), *expected, "{html:?}");
    }
    // Invalid UTF-8 is replaced, not an error.
    let options = HtmlOptions {
        output: HtmlOutput::Text,
        ..HtmlOptions::default()
    };
    let cleaned = engine.clean_html(b"<p>ok \xff\xfe</p>", &options).unwrap();
    assert_eq!(cleaned.text(), "ok \u{FFFD}\u{FFFD}\n");
}

/// 100,000 nested elements in a thread with the default 2 MiB stack: parsing,
/// every walk, serializing and dropping are iterative.
#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let depth = 100_000;
            let mut page = String::with_capacity(depth * 13 + 64);
            page.push_str("<body>");
            for _ in 0..depth {
                page.push_str("<span>");
            }
            page.push_str("deep text");
            let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
            let options = HtmlOptions {
                max_depth: depth + 10,
                ..HtmlOptions::default()
            };
            let html = engine.clean_html(page.as_bytes(), &options).unwrap();
            assert!(html.text().contains("deep text"));
            let text = engine
                .clean_html(
                    page.as_bytes(),
                    &HtmlOptions {
                        output: HtmlOutput::Text,
                        ..options
                    },
                )
                .unwrap();
            assert_eq!(text.text(), "deep text\n");
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

/// The parser's tree is taken apart as it is copied: a copy that stops at a
/// limit deep inside a page, and a deep template (whose contents are not
/// copied), must still be dropped without recursion.
#[test]
fn a_deep_page_stopped_at_a_limit_or_holding_a_deep_template_drops_without_recursion() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let depth = 100_000;
            let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
            let deep = format!("<body>{}deep text", "<span>".repeat(depth));
            for options in [
                HtmlOptions {
                    max_depth: 1_000,
                    ..HtmlOptions::default()
                },
                HtmlOptions {
                    max_nodes: 5_000,
                    ..HtmlOptions::default()
                },
            ] {
                assert!(matches!(
                    engine.clean_html(deep.as_bytes(), &options),
                    Err(Error::Limit { .. })
                ));
            }
            let template = format!(
                "<body><p>Shown text.</p><template>{}hidden</template>",
                "<span>".repeat(depth)
            );
            for output in [HtmlOutput::Html, HtmlOutput::Text] {
                let cleaned = engine
                    .clean_html(template.as_bytes(), &options(output))
                    .unwrap();
                assert!(cleaned.text().contains("Shown text."));
            }
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

#[test]
fn node_and_depth_limits_are_clear_errors() {
    let engine = engine_with("", Mode::Default);
    let page = "<div>".repeat(60);
    let depth = HtmlOptions {
        max_depth: 50,
        ..HtmlOptions::default()
    };
    let nodes = HtmlOptions {
        max_nodes: 20,
        ..HtmlOptions::default()
    };
    for (options, expected, expected_limit) in [
        (depth, "HTML nesting depth", 50),
        (nodes, "HTML element count", 20),
    ] {
        match engine.clean_html(page.as_bytes(), &options) {
            Err(Error::Limit { what, limit, .. }) => {
                assert_eq!((what, limit), (expected, expected_limit));
            }
            other => panic!("expected a limit error, got {other:?}"),
        }
    }
    let small = Engine::builder()
        .limits(deboil::Limits {
            max_input_bytes: 10,
            ..deboil::Limits::default()
        })
        .build()
        .unwrap();
    assert!(matches!(
        small.clean_html(page.as_bytes(), &HtmlOptions::default()),
        Err(Error::Limit { .. })
    ));
}

/// Corpus pages (see `tests/fixtures/html/README.md`): the main text in
/// aggressive mode, and the removals report.
#[test]
fn corpus_fixtures() {
    let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4);
    for name in names {
        let bytes = std::fs::read(folder.join(&name)).unwrap();
        let cleaned = engine
            .clean_html(&bytes, &options(HtmlOutput::Text))
            .unwrap();
        let stem = name.trim_end_matches(".html");
        insta::assert_snapshot!(format!("html_text_{stem}"), cleaned.text());
        let report: Vec<String> = cleaned
            .removals()
            .iter()
            .map(|r| {
                let excerpt: String = r.text.chars().take(60).collect();
                format!(
                    "{} {} {:?}",
                    r.rule,
                    r.element.as_deref().unwrap_or(""),
                    excerpt
                )
            })
            .collect();
        insta::assert_snapshot!(format!("html_removals_{stem}"), report.join("\n"));
        // HTML output keeps the content too.
        let html = engine
            .clean_html(&bytes, &options(HtmlOutput::Html))
            .unwrap();
        let first_line = cleaned
            .text()
            .lines()
            .find(|l| l.len() > 40)
            .unwrap_or_default();
        let probe: String = first_line.chars().take(20).collect();
        assert!(
            html.text()
                .contains(probe.split('&').next().unwrap_or_default()),
            "{name}: {probe}"
        );
    }
}

/// Regression: in aggressive mode the short-edge-line rule took the lines of a
/// `<pre>` block at the end of an article (a tmux configuration).
#[test]
fn preformatted_code_is_never_matched_by_text_rules() {
    let page = "<html><body><article><h1>Mouse support in tmux</h1>\
<p>Scrolling with the mouse wheel in tmux needs one option, and copying to the system clipboard needs another one.</p>\
<p>Both go into the configuration file in your home folder, and take effect after the server restarts.</p>\
<p>The two lines below are all it takes on a recent version of tmux, whatever the terminal.</p>\
<pre>set-option -g mouse on\nset-option -s set-clipboard off</pre></article></body></html>";
    let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
    let cleaned = engine
        .clean_html(page.as_bytes(), &options(HtmlOutput::Text))
        .unwrap();
    assert!(
        cleaned
            .text()
            .contains("set-option -g mouse on\nset-option -s set-clipboard off"),
        "{}",
        cleaned.text()
    );
}
