//! A column added to a table that already exists.
//!
//! - Nullable, or with a constant or stable default (`now()`): metadata only since
//!   PostgreSQL 11, safe as is.
//! - NOT NULL without a default: existing rows have no value, so two phases. Expand: add
//!   it nullable, then backfill (from the model's backfill expression, or a guard that
//!   fails while rows are unfilled, never a guess). Contract: enforce NOT NULL without a
//!   blocking scan (see `set_not_null`).
//! - A volatile default (`gen_random_uuid()`, `clock_timestamp()`, `nextval(...)`) is
//!   computed per row and rewrites the table: added without it, the default set for new
//!   rows, existing rows backfilled with it, NOT NULL enforced in the contract phase.
//! - Identity and stored generated columns fill every row: a rewrite, named as a hazard.

use super::{set_not_null, table_label};
use crate::plan::{chain, Hazard, HazardCode, Step};
use crate::schema::{Column, ObjectId, QualifiedName};
use crate::sql::{ddl, ident, literal, qualified};

/// Functions whose value differs per row. A default calling one cannot be stored once in
/// the catalog, so `ADD COLUMN ... DEFAULT` rewrites the table.
const VOLATILE: &[&str] = &[
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4(",
    "random(",
    "clock_timestamp(",
    "timeofday(",
    "statement_timestamp(",
    "nextval(",
    "txid_current(",
];

pub fn is_volatile(expression: &str) -> bool {
    VOLATILE.iter().any(|f| expression.contains(f))
}

/// Steps for `column` added to the existing `table`; `plain` is the ordinary add step.
/// `key` is the table's single-column primary key, which a backfill walks (see `backfill`).
pub fn on_existing(
    table: &QualifiedName,
    column: &Column,
    backfill: Option<&str>,
    key: Option<&str>,
    plain: Step,
) -> Vec<Step> {
    let id = ObjectId::Column(table.clone(), column.name.clone());
    if column.identity.is_some() || column.generated.is_some() {
        return vec![plain.hazard(Hazard::new(
            HazardCode::TableRewrite,
            format!(
                "adding {} column {}.{} computes it for every row: the table is rewritten under \
                 an ACCESS EXCLUSIVE lock",
                if column.identity.is_some() {
                    "identity"
                } else {
                    "generated"
                },
                table_label(table),
                ident(&column.name)
            ),
            "for a large table, add a plain column, fill it in batches, then convert it",
        ))];
    }
    let volatile = column.volatile_default || column.default.as_deref().is_some_and(is_volatile);
    let needs_fill = column.not_null && column.default.is_none();
    // A backfill is also given for a nullable column: the downgrade of a rename's
    // contract phase re-adds the old column filled from the new one.
    if !volatile && !needs_fill && backfill.is_none() {
        return vec![plain];
    }
    let col = ident(&column.name);
    let nullable = Column {
        not_null: false,
        default: None,
        ..column.clone()
    };
    let mut add = Step::new(format!("add column {table}.{col} (nullable for now)"))
        .sql(ddl::alter_table(
            table,
            &format!("ADD COLUMN {}", ddl::column_definition(&nullable)),
        ))
        .creates(id.clone());
    for action in ddl::column_settings(column) {
        add = add.sql(ddl::alter_table(table, &action));
    }
    if column.comment.is_some() {
        add = add.sql(ddl::comment_on(
            &format!("COLUMN {}.{col}", qualified(table)),
            column.comment.as_deref(),
        ));
    }
    let mut steps = vec![add];
    if let Some(default) = &column.default {
        steps.push(
            Step::new(format!("set the default of {table}.{col} for new rows"))
                .sql(ddl::alter_table(
                    table,
                    &format!("ALTER COLUMN {col} SET DEFAULT {default}"),
                ))
                .creates(id.clone()),
        );
    }
    steps.push(backfill_step(
        table,
        column,
        key,
        backfill.or(column.default.as_deref()),
    ));
    if column.not_null {
        steps.extend(
            set_not_null::steps(table, &column.name)
                .into_iter()
                .map(Step::contract),
        );
    }
    chain(&id, steps)
}

fn backfill_step(
    table: &QualifiedName,
    column: &Column,
    key: Option<&str>,
    fill: Option<&str>,
) -> Step {
    let col = ident(&column.name);
    let id = ObjectId::Column(table.clone(), column.name.clone());
    match fill {
        Some(expr) => super::backfill::step(
            format!("backfill {table}.{col}"),
            table,
            key,
            &format!("{col} = {expr}"),
            &format!("{col} IS NULL"),
        )
        .hazard(Hazard::new(
            HazardCode::BackfillRequired,
            format!(
                "fills {col} in every existing row of {} in committed batches of a few \
                 thousand rows: a row is locked only while its batch runs, but the table \
                 grows by a version of every row and the step takes as long as the table \
                 is large",
                table_label(table)
            ),
            "run it at a quiet time for a very large table; if it stops, run it again: it \
             fills only the rows still NULL",
        ))
        .creates(id),
        None => {
            let message = format!(
                "pgshift: {}.{} is NOT NULL without a default: fill it in every row, then run \
                 the rest of the migration",
                table_label(table),
                col
            );
            Step::new(format!("backfill {table}.{col}: yours to write"))
                .sql(format!(
                    "DO $pgshift$ BEGIN IF EXISTS (SELECT FROM {} WHERE {col} IS NULL) THEN \
                     RAISE EXCEPTION {}; END IF; END $pgshift$",
                    qualified(table),
                    literal(&message)
                ))
                .hazard(Hazard::new(
                    HazardCode::BackfillRequired,
                    format!(
                        "existing rows of {} need a value for {col}, and pgshift will not guess \
                         one: this guard stops the migration while any row is unfilled",
                        table_label(table)
                    ),
                    "replace the guard with an UPDATE that fills the column (or give the model \
                     a backfill expression), in batches for a large table",
                ))
                // A scan of the table: no lock of the ADD COLUMN may be held during it.
                .in_own_transaction()
                .creates(id)
        }
    }
}
