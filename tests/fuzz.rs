//! A short run of the fuzzer (examples/fuzz, docs/fuzzing.md) in the test suite: any
//! panic or hang fails it.

#[path = "../examples/fuzz/engine.rs"]
mod engine;

use std::path::PathBuf;
use std::time::Duration;

#[test]
fn twenty_thousand_mutated_inputs_without_a_panic_or_hang() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let options = engine::Options {
        inputs: 20_000,
        seed: 20_000,
        // A debug build, on a shared machine.
        time_limit: Duration::from_secs(10),
        out_dir: root.join("target/fuzz-test"),
        known: vec![],
        quiet: true,
    };
    let report = engine::fuzz(&root, &options);
    assert!(
        report.panics.is_empty(),
        "{} of {} inputs panicked: {:#?}",
        report.panics.len(),
        report.inputs,
        report.panics
    );
    assert!(
        report.per_target.iter().all(|n| *n > 1_000),
        "{:?}",
        report.per_target
    );
}
