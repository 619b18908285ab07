//! `pgshift check` and `pgshift generate` on a project with 1,000 migrations: cold (no
//! replay cache: the history is replayed on a throwaway cluster) and warm (the cache entry
//! of the same files). `generate` writes one migration (the model has one table more than
//! the history), which is deleted after each run. Each run is the `pgshift` binary as a
//! user runs it, starting its own cluster.
//! `cargo bench --bench history [-- MIGRATIONS RUNS [churn]]`; the figures go in
//! docs/benchmarks.md by hand.
//!
//! The default history creates one table per migration. `churn` is a history as teams
//! write them: MIGRATIONS/10 tables, each filled with 20,000 rows and then changed by nine
//! more migrations (add and backfill a column, build and drop indexes, widen a type, add a
//! check, add and drop a column): replay runs all of it, where the final schema is small.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let churn = args.next().is_some_and(|a| a == "churn");
    let dir = std::env::temp_dir().join(format!("pgshift-bench-history-{}", std::process::id()));
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let mut model = match churn {
        true => write_churn(&migrations, n / 10),
        false => write_plain(&migrations, n),
    };
    std::fs::write(dir.join("schema.sql"), &model).unwrap();
    model.push_str("CREATE TABLE added (id bigint PRIMARY KEY, note text);\n");
    std::fs::write(dir.join("next.sql"), model).unwrap();
    std::fs::write(dir.join("pgshift.toml"), "model = \"schema.sql\"\n").unwrap();
    std::fs::write(dir.join("next.toml"), "model = \"next.sql\"\n").unwrap();
    let cache = dir.join(".pgshift");
    let run = |dir: &Path, args: &[&str]| -> Duration {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
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
    let written = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&migrations)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("_added."))
            .collect()
    };
    // One migration written, then removed: the history stays the 1,000 files.
    let generate = |dir: &Path| -> Duration {
        let took = run(dir, &["generate", "--config", "next.toml", "-m", "added"]);
        let new = written();
        assert_eq!(new.len(), 2, "{new:?}");
        for f in new {
            std::fs::remove_file(f).unwrap();
        }
        took
    };
    let mut times: [Vec<Duration>; 4] = Default::default();
    for round in 1..=runs {
        let _ = std::fs::remove_dir_all(&cache);
        times[0].push(run(&dir, &["check"]));
        times[1].push(run(&dir, &["check"]));
        let _ = std::fs::remove_dir_all(&cache);
        times[2].push(generate(&dir));
        times[3].push(generate(&dir));
        eprintln!(
            "round {round} of {runs}: check cold {:?}, warm {:?}; generate cold {:?}, warm {:?}",
            times[0][round - 1],
            times[1][round - 1],
            times[2][round - 1],
            times[3][round - 1]
        );
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64()
    };
    let [c, w, gc, gw] = times.each_mut().map(median);
    println!(
        "history: {}",
        if churn {
            "churn"
        } else {
            "one table per migration"
        }
    );
    println!(
        "| migrations | check, cold | check, warm (replay cache) | generate, cold | generate, warm (replay cache) |"
    );
    println!(
        "|-----------:|------------:|---------------------------:|---------------:|------------------------------:|"
    );
    println!("| {n} | {c:.2} s | {w:.2} s | {gc:.2} s | {gw:.2} s |");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `n` migrations, each creating a table with a primary key, a default and an index; the
/// model.
fn write_plain(migrations: &Path, n: usize) -> String {
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
    model
}

/// Ten migrations for each of `tables` tables, with rows and changes undone later; the
/// model.
fn write_churn(migrations: &Path, tables: usize) -> String {
    let mut version = 20240101000000u64;
    let mut model = String::new();
    for i in 1..=tables {
        let t = format!("t{i:04}");
        let steps = [
            (
                "create",
                format!(
                    "CREATE TABLE {t} (id bigint PRIMARY KEY, name text NOT NULL, n int);\n\
                     INSERT INTO {t} SELECT g, 'x' || g, g FROM generate_series(1, 20000) g;\n"
                ),
                format!("DROP TABLE {t};\n"),
            ),
            (
                "add_score",
                format!("ALTER TABLE {t} ADD COLUMN score int;\nUPDATE {t} SET score = n * 2;\n"),
                format!("ALTER TABLE {t} DROP COLUMN score;\n"),
            ),
            (
                "index_name",
                format!("CREATE INDEX {t}_name ON {t} (name);\n"),
                format!("DROP INDEX {t}_name;\n"),
            ),
            (
                "widen_n",
                format!("ALTER TABLE {t} ALTER COLUMN n TYPE bigint;\n"),
                format!("ALTER TABLE {t} ALTER COLUMN n TYPE int;\n"),
            ),
            (
                "index_score",
                format!("CREATE INDEX {t}_score ON {t} (score);\n"),
                format!("DROP INDEX {t}_score;\n"),
            ),
            (
                "drop_index_name",
                format!("DROP INDEX {t}_name;\n"),
                format!("CREATE INDEX {t}_name ON {t} (name);\n"),
            ),
            (
                "add_note",
                format!("ALTER TABLE {t} ADD COLUMN note text DEFAULT '';\n"),
                format!("ALTER TABLE {t} DROP COLUMN note;\n"),
            ),
            (
                "backfill_note",
                format!("UPDATE {t} SET note = name || score;\n"),
                "SELECT 1;\n".to_string(),
            ),
            (
                "check_score",
                format!("ALTER TABLE {t} ADD CONSTRAINT {t}_score_pos CHECK (score >= 0);\n"),
                format!("ALTER TABLE {t} DROP CONSTRAINT {t}_score_pos;\n"),
            ),
            (
                "drop_note",
                format!("ALTER TABLE {t} DROP COLUMN note;\n"),
                format!("ALTER TABLE {t} ADD COLUMN note text DEFAULT '';\n"),
            ),
        ];
        for (name, up, down) in steps {
            version += 1;
            let stem = format!("{version}_{name}_{t}");
            std::fs::write(migrations.join(format!("{stem}.up.sql")), up).unwrap();
            std::fs::write(migrations.join(format!("{stem}.down.sql")), down).unwrap();
        }
        model.push_str(&format!(
            "CREATE TABLE {t} (id bigint PRIMARY KEY, name text NOT NULL, n bigint, score int, \
             CONSTRAINT {t}_score_pos CHECK (score >= 0));\nCREATE INDEX {t}_score ON {t} (score);\n"
        ));
    }
    model
}
