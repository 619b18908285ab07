//! Typed errors of the library. The CLI turns them into reports; every variant says what
//! went wrong, where, and what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Could not reach or log in to a server. `target` never holds a password.
    #[error("could not connect to {target}: {reason}\n  hint: {hint}")]
    Connect {
        target: String,
        reason: String,
        hint: String,
    },

    #[error("{what} failed on {target}: {reason}")]
    Database {
        what: String,
        target: String,
        reason: String,
    },

    /// A SQL file (a model, or a migration) that PostgreSQL rejected or pgshift refuses.
    #[error("{path}:{line}:{column}: {message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    SqlFile {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: Option<String>,
    },

    /// A TOML or Rust model that cannot be read, or one of its objects that PostgreSQL
    /// rejected: located at the object in the model.
    #[error("{path}:{line}:{column}: {message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Model {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: Option<String>,
    },

    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },

    #[error("cannot tell what kind of source {0:?} is; use postgres://..., a .sql, .toml or .rs file, a directory of .rs files, or a prefix: sql:, toml:, rust:")]
    UnknownSource(String),

    #[error("invalid database URL {url}: {reason}")]
    BadUrl { url: String, reason: String },

    /// The throwaway PostgreSQL cluster could not be set up.
    #[error("could not start a throwaway PostgreSQL: {0}")]
    Cluster(String),

    #[error("{}", unsupported_message(.0))]
    Unsupported(Vec<crate::schema::Unsupported>),

    /// A migration failed; the version table is as it was before it. `statement` is the
    /// failed statement without its comments, `location` its `file:line:column` (where
    /// the server's error points, when it does).
    #[error("migration {version} ({name}) failed: {reason}{}{}",
        location.as_ref().map(|l| format!("\n  at {l}")).unwrap_or_default(),
        statement.as_ref().map(|s| format!("\n  in statement: {}", s.replace('\n', "\n    "))).unwrap_or_default())]
    Migration {
        version: i64,
        name: String,
        statement: Option<String>,
        location: Option<String>,
        reason: String,
    },

    /// Ctrl-C or SIGTERM arrived; everything started has been stopped.
    #[error("interrupted")]
    Interrupted,

    #[error("cannot order the migration: {0}")]
    Plan(String),

    /// A role the new schema grants to, makes an owner or sets default privileges for,
    /// missing from the target database's server. pgshift does not create roles.
    #[error("role {role:?} does not exist on the target database's server; it is named by {object}\n  hint: pgshift does not create roles: create it first (CREATE ROLE {role_sql} NOLOGIN, or with the rights your team gives it), or take it out of the model")]
    MissingRole {
        role: String,
        role_sql: String,
        object: String,
    },

    /// A change PostgreSQL cannot make as the schemas describe it (a column type change
    /// with no cast): what to add to the model.
    #[error("{message}\n  hint: {hint}")]
    TypeChange { message: String, hint: String },

    /// A migration template that cannot be parsed or rendered.
    #[error("{path}:{line}: template error: {message}\n  hint: fix the template (its variables: docs/workflow.md#templates), or delete it to use the built-in default; nothing was written")]
    Template {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// The migration history cannot be used as it is (two heads, a failed merge, ...).
    #[error("{0}")]
    History(String),

    /// A squash whose one migration does not give what the migrations it replaces give,
    /// as `oracle` sees it; the command adds how to go on (it knows its options).
    #[error("cannot squash: one migration would not give the same database as the migrations it replaces, {oracle}; nothing was written. The difference:\n{difference}")]
    SquashRefused { oracle: String, difference: String },

    /// Every error found in a model, each at its `file:line:column`, in the order read
    /// (at most `MAX_MODEL_ERRORS`; the count of those left out).
    #[error("{}", models_message(.0, *.1))]
    Models(Vec<Error>, usize),

    /// A sea-orm migration module or `lib.rs` that pgshift cannot read or extend.
    #[error("{path}: {message}\n  hint: {hint}")]
    SeaOrm {
        path: PathBuf,
        message: String,
        hint: String,
    },
}

fn unsupported_message(objects: &[crate::schema::Unsupported]) -> String {
    let mut msg = String::from("the database holds objects pgshift does not model yet (--strict):");
    for o in objects {
        msg.push_str(&format!("\n  {} {}", o.kind, o.identity));
    }
    msg
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many model errors one run reports; a model with more is far from readable, and
/// the first ones say what is wrong.
pub const MAX_MODEL_ERRORS: usize = 50;

fn models_message(errors: &[Error], more: usize) -> String {
    let mut msg: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    if more > 0 {
        msg.push(format!("... and {more} more"));
    }
    msg.push(format!("{} errors in the model", errors.len() + more));
    msg.join("\n")
}

/// Model errors gathered while reading on, so that one run reports them all.
#[derive(Default)]
pub struct Collected {
    errors: Vec<Error>,
    more: usize,
}

impl Collected {
    /// The value, or None with the error kept.
    pub fn keep<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, e: Error) {
        match e {
            Error::Models(list, more) => {
                self.more += more;
                for e in list {
                    self.push(e);
                }
            }
            e if self.errors.len() < MAX_MODEL_ERRORS => self.errors.push(e),
            _ => self.more += 1,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ok when nothing went wrong; the one error, or all of them.
    pub fn finish(mut self) -> Result<()> {
        match (self.errors.len(), self.more) {
            (0, _) => Ok(()),
            (1, 0) => Err(self.errors.remove(0)),
            _ => Err(Error::Models(self.errors, self.more)),
        }
    }
}
