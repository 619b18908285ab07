use clap::{Args, ValueEnum};
use pgshift::plan::{plan_with, SqlOptions};
use pgshift::source::{IntrospectOptions, Loader, Source};
use pgshift::{Error, Result};

#[derive(Args)]
pub struct DiffArgs {
    /// The schema as it is: postgres://URL, a .sql, .toml or .rs file, a directory of .rs
    /// files, or a prefixed path (sql:, toml:, rust:).
    #[arg(long, value_name = "SOURCE")]
    from: String,
    /// The schema as it should be.
    #[arg(long, value_name = "SOURCE")]
    to: String,
    /// Print the downgrade (to -> from) of the same pair instead of the upgrade.
    #[arg(long)]
    down: bool,
    /// Only these schemas (repeatable); all user schemas by default.
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable):
    /// `audit.*`, `*.tmp_*`, a schema's bare name. `*` matches any run of characters, `?`
    /// one. The version tables of pgshift, sqlx, diesel, refinery, sea-orm-migration,
    /// Alembic, Flyway and golang-migrate are always left out.
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Build .sql models on this server instead of a private throwaway cluster
    /// (needs the right to CREATE DATABASE).
    #[arg(
        long,
        value_name = "URL",
        env = "PGSHIFT_DEV_URL",
        hide_env_values = true
    )]
    dev_url: Option<String>,
    /// Fail when either schema holds objects pgshift does not model yet.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
    /// `SET lock_timeout` at the top of the script: how long a statement may wait for a
    /// lock before giving up, rather than queue all other queries on the table behind it.
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    lock_timeout: String,
    /// `SET statement_timeout` at the top of the script (lifted around concurrent index
    /// builds and validations, which must not be cut short).
    #[arg(long, value_name = "DURATION", default_value = "30min")]
    statement_timeout: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// SQL that runs as is with `psql -v ON_ERROR_STOP=1 -f FILE`.
    Sql,
    /// A readable listing: steps, phases, transaction modes and hazards.
    Plan,
    /// The ordered steps as JSON, for tools.
    Json,
}

pub fn run(args: DiffArgs) -> Result<i32> {
    let from = Source::parse(&args.from)?;
    let to = Source::parse(&args.to)?;
    let loader = Loader::new(
        args.dev_url.clone(),
        IntrospectOptions {
            schemas: args.schemas.clone(),
            ..IntrospectOptions::excluding(&args.exclude)
        },
    )
    .with_rust(project_rust_options(&[&from, &to])?);
    // Renames and backfills come from the model the plan goes to.
    let (old, new, hints) = loader.load_pair(&from, &to)?;
    for (source, schema) in [(&from, &old), (&to, &new)] {
        if schema.unsupported.is_empty() {
            continue;
        }
        if args.strict {
            return Err(Error::Unsupported(schema.unsupported.clone()));
        }
        for u in &schema.unsupported {
            errln!(
                "warning: {source}: {} {} is not modelled by pgshift and is left out of the diff (--strict makes this an error)",
                u.kind, u.identity
            );
        }
    }
    let plan = if args.down {
        plan_with(&new, &old, &hints.inverted())?
    } else {
        plan_with(&old, &new, &hints)?
    };
    let options = SqlOptions {
        lock_timeout: args.lock_timeout.clone(),
        statement_timeout: args.statement_timeout.clone(),
    };
    match args.format {
        Format::Sql => out!("{}", plan.to_sql_with(&options)),
        Format::Plan => out!("{}", pgshift::render::plan_text(&plan)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plan serializes")
        ),
    }
    // The process ends here: leave the two schemas and the plan to the OS instead of
    // freeing them object by object (a tenth of the CPU time at 10,000 tables). The
    // loader, which may own a throwaway cluster to stop, is dropped as usual.
    std::mem::forget((old, new, plan));
    Ok(0)
}

/// Rust models are read with the `[rust]` and `[types]` of the pgshift.toml in the
/// current directory, when there is one (the settings `generate` uses).
fn project_rust_options(sources: &[&Source]) -> Result<pgshift::source::rust::Options> {
    let path = std::path::Path::new(pgshift::migrate::project::CONFIG_FILE);
    if !sources.iter().any(|s| matches!(s, Source::Rust(_))) || !path.is_file() {
        return Ok(Default::default());
    }
    Ok(pgshift::migrate::project::Config::load(path)?.rust_options())
}
