//! A schema-per-tenant fleet of 1,000 targets (issue 17): `pgshift upgrade --fleet` of a
//! small history (create a table; add a column and an index) on 1,000 tenant schemas of
//! one database, then the re-run that finds every target up to date, then `status
//! --fleet`. Each run is the `pgshift` binary as a user runs it, on a private cluster the
//! bench starts; the schemas are made afresh before each round.
//! `cargo bench --bench fleet [-- TARGETS RUNS CONCURRENCY]` (defaults 1000 3 8); the
//! figures go in docs/benchmarks.md by hand.

use pgshift::pg::Cluster;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let mut admin = cluster.connect("postgres").expect("connect");
    let url = format!(
        "postgresql:///fleet?host={}&port={}&user={}",
        cluster.socket_dir().display(),
        cluster.port(),
        cluster.superuser()
    );
    let dir = std::env::temp_dir().join(format!("pgshift-bench-fleet-{}", std::process::id()));
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let write = |name: &str, text: &str| std::fs::write(migrations.join(name), text).unwrap();
    write(
        "1_create_t.up.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, note text);\n",
    );
    write("1_create_t.down.sql", "DROP TABLE t;\n");
    write(
        "2_add_c.up.sql",
        "ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX t_c ON t (c);\n",
    );
    write(
        "2_add_c.down.sql",
        "DROP INDEX t_c;\nALTER TABLE t DROP COLUMN c;\n",
    );
    std::fs::write(dir.join("schema.sql"), "").unwrap();
    std::fs::write(
        dir.join("pgshift.toml"),
        format!(
            "model = \"schema.sql\"\n\n[fleet]\nschemas = \"tenant\\\\_%\"\ndatabase = {url:?}\n\
             canaries = 1\nconcurrency = {concurrency}\n"
        ),
    )
    .unwrap();
    let run = |dir: &Path, args: &[&str]| -> (Duration, String) {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run pgshift");
        let took = started.elapsed();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (took, text)
    };
    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 1..=runs {
        // A fresh database each round (dropping 1,000 schemas in one transaction would
        // need more locks than the server has slots for).
        admin
            .batch_execute("DROP DATABASE IF EXISTS fleet WITH (FORCE)")
            .unwrap();
        admin.batch_execute("CREATE DATABASE fleet").unwrap();
        let mut db = cluster.connect("fleet").expect("connect");
        db.batch_execute(&format!(
            "DO $$ BEGIN FOR i IN 0..{} LOOP EXECUTE format('CREATE SCHEMA %I', \
             'tenant_' || lpad(i::text, 4, '0')); END LOOP; END $$;",
            n - 1
        ))
        .unwrap();
        drop(db);
        let (up, text) = run(&dir, &["upgrade", "--fleet", "--quiet"]);
        assert!(
            text.contains(&format!("{n} done, 0 failed, 0 not started")),
            "{text}"
        );
        let (again, text) = run(&dir, &["upgrade", "--fleet", "--quiet"]);
        assert_eq!(text.matches("up to date").count(), 2 * n, "{text}");
        let (status, _) = run(&dir, &["status", "--fleet"]);
        eprintln!(
            "round {round} of {runs}: upgrade --fleet {up:?}, re-run {again:?}, status --fleet {status:?}"
        );
        times[0].push(up);
        times[1].push(again);
        times[2].push(status);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "{n} tenant schemas, concurrency {concurrency}, medians of {runs}: upgrade --fleet \
         (2 migrations each) {:.1} s ({:.1} ms per target), re-run (all up to date) {:.1} s, \
         status --fleet {:.1} s",
        median(&mut times[0]).as_secs_f64(),
        times[0][times[0].len() / 2].as_secs_f64() * 1000.0 / n as f64,
        median(&mut times[1]).as_secs_f64(),
        median(&mut times[2]).as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
