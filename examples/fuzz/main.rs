//! `cargo run --release --example fuzz -- --inputs 1000000 [--seed N] [--time-limit-ms MS]
//! [--out DIR] [--known TEXT]...`: see docs/fuzzing.md. Exit 0 when no input panicked,
//! 1 when one did (the inputs are in DIR), 3 on a hang.

mod engine;

use std::path::PathBuf;
use std::time::Duration;

fn main() {
    let mut options = engine::Options {
        inputs: 100_000,
        seed: 1,
        time_limit: Duration::from_secs(2),
        out_dir: PathBuf::from("target/fuzz"),
        known: vec![],
        quiet: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--inputs" => options.inputs = value().parse().unwrap_or_else(|_| usage("--inputs N")),
            "--seed" => options.seed = value().parse().unwrap_or_else(|_| usage("--seed N")),
            "--time-limit-ms" => {
                let ms = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--time-limit-ms MS"));
                options.time_limit = Duration::from_millis(ms);
            }
            "--out" => options.out_dir = PathBuf::from(value()),
            "--known" => options.known.push(value()),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let report = engine::fuzz(&root, &options);
    println!(
        "{} inputs in {:.1} s (toml {}, rust {}, sql {}): {} panics{}, 0 hangs (limit {:?} per input)",
        report.inputs,
        report.elapsed.as_secs_f64(),
        report.per_target[0],
        report.per_target[1],
        report.per_target[2],
        report.panics.len(),
        if report.known_panics > 0 {
            format!(" (and {} known, excluded with --known)", report.known_panics)
        } else {
            String::new()
        },
        options.time_limit,
    );
    let mut distinct: Vec<&str> = report.panics.iter().map(|(_, m, _)| m.as_str()).collect();
    distinct.sort();
    distinct.dedup();
    for message in distinct {
        let (target, _, file) = report
            .panics
            .iter()
            .find(|(_, m, _)| m == message)
            .expect("listed");
        println!("  {target}: {message}\n    e.g. {}", file.display());
    }
    std::process::exit(if report.panics.is_empty() { 0 } else { 1 });
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}\nusage: fuzz [--inputs N] [--seed N] [--time-limit-ms MS] [--out DIR] [--known TEXT]...");
    std::process::exit(2);
}
