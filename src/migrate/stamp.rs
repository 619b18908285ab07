//! `pgshift stamp`: records migrations as applied without running them, on a database
//! that another tool (or a hand) already brought to that point. Which ones that tool
//! applied is read from its own version table, so a stamp never claims a migration the
//! database does not have.

use super::files::{self, Migration};
use crate::error::{Error, Result};
use crate::schema::QualifiedName;
use crate::source::describe_pg_error;
use crate::sql::qualified;
use postgres::Client;

/// What another tool's version table says is applied.
#[derive(Debug, PartialEq, Eq)]
pub struct ToolState {
    /// The tool and its table, for messages: `diesel (__diesel_schema_migrations)`.
    pub tool: String,
    /// Versions it applied, as digits (diesel writes `20200101000000` for the folder
    /// `2020-01-01-000000_...`).
    pub applied: Applied,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Each applied version.
    Each(Vec<i64>),
    /// golang-migrate records only the newest: every version up to it.
    UpTo(i64),
}

impl ToolState {
    pub fn has(&self, version: i64) -> bool {
        match &self.applied {
            Applied::Each(v) => v.contains(&version),
            Applied::UpTo(newest) => version <= *newest,
        }
    }
}

impl ToolState {
    /// Whether the tool applied `m`: for a squash migration (`-- squashes:`, such as the
    /// baseline of `pgshift init --adopt --squash`), every migration it replaces.
    pub fn covers(&self, m: &Migration) -> bool {
        let replaced = files::squashes(&m.up);
        match replaced.is_empty() {
            true => self.has(m.version),
            false => replaced.iter().all(|v| self.has(*v)),
        }
    }
}

/// Refuses a squash migration of which the tool applied some replaced migrations but not
/// all: the database is in none of the states the history knows.
fn squash_partly_applied(m: &Migration, t: &ToolState) -> Result<()> {
    let replaced = files::squashes(&m.up);
    let has = replaced.iter().filter(|v| t.has(**v)).count();
    if has == 0 || has == replaced.len() {
        return Ok(());
    }
    let missing: Vec<String> = replaced
        .iter()
        .filter(|v| !t.has(**v))
        .map(i64::to_string)
        .collect();
    Err(Error::History(format!(
        "{} applied {has} of the {} migrations that migration {} ({}) replaces, not {}:          the database is in none of the states the migrations on disk describe; nothing was          recorded.\n  hint: apply the rest with that tool first (their files are in your \
         version control), then run `pgshift stamp` again",
        t.tool,
        replaced.len(),
        m.version,
        m.name,
        missing.join(", ")
    )))
}

/// The tables of the tools pgshift adopts histories from, and how to read them.
const TOOLS: [(&str, &str, &str); 5] = [
    (
        "diesel",
        "__diesel_schema_migrations",
        "SELECT version::text FROM {}",
    ),
    (
        "sqlx",
        "_sqlx_migrations",
        "SELECT version::text FROM {} WHERE success",
    ),
    (
        "refinery",
        "refinery_schema_history",
        "SELECT version::text FROM {}",
    ),
    (
        "golang-migrate",
        "schema_migrations",
        "SELECT version::text || CASE WHEN dirty THEN 'dirty' ELSE '' END FROM {}",
    ),
    // The migration's name, `m20220101_000001_create_table`: its version is the date and
    // time in it (digits in the rest of the name are not part of it).
    (
        "sea-orm-migration",
        "seaql_migrations",
        "SELECT version::text FROM {}",
    ),
];

/// The first tool version table found in `public` (or, with `layout`, that tool's only),
/// read. None when there is none.
pub fn read_tool_state(
    client: &mut Client,
    layout: Option<&str>,
    target: &str,
) -> Result<Option<ToolState>> {
    for (tool, table, query) in TOOLS {
        if layout.is_some_and(|l| l != tool) {
            continue;
        }
        let name = QualifiedName::new("public", table);
        let exists: bool = client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&qualified(&name)])
            .map_err(|e| db_error(target, "looking for the version tables of other tools", &e))?
            .get(0);
        if !exists {
            continue;
        }
        let rows = client
            .query(&query.replace("{}", &qualified(&name)), &[])
            .map_err(|e| db_error(target, &format!("reading {tool}'s {table}"), &e))?;
        let mut versions = vec![];
        for row in rows {
            let text: String = row.get(0);
            if text.ends_with("dirty") {
                return Err(Error::History(format!(
                    "golang-migrate's {table} says version {} is dirty (a migration failed \
                     half way): fix the database and `migrate force` a version first; nothing \
                     was recorded",
                    text.trim_end_matches("dirty")
                )));
            }
            if tool == "sea-orm-migration" {
                versions.push(super::sea_orm_crate::module_version(&text).map_err(|e| {
                    Error::History(format!("{e}; in {table}, nothing was recorded"))
                })?);
                continue;
            }
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if let Ok(v) = digits.parse() {
                versions.push(v);
            }
        }
        versions.sort_unstable();
        let applied = match tool {
            "golang-migrate" => Applied::UpTo(versions.last().copied().unwrap_or(0)),
            _ => Applied::Each(versions),
        };
        return Ok(Some(ToolState {
            tool: format!("{tool} ({table})"),
            applied,
        }));
    }
    Ok(None)
}

/// Which migrations to record: those up to `version` (a migration's version), or without
/// one those the tool's table lists. Refuses a migration the tool did not apply, and a
/// set that is not the first migrations in order.
pub fn to_record<'m>(
    migrations: &'m [Migration],
    version: Option<i64>,
    tool: Option<&ToolState>,
) -> Result<Vec<&'m Migration>> {
    let chosen: Vec<&Migration> = match (version, tool) {
        (Some(v), _) => {
            if !migrations.iter().any(|m| m.version == v) {
                return Err(Error::History(format!(
                    "no migration has version {v}; `pgshift status` lists them"
                )));
            }
            migrations.iter().filter(|m| m.version <= v).collect()
        }
        (None, Some(t)) => {
            for m in migrations {
                squash_partly_applied(m, t)?;
            }
            migrations.iter().filter(|m| t.covers(m)).collect()
        }
        (None, None) => {
            return Err(Error::History(
                "no version table of sqlx, diesel, refinery, golang-migrate or \
                 sea-orm-migration in this database to say which migrations it has: name the newest one it has \
                 (`pgshift stamp VERSION`)"
                    .into(),
            ))
        }
    };
    if let Some(t) = tool {
        for m in &chosen {
            squash_partly_applied(m, t)?;
        }
        if let Some(m) = chosen.iter().find(|m| !t.covers(m)) {
            return Err(Error::History(format!(
                "migration {} ({}) is not applied according to {}: it would be recorded \
                 without having run; nothing was recorded.\n  hint: apply it first (with that \
                 tool, or `pgshift upgrade` after stamping the ones before it)",
                m.version, m.name, t.tool
            )));
        }
    }
    if let Some(gap) = migrations
        .iter()
        .take_while(|m| chosen.last().is_some_and(|last| m.version <= last.version))
        .find(|m| !chosen.iter().any(|c| c.version == m.version))
    {
        return Err(Error::History(format!(
            "migration {} ({}) comes before migrations the database has but is not applied \
             itself; nothing was recorded.\n  hint: apply it, or stamp up to the version \
             before it",
            gap.version, gap.name
        )));
    }
    Ok(chosen)
}

/// Inserts version rows for `migrations` (those not recorded yet), in one transaction.
/// Returns how many were recorded.
pub fn record(
    client: &mut Client,
    table: &QualifiedName,
    migrations: &[&Migration],
    target: &str,
) -> Result<usize> {
    let mut tx = client
        .transaction()
        .map_err(|e| db_error(target, "recording migrations", &e))?;
    let insert = format!(
        "INSERT INTO {} (version, name, checksum, execution_ms) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (version) DO NOTHING",
        qualified(table)
    );
    let mut n = 0;
    for m in migrations {
        n += tx
            .execute(&insert, &[&m.version, &m.name, &m.checksum()])
            .map_err(|e| db_error(target, "recording migrations", &e))?;
    }
    tx.commit()
        .map_err(|e| db_error(target, "recording migrations", &e))?;
    Ok(n as usize)
}

fn db_error(target: &str, what: &str, e: &postgres::Error) -> Error {
    Error::Database {
        what: what.to_string(),
        target: target.to_string(),
        reason: describe_pg_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn m(version: i64) -> Migration {
        Migration {
            version,
            name: format!("m{version}"),
            up: String::new(),
            down: None,
            parents: vec![],
            path: PathBuf::new(),
        }
    }

    #[test]
    fn only_what_the_tool_applied_is_recorded() {
        let all = [m(1), m(2), m(3)];
        let tool = ToolState {
            tool: "diesel".into(),
            applied: Applied::Each(vec![1, 2]),
        };
        let chosen = to_record(&all, None, Some(&tool)).unwrap();
        assert_eq!(chosen.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2]);
        let err = to_record(&all, Some(3), Some(&tool))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("migration 3 (m3) is not applied according to diesel"),
            "{err}"
        );
        let gap = ToolState {
            tool: "sqlx".into(),
            applied: Applied::Each(vec![1, 3]),
        };
        let err = to_record(&all, None, Some(&gap)).unwrap_err().to_string();
        assert!(err.contains("migration 2 (m2) comes before"), "{err}");
        let golang = ToolState {
            tool: "golang-migrate".into(),
            applied: Applied::UpTo(2),
        };
        assert_eq!(to_record(&all, None, Some(&golang)).unwrap().len(), 2);
        assert_eq!(to_record(&all, Some(2), None).unwrap().len(), 2);
        assert!(to_record(&all, None, None).is_err());
    }

    #[test]
    fn a_squash_migration_counts_as_applied_only_with_all_it_replaces() {
        let mut baseline = m(3);
        baseline.up = "-- pgshift migration: 3\n-- squashes: 1, 2, 3\n".into();
        let all = [baseline];
        let every = ToolState {
            tool: "refinery".into(),
            applied: Applied::Each(vec![1, 2, 3]),
        };
        assert_eq!(to_record(&all, None, Some(&every)).unwrap().len(), 1);
        // The newest alone is not enough.
        let newest = ToolState {
            tool: "sqlx".into(),
            applied: Applied::Each(vec![3]),
        };
        let err = to_record(&all, None, Some(&newest))
            .unwrap_err()
            .to_string();
        assert!(err.contains("applied 1 of the 3 migrations"), "{err}");
        assert!(err.contains("not 1, 2"), "{err}");
        let err = to_record(&all, Some(3), Some(&newest))
            .unwrap_err()
            .to_string();
        assert!(err.contains("applied 1 of the 3"), "{err}");
        let none = ToolState {
            tool: "sqlx".into(),
            applied: Applied::Each(vec![]),
        };
        assert!(to_record(&all, None, Some(&none)).unwrap().is_empty());
        let golang = ToolState {
            tool: "golang-migrate".into(),
            applied: Applied::UpTo(3),
        };
        assert_eq!(to_record(&all, None, Some(&golang)).unwrap().len(), 1);
    }
}
