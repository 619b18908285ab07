//! `SET NOT NULL` on an existing column scans the whole table under an ACCESS EXCLUSIVE
//! lock. Instead: add `CHECK (col IS NOT NULL) NOT VALID` (brief lock), `VALIDATE` it
//! (scan without blocking writes), then `SET NOT NULL`, which on PostgreSQL 12+ uses the
//! validated check and skips the scan, and drop the helper check. (Manual: ALTER TABLE,
//! SET NOT NULL: "if a valid CHECK constraint is found which proves no NULL can exist,
//! then the table scan is skipped".)

use super::{helper_name, table_label};
use crate::plan::{Hazard, HazardCode, Step};
use crate::schema::{ObjectId, QualifiedName};
use crate::sql::{ddl, ident};

/// The three steps (add check, validate, enforce) for `column` of `table`. The caller
/// chains them with whatever else the change needs.
pub fn steps(table: &QualifiedName, column: &str) -> Vec<Step> {
    let id = ObjectId::Column(table.clone(), column.into());
    let col = ident(column);
    let check = ident(&helper_name(column, "_pgshift_not_null"));
    let add = Step::new(format!(
        "check {table}.{col} IS NOT NULL, not yet validated"
    ))
    .sql(ddl::alter_table(
        table,
        // Dropping a helper left by an earlier run that failed at VALIDATE (rows were
        // unfilled) lets the migration run again once they are filled.
        &format!(
            "DROP CONSTRAINT IF EXISTS {check}, \
             ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID"
        ),
    ))
    .creates(id.clone());
    let validate = Step::new(format!("validate that {table}.{col} holds no NULL"))
        .sql(ddl::alter_table(
            table,
            &format!("VALIDATE CONSTRAINT {check}"),
        ))
        .hazard(Hazard::new(
            HazardCode::ValidationScan,
            format!(
                "scans {} for NULLs in {col} under a SHARE UPDATE EXCLUSIVE lock: reads and \
                 writes go on",
                table_label(table)
            ),
            "fill the column in every row first; this step fails while a NULL remains",
        ))
        // After the ADD's commit: its ACCESS EXCLUSIVE lock must not be held for the scan.
        .in_own_transaction()
        .creates(id.clone());
    let enforce = Step::new(format!(
        "set {table}.{col} NOT NULL (no scan: the check proves it)"
    ))
    .sql(ddl::alter_table(
        table,
        &format!("ALTER COLUMN {col} SET NOT NULL"),
    ))
    .sql(ddl::alter_table(table, &format!("DROP CONSTRAINT {check}")))
    .creates(id);
    vec![add, validate, enforce]
}
