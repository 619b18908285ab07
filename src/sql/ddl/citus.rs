//! Calls of Citus's functions that place a table (Citus 11.0 and later). The table goes
//! as a `regclass` literal (the schema-qualified, quoted name); the distribution column
//! as its name exactly (Citus looks the text up as written, without case folding:
//! `BuildDistributionKeyFromColumnName` in Citus's distribution_column.c); `colocate_with`
//! as a table name that Citus parses like a qualified name, or `'none'`.
//! Reference: <https://docs.citusdata.com/en/stable/develop/api_udf.html>.

use crate::schema::{Citus, QualifiedName};
use crate::sql::{literal, qualified};

fn table_arg(t: &QualifiedName) -> String {
    literal(&qualified(t))
}

/// `colocate_with => 'other'`, or `'none'` for the first table of a group: with Citus's
/// default (`'default'`) a table would join any group of the same column type and shard
/// count, which the model does not say.
fn colocation_arg(colocate_with: Option<&QualifiedName>) -> String {
    match colocate_with {
        Some(other) => table_arg(other),
        None => literal("none"),
    }
}

/// The call that gives a plain table the placement `citus`.
pub fn place_table(t: &QualifiedName, citus: &Citus) -> String {
    match citus {
        Citus::Distributed {
            column,
            colocate_with,
            shard_count,
        } => {
            let mut call = format!(
                "SELECT create_distributed_table({}, {}, colocate_with => {}",
                table_arg(t),
                literal(column),
                colocation_arg(colocate_with.as_ref())
            );
            // Citus refuses a shard count together with a table to colocate with: the
            // group's count applies.
            if let (Some(n), None) = (shard_count, colocate_with) {
                call.push_str(&format!(", shard_count => {n}"));
            }
            call.push(')');
            call
        }
        Citus::Reference => format!("SELECT create_reference_table({})", table_arg(t)),
        Citus::Local => format!("SELECT citus_add_local_table_to_metadata({})", table_arg(t)),
    }
}

/// Back to a plain PostgreSQL table on the coordinator, rows included.
pub fn undistribute_table(t: &QualifiedName) -> String {
    format!("SELECT undistribute_table({})", table_arg(t))
}

/// A new distribution column or shard count for a distributed table (the rows move).
/// Only this table: its colocation group is given again by `colocate_with`.
pub fn alter_distributed_table(
    t: &QualifiedName,
    column: Option<&str>,
    shard_count: Option<u32>,
    colocate_with: Option<&QualifiedName>,
) -> String {
    let mut call = format!("SELECT alter_distributed_table({}", table_arg(t));
    if let Some(c) = column {
        call.push_str(&format!(", distribution_column => {}", literal(c)));
    }
    if let (Some(n), None) = (shard_count, colocate_with) {
        call.push_str(&format!(", shard_count => {n}"));
    }
    call.push_str(&format!(
        ", colocate_with => {}, cascade_to_colocated => false)",
        colocation_arg(colocate_with)
    ));
    call
}

/// Moves a distributed table to another colocation group (metadata only: the shards
/// stay where they are, so both groups must have the same shard count and placement).
pub fn update_colocation(t: &QualifiedName, colocate_with: Option<&QualifiedName>) -> String {
    format!(
        "SELECT update_distributed_table_colocation({}, colocate_with => {})",
        table_arg(t),
        colocation_arg(colocate_with)
    )
}
