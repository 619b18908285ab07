//! libpq's connection conventions, against a real server that asks for a password
//! (scram-sha-256 for one role on the test cluster's socket): PG* variables, the
//! password file with its rules, key=value strings, and what pgshift refuses.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Output;
use std::sync::Once;

const ROLE: &str = "pw_user";
const DB: &str = "pw_db";
/// With the two characters the password file escapes.
const PASSWORD: &str = r"p:a\ss-W0rd";

/// A role that must give its password, owning a database with one table.
fn password_role() {
    static SETUP: Once = Once::new();
    SETUP.call_once(|| {
        let c = common::cluster();
        let mut admin = c.connect("postgres").unwrap();
        admin
            .batch_execute(&format!(
                "SET password_encryption = 'scram-sha-256';
                 CREATE ROLE {ROLE} LOGIN PASSWORD '{}';",
                PASSWORD.replace('\'', "''")
            ))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {DB} OWNER {ROLE}"))
            .unwrap();
        let mut db = c.connect(DB).unwrap();
        db.batch_execute(&format!(
            "SET ROLE {ROLE}; CREATE TABLE only_in_pw_db (id int PRIMARY KEY);"
        ))
        .unwrap();
        let hba = c.socket_dir().join("data/pg_hba.conf");
        let rest = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("local all {ROLE} scram-sha-256\n{rest}")).unwrap();
        admin.batch_execute("SELECT pg_reload_conf()").unwrap();
        // The reload is asynchronous: wait until the role is refused without a password.
        for _ in 0..100 {
            let refused = c.config(DB).user(ROLE).connect(postgres::NoTls).is_err();
            if refused {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("pg_hba.conf change not in effect");
    });
}

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(name: &str) -> Home {
        let dir =
            std::env::temp_dir().join(format!("pgshift-connenv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Home { dir }
    }

    fn pgpass(&self, line: &str, mode: u32) -> PathBuf {
        let path = self.dir.join(".pgpass");
        std::fs::write(&path, format!("# test\n{line}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        common::pgshift_isolated(&self.dir, args, env)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

use common::output_text as text;

fn socket() -> String {
    common::cluster().socket_dir().display().to_string()
}

/// The PG* variables naming the test cluster, the role and its database.
fn pg_env(socket: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PGHOST", socket.to_string()),
        ("PGPORT", "5432".into()),
        ("PGUSER", ROLE.into()),
        ("PGDATABASE", DB.into()),
    ]
}

fn with<'a>(
    base: &'a [(&'static str, String)],
    extra: &[(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    base.iter()
        .map(|(k, v)| (*k, v.as_str()))
        .chain(extra.iter().copied())
        .collect()
}

fn assert_reads_the_database(out: &Output, what: &str) {
    let shown = text(out);
    assert_eq!(out.status.code(), Some(0), "{what}:\n{shown}");
    assert!(shown.contains("only_in_pw_db"), "{what}:\n{shown}");
    assert!(
        !shown.contains(PASSWORD),
        "{what}: password shown:\n{shown}"
    );
}

fn assert_refused(out: &Output, what: &str) {
    let shown = text(out);
    assert_eq!(out.status.code(), Some(2), "{what}:\n{shown}");
    assert!(
        shown.contains("password authentication failed") || shown.contains("password missing"),
        "{what}:\n{shown}"
    );
    assert!(
        !shown.contains(PASSWORD),
        "{what}: password shown:\n{shown}"
    );
}

#[test]
fn pg_variables_and_pgpassword() {
    password_role();
    let home = Home::new("env");
    let socket = socket();
    let env = pg_env(&socket);
    let inspect = ["inspect", "postgres://", "--format", "sql"];
    // Without a password the server refuses: the tests below can fail.
    assert_refused(&home.run(&inspect, &with(&env, &[])), "no password");
    assert_refused(
        &home.run(&inspect, &with(&env, &[("PGPASSWORD", "wrong")])),
        "wrong PGPASSWORD",
    );
    assert_reads_the_database(
        &home.run(&inspect, &with(&env, &[("PGPASSWORD", PASSWORD)])),
        "PGPASSWORD",
    );
    // A key=value string, the rest from the environment.
    let conninfo = format!("host={socket} dbname={DB}");
    assert_reads_the_database(
        &home.run(
            &["inspect", &conninfo, "--format", "sql"],
            &[("PGUSER", ROLE), ("PGPASSWORD", PASSWORD)],
        ),
        "key=value",
    );
    // A URL wins over the environment; percent-encoded socket directory and password.
    let url = format!(
        "postgresql://{ROLE}:{}@{}/{DB}",
        PASSWORD.replace(':', "%3A").replace('\\', "%5C"),
        socket.replace('/', "%2F")
    );
    assert_reads_the_database(
        &home.run(
            &["inspect", &url, "--format", "sql"],
            &[("PGUSER", "nobody"), ("PGPASSWORD", "wrong")],
        ),
        "URL over the environment",
    );
    // PGPORT is honoured: nothing listens on 5433.
    let out = home.run(
        &inspect,
        &with(&env, &[("PGPASSWORD", PASSWORD), ("PGPORT", "5433")]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(":5433"), "{}", text(&out));
    // sslmode that needs TLS is refused, never downgraded.
    let out = home.run(
        &inspect,
        &with(
            &env,
            &[("PGPASSWORD", PASSWORD), ("PGSSLMODE", "verify-full")],
        ),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("sslmode=verify-full needs TLS"),
        "{}",
        text(&out)
    );
    // DATABASE_URL unset: the PG* variables alone say where the project's database is.
    let init = home.run(&["init", "--model", "schema.sql"], &[]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let out = home.run(&["status"], &with(&env, &[("PGPASSWORD", PASSWORD)]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn the_password_file_with_libpqs_rules() {
    password_role();
    let home = Home::new("pgpass");
    let socket = socket();
    let env = pg_env(&socket);
    let inspect = ["inspect", "postgres://", "--format", "sql"];
    let escaped = PASSWORD.replace('\\', r"\\").replace(':', r"\:");
    // ~/.pgpass, matched on the socket directory as host, the port, database and user.
    home.pgpass(&format!("{socket}:5432:{DB}:{ROLE}:{escaped}"), 0o600);
    assert_reads_the_database(&home.run(&inspect, &with(&env, &[])), "~/.pgpass");
    // Wildcards.
    home.pgpass(&format!("*:*:*:{ROLE}:{escaped}"), 0o600);
    assert_reads_the_database(&home.run(&inspect, &with(&env, &[])), "wildcards");
    // The first matching line wins; a line for another database does not match.
    home.pgpass(
        &format!("*:*:other_db:{ROLE}:{escaped}\n*:*:*:{ROLE}:wrong"),
        0o600,
    );
    assert_refused(&home.run(&inspect, &with(&env, &[])), "no matching line");
    // PGPASSWORD comes before the file.
    assert_reads_the_database(
        &home.run(&inspect, &with(&env, &[("PGPASSWORD", PASSWORD)])),
        "PGPASSWORD first",
    );
    // Readable by others: ignored, with libpq's warning.
    home.pgpass(&format!("*:*:*:*:{escaped}"), 0o644);
    let out = home.run(&inspect, &with(&env, &[]));
    assert_refused(&out, "group-readable file");
    assert!(
        text(&out).contains("has group or world access; permissions should be u=rw (0600) or less"),
        "{}",
        text(&out)
    );
    // PGPASSFILE names another file.
    let other = home.dir.join("elsewhere");
    std::fs::write(&other, format!("*:*:*:*:{escaped}\n")).unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
    let other = other.display().to_string();
    assert_reads_the_database(
        &home.run(&inspect, &with(&env, &[("PGPASSFILE", &other)])),
        "PGPASSFILE",
    );
    // ... and passfile= in the URL.
    let url = format!("postgres:///{DB}?host={socket}&user={ROLE}&passfile={other}");
    assert_reads_the_database(
        &home.run(&["inspect", &url, "--format", "sql"], &[]),
        "passfile=",
    );
}
