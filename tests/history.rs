//! `pgshift test` through the binary: one history written in each layout pgshift reads
//! in place, with deliberately broken downs (missing, empty, wrong default, wrong type,
//! failing), each reported; a clean history reported clean; exit codes for CI.

mod common;

use common::project::{temp_dir, Project};
use common::{dev_url, output_text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// (name, up, down): `None` for no down file.
type Step = (&'static str, &'static str, Option<&'static str>);

const CLEAN: &[Step] = &[
    (
        "create_users",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, score integer);",
        Some("DROP TABLE users;"),
    ),
    (
        "add_email",
        "ALTER TABLE users ADD COLUMN email text DEFAULT '';",
        Some("ALTER TABLE users DROP COLUMN email;"),
    ),
    (
        "index_name",
        "CREATE INDEX users_name ON users (name);",
        Some("DROP INDEX users_name;"),
    ),
];

const BROKEN: &[Step] = &[
    (
        "create_users",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, score integer);",
        Some("DROP TABLE users;"),
    ),
    (
        "add_email",
        "ALTER TABLE users ADD COLUMN email text;",
        None,
    ),
    (
        "add_posts",
        "CREATE TABLE posts (id integer PRIMARY KEY);",
        Some("-- nothing\n"),
    ),
    (
        "name_default",
        "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'anon';",
        Some("ALTER TABLE users ALTER COLUMN name SET DEFAULT 'nobody';"),
    ),
    (
        "widen_score",
        "ALTER TABLE users ALTER COLUMN score TYPE bigint;",
        Some("ALTER TABLE users ALTER COLUMN score TYPE numeric;"),
    ),
    (
        "add_tags",
        "CREATE TABLE tags (id integer PRIMARY KEY);",
        Some("DROP TABLE tag;"),
    ),
    (
        "index_name",
        "CREATE INDEX users_name ON users (name);",
        Some("DROP INDEX users_name;"),
    ),
];

/// Writes `steps` into a new folder as `layout` lays migrations out.
fn write_history(layout: &str, steps: &[Step]) -> PathBuf {
    let dir = temp_dir(&format!("history-{layout}"));
    let put = |rel: String, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    for (i, (name, up, down)) in steps.iter().enumerate() {
        let n = i + 1;
        match layout {
            "pgshift" | "sqlx" | "golang-migrate" => {
                let stem = match layout {
                    "golang-migrate" => format!("{n:06}_{name}"),
                    _ => format!("2024010100000{n}_{name}"),
                };
                let up = match layout {
                    "pgshift" if n == 1 => format!("-- parent: none\n{up}\n"),
                    "pgshift" => format!("-- parent: 2024010100000{}\n{up}\n", n - 1),
                    _ => format!("{up}\n"),
                };
                put(format!("{stem}.up.sql"), &up);
                if let Some(down) = down {
                    put(format!("{stem}.down.sql"), down);
                }
            }
            "diesel" => {
                let folder = format!("2024-01-01-00000{n}_{name}");
                put(format!("{folder}/up.sql"), up);
                if let Some(down) = down {
                    put(format!("{folder}/down.sql"), down);
                }
            }
            "refinery" => put(format!("V{n}__{name}.sql"), up),
            other => panic!("no such layout {other}"),
        }
    }
    dir
}

fn pgshift_test(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("PGSHIFT_DEV_URL", dev_url())
        .output()
        .expect("run pgshift")
}

/// The verdict word of the line that names migration `name`.
fn verdict<'a>(said: &'a str, name: &str) -> &'a str {
    said.lines()
        .find(|l| !l.starts_with(' ') && l.ends_with(&format!(" {name}")))
        .map(|l| l[..9].trim())
        .unwrap_or_else(|| panic!("no line for {name} in:\n{said}"))
}

#[test]
fn broken_downs_are_reported_in_every_layout_with_downs() {
    for layout in ["pgshift", "sqlx", "golang-migrate", "diesel"] {
        let dir = write_history(layout, BROKEN);
        // Detected from the file names.
        let out = pgshift_test(&dir, &["."]);
        let said = output_text(&out);
        assert_eq!(out.status.code(), Some(1), "{layout}:\n{said}");
        assert!(
            said.contains(&format!("({layout} layout)")),
            "{layout}:\n{said}"
        );
        assert_eq!(verdict(&said, "create_users"), "ok", "{layout}:\n{said}");
        assert_eq!(verdict(&said, "add_email"), "MISSING", "{layout}:\n{said}");
        assert_eq!(verdict(&said, "add_posts"), "EMPTY", "{layout}:\n{said}");
        assert_eq!(
            verdict(&said, "name_default"),
            "DIFFERS",
            "{layout}:\n{said}"
        );
        assert_eq!(
            verdict(&said, "widen_score"),
            "DIFFERS",
            "{layout}:\n{said}"
        );
        assert_eq!(verdict(&said, "add_tags"), "FAILS", "{layout}:\n{said}");
        // Tested from where its up really starts, after all the broken ones.
        assert_eq!(verdict(&said, "index_name"), "ok", "{layout}:\n{said}");
        // The differences, as the SQL that would restore the schema before.
        assert!(
            said.contains("DROP TABLE public.posts"),
            "{layout}:\n{said}"
        );
        assert!(
            said.contains("ALTER COLUMN name DROP DEFAULT"),
            "{layout}:\n{said}"
        );
        assert!(
            said.contains("ALTER COLUMN score TYPE integer"),
            "{layout}:\n{said}"
        );
        assert!(said.contains("\"tag\" does not exist"), "{layout}:\n{said}");
        assert!(
            said.contains("2 restored, 0 without a down by design, 5 with a problem"),
            "{layout}:\n{said}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn clean_histories_are_reported_clean_in_every_layout() {
    for layout in ["pgshift", "sqlx", "golang-migrate", "diesel"] {
        let dir = write_history(layout, CLEAN);
        let out = pgshift_test(&dir, &[".", "--layout", layout]);
        let said = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{layout}:\n{said}");
        assert!(
            said.contains("3 restored, 0 without a down by design, 0 with a problem"),
            "{layout}:\n{said}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn refinery_has_no_downs_and_says_so() {
    let dir = write_history("refinery", CLEAN);
    std::fs::write(dir.join("U9__refresh.sql"), "CREATE TABLE cache (k text);").unwrap();
    let out = pgshift_test(&dir, &["."]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("(refinery layout)"), "{said}");
    assert!(said.contains("refinery migrations have no down"), "{said}");
    assert!(
        said.contains("a refinery U file is an unversioned up"),
        "{said}"
    );
    assert!(
        said.contains("0 restored, 4 without a down by design, 0 with a problem"),
        "{said}"
    );

    // An up that fails stops the run there: nothing after it is tested, exit 1.
    std::fs::write(
        dir.join("V2__add_email.sql"),
        "ALTER TABLE nope ADD COLUMN x int;",
    )
    .unwrap();
    let out = pgshift_test(&dir, &["."]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert_eq!(verdict(&said, "add_email"), "UP FAILS", "{said}");
    assert!(said.contains("V2__add_email.sql:1:"), "{said}");
    assert_eq!(verdict(&said, "index_name"), "skipped", "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// refinery runs every migration in a transaction (no per-migration way out): a file
/// PostgreSQL refuses there is named, with what to do, and the run fails, though
/// pgshift itself ran it outside one.
#[test]
fn a_refinery_file_refinery_cannot_run_is_named() {
    let dir = write_history("refinery", &CLEAN[..1]);
    std::fs::write(
        dir.join("V7__index_name.sql"),
        "-- An index built without blocking writes.\nCREATE INDEX CONCURRENTLY users_name\n    ON users (name);",
    )
    .unwrap();
    let out = pgshift_test(&dir, &["."]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("refinery cannot run ") && said.contains("V7__index_name.sql: `CREATE INDEX CONCURRENTLY users_name ON users (name)` cannot run in a transaction"),
        "{said}"
    );
    assert!(said.contains("--squash"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_generated_project_history_is_clean_and_a_bad_folder_is_an_error() {
    let p = Project::new("CREATE TABLE t (id bigint PRIMARY KEY, a text);");
    p.ok(&["generate", "-m", "init"]);
    p.model("CREATE TABLE t (id bigint PRIMARY KEY, a text NOT NULL DEFAULT 'x', b int);\nCREATE INDEX t_a ON t (a);");
    p.ok(&["generate", "-m", "more"]);
    // No DIR: the project's migrations.
    let said = p.ok(&["test"]);
    assert!(said.contains("(pgshift layout)"), "{said}");
    assert!(
        !said.contains("DIFFERS") && said.contains("0 with a problem"),
        "{said}"
    );

    let empty = temp_dir("history-empty");
    let out = pgshift_test(&empty, &["."]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("no migrations found"), "{said}");
    std::fs::remove_dir_all(&empty).unwrap();
}

#[test]
fn data_proof_catches_a_hand_written_narrowing_type_change() {
    let history: &[Step] = &[
        (
            "create_items",
            "CREATE TABLE shops (id bigint PRIMARY KEY, name text NOT NULL UNIQUE CHECK (length(name) > 3));\n\
             CREATE TABLE items (id bigint PRIMARY KEY, shop bigint NOT NULL REFERENCES shops, \
             price numeric(10,2) NOT NULL, qty integer CHECK (qty > 0), sku varchar(12));",
            Some("DROP TABLE items;\nDROP TABLE shops;"),
        ),
        (
            "widen_qty",
            "ALTER TABLE items ALTER COLUMN qty TYPE bigint;",
            Some("ALTER TABLE items ALTER COLUMN qty TYPE integer;"),
        ),
        (
            "price_in_cents",
            "ALTER TABLE items ALTER COLUMN price TYPE integer;",
            Some("ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2);"),
        ),
    ];
    let dir = write_history("diesel", history);
    // Without --data the schema round-trips: nothing to report.
    let out = pgshift_test(&dir, &["."]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));

    let out = pgshift_test(&dir, &[".", "--data"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert_eq!(verdict(&said, "create_items"), "ok", "{said}");
    // Widening keeps every value.
    assert_eq!(verdict(&said, "widen_qty"), "ok", "{said}");
    assert_eq!(verdict(&said, "price_in_cents"), "DATA", "{said}");
    assert!(
        said.contains("public.items.price: 3 of 3 values changed without a DATA_LOSS hazard"),
        "{said}"
    );
    assert!(!said.contains("note: no generated row fits"), "{said}");

    // Declared in the file, the loss is accepted.
    let up = dir.join("2024-01-01-000003_price_in_cents/up.sql");
    std::fs::write(
        &up,
        "-- hazard DATA_LOSS: the cents are rounded away\nALTER TABLE items ALTER COLUMN price TYPE integer;\n",
    )
    .unwrap();
    let out = pgshift_test(&dir, &[".", "--data"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");

    // A hand-written drop of a column that holds values is a loss too.
    std::fs::create_dir_all(dir.join("2024-01-01-000004_drop_sku")).unwrap();
    std::fs::write(
        dir.join("2024-01-01-000004_drop_sku/up.sql"),
        "ALTER TABLE items DROP COLUMN sku;",
    )
    .unwrap();
    std::fs::write(
        dir.join("2024-01-01-000004_drop_sku/down.sql"),
        "ALTER TABLE items ADD COLUMN sku varchar(12);",
    )
    .unwrap();
    let out = pgshift_test(&dir, &[".", "--data"]);
    let said = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert_eq!(verdict(&said, "drop_sku"), "DATA", "{said}");
    assert!(
        said.contains("public.items.sku: the column is gone with its values"),
        "{said}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn data_proof_with_a_seed_file_and_a_generated_history() {
    let p = Project::new(
        "CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n\
         CREATE TABLE books (id bigserial PRIMARY KEY, author bigint REFERENCES authors, title text, pages smallint);",
    );
    p.ok(&["generate", "-m", "init"]);
    p.model(
        "CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n\
         CREATE TABLE books (id bigserial PRIMARY KEY, author bigint REFERENCES authors, pages integer);",
    );
    p.ok(&["generate", "-m", "drop title, widen pages"]);
    // pgshift's own files declare the DATA_LOSS of dropping title: proved clean.
    let said = p.ok(&["test", "--data"]);
    assert!(said.contains("0 with a problem"), "{said}");
    assert!(!said.contains("note:"), "{said}");

    // A seed file instead of generated rows: a statement for a column that is gone is
    // skipped, the others load.
    std::fs::write(
        p.dir.join("seed.sql"),
        "INSERT INTO authors (name) VALUES ('Ann');\n\
         INSERT INTO books (author, title, pages) SELECT id, 'T', 12 FROM authors;\n\
         INSERT INTO books (author, pages) SELECT id, 7 FROM authors;\n",
    )
    .unwrap();
    let said = p.ok(&["test", "--data", "--seed", "seed.sql"]);
    assert!(said.contains("0 with a problem"), "{said}");

    // A hand-written migration that deletes the seeded short books: caught with the
    // seed's rows (generated rows have other page counts).
    p.write(
        99990101000000,
        "prune",
        "DELETE FROM books WHERE pages = 7;\n",
        Some("SELECT 1;\n"),
    );
    let said = p.ok(&["test", "--data"]);
    assert!(said.contains("0 with a problem"), "{said}");
    let said = p.fails(&["test", "--data", "--seed", "seed.sql"], 1);
    assert_eq!(verdict(&said, "prune"), "DATA", "{said}");
    // The seed runs before each up, so books has rows per run and author (how many
    // depends on how many migrations the history has); the prune deletes the short ones.
    let line = said
        .lines()
        .find(|l| l.contains("- public.books: "))
        .unwrap_or_else(|| panic!("{said}"));
    let counts: Vec<i64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        counts.len() == 2 && counts[1] < counts[0],
        "rows lost must show: {line}"
    );
}

#[test]
fn check_caches_replays_and_a_cached_entry_never_hides_a_change() {
    let p = Project::new("CREATE TABLE t (id bigint PRIMARY KEY);");
    p.ok(&["generate", "-m", "init"]);
    let cache = p.dir.join(".pgshift/replay-cache");
    let _ = std::fs::remove_dir_all(p.dir.join(".pgshift"));
    assert!(p.ok(&["check"]).contains("OK"));
    let entries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&cache)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    assert_eq!(entries().len(), 1, "one entry after a check");
    assert_eq!(
        std::fs::read_to_string(p.dir.join(".pgshift/.gitignore")).unwrap(),
        "*\n"
    );
    // Warm: the same answer.
    assert!(p.ok(&["check"]).contains("OK"));
    // The model changes, the files do not: the entry is not trusted for a difference.
    p.model("CREATE TABLE t (id bigint PRIMARY KEY, a text);");
    let said = p.fails(&["check"], 1);
    assert!(said.contains("add column public.t.a"), "{said}");
    // New files: a new entry.
    p.ok(&["generate", "-m", "a"]);
    assert!(p.ok(&["check"]).contains("OK"));
    assert_eq!(entries().len(), 2);
    // An entry that does not read is replayed over; a deleted cache is rebuilt.
    for e in entries() {
        std::fs::write(e, "not json").unwrap();
    }
    assert!(p.ok(&["check"]).contains("OK"));
    std::fs::remove_dir_all(p.dir.join(".pgshift")).unwrap();
    assert!(p.ok(&["check"]).contains("OK"));
    assert_eq!(entries().len(), 1);
}
