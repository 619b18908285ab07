//! The version table: one row per applied migration. Read defensively (a table of
//! another shape, or NULLs in it, is an error naming the table and what differs), and
//! written only by the commands that apply migrations: the read-only commands need no
//! more than SELECT on it, and a missing table means nothing is applied.

use crate::error::{Error, Result};
use crate::schema::QualifiedName;
use crate::source::describe_pg_error;
use crate::sql::{ident, qualified};
use postgres::Client;

/// A row of the version table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub checksum: String,
    pub applied_at: String,
    pub applied_by: String,
    pub execution_ms: i64,
}

/// The columns pgshift reads, with their types as `format_type` prints them.
const COLUMNS: [(&str, &str); 6] = [
    ("version", "bigint"),
    ("name", "text"),
    ("checksum", "text"),
    ("applied_at", "timestamp with time zone"),
    ("applied_by", "text"),
    ("execution_ms", "bigint"),
];

/// The statements that create the version table where it is missing (`IF NOT EXISTS`:
/// also the top of an `upgrade --sql` script).
pub fn create_sql(table: &QualifiedName) -> String {
    let schema = if table.schema == "public" {
        String::new()
    } else {
        format!("CREATE SCHEMA IF NOT EXISTS {};\n", ident(&table.schema))
    };
    format!("{schema}{}", create_table_sql(table))
}

fn create_table_sql(table: &QualifiedName) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    version bigint PRIMARY KEY,\n    \
         name text NOT NULL,\n    checksum text NOT NULL,\n    applied_at timestamptz NOT \
         NULL DEFAULT now(),\n    applied_by text NOT NULL DEFAULT current_user,\n    \
         execution_ms bigint NOT NULL\n);\n",
        qualified(table)
    )
}

fn read_error(table: &QualifiedName, target: &str, e: &postgres::Error) -> Error {
    Error::Database {
        what: format!("reading the version table {table}"),
        target: target.to_string(),
        reason: describe_pg_error(e),
    }
}

fn shape_error(table: &QualifiedName, target: &str, what: String) -> Error {
    Error::Database {
        what: format!("reading the version table {table}"),
        target: target.to_string(),
        reason: format!(
            "{what}; pgshift records migrations in a table with the columns {}.\n  hint: \
             is version_table in pgshift.toml another tool's table? Give pgshift a table \
             of its own",
            COLUMNS
                .iter()
                .map(|(c, t)| format!("{c} {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether the table exists; when it does, checks it has pgshift's columns. Catalog reads
/// only: no privilege beyond CONNECT is needed.
pub fn exists(client: &mut Client, table: &QualifiedName, target: &str) -> Result<bool> {
    let rows = client
        .query(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_catalog.pg_attribute a \
               ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE n.nspname = $1 AND c.relname = $2",
            &[&table.schema.as_str(), &table.name.as_str()],
        )
        .map_err(|e| read_error(table, target, &e))?;
    if rows.is_empty() {
        return Ok(false);
    }
    let found: Vec<(Option<String>, Option<String>)> =
        rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let mut problems = vec![];
    for (column, expected) in COLUMNS {
        match found.iter().find(|(c, _)| c.as_deref() == Some(column)) {
            None => problems.push(format!("it has no column {column}")),
            Some((_, Some(actual))) if actual != expected => {
                problems.push(format!("column {column} is {actual}, not {expected}"))
            }
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(true)
    } else {
        Err(shape_error(table, target, problems.join("; ")))
    }
}

/// Creates the table (and its schema) when missing, writing nothing when it exists.
pub fn ensure(client: &mut Client, table: &QualifiedName, target: &str) -> Result<()> {
    if exists(client, table, target)? {
        return Ok(());
    }
    let schema_exists = client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1)",
            &[&table.schema.as_str()],
        )
        .map_err(|e| read_error(table, target, &e))?
        .get::<_, bool>(0);
    let mut sql = String::new();
    if !schema_exists {
        sql.push_str(&format!(
            "CREATE SCHEMA IF NOT EXISTS {};\n",
            ident(&table.schema)
        ));
    }
    sql.push_str(&create_table_sql(table));
    client.batch_execute(&sql).map_err(|e| Error::Database {
        what: format!("creating the version table {table}"),
        target: target.to_string(),
        reason: describe_pg_error(&e),
    })
}

/// Every applied migration, by version; none when the table does not exist.
pub fn read(client: &mut Client, table: &QualifiedName, target: &str) -> Result<Vec<Applied>> {
    if !exists(client, table, target)? {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', \
         'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by, execution_ms FROM {} ORDER BY version",
        qualified(table)
    );
    let rows = client
        .query(&sql, &[])
        .map_err(|e| read_error(table, target, &e))?;
    let mut out = vec![];
    for row in &rows {
        let version: Option<i64> = row.get(0);
        let text = |i: usize| -> Result<String> {
            row.get::<_, Option<String>>(i).ok_or_else(|| {
                shape_error(
                    table,
                    target,
                    format!(
                        "the row of version {} has no {} (NULL)",
                        version.map_or("NULL".into(), |v| v.to_string()),
                        COLUMNS[i].0
                    ),
                )
            })
        };
        let (name, checksum, applied_at, applied_by) = (text(1)?, text(2)?, text(3)?, text(4)?);
        let (Some(version), Some(execution_ms)) = (version, row.get::<_, Option<i64>>(5)) else {
            return Err(shape_error(
                table,
                target,
                format!("the row named {name:?} has NULL in version or execution_ms"),
            ));
        };
        out.push(Applied {
            version,
            name,
            checksum,
            applied_at,
            applied_by,
            execution_ms,
        });
    }
    Ok(out)
}
