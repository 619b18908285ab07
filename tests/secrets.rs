//! Passwords never reach the output: every command that takes a database URL, given
//! wrong, malformed and unreachable URLs that carry a password in each way libpq takes
//! one (URL user part, `?password=`, `key=value`, PGPASSWORD, the password file).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

const SECRET: &str = "Zq9hunter2Pw";

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let dir =
            std::env::temp_dir().join(format!("pgshift-secrets-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("schema.sql"), "CREATE TABLE t (id int);\n").unwrap();
        std::fs::write(dir.join("other.sql"), "CREATE TABLE u (id int);\n").unwrap();
        let passfile = dir.join("pgpass");
        std::fs::write(&passfile, format!("*:*:*:*:{SECRET}\n")).unwrap();
        std::fs::set_permissions(&passfile, std::fs::Permissions::from_mode(0o600)).unwrap();
        let project = Project { dir };
        let out = project.run(&["init", "--model", "schema.sql"], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        project
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut env = env.to_vec();
        if !env.iter().any(|(k, _)| *k == "PGCONNECT_TIMEOUT") {
            env.push(("PGCONNECT_TIMEOUT", "3"));
        }
        common::pgshift_isolated(&self.dir, args, &env)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

use common::output_text as text;

/// A URL with a password given one way, and the environment that way needs.
struct Case {
    how: &'static str,
    url: String,
    env: Vec<(&'static str, String)>,
}

/// `host` is `host:port` (or a percent-encoded socket directory), `db` the database.
fn cases(host: &str, db: &str, passfile: &Path) -> Vec<Case> {
    let (h, port) = host.rsplit_once(':').unwrap_or((host, "5432"));
    let decoded_h = h.replace("%2F", "/");
    vec![
        Case {
            how: "user part",
            url: format!("postgres://alice:{SECRET}@{host}/{db}"),
            env: vec![],
        },
        Case {
            how: "?password=",
            url: format!("postgresql://alice@{host}/{db}?password={SECRET}&application_name=x"),
            env: vec![],
        },
        Case {
            how: "key=value",
            url: format!("host={decoded_h} port={port} user=alice password={SECRET} dbname={db}"),
            env: vec![],
        },
        Case {
            how: "PGPASSWORD",
            url: format!("postgres://alice@{host}/{db}"),
            env: vec![("PGPASSWORD", SECRET.to_string())],
        },
        Case {
            how: "password file",
            url: format!("postgres://alice@{host}/{db}"),
            env: vec![("PGPASSFILE", passfile.display().to_string())],
        },
    ]
}

#[test]
fn no_command_prints_a_password_given_any_way() {
    let project = Project::new("all");
    let passfile = project.dir.join("pgpass");
    let good = common::dev_url();
    let socket = common::cluster()
        .socket_dir()
        .display()
        .to_string()
        .replace('/', "%2F");
    let mut urls = vec![];
    // Nothing listens on port 1.
    urls.extend(
        cases("127.0.0.1:1", "app", &passfile)
            .into_iter()
            .map(|c| ("unreachable", c)),
    );
    // The test cluster: trust authentication, but no role alice.
    urls.extend(
        cases(&format!("{socket}:5432"), "app", &passfile)
            .into_iter()
            .map(|c| ("wrong", c)),
    );
    // Ports that are not numbers, a bad escape, TLS pgshift does not have.
    urls.extend(
        cases("db.invalid:notaport", "app", &passfile)
            .into_iter()
            .map(|c| ("malformed", c)),
    );
    urls.extend(
        cases("db.invalid:5432", "app%zz", &passfile)
            .into_iter()
            .map(|c| ("malformed", c)),
    );
    urls.extend(
        cases("db.invalid:5432", "app?sslmode=verify-full", &passfile)
            .into_iter()
            .filter(|c| c.how != "key=value")
            .map(|c| ("malformed", c)),
    );
    let mut runs = 0;
    for (kind, case) in &urls {
        let url = case.url.as_str();
        let good = good.as_str();
        // Each command with the case's environment, plus `var` set to the URL.
        let commands: Vec<(Vec<&str>, Option<&str>)> = vec![
            (
                vec![
                    "diff",
                    "--from",
                    url,
                    "--to",
                    "schema.sql",
                    "--dev-url",
                    good,
                ],
                None,
            ),
            (
                vec![
                    "diff",
                    "--from",
                    "schema.sql",
                    "--to",
                    url,
                    "--dev-url",
                    good,
                ],
                None,
            ),
            (vec!["inspect", url], None),
            (
                vec!["generate", "-m", "x", "--database", url, "--dev-url", good],
                None,
            ),
            (vec!["upgrade", "--all", "--database", url], None),
            (vec!["upgrade"], Some("DATABASE_URL")),
            (vec!["downgrade", "--database", url], None),
            (vec!["downgrade"], Some("DATABASE_URL")),
            (vec!["status", "--database", url], None),
            (vec!["status"], Some("DATABASE_URL")),
            (vec!["current", "--database", url], None),
            (vec!["current"], Some("DATABASE_URL")),
            (vec!["history", "--database", url], None),
            (vec!["history"], Some("DATABASE_URL")),
            (vec!["verify", "--database", url], None),
            (vec!["verify"], Some("DATABASE_URL")),
            (
                vec![
                    "diff",
                    "--from",
                    "schema.sql",
                    "--to",
                    "other.sql",
                    "--dev-url",
                    url,
                ],
                None,
            ),
            (
                vec!["diff", "--from", "schema.sql", "--to", "other.sql"],
                Some("PGSHIFT_DEV_URL"),
            ),
            (vec!["inspect", "schema.sql", "--dev-url", url], None),
            (vec!["check", "--dev-url", url], None),
            (vec!["generate", "-m", "x"], Some("PGSHIFT_DEV_URL")),
        ];
        for (args, var) in commands {
            let mut env: Vec<(&str, &str)> =
                case.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            env.extend(var.map(|v| (v, url)));
            let out = project.run(&args, &env);
            let shown = text(&out);
            let what = format!(
                "{kind} URL, password by {}: pgshift {args:?} {env:?}",
                case.how
            );
            assert_eq!(
                out.status.code(),
                Some(2),
                "{what}: expected an error:\n{shown}"
            );
            assert!(shown.contains("error:"), "{what}:\n{shown}");
            assert!(
                !shown.contains(SECRET),
                "{what}: the password is in the output:\n{shown}"
            );
            runs += 1;
        }
    }
    assert!(runs >= 400, "{runs} runs");
}

#[test]
fn a_bad_url_is_shown_with_its_password_replaced() {
    let project = Project::new("shown");
    let out = project.run(
        &[
            "status",
            "--database",
            &format!("postgres://alice:{SECRET}@db.invalid:notaport/app?password={SECRET}"),
        ],
        &[],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("invalid database URL postgres://alice:***@db.invalid:notaport/app?password=***: the port is not a number from 1 to 65535"),
        "{shown}"
    );
}
