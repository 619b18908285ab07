//! Fleets at scale (issue 17): 50 tenant databases and 50 tenant schemas on one server,
//! through the binary. For each kind of fleet: a rollout with a failing target in the
//! third wave stops (failure budget 0) or goes on (budget 1), resumes after the fix and
//! ends with every target on the same version; two fleet runners started at once never
//! apply a migration twice to one target; `status --fleet` and `verify --fleet` (table
//! and JSON) report it.

mod common;

use common::project::{applied, Project};
use common::TestDb;
use std::time::Instant;

const TARGETS: usize = 50;
/// The canary is wave 1, targets 1-4 wave 2, targets 5-8 wave 3 (four at once).
const THIRD_WAVE: usize = 6;

enum Kind {
    Databases(Vec<TestDb>),
    Schemas(TestDb, Vec<String>),
}

struct Fleet {
    kind: Kind,
    p: Project,
}

impl Fleet {
    fn databases() -> Fleet {
        let dbs: Vec<TestDb> = (0..TARGETS).map(|_| TestDb::new()).collect();
        let urls: Vec<String> = dbs.iter().map(|d| format!("{:?}", d.url())).collect();
        let p = project(&format!("targets = [{}]", urls.join(", ")));
        Fleet {
            kind: Kind::Databases(dbs),
            p,
        }
    }

    fn schemas() -> Fleet {
        let db = TestDb::new();
        let names: Vec<String> = (0..TARGETS).map(|i| format!("tenant_{i:02}")).collect();
        let sql: String = names
            .iter()
            .map(|n| format!("CREATE SCHEMA {n};\n"))
            .collect();
        db.psql(&sql).unwrap();
        let p = project(&format!(
            "schemas = \"tenant\\\\_%\"\ndatabase = {:?}",
            db.url()
        ));
        Fleet {
            kind: Kind::Schemas(db, names),
            p,
        }
    }

    fn psql(&self, i: usize, sql: &str) {
        match &self.kind {
            Kind::Databases(dbs) => dbs[i].psql(sql).unwrap(),
            Kind::Schemas(db, names) => db
                .psql(&format!("SET search_path = {};\n{sql}", names[i]))
                .unwrap(),
        }
    }

    fn applied(&self, i: usize) -> Vec<i64> {
        match &self.kind {
            Kind::Databases(dbs) => applied(&dbs[i]),
            Kind::Schemas(db, names) => db
                .client()
                .query(
                    &format!(
                        "SELECT version FROM {}.pgshift_migrations ORDER BY version",
                        names[i]
                    ),
                    &[],
                )
                .map(|rows| rows.iter().map(|r| r.get(0)).collect())
                .unwrap_or_default(),
        }
    }

    fn count(&self, i: usize, sql: &str) -> i64 {
        let (db, path) = match &self.kind {
            Kind::Databases(dbs) => (&dbs[i], "public".to_string()),
            Kind::Schemas(db, names) => (db, names[i].clone()),
        };
        let mut c = db.client();
        c.batch_execute(&format!("SET search_path = {path}"))
            .unwrap();
        c.query_one(sql, &[]).expect(sql).get(0)
    }

    /// The name a target's lines show.
    fn shown(&self, i: usize) -> String {
        match &self.kind {
            Kind::Databases(dbs) => format!("database {:?}", dbs[i].name),
            Kind::Schemas(_, names) => format!("schema {:?}", names[i]),
        }
    }

    fn set(&self, key: &str, value: &str) {
        let path = self.p.dir.join("pgshift.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text: String = text
            .lines()
            .map(|l| match l.starts_with(&format!("{key} =")) {
                true => format!("{key} = {value}\n"),
                false => format!("{l}\n"),
            })
            .collect();
        std::fs::write(path, text).unwrap();
    }

    fn all_on(&self, versions: &[i64]) {
        for i in 0..TARGETS {
            assert_eq!(self.applied(i), versions, "{}", self.shown(i));
        }
    }
}

fn project(targets: &str) -> Project {
    let p = Project::new("CREATE TABLE t (id int);\n");
    p.write(
        1,
        "create_t",
        "CREATE TABLE t (id int);\n",
        Some("DROP TABLE t;\n"),
    );
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[fleet]\n{targets}\ncanaries = 1\nconcurrency = 4\nfailure_budget = 0\n"
    ));
    std::fs::write(path, text).unwrap();
    p
}

/// The line of the target shown as `shown` in a rollout's output (as it finished).
fn line<'a>(out: &'a str, shown: &str) -> &'a str {
    out.lines()
        .find(|l| {
            (l.starts_with("done") || l.starts_with("failed")) && l.contains(&format!("{shown} "))
        })
        .unwrap_or_else(|| panic!("{shown} in {out}"))
}

fn scenario(f: &Fleet) {
    let t0 = Instant::now();
    let p = &f.p;
    let first = p.ok(&["upgrade", "--fleet"]);
    assert!(
        first.contains("50 done, 0 failed, 0 not started"),
        "{first}"
    );
    f.all_on(&[1]);

    // Budget 0: a target of the third wave fails, and no new target starts after it.
    p.write(
        2,
        "create_t2",
        "CREATE TABLE t2 (id int);\n",
        Some("DROP TABLE t2;\n"),
    );
    f.psql(THIRD_WAVE, "CREATE TABLE t2 (other text);");
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(
        line(&out, &f.shown(THIRD_WAVE)).starts_with("failed"),
        "{out}"
    );
    assert!(out.contains("already exists"), "{out}");
    let done = (0..TARGETS).filter(|i| f.applied(*i) == [1, 2]).count();
    // The canary and wave 2 are done; after the failure, only the (at most three)
    // targets already running finish, and none starts.
    let finished: Vec<&str> = out
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("done") || l.starts_with("failed"))
        .collect();
    let failed_at = finished
        .iter()
        .position(|l| l.starts_with("failed"))
        .unwrap();
    assert!(finished.len() - failed_at - 1 <= 3, "{out}");
    assert!((5..20).contains(&done), "{done} done: {out}");
    let not_started = TARGETS - done - 1;
    assert!(
        out.contains(&format!("{done} done, 1 failed, {not_started} not started")),
        "{out}"
    );
    // The fleet's view: who is where.
    let status = p.fails(&["status", "--fleet"], 1);
    assert_eq!(
        status
            .lines()
            .filter(|l| l.contains("expand pending"))
            .count(),
        TARGETS - done,
        "{status}"
    );
    // Fixed, the re-run resumes: the targets done say so, the others are upgraded.
    f.psql(THIRD_WAVE, "DROP TABLE t2;");
    let again = p.ok(&["upgrade", "--fleet"]);
    assert!(
        again.contains("50 done, 0 failed, 0 not started"),
        "{again}"
    );
    assert!(line(&again, &f.shown(0)).ends_with("up to date"), "{again}");
    assert!(
        line(&again, &f.shown(THIRD_WAVE)).ends_with("applied 2"),
        "{again}"
    );
    f.all_on(&[1, 2]);

    // Budget 1: the failing target does not stop the others.
    f.set("failure_budget", "1");
    p.write(
        3,
        "create_t3",
        "CREATE TABLE t3 (id int);\n",
        Some("DROP TABLE t3;\n"),
    );
    f.psql(THIRD_WAVE + 1, "CREATE TABLE t3 (other text);");
    let out = p.fails(&["upgrade", "--fleet"], 1);
    assert!(out.contains("49 done, 1 failed, 0 not started"), "{out}");
    assert!(
        line(&out, &f.shown(THIRD_WAVE + 1)).starts_with("failed"),
        "{out}"
    );
    f.psql(THIRD_WAVE + 1, "DROP TABLE t3;");
    p.ok(&["upgrade", "--fleet"]);
    f.all_on(&[1, 2, 3]);

    // Two fleet runners at once: each target's migration runs once (its lock and
    // version table), whichever runner gets there first.
    f.set("concurrency", "8");
    p.write(
        4,
        "mark",
        "SELECT pg_sleep(0.05);\nINSERT INTO t VALUES (4);\n",
        Some("DELETE FROM t WHERE id = 4;\n"),
    );
    let a = p.spawn(&["upgrade", "--fleet"]);
    let b = p.spawn(&["upgrade", "--fleet"]);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let (a_out, b_out) = (text(&a), text(&b));
    assert_eq!(a.status.code(), Some(0), "{a_out}");
    assert_eq!(b.status.code(), Some(0), "{b_out}");
    for i in 0..TARGETS {
        assert_eq!(
            f.count(i, "SELECT count(*) FROM t WHERE id = 4"),
            1,
            "{}",
            f.shown(i)
        );
        let shown = f.shown(i);
        let applied_by = [&a_out, &b_out]
            .iter()
            .filter(|o| line(o, &shown).ends_with("applied 4"))
            .count();
        assert_eq!(applied_by, 1, "{shown}:\n{a_out}\n{b_out}");
    }
    f.all_on(&[1, 2, 3, 4]);

    // status and verify --fleet, table and JSON: every target on 4, nothing changed.
    let status = p.ok(&["status", "--fleet"]);
    assert_eq!(
        status
            .lines()
            .filter(|l| l.contains("  4  ") && l.ends_with("ok"))
            .count(),
        TARGETS,
        "{status}"
    );
    let verify = p.ok(&["verify", "--fleet"]);
    assert_eq!(verify.lines().count(), TARGETS + 1, "{verify}");
    for args in [
        ["status", "--fleet", "--format", "json"],
        ["verify", "--fleet", "--format", "json"],
    ] {
        let json = p.ok(&args);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let rows = v.as_array().unwrap();
        assert_eq!(rows.len(), TARGETS);
        assert!(rows.iter().all(|r| r["current"] == 4
            && r["pending"] == 0
            && r["phase"] == "complete"
            && r["error"].is_null()));
    }
    // An edited file shows on every target in verify.
    std::fs::write(
        p.dir.join("migrations/4_mark.up.sql"),
        "INSERT INTO t VALUES (5);\n",
    )
    .unwrap();
    let bad = p.fails(&["verify", "--fleet"], 1);
    assert_eq!(
        bad.lines()
            .filter(|l| l.ends_with("changed: 4 mark (edited)"))
            .count(),
        TARGETS,
        "{bad}"
    );
    eprintln!("scenario: {:?}", t0.elapsed());
}

#[test]
fn fifty_tenant_databases() {
    let t0 = Instant::now();
    let f = Fleet::databases();
    eprintln!("50 databases made in {:?}", t0.elapsed());
    scenario(&f);
}

#[test]
fn fifty_tenant_schemas() {
    let f = Fleet::schemas();
    scenario(&f);
}
