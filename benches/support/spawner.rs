//! Child processes run and timed by a small helper process, so that the peak memory
//! reported for a child is its own.
//!
//! Linux counts into a child's `ru_maxrss` the memory of the process that spawned it: the
//! spawned child shares its parent's address space until `exec` (`posix_spawn` uses
//! `vfork`), and `exec` keeps the larger of the two peaks. The benchmark holds every
//! schema it has read, hundreds of MiB at 10,000 tables, so its children are spawned by a
//! copy of the benchmark started before any of that, told over a pipe what to run.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const ROLE: &str = "PGSHIFT_BENCH_SPAWNER";

pub struct Spawner {
    helper: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
}

impl Spawner {
    /// Starts the helper: this same program, which [`serve_if_helper`] turns into one.
    pub fn start() -> Spawner {
        let exe = std::env::current_exe().expect("the benchmark's own path");
        let mut helper = Command::new(exe)
            .env(ROLE, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the spawner helper");
        let requests = helper.stdin.take().expect("piped stdin");
        let replies = BufReader::new(helper.stdout.take().expect("piped stdout"));
        Spawner {
            helper,
            requests,
            replies,
        }
    }

    /// Runs `argv` to completion with no input and its output discarded: wall time and
    /// peak resident memory (KiB). Panics, with the child's stderr, if it fails.
    pub fn run(&mut self, argv: &[String]) -> (Duration, u64) {
        let request = serde_json::to_string(argv).expect("argv as JSON");
        writeln!(self.requests, "{request}").expect("write to the spawner helper");
        let mut reply = String::new();
        self.replies
            .read_line(&mut reply)
            .expect("read from the spawner helper");
        let reply: Reply = serde_json::from_str(&reply)
            .unwrap_or_else(|e| panic!("spawner helper replied {reply:?}: {e}"));
        if let Some(error) = reply.error {
            panic!("{argv:?} failed: {error}");
        }
        (Duration::from_nanos(reply.nanos), reply.kib)
    }
}

impl Drop for Spawner {
    fn drop(&mut self) {
        // The helper blocks reading its stdin until then; it holds nothing to clean up.
        let _ = self.helper.kill();
        let _ = self.helper.wait();
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Reply {
    nanos: u64,
    kib: u64,
    error: Option<String>,
}

/// In the helper process: serves requests until stdin closes, then exits. Elsewhere, returns.
pub fn serve_if_helper() {
    if std::env::var_os(ROLE).is_none() {
        return;
    }
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let line = line.expect("read a request");
        let argv: Vec<String> = serde_json::from_str(&line).expect("a JSON argv");
        let reply = run(&argv);
        let text = serde_json::to_string(&reply).expect("reply as JSON");
        writeln!(stdout, "{text}").expect("write a reply");
        stdout.flush().expect("flush a reply");
    }
    std::process::exit(0);
}

// The child is reaped by wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run(argv: &[String]) -> Reply {
    let t = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => {
            return Reply {
                nanos: 0,
                kib: 0,
                error: Some(format!("cannot start: {e}")),
            }
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it in for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid we hold; the pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let nanos = t.elapsed().as_nanos() as u64;
    assert_eq!(waited, pid, "wait4 failed");
    let error = (!libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0).then(|| {
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr {
            let _ = stderr.read_to_string(&mut err);
        }
        format!("exit status {status}: {err}")
    });
    // ru_maxrss is in KiB on Linux.
    Reply {
        nanos,
        kib: usage.ru_maxrss as u64,
        error,
    }
}
