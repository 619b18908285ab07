//! What every run that applies or reverts migrations sets up the same way, on one
//! database (`upgrade`, `complete`, `downgrade`) or on each target of a fleet (`--fleet`):
//! the connection, with the notices of pgshift's own statements printed (a backfill's
//! retried batches); the backend's pid, for progress; for a schema-per-tenant target, its
//! schema (then the shared schemas) as the search path and its own version table; the runner, with the project's
//! timeouts and backfill settings; the advisory lock; and the version table, read and
//! checked against the files before anything runs.

use super::files::Migration;
use super::progress::{notice_printer_for, Output};
use super::project::Config;
use super::{applied, Applied, Runner};
use crate::error::{Error, Result};
use crate::schema::QualifiedName;
use crate::source::{connect_with_notices, describe_pg_error, ConnInfo};
use crate::sql::ident;
use postgres::Client;
use std::path::Path;

/// One open session on a target.
pub struct Session {
    client: Client,
    /// The target as shown in messages (no password).
    pub target: String,
    /// The server process of this session, for progress reports.
    pub pid: i32,
    table: QualifiedName,
    config_timeouts: crate::plan::SqlOptions,
    /// Set again after each migration's `RESET ALL`: the backfill settings, and the
    /// search path of a tenant schema.
    settings: Vec<(String, String)>,
}

/// How a target is named: the database, or a schema of it.
pub fn describe(info: &ConnInfo, schema: Option<&str>) -> String {
    match schema {
        Some(s) => format!("schema {s:?} of {}", info.display()),
        None => info.display(),
    }
}

/// The version table of a target: the project's, or for a tenant schema the table of
/// that name in the schema (each tenant keeps its own record).
pub fn version_table(config: &Config, schema: Option<&str>) -> QualifiedName {
    let table = config.version_table();
    match schema {
        Some(s) => QualifiedName::new(s, table.name.as_str()),
        None => table,
    }
}

impl Session {
    /// Connects to `info` (for a tenant schema: with `schema` as the search path, then
    /// the fleet's shared schemas).
    /// `notices` says how the notices of pgshift's statements are printed, and with which
    /// target name in front (a fleet's lines, from several targets at once).
    pub fn open(
        info: &ConnInfo,
        schema: Option<&str>,
        config: &Config,
        notices: (Output, Option<String>),
    ) -> Result<Session> {
        let target = describe(info, schema);
        let mut client = connect_with_notices(info, notice_printer_for(notices.0, notices.1))?;
        let error = |what: &str, e: postgres::Error| Error::Database {
            what: what.to_string(),
            target: target.clone(),
            reason: describe_pg_error(&e),
        };
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .map(|r| r.get(0))
            .map_err(|e| error("reading the session's process id", e))?;
        let mut settings = config.backfill.settings();
        if let Some(s) = schema {
            let exists: bool = client
                .query_one(
                    "SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1)",
                    &[&s],
                )
                .map(|r| r.get(0))
                .map_err(|e| error("looking up the tenant schema", e))?;
            if !exists {
                return Err(Error::Database {
                    what: "looking up the tenant schema".into(),
                    target,
                    reason: "the schema does not exist (dropped since the fleet was listed?)"
                        .into(),
                });
            }
            // The tenant's schema first (where unqualified names are created), then the
            // schemas every tenant shares.
            let path: Vec<String> = std::iter::once(s)
                .chain(config.fleet.shared_schemas.iter().map(String::as_str))
                .map(ident)
                .collect();
            settings.push(("search_path".into(), path.join(", ")));
        }
        for (name, value) in &settings {
            client
                .execute("SELECT set_config($1, $2, false)", &[name, value])
                .map_err(|e| error("setting up the session", e))?;
        }
        Ok(Session {
            client,
            pid,
            table: version_table(config, schema),
            config_timeouts: config.sql_options(),
            settings,
            target,
        })
    }

    /// The runner for this session: the project's timeouts, the settings set again after
    /// each migration's `RESET ALL`.
    pub fn runner(&mut self) -> Runner<'_> {
        Runner::new(&mut self.client, self.table.clone(), self.target.clone())
            .with_timeouts(self.config_timeouts.clone())
            .with_settings(self.settings.clone())
    }

    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// Under the lock, before anything runs: the version table made where missing, the
/// applied migrations read (a squash migration standing for those it replaced) and each
/// one's file found unchanged.
pub fn prepare(
    runner: &mut Runner,
    migrations: &[Migration],
    dir: &Path,
    command: &str,
) -> Result<Vec<Applied>> {
    runner.ensure_table()?;
    let done = applied::recognise_squashed(migrations, runner.applied()?);
    applied::check_files(migrations, &done, dir, command, true)?;
    Ok(done)
}
