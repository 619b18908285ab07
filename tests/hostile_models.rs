//! Hostile models, through the `pgshift` binary on real PostgreSQL: model text never gets
//! server-side file or program access (it runs as a role without superuser rights), text
//! that leaves its slot in a TOML or Rust model is refused at its file:line:col, names
//! PostgreSQL would cut are refused, a byte order mark is skipped, and a check expression
//! with a multi-byte character is loaded, not a panic.

mod common;

use common::{dev_url, TestDb};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A folder the server's OS user may write to: if an attack got through, its file
/// would appear here.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = PathBuf::from(format!(
            "/tmp/pgshift-hostile-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        Sandbox { dir }
    }

    fn path(&self, file: &str) -> String {
        self.dir.join(file).display().to_string()
    }

    fn write(&self, file: &str, text: &str) -> String {
        let p = self.dir.join(file);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    /// Files other than the models written into the sandbox.
    fn planted(&self) -> Vec<String> {
        std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("pwned"))
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn pgshift(args: &[&str], dev: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
    cmd.args(args)
        .env_remove("PGSHIFT_DEV_URL")
        .env_remove("DATABASE_URL");
    if let Some(url) = dev {
        cmd.env("PGSHIFT_DEV_URL", url);
    }
    cmd.output().expect("run pgshift")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The attacks a model could make on the server, each planting a file or reading one.
fn attacks(s: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        (
            "program",
            format!(
                "COPY (SELECT 1) TO PROGRAM 'touch {}'",
                s.path("pwned-program")
            ),
        ),
        (
            "file",
            format!("COPY (SELECT 1) TO '{}'", s.path("pwned-file")),
        ),
        ("read", "SELECT pg_read_file('/etc/passwd')".to_string()),
        ("lo_import", "SELECT lo_import('/etc/passwd')".to_string()),
    ]
}

/// A model that names a table after the role it runs as, and says whether that role is a
/// superuser.
const WHOAMI: &str = "DO $$BEGIN EXECUTE format('CREATE TABLE %I (id int)', current_user || '_' || \
    (SELECT CASE WHEN rolsuper THEN 'super' ELSE 'plain' END FROM pg_roles WHERE rolname = current_user)); END$$;\n";

/// The same attacks work for a superuser: the sandbox really is writable by the server,
/// so the tests below would see a file if an attack got through.
#[test]
fn the_attacks_work_for_a_superuser() {
    let s = Sandbox::new("control");
    let db = TestDb::new();
    for (_, attack) in attacks(&s) {
        db.psql(&format!("{attack};"))
            .unwrap_or_else(|e| panic!("{attack}: {e}"));
    }
    let mut planted = s.planted();
    planted.sort();
    assert_eq!(planted, ["pwned-file", "pwned-program"]);
}

/// PostgreSQL's refusal: `permission denied for function ...`, or for COPY to a file or
/// program, `must be superuser or have privileges of the pg_..._server_... role`.
fn denied(out: &Output) -> bool {
    let t = text(out);
    t.contains("permission denied") || t.contains("must be superuser or have privileges of the pg_")
}

fn assert_refused(out: &Output, s: &Sandbox, location: &str, what: &str) {
    let shown = text(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {shown}");
    assert!(
        shown.contains(location),
        "{what}: the error does not name {location}:\n{shown}"
    );
    assert!(!shown.contains("root:x:0:0"), "{what}: file read:\n{shown}");
    assert!(!shown.contains("panicked"), "{what}: {shown}");
    assert!(s.planted().is_empty(), "{what}: planted {:?}", s.planted());
}

#[test]
fn a_sql_model_cannot_reach_server_files_or_programs() {
    let s = Sandbox::new("sql");
    for dev in [None, Some(dev_url())] {
        for (name, attack) in attacks(&s) {
            let model = s.write(
                &format!("{name}.sql"),
                &format!("CREATE TABLE t (id int);\n\n{attack};\n"),
            );
            let out = pgshift(&["inspect", &model], dev.as_deref());
            assert_refused(&out, &s, &format!("{model}:3:"), &format!("{name} {dev:?}"));
            assert!(denied(&out), "{}", text(&out));
        }
    }
    // Who runs the model: a table named after the role, and whether it is a superuser.
    let model = s.write("whoami.sql", WHOAMI);
    let out = pgshift(&["inspect", &model], None);
    assert!(
        text(&out).contains("CREATE TABLE public.pgshift_model_plain"),
        "{}",
        text(&out)
    );
    // On a --dev-url server as a superuser: a temporary role, gone with the process.
    let child = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(["inspect", &model])
        .env("PGSHIFT_DEV_URL", dev_url())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        text(&out).contains(&format!("CREATE TABLE public.pgshift_model_{pid}_0_plain")),
        "{}",
        text(&out)
    );
    let left: i64 = TestDb::new()
        .client()
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE $1",
            &[&format!("pgshift\\_model\\_{pid}\\_%")],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        left, 0,
        "the temporary role of pgshift {pid} was left behind"
    );
    // `diff` loads models the same way.
    let model = s.write("diff.sql", &format!("{};\n", attacks(&s)[0].1));
    let out = pgshift(&["diff", "--from", &model, "--to", &model], None);
    assert_refused(&out, &s, &format!("{model}:1:"), "diff");
}

#[test]
fn a_sql_model_cannot_take_a_superuser_role_or_change_the_server() {
    let s = Sandbox::new("role");
    for (name, attack) in [
        ("set_role", "SET ROLE postgres"),
        ("session", "SET SESSION AUTHORIZATION postgres"),
        ("set_config", "SELECT set_config('role', 'postgres', false)"),
        ("create_role", "CREATE ROLE evil SUPERUSER"),
        ("alter_system", "ALTER SYSTEM SET work_mem = '1GB'"),
        (
            "language",
            "CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'libc', 'getpid'",
        ),
    ] {
        let model = s.write(
            &format!("{name}.sql"),
            &format!("CREATE TABLE t (id int);\n{attack};\n"),
        );
        let out = pgshift(&["inspect", &model], None);
        assert_refused(&out, &s, &format!("{model}:2:1:"), name);
    }
}

#[test]
fn an_extension_a_sql_model_declares_is_created_but_nothing_else_runs_as_superuser() {
    let s = Sandbox::new("ext");
    let model = s.write(
        "ext.sql",
        "CREATE SCHEMA ext;\nCREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ext;\n\
         CREATE TABLE t (name text);\n\
         CREATE INDEX t_name_trgm ON t USING gin (name ext.gin_trgm_ops);\n",
    );
    let out = pgshift(&["inspect", &model], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("gin_trgm_ops"), "{}", text(&out));

    // Extensions that give a superuser file, program or connection access: the model
    // may declare them, and they are created, but their use stays a superuser's.
    let c = common::cluster();
    let local = format!(
        "host={} port={} user={} dbname=postgres",
        c.socket_dir().display(),
        c.port(),
        c.superuser()
    );
    let program = format!(
        "COPY (SELECT 1) TO PROGRAM ''touch {}''",
        s.path("pwned-dblink")
    );
    for (name, model) in [
        (
            "adminpack",
            format!(
                "CREATE EXTENSION adminpack;\nSELECT pg_catalog.pg_file_write('{}', 'x', false);\n",
                s.path("pwned-adminpack")
            ),
        ),
        (
            "file_fdw",
            "CREATE EXTENSION file_fdw;\nCREATE SERVER files FOREIGN DATA WRAPPER file_fdw;\n\
             CREATE FOREIGN TABLE passwd (line text) SERVER files OPTIONS (filename '/etc/passwd');\n"
                .to_string(),
        ),
        (
            "dblink",
            format!(
                "CREATE EXTENSION dblink;\nSELECT dblink_exec('{local}', '{program}');\n"
            ),
        ),
    ] {
        let model = s.write(&format!("{name}.sql"), &model);
        let out = pgshift(&["inspect", &model], Some(&dev_url()));
        assert_refused(&out, &s, &format!("{model}:"), name);
        let shown = text(&out);
        assert!(
            denied(&out) || shown.contains("password is required"),
            "{name}: {shown}"
        );
    }
}

#[test]
fn toml_expressions_that_leave_their_slot_are_refused_at_their_line() {
    let s = Sandbox::new("toml");
    let program = format!(
        "COPY (SELECT 1) TO PROGRAM 'touch {}'",
        s.path("pwned-toml")
    );
    let cases = [
        ("type", format!("type = \"int; {program}; --\"")),
        (
            "default",
            format!("type = \"int\"\ndefault = \"0); {program}; --\""),
        ),
        (
            "default2",
            "type = \"int\"\ndefault = \"0, evil int\"".to_string(),
        ),
    ];
    for (name, column) in cases {
        let toml = format!(
            "[tables.t]\n\n[[tables.t.columns]]\nname = \"id\"\n{}\n",
            column
        );
        let model = s.write(&format!("{name}.toml"), &toml);
        let out = pgshift(&["inspect", &model], None);
        assert_refused(&out, &s, &format!("{model}:3:"), name);
        assert!(
            text(&out).contains("must be one SQL expression"),
            "{}",
            text(&out)
        );
    }
    let check = format!(
        "[tables.t]\n\n[[tables.t.columns]]\nname = \"id\"\ntype = \"int\"\n\n\
         [tables.t.checks.c]\nexpression = \"id > 0); {program}; --\"\n"
    );
    let model = s.write("check.toml", &check);
    let out = pgshift(&["diff", "--from", &model, "--to", &model], None);
    assert_refused(&out, &s, &format!("{model}:7:"), "check");
    assert!(text(&out).contains("check expression"), "{}", text(&out));
}

/// What the lexer lets through is still only an expression, and PostgreSQL evaluates a
/// partition bound when the table is created: as the model role, file access is denied.
#[test]
fn toml_expressions_run_without_file_access() {
    let s = Sandbox::new("bound");
    for (name, call) in [
        ("read", "length(pg_read_file('/etc/passwd'))"),
        ("lo_import", "lo_import('/etc/passwd')::int"),
    ] {
        let toml = format!(
            "[tables.p]\npartition_by = \"LIST (id)\"\n\n[[tables.p.columns]]\nname = \"id\"\ntype = \"int\"\n\n\
             [tables.c]\npartition_of = {{ parent = \"p\", bound = \"FOR VALUES IN ({call})\" }}\n"
        );
        let model = s.write(&format!("{name}.toml"), &toml);
        let out = pgshift(&["inspect", &model], None);
        assert_refused(&out, &s, &format!("{model}:8:"), name);
        assert!(denied(&out), "{}", text(&out));
    }
}

#[test]
fn rust_attributes_that_leave_their_slot_are_refused_at_their_line() {
    let s = Sandbox::new("rust");
    let program = format!(
        "COPY (SELECT 1) TO PROGRAM 'touch {}'",
        s.path("pwned-rust")
    );
    for (name, attr, line) in [
        (
            "default",
            format!("#[pgshift(default = \"0); {program}; --\")]"),
            4,
        ),
        (
            "check",
            format!("#[pgshift(check = \"id > 0); {program}; --\")]"),
            4,
        ),
    ] {
        let rs = format!(
            "#[pgshift(table)]\npub struct T {{\n    #[pgshift(primary_key)]\n    {attr}\n    pub id: i64,\n}}\n"
        );
        let model = s.write(&format!("{name}.rs"), &rs);
        let out = pgshift(&["inspect", &model], None);
        assert_refused(&out, &s, &format!("{model}:{line}:"), name);
    }
    let rs = format!(
        "#[pgshift(table, index(name = \"i\", expr = \"(id)); {program}; --\"))]\npub struct T {{\n    pub id: i64,\n}}\n"
    );
    let model = s.write("index.rs", &rs);
    let out = pgshift(&["inspect", &model], None);
    assert_refused(&out, &s, &format!("{model}:1:"), "index");
    assert!(
        text(&out).contains("expression of index i"),
        "{}",
        text(&out)
    );
}

/// `check` replays the project's migrations as the same restricted role.
#[test]
fn a_replayed_migration_cannot_reach_server_programs() {
    let s = Sandbox::new("replay");
    s.write("schema.sql", "CREATE TABLE t (id int);\n");
    let dir = Path::new(&s.dir);
    let init = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .arg("init")
        .current_dir(dir)
        .env_remove("PGSHIFT_DEV_URL")
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    s.write(
        "migrations/20240101000000_evil.up.sql",
        &format!(
            "CREATE TABLE t (id int);\nCOPY (SELECT 1) TO PROGRAM 'touch {}';\n",
            s.path("pwned-replay")
        ),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .arg("check")
        .current_dir(dir)
        .env_remove("PGSHIFT_DEV_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(denied(&out), "{}", text(&out));
    assert!(s.planted().is_empty(), "{:?}", s.planted());
}

#[test]
fn names_longer_than_63_bytes_are_refused() {
    let s = Sandbox::new("names");
    let long = "a".repeat(64);
    let model = s.write(
        "long.toml",
        &format!("[tables.t]\n\n[[tables.t.columns]]\nname = \"{long}\"\ntype = \"int\"\n"),
    );
    let out = pgshift(&["inspect", &model], None);
    assert_refused(&out, &s, &format!("{model}:3:"), "64 bytes");
    assert!(text(&out).contains("64 bytes long"), "{}", text(&out));
    // 63 bytes of two-byte characters and one more: cut at a character boundary.
    let wide = "é".repeat(32);
    let model = s.write(
        "wide.rs",
        &format!("#[pgshift(table = \"{wide}\")]\npub struct T {{\n    pub id: i64,\n}}\n"),
    );
    let out = pgshift(&["inspect", &model], None);
    assert_refused(&out, &s, &format!("{model}:"), "wide");
    assert!(text(&out).contains(&"é".repeat(31)), "{}", text(&out));
    // In a .sql model, and in SQL text a TOML model gives, PostgreSQL cuts a long name
    // with a notice only: pgshift turns it into an error at the name.
    let model = s.write(
        "long.sql",
        &format!(
            "CREATE TABLE t (id int);\nCREATE TABLE {} (id int);\n",
            long.to_uppercase()
        ),
    );
    let out = pgshift(&["inspect", &model], None);
    assert_refused(&out, &s, &format!("{model}:2:14:"), "long in .sql");
    assert!(text(&out).contains("64 bytes long"), "{}", text(&out));
    let model = s.write(
        "function.toml",
        &format!(
            "[functions.\"public.f()\"]\ndefinition = \"CREATE FUNCTION {long}() RETURNS int LANGUAGE sql AS 'SELECT 1'\"\n"
        ),
    );
    let out = pgshift(&["inspect", &model], None);
    assert_refused(&out, &s, &format!("{model}:1:"), "long in a definition");
    assert!(text(&out).contains("64 bytes long"), "{}", text(&out));
    // 63 bytes is fine.
    let model = s.write(
        "ok.toml",
        &format!(
            "[tables.t]\n\n[[tables.t.columns]]\nname = \"{}\"\ntype = \"int\"\n",
            &long[..63]
        ),
    );
    let out = pgshift(&["inspect", &model], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_byte_order_mark_is_skipped_and_a_non_ascii_check_loads() {
    let s = Sandbox::new("bom");
    let sql = s.write(
        "bom.sql",
        "\u{feff}CREATE TABLE t (abcdé int CHECK (abcdé > 0));\n",
    );
    let toml = s.write(
        "bom.toml",
        "\u{feff}[tables.t]\n\n[[tables.t.columns]]\nname = \"abcdé\"\ntype = \"integer\"\n\n\
         [tables.t.checks.\"t_abcdé_check\"]\nexpression = \"abcdé > 0\"\n",
    );
    let rs = s.write(
        "bom.rs",
        "\u{feff}#[pgshift(table = \"t\", check(name = \"t_abcdé_check\", expr = \"abcdé > 0\"))]\npub struct T {\n    #[pgshift(column_name = \"abcdé\", nullable)]\n    pub a: i32,\n}\n",
    );
    for model in [&sql, &toml, &rs] {
        let out = pgshift(&["diff", "--from", &sql, "--to", model], None);
        assert_eq!(out.status.code(), Some(0), "{model}: {}", text(&out));
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("ALTER"),
            "{model}: {}",
            text(&out)
        );
    }
}

#[test]
fn terminal_control_characters_in_names_never_reach_the_terminal() {
    let s = Sandbox::new("terminal");
    // A missing type whose name holds an OSC sequence (sets the terminal's title), a
    // colour change and a carriage return: PostgreSQL's error quotes the name.
    let model = s.write(
        "evil.sql",
        "CREATE TABLE t (a \"evil\u{1b}]0;pwned\u{7}\u{1b}[31m\rok\");\n",
    );
    let out = pgshift(&["inspect", &model], Some(&dev_url()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("evil\\u{1b}]0;pwned\\u{7}\\u{1b}[31m\\rok"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\r'),
        "{stderr:?}"
    );
}
