//! However pgshift ends (a model too deep to read, a panic, SIGKILL), no throwaway
//! cluster outlives it: no postmaster left running, no /tmp/pgshift-* directory left.
//! Each test gives pgshift a private PGSHIFT_TMPDIR to look in.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("pgshift-crash-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        // The server runs as `postgres` when the tests run as root: it must reach the
        // socket directory made inside.
        set_mode(&dir, 0o755);
        set_mode(&dir.join("tmp"), 0o777);
        Scratch { dir }
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
        cmd.args(args)
            .env("PGSHIFT_TMPDIR", self.dir.join("tmp"))
            .env_remove("PGSHIFT_DEV_URL")
            .env_remove("RUST_BACKTRACE")
            .env_remove("PGSHIFT_TEST_PANIC");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run pgshift")
    }

    /// The cluster directories pgshift left in its temporary directory.
    fn clusters(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.dir.join("tmp"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("pgshift-")
            })
            .collect();
        found.sort();
        found
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

use common::output_text as text;

/// Running, and not a zombie waiting for a parent that is gone.
fn running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
    })
}

#[test]
fn models_nested_too_deeply_are_an_error_at_the_place() {
    let s = Scratch::new("deep");
    let mods = s.file(
        "mods.rs",
        &format!(
            "{}#[pgshift(table)] struct T {{ id: i32 }}{}",
            "mod m { ".repeat(1_500),
            " }".repeat(1_500)
        ),
    );
    let blocks = s.file(
        "blocks.rs",
        &format!(
            "#[pgshift(table)] struct T {{ id: i32 }}\nfn f() {{ {} }}",
            "{ ".repeat(5_000) + &" }".repeat(5_000)
        ),
    );
    let generics = s.file(
        "generics.rs",
        &format!(
            "#[pgshift(table)]\nstruct T {{ id: {}i32{} }}",
            "Vec<".repeat(5_000),
            ">".repeat(5_000)
        ),
    );
    let unary = s.file(
        "unary.rs",
        &format!(
            "#[pgshift(table)] struct T {{ id: i32 }}\nconst C: bool = {}true;",
            "!".repeat(200_000)
        ),
    );
    let deep_default = s.file(
        "default.rs",
        &format!(
            "#[pgshift(table)]\nstruct T {{ #[pgshift(default = \"{0}1{1}\")] id: i32 }}\nconst X: i32 = {0}1{1};",
            "(".repeat(3_000),
            ")".repeat(3_000)
        ),
    );
    for (file, line) in [
        (&mods, 1),
        (&blocks, 2),
        (&generics, 2),
        (&unary, 2),
        (&deep_default, 3),
    ] {
        let started = Instant::now();
        let out = s.run(&["inspect", file, "--format", "sql"]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(2), "{file}:\n{shown}");
        assert!(
            shown.contains(&format!("{file}:{line}:")),
            "{file}:\n{shown}"
        );
        assert!(shown.contains("nested too deeply"), "{file}:\n{shown}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{file}: {:?}",
            started.elapsed()
        );
    }
    // Within the bound, deeply nested modules are read, in time linear in their number.
    let ok = s.file(
        "ok.rs",
        &format!(
            "{}#[pgshift(table)] struct deep_t {{ id: i32 }}{}",
            "mod m { ".repeat(100),
            " }".repeat(100)
        ),
    );
    let out = s.run(&["inspect", &ok, "--format", "sql"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("deep_t"), "{}", text(&out));
    assert_eq!(s.clusters(), Vec::<PathBuf>::new());
}

#[test]
fn a_panic_prints_a_short_report_and_stops_the_cluster() {
    let s = Scratch::new("panic");
    let model = s.file("m.sql", "CREATE TABLE t (id int);");
    let out = s
        .command(&["inspect", &model])
        .env("PGSHIFT_TEST_PANIC", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.starts_with("error: pgshift crashed, which is a bug: PGSHIFT_TEST_PANIC is set"),
        "{stderr}"
    );
    assert!(stderr.contains("RUST_BACKTRACE=1"), "{stderr}");
    assert!(
        stderr.lines().count() <= 3,
        "no backtrace by default:\n{stderr}"
    );
    assert_eq!(s.clusters(), Vec::<PathBuf>::new());
}

#[test]
fn sigkill_leaves_no_server_running_and_the_next_run_removes_the_directory() {
    let s = Scratch::new("kill");
    let slow = s.file(
        "slow.sql",
        "CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n",
    );
    let mut child = s
        .command(&["inspect", &slow])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the server to run the model.
    let deadline = Instant::now() + Duration::from_secs(60);
    let postmaster = loop {
        let pid = s.clusters().first().and_then(|dir| {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            let pid = std::fs::read_to_string(dir.join("data/postmaster.pid")).ok()?;
            let ready = log.contains("ready to accept connections");
            ready.then(|| pid.lines().next()?.trim().parse::<i32>().ok())?
        });
        if let Some(pid) = pid {
            break pid;
        }
        assert!(Instant::now() < deadline, "the cluster did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(1_000));
    assert!(running(postmaster));
    child.kill().unwrap(); // SIGKILL: nothing of pgshift runs after this.
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while running(postmaster) {
        assert!(
            Instant::now() < deadline,
            "postmaster {postmaster} outlived pgshift"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        s.clusters().len(),
        1,
        "the killed run's directory stays until the next run"
    );
    let quick = s.file("quick.sql", "CREATE TABLE t (id int);");
    let out = s.run(&["inspect", &quick]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        s.clusters(),
        Vec::<PathBuf>::new(),
        "the next run removed it"
    );
}
