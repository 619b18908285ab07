//! A private PostgreSQL cluster in a temporary directory, listening only on a Unix socket
//! in that directory (no port clashes), with durability off (it holds nothing worth
//! keeping). Stopped and removed on drop, and on Ctrl-C or SIGTERM.

use super::orphans;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// initdb makes this the superuser; trust authentication on the private socket.
const SUPERUSER: &str = "postgres";
const PORT: u16 = 5432;

/// Cluster directories of this process, with the PID of the server program working in it
/// (initdb, then the postmaster), so a signal handler can stop it and remove the directory.
static RUNNING: Mutex<BTreeMap<PathBuf, Option<u32>>> = Mutex::new(BTreeMap::new());

/// Set by the signal handler: no new server program may start.
static SHUTTING_DOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts `cmd` for the cluster in `root` and records its PID, both under the lock the
/// signal handler takes, so a process is either never started or always stopped.
fn spawn_tracked(root: &Path, cmd: Command, what: &str) -> Result<Child> {
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    if SHUTTING_DOWN.load(Ordering::SeqCst) {
        return Err(Error::Interrupted);
    }
    let child = orphans::spawn_bound_to_us(cmd)
        .map_err(|e| Error::Cluster(format!("running {what}: {e}")))?;
    running.insert(root.to_path_buf(), Some(child.id()));
    Ok(child)
}

/// Whether Ctrl-C or SIGTERM arrived: any error since is a consequence of it.
pub fn interrupted() -> bool {
    SHUTTING_DOWN.load(Ordering::SeqCst)
}

fn track(root: &Path, pid: Option<u32>) {
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(root.to_path_buf(), pid);
}

fn untrack(root: &Path) {
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(root);
}
static SIGNALS: Once = Once::new();
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

pub struct Cluster {
    root: PathBuf,
    child: Mutex<Option<Child>>,
    version: String,
    next_db: AtomicU32,
    port: u16,
}

/// How a cluster listens and what it loads, beyond the defaults of `Cluster::start`.
#[derive(Clone, Debug, Default)]
pub struct ClusterOptions {
    /// Listen on 127.0.0.1 at this port too (the socket file then carries this port): for
    /// nodes of a Citus cluster, which connect to each other over TCP.
    pub tcp_port: Option<u16>,
    /// Further `name=value` server settings.
    pub settings: Vec<String>,
    /// Preload Citus (`shared_preload_libraries = 'citus'`), with the coordinator's own
    /// address its socket directory: a single-node Citus cluster reaches itself there.
    pub citus: bool,
}

/// Whether Citus's library is installed beside the PostgreSQL server.
pub fn citus_installed() -> bool {
    // The server's own directory (PATH may hold links to it): `<prefix>/bin/postgres`,
    // extensions in `<prefix>/lib`, as Debian lays PostgreSQL out.
    let Ok(bin) = super::find_binaries() else {
        return false;
    };
    let server = fs::canonicalize(bin.join("postgres")).unwrap_or(bin.join("postgres"));
    server
        .parent()
        .and_then(Path::parent)
        .is_some_and(|prefix| prefix.join("lib/citus.so").is_file())
}

impl Cluster {
    /// initdb + start. Takes about half a second.
    pub fn start() -> Result<Cluster> {
        Cluster::start_with(&ClusterOptions::default())
    }

    /// `start`, with `options`.
    pub fn start_with(options: &ClusterOptions) -> Result<Cluster> {
        install_signal_handler();
        let bin = super::find_binaries()?;
        let owner = server_user()?;
        let root = make_root_dir(owner)?;
        let started = start_in(&bin, &root, owner, options);
        match started {
            Ok(cluster) => Ok(cluster),
            Err(e) => {
                untrack(&root);
                let _ = fs::remove_dir_all(&root);
                Err(e)
            }
        }
    }

    /// The directory of the server's Unix socket (the `host` to connect to).
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn superuser(&self) -> &str {
        SUPERUSER
    }

    /// `server_version` of the running server, e.g. `15.18`.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn config(&self, dbname: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host_path(&self.root)
            .port(self.port)
            .user(SUPERUSER)
            .dbname(dbname)
            .application_name("pgshift");
        config
    }

    pub fn connect(&self, dbname: &str) -> Result<postgres::Client> {
        self.config(dbname)
            .connect(postgres::NoTls)
            .map_err(|e| Error::Cluster(format!("connecting to {dbname}: {e}")))
    }

    /// A name for a new database, unique within this cluster.
    pub fn next_database_name(&self) -> String {
        format!("pgshift_{}", self.next_db.fetch_add(1, Ordering::Relaxed))
    }

    /// Stops the server (fast shutdown) and removes its directory. Idempotent.
    pub fn stop(&self) {
        let child = self.child.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut child) = child {
            stop_postmaster(&mut child);
        }
        untrack(&self.root);
        let _ = fs::remove_dir_all(&self.root);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn start_in(
    bin: &Path,
    root: &Path,
    owner: Option<(u32, u32)>,
    options: &ClusterOptions,
) -> Result<Cluster> {
    let data = root.join("data");
    let port = options.tcp_port.unwrap_or(PORT);
    initdb(bin, &data, owner)?;
    let log = fs::File::create(root.join("server.log"))
        .map_err(|e| Error::Cluster(format!("{}: {e}", root.display())))?;
    let mut cmd = Command::new(bin.join("postgres"));
    cmd.arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(root)
        .arg("-p")
        .arg(port.to_string());
    let listen = match options.tcp_port {
        Some(_) => "listen_addresses=127.0.0.1",
        None => "listen_addresses=",
    };
    for setting in [
        listen,
        "fsync=off",
        "synchronous_commit=off",
        "full_page_writes=off",
        "max_connections=100",
        "shared_buffers=64MB",
        "max_locks_per_transaction=1024",
        "unix_socket_permissions=0777",
    ]
    .into_iter()
    .chain(options.settings.iter().map(String::as_str))
    {
        cmd.arg("-c").arg(setting);
    }
    if options.citus {
        cmd.arg("-c")
            .arg("shared_preload_libraries=citus")
            // Citus commits on several nodes with two-phase commit.
            .arg("-c")
            .arg("max_prepared_transactions=100")
            .arg("-c")
            .arg(format!("citus.local_hostname={}", root.display()))
            // Nodes reach each other without TLS (the server may not read the HOME it
            // inherits, where libpq looks for client certificates).
            .arg("-c")
            .arg("citus.node_conninfo=sslmode=disable");
    }
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| Error::Cluster(e.to_string()))?)
        .stderr(log);
    as_user(&mut cmd, owner);
    let child = spawn_tracked(root, cmd, &bin.join("postgres").display().to_string())?;
    let mut cluster = Cluster {
        root: root.to_path_buf(),
        child: Mutex::new(Some(child)),

        version: String::new(),
        next_db: AtomicU32::new(0),
        port,
    };
    cluster.version = wait_until_ready(&cluster)?;
    // For the test of the CLI's panic hook: a panic while a cluster runs.
    #[cfg(debug_assertions)]
    if std::env::var_os("PGSHIFT_TEST_PANIC").is_some() {
        panic!("PGSHIFT_TEST_PANIC is set");
    }
    Ok(cluster)
}

fn initdb(bin: &Path, data: &Path, owner: Option<(u32, u32)>) -> Result<()> {
    let mut last_error = String::new();
    // C.UTF-8 where the C library has it, else C; UTF8 either way (not SQL_ASCII).
    for locale in ["C.UTF-8", "C"] {
        let mut cmd = Command::new(bin.join("initdb"));
        cmd.arg("-D")
            .arg(data)
            .args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"])
            .arg(format!("--locale={locale}"))
            .stdin(Stdio::null());
        as_user(&mut cmd, owner);
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let root = data.parent().unwrap_or(data);
        let child = spawn_tracked(root, cmd, &bin.join("initdb").display().to_string())?;
        let out = child
            .wait_with_output()
            .map_err(|e| Error::Cluster(format!("running initdb: {e}")))?;
        track(root, None);
        if out.status.success() {
            return Ok(());
        }
        last_error = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let _ = fs::remove_dir_all(data);
    }
    Err(Error::Cluster(format!("initdb failed: {last_error}")))
}

fn wait_until_ready(cluster: &Cluster) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(mut client) = cluster.config("postgres").connect(postgres::NoTls) {
            let row = client
                .query_one("SHOW server_version", &[])
                .map_err(|e| Error::Cluster(e.to_string()))?;
            return Ok(row.get(0));
        }
        let exited = {
            let mut guard = cluster.child.lock().unwrap_or_else(|e| e.into_inner());
            guard.as_mut().and_then(|c| c.try_wait().ok().flatten())
        };
        if exited.is_some() || Instant::now() > deadline {
            let log = fs::read_to_string(cluster.root.join("server.log")).unwrap_or_default();
            return Err(Error::Cluster(format!(
                "the server did not start: {}",
                log.lines().rev().take(5).collect::<Vec<_>>().join(" / ")
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// initdb and postgres refuse to run as root: when we are root, run them as the
/// `postgres` OS user. `Command::uid` switches user in the child before exec, so the child
/// *is* the postmaster and receives our signals (unlike a `su`/`runuser` wrapper).
fn server_user() -> Result<Option<(u32, u32)>> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = std::ffi::CString::new("postgres").expect("no NUL");
    // SAFETY: getpwnam returns a pointer into static storage or NULL; we copy out at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        return Err(Error::Cluster(
            "running as root, and PostgreSQL refuses root: create a `postgres` OS user \
             (installing the postgresql package does) or run pgshift as another user"
                .into(),
        ));
    }
    // SAFETY: pw is non-null and points to a valid passwd struct.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Ok(Some((uid, gid)))
}

fn as_user(cmd: &mut Command, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        cmd.uid(uid).gid(gid);
    }
}

/// A new private directory the server user can reach. Under the system temp directory,
/// or `/tmp` when running as root (root's own temp directory may be unreachable for the
/// `postgres` user); the socket path inside must stay under 107 bytes.
fn make_root_dir(owner: Option<(u32, u32)>) -> Result<PathBuf> {
    let base = match (std::env::var_os("PGSHIFT_TMPDIR"), owner) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(_)) => PathBuf::from("/tmp"),
        (None, None) => std::env::temp_dir(),
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let root = base.join(format!(
        "pgshift-{}-{}-{nanos:x}",
        std::process::id(),
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    ));
    if root.join(".s.PGSQL.5432").as_os_str().len() > 107 {
        return Err(Error::Cluster(format!(
            "temporary directory {} is too long for a Unix socket path; set PGSHIFT_TMPDIR to a shorter one",
            base.display()
        )));
    }
    let io = |e: std::io::Error| Error::Cluster(format!("{}: {e}", root.display()));
    // What earlier runs killed by SIGKILL (or a crash) left behind.
    orphans::remove_stale(&base, owner.map(|(uid, _)| uid));
    // Made and recorded under the handler's lock, so an interrupt never misses it.
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    if SHUTTING_DOWN.load(Ordering::SeqCst) {
        return Err(Error::Interrupted);
    }
    fs::create_dir_all(&root).map_err(io)?;
    running.insert(root.clone(), None);
    drop(running);
    fs::write(root.join(orphans::OWNER_FILE), orphans::owner_record()).map_err(io)?;
    fs::set_permissions(&root, fs::Permissions::from_mode(0o700)).map_err(io)?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(&root, Some(uid), Some(gid)).map_err(io)?;
    }
    Ok(root)
}

fn stop_postmaster(child: &mut Child) {
    // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, exit cleanly.
    // SAFETY: kill has no memory preconditions; the pid is our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Asked first by the signal handler: true when the program takes charge of this
/// interrupt (it stops what runs on a server and exits by itself), false to stop every
/// cluster and exit at once. The migration runner sets it.
static INTERRUPT_HOOK: std::sync::OnceLock<fn() -> bool> = std::sync::OnceLock::new();

/// Installs the signal handler with `hook` asked first on each Ctrl-C or SIGTERM.
pub fn set_interrupt_hook(hook: fn() -> bool) {
    let _ = INTERRUPT_HOOK.set(hook);
    install_signal_handler();
}

/// On Ctrl-C or SIGTERM: stop every cluster we started, remove its directory, exit 130
/// (unless the interrupt hook takes charge).
fn install_signal_handler() {
    SIGNALS.call_once(|| {
        // Another handler may be installed by an embedding program; then it is in charge.
        let _ = ctrlc::set_handler(|| {
            SHUTTING_DOWN.store(true, Ordering::SeqCst);
            if INTERRUPT_HOOK.get().is_some_and(|hook| hook()) {
                return;
            }
            stop_all();
            std::process::exit(130);
        });
    });
}

/// Stops every running cluster of this process. For handlers and `atexit` hooks.
pub fn stop_all() {
    // Held until return (and, from the signal handler, until exit): nothing new starts.
    let guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    stop_locked(guard);
}

/// For a panic hook: no new server starts, and every running one is stopped. The panic
/// may have struck while this thread held the lock (std's mutex is not reentrant): then
/// after two seconds the clusters are left to their parent-death signal.
pub fn stop_all_after_panic() {
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match RUNNING.try_lock() {
            Ok(guard) => return stop_locked(guard),
            Err(std::sync::TryLockError::Poisoned(e)) => return stop_locked(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(std::sync::TryLockError::WouldBlock) => return,
        }
    }
}

fn stop_locked(mut guard: std::sync::MutexGuard<'_, BTreeMap<PathBuf, Option<u32>>>) {
    let running = std::mem::take(&mut *guard);
    for (root, pid) in running {
        let Some(pid) = pid else {
            let _ = fs::remove_dir_all(root);
            continue;
        };
        // SAFETY: see stop_postmaster.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(10);
        // SAFETY: kill with signal 0 only checks that the process exists.
        while Instant::now() < deadline && unsafe { libc::kill(pid as libc::pid_t, 0) } == 0 {
            let mut status = 0;
            // SAFETY: reaps our own child if it has exited; WNOHANG never blocks.
            unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = fs::remove_dir_all(root);
    }
}
