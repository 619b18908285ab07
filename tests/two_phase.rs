//! Two-phase NOT NULL columns on a table with rows, on real PostgreSQL.
//!
//! A NOT NULL column without a default cannot be added to a table that has rows: pgshift
//! adds it nullable in the expand phase, with a backfill the user must write (a guard
//! stops the migration while rows are unfilled), and enforces NOT NULL in the contract
//! phase. A volatile default (`gen_random_uuid()`) is split the same way, so that adding
//! the column does not rewrite the table.

mod common;

use common::{assert_same_schema, TestDb};
use pgshift::plan::{plan, HazardCode, Phase, Plan, Step};
use pgshift::schema::Schema;

const OLD: &str = "
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text NOT NULL
);
";

const LOAD: &str =
    "INSERT INTO accounts SELECT i, 'account ' || i FROM generate_series(1, 1000) i;";

/// The plan from the database's schema to `new_sql`, and the schema `new_sql` makes.
fn plan_to(db: &TestDb, new_sql: &str) -> (Plan, Schema) {
    let reference = TestDb::new();
    reference.psql(new_sql).expect("new schema");
    let new = reference.schema();
    (plan(&db.schema(), &new).expect("plan"), new)
}

fn phase(plan: &Plan, phase: Phase) -> Plan {
    Plan {
        steps: plan
            .steps
            .iter()
            .filter(|s| s.phase == phase)
            .cloned()
            .collect(),
    }
}

fn table_with_rows() -> TestDb {
    let db = TestDb::new();
    db.psql(OLD).expect("old schema");
    db.psql(LOAD).expect("rows");
    db
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).expect(sql).get(0)
}

fn attnotnull(db: &TestDb, column: &str) -> bool {
    db.client()
        .query_one(
            "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'accounts'::regclass \
             AND attname = $1",
            &[&column],
        )
        .expect("pg_attribute")
        .get(0)
}

fn relfilenode(db: &TestDb) -> u32 {
    db.client()
        .query_one(
            "SELECT relfilenode FROM pg_class WHERE oid = 'accounts'::regclass",
            &[],
        )
        .expect("pg_class")
        .get::<_, u32>(0)
}

const NEW_REGION: &str = "
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    region text NOT NULL
);
";

fn is_guard(step: &Step) -> bool {
    step.hazards
        .iter()
        .any(|h| h.code == HazardCode::BackfillRequired)
        && step.statements.iter().all(|s| s.starts_with("DO "))
}

#[test]
fn not_null_column_without_default_is_added_in_two_phases() {
    let db = table_with_rows();
    let (plan, new) = plan_to(&db, NEW_REGION);
    let sql = plan.to_sql();
    let expand = phase(&plan, Phase::Expand);
    let contract = phase(&plan, Phase::Contract);
    assert!(
        !expand.is_empty() && !contract.is_empty(),
        "expected expand and contract steps:\n{sql}"
    );
    // Contract steps come after every expand step.
    let first_contract = plan
        .steps
        .iter()
        .position(|s| s.phase == Phase::Contract)
        .unwrap();
    assert!(
        plan.steps[first_contract..]
            .iter()
            .all(|s| s.phase == Phase::Contract),
        "expand and contract steps interleave:\n{sql}"
    );
    assert!(
        expand.steps.iter().flat_map(|s| &s.statements).all(|s| {
            let enforces =
                s.contains("SET NOT NULL") || (s.contains("ADD COLUMN") && s.contains("NOT NULL"));
            !enforces
        }),
        "the expand phase must not enforce NOT NULL:\n{sql}"
    );
    assert_eq!(
        expand.steps.iter().filter(|s| is_guard(s)).count(),
        1,
        "expected one backfill guard (BACKFILL_REQUIRED) in the expand phase:\n{sql}"
    );

    // As generated, the expand migration adds the column and then stops at the guard:
    // pgshift does not guess a value for existing rows.
    {
        let other = table_with_rows();
        let err = other
            .psql(&expand.to_sql())
            .expect_err("the backfill guard let unfilled rows through");
        assert!(
            err.contains("pgshift: public.accounts.region is NOT NULL without a default: fill it in every row"),
            "unclear message from the guard: {err}"
        );
    }

    // The user writes the backfill just before the guard; now every expand step applies.
    let mut expand_filled = expand.clone();
    let guard = expand_filled.steps.iter().position(is_guard).unwrap();
    let mut backfill = expand_filled.steps[guard].clone();
    backfill.statements =
        vec!["UPDATE public.accounts SET region = 'eu' WHERE region IS NULL".into()];
    expand_filled.steps.insert(guard, backfill);
    db.psql(&expand_filled.to_sql())
        .unwrap_or_else(|e| panic!("expand migration failed: {e}\n{}", expand_filled.to_sql()));
    assert!(
        !attnotnull(&db, "region"),
        "region is NOT NULL after expand"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM accounts WHERE region IS NULL"),
        0
    );

    // The old application does not know the column: its inserts still work.
    db.psql("INSERT INTO accounts (id, name) VALUES (1001, 'old-style insert')")
        .expect("an old-style INSERT that omits the new column failed after expand");
    assert_eq!(
        count(&db, "SELECT count(*) FROM accounts WHERE region IS NULL"),
        1
    );

    // The contract migration refuses while a row is unfilled, naming the table and column.
    let contract_sql = contract.to_sql();
    let err = db
        .psql(&contract_sql)
        .expect_err("the contract migration enforced NOT NULL over a NULL");
    assert!(
        err.contains("region_pgshift_not_null") && err.contains("\"accounts\""),
        "unclear message from the contract migration: {err}"
    );
    assert!(!attnotnull(&db, "region"));

    // Filled, it succeeds.
    db.psql("UPDATE accounts SET region = 'us' WHERE region IS NULL")
        .unwrap();
    db.psql(&contract_sql).unwrap_or_else(|e| {
        panic!("contract migration failed after the fill: {e}\n{contract_sql}")
    });
    assert!(attnotnull(&db, "region"));
    assert_same_schema(&db.schema(), &new, "after contract");
    let again = plan_to(&db, NEW_REGION).0;
    assert!(again.is_empty(), "left to do:\n{}", again.to_sql());
}

const NEW_TOKEN: &str = "
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    token uuid NOT NULL DEFAULT gen_random_uuid()
);
";

#[test]
fn volatile_default_is_added_without_a_rewrite() {
    // The check can fail: adding the column the naive way rewrites the table.
    {
        let db = table_with_rows();
        let before = relfilenode(&db);
        db.psql("ALTER TABLE accounts ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()")
            .unwrap();
        assert_ne!(
            relfilenode(&db),
            before,
            "the naive ADD COLUMN did not rewrite the table: relfilenode shows nothing"
        );
    }

    let db = table_with_rows();
    let before = relfilenode(&db);
    let (plan, new) = plan_to(&db, NEW_TOKEN);
    let sql = plan.to_sql();
    let expand = phase(&plan, Phase::Expand);
    let contract = phase(&plan, Phase::Contract);
    assert!(!contract.is_empty(), "no contract phase:\n{sql}");
    assert!(
        expand
            .steps
            .iter()
            .flat_map(|s| &s.statements)
            // A batched backfill: one DO block of committed UPDATEs.
            .any(|s| s.contains("UPDATE ") && s.contains("SET token = gen_random_uuid()")),
        "no backfill with the default in the expand phase:\n{sql}"
    );

    db.psql(&expand.to_sql())
        .unwrap_or_else(|e| panic!("expand migration failed: {e}\n{sql}"));
    assert_eq!(
        relfilenode(&db),
        before,
        "the expand migration rewrote the table:\n{sql}"
    );
    assert!(!attnotnull(&db, "token"));
    assert_eq!(
        count(&db, "SELECT count(*) FROM accounts WHERE token IS NULL"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(DISTINCT token) FROM accounts"),
        1000,
        "the backfill did not compute the default per row"
    );
    // An old-style insert gets the default.
    db.psql("INSERT INTO accounts (id, name) VALUES (1001, 'old-style insert')")
        .unwrap();
    assert_eq!(
        count(&db, "SELECT count(*) FROM accounts WHERE token IS NULL"),
        0
    );

    db.psql(&contract.to_sql())
        .unwrap_or_else(|e| panic!("contract migration failed: {e}\n{sql}"));
    assert!(attnotnull(&db, "token"));
    assert_eq!(
        relfilenode(&db),
        before,
        "the contract migration rewrote the table"
    );
    assert_same_schema(&db.schema(), &new, "after contract");
    let again = plan_to(&db, NEW_TOKEN).0;
    assert!(again.is_empty(), "left to do:\n{}", again.to_sql());
}
