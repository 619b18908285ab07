//! Progress of long statements, watched from a second connection while the runner's
//! connection is busy: a batched backfill's batches, rows per second and time left (the
//! backfill writes them into its session's `application_name`, see
//! `plan::rules::backfill`); a `CREATE INDEX CONCURRENTLY`'s phase and blocks or tuples
//! done (`pg_stat_progress_create_index`, PostgreSQL 12+); a statement waiting for a lock,
//! with who holds it (`pg_blocking_pids`). `VALIDATE CONSTRAINT` has no progress view
//! (PostgreSQL 15 reports none for it): the time it has run and the size of its table.
//!
//! On a terminal, one line redrawn in place with a bar; otherwise a plain line every few
//! seconds; nothing when quiet. Only statements that run longer than a second are shown.

use crate::source::{connect, ConnInfo};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Quiet,
    /// Plain lines (not a terminal).
    Lines,
    /// One line redrawn in place (a terminal).
    Bar,
}

impl Output {
    /// `Bar` when stderr is a terminal, `Lines` otherwise, `Quiet` when asked.
    pub fn detect(quiet: bool) -> Output {
        use std::io::IsTerminal;
        if quiet {
            Output::Quiet
        } else if std::io::stderr().is_terminal() {
            Output::Bar
        } else {
            Output::Lines
        }
    }
}

/// A thread that watches the runner's backend until dropped.
pub struct Monitor {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Monitor {
    /// Watches backend `pid` through a connection of its own. A monitor that cannot
    /// connect shows nothing: progress is never a reason for a migration to fail.
    pub fn start(info: &ConnInfo, pid: i32, output: Output) -> Monitor {
        let stop = Arc::new(AtomicBool::new(false));
        let handle = (output != Output::Quiet).then(|| {
            let (info, stop) = (info.clone(), stop.clone());
            std::thread::spawn(move || {
                if let Ok(mut client) = connect(&info) {
                    watch(&mut client, pid, output, &stop);
                }
            })
        });
        Monitor { stop, handle }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// What the runner's backend is doing. `{lock_wait}`: how long it has waited for the lock
/// it waits for (`pg_locks.waitstart`, PostgreSQL 14+), not how long its statement has run:
/// a backfill waits for a row lock at most its batch lock timeout at a time.
const QUERY: &str = "
SELECT a.application_name, coalesce(a.wait_event_type, ''), coalesce(a.state, ''),
       extract(epoch FROM clock_timestamp() - a.query_start)::float8,
       pg_catalog.pg_blocking_pids(a.pid),
       p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total,
       left(a.query, 200),
       {lock_wait}
FROM pg_catalog.pg_stat_activity a
LEFT JOIN pg_catalog.pg_stat_progress_create_index p ON p.pid = a.pid
WHERE a.pid = $1";

const LOCK_WAIT: &str = "(SELECT extract(epoch FROM clock_timestamp() - min(l.waitstart))::float8
        FROM pg_catalog.pg_locks l WHERE l.pid = a.pid AND NOT l.granted)";

const HOLDERS: &str = "
SELECT pid, coalesce(usename::text, ''), coalesce(application_name, ''), coalesce(state, ''),
       coalesce(extract(epoch FROM clock_timestamp() - xact_start)::float8, 0),
       left(regexp_replace(query, '\\s+', ' ', 'g'), 80)
FROM pg_catalog.pg_stat_activity WHERE pid = ANY($1)";

fn watch(client: &mut postgres::Client, pid: i32, output: Output, stop: &AtomicBool) {
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_or(0, |r| r.get(0));
    let query = QUERY.replace(
        "{lock_wait}",
        if version >= 140000 {
            LOCK_WAIT
        } else {
            "NULL::float8"
        },
    );
    let mut last_print = Instant::now() - Duration::from_secs(60);
    let mut drawn = false;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(250));
        let line = match describe(client, &query, pid) {
            Some(line) => line,
            None => continue,
        };
        let every = match output {
            Output::Bar => Duration::from_millis(250),
            _ => Duration::from_secs(2),
        };
        if last_print.elapsed() < every {
            continue;
        }
        last_print = Instant::now();
        let mut err = std::io::stderr().lock();
        match output {
            Output::Bar => {
                let _ = write!(err, "\r\x1b[2K{line}");
                drawn = true;
            }
            _ => {
                let _ = writeln!(err, "progress: {line}");
            }
        }
        let _ = err.flush();
    }
    if drawn {
        let _ = writeln!(std::io::stderr(), "\r\x1b[2K");
    }
}

/// One line about what backend `pid` is doing, when it is worth showing.
fn describe(client: &mut postgres::Client, query: &str, pid: i32) -> Option<String> {
    let row = client.query_opt(query, &[&pid]).ok()??;
    let app: String = row.get::<_, Option<String>>(0).unwrap_or_default();
    let wait: String = row.get(1);
    let state: String = row.get(2);
    let seconds: f64 = row.get::<_, Option<f64>>(3).unwrap_or(0.0);
    let blockers: Vec<i32> = row.get::<_, Option<Vec<i32>>>(4).unwrap_or_default();
    let query: String = row.get::<_, Option<String>>(10).unwrap_or_default();
    if state != "active" || seconds < 1.0 {
        return None;
    }
    if wait == "Lock" && !blockers.is_empty() {
        let waited = row.get::<_, Option<f64>>(11).unwrap_or(seconds);
        return Some(holders(client, &blockers, waited));
    }
    if let Some(line) = backfill(&app, seconds) {
        return Some(line);
    }
    if let Some(phase) = row.get::<_, Option<String>>(5) {
        let (bd, bt): (Option<i64>, Option<i64>) = (row.get(6), row.get(7));
        let (td, tt): (Option<i64>, Option<i64>) = (row.get(8), row.get(9));
        let done = match (bd, bt, td, tt) {
            (Some(d), Some(t), _, _) if t > 0 => format!(", {}", bar("blocks", d, t)),
            (_, _, Some(d), Some(t)) if t > 0 => format!(", {}", bar("tuples", d, t)),
            _ => String::new(),
        };
        return Some(format!("index build: {phase}{done}, {seconds:.0} s"));
    }
    if query.contains("VALIDATE CONSTRAINT") {
        return Some(format!(
            "validating a constraint: {seconds:.0} s so far (PostgreSQL reports no progress \
             for VALIDATE; it scans the whole table once)"
        ));
    }
    Some(format!("running for {seconds:.0} s"))
}

/// `pgshift backfill BATCHES SCANNED TOTAL UPDATED`, as the generated backfill sets it,
/// `seconds` after its statement started. The rate counts the rows this run updated, not
/// those it walked past: resumed after an interruption, the backfill first walks the rows
/// an earlier run filled, quickly and writing nothing, which would make the rate too high
/// and the time left too short. The time left is the rows not walked yet at that rate.
fn backfill(app: &str, seconds: f64) -> Option<String> {
    if app.starts_with("pgshift backfill: ") {
        return Some(app.trim_start_matches("pgshift ").to_string());
    }
    let rest = app.strip_prefix("pgshift backfill ")?;
    let n: Vec<i64> = rest
        .split(' ')
        .map(str::parse)
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    let [batches, scanned, total, updated] = n[..] else {
        return None;
    };
    let rate = updated as f64 / seconds.max(0.001);
    let left = if total > scanned && rate > 0.0 {
        format!(", about {:.0} s left", (total - scanned) as f64 / rate)
    } else {
        String::new()
    };
    Some(format!(
        "backfill: {batches} batches, {}, {updated} rows updated in {seconds:.1} s, \
         {rate:.0} rows/s{left}",
        bar("rows", scanned, total.max(scanned))
    ))
}

fn bar(what: &str, done: i64, total: i64) -> String {
    let share = if total > 0 {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (share * 20.0).round() as usize;
    format!(
        "[{}{}] {done} of {total} {what} ({:.0}%)",
        "#".repeat(filled),
        "-".repeat(20 - filled),
        share * 100.0
    )
}

/// Who holds the lock a statement waits for.
fn holders(client: &mut postgres::Client, pids: &[i32], seconds: f64) -> String {
    let rows = client.query(HOLDERS, &[&pids]).unwrap_or_default();
    let who: Vec<String> = rows
        .iter()
        .map(|r| {
            let pid: i32 = r.get(0);
            let user: String = r.get(1);
            let app: String = r.get(2);
            let state: String = r.get(3);
            let xact: f64 = r.get(4);
            let query: String = r.get::<_, Option<String>>(5).unwrap_or_default();
            crate::sql::terminal(&format!(
                "pid {pid} (user {user}, application {app:?}, {state}, transaction open {xact:.0} s: {query})"
            ))
        })
        .collect();
    format!(
        "waiting {seconds:.1} s for a lock held by {}",
        if who.is_empty() {
            format!("{pids:?}")
        } else {
            who.join("; ")
        }
    )
}

/// For the runner's connection: prints the notices pgshift's own statements raise (a
/// backfill's batch retried after a lock timeout, its rows updated) on stderr, unless
/// quiet; other notices stay unshown, as before.
pub fn notice_printer(output: Output) -> impl Fn(postgres::error::DbError) + Send + Sync {
    notice_printer_for(output, None)
}

/// `notice_printer` for one target of several (a fleet rollout): each line says which.
pub fn notice_printer_for(
    output: Output,
    target: Option<String>,
) -> impl Fn(postgres::error::DbError) + Send + Sync {
    move |notice| {
        if output == Output::Quiet || !notice.message().starts_with("pgshift ") {
            return;
        }
        let line = match &target {
            Some(t) => crate::sql::terminal(&format!("{t}: {}", notice.message())),
            None => crate::sql::terminal(notice.message()),
        };
        let mut err = std::io::stderr().lock();
        let _ = match output {
            // Over the bar, which the next progress line draws again.
            Output::Bar => writeln!(err, "\r\x1b[2Knotice: {line}"),
            _ => writeln!(err, "notice: {line}"),
        };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_backfill_line_reads_its_application_name() {
        let line = super::backfill("pgshift backfill 10 20000 100000 20000", 2.0).unwrap();
        assert_eq!(
            line,
            "backfill: 10 batches, [####----------------] 20000 of 100000 rows (20%), 20000 rows \
             updated in 2.0 s, 10000 rows/s, about 8 s left"
        );
        assert_eq!(super::backfill("psql", 2.0), None);
        assert_eq!(
            super::backfill("pgshift backfill: waiting for replicas", 1.0).unwrap(),
            "backfill: waiting for replicas"
        );
    }

    /// Resumed after 600,000 rows were filled: 10 s in, it has walked 800,000 rows and
    /// updated 200,000 of them. 20,000 rows/s, 200,000 rows to go: 10 s left (counting
    /// the rows walked past would say 80,000 rows/s and 3 s).
    #[test]
    fn after_a_resume_the_rate_counts_only_the_rows_of_this_run() {
        let line = super::backfill("pgshift backfill 80 800000 1000000 200000", 10.0).unwrap();
        assert!(
            line.ends_with("200000 rows updated in 10.0 s, 20000 rows/s, about 10 s left"),
            "{line}"
        );
        // Still walking what the earlier run filled: no rate, no time left yet.
        let line = super::backfill("pgshift backfill 30 300000 1000000 0", 3.0).unwrap();
        assert!(
            line.ends_with("0 rows updated in 3.0 s, 0 rows/s"),
            "{line}"
        );
    }
}
