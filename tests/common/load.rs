//! Live load for lock tests: loops that each run statements on a connection of their own
//! (a reader, a writer, an "old application"), every statement timed, while a migration
//! runs. A lock claim is proven by what these loops saw: none waited past the limit,
//! none failed, and enough of them ran while the migration did for that to mean something.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// What one statement of a loop did: its label (`"insert"`), or the label and the error.
pub type Outcome = Result<&'static str, (&'static str, postgres::Error)>;

/// What one loop saw.
#[derive(Debug, Default)]
pub struct Seen {
    pub statements: usize,
    /// Statements that started while the migration ran.
    pub during: usize,
    /// (SQLSTATE, "label: message") of each failed statement.
    pub errors: Vec<(String, String)>,
    /// Statements that took longer than the limit, failed or not: (label, how long).
    pub slow: Vec<(&'static str, Duration)>,
    pub max: Duration,
}

impl Seen {
    /// Failures that were lock timeouts (55P03).
    pub fn lock_timeouts(&self) -> usize {
        self.errors
            .iter()
            .filter(|(code, _)| code == "55P03")
            .count()
    }

    /// The claim: at least `min_during` statements ran while the migration did (else the
    /// test shows nothing), none failed and none waited past the limit.
    pub fn assert_never_blocked(&self, who: &str, min_during: usize, limit: Duration) {
        assert!(
            self.during >= min_during,
            "the {who} made only {} statements while the migration ran: the test shows nothing",
            self.during
        );
        assert!(
            self.errors.is_empty(),
            "{who}: statements failed: {:?}",
            self.errors
        );
        assert!(
            self.slow.is_empty(),
            "{who}: statements waited past {limit:?}: {:?}",
            self.slow
        );
    }
}

/// Loops started together and stopped together; `during` marks the migration.
pub struct Load {
    limit: Duration,
    pause: Duration,
    stop: Arc<AtomicBool>,
    migrating: Arc<AtomicBool>,
    loops: Vec<(&'static str, thread::JoinHandle<Seen>)>,
}

impl Load {
    /// Loops whose statements count as slow past `limit`, with `pause` between two
    /// statements of one loop.
    pub fn new(limit: Duration, pause: Duration) -> Load {
        Load {
            limit,
            pause,
            stop: Arc::new(AtomicBool::new(false)),
            migrating: Arc::new(AtomicBool::new(false)),
            loops: Vec::new(),
        }
    }

    /// Starts a loop named `who` that runs `work(client, i)` for i = 1, 2, ... on `client`.
    pub fn spawn(
        &mut self,
        who: &'static str,
        mut client: postgres::Client,
        work: impl Fn(&mut postgres::Client, i64) -> Outcome + Send + 'static,
    ) {
        let (stop, migrating) = (self.stop.clone(), self.migrating.clone());
        let (limit, pause) = (self.limit, self.pause);
        let handle = thread::spawn(move || {
            let mut seen = Seen::default();
            let mut i: i64 = 0;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let during = migrating.load(Ordering::SeqCst);
                let started = Instant::now();
                let result = work(&mut client, i);
                let took = started.elapsed();
                seen.statements += 1;
                seen.during += usize::from(during);
                seen.max = seen.max.max(took);
                let what = match &result {
                    Ok(what) | Err((what, _)) => *what,
                };
                if took > limit {
                    seen.slow.push((what, took));
                }
                if let Err((what, e)) = result {
                    let code = e.code().map(|c| c.code().to_string()).unwrap_or_default();
                    let message = e
                        .as_db_error()
                        .map(|d| d.message().to_string())
                        .unwrap_or_else(|| e.to_string());
                    seen.errors.push((code, format!("{what}: {message}")));
                }
                thread::sleep(pause);
            }
            seen
        });
        self.loops.push((who, handle));
    }

    /// Runs `migrate` with the loops marked as running during it, 300 ms of load before
    /// and after; returns its result and how long it took.
    pub fn during<T>(&self, migrate: impl FnOnce() -> T) -> (T, Duration) {
        thread::sleep(Duration::from_millis(300));
        self.migrating.store(true, Ordering::SeqCst);
        let started = Instant::now();
        let result = migrate();
        let took = started.elapsed();
        self.migrating.store(false, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(300));
        (result, took)
    }

    /// Stops the loops; what each saw, in the order they were started, also printed
    /// (shown when a test fails) under `label`.
    pub fn stop(self, label: &str) -> Vec<Seen> {
        self.stop.store(true, Ordering::SeqCst);
        self.loops
            .into_iter()
            .map(|(who, handle)| {
                let seen = handle
                    .join()
                    .unwrap_or_else(|_| panic!("the {who} loop panicked"));
                eprintln!(
                    "{label}: {who}: {} statements ({} while migrating), {} failed ({} lock \
                     timeouts), {} over {:?}, max {:?}",
                    seen.statements,
                    seen.during,
                    seen.errors.len(),
                    seen.lock_timeouts(),
                    seen.slow.len(),
                    self.limit,
                    seen.max
                );
                seen
            })
            .collect()
    }
}
