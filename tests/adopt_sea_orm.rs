//! `pgshift init --adopt CRATE` on a sea-orm-migration crate, through the binary: modules
//! that run SQL literals are read in place (check, test, generate, which registers the new
//! module in the crate's `Migrator`); a module built with sea-query's schema builder is
//! refused in place, naming `--squash`, and nothing is written; with `--squash` a crate of
//! schema builders is built and run (sea-orm-migration 2.0.4, tests/fixtures/
//! sea-orm-builders, built in target/sea-orm-fixture like the other sea-orm fixtures; the
//! first run needs crates.io) and replaced by a proven baseline, which `stamp` records
//! from seaql_migrations.

mod common;

use common::project::dev::{ok, pgshift};
use common::project::listing;
use common::project::temp_dir;
use common::{dev_url, output_text, TestDb};
use std::path::{Path, PathBuf};
use std::process::Command;

/// As `sea-orm-cli migrate init` writes it.
const CARGO: &str = "[package]\nname = \"migration\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
    [lib]\nname = \"migration\"\npath = \"src/lib.rs\"\n\n[dependencies]\n\
    async-std = { version = \"1\", features = [\"attributes\", \"tokio1\"] }\n\n\
    [dependencies.sea-orm-migration]\nversion = \"1.1.0\"\nfeatures = [\"sqlx-postgres\"]\n";

const LIB: &str = r#"pub use sea_orm_migration::prelude::*;

mod m20220101_000001_create_table;
mod m20240301_120000_add_author;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20220101_000001_create_table::Migration),
            Box::new(m20240301_120000_add_author::Migration),
        ]
    }
}
"#;

const CREATE: &str = r#"use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("CREATE TABLE post (id serial PRIMARY KEY, title text NOT NULL)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP TABLE post").await?;
        Ok(())
    }
}
"#;

const ADD_AUTHOR: &str = r#"use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE post ADD COLUMN author text").await?;
        db.execute_unprepared("CREATE INDEX post_author ON post (author)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX post_author").await?;
        db.execute_unprepared("ALTER TABLE post DROP COLUMN author").await?;
        Ok(())
    }
}
"#;

const BUILDER: &str = r#"use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Post::Table)
                    .col(ColumnDef::new(Post::Id).integer().not_null().primary_key())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Post::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Post {
    Table,
    Id,
}
"#;

fn write_crate(dir: &Path, create: &str) {
    let src = dir.join("migration/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(dir.join("migration/Cargo.toml"), CARGO).unwrap();
    std::fs::write(src.join("lib.rs"), LIB).unwrap();
    std::fs::write(
        src.join("main.rs"),
        "use sea_orm_migration::prelude::*;\n\n#[async_std::main]\nasync fn main() {\n    \
         cli::run_cli(migration::Migrator).await;\n}\n",
    )
    .unwrap();
    std::fs::write(src.join("m20220101_000001_create_table.rs"), create).unwrap();
    std::fs::write(src.join("m20240301_120000_add_author.rs"), ADD_AUTHOR).unwrap();
}

#[test]
fn a_sea_orm_crate_of_sql_modules_is_adopted_in_place() {
    let dir = temp_dir("adopt-sea-orm");
    write_crate(&dir, CREATE);
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE post (id serial PRIMARY KEY, title text NOT NULL, author text);\n\
         CREATE INDEX post_author ON post (author);",
    )
    .unwrap();
    let said = ok(&dir, &["init", "--adopt", "migration"]);
    assert!(
        said.contains("Adopted 2 sea-orm-migration modules in migration"),
        "{said}"
    );
    assert!(said.contains("nothing to stamp"), "{said}");
    let config = std::fs::read_to_string(dir.join("pgshift.toml")).unwrap();
    assert!(config.contains("format = \"sea-orm\""), "{config}");
    assert!(config.contains("migrations = \"migration\""), "{config}");
    assert!(ok(&dir, &["check"]).contains("OK"));
    let said = ok(&dir, &["test"]);
    assert!(said.contains("0 with a problem"), "{said}");

    // A new module, registered in the crate's own lib.rs.
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE post (id serial PRIMARY KEY, title text NOT NULL, author text, body text);\n\
         CREATE INDEX post_author ON post (author);",
    )
    .unwrap();
    let said = ok(&dir, &["generate", "-m", "add body"]);
    let module = said
        .lines()
        .find_map(|l| l.strip_prefix("wrote migration/src/m"))
        .filter(|m| m.ends_with("_add_body.rs"))
        .unwrap_or_else(|| panic!("{said}"));
    let name = format!("m{}", module.trim_end_matches(".rs"));
    let lib = std::fs::read_to_string(dir.join("migration/src/lib.rs")).unwrap();
    assert!(lib.contains(&format!("mod {name};")), "{lib}");
    assert!(
        lib.contains(&format!("Box::new({name}::Migration)")),
        "{lib}"
    );
    assert!(
        lib.contains("Box::new(m20240301_120000_add_author::Migration)"),
        "{lib}"
    );
    assert!(ok(&dir, &["check"]).contains("OK"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sea_orm_module_built_with_the_schema_builder_is_refused_in_place_naming_squash() {
    let dir = temp_dir("adopt-sea-orm-builder");
    write_crate(&dir, BUILDER);
    std::fs::write(dir.join("schema.sql"), "").unwrap();
    let out = pgshift(&dir, &["init", "--adopt", "migration"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("m20220101_000001_create_table.rs"), "{said}");
    assert!(said.contains("create_table() at line 10"), "{said}");
    assert!(said.contains("execute_unprepared"), "{said}");
    assert!(
        said.contains("pgshift init --adopt CRATE --squash"),
        "{said}"
    );
    assert!(!dir.join("pgshift.toml").exists());
    // A layout is not a sea-orm crate's.
    let out = pgshift(&dir, &["init", "--adopt", "migration", "--layout", "sqlx"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is a sea-orm-migration crate"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The crates of these tests are all the package `migration`: built in one folder, each
/// build's binary is `debug/migration`, so one test's build would replace the binary
/// another is about to run. Held while a test builds and runs its crate.
static CRATE_RUNS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The shared build folder of the sea-orm fixture crates (tests/sea_orm_oracle.rs).
fn fixture_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sea-orm-fixture")
}

/// tests/fixtures/sea-orm-builders (a crate as `sea-orm-cli migrate init` writes it, its
/// modules built with sea-query's schema builders) copied to `dir/migration`.
fn copy_builders_crate(dir: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sea-orm-builders");
    let krate = dir.join("migration");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for f in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(fixture.join(f), krate.join(f)).unwrap();
    }
    for e in std::fs::read_dir(fixture.join("src")).unwrap().flatten() {
        std::fs::copy(e.path(), krate.join("src").join(e.file_name())).unwrap();
    }
    krate
}

/// sea-orm-migration's own CLI on `url`, as a team runs it: `cargo run -- up [args]`.
fn crate_up(krate: &Path, url: &str, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args(["run", "--locked", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .args(["--", "up"])
        .args(args)
        .env("CARGO_TARGET_DIR", fixture_target())
        .env("DATABASE_URL", url)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    assert!(out.status.success(), "{}", output_text(&out));
}

/// `init --adopt CRATE --squash` on a crate of schema builders: pgshift builds and runs
/// it (sea-orm-migration 2.0.4) on a throwaway database and writes one baseline, proven;
/// a database the crate migrated is stamped from seaql_migrations (all of it: the
/// baseline is recorded; part of it: refused), and a new database upgraded from the
/// baseline has the crate's schema.
#[test]
fn a_sea_orm_crate_of_schema_builders_is_squashed_and_stamped_from_seaql_migrations() {
    let _one_at_a_time = CRATE_RUNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = temp_dir("adopt-sea-orm-squash");
    let krate = copy_builders_crate(&dir);
    std::fs::write(dir.join("schema.sql"), "").unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(["init", "--adopt", "migration", "--squash"])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env("PGSHIFT_DEV_URL", dev_url())
        .env("CARGO_TARGET_DIR", fixture_target())
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    eprintln!(
        "init --adopt --squash (with the crate's build): {:?}",
        started.elapsed()
    );
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Squashed the 3 sea-orm-migration migrations of migration into migrations/20240301120000_baseline.up.sql"),
        "{said}"
    );
    assert_eq!(
        listing(&dir.join("migrations")),
        [
            "20240301120000_baseline.down.sql",
            "20240301120000_baseline.up.sql"
        ]
    );
    let up =
        std::fs::read_to_string(dir.join("migrations/20240301120000_baseline.up.sql")).unwrap();
    assert!(
        up.contains("-- squashes: 20220101000001, 20220102000001, 20240301120000"),
        "{up}"
    );
    assert!(up.contains("CREATE TYPE"), "{up}");
    let config = std::fs::read_to_string(dir.join("pgshift.toml")).unwrap();
    assert!(
        config.contains("format = \"sql\"") && config.contains("migrations = \"migrations\""),
        "{config}"
    );
    // The crate is left as it was.
    assert_eq!(listing(&krate.join("src")).len(), 5);

    // A database the crate migrated: stamped from seaql_migrations, nothing pending.
    let migrated = TestDb::new();
    crate_up(&krate, &migrated.url(), &[]);
    let said = ok(&dir, &["stamp", "--database", &migrated.url()]);
    assert!(
        said.contains("sea-orm-migration (seaql_migrations) says 1 migration(s) are applied"),
        "{said}"
    );
    assert!(said.contains("20240301120000 baseline"), "{said}");
    let said = ok(&dir, &["status", "--database", &migrated.url()]);
    assert!(!said.contains("pending"), "{said}");

    // A database the crate took through two of its three migrations: refused.
    let partly = TestDb::new();
    crate_up(&krate, &partly.url(), &["-n", "2"]);
    let out = pgshift(&dir, &["stamp", "--database", &partly.url()]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("applied 2 of the 3 migrations"), "{said}");
    assert!(said.contains("not 20240301120000"), "{said}");

    // A new database: the baseline gives the crate's schema, and the model read from it
    // agrees with the migrations.
    let fresh = TestDb::new();
    let said = ok(&dir, &["upgrade", "--database", &fresh.url()]);
    assert!(said.contains("baseline"), "{said}");
    let diff = ok(
        &dir,
        &["diff", "--from", &migrated.url(), "--to", &fresh.url()],
    );
    assert!(diff.trim().is_empty(), "{diff}");
    let schema = ok(&dir, &["inspect", &fresh.url()]);
    std::fs::write(dir.join("schema.sql"), schema).unwrap();
    assert!(ok(&dir, &["check"]).contains("OK"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A crate whose migrations fail on an empty database is refused with what cargo and the
/// crate said, and nothing is written; so is a project whose ./migrations already holds
/// migrations (before anything is built).
#[test]
fn a_sea_orm_crate_that_fails_to_run_is_refused_and_nothing_is_written() {
    let _one_at_a_time = CRATE_RUNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = temp_dir("adopt-sea-orm-squash-fails");
    let krate = copy_builders_crate(&dir);
    std::fs::write(dir.join("schema.sql"), "").unwrap();
    std::fs::write(
        krate.join("src/m20240301_120000_add_status.rs"),
        ADD_AUTHOR.replace(
            "ALTER TABLE post ADD COLUMN author text",
            "ALTER TABLE nope ADD COLUMN author text",
        ),
    )
    .unwrap();
    let squash = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(["init", "--adopt", "migration", "--squash"])
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env("PGSHIFT_DEV_URL", dev_url())
            .env("CARGO_TARGET_DIR", fixture_target())
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap()
    };
    let out = squash(&dir);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("-- up` failed on a throwaway database"),
        "{said}"
    );
    assert!(said.contains("relation \"nope\" does not exist"), "{said}");
    assert!(said.contains("cli::run_cli(Migrator)"), "{said}");
    assert!(!dir.join("pgshift.toml").exists());
    assert!(!dir.join("migrations").exists());

    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(
        dir.join("migrations/20200101000000_a.up.sql"),
        "-- parent: none\nCREATE TABLE a ();\n",
    )
    .unwrap();
    let out = squash(&dir);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("migrations already holds migrations"),
        "{said}"
    );
    assert!(!dir.join("pgshift.toml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
