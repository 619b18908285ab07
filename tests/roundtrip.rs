//! The round trip, on real PostgreSQL, for every case folder under tests/roundtrip/cases:
//! build `old` and `new`, plan both ways, apply the upgrade with psql and compare catalogs,
//! plan again and expect nothing, apply the downgrade and compare with `old`. Catalogs are
//! compared as pgshift reads them and as `pg_dump --schema-only` writes them, privileges
//! (with their grantors) too.
//!
//! A case may also hold `data.sql` (rows loaded after `old.sql`, so the migration runs on
//! a populated table), `after_upgrade.sql` and `after_downgrade.sql` (statements that must
//! succeed on the migrated database: inserts that take the next key), and `warnings.txt`
//! (the objects pgshift warns about and leaves out, one `kind identity` a line). An
//! object warned about and not listed there fails the case: it would be lost silently.
//! `roles.txt` lists the roles a case grants to (created on the cluster first). `using`
//! hints in new.sql (`-- pgshift: using ...` comments) are read as a `.sql` model's.

mod common;

use common::{assert_same_schema, assert_same_text, TestDb};
use pgshift::plan::{plan, plan_both_with};
use pgshift::schema::QualifiedName;
use std::path::Path;

fn run_case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/roundtrip/cases")
        .join(name);
    run_dir(&dir, name, true);
}

/// The round trip of one case folder; `snapshot` asserts the plan against its reviewed
/// snapshot (the repository's cases) or not (outside material, `outside_corpus`).
fn run_dir(dir: &Path, name: &str, snapshot: bool) {
    let read = |f: &str| {
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{name}/{f}: {e}"))
    };
    let optional = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let (old_sql, new_sql) = (read("old.sql"), read("new.sql"));

    common::create_case_roles(dir);
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
    let mut warned: Vec<String> = old
        .unsupported
        .iter()
        .chain(&new.unsupported)
        .map(|u| format!("{} {}", u.kind, u.identity))
        .collect();
    warned.sort();
    warned.dedup();
    let mut expected: Vec<String> = optional("warnings.txt")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    expected.sort();
    assert_eq!(
        warned, expected,
        "{name}: objects left out with a warning (expected: warnings.txt)"
    );
    if let Some(data) = optional("data.sql") {
        target
            .psql(&data)
            .unwrap_or_else(|e| panic!("{name}: loading data.sql: {e}"));
    }
    let (old_dump, new_dump) = (target.dump(), reference.dump());
    let (old_grants, new_grants) = (target.dump_privileges(), reference.dump_privileges());

    assert!(
        plan(&old, &old).unwrap().is_empty(),
        "{name}: diff(old, old) is not empty"
    );
    assert!(
        plan(&new, &new).unwrap().is_empty(),
        "{name}: diff(new, new) is not empty"
    );

    // `-- pgshift: using ...` comments of new.sql, read as a `.sql` model's are.
    let hints = pgshift::source::sql_hints::read(&dir.join("new.sql"), &new_sql, &new, false)
        .unwrap_or_else(|e| panic!("{name}: hints of new.sql: {e}"));
    let (up, down) = plan_both_with(&old, &new, &hints).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (up_sql, down_sql) = (up.to_sql(), down.to_sql());
    if snapshot {
        insta::with_settings!({
            snapshot_path => "../snapshots/roundtrip",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("tests/roundtrip/cases/{name}: upgrade, then downgrade"),
        }, {
            insta::assert_snapshot!(name, format!("{up_sql}-- ==== downgrade ====\n{down_sql}"));
        });
    }

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
    assert_same_text(
        &target.dump_privileges(),
        &new_grants,
        &format!("{name}: pg_dump's privileges after upgrade"),
    );
    if let Some(sql) = optional("after_upgrade.sql") {
        target
            .psql(&sql)
            .unwrap_or_else(|e| panic!("{name}: after_upgrade.sql failed: {e}"));
    }

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
    assert_same_text(
        &target.dump_privileges(),
        &old_grants,
        &format!("{name}: pg_dump's privileges after downgrade"),
    );
    if let Some(sql) = optional("after_downgrade.sql") {
        target
            .psql(&sql)
            .unwrap_or_else(|e| panic!("{name}: after_downgrade.sql failed: {e}"));
    }
}

include!(concat!(env!("OUT_DIR"), "/roundtrip_cases.rs"));

/// Every case folder under `$PGSHIFT_CORPUS` (at any depth: a folder holding `old.sql` and
/// `new.sql` is a case), run as the repository's cases are but without snapshots: outside
/// material (peers' published test corpora) measured without committing it. Prints one
/// line per case (`pass`, `skip` when old.sql or new.sql does not load, or the class of the
/// failure and its first line) and the totals per top-level folder; a failing case's whole
/// message is written beside it as `failure.txt`. Opt in:
/// `PGSHIFT_CORPUS=/dir cargo test --test roundtrip outside_corpus -- --ignored --nocapture`;
/// `PGSHIFT_CORPUS_JOBS` cases run side by side (default 2).
#[test]
#[ignore]
fn outside_corpus() {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    let root = std::path::PathBuf::from(
        std::env::var_os("PGSHIFT_CORPUS").expect("PGSHIFT_CORPUS=/folder of case folders"),
    );
    let mut cases = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        let _ = std::fs::remove_file(d.join("failure.txt"));
        if d.join("old.sql").is_file() && d.join("new.sql").is_file() {
            cases.push(d);
            continue;
        }
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
    cases.sort();
    let jobs: usize = std::env::var("PGSHIFT_CORPUS_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2);
    // Failures are collected, not printed as they panic.
    std::panic::set_hook(Box::new(|_| {}));
    let queue = Mutex::new(cases.iter());
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| loop {
                let Some(dir) = queue.lock().unwrap().next() else {
                    break;
                };
                let name = dir.strip_prefix(&root).unwrap().display().to_string();
                let outcome = std::panic::catch_unwind(|| run_dir(dir, &name, false));
                let (class, line) = match outcome {
                    Ok(()) => ("pass", String::new()),
                    Err(e) => {
                        let msg = e
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        // The whole message beside the case (outside the repository).
                        let _ = std::fs::write(dir.join("failure.txt"), &msg);
                        (corpus_class(&msg), corpus_first_line(&msg, &name))
                    }
                };
                results.lock().unwrap().insert(name, (class, line));
            });
        }
    });
    let _ = std::panic::take_hook();
    let results = results.into_inner().unwrap();
    let mut totals: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for (name, (class, line)) in &results {
        println!("{class:<14} {name}  {line}");
        let group = name.split('/').next().unwrap_or(name).to_string();
        *totals.entry(group).or_default().entry(class).or_default() += 1;
        *totals
            .entry("ALL".into())
            .or_default()
            .entry(class)
            .or_default() += 1;
    }
    for (group, counts) in &totals {
        let skipped = counts.get("skip").copied().unwrap_or(0);
        let run: usize = counts.values().sum::<usize>() - skipped;
        let pass = counts.get("pass").copied().unwrap_or(0);
        println!("{group}: {pass}/{run} pass ({skipped} skipped) {counts:?}");
    }
}

/// The class of a round-trip failure, from the step of `run_dir` that failed.
fn corpus_class(msg: &str) -> &'static str {
    let first = msg.lines().next().unwrap_or("");
    [
        ("loading old.sql", "skip"),
        ("loading new.sql", "skip"),
        ("objects left out with a warning", "not-modelled"),
        ("diff(old, old)", "self-diff"),
        ("diff(new, new)", "self-diff"),
        ("upgrade failed", "up-error"),
        ("downgrade failed", "down-error"),
        ("after upgrade: schemas", "up-wrong"),
        ("after downgrade: schemas", "down-wrong"),
        ("diff after upgrade", "up-rediff"),
        ("diff after downgrade", "down-rediff"),
        ("pg_dump after upgrade", "up-dump"),
        ("pg_dump after downgrade", "down-dump"),
        ("pg_dump's privileges", "privileges"),
        ("hints of new.sql", "hints"),
    ]
    .iter()
    .find(|(k, _)| first.contains(k))
    .map(|(_, c)| *c)
    .unwrap_or("plan-error")
}

/// The line that says most about a failure: its first, or for a failed statement the
/// ERROR line, or for a difference the first changed line.
fn corpus_first_line(msg: &str, name: &str) -> String {
    let first = msg.lines().next().unwrap_or("");
    let detail = msg
        .lines()
        .skip(1)
        .find(|l| l.contains("ERROR") || l.starts_with('-') || l.starts_with('+'))
        .or_else(|| msg.lines().nth(1))
        .unwrap_or("");
    let first = first.strip_prefix(name).unwrap_or(first);
    let line = format!("{} | {}", first.trim_start_matches(": "), detail.trim());
    line.chars().take(300).collect()
}

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

/// A column renamed with a `renamed_from` hint goes by expand-contract: during the
/// expand phase the old application (writing the old name) and the new one (writing
/// the new name) both work; after the contract phase only the new column is left, with
/// every value; the downgrade renames back the same way.
#[test]
fn column_rename_with_hint_is_expand_contract() {
    use pgshift::plan::{plan_with, Phase, Plan};
    use pgshift::source::Hints;
    let old_sql = "CREATE TABLE people (id int PRIMARY KEY, full_name text NOT NULL);";
    let new_sql = "CREATE TABLE people (id int PRIMARY KEY, display_name text NOT NULL);";
    let (db, model) = (TestDb::new(), TestDb::new());
    db.psql(old_sql).unwrap();
    db.psql("INSERT INTO people VALUES (1, 'Ada'), (2, 'Grace')")
        .unwrap();
    model.psql(new_sql).unwrap();
    let (old, new) = (db.schema(), model.schema());
    let mut hints = Hints::default();
    hints
        .renamed_columns
        .entry(QualifiedName::new("public", "people"))
        .or_default()
        .insert("display_name".into(), "full_name".into());

    let up = plan_with(&old, &new, &hints).unwrap();
    let phase = |p: &Plan, ph: Phase| Plan {
        steps: p.steps.iter().filter(|s| s.phase == ph).cloned().collect(),
    };
    let expand = phase(&up, Phase::Expand).to_sql();
    assert!(!expand.contains("DROP COLUMN"), "{expand}");
    db.psql(&expand).unwrap();
    // Old and new application side by side.
    db.psql("INSERT INTO people (id, full_name) VALUES (3, 'Edsger')")
        .unwrap();
    db.psql("INSERT INTO people (id, display_name) VALUES (4, 'Barbara')")
        .unwrap();
    db.psql("UPDATE people SET full_name = 'Ada L.' WHERE id = 1")
        .unwrap();
    let rows = db
        .client()
        .query(
            "SELECT id, full_name, display_name FROM people ORDER BY id",
            &[],
        )
        .unwrap();
    for r in &rows {
        let (full, display): (String, String) = (r.get(1), r.get(2));
        assert_eq!(full, display, "row {}", r.get::<_, i32>(0));
    }
    db.psql(&phase(&up, Phase::Contract).to_sql()).unwrap();
    let after = db.schema();
    assert_same_schema(&after, &new, "after rename");
    assert!(plan(&after, &new).unwrap().is_empty());
    let names: Vec<String> = db
        .client()
        .query("SELECT display_name FROM people ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["Ada L.", "Grace", "Edsger", "Barbara"]);

    let down = plan_with(&after, &old, &hints.inverted()).unwrap().to_sql();
    db.psql(&down).unwrap();
    assert_same_schema(&db.schema(), &old, "after renaming back");
    let count: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM people WHERE full_name IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(count, 4);
}

/// Every snapshot under snapshots/roundtrip belongs to a case folder: a case removed or
/// renamed must take its snapshot with it.
#[test]
fn every_roundtrip_snapshot_has_its_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = root.join("tests/roundtrip/cases");
    let stale: Vec<String> = std::fs::read_dir(root.join("snapshots/roundtrip"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|f| match f.strip_suffix(".snap") {
            Some(case) => !cases.join(case).is_dir(),
            None => true, // a .snap.new or anything else left behind
        })
        .collect();
    assert!(stale.is_empty(), "stale or pending snapshots: {stale:?}");
}

/// A table renamed with a `renamed_from` hint: renamed in place (its indexes are not
/// rebuilt), with an updatable view under the old name during the expand phase so the
/// old application keeps working; the contract phase drops the view.
#[test]
fn table_rename_with_hint_is_expand_contract() {
    use pgshift::plan::{plan_with, Phase, Plan};
    use pgshift::source::Hints;
    let old_sql = "CREATE TABLE users (id int PRIMARY KEY, email text);
        CREATE INDEX users_email_idx ON users (lower(email));
        CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));
        CREATE VIEW emails AS SELECT email FROM users;";
    let new_sql = "CREATE TABLE accounts (id int PRIMARY KEY, email text);
        CREATE INDEX users_email_idx ON accounts (lower(email));
        CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES accounts (id));
        CREATE VIEW emails AS SELECT email FROM accounts;";
    let (db, model) = (TestDb::new(), TestDb::new());
    db.psql(old_sql).unwrap();
    model.psql(new_sql).unwrap();
    // Constraint names follow the table's name when PostgreSQL picks them; keep the old
    // ones in the model so only the rename is at stake.
    model
        .psql("ALTER TABLE accounts RENAME CONSTRAINT accounts_pkey TO users_pkey")
        .unwrap();
    db.psql("INSERT INTO users VALUES (1, 'a@x'); INSERT INTO orders VALUES (1, 1)")
        .unwrap();
    let (old, new) = (db.schema(), model.schema());
    let mut hints = Hints::default();
    hints.renamed_tables.insert(
        QualifiedName::new("public", "accounts"),
        QualifiedName::new("public", "users"),
    );

    let up = plan_with(&old, &new, &hints).unwrap();
    let sql = up.to_sql();
    assert!(
        sql.contains("ALTER TABLE public.users RENAME TO accounts"),
        "{sql}"
    );
    assert!(
        !sql.contains("CREATE INDEX"),
        "a rename must not rebuild indexes:\n{sql}"
    );
    assert!(!sql.contains("DROP TABLE"), "{sql}");
    let phase = |p: &Plan, ph: Phase| Plan {
        steps: p.steps.iter().filter(|s| s.phase == ph).cloned().collect(),
    };
    db.psql(&phase(&up, Phase::Expand).to_sql()).unwrap();
    // The old application, through the view, and the new one, side by side.
    db.psql("INSERT INTO users VALUES (2, 'b@x'); INSERT INTO accounts VALUES (3, 'c@x')")
        .unwrap();
    db.psql(&phase(&up, Phase::Contract).to_sql()).unwrap();
    let after = db.schema();
    assert_same_schema(&after, &new, "after table rename");
    assert!(plan(&after, &new).unwrap().is_empty());
    let n: i64 = db
        .client()
        .query_one("SELECT count(*) FROM accounts", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 3);

    let down = plan_with(&after, &old, &hints.inverted()).unwrap();
    db.psql(&down.to_sql()).unwrap();
    assert_same_schema(&db.schema(), &old, "after renaming back");
}

/// A table renamed with a hint whose identity sequence has PostgreSQL's default name:
/// the sequence is renamed after it (a re-diff sees the old name otherwise), its grants
/// kept as they are (PostgreSQL keeps the ACL); a model that keeps the old name by
/// `SEQUENCE NAME` keeps it. Both ways, each re-planned to nothing.
#[test]
fn table_rename_renames_its_identity_sequence() {
    use pgshift::plan::plan_with;
    use pgshift::source::Hints;
    common::create_role("pgs_app");
    let old_sql =
        "CREATE TABLE visits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at date);
                   GRANT USAGE ON SEQUENCE visits_id_seq TO pgs_app;";
    let news = [
        (
            "CREATE TABLE page_views (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at date);
             GRANT USAGE ON SEQUENCE page_views_id_seq TO pgs_app;",
            Some("ALTER SEQUENCE public.visits_id_seq RENAME TO page_views_id_seq;"),
        ),
        (
            "CREATE TABLE page_views (id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME visits_id_seq) PRIMARY KEY, at date);
             GRANT USAGE ON SEQUENCE visits_id_seq TO pgs_app;",
            None,
        ),
    ];
    for (new_sql, rename) in news {
        let (db, model) = (TestDb::new(), TestDb::new());
        db.psql(old_sql).unwrap();
        db.psql("INSERT INTO visits (at) VALUES (current_date)")
            .unwrap();
        model.psql(new_sql).unwrap();
        let (old, new) = (db.schema(), model.schema());
        let mut hints = Hints::default();
        hints.renamed_tables.insert(
            QualifiedName::new("public", "page_views"),
            QualifiedName::new("public", "visits"),
        );
        let up = plan_with(&old, &new, &hints).unwrap().to_sql();
        assert!(up.contains("RENAME TO page_views;"), "{up}");
        match rename {
            Some(r) => assert!(up.contains(r), "{up}"),
            None => assert!(!up.contains("ALTER SEQUENCE"), "{up}"),
        }
        assert!(!up.contains("GRANT") && !up.contains("REVOKE"), "{up}");
        db.psql(&up).unwrap();
        let after = db.schema();
        assert_same_schema(&after, &new, "after the rename");
        let again = plan(&after, &new).unwrap();
        assert!(again.is_empty(), "{}", again.to_sql());
        assert_same_text(&db.dump_privileges(), &model.dump_privileges(), "grants");
        db.psql("INSERT INTO page_views (at) VALUES (current_date)")
            .unwrap();

        let down = plan_with(&after, &old, &hints.inverted()).unwrap().to_sql();
        db.psql(&down).unwrap();
        let back = db.schema();
        assert_same_schema(&back, &old, "after renaming back");
        let again = plan(&back, &old).unwrap();
        assert!(again.is_empty(), "{}", again.to_sql());
    }
}
