use clap::{Args, ValueEnum};
use pgshift::plan::plan;
use pgshift::schema::{Namespace, Schema};
use pgshift::source::{IntrospectOptions, Loader, Source};
use pgshift::Result;

#[derive(Args)]
pub struct InspectArgs {
    /// postgres://URL, a .sql, .toml or .rs file, a directory of .rs files, or a
    /// prefixed path (sql:, toml:, rust:).
    #[arg(value_name = "SOURCE")]
    source: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
    /// Only these schemas (repeatable); all user schemas by default.
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable):
    /// `audit.*`, `*.tmp_*`, a schema's bare name. `*` matches any run of characters, `?`
    /// one. The version tables of pgshift, sqlx, diesel, refinery, sea-orm-migration,
    /// Alembic, Flyway and golang-migrate are always left out.
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Build models on this server instead of a private throwaway cluster
    /// (needs the right to CREATE DATABASE).
    #[arg(
        long,
        value_name = "URL",
        env = "PGSHIFT_DEV_URL",
        hide_env_values = true
    )]
    dev_url: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// DDL that creates the schema, in dependency order.
    Sql,
    /// A TOML spec (docs/toml-spec.md) that reads back as the same schema.
    Toml,
    /// The schema IR as JSON.
    Json,
}

/// What `CREATE DATABASE` gives: the `public` schema, so the SQL runs on a new database.
fn new_database() -> Schema {
    let mut s = Schema::default();
    s.schemas.insert(
        "public".into(),
        Namespace {
            name: "public".into(),
            comment: Some("standard public schema".into()),
        },
    );
    s
}

pub fn run(args: InspectArgs) -> Result<i32> {
    let source = Source::parse(&args.source)?;
    let loader = Loader::new(
        args.dev_url.clone(),
        IntrospectOptions {
            schemas: args.schemas.clone(),
            ..IntrospectOptions::excluding(&args.exclude)
        },
    );
    let schema = loader.load(&source)?;
    for u in &schema.unsupported {
        errln!(
            "warning: {source}: {} {} is not modelled by pgshift and is left out",
            u.kind,
            u.identity
        );
    }
    match args.format {
        Format::Sql => out!("{}", plan(&new_database(), &schema)?.to_sql()),
        Format::Toml => out!("{}", pgshift::source::toml::to_toml(&schema)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&schema).expect("schema serializes")
        ),
    }
    Ok(0)
}
