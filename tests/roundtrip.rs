//! The round trip, on real PostgreSQL, for every case folder under tests/roundtrip/cases:
//! build `old` and `new`, plan both ways, apply the upgrade with psql and compare catalogs,
//! plan again and expect nothing, apply the downgrade and compare with `old`.

mod common;

use common::{assert_same_schema, assert_same_text, TestDb};
use pgshift::plan::{plan, plan_both};
use std::path::Path;

fn run_case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/roundtrip/cases")
        .join(name);
    let read = |f: &str| {
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{name}/{f}: {e}"))
    };
    let (old_sql, new_sql) = (read("old.sql"), read("new.sql"));

    let target = TestDb::new();
    let reference = TestDb::new();
    target
        .psql(&old_sql)
        .unwrap_or_else(|e| panic!("{name}: loading old.sql: {e}"));
    reference
        .psql(&new_sql)
        .unwrap_or_else(|e| panic!("{name}: loading new.sql: {e}"));
    let old = target.schema();
    let new = reference.schema();
    let (old_dump, new_dump) = (target.dump(), reference.dump());

    assert!(
        plan(&old, &old).unwrap().is_empty(),
        "{name}: diff(old, old) is not empty"
    );
    assert!(
        plan(&new, &new).unwrap().is_empty(),
        "{name}: diff(new, new) is not empty"
    );

    let (up, down) = plan_both(&old, &new).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (up_sql, down_sql) = (up.to_sql(), down.to_sql());
    insta::with_settings!({
        snapshot_path => "../snapshots/roundtrip",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("tests/roundtrip/cases/{name}: upgrade, then downgrade"),
    }, {
        insta::assert_snapshot!(name, format!("{up_sql}-- ==== downgrade ====\n{down_sql}"));
    });

    target
        .psql(&up_sql)
        .unwrap_or_else(|e| panic!("{name}: upgrade failed: {e}\n{up_sql}"));
    let upgraded = target.schema();
    assert_same_schema(&upgraded, &new, &format!("{name}: after upgrade"));
    let again = plan(&upgraded, &new).unwrap();
    assert!(
        again.is_empty(),
        "{name}: diff after upgrade not empty:\n{}",
        again.to_sql()
    );
    assert_same_text(
        &target.dump(),
        &new_dump,
        &format!("{name}: pg_dump after upgrade"),
    );

    target
        .psql(&down_sql)
        .unwrap_or_else(|e| panic!("{name}: downgrade failed: {e}\n{down_sql}"));
    let downgraded = target.schema();
    assert_same_schema(&downgraded, &old, &format!("{name}: after downgrade"));
    let again = plan(&downgraded, &old).unwrap();
    assert!(
        again.is_empty(),
        "{name}: diff after downgrade not empty:\n{}",
        again.to_sql()
    );
    assert_same_text(
        &target.dump(),
        &old_dump,
        &format!("{name}: pg_dump after downgrade"),
    );
}

include!(concat!(env!("OUT_DIR"), "/roundtrip_cases.rs"));

/// An index left INVALID by a failed `CREATE INDEX CONCURRENTLY` is seen and rebuilt
/// without leaving the table unindexed; an INVALID index is never a target.
#[test]
fn invalid_index_is_rebuilt() {
    let schema = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
                  CREATE INDEX orders_customer_idx ON orders (customer_id);";
    let (live, model) = (TestDb::new(), TestDb::new());
    live.psql(schema).unwrap();
    // What a failed concurrent build leaves behind: the index exists, not valid.
    live.psql(
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'orders_customer_idx'::regclass",
    )
    .unwrap();
    model.psql(schema).unwrap();
    let (broken, wanted) = (live.schema(), model.schema());
    assert!(!broken.tables.values().next().unwrap().indexes["orders_customer_idx"].valid);

    let up = plan(&broken, &wanted).unwrap().to_sql();
    assert!(
        up.contains("CREATE INDEX CONCURRENTLY orders_customer_idx_pgshift_new"),
        "{up}"
    );
    assert!(
        up.contains("DROP INDEX CONCURRENTLY public.orders_customer_idx"),
        "{up}"
    );
    assert!(up.contains("RENAME TO orders_customer_idx"), "{up}");
    live.psql(&up).unwrap();
    let fixed = live.schema();
    assert!(fixed.tables.values().next().unwrap().indexes["orders_customer_idx"].valid);
    assert!(plan(&fixed, &wanted).unwrap().is_empty());
    // Planning towards a database with an INVALID index asks for nothing.
    assert!(plan(&wanted, &broken).unwrap().is_empty());
}
