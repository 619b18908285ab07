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
        Layout::Pgshift | Layout::Sqlx | Layout::GolangMigrate => files::write_all(dir, migrations),
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
        Layout::Refinery => Err(Error::History(format!(
            "cannot write new migrations into {}: refinery keeps versions in 32 bits unless \
             built with int8-versions, and has no down files, while pgshift names migrations \
             by their UTC time with a down each.\n  hint: keep writing refinery files by hand \
             (`pgshift check`, `pgshift test` and `pgshift upgrade` read them), or start a \
             pgshift project from the schema they produce",
            dir.display()
        ))),
    }
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
