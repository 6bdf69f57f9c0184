//! `deboil.toml` / `.deboil.toml`: discovery, parsing, and building the engine
//! from the configuration and the command line.

use super::args::{ModeArg, RuleArgs};
use anyhow::{anyhow, Context as _, Result};
use deboil::{Category, Engine, Location, Mode};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The names looked for in each folder, in order of preference.
pub const CONFIG_NAMES: [&str; 2] = ["deboil.toml", ".deboil.toml"];

/// A parsed configuration file; relative paths are resolved against `dir`.
#[derive(Debug, Default)]
pub struct Config {
    /// The folder paths in it are relative to (the current folder without a file).
    pub dir: PathBuf,
    /// Extra rule files or folders.
    pub rules: Vec<PathBuf>,
    /// Rule ids to disable.
    pub disable: Vec<String>,
    /// Enabled categories (none: all).
    pub categories: Option<Vec<Category>>,
    /// Keep phrases.
    pub keep: Vec<String>,
    /// Globs of files that `check` and `fix` skip.
    pub exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigToml {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
    categories: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

impl Config {
    /// The configuration the options ask for: `--config`, none with `--no-config`,
    /// otherwise the first `deboil.toml` / `.deboil.toml` walking up from the current folder.
    pub fn load(args: &RuleArgs) -> Result<Config> {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        if args.no_config {
            return Ok(Config {
                dir: cwd,
                ..Config::default()
            });
        }
        let file = match &args.config {
            Some(path) => Some(path.clone()),
            None => find(&cwd),
        };
        match file {
            None => Ok(Config {
                dir: cwd,
                ..Config::default()
            }),
            Some(file) => {
                let file = file
                    .strip_prefix(&cwd)
                    .map(Path::to_path_buf)
                    .unwrap_or(file);
                let source = std::fs::read_to_string(&file).with_context(|| {
                    format!("{}: cannot read the configuration", file.display())
                })?;
                let dir = match file.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => cwd.join(parent),
                    _ => cwd,
                };
                parse(&file, &source, dir)
            }
        }
    }
}

/// The first configuration file in `start` or one of its ancestors.
fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    })
}

fn parse(file: &Path, source: &str, dir: PathBuf) -> Result<Config> {
    let origin = file.display().to_string();
    let parsed: ConfigToml = toml::from_str(source).map_err(|error| {
        let at = error.span().map_or(0, |span| span.start);
        anyhow!(
            "{}: {}",
            Location::at(&origin, source, at),
            error.message().trim_end()
        )
    })?;
    let categories = match parsed.categories {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|name| {
                    Category::from_name(name.get_ref()).ok_or_else(|| {
                        anyhow!(
                            "{}: unknown category `{}` (known: {})",
                            Location::at(&origin, source, name.span().start),
                            name.get_ref(),
                            category_names()
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    Ok(Config {
        rules: parsed.rules.iter().map(|p| dir.join(p)).collect(),
        dir,
        disable: parsed.disable,
        categories,
        keep: parsed.keep,
        exclude: parsed.exclude,
    })
}

fn category_names() -> String {
    Category::ALL.map(Category::name).join(", ")
}

/// Parses `--only` values.
fn parse_categories(names: &[String]) -> Result<Vec<Category>> {
    names
        .iter()
        .map(|name| {
            Category::from_name(name).ok_or_else(|| {
                anyhow!(
                    "--only: unknown category `{name}` (known: {})",
                    category_names()
                )
            })
        })
        .collect()
}

/// Builds the engine: built-in packs (unless `--no-builtin`), the config's rules,
/// `extra` packs, then `--rules`; disables and categories from both, the command line last.
pub fn build_engine(args: &RuleArgs, config: &Config, extra: &[PathBuf]) -> Result<Engine> {
    let mut builder = Engine::builder()
        .limits(args.limits())
        .builtin(!args.no_builtin)
        .mode(match args.mode {
            ModeArg::Default => Mode::Default,
            ModeArg::Aggressive => Mode::Aggressive,
        });
    for path in config.rules.iter().chain(extra).chain(&args.rules) {
        builder = builder.add_path(path)?;
    }
    for id in config.disable.iter().chain(&args.disable) {
        builder = builder.disable(id);
    }
    if !args.only.is_empty() {
        builder = builder.only(&parse_categories(&args.only)?);
    } else if let Some(categories) = &config.categories {
        builder = builder.only(categories);
    }
    for phrase in &config.keep {
        builder = builder.keep_phrase(phrase);
    }
    Ok(builder.build()?)
}
