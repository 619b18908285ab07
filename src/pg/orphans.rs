//! Throwaway clusters must not outlive pgshift, however it ends. Three guards:
//! - every server program is started with a parent-death signal (`PR_SET_PDEATHSIG`), so
//!   the kernel stops the postmaster when pgshift dies, even by SIGKILL;
//! - each cluster directory records its owner (`owner`: PID and PID namespace), and the
//!   next cluster start removes the directories whose owner is gone (what a SIGKILL
//!   leaves behind, as nothing of the dead process can remove them);
//! - the CLI's panic hook stops every cluster before the process ends.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const OWNER_FILE: &str = "owner";

/// The kernel sends the parent-death signal when the *thread* that forked the child
/// ends, not the process. Clusters are started from whatever thread needs one first (a
/// test thread, say) and shared, so every child is forked by one thread that lives as
/// long as the process.
type Job = (Command, mpsc::Sender<io::Result<Child>>);

fn spawner() -> &'static Mutex<mpsc::Sender<Job>> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("pgshift-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("cannot start a thread");
        Mutex::new(tx)
    })
}

/// Spawns `cmd` so that it receives SIGINT (PostgreSQL's fast shutdown; initdb cleans up
/// and exits) when this process ends.
pub fn spawn_bound_to_us(mut cmd: Command) -> io::Result<Child> {
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the closure runs in the forked child before exec and only makes
    // async-signal-safe system calls (prctl, getppid, _exit). It runs after the switch
    // to the server's user, which would otherwise clear the setting.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT as libc::c_ulong) != 0 {
                return Err(io::Error::last_os_error());
            }
            // We died between fork and prctl: the signal will never come.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let (tx, rx) = mpsc::channel();
    spawner()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, tx))
        .map_err(|_| io::Error::other("the spawner thread is gone"))?;
    rx.recv()
        .map_err(|_| io::Error::other("the spawner thread is gone"))?
}

/// Our PID and PID namespace, written into each cluster directory.
pub fn owner_record() -> String {
    format!(
        "{} {}\n",
        std::process::id(),
        pid_namespace().unwrap_or_default()
    )
}

fn pid_namespace() -> Option<String> {
    fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|p| p.display().to_string())
}

/// Whether a process with this PID exists (EPERM: it does, owned by someone else).
fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks for existence.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// Removes the `pgshift-*` cluster directories under `base` whose recorded owner process
/// is gone, stopping a postmaster still running in one. Only directories that are ours
/// (or the server user's), with an owner record from this PID namespace, are touched; a
/// directory without a record (being made right now, or from an older pgshift) is left.
pub fn remove_stale(base: &Path, server_uid: Option<u32>) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(base) else {
        return vec![];
    };
    // SAFETY: geteuid has no preconditions.
    let our_uid = unsafe { libc::geteuid() };
    let our_ns = pid_namespace().unwrap_or_default();
    let mut removed = vec![];
    for entry in entries.flatten() {
        let dir = entry.path();
        let named = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with("pgshift-"));
        let Ok(meta) = fs::symlink_metadata(&dir) else {
            continue;
        };
        if !named || !meta.is_dir() || (meta.uid() != our_uid && Some(meta.uid()) != server_uid) {
            continue;
        }
        let Ok(record) = fs::read_to_string(dir.join(OWNER_FILE)) else {
            continue;
        };
        let mut fields = record.split_whitespace();
        let Some(pid) = fields.next().and_then(|p| p.parse::<libc::pid_t>().ok()) else {
            continue;
        };
        if fields.next().unwrap_or("") != our_ns || alive(pid) {
            continue;
        }
        stop_leftover_postmaster(&dir.join("data"));
        if fs::remove_dir_all(&dir).is_ok() {
            removed.push(dir);
        }
    }
    removed
}

/// A postmaster whose owner died before it could be told to stop (an older pgshift, or a
/// race at startup): stopped when its PID file names a live `postgres` serving `data`.
fn stop_leftover_postmaster(data: &Path) {
    let Some(pid) = fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|t| t.lines().next()?.trim().parse::<libc::pid_t>().ok())
    else {
        return;
    };
    let serves_data = fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
        let args: Vec<&[u8]> = cmd.split(|b| *b == 0).collect();
        args.windows(2)
            .any(|w| w[0] == b"-D" && w[1] == data.as_os_str().as_encoded_bytes())
    });
    if !serves_data {
        return;
    }
    // SAFETY: kill has no memory preconditions; the PID was checked to be this server.
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if alive(pid) {
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_directories_of_dead_owners_are_removed() {
        let base =
            std::env::temp_dir().join(format!("pgshift-orphans-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let mut exited = Command::new("true").spawn().unwrap();
        exited.wait().unwrap();
        let dead = exited.id();
        let ns = pid_namespace().unwrap_or_default();
        let make = |name: &str, record: Option<String>| {
            let dir = base.join(name);
            fs::create_dir_all(dir.join("data")).unwrap();
            if let Some(r) = record {
                fs::write(dir.join(OWNER_FILE), r).unwrap();
            }
            dir
        };
        let ours = make("pgshift-live", Some(owner_record()));
        let stale = make("pgshift-dead", Some(format!("{dead} {ns}\n")));
        let unrecorded = make("pgshift-norecord", None);
        let elsewhere = make("pgshift-otherns", Some(format!("{dead} pid:[1]\n")));
        let unrelated = make("other-dead", Some(format!("{dead} {ns}\n")));
        assert_eq!(remove_stale(&base, None), vec![stale.clone()]);
        assert!(!stale.exists());
        for kept in [ours, unrecorded, elsewhere, unrelated] {
            assert!(kept.exists(), "{}", kept.display());
        }
        fs::remove_dir_all(&base).unwrap();
    }
}
