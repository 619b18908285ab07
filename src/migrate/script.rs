//! `upgrade --sql`: pending migrations as one script for `psql -v ON_ERROR_STOP=1 -f`,
//! doing what the runner does: the version table created if missing, a clean session
//! before each migration, each transactional migration in `BEGIN`/`COMMIT` with its
//! version row, each `-- no-transaction` one statement by statement outside a transaction
//! with the timeouts the runner gives it, then its version row. A migration that reads
//! pgshift's session parameters (a batched backfill reads `pgshift.batch_rows`, ...) gets
//! them set after its `RESET ALL`, from `[backfill]`, as the runner sets them.

use super::files::Migration;
use super::runner::check_script;
use super::split::split;
use super::statement::{runs_without_timeouts, sets_timeouts};
use super::version_table;
use crate::error::Result;
use crate::plan::SqlOptions;
use crate::schema::QualifiedName;
use crate::sql::{comment, ident, literal, qualified};

/// The script; `origin` says in its header what "pending" was measured against;
/// `settings` are the session parameters the runner sets (`BackfillConfig::settings`).
pub fn upgrade_script(
    table: &QualifiedName,
    pending: &[&Migration],
    timeouts: &SqlOptions,
    settings: &[(String, String)],
    origin: &str,
) -> Result<String> {
    let mut out = format!(
        "-- pgshift upgrade script: {} pending migration{} ({origin}).\n\
         -- Run it with: psql -v ON_ERROR_STOP=1 -f FILE\n\
         \\set ON_ERROR_STOP on\n\n{}",
        pending.len(),
        if pending.len() == 1 { "" } else { "s" },
        version_table::create_sql(table),
        origin = comment(origin)
    );
    for m in pending {
        let record = format!(
            "INSERT INTO {} (version, name, checksum, execution_ms) VALUES ({}, {}, {}, 0);\n",
            qualified(table),
            m.version,
            literal(&m.name),
            literal(&m.checksum())
        );
        out.push_str(&format!(
            "\n-- migration {} {}\n",
            m.version,
            comment(&m.name)
        ));
        block(
            &mut out,
            &m.path,
            &m.up,
            m.transactional(),
            &record,
            timeouts,
            settings,
        )?;
    }
    Ok(out)
}

/// The down scripts of `to_revert` (newest first), each removing its version row.
pub fn downgrade_script(
    table: &QualifiedName,
    to_revert: &[&Migration],
    timeouts: &SqlOptions,
    origin: &str,
) -> Result<String> {
    let mut out = format!(
        "-- pgshift downgrade script: {} migration{} to revert, newest first ({origin}).\n\
         -- Run it with: psql -v ON_ERROR_STOP=1 -f FILE\n\\set ON_ERROR_STOP on\n",
        to_revert.len(),
        if to_revert.len() == 1 { "" } else { "s" },
        origin = comment(origin)
    );
    for m in to_revert {
        let forget = format!(
            "DELETE FROM {} WHERE version = {};\n",
            qualified(table),
            m.version
        );
        out.push_str(&format!("\n-- revert {} {}\n", m.version, comment(&m.name)));
        let down = super::runner::down_script(m)?;
        block(
            &mut out,
            &super::runner::down_path(m),
            down,
            m.down_transactional(),
            &forget,
            timeouts,
            &[],
        )?;
    }
    Ok(out)
}

fn block(
    out: &mut String,
    path: &std::path::Path,
    script: &str,
    transactional: bool,
    bookkeeping: &str,
    timeouts: &SqlOptions,
    settings: &[(String, String)],
) -> Result<()> {
    check_script(script, transactional, path)?;
    let statements = split(script);
    out.push_str("RESET ALL;\n");
    out.push_str(&session_settings(script, settings));
    if transactional {
        out.push_str("BEGIN;\n");
        for s in &statements {
            out.push_str(&format!("{};\n", s.sql));
        }
        out.push_str(bookkeeping);
        out.push_str("COMMIT;\n");
        return Ok(());
    }
    out.push_str("-- outside a transaction\n");
    let own_timeouts = statements.iter().any(sets_timeouts);
    for s in &statements {
        if !own_timeouts {
            out.push_str(&if runs_without_timeouts(s) {
                "SET lock_timeout = 0;\nSET statement_timeout = 0;\n".to_string()
            } else {
                format!(
                    "SET lock_timeout = {};\nSET statement_timeout = {};\n",
                    literal(&timeouts.lock_timeout),
                    literal(&timeouts.statement_timeout)
                )
            });
        }
        out.push_str(&format!("{};\n", s.sql));
    }
    out.push_str(bookkeeping);
    Ok(())
}

/// `SET` of each of pgshift's session parameters, when `script` reads any of them.
fn session_settings(script: &str, settings: &[(String, String)]) -> String {
    if !script.contains("current_setting('pgshift.") {
        return String::new();
    }
    settings
        .iter()
        .map(|(name, value)| {
            let name: Vec<String> = name.split('.').map(ident).collect();
            format!("SET {} = {};\n", name.join("."), literal(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-written file's name (or the URL's user, in `origin`) holding a line break
    /// stays inside its comment: psql would run a line after it.
    #[test]
    fn names_stay_inside_their_comments() {
        let evil = "x\nDROP TABLE precious; --\r\u{2028}";
        let m = Migration {
            version: 1,
            name: evil.into(),
            up: "SELECT 1;\n".into(),
            down: Some("SELECT 2;\n".into()),
            parents: vec![],
            path: "migrations/1_x.up.sql".into(),
        };
        let table = QualifiedName::new("public", "pgshift_migrations");
        let options = SqlOptions::default();
        let up = upgrade_script(&table, &[&m], &options, &[], evil).unwrap();
        let down = downgrade_script(&table, &[&m], &options, evil).unwrap();
        // The name's line break is written as `\n` in each comment (it stays a real one
        // only inside the version row's string literal, where it is data).
        let escaped = r"x\nDROP TABLE precious; --\r\u{2028}";
        assert!(up.contains(&format!("migration ({escaped})")), "{up}");
        assert!(up.contains(&format!("-- migration 1 {escaped}\n")), "{up}");
        assert!(down.contains(&format!("first ({escaped})")), "{down}");
        assert!(down.contains(&format!("-- revert 1 {escaped}\n")), "{down}");
        assert!(!down.contains("\nDROP"), "{down}");
    }
}
