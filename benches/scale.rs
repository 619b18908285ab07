//! How pgshift scales with the number of tables, side by side with `pg_dump --schema-only`.
//!
//! ```text
//! cargo bench --bench scale                               # 100, 1,000 and 10,000 tables
//! PGSHIFT_BENCH_SIZES=100,1000 cargo bench --bench scale  # a quicker run
//! ```
//!
//! Environment:
//! - `PGSHIFT_BENCH_SIZES`: comma-separated table counts (default `100,1000,10000`);
//! - `PGSHIFT_BENCH_RUNS`: rounds, one timed run of each measurement per size each; the
//!   median is reported (default 5);
//! - `PGSHIFT_BENCH_OUT`: where to write `scale.md` and `scale.svg`
//!   (default `target/pgshift-bench`).
//!
//! On one throwaway cluster, for each size it loads the synthetic schema of
//! `support/synth.rs` and its changed copy into two databases. Then, round after round,
//! it times each size in turn (so that the machine's drift over minutes falls on every
//! size alike, not on the last one measured):
//! - introspection: `pgshift::source::introspect` of one database, in process, connection
//!   included;
//! - diff: `pgshift::diff::diff` of the two introspected schemas, in memory;
//! - plan: `pgshift::plan::plan` of the same pair, in memory (it runs the diff too);
//! - end to end: the release binary `pgshift diff --from URL --to URL` against the two live
//!   databases, output to /dev/null;
//! - pg_dump: `pg_dump --schema-only` of the first database, output to /dev/null.
//!
//! The last two run alternately, so that noise from other work on the machine falls on
//! both; their peak memory is the children's maximum resident set size (`wait4`), taken
//! by a helper process (`support/spawner.rs`) so that it is not the benchmark's own.

#[path = "support/chart.rs"]
mod chart;
#[path = "support/spawner.rs"]
mod spawner;
#[path = "support/synth.rs"]
mod synth;

use pgshift::pg::Cluster;
use pgshift::schema::Schema;
use pgshift::source::{introspect, IntrospectOptions};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
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
    spawner::serve_if_helper();
    // Before anything is loaded, so that the children's peak memory is their own.
    let mut spawner = spawner::Spawner::start();
    let settings = settings();
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let bin_dir = pgshift::pg::find_binaries().expect("PostgreSQL binaries");
    println!(
        "PostgreSQL {} from {}; {} rounds (median); sizes {:?}",
        cluster.version(),
        bin_dir.display(),
        settings.runs,
        settings.sizes
    );
    let pairs: Vec<Pair> = settings
        .sizes
        .iter()
        .map(|&n| Pair::load(&cluster, &bin_dir, n))
        .collect();
    // Round after round, every size in turn: the machine's speed drifts over minutes, and
    // measured this way the drift falls on all sizes alike instead of on the last one.
    let mut samples: Vec<Samples> = pairs.iter().map(|_| Samples::default()).collect();
    for round in 1..=settings.runs {
        for (pair, samples) in pairs.iter().zip(&mut samples) {
            pair.measure(&cluster, &mut spawner, samples);
        }
        eprintln!("round {round} of {} done", settings.runs);
    }
    let all: Vec<Figures> = pairs
        .iter()
        .zip(&samples)
        .map(|(pair, samples)| pair.figures(samples))
        .collect();
    for f in &all {
        print_row(f);
    }
    for pair in pairs {
        pair.drop_databases(&cluster);
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

/// One size: its two databases, loaded, and their schemas read once.
struct Pair {
    tables: usize,
    old_db: String,
    new_db: String,
    old: Schema,
    new: Schema,
    changes: usize,
    steps: usize,
    /// `pgshift diff` of the two databases, and `pg_dump` of the first.
    pgshift_argv: Vec<String>,
    pg_dump_argv: Vec<String>,
}

/// Every timed run of one size.
#[derive(Default)]
struct Samples {
    introspect: Vec<Duration>,
    diff: Vec<Duration>,
    plan: Vec<Duration>,
    end_to_end: Vec<(Duration, u64)>,
    pg_dump: Vec<(Duration, u64)>,
}

impl Pair {
    fn load(cluster: &Cluster, bin_dir: &Path, n: usize) -> Pair {
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
        let url = |db: &str| {
            format!(
                "postgresql:///{db}?host={}&port={}&user={}",
                cluster.socket_dir().display(),
                cluster.port(),
                cluster.superuser()
            )
        };
        let pgshift_argv = vec![
            env!("CARGO_BIN_EXE_pgshift").to_string(),
            "diff".into(),
            "--from".into(),
            url(&old_db),
            "--to".into(),
            url(&new_db),
        ];
        let pg_dump_argv = vec![
            pg_dump(bin_dir).display().to_string(),
            "--schema-only".into(),
            "--no-password".into(),
            "-f".into(),
            "/dev/null".into(),
            "-h".into(),
            cluster.socket_dir().display().to_string(),
            "-p".into(),
            cluster.port().to_string(),
            "-U".into(),
            cluster.superuser().to_string(),
            "-d".into(),
            old_db.clone(),
        ];
        let (old, new) = (read(cluster, &old_db), read(cluster, &new_db));
        let changes = pgshift::diff::diff(&old, &new).len();
        let steps = pgshift::plan::plan(&old, &new).expect("plan").steps.len();
        Pair {
            tables: n,
            old_db,
            new_db,
            old,
            new,
            changes,
            steps,
            pgshift_argv,
            pg_dump_argv,
        }
    }

    /// One timed run of each measurement. The in-memory ones after an untimed plan, so
    /// that every size is timed with warm caches, as a loop over one size would be.
    fn measure(&self, cluster: &Cluster, spawner: &mut spawner::Spawner, samples: &mut Samples) {
        samples
            .introspect
            .push(time(|| read(cluster, &self.old_db)));
        drop(pgshift::plan::plan(&self.old, &self.new));
        samples
            .diff
            .push(time(|| pgshift::diff::diff(&self.old, &self.new)));
        samples.plan.push(time(|| {
            pgshift::plan::plan(&self.old, &self.new).expect("plan")
        }));
        // The two children alternate, so that noise falls on both.
        samples.end_to_end.push(spawner.run(&self.pgshift_argv));
        samples.pg_dump.push(spawner.run(&self.pg_dump_argv));
    }

    fn figures(&self, samples: &Samples) -> Figures {
        let times = |runs: &[(Duration, u64)]| runs.iter().map(|r| r.0).collect();
        let peak = |runs: &[(Duration, u64)]| runs.iter().map(|r| r.1).max().unwrap_or(0);
        Figures {
            tables: self.tables,
            relations: self.old.tables.len(),
            changes: self.changes,
            steps: self.steps,
            introspect: median_of(samples.introspect.clone()),
            diff: median_of(samples.diff.clone()),
            plan: median_of(samples.plan.clone()),
            end_to_end: median_of(times(&samples.end_to_end)),
            end_to_end_kib: peak(&samples.end_to_end),
            pg_dump: median_of(times(&samples.pg_dump)),
            pg_dump_kib: peak(&samples.pg_dump),
        }
    }

    fn drop_databases(self, cluster: &Cluster) {
        let mut admin = cluster.connect("postgres").expect("connect");
        for db in [&self.old_db, &self.new_db] {
            admin
                .batch_execute(&format!("DROP DATABASE {db}"))
                .expect("drop database");
        }
    }
}

/// Introspection of `db`, connection included.
fn read(cluster: &Cluster, db: &str) -> Schema {
    let mut client = cluster.connect(db).expect("connect");
    introspect(&mut client, &IntrospectOptions::default(), db).expect("introspect")
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

/// How long `f` takes to return; what it returns is freed after the clock stops (the CLI
/// never frees its schemas and plan: it exits).
fn time<R>(f: impl FnOnce() -> R) -> Duration {
    let t = Instant::now();
    let result = std::hint::black_box(f());
    let elapsed = t.elapsed();
    drop(result);
    elapsed
}

fn median_of(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
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
        "Median of {} rounds (each size timed once per round, sizes in turn). `pgshift diff` (end to end, two databases) against one `pg_dump --schema-only`.\n",
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
