//! Throughput, scaling and memory figures for deboil.
//!
//! Run with `cargo bench --bench throughput` (the whole suite, with ripgrep,
//! grep and the command line, is `scripts/bench.sh`). The corpus is built at
//! run time from the raw documents of `../shared/corpus/*/cases` and
//! `../shared/eval/dev` (relative to the project root), repeated to size.
//!
//! Options (after `--`): `--mb N` stream size (default 100), `--runs N` timed
//! runs per figure, best kept (default 3), `--quick` (10 MB, 1 run, no memory
//! figure), `--checksum` (a digest of every corpus document's cleaned text and
//! removals, per mode and format: equal digests, equal output),
//! `--stream-only [--warm] [--aggressive]` (the text stream alone, for
//! profilers; `--warm` first compiles the regexes and cleans every document
//! once), `--write-corpus PATH` and `--write-phrases PATH` (write the corpus
//! or the built-in phrases and exit), `--write-jsonl PATH` (the documents as
//! JSON Lines records `{"id", "text"}`, `--mb` MB of them; `-` for standard
//! output), `--write-files DIR --count N` (N small Markdown files, each document
//! cut to at most 4 KB), `--clean-file PATH [--block-bytes N] [--write-cleaned OUT]`
//! (clean one file as a single text document, cut into blocks of N bytes, and
//! print the time; OUT gets the cleaned text), `--memory-child PATH` (internal:
//! clean a file and print the peak resident memory).

use deboil::{Engine, Format, Mode};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MB: usize = 1_000_000;

struct Options {
    mb: usize,
    runs: usize,
    memory: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: usize| {
        value(name)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(default)
    };
    if let Some(path) = value("--memory-child") {
        memory_child(Path::new(&path));
        return;
    }
    if let Some(path) = value("--clean-file") {
        let block_bytes = value("--block-bytes").and_then(|v| v.parse::<usize>().ok());
        let cleaned_to = value("--write-cleaned");
        clean_file(
            Path::new(&path),
            block_bytes,
            cleaned_to.as_deref().map(Path::new),
        );
        return;
    }
    if let Some(count) = value("--build-only").and_then(|v| v.parse::<u32>().ok()) {
        // Engine builds and nothing else: for profilers.
        let (mut built, mut dropped) = (Duration::ZERO, Duration::ZERO);
        for _ in 0..count {
            let start = Instant::now();
            let engine = std::hint::black_box(Engine::builtin());
            built += start.elapsed();
            let start = Instant::now();
            drop(engine);
            dropped += start.elapsed();
        }
        let each = |total: Duration| total.as_secs_f64() * 1e3 / f64::from(count.max(1));
        println!(
            "{:.1} ms per engine build, {:.1} ms per drop",
            each(built),
            each(dropped)
        );
        return;
    }
    let docs = load_corpus();
    if args.iter().any(|a| a == "--checksum") {
        checksum(&docs);
        return;
    }
    if let Some(path) = value("--write-phrases") {
        let engine = Engine::builtin();
        let mut text = engine.phrases().join("\n");
        text.push('\n');
        write(Path::new(&path), text.as_bytes());
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let options = Options {
        mb: number("--mb", if quick { 10 } else { 100 }),
        runs: number("--runs", if quick { 1 } else { 3 }).max(1),
        memory: !quick,
    };
    if let Some(dir) = value("--write-files") {
        write_files(&docs, Path::new(&dir), number("--count", 1000));
        return;
    }
    if let Some(path) = value("--write-jsonl") {
        write_jsonl(&docs, Path::new(&path), options.mb * MB);
        return;
    }
    if args.iter().any(|a| a == "--stream-only") {
        // One pass over the text stream, nothing else: for profilers.
        let (order, total) = stream(&docs, options.mb * MB);
        let engine = Engine::builder()
            .mode(if args.iter().any(|a| a == "--aggressive") {
                Mode::Aggressive
            } else {
                Mode::Default
            })
            .build()
            .expect("built-in packs");
        if args.iter().any(|a| a == "--warm") {
            warm_up(&engine, &docs);
        }
        let start = Instant::now();
        let removals = clean_stream(&engine, &docs, &order, Some(Format::Text));
        let time = start.elapsed();
        println!("{:.1} MB/s, {removals} removals", mb_per_s(total, time));
        return;
    }
    if let Some(path) = value("--write-corpus") {
        write(
            Path::new(&path),
            concatenated(&docs, options.mb * MB).as_bytes(),
        );
        return;
    }
    run_suite(&docs, &options);
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(error) = std::fs::write(path, bytes) {
        eprintln!("cannot write {}: {error}", path.display());
        std::process::exit(1);
    }
}

/// A raw document of the shared corpus and the format its case declares.
struct Doc {
    text: String,
    format: Format,
}

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The raw documents of every case file, in a fixed order.
fn load_corpus() -> Vec<Doc> {
    let shared = shared_dir();
    let mut files = Vec::new();
    let mut folders = vec![shared.join("eval/dev")];
    if let Ok(entries) = std::fs::read_dir(shared.join("corpus")) {
        folders.extend(entries.flatten().map(|e| e.path().join("cases")));
    }
    for folder in folders {
        if let Ok(entries) = std::fs::read_dir(&folder) {
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "case")),
            );
        }
    }
    files.sort();
    let docs: Vec<Doc> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|case| raw_document(&case))
        .filter(|d| !d.text.is_empty())
        .collect();
    if docs.is_empty() {
        eprintln!(
            "no case files found under {} (expected ../shared/corpus/*/cases and ../shared/eval/dev)",
            shared.display()
        );
        std::process::exit(1);
    }
    docs
}

/// The raw document of a case file (see `../shared/eval/FORMAT.md`).
fn raw_document(case: &str) -> Doc {
    let mut format = Format::Text;
    let mut text = String::with_capacity(case.len());
    let mut header = true;
    for line in case.lines() {
        if header && line.starts_with('#') {
            if line.trim_start_matches('#').trim() == "format: markdown" {
                format = Format::Markdown;
            }
            continue;
        }
        header = false;
        let body = line.split_once('\t').map_or("", |(_, t)| t);
        text.extend(body.chars().filter(|&c| c != '⟦' && c != '⟧'));
        text.push('\n');
    }
    Doc { text, format }
}

/// `count` small Markdown files: the documents in turn, each cut to at most 4 KB.
fn write_files(docs: &[Doc], dir: &Path, count: usize) {
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {}: {error}", dir.display());
        std::process::exit(1);
    }
    for i in 0..count {
        let text = &docs[i % docs.len()].text;
        let mut end = text.len().min(4000);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = text[..end].rfind('\n').map_or(end, |n| n + 1);
        write(&dir.join(format!("doc-{i:04}.md")), &text.as_bytes()[..cut]);
    }
}

/// The documents as JSON Lines records, at least `bytes` bytes of text in all.
fn write_jsonl(docs: &[Doc], path: &Path, bytes: usize) {
    use std::io::Write;
    let out: Box<dyn Write> = if path == Path::new("-") {
        Box::new(std::io::stdout().lock())
    } else {
        match std::fs::File::create(path) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("cannot write {}: {error}", path.display());
                std::process::exit(1);
            }
        }
    };
    let mut out = std::io::BufWriter::new(out);
    let (order, _) = stream(docs, bytes);
    for (id, i) in order.into_iter().enumerate() {
        let record = serde_json::json!({ "id": id, "text": docs[i].text });
        if writeln!(out, "{record}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// Indices of documents, cycling through the corpus until `bytes` are covered.
fn stream(docs: &[Doc], bytes: usize) -> (Vec<usize>, usize) {
    let mut order = Vec::new();
    let mut total = 0;
    while total < bytes {
        let i = order.len() % docs.len();
        total += docs[i].text.len();
        order.push(i);
    }
    (order, total)
}

/// The corpus as one text of at least `bytes` bytes, documents separated by a blank line.
fn concatenated(docs: &[Doc], bytes: usize) -> String {
    let (order, total) = stream(docs, bytes);
    let mut text = String::with_capacity(total + order.len());
    for i in order {
        text.push_str(&docs[i].text);
        text.push('\n');
    }
    text
}

/// Best of `runs` timings of `f`.
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The best time of `make`, without dropping what it made: an engine's teardown
/// is not part of its build (and a process that exits need not wait for it).
fn best_build<T>(runs: usize, mut make: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let made = std::hint::black_box(make());
            let time = start.elapsed();
            drop(made);
            time
        })
        .min()
        .unwrap_or_default()
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / MB as f64 / time.as_secs_f64()
}

/// Cleans the documents of a stream one by one; returns the number of removals.
/// Prints, per mode and format, a digest of every corpus document's cleaned text and
/// removals (rule, range): two builds that print the same lines clean the corpus
/// identically. For checking that a speed change changes no output.
fn checksum(docs: &[Doc]) {
    use std::hash::{Hash, Hasher};
    for mode in [Mode::Default, Mode::Aggressive] {
        let engine = Engine::builder()
            .mode(mode)
            .build()
            .expect("built-in packs");
        for format in [Format::Text, Format::Markdown] {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            let mut removals = 0;
            for doc in docs {
                let cleaned = engine.clean(&doc.text, format).expect("clean");
                cleaned.text().hash(&mut hasher);
                for removal in cleaned.removals() {
                    (&removal.rule, removal.start, removal.end).hash(&mut hasher);
                }
                removals += cleaned.removals().len();
            }
            println!(
                "{mode:?} {}: {removals} removals, digest {:016x}",
                format.name(),
                hasher.finish()
            );
        }
    }
}

/// Compiles the engine's regexes and cleans every document once, so that the timed
/// run meets the state a long-lived engine is in (regexes compiled, lazy-DFA caches
/// filled). Not `clean_stream`, so that a profiler can count that one alone
/// (`valgrind --tool=callgrind --toggle-collect='*clean_stream*'`).
fn warm_up(engine: &Engine, docs: &[Doc]) {
    engine.compile_all();
    for doc in docs {
        std::hint::black_box(
            engine
                .clean(&doc.text, Format::Text)
                .map(|c| c.removals().len())
                .ok(),
        );
    }
}

fn clean_stream(engine: &Engine, docs: &[Doc], order: &[usize], format: Option<Format>) -> usize {
    let mut removals = 0;
    for &i in order {
        let doc = &docs[i];
        match engine.clean(&doc.text, format.unwrap_or(doc.format)) {
            Ok(cleaned) => removals += cleaned.removals().len(),
            Err(error) => {
                eprintln!("clean failed: {error}");
                std::process::exit(1);
            }
        }
    }
    removals
}

fn row(name: &str, figure: String, note: &str) {
    println!("| {name} | {figure} | {note} |");
}

fn run_suite(docs: &[Doc], options: &Options) {
    let corpus_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let markdown = docs.iter().filter(|d| d.format == Format::Markdown).count();
    println!(
        "corpus: {} documents ({} Markdown), {:.1} MB, repeated to {} MB; best of {} runs\n",
        docs.len(),
        markdown,
        corpus_bytes as f64 / MB as f64,
        options.mb,
        options.runs
    );
    println!("| figure | value | note |");
    println!("| --- | --- | --- |");

    let build = best_build(options.runs.max(5), Engine::builtin);
    let default = Engine::builtin();
    row(
        "engine build, built-in packs",
        format!("{:.1} ms", build.as_secs_f64() * 1e3),
        &format!(
            "{} rules, {} phrases",
            default.rules().len(),
            default.phrases().len()
        ),
    );
    let aggressive = Engine::builder()
        .mode(Mode::Aggressive)
        .build()
        .unwrap_or_else(|e| fail(&e));

    let (order, total) = stream(docs, options.mb * MB);
    let mut removals = 0;
    let time = best(options.runs, || {
        removals = clean_stream(&default, docs, &order, Some(Format::Text));
    });
    row(
        "text, default mode, 1 thread",
        format!("{:.1} MB/s", mb_per_s(total, time)),
        &format!("{} documents, {} removals", order.len(), removals),
    );
    let time = best(options.runs, || {
        clean_stream(&aggressive, docs, &order, Some(Format::Text));
    });
    row(
        "text, aggressive mode, 1 thread",
        format!("{:.1} MB/s", mb_per_s(total, time)),
        "",
    );
    let time = best(options.runs, || {
        clean_stream(&default, docs, &order, Some(Format::Markdown));
    });
    row(
        "Markdown, default mode, 1 thread",
        format!("{:.1} MB/s", mb_per_s(total, time)),
        "every document read as Markdown",
    );
    html_pages(&default, options);

    // Scaling in input size: the same stream at a tenth of the size, and one document.
    let (small_order, small_total) = stream(docs, options.mb * MB / 10);
    let small = best(options.runs, || {
        clean_stream(&default, docs, &small_order, Some(Format::Text));
    });
    let large = best(options.runs, || {
        clean_stream(&default, docs, &order, Some(Format::Text));
    });
    row(
        &format!(
            "scaling, {} MB vs {} MB of documents",
            options.mb as f64 / 10.0,
            options.mb
        ),
        format!("{:.2}x the time", ratio(large, small)),
        &format!("{:.2}x the bytes", total as f64 / small_total.max(1) as f64),
    );
    let small_doc = concatenated(docs, options.mb * MB / 10);
    let large_doc = concatenated(docs, options.mb * MB);
    let one = |text: &str| {
        best(options.runs, || {
            if let Err(error) = default.clean(text, Format::Text) {
                fail(&error);
            }
        })
    };
    let (small, large) = (one(&small_doc), one(&large_doc));
    row(
        &format!(
            "scaling, one document of {} MB vs {} MB",
            options.mb as f64 / 10.0,
            options.mb
        ),
        format!("{:.2}x the time", ratio(large, small)),
        &format!(
            "{:.1} MB/s as one document",
            mb_per_s(large_doc.len(), large)
        ),
    );
    drop((small_doc, large_doc));

    // Scaling in rule count: the built-in packs plus 100 or 10,000 synthetic phrases.
    let words = vocabulary(docs);
    let mut times = Vec::new();
    for count in [100, 1_000, 10_000] {
        let pack = synthetic_pack(&words, count);
        let builder = Engine::builder().add_pack("synthetic.toml", &pack);
        let build = best_build(options.runs, || {
            builder.clone().build().unwrap_or_else(|e| fail(&e))
        });
        let engine = builder.build().unwrap_or_else(|e| fail(&e));
        row(
            &format!("engine build, built-in packs + {count} synthetic phrases"),
            format!("{:.1} ms", build.as_secs_f64() * 1e3),
            "",
        );
        let time = best(options.runs, || {
            clean_stream(&engine, docs, &small_order, Some(Format::Text));
        });
        times.push((count, engine.phrases().len(), time));
    }
    if let [(_, few, t_few), _, (_, many, t_many)] = times[..] {
        row(
            "scaling, +100 vs +10,000 synthetic phrases",
            format!("{:.2}x the time", ratio(t_many, t_few)),
            &format!(
                "{few} vs {many} phrases; {:.1} vs {:.1} MB/s",
                mb_per_s(small_total, t_few),
                mb_per_s(small_total, t_many)
            ),
        );
    }

    if options.memory {
        memory(docs, 200);
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn fail(error: &deboil::Error) -> ! {
    eprintln!("{error}");
    std::process::exit(1);
}

/// HTML pages per second over the corpus's saved pages, when the engine cleans HTML.
fn html_pages(engine: &Engine, options: &Options) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared_dir().join("corpus"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|e| {
            std::fs::read_dir(e.path().join("html"))
                .into_iter()
                .flatten()
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    let pages: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let html = deboil::HtmlOptions::default();
    if pages.is_empty() || pages.iter().any(|p| engine.clean_html(p, &html).is_err()) {
        row(
            "HTML, default mode, 1 thread",
            "not measured".to_string(),
            "no pages, or the engine does not clean HTML yet",
        );
        return;
    }
    let time = best(options.runs, || {
        for page in &pages {
            let _ = std::hint::black_box(engine.clean_html(page, &html));
        }
    });
    row(
        "HTML, default mode, 1 thread",
        format!("{:.0} pages/s", pages.len() as f64 / time.as_secs_f64()),
        &format!("{} pages, {:.1} MB/s", pages.len(), mb_per_s(bytes, time)),
    );
}

/// Distinct lower-case alphabetic words of the corpus, in first-seen order.
fn vocabulary(docs: &[Doc]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::new();
    for doc in docs {
        for word in doc.text.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() >= 3 && seen.insert(word.to_lowercase()) {
                words.push(word.to_lowercase());
            }
        }
    }
    words
}

/// A pack of `count` phrases of two to four corpus words in random order, ten
/// per rule: the automaton grows and its prefixes match real text, while whole
/// phrases rarely occur.
fn synthetic_pack(words: &[String], count: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut pack = String::from("name = \"synthetic\"\ncategory = \"promo\"\n");
    let mut seen = std::collections::HashSet::new();
    let mut made = 0;
    while made < count {
        if made % 10 == 0 {
            pack.push_str(&format!(
                "\n[[rule]]\nid = \"promo.synthetic-{}\"\nmax_words = 12\nphrases = [\n",
                made / 10
            ));
        }
        let length = 2 + next(3);
        let phrase: Vec<&str> = (0..length)
            .map(|_| words[next(words.len())].as_str())
            .collect();
        let phrase = phrase.join(" ");
        if !seen.insert(phrase.clone()) {
            continue;
        }
        pack.push_str(&format!("  '{phrase}',\n"));
        made += 1;
        if made % 10 == 0 || made == count {
            pack.push_str("]\n");
        }
    }
    pack
}

/// Peak memory of cleaning one text document of `mb` MB, measured in a child process.
fn memory(docs: &[Doc], mb: usize) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("deboil-bench-{mb}mb.txt"));
    let text = concatenated(docs, mb * MB);
    let size = text.len();
    write(&path, text.as_bytes());
    drop(text);
    let output = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .arg("--memory-child")
            .arg(&path)
            .output()
    });
    let _ = std::fs::remove_file(&path);
    let peak = output
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<usize>().ok());
    match peak {
        Some(kib) => row(
            &format!("peak memory, one {mb} MB text document"),
            format!("{:.0} MB", (kib * 1024) as f64 / MB as f64),
            &format!("{:.2}x its size", (kib * 1024) as f64 / size as f64),
        ),
        None => row(
            &format!("peak memory, one {mb} MB text document"),
            "not measured".to_string(),
            "needs /proc/self/status",
        ),
    }
}

/// Reads a file, cleans it as one text document, and prints the peak resident
/// set size in KiB (from `/proc/self/status`).
fn memory_child(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", path.display());
        std::process::exit(1);
    });
    let engine = Engine::builtin();
    match engine.clean(&text, Format::Text) {
        Ok(cleaned) => {
            std::hint::black_box(cleaned.text().len());
        }
        Err(error) => fail(&error),
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().trim_end_matches("kB").trim().to_string());
    match peak {
        Some(kib) => println!("{kib}"),
        None => std::process::exit(1),
    }
}

/// Cleans one file as a single text document and prints `seconds bytes removals`
/// (the time includes reading the file, as a scan by ripgrep or grep does).
fn clean_file(path: &Path, block_bytes: Option<usize>, cleaned_to: Option<&Path>) {
    let start = Instant::now();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", path.display());
        std::process::exit(1);
    });
    let mut limits = deboil::Limits::default();
    if let Some(bytes) = block_bytes {
        limits.block_bytes = bytes;
    }
    let engine = Engine::builder()
        .limits(limits)
        .build()
        .expect("built-in packs");
    let removals = match engine.clean(&text, Format::Text) {
        Ok(cleaned) => {
            if let Some(out) = cleaned_to {
                if let Err(e) = std::fs::write(out, cleaned.text()) {
                    eprintln!("cannot write {}: {e}", out.display());
                    std::process::exit(1);
                }
            }
            cleaned.removals().len()
        }
        Err(error) => fail(&error),
    };
    println!(
        "{:.4} {} {}",
        start.elapsed().as_secs_f64(),
        text.len(),
        removals
    );
}
