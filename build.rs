//! Embeds every `rules/**/*.toml` pack into the library, sorted by path, so a
//! new pack (or a new language folder) needs no code change; and the
//! prefilter literals of every built-in regex, so that building an engine does
//! not parse them (a built-in regex that does not parse, or that can match the
//! empty string, fails the build with its pack and rule).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/matcher/literals.rs"]
mod literals;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut packs = Vec::new();
    collect(&rules, &mut packs);
    packs.sort();
    let mut code = String::from("/// Built-in packs: (path under `rules/`, contents).\npub const BUILTIN_PACKS: &[(&str, &str)] = &[\n");
    for pack in &packs {
        println!("cargo:rerun-if-changed={}", pack.display());
        let name = pack
            .strip_prefix(&rules)
            .expect("under rules/")
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            pack.display().to_string()
        );
    }
    code.push_str("];\n");
    code.push_str(&builtin_literals(&rules, &packs));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_packs.rs");
    std::fs::write(out, code).expect("write builtin_packs.rs");
}

/// `BUILTIN_REGEXES`: every `regex` and `unless_regex` pattern of the packs, sorted,
/// each with its prefilter literals (`None`: it has none).
fn builtin_literals(rules: &Path, packs: &[PathBuf]) -> String {
    let mut entries: Vec<(String, Option<Vec<Vec<u8>>>)> = Vec::new();
    for pack in packs {
        let name = pack
            .strip_prefix(rules)
            .unwrap_or(pack)
            .display()
            .to_string();
        let source = std::fs::read_to_string(pack).expect("read pack");
        // A pack that does not parse is reported, with its line, by the library's
        // loader (and the test suite); it has no regexes to take here.
        let Ok(table) = source.parse::<toml::Table>() else {
            continue;
        };
        let Some(toml::Value::Array(pack_rules)) = table.get("rule") else {
            continue;
        };
        for rule in pack_rules {
            let id = rule.get("id").and_then(|v| v.as_str()).unwrap_or("?");
            for key in ["regex", "unless_regex"] {
                let Some(toml::Value::Array(patterns)) = rule.get(key) else {
                    continue;
                };
                for pattern in patterns.iter().filter_map(|p| p.as_str()) {
                    let hir = regex_syntax::parse(pattern).unwrap_or_else(|e| {
                        panic!("rules/{name}: rule {id}: invalid regex {pattern:?}: {e}")
                    });
                    if hir.properties().minimum_len() == Some(0) {
                        panic!(
                            "rules/{name}: rule {id}: regex {pattern:?} can match the empty string"
                        );
                    }
                    entries.push((pattern.to_string(), literals::required_literals(&hir)));
                }
            }
        }
    }
    entries.sort();
    entries.dedup();
    let mut code = String::from(
        "/// Every regex of the built-in packs (sorted), checked at build time, with its\n\
         /// prefilter literals (`None`: none that are useful).\n\
         pub const BUILTIN_REGEXES: &[(&str, Option<&[&[u8]]>)] = &[\n",
    );
    for (pattern, literals) in &entries {
        let literals = match literals {
            None => "None".to_string(),
            Some(set) => {
                let items: Vec<String> = set.iter().map(|l| format!("&{l:?}")).collect();
                format!("Some(&[{}])", items.join(", "))
            }
        };
        let _ = writeln!(code, "    ({pattern:?}, {literals}),");
    }
    code.push_str("];\n");
    code
}
