//! Where a schema comes from: a live database, or a model loaded into a throwaway
//! database and read back, so that every source is compared as PostgreSQL stores it.

pub mod citus;
pub mod citus_sql;
mod conninfo;
pub mod exclude;
pub mod model;
pub mod model_privileges;
pub mod model_sql;
pub mod postgres;
pub mod rust;
mod sql;
pub mod sql_hints;
mod sql_owners;
pub(crate) mod sql_roles;
pub mod toml;

pub use self::postgres::{introspect, IntrospectOptions};
pub use conninfo::{
    connect, connect_with_notices, describe_pg_error, looks_like_conninfo, ConnInfo,
};
pub use exclude::Exclude;
pub use model::Hints;
pub use sql::create_extension_statement;

use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::schema::Schema;
use std::cell::OnceCell;
use std::fmt;
use std::path::PathBuf;

/// A schema source named on the command line.
#[derive(Clone, Debug)]
pub enum Source {
    /// `postgres://...`, `postgresql://...` or a libpq `key=value` string
    /// (`host=... dbname=...`).
    Postgres(Box<ConnInfo>),
    /// A `.sql` file of DDL (or `sql:PATH`).
    SqlFile(PathBuf),
    /// A TOML spec (`.toml` or `toml:PATH`), see docs/toml-spec.md.
    Toml(PathBuf),
    /// Rust models (`.rs`, a directory read recursively, or `rust:PATH`), see
    /// docs/rust-models.md.
    Rust(PathBuf),
}

impl Source {
    /// Tells sources apart by scheme and extension (`postgres://`, `.sql`, `.toml`, `.rs`
    /// or a directory of Rust files); `sql:`, `toml:` and `rust:` force a kind.
    pub fn parse(text: &str) -> Result<Source> {
        if let Some(path) = text.strip_prefix("sql:") {
            return Ok(Source::SqlFile(PathBuf::from(path)));
        }
        if let Some(path) = text.strip_prefix("toml:") {
            return Ok(Source::Toml(PathBuf::from(path)));
        }
        if let Some(path) = text.strip_prefix("rust:") {
            return Ok(Source::Rust(PathBuf::from(path)));
        }
        if text.starts_with("postgres://")
            || text.starts_with("postgresql://")
            || looks_like_conninfo(text)
        {
            return Ok(Source::Postgres(Box::new(ConnInfo::parse(text)?)));
        }
        if text.ends_with(".sql") {
            return Ok(Source::SqlFile(PathBuf::from(text)));
        }
        if text.ends_with(".toml") {
            return Ok(Source::Toml(PathBuf::from(text)));
        }
        if text.ends_with(".rs") || std::path::Path::new(text).is_dir() {
            return Ok(Source::Rust(PathBuf::from(text)));
        }
        Err(Error::UnknownSource(text.to_string()))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Postgres(info) => write!(f, "{}", info.display()),
            Source::SqlFile(path) | Source::Toml(path) | Source::Rust(path) => {
                write!(f, "{}", path.display())
            }
        }
    }
}

/// Loads sources, starting one scratch server on first need and reusing it.
pub struct Loader {
    dev_url: Option<String>,
    options: IntrospectOptions,
    rust: rust::Options,
    scratch: OnceCell<ScratchServer>,
}

impl Loader {
    pub fn new(dev_url: Option<String>, options: IntrospectOptions) -> Loader {
        Loader {
            dev_url,
            options,
            rust: rust::Options::default(),
            scratch: OnceCell::new(),
        }
    }

    /// Reads Rust models with a project's `[rust]` and `[types]` settings.
    pub fn with_rust(mut self, rust: rust::Options) -> Loader {
        self.rust = rust;
        self
    }

    pub fn load(&self, source: &Source) -> Result<Schema> {
        self.load_with_hints(source).map(|(schema, _)| schema)
    }

    /// The schema, and what the model says that PostgreSQL does not store (renames,
    /// backfills, `using`). Hints are empty for a database; a `.sql` file gives only
    /// `using` / `downgrade_using` (`sql_hints`).
    pub fn load_with_hints(&self, source: &Source) -> Result<(Schema, Hints)> {
        let model = match source {
            Source::Postgres(info) => {
                return Ok((load_live(info, &self.options)?, Hints::default()));
            }
            Source::SqlFile(path) => {
                let (schema, hints) = sql::load(self.scratch()?, path, &self.options)?;
                self.note_citus(&schema)?;
                return Ok((schema, hints));
            }
            Source::Toml(path) => toml::read(path)?,
            Source::Rust(path) => rust::read_with(path, &self.rust)?,
        };
        let mut model = model;
        // Citus's own extensions belong to the cluster (and cannot load on a scratch
        // server without `shared_preload_libraries`); introspection leaves them out too.
        model
            .extensions
            .retain(|e| !self::postgres::citus::OWN_EXTENSIONS.contains(&e.name.as_str()));
        let statements = model_sql::render(&model)?;
        let mut schema = sql::load_statements(self.scratch()?, &statements, &self.options)?;
        citus::apply_model(&model, &mut schema)?;
        model_privileges::apply(&model.privileges, &mut schema)?;
        model_privileges::apply_defaults(&model.default_privileges, &mut schema)?;
        self.note_citus(&schema)?;
        Ok((schema, model.hints()))
    }

    /// Both sides of a comparison, and the hints of the side compared to. Two live
    /// databases are read at the same time, each on a connection of its own:
    /// introspection mostly waits for the server's catalog functions (`pg_get_indexdef`,
    /// ...), and the two servers' work overlaps.
    pub fn load_pair(&self, a: &Source, b: &Source) -> Result<(Schema, Schema, Hints)> {
        let (Source::Postgres(a_info), Source::Postgres(b_info)) = (a, b) else {
            let old = self.load(a)?;
            let (new, hints) = self.load_with_hints(b)?;
            return Ok((old, new, hints));
        };
        let options = &self.options;
        std::thread::scope(|s| {
            let b_side = s.spawn(|| load_live(b_info, options));
            let a_schema = load_live(a_info, options);
            let b_schema = b_side.join().expect("introspection thread panicked");
            Ok((a_schema?, b_schema?, Hints::default()))
        })
    }

    /// A model that places tables with Citus: later scratch databases (replays of
    /// migrations that call Citus) get the extension.
    fn note_citus(&self, model: &Schema) -> Result<()> {
        if model.tables.values().any(|t| t.citus.is_some()) {
            self.scratch()?.use_citus();
        }
        Ok(())
    }

    /// The scratch server models are built on, started on first use.
    pub fn scratch(&self) -> Result<&ScratchServer> {
        if let Some(s) = self.scratch.get() {
            return Ok(s);
        }
        let server = ScratchServer::new(self.dev_url.as_deref())?;
        Ok(self.scratch.get_or_init(|| server))
    }
}

fn load_live(info: &ConnInfo, options: &IntrospectOptions) -> Result<Schema> {
    let mut client = connect(info)?;
    introspect(&mut client, options, &info.display())
}
