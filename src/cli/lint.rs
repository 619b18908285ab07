//! `pgshift lint`: the schema-design rules of `pgshift::lint` on a model or a database,
//! and the findings `generate` and `check` print for the objects a change touches.

use clap::{Args, ValueEnum};
use pgshift::lint::{self, Finding, LintConfig, Origins};
use pgshift::migrate::project::CONFIG_FILE;
use pgshift::migrate::Project;
use pgshift::schema::{ObjectId, Schema};
use pgshift::source::{IntrospectOptions, Loader, Source};
use pgshift::{Error, Result};
use std::path::PathBuf;

#[derive(Args)]
pub struct LintArgs {
    /// What to lint: postgres://URL, a .sql, .toml or .rs file, a directory of .rs files;
    /// the project's model (pgshift.toml) by default.
    #[arg(value_name = "SOURCE")]
    source: Option<String>,
    /// The project settings file: its [lint] table configures the rules (read when it
    /// exists, required without SOURCE).
    #[arg(long, default_value = CONFIG_FILE, value_name = "FILE")]
    config: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable).
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    #[command(flatten)]
    dev: super::migrations::DevServerArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One block per finding, then a summary line.
    Text,
    /// `{"findings": [...], "errors": N, "warnings": N, "allowed": N}`.
    Json,
}

/// Exit 1 when an error-level finding is not allowed, 0 otherwise, 2 on error.
pub fn run(args: LintArgs) -> Result<i32> {
    let project = match (&args.source, args.config.exists()) {
        (_, true) => Some(Project::open(&args.config)?),
        (Some(_), false) => None,
        (None, false) => {
            return Err(Error::Io {
                path: args.config.clone(),
                reason: "no project settings here: name what to lint (`pgshift lint \
                         schema.sql`, a database URL) or run `pgshift init`"
                    .into(),
            })
        }
    };
    let config = project
        .as_ref()
        .map_or_else(LintConfig::default, |p| p.config.lint.clone());
    let options = match &project {
        Some(p) => p.config.introspect_options(&args.exclude),
        None => IntrospectOptions::excluding(&args.exclude),
    };
    let text = match (&args.source, &project) {
        (Some(s), _) => s.clone(),
        (None, Some(p)) => p.config.model.clone(),
        (None, None) => unreachable!("refused above"),
    };
    let source = Source::parse(&text)?;
    let rust = project
        .as_ref()
        .map(|p| p.config.rust_options())
        .unwrap_or_default();
    let schema = Loader::new(args.dev.dev_url.clone(), options)
        .with_rust(rust.clone())
        .load(&source)?;
    let findings = lint::lint(&schema, &config, &model_origins(&source, &rust)?);
    match args.format {
        Format::Text => {
            for f in &findings {
                outln!("{f}\n");
            }
            outln!("{}: {}", source, lint::summary(&findings));
        }
        Format::Json => {
            let count =
                |pred: &dyn Fn(&Finding) -> bool| findings.iter().filter(|f| pred(f)).count();
            let out = serde_json::json!({
                "findings": findings,
                "errors": count(&|f| f.fails()),
                "warnings": count(&|f| f.level == lint::Level::Warn && f.allowed.is_none()),
                "allowed": count(&|f| f.allowed.is_some()),
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&out).expect("findings serialize")
            );
        }
    }
    Ok(i32::from(findings.iter().any(Finding::fails)))
}

/// Where a TOML or Rust model wrote each object (read again: parsing is cheap next to
/// building the model on a server); nothing for SQL files and databases.
pub fn model_origins(source: &Source, rust: &pgshift::source::rust::Options) -> Result<Origins> {
    Ok(match source {
        Source::Toml(path) => Origins::from_model(&pgshift::source::toml::read(path)?),
        Source::Rust(path) => Origins::from_model(&pgshift::source::rust::read_with(path, rust)?),
        Source::SqlFile(_) | Source::Postgres(_) => Origins::none(),
    })
}

/// For `generate` and `check`: the findings on the objects a change touches, on stderr,
/// so that a change that adds a foreign key without an index says so when it is made.
/// They never change the command's exit code; `pgshift lint` is the CI gate.
pub fn warn_touched(
    model: &Schema,
    source: &Source,
    config: &LintConfig,
    rust: &pgshift::source::rust::Options,
    touched: &[ObjectId],
) -> Result<()> {
    // The files are already written when this runs: a model that cannot be re-read for
    // locations (changed since) costs the locations, never the command's success.
    let origins = model_origins(source, rust).unwrap_or_else(|_| Origins::none());
    let findings = lint::touching(lint::lint(model, config, &origins), touched);
    let shown: Vec<&Finding> = findings.iter().filter(|f| f.allowed.is_none()).collect();
    if shown.is_empty() {
        return Ok(());
    }
    errln!("\nLint findings on what this change touches (`pgshift lint` for the whole schema):\n");
    for f in shown {
        errln!("{f}\n");
    }
    Ok(())
}
