//! Running a sea-orm-migration crate as its team runs it, to learn the schema its
//! migrations make when pgshift cannot read them (modules built with sea-query's schema
//! builders: `manager.create_table(Table::create()...)`). `cargo run -- up` is the command
//! `sea-orm-cli migrate up` runs; the crate's `main.rs` (`cli::run_cli(Migrator)`, as
//! `sea-orm-cli migrate init` writes it) reads `DATABASE_URL`. It runs on a throwaway
//! database, as the role without superuser rights that replays run as; what it applied
//! is read back from its `seaql_migrations` table.

use crate::error::{Error, Result};
use crate::pg::ScratchDatabase;
use crate::render::sea_orm::parse_module_name;
use crate::source::describe_pg_error;
use std::path::Path;
use std::process::Command;

/// A migration the crate applied: its version (from the module's name) and that name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub version: i64,
    pub module: String,
}

/// Runs the crate in `krate` (its `Cargo.toml`) with `up` on `db`, and returns the
/// migrations it applied, by version. `seaql_migrations` is dropped afterwards, so `db`
/// holds only the schema the migrations made.
pub fn run_up(krate: &Path, db: &ScratchDatabase) -> Result<Vec<Applied>> {
    let manifest = krate.join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "up"])
        .env("DATABASE_URL", db.model_url()?)
        .output()
        .map_err(|e| Error::Io {
            path: Path::new(&cargo).to_path_buf(),
            reason: format!("cannot run cargo to build and run the migration crate: {e}"),
        })?;
    if !out.status.success() {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let tail: Vec<&str> = said.lines().rev().take(30).collect();
        let tail: Vec<String> = tail
            .into_iter()
            .rev()
            .map(|l| format!("  {}", crate::sql::terminal(l)))
            .collect();
        return Err(Error::History(format!(
            "`cargo run --manifest-path {} -- up` failed on a throwaway database ({}); nothing \
             was written. It said:\n{}\n  hint: pgshift runs the crate as `sea-orm-cli migrate \
             up` does: its main.rs must call `cli::run_cli(Migrator)` (as `sea-orm-cli \
             migrate init` writes it, with sea-orm-migration's default `cli` feature and a \
             PostgreSQL driver feature such as `sqlx-postgres`), and its migrations must run \
             as a role that is not a superuser; check that `cargo run -- up` works on an \
             empty database",
            crate::sql::terminal(&manifest.display().to_string()),
            db.describe(),
            tail.join("\n")
        )));
    }
    let failed = |what: &str, e: &postgres::Error| Error::Database {
        what: what.to_string(),
        target: db.describe(),
        reason: describe_pg_error(e),
    };
    let mut client = db.connect()?;
    let rows = client
        .query(
            "SELECT version::text FROM public.seaql_migrations ORDER BY version",
            &[],
        )
        .map_err(|e| {
            failed(
                "reading seaql_migrations after the migration crate ran (it should have \
                 recorded what it applied there)",
                &e,
            )
        })?;
    let mut applied = vec![];
    for row in rows {
        let module: String = row.get(0);
        let version = module_version(&module)?;
        applied.push(Applied { version, module });
    }
    applied.sort_by_key(|a| a.version);
    if let Some(w) = applied.windows(2).find(|w| w[0].version == w[1].version) {
        return Err(Error::History(format!(
            "migrations {} and {} of the crate have the same version {}: pgshift numbers \
             migrations by the date and time in their names",
            w[0].module, w[1].module, w[0].version
        )));
    }
    client
        .batch_execute("DROP TABLE public.seaql_migrations")
        .map_err(|e| failed("dropping seaql_migrations from the throwaway database", &e))?;
    Ok(applied)
}

/// The version of a sea-orm-migration migration from its name,
/// `m<YYYYMMDD>_<HHMMSS>_<name>` (the module name `sea-orm-cli migrate generate` gives
/// it, which `DeriveMigrationName` records): `20220101000001`.
pub fn module_version(module: &str) -> Result<i64> {
    parse_module_name(module)
        .map(|(version, _)| version)
        .ok_or_else(|| {
            Error::History(format!(
                "sea-orm-migration migration {:?} is not named m<YYYYMMDD>_<HHMMSS>_<name> (as \
                 `sea-orm-cli migrate generate` names them): pgshift numbers migrations by the \
                 date and time in that name",
                crate::sql::terminal(module)
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_date_and_time_of_the_name() {
        assert_eq!(
            module_version("m20220101_000001_create_table_v2").unwrap(),
            20220101000001
        );
        let err = module_version("create_users").unwrap_err().to_string();
        assert!(err.contains("m<YYYYMMDD>_<HHMMSS>_<name>"), "{err}");
    }
}
