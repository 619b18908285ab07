//! A primary with a streaming standby, for tests of what waits on replication: two private
//! clusters, the primary started by `Cluster::start_with` with replication settings, the
//! standby a `pg_basebackup -R` of it in a directory of its own, started on its own port
//! (its socket in that directory), as the `postgres` OS user when we are root. Both are
//! stopped and their directories removed on drop.

use pgshift::pg::{Cluster, ClusterOptions};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The standby's port; its socket is in its own directory, so it never meets another.
const STANDBY_PORT: u16 = 5433;

pub struct Replicated {
    pub primary: Cluster,
    standby: Option<Child>,
    standby_root: PathBuf,
}

/// The `postgres` OS user's uid and gid, when we are root (PostgreSQL refuses root).
fn server_user() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let name = std::ffi::CString::new("postgres").unwrap();
    // SAFETY: getpwnam returns NULL or a pointer to a static record, copied out at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(
        !pw.is_null(),
        "running as root without a `postgres` OS user"
    );
    // SAFETY: pw is non-null.
    Some(unsafe { ((*pw).pw_uid, (*pw).pw_gid) })
}

fn as_server_user(cmd: &mut Command) {
    if let Some((uid, gid)) = server_user() {
        cmd.uid(uid).gid(gid);
    }
    // SAFETY: only prctl, async-signal-safe, between fork and exec. The standby gets
    // PostgreSQL's fast shutdown when the test thread that started it ends.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT as libc::c_ulong);
            Ok(())
        });
    }
}

impl Replicated {
    /// A primary (wal_level replica, WAL senders, a `local replication` line in its
    /// pg_hba.conf) and a standby streaming from it, replay caught up.
    pub fn start() -> Replicated {
        let options = ClusterOptions {
            settings: vec![
                "wal_level=replica".into(),
                "max_wal_senders=4".into(),
                // The base backup and the standby's recovery need whole pages in the WAL.
                "full_page_writes=on".into(),
            ],
            ..Default::default()
        };
        let primary = Cluster::start_with(&options).expect("start the primary");
        let hba = primary.socket_dir().join("data/pg_hba.conf");
        let text = std::fs::read_to_string(&hba).expect("read the primary's pg_hba.conf");
        if !text.lines().any(|l| {
            l.split_whitespace().collect::<Vec<_>>()[..] == ["local", "replication", "all", "trust"]
        }) {
            std::fs::write(&hba, format!("{text}\nlocal replication all trust\n")).unwrap();
            primary
                .connect("postgres")
                .unwrap()
                .batch_execute("SELECT pg_reload_conf()")
                .unwrap();
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let standby_root = PathBuf::from(format!(
            "/tmp/pgshift-standby-{}-{nanos:x}",
            std::process::id()
        ));
        std::fs::create_dir_all(&standby_root).unwrap();
        std::fs::set_permissions(&standby_root, std::fs::Permissions::from_mode(0o700)).unwrap();
        if let Some((uid, gid)) = server_user() {
            std::os::unix::fs::chown(&standby_root, Some(uid), Some(gid)).unwrap();
        }
        let mut replicated = Replicated {
            primary,
            standby: None,
            standby_root,
        };
        replicated.base_backup();
        replicated.start_standby();
        replicated
    }

    /// A program of the server's own directory (PATH may hold links to the server
    /// alone, without pg_basebackup beside them).
    fn bin(name: &str) -> PathBuf {
        let server = pgshift::pg::find_binaries()
            .expect("PostgreSQL binaries")
            .join("postgres");
        let server = std::fs::canonicalize(&server).unwrap_or(server);
        server.parent().unwrap().join(name)
    }

    fn standby_data(&self) -> PathBuf {
        self.standby_root.join("data")
    }

    /// `pg_basebackup -R`: a copy of the primary that starts as its standby.
    fn base_backup(&self) {
        let mut cmd = Command::new(Self::bin("pg_basebackup"));
        cmd.arg("-D")
            .arg(self.standby_data())
            .args(["-R", "-X", "stream", "-c", "fast", "-U", "postgres", "-h"])
            .arg(self.primary.socket_dir())
            .args(["-p", &self.primary.port().to_string()])
            .stdin(Stdio::null());
        as_server_user(&mut cmd);
        let out = cmd.output().expect("run pg_basebackup");
        assert!(
            out.status.success(),
            "pg_basebackup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start_standby(&mut self) {
        let log = std::fs::File::create(self.standby_root.join("server.log")).unwrap();
        let mut cmd = Command::new(Self::bin("postgres"));
        cmd.arg("-D")
            .arg(self.standby_data())
            .arg("-k")
            .arg(&self.standby_root)
            .args(["-p", &STANDBY_PORT.to_string()])
            .args(["-c", "listen_addresses=", "-c", "hot_standby=on"])
            // Its replay position reaches the primary every second (10 s by default), so
            // a test sees the lag end soon after replay resumes.
            .args(["-c", "wal_receiver_status_interval=1"])
            // A standby needs these at least as high as its primary (`Cluster`'s own).
            .args([
                "-c",
                "max_connections=100",
                "-c",
                "max_locks_per_transaction=1024",
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        as_server_user(&mut cmd);
        self.standby = Some(cmd.spawn().expect("start the standby"));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let streaming: Option<String> = self
                .primary
                .connect("postgres")
                .unwrap()
                .query_opt(
                    "SELECT state FROM pg_stat_replication WHERE state = 'streaming'",
                    &[],
                )
                .unwrap()
                .map(|r| r.get(0));
            let in_recovery = self
                .standby_client("postgres")
                .ok()
                .and_then(|mut c| c.query_one("SELECT pg_is_in_recovery()", &[]).ok())
                .is_some_and(|r| r.get::<_, bool>(0));
            if streaming.is_some() && in_recovery {
                return;
            }
            let exited = self
                .standby
                .as_mut()
                .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))));
            assert!(
                Instant::now() < deadline && !exited,
                "the standby did not start streaming: {}",
                std::fs::read_to_string(self.standby_root.join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A connection to database `db` on the standby (read only: it is in recovery).
    pub fn standby_client(&self, db: &str) -> Result<postgres::Client, postgres::Error> {
        postgres::Config::new()
            .host_path(&self.standby_root)
            .port(STANDBY_PORT)
            .user("postgres")
            .dbname(db)
            .connect(postgres::NoTls)
    }

    /// A `postgresql://` URL of database `db` on the primary.
    pub fn primary_url(&self, db: &str) -> String {
        crate::common::database_url(&self.primary, db)
    }
}

impl Drop for Replicated {
    fn drop(&mut self) {
        if let Some(mut child) = self.standby.take() {
            // SIGINT: PostgreSQL's fast shutdown.
            // SAFETY: kill has no memory preconditions; the pid is our own child.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.standby_root);
        self.primary.stop();
    }
}
