//! The data proof of `pgshift test --data`: before each up, every empty table gets rows
//! that satisfy its constraints (generated, parents before children; or a user's seed
//! SQL); after the up, the rows of every table that was there must still be there, with
//! every value reading back the same, and after the down the same again. A migration
//! that loses values is reported unless its own file declares a `DATA_LOSS` hazard (as
//! pgshift writes them: `-- hazard DATA_LOSS: ...`; a hand-written file may say so too).
//!
//! Values are compared as text, column by column as multisets (a table needs no primary
//! key). A column whose type the migration changed is read back through its old type
//! (`new::text::old_type::text`): a widening change (`integer` to `bigint`) reads back
//! the same, a narrowing one (`numeric(10,2)` to `integer`) does not.

use super::data_values::value;
use super::foreign::ForeignMigration;
use super::proof::Observer;
use super::split::split;
use crate::error::Result;
use crate::schema::{ConstraintKind, QualifiedName, Schema, Table};
use crate::sql::{ident, qualified};
use postgres::Client;
use std::collections::BTreeMap;

/// Rows generated per empty table.
const ROWS: u64 = 3;

/// Where rows come from.
pub enum Rows {
    Generated,
    /// A seed SQL file's text: run before each up, each statement kept only if it
    /// succeeds (one written for a later schema, or rows already there, are skipped).
    Seed(String),
}

pub struct DataProof {
    rows: Rows,
    /// The next generated value's number: values stay distinct across migrations.
    next: u64,
    /// Before the current up: table -> column -> (type, sorted values as text).
    saved: BTreeMap<QualifiedName, Saved>,
    /// Tables no row could be put in, with the reason (reported once each).
    pub notes: BTreeMap<QualifiedName, String>,
}

struct Saved {
    rows: i64,
    columns: BTreeMap<String, (String, Vec<Option<String>>)>,
}

impl DataProof {
    pub fn new(rows: Rows) -> DataProof {
        DataProof {
            rows,
            next: 1,
            saved: BTreeMap::new(),
            notes: BTreeMap::new(),
        }
    }

    fn fill(&mut self, client: &mut Client, schema: &Schema) -> Result<()> {
        if let Rows::Seed(text) = &self.rows {
            for s in split(text) {
                // Autocommit: a statement that fails leaves nothing behind.
                let _ = client.batch_execute(s.sql);
            }
            return Ok(());
        }
        for table in parents_first(schema) {
            if table.partition_of.is_some() || count(client, &table.name)? > 0 {
                continue;
            }
            let mut last_error = None;
            let mut inserted = 0;
            for _ in 0..ROWS {
                let n = self.next;
                self.next += 1;
                match client.batch_execute(&insert(schema, table, n)) {
                    Ok(()) => inserted += 1,
                    Err(e) => last_error = Some(crate::source::describe_pg_error(&e)),
                }
            }
            if inserted == 0 {
                let reason = last_error.unwrap_or_default();
                self.notes.entry(table.name.clone()).or_insert(reason);
            }
        }
        Ok(())
    }

    /// What changed since `before_up` in the tables saved then, read through `now`.
    fn compare(&self, client: &mut Client, now: Option<&Schema>) -> Result<Vec<String>> {
        let mut found = vec![];
        for (name, saved) in &self.saved {
            if saved.rows == 0 {
                continue;
            }
            let table = now.and_then(|s| s.tables.get(name));
            if now.is_some() && table.is_none() {
                found.push(format!(
                    "{}: the table is gone with its {} rows",
                    qualified(name),
                    saved.rows
                ));
                continue;
            }
            let rows = count(client, name)?;
            if rows != saved.rows {
                found.push(format!(
                    "{}: {} rows before, {rows} after",
                    qualified(name),
                    saved.rows
                ));
                continue;
            }
            for (column, (old_type, old_values)) in &saved.columns {
                if old_values.iter().all(Option::is_none) {
                    continue;
                }
                let new_type = match table {
                    Some(t) => match t.columns.iter().find(|c| c.name.as_str() == column) {
                        Some(c) => c.data_type.to_string(),
                        None => {
                            found.push(format!(
                                "{}.{}: the column is gone with its values",
                                qualified(name),
                                ident(column)
                            ));
                            continue;
                        }
                    },
                    None => old_type.clone(),
                };
                let read_as = (new_type != *old_type).then_some(old_type.as_str());
                match values(client, name, column, read_as) {
                    Ok(new_values) if new_values == *old_values => {}
                    Ok(new_values) => {
                        found.push(changed(name, column, old_type, old_values, &new_values))
                    }
                    Err(reason) => found.push(format!(
                        "{}.{}: its values no longer read as {old_type}: {reason}",
                        qualified(name),
                        ident(column)
                    )),
                }
            }
        }
        Ok(found)
    }
}

impl Observer for DataProof {
    fn before_up(&mut self, client: &mut Client, before: &Schema) -> Result<()> {
        self.fill(client, before)?;
        self.saved.clear();
        for table in before.tables.values() {
            if table.partition_key.is_some() {
                // Its rows are its partitions' rows, saved with them.
                continue;
            }
            let rows = count(client, &table.name)?;
            let mut columns = BTreeMap::new();
            for c in &table.columns {
                let read = values(client, &table.name, &c.name, None).unwrap_or_default();
                columns.insert(c.name.to_string(), (c.data_type.to_string(), read));
            }
            self.saved
                .insert(table.name.clone(), Saved { rows, columns });
        }
        Ok(())
    }

    fn after_up(
        &mut self,
        client: &mut Client,
        m: &ForeignMigration,
        after: &Schema,
    ) -> Result<Vec<String>> {
        if declares_data_loss(&m.migration.up) {
            return Ok(vec![]);
        }
        self.compare(client, Some(after))
    }

    fn after_down(&mut self, client: &mut Client, m: &ForeignMigration) -> Result<Vec<String>> {
        // A loss the up declared is not found again on the way back.
        if declares_data_loss(&m.migration.up)
            || m.migration.down.as_deref().is_some_and(declares_data_loss)
        {
            return Ok(vec![]);
        }
        // The down restored the schema before: every column has its old type again.
        self.compare(client, None)
    }
}

/// A `DATA_LOSS` hazard named in a comment of the script.
fn declares_data_loss(script: &str) -> bool {
    script
        .lines()
        .any(|l| l.trim_start().starts_with("--") && l.contains("DATA_LOSS"))
}

fn changed(
    table: &QualifiedName,
    column: &str,
    old_type: &str,
    old: &[Option<String>],
    new: &[Option<String>],
) -> String {
    let show = |v: Option<&Option<String>>| match v {
        Some(Some(v)) => crate::sql::literal(v),
        Some(None) => "NULL".into(),
        None => "nothing".into(),
    };
    let lost: Vec<&Option<String>> = old.iter().filter(|v| !new.contains(v)).collect();
    let came: Vec<&Option<String>> = new.iter().filter(|v| !old.contains(v)).collect();
    format!(
        "{}.{}: {} of {} values changed without a DATA_LOSS hazard in the file (e.g. {} \
         read back as {old_type} is now {})",
        qualified(table),
        ident(column),
        lost.len().max(came.len()),
        old.len(),
        show(lost.first().copied()),
        show(came.first().copied()),
    )
}

fn count(client: &mut Client, table: &QualifiedName) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM {}", qualified(table));
    Ok(client
        .query_one(&sql, &[])
        .map(|r| r.get(0))
        .unwrap_or_default())
}

/// A column's values as text, sorted; through `read_as` (a type) when given.
fn values(
    client: &mut Client,
    table: &QualifiedName,
    column: &str,
    read_as: Option<&str>,
) -> std::result::Result<Vec<Option<String>>, String> {
    let expr = match read_as {
        Some(t) => format!("({}::text::{t})::text", ident(column)),
        None => format!("{}::text", ident(column)),
    };
    let sql = format!("SELECT {expr} FROM {} ORDER BY 1", qualified(table));
    client
        .query(&sql, &[])
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .map_err(|e| crate::source::describe_pg_error(&e))
}

/// `INSERT` of the `n`th generated row of `table`: every column pgshift can make a value
/// for except identity, generated and sequence-default ones; foreign keys take a row of
/// the parent (its `n`th, cycling; none when the parent is empty).
fn insert(schema: &Schema, table: &Table, n: u64) -> String {
    let mut columns = vec![];
    let mut exprs = vec![];
    let mut joins = vec![];
    let fk_columns: Vec<&str> = table
        .constraints
        .values()
        .filter(|c| c.kind == ConstraintKind::ForeignKey)
        .flat_map(|c| c.columns.iter().map(|n| n.as_str()))
        .collect();
    for (i, fk) in table
        .constraints
        .values()
        .filter(|c| c.kind == ConstraintKind::ForeignKey)
        .enumerate()
    {
        let (Some(parent), Some(referenced)) = (&fk.references, referenced_columns(&fk.definition))
        else {
            continue;
        };
        if referenced.len() != fk.columns.len() {
            continue;
        }
        let alias = format!("p{i}");
        let picked: Vec<String> = referenced.iter().map(|c| c.to_string()).collect();
        joins.push(format!(
            "LEFT JOIN (SELECT {cols} FROM {parent} ORDER BY {cols} OFFSET {n} % \
             GREATEST((SELECT count(*) FROM {parent}), 1) LIMIT 1) {alias} ON true",
            cols = picked.join(", "),
            parent = qualified(parent),
        ));
        for (local, remote) in fk.columns.iter().zip(&picked) {
            if !columns.contains(&ident(local)) {
                columns.push(ident(local));
                exprs.push(format!("{alias}.{remote}"));
            }
        }
    }
    for c in &table.columns {
        let sequence = c.default.as_deref().is_some_and(|d| d.contains("nextval("));
        if c.identity.is_some()
            || c.generated.is_some()
            || sequence
            || fk_columns.contains(&c.name.as_str())
        {
            continue;
        }
        if let Some(v) = value(schema, &c.data_type, n) {
            columns.push(ident(&c.name));
            exprs.push(v);
        }
    }
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM (SELECT 1) one {}",
        qualified(&table.name),
        columns.join(", "),
        exprs.join(", "),
        joins.join(" ")
    )
}

/// The referenced columns of `FOREIGN KEY (a, b) REFERENCES s.t(x, y) ...`, as the
/// server quoted them (`pg_get_constraintdef`).
fn referenced_columns(definition: &str) -> Option<Vec<&str>> {
    let after = &definition[definition.find(" REFERENCES ")? + 12..];
    let open = after.find('(')?;
    let close = open + after[open..].find(')')?;
    Some(after[open + 1..close].split(", ").map(str::trim).collect())
}

/// Tables, each after the tables its foreign keys reference (a cycle keeps file order).
fn parents_first(schema: &Schema) -> Vec<&Table> {
    let mut done: Vec<&QualifiedName> = vec![];
    let mut out = vec![];
    let mut left: Vec<&Table> = schema.tables.values().collect();
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            t.constraints
                .values()
                .filter_map(|c| c.references.as_ref())
                .all(|r| r == &t.name || done.contains(&r) || !schema.tables.contains_key(r))
        });
        let t = left.remove(ready.unwrap_or(0));
        done.push(&t.name);
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referenced_columns_are_read_from_the_definition() {
        assert_eq!(
            referenced_columns(
                "FOREIGN KEY (a, b) REFERENCES public.t(x, \"Y z\") ON DELETE CASCADE"
            ),
            Some(vec!["x", "\"Y z\""])
        );
    }

    #[test]
    fn only_a_comment_declares_data_loss() {
        assert!(declares_data_loss(
            "-- hazard DATA_LOSS: drops\nALTER TABLE t DROP c;"
        ));
        assert!(!declares_data_loss("SELECT 'DATA_LOSS';"));
    }
}
