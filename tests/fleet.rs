//! Fleets (issue 17, point 3): `upgrade --fleet`, `status --fleet`, `verify --fleet` on
//! several databases of the tests' private cluster, through the binary.

mod common;

use common::accounts::{accounts, EMAIL_LOWER as LOWER};
use common::project::{applied, Project};
use common::TestDb;

/// A project with `[fleet]` listing `dbs` and the given settings, and one migration.
fn fleet_project(dbs: &[TestDb], settings: &str) -> Project {
    let p = Project::new("CREATE TABLE t (id int);\n");
    p.write(
        1,
        "create_t",
        "CREATE TABLE t (id int);\n",
        Some("DROP TABLE t;\n"),
    );
    let urls: Vec<String> = dbs.iter().map(|d| format!("{:?}", d.url())).collect();
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[fleet]\ntargets = [{}]\n{settings}\n",
        urls.join(", ")
    ));
    std::fs::write(path, text).unwrap();
    p
}

fn dbs(n: usize) -> Vec<TestDb> {
    (0..n).map(|_| TestDb::new()).collect()
}

/// The output lines that report a target finishing, in the order they came.
fn finished(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("done") || l.starts_with("failed"))
        .map(str::to_string)
        .collect()
}

#[test]
fn upgrade_fleet_canary_first_then_two_at_once_and_rerun_is_up_to_date() {
    let dbs = dbs(5);
    let p = fleet_project(&dbs, "canaries = 1\nconcurrency = 2");
    let out = p.ok(&["upgrade", "--fleet"]);
    let lines = finished(&out);
    assert_eq!(lines.len(), 5, "{out}");
    assert!(lines[0].starts_with("done (canary)"), "{out}");
    assert!(lines[0].contains(&dbs[0].name), "{out}");
    assert!(lines.iter().all(|l| l.contains("applied 1")), "{out}");
    assert!(out.contains("5 done, 0 failed, 0 not started"), "{out}");
    for d in &dbs {
        assert_eq!(applied(d), vec![1], "{}", d.name);
        d.client().query("SELECT id FROM t", &[]).unwrap();
    }
    // A re-run is the resume: every target says it is up to date, nothing runs twice.
    let again = p.ok(&["upgrade", "--fleet"]);
    assert_eq!(
        finished(&again)
            .iter()
            .filter(|l| l.ends_with("up to date"))
            .count(),
        5,
        "{again}"
    );
    let status = p.ok(&["status", "--fleet"]);
    assert!(status.starts_with("target"), "{status}");
    // No script for a fleet: refused before anything is read.
    let sql = p.fails(&["upgrade", "--fleet", "--sql"], 2);
    assert!(
        sql.contains("'--fleet' cannot be used with '--sql'"),
        "{sql}"
    );
    assert_eq!(
        status.lines().filter(|l| l.contains("complete")).count(),
        5,
        "{status}"
    );
}

#[test]
fn failing_target_stops_the_rollout_and_a_rerun_after_the_fix_resumes() {
    let dbs = dbs(5);
    // The third target already has a table `t`: its migration fails.
    dbs[2].psql("CREATE TABLE t (other text);").unwrap();
    let p = fleet_project(&dbs, "canary = [0]\nconcurrency = 1\nfailure_budget = 0");
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(out.contains("2 done, 1 failed, 2 not started"), "{out}");
    assert!(out.contains("already exists"), "{out}");
    assert_eq!(applied(&dbs[0]), vec![1]);
    assert_eq!(applied(&dbs[1]), vec![1]);
    assert_eq!(applied(&dbs[2]), Vec::<i64>::new());
    assert_eq!(applied(&dbs[3]), Vec::<i64>::new(), "not started: {out}");
    assert_eq!(applied(&dbs[4]), Vec::<i64>::new(), "not started: {out}");

    // status --fleet says who is where, as a table and as JSON.
    let status = p.fails(&["status", "--fleet"], 1);
    let row = |name: &str| {
        status
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {status}"))
            .to_string()
    };
    assert!(row(&dbs[0].name).contains("complete"), "{status}");
    assert!(row(&dbs[3].name).contains("base"), "{status}");
    assert!(row(&dbs[3].name).contains("expand pending"), "{status}");
    let json = p.run(&["status", "--fleet", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["current"], 1);
    assert_eq!(rows[0]["pending"], 0);
    assert_eq!(rows[2]["current"], serde_json::Value::Null);
    assert_eq!(rows[2]["pending"], 1);
    assert_eq!(rows[2]["phase"], "expand pending");
    assert!(!rows[0]["target"].as_str().unwrap().contains("password"));

    // Fixed, a re-run resumes: the upgraded targets are up to date, the others upgrade.
    dbs[2].psql("DROP TABLE t;").unwrap();
    let again = p.ok(&["upgrade", "--fleet"]);
    let lines = finished(&again);
    let line = |d: &TestDb| lines.iter().find(|l| l.contains(&d.name)).unwrap().clone();
    assert!(line(&dbs[0]).ends_with("up to date"), "{again}");
    assert!(line(&dbs[1]).ends_with("up to date"), "{again}");
    for d in &dbs[2..] {
        assert!(line(d).ends_with("applied 1"), "{again}");
    }
    for d in &dbs {
        assert_eq!(applied(d), vec![1], "{}", d.name);
    }
    p.ok(&["status", "--fleet"]);
}

#[test]
fn failure_budget_lets_the_rollout_continue() {
    let dbs = dbs(4);
    dbs[1].psql("CREATE TABLE t (other text);").unwrap();
    let p = fleet_project(&dbs, "concurrency = 1\nfailure_budget = 1");
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(out.contains("3 done, 1 failed, 0 not started"), "{out}");
    assert_eq!(applied(&dbs[3]), vec![1]);
}

#[test]
fn verify_fleet_names_the_targets_whose_applied_files_changed() {
    let dbs = dbs(3);
    let p = fleet_project(&dbs, "");
    p.ok(&["upgrade", "--fleet"]);
    let ok = p.ok(&["verify", "--fleet"]);
    assert_eq!(ok.lines().filter(|l| l.ends_with("ok")).count(), 3, "{ok}");
    std::fs::write(
        p.dir.join("migrations/1_create_t.up.sql"),
        "CREATE TABLE t (id bigint);\n",
    )
    .unwrap();
    let bad = p.fails(&["verify", "--fleet"], 1);
    assert_eq!(
        bad.lines()
            .filter(|l| l.contains("changed: 1 create_t (edited)"))
            .count(),
        3,
        "{bad}"
    );
    let json = p.run(&["verify", "--fleet", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[1]["changed"][0], "1 create_t (edited)");
}

#[test]
fn targets_query_lists_the_fleet_from_the_project_database() {
    let home = TestDb::new();
    let dbs = dbs(2);
    home.psql("CREATE TABLE tenants (url text);").unwrap();
    for d in &dbs {
        home.psql(&format!("INSERT INTO tenants VALUES ('{}');", d.url()))
            .unwrap();
    }
    let p = Project::new("CREATE TABLE t (id int);\n");
    p.write(1, "create_t", "CREATE TABLE t (id int);\n", None);
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[fleet]\ntargets_query = \"SELECT url FROM tenants ORDER BY url\"\n");
    std::fs::write(path, text).unwrap();
    let out = p.ok(&["upgrade", "--fleet", "--database", &home.url()]);
    assert!(out.contains("2 done"), "{out}");
    for d in &dbs {
        assert_eq!(applied(d), vec![1]);
    }
    assert_eq!(applied(&home), Vec::<i64>::new());
}

#[test]
fn unreachable_target_is_reported_without_its_password() {
    let dbs = dbs(1);
    // One at a time: the unreachable target (first) fails before the other starts.
    let p = fleet_project(&dbs, "concurrency = 1");
    let path = p.dir.join("pgshift.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "targets = [",
        "targets = [\"postgres://tenant:sekret-pw@127.0.0.1:1/gone?connect_timeout=2\", ",
    );
    std::fs::write(path, text).unwrap();
    let out = p.fails(&["status", "--fleet"], 1);
    assert!(!out.contains("sekret-pw"), "{out}");
    let gone = out.lines().find(|l| l.contains("gone")).expect(&out);
    assert!(gone.contains("error:"), "{out}");
    let up = p.fails(&["upgrade", "--fleet"], 1);
    assert!(!up.contains("sekret-pw"), "{up}");
    assert!(up.contains("0 done, 1 failed, 1 not started"), "{up}");
    assert_eq!(applied(&dbs[0]), Vec::<i64>::new());
}

const ACCOUNTS: &str = accounts!(email: "not_null = true");

/// A TOML-model project whose `[fleet]` lists `dbs`.
fn toml_fleet(dbs: &[TestDb], settings: &str) -> Project {
    let p = Project {
        dir: common::project::temp_dir("fleet"),
    };
    std::fs::write(p.dir.join("schema.toml"), ACCOUNTS).unwrap();
    p.ok(&["init", "--model", "schema.toml"]);
    let urls: Vec<String> = dbs.iter().map(|d| format!("{:?}", d.url())).collect();
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[fleet]\ntargets = [{}]\n{settings}\n",
        urls.join(", ")
    ));
    std::fs::write(path, text).unwrap();
    p
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).expect(sql).get(0)
}

/// The rollout phases hold on every target: `upgrade --fleet` stops before the contract
/// migrations, `complete --fleet` applies them once each target's backfill is finished
/// (a target with rows left is refused, nothing run on it), `downgrade --fleet` takes
/// each target back by -N or to a VERSION.
#[test]
fn fleet_rollout_in_phases_complete_checks_each_backfill_and_downgrade() {
    let dbs = dbs(3);
    let p = toml_fleet(&dbs, "concurrency = 1\nfailure_budget = 1");
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--fleet"]);
    let first = applied(&dbs[0]);
    assert_eq!(first.len(), 1);
    for d in &dbs {
        d.psql("INSERT INTO accounts (email) SELECT 'User' || i || '@X.org' FROM generate_series(1, 50) i;")
            .unwrap();
    }
    std::fs::write(p.dir.join("schema.toml"), format!("{ACCOUNTS}{LOWER}")).unwrap();
    let generated = p.ok(&["generate", "-m", "lower"]);
    assert!(generated.contains("contract"), "{generated}");

    let up = p.ok(&["upgrade", "--fleet"]);
    assert_eq!(
        up.lines()
            .filter(|l| l.starts_with("done")
                && l.contains("contract migration(s) wait for `complete`"))
            .count(),
        3,
        "{up}"
    );
    let status = p.fails(&["status", "--fleet"], 1);
    assert_eq!(
        status
            .lines()
            .filter(|l| l.contains("contract waiting"))
            .count(),
        3,
        "{status}"
    );
    let expanded = applied(&dbs[0]);
    for d in &dbs {
        assert_eq!(applied(d), expanded, "{}", d.name);
        assert_eq!(
            count(d, "SELECT count(*) FROM accounts WHERE email_lower IS NULL"),
            0
        );
        let nullable: String = d
            .client()
            .query_one(
                "SELECT is_nullable FROM information_schema.columns \
                 WHERE table_name = 'accounts' AND column_name = 'email_lower'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(nullable, "YES", "the contract (SET NOT NULL) waits");
    }

    // The old application wrote a row on the second target after its backfill ran.
    dbs[1]
        .psql("INSERT INTO accounts (email) VALUES ('Late@X.org');")
        .unwrap();
    let out = p.fails(&["complete", "--fleet"], 1);
    assert!(out.contains("2 done, 1 failed, 0 not started"), "{out}");
    let failed = out
        .lines()
        .find(|l| l.starts_with("failed"))
        .expect(&out)
        .to_string();
    assert!(failed.contains(&dbs[1].name), "{out}");
    assert!(out.contains("cannot complete"), "{out}");
    assert!(
        out.contains("1 row of public.accounts still match"),
        "{out}"
    );
    assert_eq!(
        applied(&dbs[1]),
        expanded,
        "nothing ran on the refused target"
    );
    assert!(applied(&dbs[0]).len() > expanded.len());

    // Filled, a re-run completes it; the others have nothing left.
    dbs[1]
        .psql("UPDATE accounts SET email_lower = lower(email) WHERE email_lower IS NULL;")
        .unwrap();
    let again = p.ok(&["complete", "--fleet"]);
    assert_eq!(
        again
            .lines()
            .filter(|l| l.starts_with("done") && l.ends_with("nothing to complete"))
            .count(),
        2,
        "{again}"
    );
    assert!(
        again
            .lines()
            .any(|l| l.contains(&dbs[1].name) && l.contains("completed")),
        "{again}"
    );
    let all = applied(&dbs[0]);
    for d in &dbs {
        assert_eq!(applied(d), all, "{}", d.name);
    }
    p.ok(&["status", "--fleet"]);

    // downgrade --fleet -1: the newest migration, on every target.
    let down = p.ok(&["downgrade", "--fleet", "-1"]);
    assert_eq!(
        down.lines()
            .filter(|l| l.starts_with("done") && l.contains("reverted"))
            .count(),
        3,
        "{down}"
    );
    // One step: the newest migration with its undo parts.
    let stepped = applied(&dbs[0]);
    assert!(
        stepped.len() < all.len() && all.starts_with(&stepped),
        "{down}"
    );
    for d in &dbs {
        assert_eq!(applied(d), stepped, "{}", d.name);
    }
    // downgrade --fleet VERSION: back to the first migration everywhere.
    let back = first[0].to_string();
    p.ok(&["downgrade", "--fleet", &back]);
    for d in &dbs {
        assert_eq!(applied(d), first, "{}", d.name);
        assert_eq!(
            count(
                d,
                "SELECT count(*) FROM information_schema.columns WHERE column_name = 'email_lower'"
            ),
            0
        );
    }
    // A target the version does not name is that target's error, the others go on.
    let bad = p.fails(&["downgrade", "--fleet", "12345"], 1);
    assert!(bad.contains("12345 is not an applied migration"), "{bad}");
}

/// Ctrl-C during a fleet rollout: the running statements are cancelled, no new target
/// starts, a line per target says done / interrupted / not started, exit 130; a re-run
/// finishes the fleet.
#[test]
fn sigint_stops_a_fleet_rollout_and_a_rerun_finishes_it() {
    let dbs = dbs(5);
    let p = fleet_project(&dbs, "canaries = 1\nconcurrency = 2");
    p.ok(&["upgrade", "--fleet"]);
    // The canary is quick (its table has a row); the others sleep in their migration's
    // transaction.
    dbs[0].psql("INSERT INTO t VALUES (0);").unwrap();
    p.write(
        2,
        "slow",
        "DO $$ BEGIN IF (SELECT count(*) FROM t) = 0 THEN PERFORM pg_sleep(4); END IF; END $$;\n\
         INSERT INTO t VALUES (1);\n",
        Some("DELETE FROM t;\n"),
    );
    let child = p.spawn(&["upgrade", "--fleet"]);
    // Wait until two targets run their pg_sleep.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let sleeping = dbs[1..]
            .iter()
            .filter(|d| {
                common::project::running_statements(d)
                    .iter()
                    .any(|q| q.contains("pg_sleep"))
            })
            .count();
        if sleeping == 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no two targets sleeping"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{said}");
    assert_eq!(out.status.code(), Some(130), "{said}");
    assert!(
        said.contains("1 done, 0 failed, 2 interrupted, 2 not started"),
        "{said}"
    );
    assert!(said.contains("interrupted before it started"), "{said}");
    assert!(said.contains("rolled back: nothing of it stays"), "{said}");
    assert_eq!(
        said.lines()
            .filter(|l| l.starts_with("interrupted database")
                && l.ends_with("interrupted in 2 slow (rolled back); applied before it: 0"))
            .count(),
        2,
        "{said}"
    );
    assert_eq!(applied(&dbs[0]), vec![1, 2]);
    for d in &dbs[1..] {
        assert!(!applied(d).contains(&2), "{}: {said}", d.name);
        assert!(common::project::running_statements(d).is_empty());
    }
    // The re-run finishes: every target on version 2.
    let again = p.ok(&["upgrade", "--fleet"]);
    assert!(again.contains("5 done, 0 failed, 0 not started"), "{again}");
    for d in &dbs {
        assert_eq!(applied(d), vec![1, 2], "{}", d.name);
    }
}

/// A project whose `[fleet]` is the schemas of one database matching `tenant_%`.
fn schema_fleet(settings: &str) -> Project {
    let p = Project::new("CREATE TABLE t (id int);\n");
    p.write(
        1,
        "create_t",
        "CREATE TABLE t (id int);\n",
        Some("DROP TABLE t;\n"),
    );
    p.write(
        2,
        "add_c",
        "ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX t_c ON t (c);\n",
        Some("DROP INDEX t_c;\nALTER TABLE t DROP COLUMN c;\n"),
    );
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[fleet]\nschemas = \"tenant\\\\_%\"\n{settings}\n"
    ));
    std::fs::write(path, text).unwrap();
    p
}

fn schema_applied(db: &TestDb, schema: &str) -> Vec<i64> {
    db.client()
        .query(
            &format!("SELECT version FROM {schema}.pgshift_migrations ORDER BY version"),
            &[],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

/// Schema-per-tenant: each schema matching the pattern is a target with the search path
/// set to it and a version table of its own; other schemas are left alone; status and
/// verify list the schemas; a file naming `public.` is refused at its place.
#[test]
fn schema_per_tenant_fleet() {
    let db = TestDb::new();
    db.psql(
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA \"tenant_C x\"; \
         CREATE SCHEMA tenantz; CREATE SCHEMA other;",
    )
    .unwrap();
    let url = db.url();
    let p = schema_fleet("canary = [\"tenant_b\"]\nconcurrency = 2");
    // upgrade --fleet VERSION: up to 1 on each tenant.
    let one = p.ok(&["upgrade", "--fleet", "1", "--database", &url]);
    assert!(one.contains("3 done"), "{one}");
    assert_eq!(schema_applied(&db, "tenant_a"), vec![1]);
    let out = p.ok(&["upgrade", "--fleet", "--database", &url]);
    assert!(out.contains("3 done, 0 failed, 0 not started"), "{out}");
    let canary = out.lines().find(|l| l.starts_with("done")).unwrap();
    assert!(
        canary.starts_with("done (canary) schema \"tenant_b\""),
        "{out}"
    );
    for s in ["tenant_a", "tenant_b", "\"tenant_C x\""] {
        assert_eq!(schema_applied(&db, s), vec![1, 2], "{s}");
        db.client()
            .query(&format!("SELECT id, c FROM {s}.t"), &[])
            .unwrap();
    }
    // Not matched, not touched: no table, no version table.
    for s in ["public", "tenantz", "other"] {
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = '{s}' \
                     AND tablename IN ('t', 'pgshift_migrations')"
                )
            ),
            0,
            "{s}"
        );
    }
    // The index was made in each tenant's schema.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_indexes WHERE indexname = 't_c'"
        ),
        3
    );

    // [fleet] database instead of --database; status and verify list the schemas.
    let path = p.dir.join("pgshift.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}database = {url:?}\n")).unwrap();
    let status = p.ok(&["status", "--fleet"]);
    assert_eq!(
        status
            .lines()
            .filter(|l| l.starts_with("schema \"tenant_") && l.contains("complete"))
            .count(),
        3,
        "{status}"
    );
    let json = p.ok(&["verify", "--fleet", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let schemas: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["schema"].as_str().unwrap())
        .collect();
    assert_eq!(schemas, ["tenant_C x", "tenant_a", "tenant_b"]);
    assert_eq!(v[0]["current"], 2);

    // downgrade --fleet -1 on each schema.
    let down = p.ok(&["downgrade", "--fleet", "-1"]);
    assert!(down.contains("3 done"), "{down}");
    for s in ["tenant_a", "tenant_b", "\"tenant_C x\""] {
        assert_eq!(schema_applied(&db, s), vec![1], "{s}");
    }

    // A migration naming public: refused at its place before any target starts.
    p.write(
        3,
        "qualified",
        "ALTER TABLE t ADD COLUMN d int;\nUPDATE  public.t SET d = 1;\n",
        None,
    );
    let refused = p.fails(&["upgrade", "--fleet"], 2);
    assert!(refused.contains("3_qualified.up.sql:2:9"), "{refused}");
    assert!(
        refused.contains("`public.t` names the schema \"public\""),
        "{refused}"
    );
    assert!(
        refused.contains("write the name without its schema"),
        "{refused}"
    );
    for s in ["tenant_a", "tenant_b", "\"tenant_C x\""] {
        assert_eq!(schema_applied(&db, s), vec![1], "{s}");
    }
    // Naming another tenant's schema is refused too, also inside a DO block.
    p.write(
        3,
        "qualified",
        "DO $$ BEGIN\n  PERFORM 1 FROM tenant_a.t;\nEND $$;\n",
        None,
    );
    let refused = p.fails(&["upgrade", "--fleet"], 2);
    assert!(refused.contains("3_qualified.up.sql:2:18"), "{refused}");
}

/// Generated migrations on a schema fleet: written without `public.` (the model is one
/// tenant), they run in every tenant's schema; the backfill's rows are counted in each
/// tenant by `complete --fleet`; `check` still finds the model and the history equal.
#[test]
fn generated_migrations_roll_out_to_tenant_schemas() {
    let db = TestDb::new();
    db.psql("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b;")
        .unwrap();
    let p = Project {
        dir: common::project::temp_dir("fleet"),
    };
    std::fs::write(p.dir.join("schema.toml"), ACCOUNTS).unwrap();
    p.ok(&["init", "--model", "schema.toml"]);
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[fleet]\nschemas = \"tenant\\\\_%\"\ndatabase = {:?}\nconcurrency = 1\nfailure_budget = 1\n",
        db.url()
    ));
    std::fs::write(path, text).unwrap();
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--fleet"]);
    for s in ["tenant_a", "tenant_b"] {
        db.psql(&format!(
            "INSERT INTO {s}.accounts (email) SELECT 'U' || i || '@X.org' FROM generate_series(1, 20) i;"
        ))
        .unwrap();
    }
    std::fs::write(p.dir.join("schema.toml"), format!("{ACCOUNTS}{LOWER}")).unwrap();
    p.ok(&["generate", "-m", "lower"]);
    for f in p.files() {
        let text = std::fs::read_to_string(p.dir.join("migrations").join(&f)).unwrap();
        // Code names no schema; comments still say where the object is.
        let code: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .filter(|l| l.contains("public."))
            .collect();
        assert!(code.is_empty(), "{f}:\n{text}");
    }
    p.ok(&["check"]);
    let up = p.ok(&["upgrade", "--fleet"]);
    assert!(up.contains("2 done"), "{up}");
    for s in ["tenant_a", "tenant_b"] {
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) FROM {s}.accounts WHERE email_lower = lower(email)")
            ),
            20
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'accounts'"
        ),
        0
    );
    db.psql("INSERT INTO tenant_b.accounts (email) VALUES ('Late@X.org');")
        .unwrap();
    let out = p.fails(&["complete", "--fleet"], 1);
    assert!(out.contains("1 done, 1 failed"), "{out}");
    assert!(out.contains("1 row of accounts still match"), "{out}");
    db.psql("UPDATE tenant_b.accounts SET email_lower = lower(email) WHERE email_lower IS NULL;")
        .unwrap();
    p.ok(&["complete", "--fleet"]);
    p.ok(&["status", "--fleet"]);
    for s in ["tenant_a", "tenant_b"] {
        let nullable: String = db
            .client()
            .query_one(
                "SELECT is_nullable FROM information_schema.columns WHERE table_schema = $1 \
                 AND table_name = 'accounts' AND column_name = 'email_lower'",
                &[&s],
            )
            .unwrap()
            .get(0);
        assert_eq!(nullable, "NO", "{s}");
    }
}

/// Named waves: canaries, then each `[[fleet.waves]]` in order (finished before the next
/// starts), then the targets of none; a failure in a wave stops the later ones.
#[test]
fn named_waves_run_in_order() {
    let dbs = dbs(5);
    let waves = format!(
        "canary = [0]\nconcurrency = 2\n\n[[fleet.waves]]\nname = \"early\"\ntargets = [{:?}, 4]\n",
        dbs[3].url()
    );
    let p = fleet_project(&dbs, &waves);
    let out = p.ok(&["upgrade", "--fleet"]);
    assert!(
        out.contains("Waves, in order: canary (1), early (2), rest (2)"),
        "{out}"
    );
    let lines = finished(&out);
    let at = |d: &TestDb| lines.iter().position(|l| l.contains(&d.name)).unwrap();
    assert!(lines[0].starts_with("done (canary)"), "{out}");
    for early in [&dbs[3], &dbs[4]] {
        assert!(lines[at(early)].starts_with("done (wave early)"), "{out}");
        assert!(at(early) < at(&dbs[1]) && at(early) < at(&dbs[2]), "{out}");
    }
    // A failure in the early wave: the rest does not start.
    p.write(2, "t2", "CREATE TABLE t2 (id int);\n", None);
    dbs[4].psql("CREATE TABLE t2 (x int);").unwrap();
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(out.contains("2 done, 1 failed, 2 not started"), "{out}");
    assert_eq!(applied(&dbs[1]), vec![1]);
    assert_eq!(applied(&dbs[3]), vec![1, 2]);
    // A wave naming a target the fleet does not have is an error before anything runs.
    let path = p.dir.join("pgshift.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace(", 4]", ", 4, 9]")).unwrap();
    let bad = p.fails(&["upgrade", "--fleet"], 2);
    assert!(bad.contains("[fleet] wave \"early\": target 9"), "{bad}");
}

/// `verify --fleet --schema`: each target's live schema against what its applied
/// migrations build; a column added by hand on one database and on one tenant schema is
/// reported on that target alone (table and JSON), with the SQL that would bring it
/// back; exit 1.
#[test]
fn verify_fleet_schema_reports_drift_per_target() {
    let dbs = dbs(3);
    let p = fleet_project(&dbs, "");
    p.ok(&["upgrade", "--fleet"]);
    let clean = p.ok(&["verify", "--fleet", "--schema"]);
    assert_eq!(
        clean
            .lines()
            .filter(|l| ends_with(l, &["ok", "ok"]))
            .count(),
        3,
        "{clean}"
    );
    dbs[1].psql("ALTER TABLE t ADD COLUMN extra int;").unwrap();
    let out = p.fails(&["verify", "--fleet", "--schema"], 1);
    let row = |d: &TestDb| {
        out.lines()
            .find(|l| l.contains(&d.name))
            .unwrap_or_else(|| panic!("{} in {out}", d.name))
            .to_string()
    };
    assert!(
        ends_with(&row(&dbs[1]), &["ok", "drifted:", "1", "change"]),
        "{out}"
    );
    assert!(ends_with(&row(&dbs[0]), &["ok", "ok"]), "{out}");
    assert!(ends_with(&row(&dbs[2]), &["ok", "ok"]), "{out}");
    assert!(out.contains("DROP COLUMN extra"), "{out}");
    let json = p.run(&["verify", "--fleet", "--schema", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[0]["drift"], serde_json::json!([]));
    assert_eq!(v[1]["drift"].as_array().unwrap().len(), 1, "{v}");
    assert!(v[1]["drift_sql"]
        .as_str()
        .unwrap()
        .contains("DROP COLUMN extra"));
    assert!(v[2]["drift_sql"].is_null());
    // Without --schema: the files only, no schema column.
    let files = p.ok(&["verify", "--fleet"]);
    assert!(!files.contains("drifted"), "{files}");

    // Schema per tenant: each tenant compared as the model's schema.
    let db = TestDb::new();
    db.psql("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA \"tenant_C x\";")
        .unwrap();
    let url = db.url();
    let p = schema_fleet("");
    p.ok(&["upgrade", "--fleet", "--database", &url]);
    let clean = p.ok(&["verify", "--fleet", "--schema", "--database", &url]);
    assert_eq!(
        clean
            .lines()
            .filter(|l| ends_with(l, &["ok", "ok"]))
            .count(),
        3,
        "{clean}"
    );
    db.psql("ALTER TABLE tenant_b.t ADD COLUMN extra int;")
        .unwrap();
    let out = p.fails(&["verify", "--fleet", "--schema", "--database", &url], 1);
    let drifted: Vec<&str> = out.lines().filter(|l| l.contains("drifted: 1")).collect();
    assert_eq!(drifted.len(), 1, "{out}");
    assert!(drifted[0].starts_with("schema \"tenant_b\""), "{out}");
    assert!(out.contains("\nALTER TABLE t DROP COLUMN extra;"), "{out}");
    assert!(
        out.contains("with search_path set to \"tenant_b\""),
        "{out}"
    );
    let json = p.run(&[
        "verify",
        "--fleet",
        "--schema",
        "--format",
        "json",
        "--database",
        &url,
    ]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let by_schema = |s: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["schema"] == s)
            .unwrap()
            .clone()
    };
    assert_eq!(by_schema("tenant_a")["drift"], serde_json::json!([]));
    assert_eq!(by_schema("tenant_C x")["drift"], serde_json::json!([]));
    assert_eq!(by_schema("tenant_b")["drift"].as_array().unwrap().len(), 1);
}

/// The last cells of a table row, split on spaces.
fn ends_with(row: &str, cells: &[&str]) -> bool {
    row.split_whitespace().collect::<Vec<_>>().ends_with(cells)
}

const USERS_CITEXT: &str = "CREATE TABLE users (id int PRIMARY KEY, email citext UNIQUE);\n";

/// One database with schema `extensions` (citext installed there) and `tenants` schemas
/// `tenant_00`, `tenant_01`, ...; a project with `model` as its schema.sql and a first
/// migration making `users` with a citext column. Also the project's pgshift.toml with a
/// `[fleet]` of those tenant schemas on that database (no `shared_schemas`: tests add it).
fn citext_schema_fleet(tenants: usize, model: &str) -> (TestDb, Project, String) {
    let db = TestDb::new();
    let mut setup =
        String::from("CREATE SCHEMA extensions; CREATE EXTENSION citext SCHEMA extensions;\n");
    for i in 0..tenants {
        setup.push_str(&format!("CREATE SCHEMA tenant_{i:02};\n"));
    }
    db.psql(&setup).unwrap();
    let p = Project::new(model);
    p.write(1, "users", USERS_CITEXT, Some("DROP TABLE users;\n"));
    let base = std::fs::read_to_string(p.dir.join("pgshift.toml")).unwrap();
    let url = db.url();
    let fleet = format!("{base}\n[fleet]\nschemas = \"tenant\\\\_%\"\ndatabase = {url:?}\n");
    (db, p, fleet)
}

/// `[fleet] shared_schemas`: an extension installed once in a shared schema is on every
/// tenant's search path, so tenant tables use its type unqualified (or qualified with the
/// shared schema); without the setting the type is not found.
#[test]
fn shared_schemas_put_an_extension_on_every_tenants_search_path() {
    const TENANTS: usize = 30;
    let (db, p, fleet) = citext_schema_fleet(TENANTS, "CREATE TABLE users (email citext);\n");
    let path = p.dir.join("pgshift.toml");
    let fleet = format!("{fleet}canaries = 1\nconcurrency = 4\n");
    // Without the shared schema on the search path, the canary fails and nothing else runs.
    std::fs::write(&path, &fleet).unwrap();
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(out.contains("type \"citext\" does not exist"), "{out}");
    assert!(
        out.contains(&format!("0 done, 1 failed, {} not started", TENANTS - 1)),
        "{out}"
    );
    // A name qualified with a schema that is not shared is refused before anything runs.
    p.write(
        2,
        "nick",
        "ALTER TABLE users ADD COLUMN nick extensions.citext;\n",
        Some("ALTER TABLE users DROP COLUMN nick;\n"),
    );
    std::fs::write(&path, format!("{fleet}shared_schemas = [\"other\"]\n")).unwrap();
    let refused = p.fails(&["upgrade", "--fleet"], 2);
    assert!(refused.contains("2_nick.up.sql:1:35"), "{refused}");

    std::fs::write(&path, format!("{fleet}shared_schemas = [\"extensions\"]\n")).unwrap();
    let out = p.ok(&["upgrade", "--fleet"]);
    assert!(out.contains(&format!("{TENANTS} done, 0 failed")), "{out}");
    for i in [0, TENANTS / 2, TENANTS - 1] {
        let s = format!("tenant_{i:02}");
        db.psql(&format!("INSERT INTO {s}.users VALUES (1, 'Ann@X.org');"))
            .unwrap();
        // citext: equal whatever the case, so the unique constraint refuses this one.
        let dup = db.psql(&format!("INSERT INTO {s}.users VALUES (2, 'ann@x.ORG');"));
        assert!(dup.is_err(), "{s}");
        let types: i64 = db
            .client()
            .query_one(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 \
                 AND table_name = 'users' AND udt_schema = 'extensions' AND udt_name = 'citext'",
                &[&s],
            )
            .unwrap()
            .get(0);
        assert_eq!(types, 2, "{s}");
    }
    // Nothing of the tenants' landed in the shared schema.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_tables WHERE schemaname IN ('extensions', 'public')"
        ),
        0
    );
    // verify --schema replays the history with the shared schemas on the path: clean,
    // then a column added by hand to one tenant is its drift alone.
    let clean = p.ok(&["verify", "--fleet", "--schema"]);
    assert_eq!(
        clean
            .lines()
            .filter(|l| ends_with(l, &["ok", "ok"]))
            .count(),
        TENANTS,
        "{clean}"
    );
    db.psql("ALTER TABLE tenant_07.users ADD COLUMN extra extensions.citext;")
        .unwrap();
    let out = p.fails(&["verify", "--fleet", "--schema"], 1);
    let drifted: Vec<&str> = out.lines().filter(|l| l.contains("drifted: 1")).collect();
    assert_eq!(drifted.len(), 1, "{out}");
    assert!(drifted[0].starts_with("schema \"tenant_07\""), "{out}");
    // A shared schema the tenant pattern matches is an error.
    std::fs::write(&path, format!("{fleet}shared_schemas = [\"tenant_03\"]\n")).unwrap();
    let bad = p.fails(&["status", "--fleet"], 2);
    assert!(bad.contains("a shared schema cannot be a tenant"), "{bad}");
}

/// `generate` and `check` on a schema fleet with `shared_schemas`: the model and the
/// history are built on scratch databases that have the shared schemas, with the
/// extensions the fleet's database has in them, on the search path; the migration
/// written rolls out to every tenant and leaves no drift.
#[test]
fn shared_schemas_generate_and_check_use_the_fleets_extensions() {
    const TENANTS: usize = 4;
    let (db, p, fleet) = citext_schema_fleet(TENANTS, USERS_CITEXT);
    std::fs::write(
        p.dir.join("pgshift.toml"),
        format!("{fleet}shared_schemas = [\"extensions\"]\n"),
    )
    .unwrap();
    let out = p.ok(&["check"]);
    assert!(out.contains("OK: the model matches"), "{out}");
    // A citext column added in the model: one migration, and check is clean again.
    p.model("CREATE TABLE users (id int PRIMARY KEY, email citext UNIQUE, nick citext);\n");
    let pending = p.fails(&["check"], 1);
    assert!(pending.contains("nick"), "{pending}");
    let generated = p.ok(&["generate", "-m", "nick"]);
    assert!(generated.contains("1 migration,"), "{generated}");
    let files = p.files();
    let up_name = files
        .iter()
        .find(|f| f.ends_with("_nick.up.sql"))
        .unwrap_or_else(|| panic!("{files:?}"));
    let up = std::fs::read_to_string(p.dir.join("migrations").join(up_name)).unwrap();
    assert!(up.contains("nick") && up.contains("citext"), "{up}");
    assert!(!up.contains("public."), "{up}");
    // The shared schema and its extension are the fleet's: not the tenants' to create.
    assert!(
        !up.contains("CREATE EXTENSION") && !up.contains("CREATE SCHEMA"),
        "{up}"
    );
    // Warm: generate stored the history with its new migration in the replay cache.
    let warm = p.run(&["check"]);
    let said = String::from_utf8_lossy(&warm.stdout);
    assert!(said.contains("OK: the model matches"), "{said}");
    assert!(
        String::from_utf8_lossy(&warm.stderr).contains("not replayed"),
        "{warm:?}"
    );
    let out = p.ok(&["generate", "-m", "again"]);
    assert!(out.contains("No changes"), "{out}");

    let out = p.ok(&["upgrade", "--fleet"]);
    assert!(out.contains(&format!("{TENANTS} done, 0 failed")), "{out}");
    for i in 0..TENANTS {
        let s = format!("tenant_{i:02}");
        db.psql(&format!(
            "INSERT INTO {s}.users VALUES (1, 'a@x.org', 'Ann');"
        ))
        .unwrap();
        let nick_is_citext: bool = db
            .client()
            .query_one(
                "SELECT count(*) = 1 FROM information_schema.columns WHERE table_schema = $1 \
                 AND table_name = 'users' AND column_name = 'nick' \
                 AND udt_schema = 'extensions' AND udt_name = 'citext'",
                &[&s],
            )
            .unwrap()
            .get(0);
        assert!(nick_is_citext, "{s}");
    }
    let clean = p.ok(&["verify", "--fleet", "--schema"]);
    assert_eq!(
        clean
            .lines()
            .filter(|l| ends_with(l, &["ok", "ok"]))
            .count(),
        TENANTS,
        "{clean}"
    );
}

/// The qualified-name check reads names as PostgreSQL does: an alias that is also a
/// schema's name qualifies columns and passes; a table, function or type of a schema is
/// refused at its place, whatever the aliases.
#[test]
fn schema_fleet_check_tells_aliases_from_schemas() {
    let db = TestDb::new();
    db.psql("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA other;")
        .unwrap();
    let url = db.url();
    let p = schema_fleet("");
    p.write(
        3,
        "aliases",
        "UPDATE t other SET c = 2 WHERE other.id IS NULL;\n\
         INSERT INTO t (id, c) SELECT other.id, other.c FROM t AS other WHERE other.c > 5;\n",
        None,
    );
    let out = p.ok(&["upgrade", "--fleet", "--database", &url]);
    assert!(out.contains("2 done, 0 failed"), "{out}");
    assert_eq!(schema_applied(&db, "tenant_a"), vec![1, 2, 3]);
    p.write(
        4,
        "qualified",
        "SELECT other.id FROM t other;\nSELECT x.id FROM t x\n  JOIN other.u other ON other.id = x.id;\n",
        None,
    );
    let refused = p.fails(&["upgrade", "--fleet", "--database", &url], 2);
    assert!(refused.contains("4_qualified.up.sql:3:8"), "{refused}");
    assert!(
        refused.contains("`other.u` names the schema \"other\""),
        "{refused}"
    );
    assert_eq!(schema_applied(&db, "tenant_b"), vec![1, 2, 3]);
}
