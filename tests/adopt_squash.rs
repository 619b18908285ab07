//! `pgshift init --adopt DIR --squash` through the binary: another tool's history replaced
//! by one baseline migration in pgshift's layout, proven to give the same database; a
//! database that tool migrated is stamped from its version table (all of the history: the
//! baseline counts as applied; part of it: refused), a new database gets the same schema
//! from the baseline, and a history the proof cannot cover is refused with nothing changed.

mod common;

use common::project::dev::{fails, ok, pgshift};
use common::project::listing;
use common::project::temp_dir;
use common::{output_text, TestDb};
use std::path::Path;

/// diesel folders: (folder, up, down, run in a transaction).
const DIESEL: [(&str, &str, &str, bool); 4] = [
    (
        "00000000000000_diesel_initial_setup",
        "CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$\n\
         BEGIN\n    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s\n\
         FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);\nEND;\n\
         $$ LANGUAGE plpgsql;",
        "DROP FUNCTION IF EXISTS diesel_manage_updated_at(_tbl regclass);",
        true,
    ),
    (
        "2024-01-01-000001_create_users",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);",
        "DROP TABLE users;",
        true,
    ),
    (
        "2024-01-01-000002_add_email",
        "ALTER TABLE users ADD COLUMN email text DEFAULT '' NOT NULL;\n\
         CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));",
        "DROP TABLE posts;\nALTER TABLE users DROP COLUMN email;",
        true,
    ),
    (
        "2024-01-01-000003_index_email",
        "CREATE INDEX CONCURRENTLY users_email ON users (email);",
        "DROP INDEX CONCURRENTLY users_email;",
        false,
    ),
];

const MODEL: &str = "CREATE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$\n\
     BEGIN\n    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s\n\
     FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);\nEND;\n\
     $$ LANGUAGE plpgsql;\n\
     CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text DEFAULT '' NOT NULL);\n\
     CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (id));\n\
     CREATE INDEX users_email ON users (email);\n";

/// The diesel history in `dir/migrations`.
fn write_diesel(dir: &Path) {
    for (folder, up, down, transactional) in DIESEL {
        let f = dir.join("migrations").join(folder);
        std::fs::create_dir_all(&f).unwrap();
        std::fs::write(f.join("up.sql"), up).unwrap();
        std::fs::write(f.join("down.sql"), down).unwrap();
        if !transactional {
            std::fs::write(f.join("metadata.toml"), "run_in_transaction = false\n").unwrap();
        }
    }
}

/// A database diesel migrated through the first `n` migrations: their ups run, and
/// diesel's version table lists them.
fn diesel_migrated(n: usize) -> TestDb {
    let db = TestDb::new();
    db.psql(
        "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY, \
         run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);",
    )
    .unwrap();
    for (folder, up, _, _) in &DIESEL[..n] {
        db.psql(up).unwrap();
        let version: String = folder
            .split('_')
            .next()
            .unwrap()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        db.psql(&format!(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('{version}');"
        ))
        .unwrap();
    }
    db
}

#[test]
fn a_diesel_history_is_squashed_into_a_baseline_that_migrated_databases_recognise() {
    let dir = temp_dir("adopt-squash-diesel");
    write_diesel(&dir);
    std::fs::write(dir.join("schema.sql"), MODEL).unwrap();
    let migrated = diesel_migrated(DIESEL.len());
    let partly = diesel_migrated(2);
    // A database pgshift migrated while the history was adopted in place: its own
    // version rows of the old migrations.
    let by_pgshift = TestDb::new();
    ok(&dir, &["init", "--adopt", "migrations"]);
    ok(&dir, &["upgrade", "--all", "--database", &by_pgshift.url()]);
    std::fs::remove_file(dir.join("pgshift.toml")).unwrap();

    let said = ok(&dir, &["init", "--adopt", "migrations", "--squash"]);
    assert!(
        said.contains(
            "Squashed 4 diesel migrations into migrations/20240101000003_baseline.up.sql"
        ),
        "{said}"
    );
    // The diesel folders are gone; the baseline is in pgshift's layout.
    assert_eq!(
        listing(&dir.join("migrations")),
        [
            "20240101000003_baseline.down.sql",
            "20240101000003_baseline.up.sql"
        ]
    );
    let config = std::fs::read_to_string(dir.join("pgshift.toml")).unwrap();
    assert!(!config.contains("layout ="), "{config}");
    let up =
        std::fs::read_to_string(dir.join("migrations/20240101000003_baseline.up.sql")).unwrap();
    assert!(
        up.contains("-- squashes: 0, 20240101000001, 20240101000002, 20240101000003"),
        "{up}"
    );
    // The model is what the baseline produces, and its down restores an empty database.
    assert!(ok(&dir, &["check"]).contains("OK"));
    let said = ok(&dir, &["test"]);
    assert!(said.contains("0 with a problem"), "{said}");

    // The database diesel migrated: the baseline is recorded, not run.
    let url = migrated.url();
    let said = ok(&dir, &["stamp", "--database", &url]);
    assert!(
        said.contains("diesel (__diesel_schema_migrations) says 1 migration(s) are applied"),
        "{said}"
    );
    assert!(said.contains("20240101000003 baseline"), "{said}");
    // A database diesel took through half of the history is refused.
    let said = fails(&dir, &["stamp", "--database", &partly.url()]);
    assert!(
        said.contains("applied 2 of the 4 migrations that migration 20240101000003 (baseline) replaces, not 20240101000002, 20240101000003"),
        "{said}"
    );
    assert!(partly.dump().contains("__diesel_schema_migrations"));

    // A new migration, then upgrade: the migrated database runs only the new one, and
    // a new database gets the same schema from the baseline.
    std::fs::write(
        dir.join("schema.sql"),
        format!("{MODEL}CREATE TABLE tags (id bigint PRIMARY KEY);\n"),
    )
    .unwrap();
    ok(&dir, &["generate", "-m", "tags"]);
    let said = ok(&dir, &["upgrade", "--database", &url]);
    assert!(said.contains("tags"), "{said}");
    assert!(!said.contains("baseline"), "{said}");
    let said = output_text(&pgshift(&dir, &["status", "--database", &by_pgshift.url()]));
    assert!(said.contains("applied  20240101000003 baseline"), "{said}");
    let said = ok(&dir, &["upgrade", "--database", &by_pgshift.url()]);
    assert!(
        said.contains("tags") && !said.contains("baseline"),
        "{said}"
    );
    let fresh = TestDb::new();
    let said = ok(&dir, &["upgrade", "--database", &fresh.url()]);
    assert!(said.contains("baseline"), "{said}");
    for other in [&fresh, &by_pgshift] {
        let diff = ok(&dir, &["diff", "--from", &url, "--to", &other.url()]);
        assert!(diff.trim().is_empty(), "{diff}");
    }
    let said = ok(&dir, &["verify", "--schema", "--database", &url]);
    assert!(!said.contains("drift"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refinery_history_is_squashed_and_its_table_read_by_stamp() {
    let dir = temp_dir("adopt-squash-refinery");
    let m = dir.join("sql");
    std::fs::create_dir_all(&m).unwrap();
    let steps = [
        ("V1__users.sql", "CREATE TABLE users (id int PRIMARY KEY);"),
        ("V2__name.sql", "ALTER TABLE users ADD COLUMN name text;"),
    ];
    for (file, up) in steps {
        std::fs::write(m.join(file), up).unwrap();
    }
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE users (id int PRIMARY KEY, name text);",
    )
    .unwrap();
    let db = TestDb::new();
    db.psql(
        "CREATE TABLE refinery_schema_history (version int4 PRIMARY KEY, name varchar(255), \
         applied_on varchar(255), checksum varchar(255));",
    )
    .unwrap();
    for (i, (_, up)) in steps.iter().enumerate() {
        db.psql(up).unwrap();
        db.psql(&format!(
            "INSERT INTO refinery_schema_history (version) VALUES ({});",
            i + 1
        ))
        .unwrap();
    }
    let said = ok(&dir, &["init", "--adopt", "sql", "--squash"]);
    assert!(said.contains("Squashed 2 refinery migrations"), "{said}");
    assert_eq!(listing(&m), ["2_baseline.down.sql", "2_baseline.up.sql"]);
    assert!(ok(&dir, &["check"]).contains("OK"));
    let said = ok(&dir, &["stamp", "--database", &db.url()]);
    assert!(said.contains("2 baseline"), "{said}");
    let said = ok(&dir, &["status", "--database", &db.url()]);
    assert!(!said.contains("pending"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_history_the_proof_cannot_cover_is_refused_and_nothing_changes() {
    let dir = temp_dir("adopt-squash-refused");
    write_diesel(&dir);
    // An aggregate: pgshift writes no SQL for it, so the baseline would lose it.
    let f = dir.join("migrations/2024-01-01-000004_aggregate");
    std::fs::create_dir_all(&f).unwrap();
    std::fs::write(
        f.join("up.sql"),
        "CREATE AGGREGATE total (int) (sfunc = int4pl, stype = int);",
    )
    .unwrap();
    std::fs::write(f.join("down.sql"), "DROP AGGREGATE total (int);").unwrap();
    std::fs::write(dir.join("schema.sql"), MODEL).unwrap();
    let before = listing(&dir.join("migrations"));
    let said = fails(&dir, &["init", "--adopt", "migrations", "--squash"]);
    assert!(said.contains("cannot squash"), "{said}");
    assert!(said.contains("total"), "{said}");
    // `init --adopt` has no --through: the way on is to adopt the history as it is.
    assert!(said.contains("without --squash"), "{said}");
    assert!(!said.contains("--through"), "{said}");
    assert_eq!(listing(&dir.join("migrations")), before);
    assert!(!dir.join("pgshift.toml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
