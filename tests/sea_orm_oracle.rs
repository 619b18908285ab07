//! SeaORM as the oracle for Rust models: the crate in tests/fixtures/sea-orm-oracle holds
//! entity sets written for this test (compact, dense and expanded formats) and, compiled
//! with sea-orm 2.0.4 (pinned by its Cargo.lock), prints the DDL SeaORM's own `Schema`
//! builder makes for each set. The DDL goes into a database; `pgshift diff` between that
//! database and the same entity files must be empty, and `generate` + `upgrade` from the
//! files must build the same schema. The first run needs crates.io; the crate is built
//! once per test run, in target/sea-orm-fixture (shared with the sea-orm-migration test).

mod common;

use common::project::temp_dir;
use common::{dev_url, TestDb};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The version the sets are checked against (the fixture's Cargo.toml and Cargo.lock
/// pin it; docs/rust-models.md names it).
const SEA_ORM_VERSION: &str = "2.0.4";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sea-orm-oracle")
}

/// The oracle binary, built on first use (one build for every test of this binary).
fn oracle_binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let lock = std::fs::read_to_string(fixture().join("Cargo.lock")).unwrap();
        assert!(
            lock.contains(&format!(
                "name = \"sea-orm\"\nversion = \"{SEA_ORM_VERSION}\""
            )),
            "the oracle's Cargo.lock pins sea-orm {SEA_ORM_VERSION}"
        );
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sea-orm-fixture");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let started = std::time::Instant::now();
        let out = Command::new(&cargo)
            .args(["build", "--locked", "--quiet", "--manifest-path"])
            .arg(fixture().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
        eprintln!("cargo build of the SeaORM oracle: {:?}", started.elapsed());
        assert!(
            out.status.success(),
            "the SeaORM oracle does not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target.join("debug/sea-orm-oracle")
    })
}

/// SeaORM's DDL for one set.
fn oracle_ddl(set: &str) -> String {
    let out = Command::new(oracle_binary()).arg(set).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn entities(set: &str) -> String {
    fixture().join("src").join(set).display().to_string()
}

fn pgshift(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("PGSHIFT_DEV_URL", dev_url())
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = pgshift(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "pgshift {args:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The database SeaORM builds for `set`, and the set read by pgshift, compared both ways;
/// then a project on the same files generates and upgrades an empty database to it.
fn oracle_agrees(set: &str) {
    let ddl = oracle_ddl(set);
    assert!(ddl.contains("CREATE TABLE"), "{ddl}");
    let seaorm = TestDb::new();
    seaorm
        .psql(&ddl)
        .unwrap_or_else(|e| panic!("SeaORM's DDL for {set} does not run: {e}\n{ddl}"));
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let models = entities(set);
    let up = ok(here, &["diff", "--from", &seaorm.url(), "--to", &models]);
    assert_eq!(
        up, "",
        "pgshift plans changes to SeaORM's {set} schema:\n{ddl}"
    );
    let down = ok(here, &["diff", "--from", &models, "--to", &seaorm.url()]);
    assert_eq!(down, "", "and back:\n{ddl}");

    let dir = temp_dir("sea-orm-oracle");
    std::fs::write(
        dir.join("pgshift.toml"),
        format!("model = {:?}\n", format!("rust:{models}")),
    )
    .unwrap();
    ok(&dir, &["generate", "-m", "entities"]);
    let built = TestDb::new();
    ok(&dir, &["upgrade", "--all", "--database", &built.url()]);
    let left = ok(
        here,
        &["diff", "--from", &seaorm.url(), "--to", &built.url()],
    );
    assert_eq!(
        left, "",
        "generate + upgrade built another schema than SeaORM"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compact_entities_match_sea_orm() {
    oracle_agrees("compact");
}

/// SeaORM 1.x (sea-query 0.32, or sea-orm's `postgres-use-serial-pk`) creates
/// auto-increment keys as serial: `[rust] auto_increment = "serial"` in pgshift.toml says
/// so, and `diff` run in the project reads the entities that way.
#[test]
fn serial_keys_with_the_project_setting() {
    let ddl = oracle_ddl("compact")
        .replace("bigint GENERATED BY DEFAULT AS IDENTITY", "bigserial")
        .replace("integer GENERATED BY DEFAULT AS IDENTITY", "serial");
    assert!(ddl.contains("serial"), "{ddl}");
    let db = TestDb::new();
    db.psql(&ddl).unwrap();
    let models = entities("compact");
    let dir = temp_dir("sea-orm-serial");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // SeaORM 2 by default: the keys would become identity columns.
    let identity = ok(here, &["diff", "--from", &db.url(), "--to", &models]);
    assert!(identity.contains("IDENTITY"), "{identity}");
    std::fs::write(
        dir.join("pgshift.toml"),
        format!(
            "model = {:?}\n\n[rust]\nauto_increment = \"serial\"\n",
            format!("rust:{models}")
        ),
    )
    .unwrap();
    let diff = ok(&dir, &["diff", "--from", &db.url(), "--to", &models]);
    assert_eq!(diff, "", "{ddl}");
    // A value pgshift does not know is an error naming the file.
    std::fs::write(
        dir.join("pgshift.toml"),
        "model = \"schema.sql\"\n\n[rust]\nauto_increment = \"bigserial\"\n",
    )
    .unwrap();
    let out = pgshift(&dir, &["diff", "--from", &db.url(), "--to", &models]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pgshift.toml") && err.contains("auto_increment"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dense_entities_match_sea_orm() {
    oracle_agrees("dense");
}

#[test]
fn expanded_entities_match_sea_orm() {
    oracle_agrees("expanded");
}
