//! The library API for users' own tests (pgshift::testing), used as a user would: the
//! fixture crate tests/fixtures/testing-api depends on pgshift without its command-line
//! dependencies and snapshots its migrations with insta. Its snapshots are committed;
//! a test that no longer matches them fails here (INSTA_UPDATE=no).

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn the_fixture_crate_snapshots_its_migrations_with_the_documented_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/testing-api");
    let out = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--locked", "--manifest-path"])
        .arg(fixture.join("Cargo.toml"))
        // A target folder of its own: this test's cargo holds the crate's.
        .env("CARGO_TARGET_DIR", root.join("target/testing-api-fixture"))
        .env("PGSHIFT_DEV_URL", common::dev_url())
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let said = common::output_text(&out);
    assert!(out.status.success(), "{said}");
    for test in [
        "the_migrations_hold_every_change_of_the_model",
        "the_next_model_is_not_yet_migrated",
        "next_migration",
        "history",
    ] {
        assert!(said.contains(&format!("test {test} ... ok")), "{said}");
    }
    // clap is a dependency of the command-line program only.
    let tree = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "--edges",
            "normal,build",
            "--manifest-path",
        ])
        .arg(fixture.join("Cargo.toml"))
        .args(["--target", "all", "-i", "clap"])
        .output()
        .expect("run cargo tree");
    let tree_said = common::output_text(&tree);
    assert!(
        !tree.status.success() || tree_said.trim().is_empty(),
        "clap is in the library's build:\n{tree_said}"
    );
}
