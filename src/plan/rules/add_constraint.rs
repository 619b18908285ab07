//! Constraints added to tables that already exist.
//!
//! - Foreign keys and checks: `ADD CONSTRAINT ... NOT VALID` takes its lock only briefly
//!   (no scan), then `VALIDATE CONSTRAINT` scans under SHARE UPDATE EXCLUSIVE, which lets
//!   reads and writes go on. (Manual: ALTER TABLE, "ADD table_constraint ... NOT VALID".)
//! - Unique and primary keys: `CREATE UNIQUE INDEX CONCURRENTLY`, then
//!   `ADD CONSTRAINT ... USING INDEX`, which only takes a brief lock.
//! - Exclusion constraints have no such form: named as a hazard.

use super::{concurrently, table_label};
use crate::plan::{chain, Hazard, HazardCode, Step};
use crate::schema::{Constraint, ConstraintKind, ObjectId, QualifiedName};
use crate::sql::{ddl, ident, qualified};

/// The steps that add `c` to the existing table `table`.
pub fn on_existing(
    table: &QualifiedName,
    c: &Constraint,
    partitioned: bool,
    step: Step,
) -> Vec<Step> {
    let id = ObjectId::Constraint(table.clone(), c.name.clone());
    match c.kind {
        ConstraintKind::ForeignKey | ConstraintKind::Check
            if !partitioned && !c.definition.ends_with(" NOT VALID") =>
        {
            not_valid_then_validate(table, c, step, &id)
        }
        ConstraintKind::Unique | ConstraintKind::PrimaryKey if !partitioned => {
            match unique_index_for(table, c) {
                Some(index_sql) => via_unique_index(table, c, index_sql, step, &id),
                None => vec![locked(table, c, step)],
            }
        }
        _ => vec![locked(table, c, step)],
    }
}

fn not_valid_then_validate(
    table: &QualifiedName,
    c: &Constraint,
    step: Step,
    id: &ObjectId,
) -> Vec<Step> {
    let mut add = step;
    add.statements = add
        .statements
        .iter()
        .map(|s| {
            if s == &ddl::add_constraint(table, c) {
                format!("{s} NOT VALID")
            } else {
                s.clone()
            }
        })
        .collect();
    let validate = Step::new(format!("validate constraint {} on {table}", ident(&c.name)))
        .sql(ddl::alter_table(
            table,
            &format!("VALIDATE CONSTRAINT {}", ident(&c.name)),
        ))
        .hazard(Hazard::new(
            HazardCode::ValidationScan,
            format!(
                "scans {} to check existing rows under a SHARE UPDATE EXCLUSIVE lock: reads and \
                 writes go on, other schema changes on the table wait",
                table_label(table)
            ),
            "fix rows that violate the constraint first, or this step fails (the constraint \
             stays NOT VALID and still applies to new rows)",
        ))
        // In the ADD's transaction, the ADD's lock (ACCESS EXCLUSIVE for a check, SHARE
        // ROW EXCLUSIVE on both tables for a foreign key) would be held for the scan.
        .in_own_transaction()
        .creates(id.clone());
    chain(id, vec![add, validate])
}

/// `CREATE UNIQUE INDEX` text for a plain `UNIQUE (a, b)` or `PRIMARY KEY (a)`
/// constraint (possibly DEFERRABLE), or None for forms an index cannot carry alone.
fn unique_index_for(table: &QualifiedName, c: &Constraint) -> Option<String> {
    let rest = c
        .definition
        .strip_prefix("UNIQUE ")
        .or_else(|| c.definition.strip_prefix("PRIMARY KEY "))?;
    let close = rest.find(')')?;
    let (columns, tail) = rest.split_at(close + 1);
    if !columns.starts_with('(')
        || !matches!(tail, "" | " DEFERRABLE" | " DEFERRABLE INITIALLY DEFERRED")
    {
        return None;
    }
    Some(format!(
        "CREATE UNIQUE INDEX {} ON {} USING btree {columns}",
        ident(&c.name),
        qualified(table)
    ))
}

fn via_unique_index(
    table: &QualifiedName,
    c: &Constraint,
    index_sql: String,
    step: Step,
    id: &ObjectId,
) -> Vec<Step> {
    let build = Step::new(format!(
        "build unique index {} for constraint",
        ident(&c.name)
    ))
    .sql(concurrently(&index_sql))
    .outside_transaction("CONCURRENTLY cannot run inside a transaction block")
    .hazard(Hazard::new(
        HazardCode::IndexBuild,
        format!(
            "builds a unique index on {} with CONCURRENTLY: writes go on; it fails if \
                 existing rows are not unique, leaving an INVALID index to drop",
            table_label(table)
        ),
        "remove duplicates first; if the build fails, drop the INVALID index and retry",
    ));
    let kind = if c.kind == ConstraintKind::PrimaryKey {
        "PRIMARY KEY"
    } else {
        "UNIQUE"
    };
    let deferrable = c
        .definition
        .find(" DEFERRABLE")
        .map(|i| c.definition[i..].to_string())
        .unwrap_or_default();
    let mut attach = step;
    attach.statements = attach
        .statements
        .iter()
        .map(|s| {
            if s == &ddl::add_constraint(table, c) {
                ddl::alter_table(
                    table,
                    &format!(
                        "ADD CONSTRAINT {} {kind} USING INDEX {}{deferrable}",
                        ident(&c.name),
                        ident(&c.name)
                    ),
                )
            } else {
                s.clone()
            }
        })
        .collect();
    chain(id, vec![build, attach])
}

fn locked(table: &QualifiedName, c: &Constraint, step: Step) -> Step {
    // The scan blocks the table anyway; alone in its transaction it holds no other lock.
    step.in_own_transaction().hazard(Hazard::new(
        HazardCode::AccessExclusiveLock,
        format!(
            "adds constraint {} to {} while holding a lock that blocks writes (and, for an \
             exclusion or primary key, reads) during the scan or index build",
            ident(&c.name),
            table_label(table)
        ),
        "run it at a quiet time, or build the index CONCURRENTLY by hand first",
    ))
}
