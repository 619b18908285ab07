//! Running a `-- no-transaction` migration again after an interruption (kill -9, Ctrl-C,
//! a dropped connection, a server restart). Its statements before the interrupted one
//! are done, and the interrupted one may be done or half done:
//!
//! - `CREATE INDEX CONCURRENTLY` that failed leaves an INVALID index of that name: it is
//!   dropped (concurrently) and built again. An index of that name that is valid and has
//!   the same definition (compared by building the statement's index on an empty copy of
//!   the table, in a transaction rolled back) is kept; one that differs is an error.
//! - `DROP INDEX CONCURRENTLY` of an index that is gone is done.
//! - `ALTER TYPE ... ADD VALUE` of a label the type has is done.
//!
//! Everything else runs again as written.

use super::runner::{Located, Runner};
use super::split::Statement;
use super::statement::{redoable, Redoable};
use crate::error::{Error, Result};
use crate::sql::{ident, literal};

/// Whether `s` is done already; prepares it to run again when it is half done.
pub(super) fn already_done(runner: &mut Runner, at: &Located, s: &Statement) -> Result<bool> {
    let Some(redo) = redoable(s) else {
        return Ok(false);
    };
    let query_error = |e: postgres::Error| at.error(Some(s), &e);
    match redo {
        Redoable::DropIndex { name } => {
            let gone: bool = runner
                .client()
                .query_one("SELECT to_regclass($1::text) IS NULL", &[&name])
                .map_err(query_error)?
                .get(0);
            if gone {
                runner.note(at, format!("index {name} is gone already: kept so"));
            }
            Ok(gone)
        }
        Redoable::AddEnumValue { type_name, label } => {
            let has: bool = runner
                .client()
                .query_one(
                    "SELECT EXISTS (SELECT FROM pg_catalog.pg_enum \
                     WHERE enumtypid = to_regtype($1::text) AND enumlabel = $2)",
                    &[&type_name, &label],
                )
                .map_err(query_error)?
                .get(0);
            if has {
                runner.note(
                    at,
                    format!("type {type_name} has the value {label:?} already"),
                );
            }
            Ok(has)
        }
        Redoable::CreateIndex {
            name,
            table,
            drop_ranges,
            table_range,
        } => {
            let row = runner
                .client()
                .query_opt(
                    "SELECT n.nspname::text, t.relname::text, i.indisvalid, \
                            pg_get_indexdef(c.oid) \
                     FROM pg_catalog.pg_class t \
                     JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace \
                     JOIN pg_catalog.pg_class c ON c.relnamespace = t.relnamespace \
                          AND c.relname = $2 \
                     JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid \
                     WHERE t.oid = to_regclass($1::text)",
                    &[&table, &name],
                )
                .map_err(query_error)?;
            // No such index (or no such table: the statement then fails as it should).
            let Some(row) = row else {
                return Ok(false);
            };
            let (schema, relname, valid, existing): (String, String, bool, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let index = format!("{}.{}", ident(&schema), ident(&name));
            if !valid {
                runner.note(
                    at,
                    format!(
                        "index {index} was left INVALID by an interrupted build: dropped \
                         (concurrently) and built again"
                    ),
                );
                runner.set_no_timeouts().map_err(query_error)?;
                runner.own_statement(at, &format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))?;
                return Ok(false);
            }
            let mut probe_sql = String::new();
            let mut ranges = drop_ranges.clone();
            ranges.push(table_range);
            ranges.sort();
            let mut from = 0;
            for (start, end) in ranges {
                probe_sql.push_str(&s.sql[from..start]);
                if (start, end) == table_range {
                    probe_sql.push_str(&format!("pg_temp.{}", ident(&relname)));
                }
                from = end;
            }
            probe_sql.push_str(&s.sql[from..]);
            let built = probe(runner, &schema, &relname, &name, &probe_sql);
            match built {
                Ok(def) if def == existing => {
                    runner.note(
                        at,
                        format!(
                            "index {index} was built already, as this statement builds it: kept"
                        ),
                    );
                    Ok(true)
                }
                Ok(def) => Err(conflict(
                    at,
                    s,
                    &index,
                    &existing,
                    &format!("this statement builds: {def}"),
                )),
                Err(e) => Err(conflict(
                    at,
                    s,
                    &index,
                    &existing,
                    &format!("pgshift could not compare it with this statement: {e}"),
                )),
            }
        }
    }
}

/// The definition the index of `probe_sql` gets, built on an empty copy of the table in
/// a transaction that is rolled back, as `pg_get_indexdef` prints it for the real table.
fn probe(
    runner: &mut Runner,
    schema: &str,
    relname: &str,
    name: &str,
    probe_sql: &str,
) -> std::result::Result<String, String> {
    let lock_timeout = runner.lock_timeout();
    let client = runner.client();
    let setup = format!(
        "BEGIN; SET LOCAL lock_timeout = {}; CREATE TEMP TABLE {} (LIKE {}.{}); {probe_sql}",
        literal(&lock_timeout),
        ident(relname),
        ident(schema),
        ident(relname),
    );
    let result = client.batch_execute(&setup).and_then(|_| {
        client.query_one(
            // The temporary schema prints as pg_temp_N or as pg_temp.
            "SELECT replace(replace(pg_get_indexdef(to_regclass('pg_temp.' || quote_ident($1))), \
                    ' ON ' || quote_ident(n.nspname) || '.', ' ON ' || quote_ident($2) || '.'), \
                    ' ON pg_temp.', ' ON ' || quote_ident($2) || '.') \
             FROM pg_catalog.pg_namespace n WHERE n.oid = pg_my_temp_schema()",
            &[&name, &schema],
        )
    });
    let _ = client.batch_execute("ROLLBACK");
    result
        .map(|row| row.get::<_, Option<String>>(0).unwrap_or_default())
        .map_err(|e| crate::source::describe_pg_error(&e))
}

fn conflict(at: &Located, s: &Statement, index: &str, existing: &str, why: &str) -> Error {
    Error::Migration {
        version: at.m.version,
        name: at.m.name.clone(),
        statement: Some(s.code()),
        location: None,
        reason: format!(
            "index {index} exists already and is valid, but it is not the index this \
             statement builds ({existing}; {why}); nothing was changed.\n  hint: drop or \
             rename that index (DROP INDEX CONCURRENTLY {index}) if this migration should \
             build it, then run the command again"
        ),
    }
}
