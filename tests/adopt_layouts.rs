//! What `pgshift generate` writes in each adopted layout, through the binary: sqlx pairs
//! named by UTC timestamp, golang-migrate files numbered on from a `-seq` history with its
//! zero padding, refinery `V<n>__<name>.sql` files numbered on without downs (and a
//! migration refinery cannot run, refused). Each is read back (`check`) and applied by
//! `upgrade` on a new database. diesel folders: tests/adopt_history.rs.

mod common;

use common::project::dev::{ok, pgshift};
use common::project::listing;
use common::project::temp_dir;
use common::{output_text, TestDb};
use std::path::{Path, PathBuf};

const V1: &str = "CREATE TABLE users (id int PRIMARY KEY);";
const V2: &str = "ALTER TABLE users ADD COLUMN name text;";
const MODEL: &str = "CREATE TABLE users (id int PRIMARY KEY, name text);";
const NEXT: &str = "CREATE TABLE users (id int PRIMARY KEY, name text, email text);";

/// A project adopting `files` (name, text) in `migrations/` as `layout`.
fn adopted(layout: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = temp_dir(&format!("adopt-layout-{layout}"));
    let m = dir.join("migrations");
    std::fs::create_dir_all(&m).unwrap();
    for (name, text) in files {
        std::fs::write(m.join(name), text).unwrap();
    }
    std::fs::write(dir.join("schema.sql"), MODEL).unwrap();
    ok(&dir, &["init", "--adopt", "migrations", "--layout", layout]);
    assert!(ok(&dir, &["check"]).contains("OK"));
    dir
}

/// Adds `email` to the model and generates; the files written.
fn generate_email(dir: &Path) -> Vec<String> {
    let before = listing(&dir.join("migrations"));
    std::fs::write(dir.join("schema.sql"), NEXT).unwrap();
    ok(dir, &["generate", "-m", "add email"]);
    listing(&dir.join("migrations"))
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}

/// The new files are read back, and `upgrade` applies the whole history.
fn read_back_and_applied(dir: &Path) {
    assert!(ok(dir, &["check"]).contains("OK"));
    let db = TestDb::new();
    ok(dir, &["upgrade", "--all", "--database", &db.url()]);
    let said = ok(dir, &["verify", "--schema", "--database", &db.url()]);
    assert!(!said.contains("drift"), "{said}");
}

#[test]
fn sqlx_gets_timestamped_pairs() {
    let dir = adopted(
        "sqlx",
        &[
            ("20240101000001_users.up.sql", V1),
            ("20240101000001_users.down.sql", "DROP TABLE users;"),
            ("20240101000002_name.up.sql", V2),
            (
                "20240101000002_name.down.sql",
                "ALTER TABLE users DROP COLUMN name;",
            ),
        ],
    );
    let new = generate_email(&dir);
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(
        new[0].ends_with("_add_email.down.sql") && new[0].len() == 33,
        "{new:?}"
    );
    assert!(new[1].ends_with("_add_email.up.sql"), "{new:?}");
    read_back_and_applied(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn golang_migrate_numbers_on_with_its_padding() {
    let dir = adopted(
        "golang-migrate",
        &[
            ("000001_users.up.sql", V1),
            ("000001_users.down.sql", "DROP TABLE users;"),
            ("000002_name.up.sql", V2),
            (
                "000002_name.down.sql",
                "ALTER TABLE users DROP COLUMN name;",
            ),
        ],
    );
    let new = generate_email(&dir);
    assert_eq!(
        new,
        ["000003_add_email.down.sql", "000003_add_email.up.sql"]
    );
    read_back_and_applied(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refinery_numbers_on_without_downs_and_refuses_what_it_cannot_run() {
    let dir = adopted("refinery", &[("V1__users.sql", V1), ("V2__name.sql", V2)]);
    let new = generate_email(&dir);
    assert_eq!(new, ["V3__add_email.sql"]);
    read_back_and_applied(&dir);

    // An index on an existing table is built CONCURRENTLY, outside a transaction, which
    // refinery cannot do: refused, nothing written.
    let before = listing(&dir.join("migrations"));
    std::fs::write(
        dir.join("schema.sql"),
        format!("{NEXT}\nCREATE INDEX users_email ON users (email);"),
    )
    .unwrap();
    let out = pgshift(&dir, &["generate", "-m", "index email"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("cannot write migration 4 (index_email) in refinery's layout"),
        "{said}"
    );
    assert!(said.contains("CREATE INDEX CONCURRENTLY"), "{said}");
    // The file it would have been, and what to do.
    assert!(said.contains("migrations/V4__index_email.sql"), "{said}");
    assert!(said.contains("no per-migration setting"), "{said}");
    assert!(said.contains("--squash"), "{said}");
    assert_eq!(listing(&dir.join("migrations")), before);
    std::fs::remove_dir_all(&dir).unwrap();
}
