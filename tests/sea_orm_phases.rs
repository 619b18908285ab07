//! The rollout phases with sea-orm-migration alone: a sea-orm project's crate runs
//! `pgshift_phases::upgrade` and `::complete` (the module `generate` writes) from a binary
//! of its own (tests/fixtures/sea-orm-migration/src/phases.rs). `upgrade` applies the
//! expand phase with its backfill and stops before the contract; `complete` refuses while
//! a row is left to fill (one inserted by an "old application" after the backfill), and
//! applies the contract once it is filled.
//!
//! Like `sea_orm_format_compiles_with_sea_orm_migration` (tests/workflow.rs), it builds the
//! crate with sea-orm-migration 2.0.4 in `target/sea-orm-fixture`.

mod common;

use common::accounts::{accounts, EMAIL_LOWER};
use common::project::Project;
use common::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OLD: &str = accounts!(email: "not_null = true");

fn new_model() -> String {
    format!("{OLD}{EMAIL_LOWER}")
}

/// `cargo run --bin phases <phase>` on the crate, with DATABASE_URL.
fn phases(krate: &Path, url: &str, phase: &str) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sea-orm-fixture");
    let started = std::time::Instant::now();
    let out = Command::new(&cargo)
        .args([
            "run",
            "--locked",
            "--quiet",
            "--bin",
            "phases",
            "--manifest-path",
        ])
        .arg(krate.join("Cargo.toml"))
        .arg("--")
        .arg(phase)
        .env("CARGO_TARGET_DIR", &target)
        .env("DATABASE_URL", url)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    eprintln!("phases {phase}: {:?}", started.elapsed());
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn nullable(db: &TestDb) -> String {
    db.client()
        .query_one(
            "SELECT is_nullable FROM information_schema.columns \
             WHERE table_name = 'accounts' AND column_name = 'email_lower'",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn sea_orm_migration_runs_the_phases_through_the_generated_module() {
    let db = TestDb::new();
    let url = db.url();
    let p = Project::init_with(
        "sea-orm-phases",
        "schema.toml",
        OLD,
        &["--format", "sea-orm"],
    );
    let krate: PathBuf = p.dir.join("migration");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sea-orm-migration");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "src/main.rs", "src/phases.rs"] {
        std::fs::copy(fixture.join(f), krate.join(f)).unwrap();
    }
    p.ok(&["generate", "-m", "accounts"]);
    let out = phases(&krate, &url, "upgrade");
    assert!(out.status.success(), "{}", text(&out));
    db.psql(
        "INSERT INTO accounts (email) SELECT 'User' || i || '@Example.org' \
         FROM generate_series(1, 5000) i; ANALYZE accounts;",
    )
    .unwrap();

    std::fs::write(p.dir.join("schema.toml"), new_model()).unwrap();
    p.ok(&["generate", "-m", "fill"]);
    let module = std::fs::read_to_string(krate.join("src/pgshift_phases.rs")).unwrap();
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod pgshift_phases;"), "{lib}");
    assert!(module.contains("_fill_"), "{module}");

    // The expand phase: the column, its backfill; the contract waits.
    let out = phases(&krate, &url, "upgrade");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(nullable(&db), "YES", "upgrade ran the contract phase");
    let mut c = db.client();
    let unfilled: i64 = c
        .query_one(
            "SELECT count(*) FROM accounts WHERE email_lower IS NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(unfilled, 0, "the backfill ran through sea-orm-migration");
    let applied_before: i64 = c
        .query_one("SELECT count(*) FROM seaql_migrations", &[])
        .unwrap()
        .get(0);

    // An old application's row: complete refuses, applying nothing.
    c.batch_execute("INSERT INTO accounts (email) VALUES ('Old@Example.org')")
        .unwrap();
    let out = phases(&krate, &url, "complete");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("cannot complete: the backfill of migration m")
            && said.contains("has 1 rows of public.accounts still matching `email_lower IS NULL`"),
        "{said}"
    );
    assert_eq!(
        nullable(&db),
        "YES",
        "complete ran the contract over a NULL"
    );
    let applied_now: i64 = c
        .query_one("SELECT count(*) FROM seaql_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(applied_now, applied_before, "complete applied something");

    // Filled (as the backfill would): complete applies the contract phase.
    c.batch_execute("UPDATE accounts SET email_lower = lower(email) WHERE email_lower IS NULL")
        .unwrap();
    let out = phases(&krate, &url, "complete");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(nullable(&db), "NO", "the contract made the column NOT NULL");
    let out = phases(&krate, &url, "complete");
    assert!(
        out.status.success() && text(&out).contains("applied 0"),
        "{}",
        text(&out)
    );
}
