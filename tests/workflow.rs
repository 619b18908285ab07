//! The migration workflow end to end, as a user runs it in a project folder, on real
//! PostgreSQL: init, generate, upgrade, check, downgrade, status, concurrent runners and
//! failing migrations.

mod common;

use common::TestDb;
use std::path::PathBuf;
use std::process::{Command, Output};

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(schema: &str) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "pgshift-project-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = Project { dir };
        p.model(schema);
        p
    }

    fn model(&self, schema: &str) {
        std::fs::write(self.dir.join("schema.sql"), schema).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("DATABASE_URL")
            .env_remove("PGSHIFT_DEV_URL")
            .output()
            .expect("run pgshift")
    }

    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(args, self.run(args))
    }

    fn migrations(&self) -> Vec<String> {
        common::project::listing(&self.dir.join("migrations"))
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const V1: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);";
const V2: &str = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, nickname text);
CREATE INDEX users_email_idx ON users (lower(email));";

fn applied(db: &TestDb) -> Vec<i64> {
    db.client()
        .query(
            "SELECT version FROM public.pgshift_migrations ORDER BY version",
            &[],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

#[test]
fn init_generate_upgrade_check_downgrade() {
    let p = Project::new(V1);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    assert!(p.dir.join("pgshift.toml").exists());

    // A model with no migration yet: check fails (1), generate writes the first one.
    assert_eq!(p.run(&["check"]).status.code(), Some(1));
    p.ok(&["generate", "-m", "create users"]);
    assert_eq!(p.migrations().len(), 2, "{:?}", p.migrations());
    assert!(p.ok(&["check"]).contains("OK"));
    assert!(p.ok(&["generate", "-m", "nothing"]).contains("No changes"));
    assert_eq!(p.migrations().len(), 2);

    p.ok(&["upgrade", "--all", "--database", &url]);
    assert_eq!(applied(&db).len(), 1);

    // The model changes: check fails until a migration holds the change.
    p.model(V2);
    let check = p.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("nickname"));
    p.ok(&["generate", "-m", "nicknames"]);
    assert!(p.ok(&["check"]).contains("OK"));
    // Status lists what is pending and exits 1 while something is.
    assert_eq!(
        p.run(&["status", "--database", &url]).status.code(),
        Some(1)
    );
    p.ok(&["upgrade", "--all", "--database", &url]);
    assert_eq!(
        p.run(&["status", "--database", &url]).status.code(),
        Some(0)
    );
    let all = applied(&db);
    assert!(all.len() >= 2, "{all:?}");

    // The database now matches the model; downgrade -1 and upgrade again.
    let live_vs_model = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(["diff", "--from", &url, "--to", "schema.sql"])
        .current_dir(&p.dir)
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&live_vs_model.stdout).to_string();
    assert!(
        !diff.contains("nickname") && !diff.contains("users_email_idx"),
        "{diff}"
    );
    p.ok(&["downgrade", "-1", "--database", &url]);
    assert_eq!(applied(&db).len(), all.len() - 1);
    p.ok(&["upgrade", "--all", "--database", &url]);
    assert_eq!(applied(&db), all);
    assert!(p
        .ok(&["current", "--database", &url])
        .contains(&all.last().unwrap().to_string()));
    assert_eq!(
        p.ok(&["history", "--database", &url]).lines().count(),
        all.len()
    );
    p.ok(&["downgrade", "base", "--database", &url]);
    assert!(applied(&db).is_empty());
    assert!(!db.schema().tables.keys().any(|t| t.name == "users"));
}

#[test]
fn two_runners_at_once_apply_each_migration_once() {
    let p = Project::new(V2);
    let db = TestDb::new();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    let url = db.url();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(["upgrade", "--all", "--database", &url])
            .current_dir(&p.dir)
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(
        b.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    let versions = applied(&db);
    let mut unique = versions.clone();
    unique.dedup();
    assert_eq!(versions, unique);
    assert_eq!(versions.len(), p.migrations().len() / 2);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout)
    );
    assert_eq!(said.matches("applied ").count(), versions.len(), "{said}");
}

#[test]
fn a_failing_migration_leaves_no_trace_in_the_version_table() {
    let p = Project::new(V1);
    let db = TestDb::new();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    let broken = p
        .dir
        .join("migrations")
        .join("29990101000000_broken.up.sql");
    std::fs::write(
        &broken,
        "CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;\n",
    )
    .unwrap();
    let out = p.run(&["upgrade", "--all", "--database", &db.url()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("29990101000000") && err.contains("no_such_table"),
        "{err}"
    );
    assert!(
        err.contains("in statement: ALTER TABLE no_such_table"),
        "{err}"
    );
    // The first migration is applied, the broken one is not, and its first statement
    // was rolled back with it.
    assert_eq!(applied(&db).len(), 1);
    assert!(!db.schema().tables.keys().any(|t| t.name == "half_done"));
}

#[test]
fn help_of_every_command_is_stable() {
    let p = Project::new(V1);
    for cmd in [
        "init",
        "generate",
        "merge",
        "upgrade",
        "complete",
        "downgrade",
        "current",
        "history",
        "status",
        "check",
        "verify",
        "inspect",
        "diff",
        "test",
        "stamp",
        "squash",
    ] {
        let help = p.ok(&[cmd, "--help"]);
        insta::with_settings!({
            snapshot_path => "../snapshots/cli",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("help_{cmd}"), help);
        });
    }
}

#[test]
fn verify_catches_edited_files_and_schema_drift() {
    let p = Project::new(V2);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(p
        .ok(&["verify", "--database", &url, "--schema"])
        .contains("OK"));

    // Someone changes the live schema by hand: --schema shows the drift as SQL.
    db.psql("CREATE TABLE stray (id int)").unwrap();
    let out = p.run(&["verify", "--database", &url, "--schema"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("DROP TABLE public.stray"));
    db.psql("DROP TABLE stray").unwrap();

    // An applied migration's file is edited: verify fails and names it.
    let up = std::fs::read_dir(p.dir.join("migrations"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|f| f.to_string_lossy().ends_with(".up.sql"))
        .unwrap();
    let mut text = std::fs::read_to_string(&up).unwrap();
    text.push_str("-- an afterthought\n");
    std::fs::write(&up, text).unwrap();
    let out = p.run(&["verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("was edited after it was applied"));

    // And a deleted one.
    std::fs::remove_file(&up).unwrap();
    let out = p.run(&["verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("its file is gone"));
}

const WITH_A: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE a (id int PRIMARY KEY);";
const WITH_B: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE b (id int PRIMARY KEY);";
const WITH_BOTH: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY);";

impl Project {
    /// Generates a migration for `schema` and returns the files it wrote.
    fn generate_files(&self, schema: &str, message: &str) -> Vec<String> {
        let before = self.migrations();
        self.model(schema);
        self.ok(&["generate", "-m", message]);
        // Versions are seconds: the next branch's migration gets a later one.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let mut new = self.migrations();
        new.retain(|f| !before.contains(f));
        new
    }

    fn fails_with(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "pgshift {args:?}: {err}");
        err
    }

    /// Moves migration files out of the folder (another branch's), or back.
    fn set_aside(&self, files: &[String], away: bool) {
        let (here, aside) = (self.dir.join("migrations"), self.dir.join("aside"));
        std::fs::create_dir_all(&aside).unwrap();
        for f in files {
            let (from, to) = if away {
                (&here, &aside)
            } else {
                (&aside, &here)
            };
            std::fs::rename(from.join(f), to.join(f)).unwrap();
        }
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join("migrations").join(file)).unwrap()
    }
}

/// Two branches each add a migration after the same parent. The second branch's database
/// already applied its own; then both branches meet.
#[test]
fn two_branches_are_refused_until_merged_then_both_apply() {
    let p = Project::new(V1);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    let base = p.generate_files(V1, "users");
    let one = p.generate_files(WITH_A, "branch one");
    // Branch two does not have branch one's migration yet.
    p.set_aside(&one, true);
    let two = p.generate_files(WITH_B, "branch two");
    p.ok(&["upgrade", "--all", "--database", &url]);
    p.set_aside(&one, false);
    let version = |files: &[String]| files[0].split('_').next().unwrap().to_string();
    let (v0, v1, v2) = (version(&base), version(&one), version(&two));
    assert!(v1 < v2, "{v1} {v2}");
    let up = |files: &[String]| p.read(files.iter().find(|f| f.ends_with(".up.sql")).unwrap());
    assert!(up(&one).contains(&format!("-- parent: {v0}\n")));
    assert!(up(&two).contains(&format!("-- parent: {v0}\n")));

    // Every command that builds on the history refuses, says why and what to run.
    p.model(WITH_BOTH);
    for args in [
        vec!["check"],
        vec!["generate", "-m", "more"],
        vec!["upgrade", "--all", "--database", &url],
    ] {
        let err = p.fails_with(&args, 2);
        assert!(
            err.contains("2 heads") && err.contains(&v1) && err.contains(&v2),
            "{err}"
        );
        assert!(err.contains("run `pgshift merge"), "{err}");
    }
    assert_eq!(p.migrations().len(), 6, "nothing was written");

    let merged = p.ok(&["merge", "-m", "join branches"]);
    assert!(
        merged.contains(&format!("Merged heads {v1}, {v2}")),
        "{merged}"
    );
    let merge_up = p
        .migrations()
        .into_iter()
        .find(|f| f.ends_with("_join_branches.up.sql"))
        .expect("a merge migration");
    assert!(
        p.read(&merge_up)
            .contains(&format!("-- parent: {v1}, {v2}\n-- created: ")),
        "{}",
        p.read(&merge_up)
    );
    assert!(p.ok(&["check"]).contains("OK"));
    assert!(p.ok(&["generate", "-m", "nothing"]).contains("No changes"));

    // The database has base and branch two: branch one's older migration still runs.
    let up = p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(
        up.contains(&format!(
            "applied {v1} branch_one (out of order: newer migration {v2} was already applied"
        )),
        "{up}"
    );
    assert!(up.contains("join_branches"), "{up}");
    assert_eq!(applied(&db).len(), 4);
    let tables: Vec<String> = db
        .schema()
        .tables
        .keys()
        .map(|t| t.name.to_string())
        .collect();
    assert!(
        tables.contains(&"a".into()) && tables.contains(&"b".into()),
        "{tables:?}"
    );
    // And the merge reverts like any migration.
    p.ok(&["downgrade", "-1", "--database", &url]);
    assert_eq!(applied(&db).len(), 3);
    assert!(p.fails_with(&["merge"], 2).contains("nothing to merge"));
}

#[test]
fn branches_that_change_the_same_column_are_not_merged() {
    let p = Project::new(V1);
    p.ok(&["init"]);
    p.generate_files(V1, "users");
    let nick = |ty: &str| {
        format!("CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, nick {ty});")
    };
    let one = p.generate_files(&nick("text"), "nick as text");
    p.set_aside(&one, true);
    p.generate_files(&nick("int"), "nick as int");
    p.set_aside(&one, false);
    let before = p.migrations();
    let err = p.fails_with(&["merge"], 2);
    assert!(
        err.contains("the branches change the same objects")
            && err.contains("column public.users.nick"),
        "{err}"
    );
    assert_eq!(p.migrations(), before, "nothing was written");
}

#[test]
fn init_templates_copies_the_defaults_which_then_shape_the_files() {
    let p = Project::new(V1);
    let out = p.ok(&["init", "--templates"]);
    assert!(out.contains("templates/sql/up.sql.j2"), "{out}");
    let toml = std::fs::read_to_string(p.dir.join("pgshift.toml")).unwrap();
    assert!(toml.contains("templates = \"templates\""), "{toml}");
    let up_template = p.dir.join("templates/sql/up.sql.j2");
    let default = std::fs::read_to_string(&up_template).unwrap();

    // A second copy refuses to overwrite and writes nothing.
    std::fs::remove_file(p.dir.join("pgshift.toml")).unwrap();
    std::fs::write(&up_template, "changed").unwrap();
    let err = p.fails_with(&["init", "--templates"], 2);
    assert!(
        err.contains("templates/sql/down.sql.j2") || err.contains("templates/sql/up.sql.j2"),
        "{err}"
    );
    assert!(err.contains("already exists"), "{err}");
    assert!(!p.dir.join("pgshift.toml").exists());
    assert_eq!(std::fs::read_to_string(&up_template).unwrap(), "changed");
    p.ok(&["init"]);

    // The project's template is used.
    std::fs::write(
        &up_template,
        default.replace(
            "-- message: {{ message }}\n",
            "-- message: {{ message }}\n-- reviewed-by: nobody yet\n",
        ),
    )
    .unwrap();
    p.ok(&["generate", "-m", "users"]);
    let up = p
        .migrations()
        .into_iter()
        .find(|f| f.ends_with(".up.sql"))
        .unwrap();
    assert!(p
        .read(&up)
        .contains("-- message: users\n-- reviewed-by: nobody yet\n"));

    // A broken template: the error names its file and line, and nothing is written.
    p.model(V2);
    let before = p.migrations();
    std::fs::write(
        &up_template,
        "-- pgshift migration: {{ version }}\n-- {{ no_such_value }}\n",
    )
    .unwrap();
    let err = p.fails_with(&["generate", "-m", "more"], 2);
    assert!(
        err.contains("templates/sql/up.sql.j2:2: template error"),
        "{err}"
    );
    assert!(err.contains("undefined"), "{err}");
    std::fs::write(&up_template, "{% if %}\n").unwrap();
    let err = p.fails_with(&["generate", "-m", "more"], 2);
    assert!(
        err.contains("templates/sql/up.sql.j2:1: template error: syntax error"),
        "{err}"
    );
    // A template that drops the header the runners read back is refused too.
    std::fs::write(&up_template, "{{ script }}").unwrap();
    let err = p.fails_with(&["generate", "-m", "more"], 2);
    assert!(err.contains("-- parent:"), "{err}");
    assert_eq!(p.migrations(), before);
}

/// The sea-orm format: modules for sea-orm-migration, registered in its Migrator, that
/// compile against the real crate (pinned by tests/fixtures/sea-orm-migration/Cargo.lock;
/// crates.io must be reachable the first time, and a missing cargo fails the test) and
/// that sea-orm-migration runs on PostgreSQL.
#[test]
fn sea_orm_format_compiles_with_sea_orm_migration() {
    let p = Project::new(V1);
    let db = TestDb::new();
    p.ok(&["init", "--format", "sea-orm"]);
    let krate = p.dir.join("migration");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sea-orm-migration");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "src/main.rs", "src/phases.rs"] {
        std::fs::copy(fixture.join(f), krate.join(f)).unwrap();
    }
    p.ok(&["generate", "-m", "create users"]);
    let lib = krate.join("src/lib.rs");
    assert!(lib.exists(), "generate writes lib.rs when there is none");
    // A quote, a backslash and an index built concurrently (outside a transaction).
    let notes = format!("{V2}\nCREATE TABLE notes (body text DEFAULT 'it''s C:\\path \"x\"');");
    p.model(&notes);
    p.ok(&["generate", "-m", "nicknames"]);
    // A value added to an enum: ALTER TYPE ... ADD VALUE runs outside a transaction, its
    // downgrade (the type recreated) inside one.
    p.model(&format!("{notes}\nCREATE TYPE mood AS ENUM ('ok');"));
    p.ok(&["generate", "-m", "moods"]);
    p.model(&format!("{notes}\nCREATE TYPE mood AS ENUM ('ok', 'meh');"));
    p.ok(&["generate", "-m", "meh"]);
    let modules: Vec<String> = std::fs::read_dir(krate.join("src"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|f| f.starts_with('m') && f.ends_with(".rs") && f != "main.rs")
        .collect();
    assert!(modules.len() >= 3, "{modules:?}");
    let lib_text = std::fs::read_to_string(&lib).unwrap();
    for m in &modules {
        let name = m.trim_end_matches(".rs");
        assert!(lib_text.contains(&format!("mod {name};")), "{lib_text}");
        assert!(
            lib_text.contains(&format!("Box::new({name}::Migration)")),
            "{lib_text}"
        );
    }
    let texts: Vec<String> = modules
        .iter()
        .map(|m| std::fs::read_to_string(krate.join("src").join(m)).unwrap())
        .collect();
    let concurrent = texts
        .iter()
        .find(|t| t.contains("CREATE INDEX CONCURRENTLY"))
        .expect("a module that builds the index concurrently");
    assert!(
        concurrent.contains("fn use_transaction(&self) -> Option<bool> {\n        Some(false)"),
        "{concurrent}"
    );
    assert!(concurrent.contains("//! parent: "), "{concurrent}");
    let mixed = texts
        .iter()
        .find(|t| t.contains("ADD VALUE"))
        .expect("a module that adds an enum value");
    assert!(
        mixed.contains("Some(false)") && mixed.contains("let txn = manager.begin().await?;"),
        "{mixed}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains(r#"DEFAULT 'it''s C:\\path \"x\"'::text"#)),
        "{texts:#?}"
    );

    // check replays the SQL read back from the modules; the runner leaves them to sea-orm.
    assert!(p.ok(&["check"]).contains("OK"));
    p.model(V1);
    assert_eq!(p.run(&["check"]).status.code(), Some(1));
    let err = p.fails_with(&["upgrade", "--all", "--database", &db.url()], 2);
    assert!(err.contains("sea-orm-migration's CLI"), "{err}");

    // Cargo on the generated crate, in a target folder kept between runs (incremental).
    let cargo = |args: &[&str]| -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let target =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sea-orm-fixture");
        let started = std::time::Instant::now();
        let out = Command::new(&cargo)
            .args(args)
            .args(["--locked", "--quiet", "--manifest-path"])
            .arg(krate.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env("DATABASE_URL", db.url())
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
        eprintln!(
            "cargo {args:?} on the sea-orm crate: {:?}",
            started.elapsed()
        );
        assert!(
            out.status.success(),
            "cargo {args:?} on the generated sea-orm crate failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            texts.join("\n")
        );
        out
    };
    let out = cargo(&["check"]);
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(!warnings.contains("warning"), "{warnings}");

    // sea-orm-migration runs them: up, down, up (a concurrent index build in a
    // transaction would fail), and the database ends up as the model says (the model
    // again: the check above changed it).
    p.model(&format!("{notes}\nCREATE TYPE mood AS ENUM ('ok', 'meh');"));
    let out = cargo(&["run", "--bin", "migrate"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!("applied {}", modules.len())),
        "{said}"
    );
    let diff = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(["diff", "--from", &db.url(), "--to", "schema.sql"])
        .current_dir(&p.dir)
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&diff.stdout).to_string();
    // sea-orm-migration's own table is not in the model, and diff leaves it out.
    assert!(!diff.contains("seaql_migrations"), "{diff}");
    assert!(
        !diff.contains("users") && !diff.contains("notes") && !diff.contains("mood"),
        "{diff}"
    );
}

/// A type change with no cast, in a project: `check` reports it as a change (not a
/// "no cast" error) and `generate` writes it with the model's `using` hint, whether or
/// not the history was replayed before (the replay cache).
#[test]
fn check_and_generate_use_the_models_using_hint() {
    let p = Project::new("CREATE TABLE tickets (id bigint PRIMARY KEY, opened bigint NOT NULL);");
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "tickets"]);
    assert!(p.ok(&["check"]).contains("OK"));
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql("INSERT INTO tickets VALUES (1, 1767225600)")
        .unwrap();
    p.model(
        "CREATE TABLE tickets (\n    id bigint PRIMARY KEY,\n    opened timestamptz \
         /* pgshift: downgrade_using extract(epoch FROM opened)::bigint */\n        NOT NULL \
         -- pgshift: using to_timestamp(opened)\n);\n",
    );
    let check = p.run(&["check"]);
    let text = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{text}");
    assert!(text.contains("opened"), "{text}");
    p.ok(&["generate", "-m", "opened as a time"]);
    assert!(p.ok(&["check"]).contains("OK"));
    let up: String = p
        .migrations()
        .iter()
        .filter(|m| m.contains("opened"))
        .map(|m| std::fs::read_to_string(p.dir.join("migrations").join(m)).unwrap())
        .collect();
    assert!(up.contains("USING (to_timestamp(opened))"), "{up}");
    assert!(
        up.contains("USING (extract(epoch FROM opened)::bigint)"),
        "{up}"
    );
    p.ok(&["upgrade", "--all", "--database", &url]);
    let day: String = db
        .client()
        .query_one(
            "SELECT to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM tickets",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(day, "2026-01-01");
    p.ok(&["downgrade", "-1", "--database", &url]);
    let back: i64 = db
        .client()
        .query_one("SELECT opened FROM tickets", &[])
        .unwrap()
        .get(0);
    assert_eq!(back, 1767225600);
}
