//! `pgshift init --adopt CRATE` on a sea-orm-migration crate, through the binary: modules
//! that run SQL literals are read in place (check, test, generate, which registers the new
//! module in the crate's `Migrator`); a module built with sea-query's schema builder is
//! refused at init with what pgshift reads and the workaround, and nothing is written.

mod common;

use common::project::temp_dir;
use common::{dev_url, output_text};
use std::path::Path;
use std::process::{Command, Output};

fn pgshift(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("PGSHIFT_DEV_URL", dev_url())
        .output()
        .expect("run pgshift")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = pgshift(dir, args);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "pgshift {args:?}:\n{said}");
    said
}

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
fn a_sea_orm_module_built_with_the_schema_builder_is_refused_with_the_workaround() {
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
        said.contains("pgshift inspect $DATABASE_URL > schema.sql"),
        "{said}"
    );
    assert!(!dir.join("pgshift.toml").exists());
    // Squashing a sea-orm crate into pgshift's layout is refused, naming the way in.
    write_crate(&dir, CREATE);
    let out = pgshift(&dir, &["init", "--adopt", "migration", "--squash"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is a sea-orm-migration crate"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}
