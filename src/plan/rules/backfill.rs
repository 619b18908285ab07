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
//!   exceeds the time ceiling, or the WAL it has still to replay (`pg_current_wal_lsn()` -
//!   `replay_lsn`) exceeds the byte ceiling, a wait. Each batch's UPDATE waits at most a lock timeout for a
//!   row lock; when it times out, the batch is retried after a pause instead of failing.
//! - Its progress (batches, rows scanned of the estimated total) is the session's
//!   `application_name`, which `pgshift`'s runner reads from another connection.
//!
//! The settings are read when the statement runs, from custom parameters that pgshift's
//! runner sets from pgshift.toml's `[backfill]` table (`pgshift.batch_rows`,
//! `pgshift.batch_pause`, `pgshift.batch_lock_timeout`, `pgshift.max_replication_lag`,
//! `pgshift.max_replication_lag_bytes`);
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
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Rows per committed batch by default: at a few tens of milliseconds each, a write that
/// meets a row of the current batch waits about that long.
pub const BATCH_ROWS: u32 = 2000;
/// The marker lines `migrate::rollout` reads back.
pub const TABLE_MARKER: &str = "-- pgshift-backfill-table: ";
pub const PENDING_MARKER: &str = "-- pgshift-backfill-pending: ";

/// `[backfill]` in pgshift.toml. The runner passes these to each backfill as custom
/// session parameters (`pgshift.batch_rows`, ...), which the generated `DO` block reads;
/// `generate` also writes them into the block as its defaults (`with_defaults`), so that
/// sqlx-cli, sea-orm-migration and psql, which set no parameters, run with them too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BatchSettings {
    /// Rows per batch, each batch its own transaction.
    pub batch_rows: u32,
    /// Pause between batches (a PostgreSQL interval: `20ms`, `1s`).
    pub pause: String,
    /// How long a batch waits for a row lock before it is retried after a pause.
    pub lock_timeout: String,
    /// Wait between batches while a replica's replay lag exceeds this (`10s`); none by
    /// default.
    pub max_replication_lag: Option<String>,
    /// Wait between batches while a replica has more WAL than this still to replay
    /// (`256MB`, a size `pg_size_bytes` reads); none by default. Unlike the time lag, it
    /// does not go stale while the replica is idle.
    pub max_replication_lag_bytes: Option<String>,
}

impl Default for BatchSettings {
    fn default() -> Self {
        BatchSettings {
            batch_rows: BATCH_ROWS,
            pause: "20ms".into(),
            lock_timeout: "1s".into(),
            max_replication_lag: None,
            max_replication_lag_bytes: None,
        }
    }
}

impl BatchSettings {
    /// The session parameters the generated backfills read.
    pub fn settings(&self) -> Vec<(String, String)> {
        vec![
            (
                "pgshift.batch_rows".into(),
                self.batch_rows.max(1).to_string(),
            ),
            ("pgshift.batch_pause".into(), self.pause.clone()),
            (
                "pgshift.batch_lock_timeout".into(),
                self.lock_timeout.clone(),
            ),
            (
                "pgshift.max_replication_lag".into(),
                self.max_replication_lag.clone().unwrap_or_default(),
            ),
            (
                "pgshift.max_replication_lag_bytes".into(),
                self.max_replication_lag_bytes.clone().unwrap_or_default(),
            ),
        ]
    }
}

/// The `DECLARE` lines that read the settings, with `d`'s values as the defaults.
fn declare_settings(d: &BatchSettings) -> String {
    // A ceiling without a default stays off unless the session sets it.
    let ceiling = |name: &str, value: &Option<String>| {
        let set = format!("nullif(current_setting({}, true), '')", literal(name));
        match value {
            Some(v) => format!("coalesce({set}, {})", literal(v)),
            None => set,
        }
    };
    format!(
        "\x20   batch_rows bigint := coalesce(nullif(current_setting('pgshift.batch_rows', true), '')::bigint, {});\n\
         \x20   pause interval := coalesce(nullif(current_setting('pgshift.batch_pause', true), ''), {})::interval;\n\
         \x20   batch_lock_timeout text := coalesce(nullif(current_setting('pgshift.batch_lock_timeout', true), ''), {});\n\
         \x20   max_lag interval := {}::interval;\n\
         \x20   max_lag_bytes bigint := pg_catalog.pg_size_bytes({});\n",
        d.batch_rows.max(1),
        literal(&d.pause),
        literal(&d.lock_timeout),
        ceiling("pgshift.max_replication_lag", &d.max_replication_lag),
        ceiling("pgshift.max_replication_lag_bytes", &d.max_replication_lag_bytes),
    )
}

/// `statement` with `d` as the defaults of a backfill's settings, when it is one of the
/// blocks `batched_update` writes; any other statement as it is.
pub fn with_defaults<'s>(statement: &'s str, d: &BatchSettings) -> Cow<'s, str> {
    let default = BatchSettings::default();
    if d == &default || !statement.starts_with("DO $pgshift$") {
        return Cow::Borrowed(statement);
    }
    Cow::Owned(statement.replacen(&declare_settings(&default), &declare_settings(d), 1))
}

/// Every backfill of `plan` with `d` as its defaults.
pub fn set_defaults(plan: &mut crate::plan::Plan, d: &BatchSettings) {
    for statement in plan.steps.iter_mut().flat_map(|s| &mut s.statements) {
        if let Cow::Owned(text) = with_defaults(statement, d) {
            *statement = text;
        }
    }
}

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
         {}\
         \x20   app text := current_setting('application_name');\n\
         \x20   total bigint;\n\
         \x20   batches bigint := 0;\n\
         \x20   scanned bigint := 0;\n\
         \x20   updated bigint := 0;\n\
         \x20   n bigint;\n\
         \x20   got bigint;\n",
        crate::sql::comment(pending),
        declare_settings(&BatchSettings::default())
    );
    // Waits for the replicas, then runs `update` (which sets `n`) with the batch's lock
    // timeout, retrying the batch after a pause when a row lock is not granted in time.
    let batch = |update: &str, advance: &str| {
        format!(
            "\x20       WHILE (max_lag IS NOT NULL AND EXISTS (SELECT FROM pg_catalog.pg_stat_replication r WHERE r.replay_lag > max_lag))\n\
             \x20           OR (max_lag_bytes IS NOT NULL AND EXISTS (SELECT FROM pg_catalog.pg_stat_replication r WHERE pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.replay_lsn) > max_lag_bytes)) LOOP\n\
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
    use super::*;
    use crate::schema::QualifiedName;

    #[test]
    fn settings_become_the_defaults_of_the_block_quoted() {
        let t = QualifiedName::new("public", "t");
        let block = batched_update(&t, Some("id"), "a = 1", "a IS NULL");
        let same = with_defaults(&block, &BatchSettings::default());
        assert!(matches!(same, Cow::Borrowed(_)));
        let d = BatchSettings {
            batch_rows: 500,
            pause: "0".into(),
            lock_timeout: "2s".into(),
            max_replication_lag: Some("10s".into()),
            max_replication_lag_bytes: Some("1GB'; DROP TABLE t; --".into()),
        };
        let changed = with_defaults(&block, &d);
        assert!(
            changed.contains("'pgshift.batch_rows', true), '')::bigint, 500);"),
            "{changed}"
        );
        assert!(changed.contains(
            "coalesce(nullif(current_setting('pgshift.max_replication_lag', true), ''), '10s')::interval"
        ));
        assert!(changed.contains("'1GB''; DROP TABLE t; --'"), "{changed}");
        assert_eq!(with_defaults("SELECT 1", &d), "SELECT 1");
    }

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
