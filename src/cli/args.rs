//! Command-line arguments (clap derive).

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Strip boilerplate and disclaimers from text, Markdown and HTML.
///
/// Without a subcommand deboil is a filter: it reads standard input (or each
/// PATH in order) and writes the cleaned text to standard output.
#[derive(Debug, Parser)]
#[command(name = "deboil", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders: one line per finding, exit 1 if anything is found.
    Check(CheckArgs),
    /// Rewrite files in place (atomically), only those that change.
    Fix(FixArgs),
    /// Show a rule: description, pack, matchers and examples.
    Explain(ExplainArgs),
    /// List or test the loaded rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the active rules: id, category, languages, description.
    List(RulesListArgs),
    /// Run every rule's examples (of the packs at PATH, or of all loaded rules).
    Test(RulesTestArgs),
}

/// Options that choose the rules.
#[derive(Debug, Clone, Default, ClapArgs)]
pub struct RuleArgs {
    /// Extra rule pack file or folder of packs (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
    /// Disable a rule by id (repeatable).
    #[arg(long, value_name = "ID")]
    pub disable: Vec<String>,
    /// Keep only removal rules of these categories (repeatable or comma-separated).
    #[arg(long, value_name = "CATEGORY", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Cleaning mode.
    #[arg(long, value_enum, default_value = "default")]
    pub mode: ModeArg,
    /// Use this configuration file instead of looking for deboil.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,
    /// Largest document accepted, in bytes (a larger one is an error).
    #[arg(long, value_name = "BYTES")]
    pub max_input_bytes: Option<usize>,
    /// Lines longer than this many bytes are not matched (they pass through unchanged).
    #[arg(long, value_name = "BYTES")]
    pub max_line_bytes: Option<usize>,
    /// Compiled size limit of one regex of a rule pack, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_regex_size: Option<usize>,
    /// Most phrases over all rule packs.
    #[arg(long, value_name = "COUNT")]
    pub max_phrases: Option<usize>,
}

impl RuleArgs {
    /// The engine limits: the library's defaults, with the options given.
    pub fn limits(&self) -> deboil::Limits {
        let mut limits = deboil::Limits::default();
        if let Some(bytes) = self.max_input_bytes {
            limits.max_input_bytes = bytes;
        }
        if let Some(bytes) = self.max_line_bytes {
            limits.max_line_bytes = bytes;
        }
        if let Some(bytes) = self.max_regex_size {
            limits.packs.regex_size_limit = bytes;
        }
        if let Some(count) = self.max_phrases {
            limits.packs.max_phrases = count;
        }
        limits
    }
}

/// Options for reading and cleaning documents.
#[derive(Debug, Clone, ClapArgs)]
pub struct DocArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Input format; `auto` decides by file extension (standard input: text).
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Per-rule counts and bytes removed for the whole run, on standard error.
    #[arg(long)]
    pub stats: bool,
    /// When to colour diffs.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// HTML input: the character encoding (e.g. `windows-1251`, `gbk`), overriding the page's own declaration.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// HTML input: most elements and text nodes in one page (more is an error).
    #[arg(long, value_name = "COUNT")]
    pub max_html_nodes: Option<usize>,
    /// HTML input: deepest element nesting in one page (deeper is an error).
    #[arg(long, value_name = "DEPTH")]
    pub max_html_depth: Option<usize>,
}

impl DocArgs {
    /// HTML options for rewriting files in place: the output stays HTML.
    pub fn html_options(&self) -> deboil::HtmlOptions {
        let defaults = deboil::HtmlOptions::default();
        deboil::HtmlOptions {
            encoding: self.encoding.clone(),
            max_nodes: self.max_html_nodes.unwrap_or(defaults.max_nodes),
            max_depth: self.max_html_depth.unwrap_or(defaults.max_depth),
            ..defaults
        }
    }
}

#[derive(Debug, ClapArgs)]
pub struct FilterArgs {
    #[command(flatten)]
    pub doc: DocArgs,
    /// Print a unified diff (raw vs cleaned) instead of the cleaned text.
    #[arg(long, conflicts_with_all = ["report", "jsonl"])]
    pub diff: bool,
    /// Print a report instead of the cleaned text.
    #[arg(long, value_enum, value_name = "KIND")]
    pub report: Option<FilterReport>,
    /// HTML input: what to print, the cleaned HTML or its readable text or Markdown.
    #[arg(long, value_enum, default_value = "html")]
    pub output: OutputArg,
    /// Standard input and output are JSON Lines; clean one field of each record.
    #[arg(long, conflicts_with = "report")]
    pub jsonl: bool,
    /// With --jsonl: the field to clean.
    #[arg(long, default_value = "text", requires = "jsonl")]
    pub field: String,
    /// With --jsonl: pass bad records through unchanged (and count them) instead of failing.
    #[arg(long, requires = "jsonl")]
    pub skip_bad_records: bool,
    /// Files to clean, in order; none or `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub struct CheckArgs {
    #[command(flatten)]
    pub doc: DocArgs,
    /// Print what `fix` would change, as a unified diff.
    #[arg(long, conflicts_with = "report")]
    pub diff: bool,
    /// Print a report instead of one line per finding.
    #[arg(long, value_enum, value_name = "KIND")]
    pub report: Option<CheckReport>,
    /// Files and folders to check (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub struct FixArgs {
    #[command(flatten)]
    pub doc: DocArgs,
    /// Files and folders to fix (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The rule's id, e.g. `promo.signup-bonus`.
    pub id: String,
}

#[derive(Debug, ClapArgs)]
pub struct RulesListArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Print every normalized phrase of the active rules, one per line.
    #[arg(long, conflicts_with = "patterns")]
    pub phrases: bool,
    /// Print every pattern the automaton scans for (phrases, `unless` phrases and the
    /// literals that trigger regexes), normalized, one per line.
    #[arg(long)]
    pub patterns: bool,
}

#[derive(Debug, ClapArgs)]
pub struct RulesTestArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Pack files or folders to test (loaded after the built-in packs); none: every loaded rule.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Text,
    Markdown,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Html,
    Text,
    Markdown,
}

impl FilterArgs {
    /// HTML options from `--output` and `--encoding`.
    pub fn html_options(&self) -> deboil::HtmlOptions {
        deboil::HtmlOptions {
            output: match self.output {
                OutputArg::Html => deboil::HtmlOutput::Html,
                OutputArg::Text => deboil::HtmlOutput::Text,
                OutputArg::Markdown => deboil::HtmlOutput::Markdown,
            },
            ..self.doc.html_options()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ModeArg {
    #[default]
    Default,
    Aggressive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FilterReport {
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckReport {
    Json,
    Sarif,
}
