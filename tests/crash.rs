//! `fix` is crash-safe: killed with SIGKILL at random moments over 2,000
//! files, every file is afterwards either byte-identical to its original or
//! fully cleaned, never partial and never missing; temporary files a killed
//! run leaves are removed by the next run. Files that cannot be written are
//! reported and left untouched while the rest are processed.
//!
//! The tests run as root, where permission bits do not stop a write, so the
//! unwritable folder is a read-only bind mount made inside a private mount
//! namespace (`unshare -m`), which disappears with the process.
#![cfg(all(unix, feature = "cli"))]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

const FILES: usize = 2_000;
const KILLS: usize = 20;
const FOLDERS: usize = 10;

const BOILERPLATE: [&str; 5] = [
    "Get $50 free to trade crypto when you sign up to Bybit now",
    "Get the BTCC app to start your crypto journey",
    "Share on Facebook | X | Telegram",
    "Home / News / Markets",
    "Scan to join our 100M+ users",
];

/// A small deterministic generator (no dependency needed for test noise).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_deboil")
}

/// Relative path -> contents of the 2,000 original files: most carry some
/// boilerplate, some are already clean, some use CRLF, some lack a final newline.
fn originals() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut rng = Lcg(7);
    let mut files = BTreeMap::new();
    for i in 0..FILES {
        let ending = if i % 7 == 0 { "\r\n" } else { "\n" };
        let mut lines: Vec<String> = Vec::new();
        if rng.below(4) != 0 {
            lines.push(BOILERPLATE[rng.below(5) as usize].to_string());
            lines.push(String::new());
        }
        lines.push(format!(
            "Document {i}: markets rallied on Friday as inflation cooled."
        ));
        lines.push(String::new());
        for p in 0..(1 + rng.below(20)) {
            lines.push(format!(
                "Paragraph {p} of document {i} explains the story in plain words, with enough text to be content."
            ));
            lines.push(String::new());
        }
        if rng.below(3) != 0 {
            lines.push(BOILERPLATE[rng.below(5) as usize].to_string());
        }
        let mut text = lines.join(ending);
        if i % 11 != 0 {
            text.push_str(ending);
        }
        let path = PathBuf::from(format!("f{:02}/doc{i:04}.txt", i % FOLDERS));
        files.insert(path, text.into_bytes());
    }
    files
}

fn write_all(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, contents) in files {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(&full, contents).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Every file under `root`, relative path -> contents.
fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .to_path_buf();
                files.insert(relative, fs::read(&path).unwrap_or_else(|e| panic!("{e}")));
            }
        }
    }
    files
}

fn fix(root: &Path) -> std::process::Output {
    Command::new(bin())
        .arg("fix")
        .arg(root)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fix_killed_at_random_moments_leaves_every_file_whole() {
    let originals = originals();
    // The expected result: one uninterrupted run.
    let reference = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_all(reference.path(), &originals);
    let started = Instant::now();
    let output = fix(reference.path());
    let full_run = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let expected = read_tree(reference.path());
    assert_eq!(expected.len(), FILES, "fix left extra or missing files");
    let changed = originals
        .iter()
        .filter(|(path, contents)| expected[*path] != **contents)
        .count();
    assert!(changed > FILES / 2, "only {changed} files had boilerplate");

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    eprintln!("seed {seed}, an uninterrupted run took {full_run:?}");
    let mut rng = Lcg(seed);
    let window = full_run.as_micros() as u64 + 1;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut interrupted, mut strays_seen) = (0, 0);
    for kill in 0..KILLS {
        write_all(dir.path(), &originals);
        let mut child = Command::new(bin())
            .arg("fix")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        if status.code().is_none() {
            interrupted += 1;
        }

        let after = read_tree(dir.path());
        let mut fixed = 0;
        for (path, original) in &originals {
            let Some(now) = after.get(path) else {
                panic!("kill {kill} (seed {seed}): {} is missing", path.display());
            };
            if now == &expected[path] {
                fixed += usize::from(now != original);
            } else {
                assert!(
                    now == original,
                    "kill {kill} (seed {seed}): {} is neither the original nor fully cleaned",
                    path.display()
                );
            }
        }
        let strays: Vec<&PathBuf> = after
            .keys()
            .filter(|p| !originals.contains_key(*p))
            .collect();
        for stray in &strays {
            let name = stray.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(
                name.starts_with(".deboil-") && name.ends_with(".tmp"),
                "kill {kill}: unexpected file {}",
                stray.display()
            );
        }
        strays_seen += strays.len();
        eprintln!(
            "kill {kill}: {fixed} of {changed} files fixed, {} temporary files left",
            strays.len()
        );

        // The next run finishes the job and removes what the killed one left.
        let output = fix(dir.path());
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert_eq!(
            read_tree(dir.path()),
            expected,
            "kill {kill} (seed {seed}): the run after the kill did not finish the job cleanly"
        );
    }
    eprintln!("{interrupted} of {KILLS} runs were killed mid-way; {strays_seen} temporary files cleaned up");
    assert!(
        interrupted > 0,
        "no run was interrupted: the kill window is wrong"
    );
}

/// Runs `fix` with `read_only` (a folder inside `root`) bind-mounted read-only
/// in a private mount namespace.
fn fix_with_read_only_folder(root: &Path, read_only: &Path) -> std::process::Output {
    Command::new("unshare")
        .args(["-m", "sh", "-c"])
        .arg(r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" fix "$3""#)
        .arg("sh")
        .arg(read_only)
        .arg(bin())
        .arg(root)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("unshare is needed for this test: {e}"))
}

#[test]
fn unwritable_files_are_reported_untouched_and_the_rest_fixed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    let body = "Body text of the article, long enough to be content.\n\nGet the BTCC app to start your crypto journey\n";
    let mut files = BTreeMap::new();
    for folder in ["rw", "ro"] {
        for i in 0..3 {
            files.insert(
                PathBuf::from(format!("{folder}/doc{i}.txt")),
                body.as_bytes().to_vec(),
            );
        }
    }
    write_all(root, &files);
    let output = fix_with_read_only_folder(root, &root.join("ro"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("mount:") && !stderr.contains("unshare:"),
        "could not make a read-only mount (needs root and unshare): {stderr}"
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let after = read_tree(root);
    assert_eq!(
        after.len(),
        files.len(),
        "stray or missing files: {:?}",
        after.keys()
    );
    for (path, original) in &files {
        let name = path.display().to_string();
        if name.starts_with("ro") {
            assert_eq!(&after[path], original, "{name} was touched");
            assert!(
                stderr.contains(&format!("doc{}", &name[6..7])),
                "{name} not reported: {stderr}"
            );
        } else {
            assert_eq!(
                String::from_utf8_lossy(&after[path]),
                "Body text of the article, long enough to be content.\n",
                "{name} was not fixed"
            );
        }
    }
    assert_eq!(stderr.matches("cannot write").count(), 3, "{stderr}");
}
