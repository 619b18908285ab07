//! Drops are never silent: dropping a table, a column or a type deletes data, and the
//! downgrade recreates the object empty.

use super::table_label;
use crate::plan::{Hazard, HazardCode};
use crate::schema::QualifiedName;
use crate::sql::ident;

pub fn table(name: &QualifiedName) -> Vec<Hazard> {
    vec![
        Hazard::new(
            HazardCode::DataLoss,
            format!(
                "drops table {} and every row in it, under an ACCESS EXCLUSIVE lock",
                table_label(name)
            ),
            "make sure nothing reads or writes it any more and that its data is backed up \
             or no longer needed",
        ),
        irreversible(&format!("table {}", table_label(name))),
    ]
}

pub fn column(table: &QualifiedName, column: &str) -> Vec<Hazard> {
    vec![
        Hazard::new(
            HazardCode::DataLoss,
            format!(
                "drops column {}.{} and its values (a brief ACCESS EXCLUSIVE lock; no rewrite)",
                table_label(table),
                ident(column)
            ),
            "deploy an application that no longer reads or writes the column first \
             (expand-contract); for a rename, give the model a renamed_from hint",
        ),
        irreversible(&format!("column {}.{}", table_label(table), ident(column))),
    ]
}

pub fn enum_values(name: &QualifiedName, removed: &[String]) -> Vec<Hazard> {
    vec![
        Hazard::new(
            HazardCode::DataLoss,
            format!(
                "recreates enum {} without {}: rows holding a removed value make the \
                 conversion fail, and every column of the type is rewritten under an ACCESS \
                 EXCLUSIVE lock",
                table_label(name),
                removed.join(", ")
            ),
            "update rows that hold the removed values first",
        ),
        Hazard::new(
            HazardCode::TableRewrite,
            format!(
                "tables with columns of type {} are rewritten",
                table_label(name)
            ),
            "run it at a quiet time; for large tables, migrate to a new column instead",
        ),
    ]
}

/// New bounds for a partition: detached and attached again.
pub fn partition_bounds(partition: &QualifiedName) -> Hazard {
    Hazard::new(
        HazardCode::AccessExclusiveLock,
        format!(
            "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the parent, blocking all its \
             reads and writes, and ATTACH PARTITION scans {} to check the new bounds; its rows \
             are out of the parent in between",
            table_label(partition)
        ),
        "add a CHECK matching the new bounds (NOT VALID, VALIDATE) before the attach so it \
         skips the scan, and run at a quiet time",
    )
}

fn irreversible(what: &str) -> Hazard {
    Hazard::new(
        HazardCode::IrreversibleDowngrade,
        format!("the downgrade recreates {what} empty: its data does not come back"),
        "keep a backup if the data may be needed after a rollback",
    )
}
