//! How pgshift scales with the number of tables, side by side with `pg_dump --schema-only`.
//!
//! ```text
//! cargo bench --bench scale                               # 100, 1,000 and 10,000 tables
//! PGSHIFT_BENCH_SIZES=100,1000 cargo bench --bench scale  # a quicker run
//! ```
//!
//! Environment:
//! - `PGSHIFT_BENCH_SIZES`: comma-separated table counts (default `100,1000,10000`);
//! - `PGSHIFT_BENCH_RUNS`: timed runs per measurement; the median is reported (default 5);
//! - `PGSHIFT_BENCH_OUT`: where to write `scale.md` and `scale.svg`
//!   (default `target/pgshift-bench`).
//!
//! On one throwaway cluster, for each size it loads the synthetic schema of
//! `support/synth.rs` and its changed copy into two databases, then times:
//! - introspection: `pgshift::source::introspect` of one database, in process, connection
//!   included;
//! - diff: `pgshift::diff::diff` of the two introspected schemas, in memory;
//! - plan: `pgshift::plan::plan` of the same pair, in memory (it runs the diff too);
//! - end to end: the release binary `pgshift diff --from URL --to URL` against the two live
//!   databases, output to /dev/null;
//! - pg_dump: `pg_dump --schema-only` of the first database, output to /dev/null.
//!
//! The last two run alternately, so that noise from other work on the machine falls on
//! both; their peak memory is the children's maximum resident set size (`wait4`).

#[path = "support/chart.rs"]
mod chart;
#[path = "support/synth.rs"]
mod synth;

use pgshift::pg::Cluster;
use pgshift::schema::Schema;
use pgshift::source::{introspect, IntrospectOptions};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Settings {
    sizes: Vec<usize>,
    runs: usize,
    out: PathBuf,
}

/// Medians of one size.
struct Figures {
    tables: usize,
    relations: usize,
    changes: usize,
    steps: usize,
    introspect: Duration,
    diff: Duration,
    plan: Duration,
    end_to_end: Duration,
    end_to_end_kib: u64,
    pg_dump: Duration,
    pg_dump_kib: u64,
}

fn main() {
    let settings = settings();
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let bin_dir = pgshift::pg::find_binaries().expect("PostgreSQL binaries");
    println!(
        "PostgreSQL {} from {}; {} runs per figure (median); sizes {:?}",
        cluster.version(),
        bin_dir.display(),
        settings.runs,
        settings.sizes
    );
    let mut all = vec![];
    for &n in &settings.sizes {
        let figures = measure(&cluster, &bin_dir, n, settings.runs);
        print_row(&figures);
        all.push(figures);
    }
    drop(cluster);
    let markdown = markdown(&all, &settings);
    println!("\n{markdown}");
    std::fs::create_dir_all(&settings.out).expect("create output directory");
    std::fs::write(settings.out.join("scale.md"), &markdown).expect("write scale.md");
    std::fs::write(settings.out.join("scale.svg"), chart_of(&all)).expect("write scale.svg");
    println!("wrote {}/scale.md and scale.svg", settings.out.display());
}

fn settings() -> Settings {
    let sizes = std::env::var("PGSHIFT_BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000,10000".into())
        .split(',')
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse()
                .expect("PGSHIFT_BENCH_SIZES: numbers")
        })
        .collect();
    let runs = std::env::var("PGSHIFT_BENCH_RUNS")
        .map(|s| s.parse().expect("PGSHIFT_BENCH_RUNS: a number"))
        .unwrap_or(5);
    let out = std::env::var_os("PGSHIFT_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pgshift-bench"));
    Settings { sizes, runs, out }
}

fn measure(cluster: &Cluster, bin_dir: &Path, n: usize, runs: usize) -> Figures {
    let started = Instant::now();
    let scripts = synth::scripts(n, 100);
    let (old_db, new_db) = (format!("bench_{n}_old"), format!("bench_{n}_new"));
    for (db, chunks) in [(&old_db, &scripts.old), (&new_db, &scripts.new)] {
        let mut admin = cluster.connect("postgres").expect("connect");
        for statement in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
        ] {
            admin.batch_execute(&statement).expect("create database");
        }
        let mut client = cluster.connect(db).expect("connect");
        for chunk in chunks {
            client
                .batch_execute(chunk)
                .expect("load the synthetic schema");
        }
        client.batch_execute("ANALYZE").expect("analyze");
    }
    eprintln!(
        "{n} tables: loaded two databases in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let load = |db: &str| -> Schema {
        let mut client = cluster.connect(db).expect("connect");
        introspect(&mut client, &IntrospectOptions::default(), db).expect("introspect")
    };
    let introspect = median(runs, || load(&old_db));
    let (old, new) = (load(&old_db), load(&new_db));
    let changes = pgshift::diff::diff(&old, &new).len();
    let steps = pgshift::plan::plan(&old, &new).expect("plan").steps.len();
    let diff = median(runs, || pgshift::diff::diff(&old, &new));
    let plan = median(runs, || pgshift::plan::plan(&old, &new).expect("plan"));

    let url = |db: &str| {
        format!(
            "postgresql:///{db}?host={}&port={}&user={}",
            cluster.socket_dir().display(),
            cluster.port(),
            cluster.superuser()
        )
    };
    let mut pgshift_cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
    pgshift_cmd
        .arg("diff")
        .args(["--from", &url(&old_db), "--to", &url(&new_db)]);
    let mut pg_dump_cmd = Command::new(pg_dump(bin_dir));
    pg_dump_cmd
        .args(["--schema-only", "--no-password", "-f", "/dev/null", "-h"])
        .arg(cluster.socket_dir())
        .args(["-p", &cluster.port().to_string(), "-U", cluster.superuser()])
        .args(["-d", &old_db]);
    let (mut e2e, mut dump) = (vec![], vec![]);
    for _ in 0..runs {
        e2e.push(run_child(&mut pgshift_cmd));
        dump.push(run_child(&mut pg_dump_cmd));
    }

    for db in [&old_db, &new_db] {
        let mut admin = cluster.connect("postgres").expect("connect");
        admin
            .batch_execute(&format!("DROP DATABASE {db}"))
            .expect("drop database");
    }
    Figures {
        tables: n,
        relations: old.tables.len(),
        changes,
        steps,
        introspect,
        diff,
        plan,
        end_to_end: median_of(e2e.iter().map(|r| r.0).collect()),
        end_to_end_kib: e2e.iter().map(|r| r.1).max().unwrap_or(0),
        pg_dump: median_of(dump.iter().map(|r| r.0).collect()),
        pg_dump_kib: dump.iter().map(|r| r.1).max().unwrap_or(0),
    }
}

/// The pg_dump of the server's own installation (the server binary may be a symlink into
/// it), else the first on PATH.
fn pg_dump(bin_dir: &Path) -> PathBuf {
    let server = std::fs::canonicalize(bin_dir.join("postgres")).unwrap_or_default();
    [bin_dir.join("pg_dump"), server.with_file_name("pg_dump")]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("pg_dump"))
}

/// The median time `f` takes to return; what it returns is freed after the clock stops
/// (the CLI never frees its schemas and plan: it exits).
fn median<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let times = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let result = std::hint::black_box(f());
            let elapsed = t.elapsed();
            drop(result);
            elapsed
        })
        .collect();
    median_of(times)
}

fn median_of(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Runs a command to completion: wall time and peak resident memory (KiB).
// The child is reaped by wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_child(cmd: &mut Command) -> (Duration, u64) {
    let t = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it in for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid we hold; the pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
        }
        panic!("{cmd:?} failed ({status}): {err}");
    }
    // ru_maxrss is in KiB on Linux.
    (elapsed, usage.ru_maxrss as u64)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_row(f: &Figures) {
    println!(
        "{:>6} tables ({} relations, {} changes, {} steps): introspect {:.1} ms, diff {:.2} ms, \
         plan {:.2} ms, pgshift diff {:.1} ms ({} MiB), pg_dump {:.1} ms ({} MiB), ratio {:.2}",
        f.tables,
        f.relations,
        f.changes,
        f.steps,
        ms(f.introspect),
        ms(f.diff),
        ms(f.plan),
        ms(f.end_to_end),
        f.end_to_end_kib / 1024,
        ms(f.pg_dump),
        f.pg_dump_kib / 1024,
        ratio(f)
    );
}

fn ratio(f: &Figures) -> f64 {
    f.end_to_end.as_secs_f64() / f.pg_dump.as_secs_f64()
}

fn markdown(all: &[Figures], settings: &Settings) -> String {
    let mut s = String::new();
    writeln!(
        s,
        "Median of {} runs. `pgshift diff` (end to end, two databases) against one `pg_dump --schema-only`.\n",
        settings.runs
    )
    .unwrap();
    s.push_str(
        "| tables | relations | changes | steps | introspect (1 db) | diff | plan (incl. diff) \
         | `pgshift diff` end to end | `pg_dump --schema-only` | ratio | peak RSS pgshift / pg_dump |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for f in all {
        writeln!(
            s,
            "| {} | {} | {} | {} | {:.1} ms | {:.2} ms | {:.2} ms | {:.1} ms | {:.1} ms | {:.2} | {} / {} MiB |",
            f.tables,
            f.relations,
            f.changes,
            f.steps,
            ms(f.introspect),
            ms(f.diff),
            ms(f.plan),
            ms(f.end_to_end),
            ms(f.pg_dump),
            ratio(f),
            f.end_to_end_kib / 1024,
            f.pg_dump_kib / 1024
        )
        .unwrap();
    }
    s.push_str(&growth(all));
    s
}

/// How each figure grows from one size to the next, against the growth of the table
/// count: 1.00 is linear, below it better than linear.
fn growth(all: &[Figures]) -> String {
    let mut s = String::new();
    if all.len() < 2 {
        return s;
    }
    s.push_str(
        "\nGrowth from one size to the next, divided by the growth in tables (1.00 = linear):\n\n\
         | tables | introspect | diff | plan | `pgshift diff` | `pg_dump` |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for w in all.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let size = b.tables as f64 / a.tables as f64;
        let factor = |pick: fn(&Figures) -> Duration| {
            pick(b).as_secs_f64() / pick(a).as_secs_f64().max(1e-9) / size
        };
        writeln!(
            s,
            "| {} → {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            a.tables,
            b.tables,
            factor(|f| f.introspect),
            factor(|f| f.diff),
            factor(|f| f.plan),
            factor(|f| f.end_to_end),
            factor(|f| f.pg_dump)
        )
        .unwrap();
    }
    s
}

fn chart_of(all: &[Figures]) -> String {
    let series = |label: &str, pick: fn(&Figures) -> Duration| chart::Series {
        label: label.to_string(),
        points: all
            .iter()
            .map(|f| (f.tables as f64, ms(pick(f)).max(0.001)))
            .collect(),
    };
    chart::svg(
        "pgshift against pg_dump --schema-only (median time)",
        &[
            series("introspect (1 db)", |f| f.introspect),
            series("diff", |f| f.diff),
            series("plan (incl. diff)", |f| f.plan),
            series("pgshift diff, 2 dbs", |f| f.end_to_end),
            series("pg_dump --schema-only", |f| f.pg_dump),
        ],
    )
}
