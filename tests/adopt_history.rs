//! Adopting another tool's history through the binary: `pgshift init --adopt` on a
//! diesel folder (read in place by check, generate, test and upgrade; new migrations
//! written as diesel folders), and `pgshift stamp` on a database diesel migrated,
//! reading diesel's version table to say which migrations it has.

mod common;

use common::project::dev::{ok, pgshift};
use common::project::temp_dir;
use common::{output_text, TestDb};

const DIESEL: [(&str, &str, &str); 3] = [
    (
        "2024-01-01-000001_create_users",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);",
        "DROP TABLE users;",
    ),
    (
        "2024-01-01-000002_add_email",
        "ALTER TABLE users ADD COLUMN email text;",
        "ALTER TABLE users DROP COLUMN email;",
    ),
    (
        "2024-01-01-000003_index_email",
        "CREATE INDEX CONCURRENTLY users_email ON users (email);",
        "DROP INDEX CONCURRENTLY users_email;",
    ),
];

#[test]
fn a_diesel_history_is_adopted_in_place_and_stamped() {
    let dir = temp_dir("adopt-diesel");
    for (folder, up, down) in DIESEL {
        let f = dir.join("migrations").join(folder);
        std::fs::create_dir_all(&f).unwrap();
        std::fs::write(f.join("up.sql"), up).unwrap();
        std::fs::write(f.join("down.sql"), down).unwrap();
    }
    std::fs::write(
        dir.join("migrations/2024-01-01-000003_index_email/metadata.toml"),
        "run_in_transaction = false\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);\n\
         CREATE INDEX users_email ON users (email);",
    )
    .unwrap();

    // The database diesel migrated: its ups and its version table.
    let db = TestDb::new();
    for (folder, up, _) in DIESEL {
        db.psql(up).unwrap();
        let version: String = folder[..17].chars().filter(char::is_ascii_digit).collect();
        db.psql(&format!(
            "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) \
             PRIMARY KEY, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);\n\
             INSERT INTO __diesel_schema_migrations (version) VALUES ('{version}');"
        ))
        .unwrap();
    }

    let said = ok(&dir, &["init", "--adopt", "migrations"]);
    assert!(
        said.contains("Adopted 3 diesel migrations in migrations"),
        "{said}"
    );
    let config = std::fs::read_to_string(dir.join("pgshift.toml")).unwrap();
    assert!(config.contains("layout = \"diesel\""), "{config}");

    // Read in place: the model is what the history produces.
    assert!(ok(&dir, &["check"]).contains("OK"));
    assert!(ok(&dir, &["test"]).contains("(diesel layout)"));

    // A new migration, written as a diesel folder.
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text, bio text);\n\
         CREATE INDEX users_email ON users (email);",
    )
    .unwrap();
    assert_eq!(pgshift(&dir, &["check"]).status.code(), Some(1));
    ok(&dir, &["generate", "-m", "add bio"]);
    let folders: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let new = folders
        .iter()
        .find(|f| f.ends_with("_add_bio"))
        .unwrap_or_else(|| panic!("{folders:?}"));
    assert!(
        new.len() == "2026-12-03-065721_add_bio".len() && new.as_bytes()[4] == b'-',
        "{new}"
    );
    assert!(dir.join("migrations").join(new).join("down.sql").exists());
    assert!(ok(&dir, &["check"]).contains("OK"));
    let said = ok(&dir, &["test"]);
    assert!(
        said.contains("4 restored") && said.contains("0 with a problem"),
        "{said}"
    );

    // stamp reads diesel's table: the three it applied are recorded, not run.
    let url = db.url();
    let said = ok(&dir, &["stamp", "--database", &url]);
    assert!(
        said.contains("diesel (__diesel_schema_migrations) says 3"),
        "{said}"
    );
    assert!(said.contains("Recorded 3 migration(s)"), "{said}");
    // Stamping past what diesel applied is refused.
    let new_version: String = new[..17].chars().filter(char::is_ascii_digit).collect();
    let out = pgshift(&dir, &["stamp", &new_version, "--database", &url]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("is not applied according to diesel"),
        "{said}"
    );
    // upgrade runs only the new one; the model and the database then match.
    let said = ok(&dir, &["upgrade", "--database", &url]);
    assert!(said.contains("add_bio"), "{said}");
    assert!(!said.contains("create_users"), "{said}");
    let said = ok(&dir, &["verify", "--schema", "--database", &url]);
    assert!(!said.contains("drift"), "{said}");
    let said = ok(&dir, &["status", "--database", &url]);
    assert!(!said.contains("pending"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stamp_without_a_tool_table_needs_a_version() {
    let dir = temp_dir("adopt-stamp");
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(
        dir.join("migrations/20240101000001_a.sql"),
        "CREATE TABLE a (id int);",
    )
    .unwrap();
    std::fs::write(
        dir.join("migrations/20240101000002_b.sql"),
        "CREATE TABLE b (id int);",
    )
    .unwrap();
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int);",
    )
    .unwrap();
    ok(&dir, &["init", "--adopt", "migrations", "--layout", "sqlx"]);
    let db = TestDb::new();
    db.psql("CREATE TABLE a (id int);").unwrap();
    let url = db.url();
    let out = pgshift(&dir, &["stamp", "--database", &url]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("name the newest one it has"), "{said}");
    let said = ok(&dir, &["stamp", "20240101000001", "--database", &url]);
    assert!(said.contains("Recorded 1 migration(s)"), "{said}");
    // Again: nothing new to record.
    assert!(ok(&dir, &["stamp", "20240101000001", "--database", &url]).contains("Recorded 0"));
    let said = ok(&dir, &["upgrade", "--database", &url]);
    assert!(said.contains("20240101000002"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}
