//! Filling a column in every existing row. One `UPDATE` of the whole table locks each row
//! it changes until it commits: on a large table, every write to an updated row waits for
//! the whole statement. Instead the rows are updated a few thousand at a time, each batch
//! committed, so a row stays locked only while its own batch runs.
//!
//! The batches walk the table's pages by `ctid` range (a TID Range Scan since PostgreSQL
//! 14: each batch reads only its pages), sized from `pg_class` to about `BATCH_ROWS` rows;
//! a last sweep fills rows that moved to an earlier page while it ran. `COMMIT` inside a
//! `DO` block is allowed only when the block is not inside a transaction block
//! (PostgreSQL 11+, manual: "Transaction Management" in PL/pgSQL), so the step runs
//! outside a transaction, as the only statement of its migration: sqlx-cli sends a
//! `-- no-transaction` file as one query, which is a transaction block once it holds two
//! statements. It can be run again: it only touches rows still to fill.

use crate::plan::Step;
use crate::schema::QualifiedName;
use crate::sql::{literal, qualified};

/// Rows per committed batch: at a few tens of milliseconds each, a write that meets a
/// row of the current batch waits about that long.
const BATCH_ROWS: u32 = 2000;

/// `UPDATE table SET set WHERE pending`, in committed batches. `pending` must turn false
/// for a row once it is updated, so that the batches end.
pub fn batched_update(table: &QualifiedName, set: &str, pending: &str) -> String {
    let t = qualified(table);
    let regclass = format!("{}::regclass", literal(&t));
    format!(
        "DO $pgshift$\n\
         DECLARE\n\
         \x20   batch bigint;\n\
         \x20   first bigint := 0;\n\
         \x20   updated bigint;\n\
         BEGIN\n\
         \x20   SELECT CASE WHEN c.reltuples > 0 AND c.relpages > 0\n\
         \x20       THEN greatest(1, floor({BATCH_ROWS} * c.relpages / c.reltuples))::bigint\n\
         \x20       ELSE 10 END INTO batch FROM pg_catalog.pg_class c WHERE c.oid = {regclass};\n\
         \x20   WHILE first < pg_catalog.pg_relation_size({regclass}) / current_setting('block_size')::bigint LOOP\n\
         \x20       UPDATE {t} SET {set}\n\
         \x20       WHERE ctid >= format('(%s,0)', first)::tid\n\
         \x20         AND ctid < format('(%s,0)', first + batch)::tid\n\
         \x20         AND ({pending});\n\
         \x20       first := first + batch;\n\
         \x20       COMMIT;\n\
         \x20   END LOOP;\n\
         \x20   LOOP\n\
         \x20       UPDATE {t} SET {set}\n\
         \x20       WHERE ctid = ANY (ARRAY(SELECT ctid FROM {t} WHERE {pending} LIMIT {BATCH_ROWS}));\n\
         \x20       GET DIAGNOSTICS updated = ROW_COUNT;\n\
         \x20       COMMIT;\n\
         \x20       EXIT WHEN updated < {BATCH_ROWS};\n\
         \x20   END LOOP;\n\
         END\n\
         $pgshift$"
    )
}

/// A step that runs `batched_update`, outside any transaction block.
pub fn step(description: String, table: &QualifiedName, set: &str, pending: &str) -> Step {
    Step::new(description)
        .sql(batched_update(table, set, pending))
        .outside_transaction(
            "updates the rows in batches of a few thousand, each committed at once, so no \
             row stays locked for long (COMMIT inside DO cannot run in a transaction block)",
        )
        .long_running()
}

#[cfg(test)]
mod tests {
    #[test]
    fn batches_name_the_table_through_the_quoting_module() {
        let t = crate::schema::QualifiedName::new("public", "Order Lines");
        let sql = super::batched_update(&t, "x = 1", "x IS NULL");
        assert!(
            sql.contains("UPDATE public.\"Order Lines\" SET x = 1"),
            "{sql}"
        );
        assert!(sql.contains("'public.\"Order Lines\"'::regclass"), "{sql}");
        assert!(sql.contains("COMMIT;"), "{sql}");
    }
}
