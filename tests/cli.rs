//! The command line, driven as a user drives it: the real binary, real files
//! in a temporary folder, standard input and output, exit codes.
//!
//! Most tests use the stable pack `tests/fixtures/cli/rules/test.toml` with
//! `--no-builtin`, so they do not move when the built-in packs are tuned.

#![cfg(feature = "cli")]

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn read_fixture(name: &str) -> String {
    fs::read_to_string(fixture(name)).unwrap()
}

/// A temporary folder with the test pack at `rules/test.toml`.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        sandbox.copy("rules/test.toml", "rules/test.toml");
        sandbox
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    fn copy(&self, fixture_name: &str, name: &str) -> PathBuf {
        self.write(name, fs::read(fixture(fixture_name)).unwrap())
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap()
    }

    /// The binary, run in this folder, with no colour preference from the environment.
    fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_deboil"));
        cmd.current_dir(self.dir.path()).env_remove("NO_COLOR");
        cmd
    }

    /// The binary with only the test pack.
    fn deboil(&self, args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        let (subcommand, rest) = match args.first() {
            Some(&first @ ("check" | "fix")) => (Some(first), &args[1..]),
            _ => (None, args),
        };
        cmd.args(subcommand);
        cmd.args(["--no-builtin", "--rules", "rules/test.toml"]);
        cmd.args(rest);
        cmd
    }
}

/// Runs `deboil ARGS` with a terminal (given by `script`, from util-linux) and
/// returns what the terminal showed; `NO_COLOR` is set only when asked.
fn on_terminal(sandbox: &Sandbox, args: &str, no_color: bool) -> String {
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_deboil"));
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(sandbox.dir.path())
        .env_remove("NO_COLOR");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let output = script
        .output()
        .expect("`script` (util-linux) is needed to give deboil a terminal");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

// ---- filter mode ----

#[test]
fn filter_reads_stdin_and_writes_cleaned_text() {
    let sandbox = Sandbox::new();
    sandbox
        .deboil(&[])
        .write_stdin("Body text.\nGet the app now\nMore text.\n")
        .assert()
        .success()
        .stdout("Body text.\nMore text.\n")
        .stderr("");
}

/// Standard input redirected from a file (`deboil < page.txt`) is read into a
/// buffer of the file's size: all of it, however large the file.
#[test]
fn filter_reads_stdin_redirected_from_a_file() {
    let sandbox = Sandbox::new();
    let body = "Body text.\n".repeat(20_000);
    let path = sandbox.write("page.txt", format!("{body}Get the app now\n{body}"));
    // std's Command, to hand the binary the file itself as its standard input.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_deboil"))
        .current_dir(sandbox.path(""))
        .args(["--no-builtin", "--rules", "rules/test.toml"])
        .stdin(fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{body}{body}")
    );
}

#[test]
fn filter_with_builtin_rules_cleans_the_readme_example() {
    let sandbox = Sandbox::new();
    let example = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/crypto-repost.txt"),
    )
    .unwrap();
    let output = stdout_of(sandbox.cmd().write_stdin(example.clone()));
    assert!(output.contains("Two of the world's most sanctioned nations"));
    assert!(!output.contains("sign up to Bybit"));
    assert!(output.len() < example.len());
}

#[test]
fn filter_writes_each_path_in_order_and_dash_is_stdin() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", "First.\nGet the app now\n");
    sandbox.write("b.txt", "Second.\n");
    sandbox
        .deboil(&["b.txt", "-", "a.txt"])
        .write_stdin("From stdin.\nGet the app today\n")
        .assert()
        .success()
        .stdout("Second.\nFrom stdin.\nFirst.\n");
}

#[test]
fn filter_reports_a_missing_file_continues_and_exits_2() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", "First.\n");
    sandbox.write("c.txt", "Third.\n");
    sandbox
        .deboil(&["a.txt", "missing.txt", "c.txt"])
        .assert()
        .code(2)
        .stdout("First.\nThird.\n")
        .stderr(predicate::str::contains("missing.txt"));
}

#[test]
fn filter_keeps_crlf_line_endings() {
    let sandbox = Sandbox::new();
    sandbox.copy("crlf.txt", "crlf.txt");
    sandbox
        .deboil(&["crlf.txt"])
        .assert()
        .success()
        .stdout("Intro line.\r\nOutro line.\r\n");
}

#[test]
fn filter_diff_prints_a_unified_diff() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", "Body.\nGet the app now\n");
    sandbox
        .deboil(&["--diff", "a.txt"])
        .assert()
        .success()
        .stdout("--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1 @@\n Body.\n-Get the app now\n");
}

#[test]
fn diff_colour_follows_color_flag_and_no_color() {
    let sandbox = Sandbox::new();
    let input = "Body.\nGet the app now\n";
    let always = stdout_of(
        sandbox
            .deboil(&["--diff", "--color", "always"])
            .env("NO_COLOR", "1")
            .write_stdin(input),
    );
    assert!(
        always.contains("\x1b[31m-Get the app now\x1b[0m"),
        "{always:?}"
    );
    let never = stdout_of(
        sandbox
            .deboil(&["--diff", "--color", "never"])
            .write_stdin(input),
    );
    assert!(never.contains("-Get the app now") && !never.contains('\x1b'));
    // `auto` with NO_COLOR set (and a pipe, not a terminal) stays plain.
    let auto = stdout_of(
        sandbox
            .deboil(&["--diff"])
            .env("NO_COLOR", "1")
            .write_stdin(input),
    );
    assert_eq!(auto, never);
}

#[test]
fn format_auto_protects_markdown_code_only_in_md_files() {
    let sandbox = Sandbox::new();
    let doc = "Intro.\n\n```\nGet the app\n```\n";
    sandbox.write("doc.md", doc);
    sandbox.write("doc.txt", doc);
    sandbox.deboil(&["doc.md"]).assert().success().stdout(doc);
    sandbox
        .deboil(&["doc.txt"])
        .assert()
        .success()
        .stdout("Intro.\n\n```\n```\n");
    // An explicit format wins over the extension; standard input is text by default.
    sandbox
        .deboil(&["--format", "markdown", "doc.txt"])
        .assert()
        .stdout(doc);
    sandbox
        .deboil(&["--format", "text", "doc.md"])
        .assert()
        .stdout("Intro.\n\n```\n```\n");
    sandbox
        .deboil(&[])
        .write_stdin(doc)
        .assert()
        .stdout("Intro.\n\n```\n```\n");
}

#[test]
fn report_json_format_field_follows_the_extension() {
    let sandbox = Sandbox::new();
    sandbox.write("a.markdown", "Text.\n");
    sandbox.write("b.text", "Text.\n");
    let output = stdout_of(&mut sandbox.deboil(&["--report", "json", "a.markdown", "b.text"]));
    let formats: Vec<String> = output
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["format"].to_string())
        .collect();
    assert_eq!(formats, ["\"markdown\"", "\"text\""]);
}

#[test]
fn mode_aggressive_enables_aggressive_rules() {
    let sandbox = Sandbox::new();
    sandbox.copy("chrome.txt", "chrome.txt");
    sandbox
        .deboil(&["chrome.txt"])
        .assert()
        .stdout(read_fixture("chrome.txt"));
    sandbox
        .deboil(&["--mode", "aggressive", "chrome.txt"])
        .assert()
        .success()
        .stdout("A paragraph of content.\n");
}

#[test]
fn stats_go_to_stderr_with_per_rule_counts() {
    let sandbox = Sandbox::new();
    sandbox
        .deboil(&["--stats"])
        .write_stdin("Text.\nGet the app now\nMore.\nGet the app today\n")
        .assert()
        .success()
        .stdout("Text.\nMore.\n")
        .stderr(predicate::str::contains("1 documents, 1 changed"))
        .stderr(predicate::str::is_match(r"test\.app\s+app-banner\s+2\s+34").unwrap());
}

#[test]
fn closed_pipe_ends_quietly_with_0() {
    use std::io::Read;
    use std::process::Stdio;
    let sandbox = Sandbox::new();
    let big = "A line of real content that stays.\n".repeat(200_000);
    let input = sandbox.write("big.txt", big);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deboil"))
        .current_dir(sandbox.dir.path())
        .args(["--no-builtin", "--rules", "rules/test.toml"])
        .stdin(fs::File::open(input).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The reader is dropped here, like `head` exiting.
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

// ---- invalid UTF-8 ----

#[test]
fn invalid_utf8_names_file_and_byte_offset_and_exits_2() {
    let sandbox = Sandbox::new();
    sandbox.write("bad.txt", b"ok\n\xff bad\nGet the app now\n");
    sandbox
        .deboil(&["bad.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("bad.txt: invalid UTF-8 at byte 3"));
    sandbox
        .deboil(&["--lossy", "bad.txt"])
        .assert()
        .success()
        .stdout("ok\n\u{FFFD} bad\n");
}

#[test]
fn fix_leaves_a_file_with_invalid_utf8_untouched() {
    let sandbox = Sandbox::new();
    let bytes = b"Get the app now\n\xc3\x28\n".to_vec();
    sandbox.write("bad.md", &bytes);
    sandbox
        .deboil(&["fix", "bad.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.md: invalid UTF-8 at byte 16"));
    assert_eq!(fs::read(sandbox.path("bad.md")).unwrap(), bytes);
}

// ---- check ----

#[test]
fn check_prints_one_line_per_finding_and_exits_1() {
    let sandbox = Sandbox::new();
    sandbox.copy("polluted.md", "docs/polluted.md");
    sandbox.copy("clean.md", "docs/clean.md");
    sandbox.deboil(&["check", "docs"]).assert().code(1).stdout(
        "docs/polluted.md:8:1: app-banner test.app \"Get the app to follow markets live\"\n\
             docs/polluted.md:16:1: promo test.bonus \"Claim $50 free when you sign up today\"\n",
    );
}

#[test]
fn check_on_clean_files_exits_0() {
    let sandbox = Sandbox::new();
    sandbox.copy("clean.md", "clean.md");
    sandbox
        .deboil(&["check", "clean.md"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn check_walks_the_current_folder_respecting_gitignore_hidden_and_binary() {
    let sandbox = Sandbox::new();
    let dirty = "Text.\nGet the app now\n";
    sandbox.write("notes/a.md", dirty);
    sandbox.write("notes/ignored.md", dirty);
    sandbox.write(".gitignore", "notes/ignored.md\n");
    sandbox.write(".hidden/b.md", dirty);
    sandbox.write("code.rs", dirty);
    sandbox.write("binary.txt", b"Get the app now\n\0\x01\x02");
    let output = stdout_of(&mut sandbox.deboil(&["check"]));
    assert_eq!(
        output,
        "notes/a.md:2:1: app-banner test.app \"Get the app now\"\n"
    );
    // A named file is checked whatever its extension; a binary one is still skipped.
    sandbox
        .deboil(&["check", "code.rs", "binary.txt"])
        .assert()
        .code(1)
        .stdout("code.rs:2:1: app-banner test.app \"Get the app now\"\n");
}

#[test]
fn check_reports_a_missing_path_checks_the_rest_and_exits_2() {
    let sandbox = Sandbox::new();
    sandbox.write("a.md", "Get the app now\n");
    sandbox
        .deboil(&["check", "nope.md", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("a.md:1:1: app-banner test.app"))
        .stderr(predicate::str::contains("nope.md"));
}

#[test]
fn check_diff_prints_what_fix_would_change_and_changes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.write("a.md", "Body.\n\nGet the app now\n");
    sandbox
        .deboil(&["check", "--diff", "a.md"])
        .assert()
        .code(1)
        .stdout("--- a/a.md\n+++ b/a.md\n@@ -1,3 +1 @@\n Body.\n-\n-Get the app now\n");
    assert_eq!(sandbox.read("a.md"), "Body.\n\nGet the app now\n");
}

#[test]
fn inline_suppression_markers_keep_lines_and_regions() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "a.md",
        "Get the app now <!-- deboil: keep -->\n\n<!-- deboil: off -->\nGet the app today\n<!-- deboil: on -->\n\nGet the app here\n",
    );
    sandbox
        .deboil(&["check", "a.md"])
        .assert()
        .code(1)
        .stdout("a.md:7:1: app-banner test.app \"Get the app here\"\n");
}

#[test]
fn check_report_json_snapshot() {
    let sandbox = Sandbox::new();
    sandbox.copy("polluted.md", "polluted.md");
    sandbox.copy("clean.md", "clean.md");
    let output =
        stdout_of(&mut sandbox.deboil(&["check", "--report", "json", "clean.md", "polluted.md"]));
    for line in output.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["type"], "document");
        assert_eq!(record["version"], deboil::REPORT_VERSION);
    }
    insta::assert_snapshot!("check_report_json", output);
}

#[test]
fn filter_report_json_snapshot_of_stdin() {
    let sandbox = Sandbox::new();
    let output = stdout_of(
        sandbox
            .deboil(&["--report", "json"])
            .write_stdin("Body.\nGet the app now\n"),
    );
    let record: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(record["path"], serde_json::Value::Null);
    assert_eq!(record["removals"][0]["rule"], "test.app");
    insta::assert_snapshot!("filter_report_json_stdin", output);
}

#[test]
fn check_report_sarif_snapshot() {
    let sandbox = Sandbox::new();
    sandbox.copy("polluted.md", "docs/polluted.md");
    sandbox.copy("crlf.txt", "docs/crlf.txt");
    let assert = sandbox
        .deboil(&["check", "--report", "sarif", "docs"])
        .assert()
        .code(1);
    let output = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let log: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/crlf.txt"
    );
    insta::assert_snapshot!("check_report_sarif", output);
}

// ---- fix ----

#[test]
fn fix_rewrites_only_changed_files_and_converges() {
    let sandbox = Sandbox::new();
    sandbox.copy("polluted.md", "polluted.md");
    sandbox.copy("clean.md", "clean.md");
    let clean_before = fs::metadata(sandbox.path("clean.md"))
        .unwrap()
        .modified()
        .unwrap();
    sandbox
        .deboil(&["fix", "."])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "polluted.md:8:1: app-banner test.app",
        ))
        .stderr(predicate::str::contains("fixed 1 file (2 removals)"));
    let fixed = sandbox.read("polluted.md");
    assert!(!fixed.contains("follow markets live") && !fixed.contains("sign up"));
    assert!(fixed.contains("Get the app for alerts")); // the keep marker
    assert!(fixed.contains("```\nGet the app\n```")); // code is never touched
    assert_eq!(
        fs::metadata(sandbox.path("clean.md"))
            .unwrap()
            .modified()
            .unwrap(),
        clean_before
    );
    // Twice: nothing changes, and check agrees.
    sandbox
        .deboil(&["fix", "."])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(sandbox.read("polluted.md"), fixed);
    sandbox.deboil(&["check", "."]).assert().code(0);
}

#[test]
fn fix_keeps_crlf_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let path = sandbox.copy("crlf.txt", "crlf.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    sandbox.deboil(&["fix", "crlf.txt"]).assert().success();
    assert_eq!(sandbox.read("crlf.txt"), "Intro line.\r\nOutro line.\r\n");
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn fix_follows_a_symlink_and_keeps_it_a_symlink() {
    let sandbox = Sandbox::new();
    sandbox.write("real/target.md", "Body.\nGet the app now\n");
    std::os::unix::fs::symlink("real/target.md", sandbox.path("link.md")).unwrap();
    sandbox.deboil(&["fix", "link.md"]).assert().success();
    let link = fs::symlink_metadata(sandbox.path("link.md")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(sandbox.read("real/target.md"), "Body.\n");
}

/// Makes a file impossible to replace, even for root, and undoes it on drop.
///
/// The suite runs as root, where permission bits do not stop writes, so as
/// root the file is made immutable (`chattr +i`: a rename over it fails with
/// EPERM, so the temporary file is written and then cannot replace it, which
/// is the failed write we want). As another user its folder is made read-only.
struct Unwritable {
    path: PathBuf,
    as_root: bool,
}

impl Unwritable {
    fn new(path: PathBuf) -> Unwritable {
        use std::os::unix::fs::PermissionsExt;
        let uid = std::process::Command::new("id").arg("-u").output().unwrap();
        let as_root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        if as_root {
            let status = std::process::Command::new("chattr")
                .arg("+i")
                .arg(&path)
                .status()
                .expect("chattr is needed to make a file unwritable for root");
            assert!(status.success(), "chattr +i failed on {}", path.display());
        } else {
            let folder = path.parent().unwrap();
            fs::set_permissions(folder, fs::Permissions::from_mode(0o555)).unwrap();
        }
        Unwritable { path, as_root }
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.as_root {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        } else if let Some(folder) = self.path.parent() {
            let _ = fs::set_permissions(folder, fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn fix_reports_an_unwritable_file_leaves_it_untouched_and_fixes_the_others() {
    let sandbox = Sandbox::new();
    let dirty = "Body.\nGet the app now\n";
    sandbox.write("locked/a.md", dirty);
    sandbox.write("open/b.md", dirty);
    let guard = Unwritable::new(sandbox.path("locked/a.md"));
    sandbox
        .deboil(&["fix", "locked/a.md", "open/b.md"])
        .assert()
        .code(2)
        .stdout("open/b.md:2:1: app-banner test.app \"Get the app now\"\n")
        .stderr(predicate::str::contains(
            "locked/a.md: cannot write, left untouched",
        ));
    assert_eq!(sandbox.read("locked/a.md"), dirty);
    assert_eq!(sandbox.read("open/b.md"), "Body.\n");
    let leftovers: Vec<_> = fs::read_dir(sandbox.path("locked")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    drop(guard);
}

// ---- explain and rules ----

#[test]
fn explain_shows_description_pack_matchers_and_examples() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd();
    cmd.args([
        "explain",
        "test.app",
        "--no-builtin",
        "--rules",
        "rules/test.toml",
    ]);
    cmd.assert()
        .success()
        .stdout(predicate::str::starts_with(
            "test.app (app-banner)\n  Get-the-app banners.\n",
        ))
        .stdout(predicate::str::contains(
            "pack:       cli-test (rules/test.toml:6)",
        ))
        .stdout(predicate::str::contains("phrases:\n  \"get the app\"\n"))
        .stdout(predicate::str::contains(
            "examples to remove:\n  \"Get the app now\"\n",
        ));
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args(["explain", "no.such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no.such-rule"));
}

#[test]
fn rules_list_prints_id_category_languages_description() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd();
    cmd.args([
        "rules",
        "list",
        "--no-builtin",
        "--rules",
        "rules/test.toml",
    ]);
    let output = stdout_of(&mut cmd);
    let rows: Vec<Vec<&str>> = output
        .lines()
        .map(|l| l.split_whitespace().take(3).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["test.app", "app-banner", "en"],
            ["test.bonus", "promo", "en"]
        ]
    );
    assert!(output.contains("Get-the-app banners."));
}

#[test]
fn rules_list_phrases_prints_normalized_phrases_of_active_rules() {
    let sandbox = Sandbox::new();
    sandbox.write("extra.toml", "name = \"x\"\n[[rule]]\nid = \"x.y\"\ncategory = \"promo\"\nphrases = [\"  Get\u{00A0}THE “App”  \", \"get the app\"]\n");
    let mut cmd = sandbox.cmd();
    cmd.args([
        "rules",
        "list",
        "--phrases",
        "--no-builtin",
        "--rules",
        "rules/test.toml",
        "--rules",
        "extra.toml",
    ]);
    cmd.assert()
        .success()
        .stdout("get the app\nfree when you sign up\nget the \"app\"\n");
    // Built-in: every line is already normalized.
    let builtin = stdout_of(sandbox.cmd().args(["rules", "list", "--phrases"]));
    assert!(builtin.lines().count() > 10);
    for line in builtin.lines() {
        assert_eq!(deboil::normalize::normalize(line), line);
    }
}

#[test]
fn rules_list_patterns_prints_phrases_unless_phrases_and_regex_literals() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "extra.toml",
        "name = \"x\"\n[[rule]]\nid = \"x.y\"\ncategory = \"promo\"\nphrases = [\"Get the app\"]\nunless = [\"scam\"]\nregex = ['claim your \\d+ bonus']\n",
    );
    let listed = stdout_of(sandbox.cmd().args([
        "rules",
        "list",
        "--patterns",
        "--no-builtin",
        "--rules",
        "extra.toml",
    ]));
    let mut patterns: Vec<&str> = listed.lines().collect();
    patterns.sort_unstable();
    assert_eq!(patterns.len(), 3, "{listed}");
    assert_eq!(patterns[1], "get the app");
    assert_eq!(patterns[2], "scam");
    assert!("claim your 5 bonus".contains(patterns[0]), "{listed}");
    // Built-in: a superset of the phrases.
    let builtin = stdout_of(sandbox.cmd().args(["rules", "list", "--patterns"]));
    let phrases = stdout_of(sandbox.cmd().args(["rules", "list", "--phrases"]));
    assert!(builtin.lines().count() > phrases.lines().count());
    assert!(phrases
        .lines()
        .all(|phrase| builtin.lines().any(|p| p == phrase)));
}

#[test]
fn rules_test_passes_for_builtin_and_test_packs() {
    let sandbox = Sandbox::new();
    sandbox.cmd().args(["rules", "test"]).assert().success();
    sandbox
        .cmd()
        .args(["rules", "test", "--no-builtin", "rules/test.toml"])
        .assert()
        .success()
        .stdout("3 rules, 3 examples, 0 failed\n");
}

#[test]
fn rules_test_names_the_failing_example_and_exits_1() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("rules")
        .arg("test")
        .arg(fixture("rules-failing"))
        .assert()
        .code(1)
        .stdout(
            "FAIL failing.broken (remove example \"This example never matches\"): the rule did not fire\n\
             2 rules, 2 examples, 1 failed\n",
        );
}

// ---- rule options and configuration ----

#[test]
fn disable_and_only_choose_rules() {
    let sandbox = Sandbox::new();
    sandbox.copy("polluted.md", "p.md");
    let disabled = stdout_of(&mut sandbox.deboil(&["check", "--disable", "test.app", "p.md"]));
    assert_eq!(disabled.lines().count(), 1);
    assert!(disabled.contains("test.bonus"));
    let only = stdout_of(&mut sandbox.deboil(&["check", "--only", "app-banner", "p.md"]));
    assert_eq!(only.lines().count(), 1);
    assert!(only.contains("test.app"));
    sandbox
        .deboil(&["check", "--disable", "no.such-rule", "p.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no.such-rule"));
    sandbox
        .deboil(&["check", "--only", "bogus", "p.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown category `bogus`"));
}

#[test]
fn no_builtin_without_rules_removes_nothing() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args(["--no-builtin"])
        .write_stdin("Get $50 free to trade crypto when you sign up to Bybit now\n")
        .assert()
        .success()
        .stdout("Get $50 free to trade crypto when you sign up to Bybit now\n");
}

#[test]
fn config_is_found_walking_up_from_a_subfolder() {
    let sandbox = Sandbox::new();
    sandbox.copy("config/disable-bonus.toml", "deboil.toml");
    sandbox.copy("polluted.md", "docs/p.md");
    sandbox.write("docs/drafts/d.md", "Draft.\nGet the app now\n");
    let mut cmd = sandbox.cmd();
    cmd.current_dir(sandbox.path("docs"))
        .args(["check", "--no-builtin", "."]);
    // `rules` loads the test pack, `disable` drops test.bonus, `keep` protects
    // the "follow markets live" line, `exclude` skips drafts/.
    cmd.assert().code(0).stdout("");
    sandbox
        .cmd()
        .current_dir(sandbox.path("docs"))
        .args([
            "check",
            "--no-builtin",
            "--no-config",
            "--rules",
            "../rules/test.toml",
            ".",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "drafts/d.md:2:1: app-banner test.app",
        ));
    // Named explicitly, an excluded file is still excluded (pre-commit names files).
    sandbox
        .cmd()
        .current_dir(sandbox.path("docs"))
        .args(["check", "--no-builtin", "drafts/d.md"])
        .assert()
        .code(0);
}

#[test]
fn dot_deboil_toml_and_explicit_config_are_read() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".deboil.toml",
        "rules = [\"rules/test.toml\"]\ncategories = [\"promo\"]\n",
    );
    sandbox.copy("polluted.md", "p.md");
    let output = stdout_of(sandbox.cmd().args(["check", "--no-builtin", "p.md"]));
    assert_eq!(
        output,
        "p.md:16:1: promo test.bonus \"Claim $50 free when you sign up today\"\n"
    );
    sandbox.write(
        "other.toml",
        "rules = [\"rules/test.toml\"]\ndisable = [\"test.app\", \"test.bonus\"]\n",
    );
    sandbox
        .cmd()
        .args(["check", "--no-builtin", "--config", "other.toml", "p.md"])
        .assert()
        .code(0);
}

#[test]
fn unknown_config_key_names_file_and_line_and_exits_2() {
    let sandbox = Sandbox::new();
    sandbox.copy("config/unknown-key.toml", "deboil.toml");
    sandbox
        .cmd()
        .args(["--no-builtin"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "deboil.toml:2:1: unknown field `categoires`",
        ));
}

#[test]
fn bad_rule_pack_and_bad_arguments_exit_2() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "broken.toml",
        "name = \"b\"\n[[rule]]\nid = \"b.x\"\ncategory = \"promo\"\nregex = [\"(\"]\n",
    );
    sandbox
        .cmd()
        .args(["--rules", "broken.toml"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml"));
    sandbox.cmd().args(["--no-such-flag"]).assert().code(2);
    sandbox
        .cmd()
        .args(["check", "--report", "xml"])
        .assert()
        .code(2);
}

// ---- JSON Lines ----

#[test]
fn jsonl_cleans_the_field_passes_the_rest_through_and_keeps_order() {
    let sandbox = Sandbox::new();
    // More records than one chunk, so order across chunks is checked too.
    let mut input = String::new();
    for i in 0..2500 {
        let text = if i % 3 == 0 {
            "Body.\\nGet the app now\\n"
        } else {
            "Body.\\n"
        };
        input.push_str(&format!(
            "{{\"id\":{i},\"meta\":{{\"n\":1.50,\"s\":\"\\u00e9\"}},\"text\":\"{text}\",\"tags\":[]}}\n"
        ));
    }
    let output = stdout_of(sandbox.deboil(&["--jsonl"]).write_stdin(input));
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2500);
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line.starts_with(&format!("{{\"id\":{i},\"meta\":{{\"n\":1.50,\"s\":\"\\u00e9\"}},\"text\":\"Body.\\n\",\"tags\":[],\"deboil\":{{")),
            "{line}"
        );
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let removals = record["deboil"]["removals"].as_array().unwrap();
        assert_eq!(removals.len(), usize::from(i % 3 == 0));
        assert_eq!(record["deboil"]["version"], deboil::REPORT_VERSION);
    }
}

#[test]
fn jsonl_field_option_picks_the_field() {
    let sandbox = Sandbox::new();
    sandbox
        .deboil(&["--jsonl", "--field", "body"])
        .write_stdin("{\"text\":\"Get the app now\",\"body\":\"Get the app now\\nKept.\\n\"}\n")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "{\"text\":\"Get the app now\",\"body\":\"Kept.\\n\",\"deboil\":{",
        ));
}

#[test]
fn jsonl_bad_record_names_the_line_and_exits_2() {
    let sandbox = Sandbox::new();
    let input = "{\"text\":\"ok\"}\n{\"id\":2}\nnot json\n";
    sandbox
        .deboil(&["--jsonl"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout(predicate::str::starts_with("{\"text\":\"ok\",\"deboil\":"))
        .stderr(predicate::str::contains("line 2: no field `text`"));
    sandbox
        .deboil(&["--jsonl"])
        .write_stdin("{\"text\":\"ok\"}\n{\"text\":3}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 2: field `text` is not a string",
        ));
}

#[test]
fn jsonl_skip_bad_records_passes_them_through_and_counts_them() {
    let sandbox = Sandbox::new();
    let input = "{\"id\":2}\nnot json\n{\"text\":\"Get the app now\\nok\\n\"}\n";
    let assert = sandbox
        .deboil(&["--jsonl", "--skip-bad-records"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr("deboil: 2 bad records passed through unchanged\n");
    let output = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines[..2], ["{\"id\":2}", "not json"]);
    assert!(lines[2].starts_with("{\"text\":\"ok\\n\",\"deboil\":{"));
}

/// Regression: walked paths start with `./`, which defeated the `exclude` globs.
#[test]
fn exclude_globs_match_paths_walked_from_dot() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "deboil.toml",
        "rules = [\"rules/test.toml\"]\nexclude = [\"drafts/**\"]\n",
    );
    sandbox.write("drafts/d.md", "Draft.\nGet the app now\n");
    sandbox.write("post.md", "Post.\nGet the app now\n");
    sandbox
        .cmd()
        .args(["check", "--no-builtin", "."])
        .assert()
        .code(1)
        .stdout("post.md:2:1: app-banner test.app \"Get the app now\"\n");
}

#[test]
fn report_json_has_an_error_record_for_a_missing_file() {
    let sandbox = Sandbox::new();
    sandbox.write("a.md", "Text.\n");
    for args in [
        &["--report", "json", "missing.md", "a.md"][..],
        &["check", "--report", "json", "missing.md", "a.md"][..],
    ] {
        let assert = sandbox.deboil(args).assert().code(2);
        let output = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        let records: Vec<serde_json::Value> = output
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let types: Vec<&str> = records
            .iter()
            .map(|r| r["type"].as_str().unwrap())
            .collect();
        // `check` reports walk errors (a missing path) before the files it found.
        assert!(types.contains(&"document"), "{args:?}: {output}");
        if args[0] != "check" {
            assert_eq!(types, ["error", "document"]);
            assert!(records[0]["message"]
                .as_str()
                .unwrap()
                .contains("missing.md"));
        }
    }
}

/// The progress bar shows on a terminal (given one by `script`, from
/// util-linux) when many files are processed, and never on a pipe.
#[test]
fn progress_bar_only_on_a_terminal_with_many_files() {
    let sandbox = Sandbox::new();
    for i in 0..250 {
        sandbox.write(&format!("docs/{i:03}.md"), "Text.\nGet the app now\n");
    }
    sandbox
        .deboil(&["check", "docs"])
        .assert()
        .code(1)
        .stderr("");
    let terminal = on_terminal(
        &sandbox,
        "check --no-builtin --rules rules/test.toml docs > /dev/null",
        false,
    );
    assert!(
        predicate::str::is_match(r"\d+/250 files")
            .unwrap()
            .eval(&terminal),
        "no progress bar in {terminal:?}"
    );
}

#[test]
fn fix_converges_on_the_example_with_builtin_rules() {
    let sandbox = Sandbox::new();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/crypto-repost.txt");
    sandbox.write("page.txt", fs::read(example).unwrap());
    sandbox.cmd().args(["fix", "page.txt"]).assert().success();
    let once = sandbox.read("page.txt");
    assert!(once.contains("Two of the world's most sanctioned nations"));
    sandbox
        .cmd()
        .args(["fix", "page.txt"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(sandbox.read("page.txt"), once);
    sandbox.cmd().args(["check", "page.txt"]).assert().code(0);
}

#[test]
fn invalid_utf8_on_stdin_names_stdin_and_byte_offset() {
    let sandbox = Sandbox::new();
    sandbox
        .deboil(&[])
        .write_stdin(&b"abc\xc0def\n"[..])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("<stdin>: invalid UTF-8 at byte 3"));
}

#[test]
fn missing_config_file_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args(["--config", "nope.toml"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml"));
}

/// `--color auto` colours a diff on a terminal (given by `script`), unless `NO_COLOR` is set.
#[test]
fn diff_colour_auto_on_a_terminal_honours_no_color() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", "Body.\nGet the app now\n");
    let args = "--no-builtin --rules rules/test.toml --diff a.txt";
    let colored = on_terminal(&sandbox, args, false);
    assert!(colored.contains("\x1b[31m-Get the app now"), "{colored:?}");
    let plain = on_terminal(&sandbox, args, true);
    assert!(
        plain.contains("-Get the app now") && !plain.contains('\x1b'),
        "{plain:?}"
    );
}

#[test]
fn html_output_and_encoding_options_reach_the_html_cleaner() {
    let page = "<html><head><meta charset=\"windows-1251\"></head><body><article><h1>Title</h1><p>Body text of the article, long enough to be content.</p></article></body></html>";
    let text = Command::cargo_bin("deboil")
        .unwrap()
        .args(["--format", "html", "--output", "text"])
        .write_stdin(page)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("Body text of the article") && !text.contains("<p>"),
        "{text}"
    );
    // "Привет" in windows-1251, read as KOI8-R when told so: the override wins.
    let mut bytes = b"<html><body><article><p>".to_vec();
    bytes.extend_from_slice(&[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    bytes.extend_from_slice(b" body text of the article, long enough.</p></article></body></html>");
    let decoded = |encoding: &str| {
        let output = Command::cargo_bin("deboil")
            .unwrap()
            .args([
                "--format",
                "html",
                "--output",
                "text",
                "--encoding",
                encoding,
            ])
            .write_stdin(bytes.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output).unwrap()
    };
    assert!(decoded("windows-1251").contains("Привет"));
    assert!(!decoded("koi8-r").contains("Привет"));
}

#[test]
fn limit_options_reach_the_engine_and_the_html_cleaner() {
    let run = |args: &[&str], input: &str| {
        let output = Command::cargo_bin("deboil")
            .unwrap()
            .args(args)
            .write_stdin(input.to_string())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run(&["--max-input-bytes", "5"], "Body text of a document.\n");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the limit is 5"), "{stderr}");

    let promo = "Body text.\nGet the BTCC app to start your crypto journey\n";
    let (code, stdout, _) = run(&["--max-line-bytes", "10"], promo);
    assert_eq!(
        (code, stdout.as_str()),
        (Some(0), promo),
        "long lines pass through"
    );

    let (code, _, stderr) = run(&["--max-phrases", "3"], "");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("more than 3 phrases"), "{stderr}");

    let deep = format!("<body>{}x", "<div>".repeat(50));
    let (code, _, stderr) = run(&["--format", "html", "--max-html-depth", "10"], &deep);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("nesting depth is 11, the limit is 10"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["--format", "html", "--max-html-nodes", "20"], &deep);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the limit is 20"), "{stderr}");
}
