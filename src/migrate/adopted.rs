//! A project that adopted another tool's migrations (`layout` in pgshift.toml): they are
//! read in place as pgshift's own, and new ones are written in the tool's layout, so the
//! team can keep running that tool, or switch to `pgshift upgrade` after `pgshift stamp`.

use super::files::{self, Migration, NO_TRANSACTION};
use super::foreign::{self, Layout};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The migrations of `dir` in `layout`, as pgshift's runner runs them. One the tool runs
/// outside a transaction (a diesel `metadata.toml` with `run_in_transaction = false`, a
/// golang-migrate file with its own `BEGIN; ... COMMIT;`) is read as a `-- no-transaction`
/// migration: its script gets that first line (its checksum is of that text).
pub fn read(dir: &Path, layout: Layout) -> Result<Vec<Migration>> {
    let history = foreign::read(dir, layout)?;
    Ok(history
        .migrations
        .into_iter()
        .map(|f| {
            let mut m = f.migration;
            if !f.up_transactional && !m.up.starts_with(NO_TRANSACTION) {
                m.up = format!("{NO_TRANSACTION}\n{}", m.up);
            }
            if let Some(down) = &mut m.down {
                if !f.down_transactional && !down.starts_with(NO_TRANSACTION) {
                    *down = format!("{NO_TRANSACTION}\n{down}");
                }
            }
            m
        })
        .collect())
}

/// Writes new migrations in `layout`, all or nothing.
pub fn write(dir: &Path, layout: Layout, migrations: &[Migration]) -> Result<Vec<PathBuf>> {
    match layout {
        Layout::Pgshift | Layout::Sqlx => files::write_all(dir, migrations),
        Layout::GolangMigrate => {
            // A history numbered in sequence is zero-padded (`000004_...`): new files take
            // the width of the newest.
            let width = foreign::read(dir, layout)
                .ok()
                .and_then(|h| h.migrations.last().map(|m| m.label.clone()))
                .filter(|label| label.starts_with('0'))
                .map_or(0, |label| label.len());
            let mut out = vec![];
            for m in migrations {
                let stem = format!("{:0width$}_{}", m.version, m.name);
                out.push((dir.join(format!("{stem}.up.sql")), m.up.clone(), false));
                if let Some(down) = &m.down {
                    out.push((dir.join(format!("{stem}.down.sql")), down.clone(), false));
                }
            }
            files::write_files(&out)
        }
        Layout::Diesel => {
            let mut out = vec![];
            for m in migrations {
                let folder = dir.join(format!("{}_{}", diesel_version(m.version), m.name));
                out.push((folder.join("up.sql"), m.up.clone(), false));
                if let Some(down) = &m.down {
                    out.push((folder.join("down.sql"), down.clone(), false));
                }
                if !m.transactional() {
                    // diesel reads no `-- no-transaction` line: it asks metadata.toml.
                    out.push((
                        folder.join("metadata.toml"),
                        "run_in_transaction = false\n".to_string(),
                        false,
                    ));
                }
            }
            files::write_files(&out)
        }
        Layout::Refinery => {
            let mut out = vec![];
            for m in migrations {
                // refinery has no downgrades: the up alone, `V<n>__<name>.sql`.
                let path = dir.join(format!("V{}__{}.sql", m.version, m.name));
                if !m.transactional() {
                    return Err(refinery_needs_transaction(m, &path));
                }
                out.push((path, m.up.clone(), false));
            }
            files::write_files(&out)
        }
    }
}

/// refinery's PostgreSQL drivers run every migration in a transaction, in which
/// PostgreSQL refuses `CREATE INDEX CONCURRENTLY`, a batched backfill cannot commit its
/// batches, and a value `ALTER TYPE ... ADD VALUE` adds cannot be used. refinery has no
/// per-migration way out (no marker in the file; its Runner's only transaction setting,
/// `set_grouped`, puts all migrations in one transaction instead of one each), so such a
/// migration is refused, naming the file it would have been.
fn refinery_needs_transaction(m: &Migration, path: &Path) -> Error {
    let statement = super::split::statements(&m.up)
        .into_iter()
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|s| !s.is_empty() && !s.to_ascii_uppercase().starts_with("SET "))
        .unwrap_or_default();
    Error::History(format!(
        "cannot write migration {} ({}) in refinery's layout, as {}: it must run outside a \
         transaction ({}), and refinery runs every migration inside one (it has no \
         per-migration setting to turn that off), where PostgreSQL refuses it; nothing was \
         written.\n  hint: write {} by hand as refinery can run it (a plain CREATE INDEX \
         blocks writes to the table while it builds), or squash the history into pgshift's \
         layout (remove pgshift.toml, then `pgshift init --adopt DIR --squash`) and run it \
         with `pgshift upgrade`",
        m.version,
        m.name,
        crate::sql::terminal(&path.display().to_string()),
        crate::sql::terminal(&statement),
        crate::sql::terminal(&path.file_name().unwrap_or_default().to_string_lossy())
    ))
}

/// The migrations of a refinery history that refinery cannot run, each as a line naming
/// its file: one holding a statement PostgreSQL refuses in a transaction (`CREATE INDEX
/// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`), which refinery
/// runs inside one. pgshift runs such a file statement by statement (as `-- no-transaction`),
/// so `pgshift test` and `upgrade` pass where refinery would fail.
pub fn refinery_cannot_run(history: &foreign::History) -> Vec<String> {
    if history.layout != Layout::Refinery {
        return vec![];
    }
    history
        .migrations
        .iter()
        .filter_map(|f| {
            let refused = super::split::split(&f.migration.up).into_iter().find(|s| {
                super::statement::runs_without_timeouts(s)
                    && s.words(8).iter().any(|w| w == "concurrently")
            })?;
            let statement = refused.sql.split_whitespace().collect::<Vec<_>>().join(" ");
            Some(format!(
                "refinery cannot run {}: `{}` cannot run in a transaction, and refinery runs \
                 every migration inside one (it has no per-migration setting to turn that \
                 off); pgshift ran it outside one.\n  hint: write it as refinery can run it (a \
                 plain CREATE INDEX blocks writes to the table while it builds), or squash the \
                 history into pgshift's layout (`pgshift init --adopt DIR --squash`) and run it \
                 with `pgshift upgrade`",
                crate::sql::terminal(&f.migration.path.display().to_string()),
                crate::sql::terminal(&statement)
            ))
        })
        .collect()
}

/// `YYYY-MM-DD-HHMMSS`, as `diesel migration generate` names folders.
fn diesel_version(version: i64) -> String {
    let v = format!("{version:014}");
    format!("{}-{}-{}-{}", &v[0..4], &v[4..6], &v[6..8], &v[8..14])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_versions_are_dashed() {
        assert_eq!(diesel_version(20261203065721), "2026-12-03-065721");
    }
}
