//! A project folder in which tests run the `pgshift` binary as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under the temp dir, unique to this process and moment.
pub fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pgshift-{label}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir`, with no database URL from the environment and models built
/// on `dev_url` when given.
pub fn pgshift(dir: &Path, dev_url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("PGSHIFT_DEV_URL");
    if let Some(url) = dev_url {
        cmd.env("PGSHIFT_DEV_URL", url);
    }
    cmd.output().expect("run pgshift")
}

/// `pgshift` that must exit 0; its stdout.
pub fn ok(dir: &Path, dev_url: Option<&str>, args: &[&str]) -> String {
    let out = pgshift(dir, dev_url, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "pgshift {args:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}
