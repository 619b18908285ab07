//! `pgshift check` on a project with 1,000 migrations: cold (no replay cache: the history
//! is replayed on a throwaway cluster) and warm (the cache entry of the same files). Each
//! run is the `pgshift` binary as a user runs it, starting its own cluster.
//! `cargo bench --bench history [-- MIGRATIONS RUNS]`; the figures go in
//! docs/benchmarks.md by hand.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let dir = std::env::temp_dir().join(format!("pgshift-bench-history-{}", std::process::id()));
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let mut model = String::new();
    for i in 1..=n {
        let table = format!("t{i:04}");
        let up = format!(
            "CREATE TABLE {table} (id bigint PRIMARY KEY, name text NOT NULL, created_at \
             timestamptz NOT NULL DEFAULT now());\nCREATE INDEX {table}_name ON {table} (name);\n"
        );
        let stem = format!("{}_create_{table}", 20240101000000u64 + i as u64);
        std::fs::write(migrations.join(format!("{stem}.up.sql")), &up).unwrap();
        std::fs::write(
            migrations.join(format!("{stem}.down.sql")),
            format!("DROP TABLE {table};\n"),
        )
        .unwrap();
        model.push_str(&up);
    }
    std::fs::write(dir.join("schema.sql"), model).unwrap();
    std::fs::write(dir.join("pgshift.toml"), "model = \"schema.sql\"\n").unwrap();
    let cache = dir.join(".pgshift");
    let check = |dir: &Path| -> Duration {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .arg("check")
            .current_dir(dir)
            .env_remove("PGSHIFT_DEV_URL")
            .output()
            .expect("run pgshift");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        started.elapsed()
    };
    let mut cold = vec![];
    let mut warm = vec![];
    for round in 1..=runs {
        let _ = std::fs::remove_dir_all(&cache);
        cold.push(check(&dir));
        warm.push(check(&dir));
        eprintln!(
            "round {round} of {runs}: cold {:?}, warm {:?}",
            cold[round - 1],
            warm[round - 1]
        );
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (c, w) = (median(&mut cold), median(&mut warm));
    println!("| migrations | check, cold | check, warm (replay cache) |");
    println!("|-----------:|------------:|---------------------------:|");
    println!(
        "| {n} | {:.2} s | {:.2} s |",
        c.as_secs_f64(),
        w.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
