//! Filling a column in every existing row. One `UPDATE` of the whole table locks each row
//! it changes until it commits: on a large table, every write to an updated row waits for
//! the whole statement, and the WAL of the whole table arrives at the replicas at once.
//! Instead the rows are updated a batch at a time, each batch its own short transaction.
//!
//! - With a single-column primary key, the batches walk the key (keyset: `key >= lo AND
//!   key <= hi`, the bounds found through the key's index), so each batch reads only its
//!   rows. Without one (no primary key, or a composite one), they walk the table's pages
//!   by `ctid` range (a TID Range Scan since PostgreSQL 14), sized from `pg_class`.
//! - Each batch updates only rows still matching `pending`, which turns false once a row
//!   is filled: run again after an interruption, the backfill skips what is done, so no
//!   row is filled twice and none is skipped. A last sweep by key fills rows that an
//!   application inserted behind the walk.
//! - Between batches: a pause, and while a replica's `pg_stat_replication.replay_lag`
//!   exceeds the ceiling, a wait. Each batch's UPDATE waits at most a lock timeout for a
//!   row lock; when it times out, the batch is retried after a pause instead of failing.
//! - Its progress (batches, rows scanned of the estimated total) is the session's
//!   `application_name`, which `pgshift`'s runner reads from another connection.
//!
//! The settings are read when the statement runs, from custom parameters that pgshift's
//! runner sets from pgshift.toml's `[backfill]` table (`pgshift.batch_rows`,
//! `pgshift.batch_pause`, `pgshift.batch_lock_timeout`, `pgshift.max_replication_lag`);
//! run by psql or sqlx-cli, the defaults below apply (or a `SET pgshift.batch_rows = ...`
//! before it). `COMMIT` inside a `DO` block is allowed only when the block is not inside a
//! transaction block (PostgreSQL 11+, manual: "Transaction Management" in PL/pgSQL), so the
//! step runs outside a transaction, as the only statement of its migration: sqlx-cli sends
//! a `-- no-transaction` file as one query, which is a transaction block once it holds two
//! statements. A block with an exception handler may not commit, so only the UPDATE is in
//! one, and the COMMIT after it.
//!
//! Two comment lines at the top of the block name the table and the condition a row still
//! to fill matches: `pgshift complete` counts those rows before it enforces what the
//! backfill prepared (see `migrate::rollout`).

use crate::plan::Step;
use crate::schema::QualifiedName;
use crate::sql::{ident, literal, qualified};

/// Rows per committed batch by default: at a few tens of milliseconds each, a write that
/// meets a row of the current batch waits about that long.
pub const BATCH_ROWS: u32 = 2000;
/// The marker lines `migrate::rollout` reads back.
pub const TABLE_MARKER: &str = "-- pgshift-backfill-table: ";
pub const PENDING_MARKER: &str = "-- pgshift-backfill-pending: ";

/// `UPDATE table SET set WHERE pending`, in committed batches, walking `key` (a
/// single-column primary key) or, without one, `ctid` ranges. `pending` must turn false
/// for a row once it is updated, so that the batches end.
pub fn batched_update(
    table: &QualifiedName,
    key: Option<&str>,
    set: &str,
    pending: &str,
) -> String {
    let t = qualified(table);
    let regclass = format!("{}::regclass", literal(&t));
    let head = format!(
        "DO $pgshift$\n\
         {TABLE_MARKER}{t}\n\
         {PENDING_MARKER}{}\n\
         DECLARE\n\
         \x20   batch_rows bigint := coalesce(nullif(current_setting('pgshift.batch_rows', true), '')::bigint, {BATCH_ROWS});\n\
         \x20   pause interval := coalesce(nullif(current_setting('pgshift.batch_pause', true), '')::interval, '20ms');\n\
         \x20   batch_lock_timeout text := coalesce(nullif(current_setting('pgshift.batch_lock_timeout', true), ''), '1s');\n\
         \x20   max_lag interval := nullif(current_setting('pgshift.max_replication_lag', true), '')::interval;\n\
         \x20   app text := current_setting('application_name');\n\
         \x20   total bigint;\n\
         \x20   batches bigint := 0;\n\
         \x20   scanned bigint := 0;\n\
         \x20   updated bigint := 0;\n\
         \x20   n bigint;\n\
         \x20   got bigint;\n",
        crate::sql::comment(pending)
    );
    // Waits for the replicas, then runs `update` (which sets `n`) with the batch's lock
    // timeout, retrying the batch after a pause when a row lock is not granted in time.
    let batch = |update: &str, advance: &str| {
        format!(
            "\x20       WHILE max_lag IS NOT NULL AND EXISTS (SELECT FROM pg_catalog.pg_stat_replication r WHERE r.replay_lag > max_lag) LOOP\n\
             \x20           PERFORM pg_catalog.set_config('application_name', 'pgshift backfill: waiting for replicas', false);\n\
             \x20           PERFORM pg_catalog.pg_sleep(0.5);\n\
             \x20       END LOOP;\n\
             \x20       BEGIN\n\
             \x20           PERFORM pg_catalog.set_config('lock_timeout', batch_lock_timeout, true);\n\
             {update}\
             \x20       EXCEPTION WHEN lock_not_available THEN\n\
             \x20           RAISE NOTICE 'pgshift backfill of %: a row lock was not granted within %; retrying the batch', {tl}, batch_lock_timeout;\n\
             \x20           PERFORM pg_catalog.pg_sleep_for(pause);\n\
             \x20           CONTINUE;\n\
             \x20       END;\n\
             \x20       batches := batches + 1;\n\
             \x20       updated := updated + n;\n\
             {advance}\
             \x20       PERFORM pg_catalog.set_config('application_name', pg_catalog.format('pgshift backfill %s %s %s %s', batches, scanned, total, updated), false);\n\
             \x20       COMMIT;\n\
             \x20       PERFORM pg_catalog.pg_sleep_for(pause);\n",
            tl = literal(&t)
        )
    };
    let body = match key {
        Some(k) => {
            let k = ident(k);
            let ty = format!("{t}.{k}%TYPE");
            format!(
                "\x20   lo {ty};\n\
                 \x20   hi {ty};\n\
                 BEGIN\n\
                 \x20   SELECT greatest(c.reltuples, 0)::bigint INTO total FROM pg_catalog.pg_class c WHERE c.oid = {regclass};\n\
                 \x20   SELECT min({k}) INTO lo FROM {t};\n\
                 \x20   WHILE lo IS NOT NULL LOOP\n\
                 \x20       SELECT max(b.{k}), count(*) INTO hi, got FROM (SELECT {k} FROM {t} WHERE {k} >= lo ORDER BY {k} LIMIT batch_rows) b;\n\
                 {}\
                 \x20   END LOOP;\n\
                 \x20   -- Rows inserted behind the walk while it ran: one more pass over the key.\n\
                 \x20   SELECT min({k}) INTO lo FROM {t} WHERE ({pending});\n\
                 \x20   WHILE lo IS NOT NULL LOOP\n\
                 \x20       SELECT max(b.{k}) INTO hi FROM (SELECT {k} FROM {t} WHERE {k} >= lo AND ({pending}) ORDER BY {k} LIMIT batch_rows) b;\n\
                 {}\
                 \x20   END LOOP;\n",
                batch(
                    &format!(
                        "\x20           UPDATE {t} SET {set} WHERE {k} >= lo AND {k} <= hi AND ({pending});\n\
                         \x20           GET DIAGNOSTICS n = ROW_COUNT;\n"
                    ),
                    &format!(
                        "\x20       scanned := scanned + got;\n\
                         \x20       SELECT min({k}) INTO lo FROM {t} WHERE {k} > hi;\n"
                    ),
                ),
                batch(
                    &format!(
                        "\x20           UPDATE {t} SET {set} WHERE {k} >= lo AND {k} <= hi AND ({pending});\n\
                         \x20           GET DIAGNOSTICS n = ROW_COUNT;\n"
                    ),
                    &format!("\x20       SELECT min({k}) INTO lo FROM {t} WHERE {k} > hi AND ({pending});\n"),
                ),
            )
        }
        None => format!(
            "\x20   pages bigint;\n\
             \x20   first bigint := 0;\n\
             \x20   swept bigint;\n\
             BEGIN\n\
             \x20   SELECT greatest(c.reltuples, 0)::bigint, CASE WHEN c.reltuples > 0 AND c.relpages > 0\n\
             \x20       THEN greatest(1, floor(batch_rows * c.relpages / c.reltuples))::bigint\n\
             \x20       ELSE 10 END INTO total, pages FROM pg_catalog.pg_class c WHERE c.oid = {regclass};\n\
             \x20   WHILE first < pg_catalog.pg_relation_size({regclass}) / current_setting('block_size')::bigint LOOP\n\
             {}\
             \x20   END LOOP;\n\
             \x20   -- Rows that moved behind the walk while it ran (no key to walk: by ctid).\n\
             \x20   LOOP\n\
             {}\
             \x20       EXIT WHEN swept < batch_rows;\n\
             \x20   END LOOP;\n",
            batch(
                &format!(
                    "\x20           UPDATE {t} SET {set}\n\
                     \x20           WHERE ctid >= pg_catalog.format('(%s,0)', first)::tid\n\
                     \x20             AND ctid < pg_catalog.format('(%s,0)', first + pages)::tid\n\
                     \x20             AND ({pending});\n\
                     \x20           GET DIAGNOSTICS n = ROW_COUNT;\n"
                ),
                "\x20       first := first + pages;\n\
                 \x20       scanned := least(total, scanned + batch_rows);\n",
            ),
            batch(
                &format!(
                    "\x20           UPDATE {t} SET {set}\n\
                     \x20           WHERE ctid = ANY (ARRAY(SELECT ctid FROM {t} WHERE {pending} LIMIT batch_rows));\n\
                     \x20           GET DIAGNOSTICS n = ROW_COUNT;\n"
                ),
                "\x20       swept := n;\n",
            ),
        ),
    };
    format!(
        "{head}{body}\
         \x20   PERFORM pg_catalog.set_config('application_name', app, false);\n\
         \x20   RAISE NOTICE 'pgshift backfill of %: % rows updated in % batches', {}, updated, batches;\n\
         END\n\
         $pgshift$",
        literal(&t)
    )
}

/// A step that runs `batched_update`, outside any transaction block.
pub fn step(
    description: String,
    table: &QualifiedName,
    key: Option<&str>,
    set: &str,
    pending: &str,
) -> Step {
    Step::new(description)
        .sql(batched_update(table, key, set, pending))
        .outside_transaction(
            "updates the rows in batches of a few thousand, each committed at once, so no \
             row stays locked for long (COMMIT inside DO cannot run in a transaction block)",
        )
        .long_running()
}

#[cfg(test)]
mod tests {
    use crate::schema::QualifiedName;

    #[test]
    fn batches_name_the_table_through_the_quoting_module() {
        let t = QualifiedName::new("public", "Order Lines");
        for key in [Some("Line Id"), None] {
            let sql = super::batched_update(&t, key, "x = 1", "x IS NULL");
            assert!(
                sql.contains("UPDATE public.\"Order Lines\" SET x = 1"),
                "{sql}"
            );
            assert!(sql.contains("'public.\"Order Lines\"'::regclass"), "{sql}");
            assert!(sql.contains("COMMIT;"), "{sql}");
            assert!(
                sql.contains("-- pgshift-backfill-table: public.\"Order Lines\"\n"),
                "{sql}"
            );
        }
        let sql = super::batched_update(&t, Some("Line Id"), "x = 1", "x IS NULL");
        assert!(
            sql.contains("public.\"Order Lines\".\"Line Id\"%TYPE"),
            "{sql}"
        );
    }

    /// The pending condition is SQL, but on its marker line it is a comment: a line
    /// break in it cannot end the comment.
    #[test]
    fn the_pending_marker_stays_one_comment_line() {
        let t = QualifiedName::new("public", "t");
        let sql = super::batched_update(&t, None, "x = 1", "x IS NULL\nOR true");
        let marker = sql
            .lines()
            .find(|l| l.starts_with(super::PENDING_MARKER))
            .unwrap();
        assert_eq!(marker, "-- pgshift-backfill-pending: x IS NULL\\nOR true");
    }
}
