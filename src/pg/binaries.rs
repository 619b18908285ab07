use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The directory holding `initdb` and `postgres`: `$PGSHIFT_PG_BIN` if set, else the first
/// on `PATH`, else the newest `/usr/lib/postgresql/<version>/bin` (Debian and Ubuntu).
pub fn find_binaries() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("PGSHIFT_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(Error::Cluster(format!(
                "PGSHIFT_PG_BIN={} holds no initdb and postgres",
                dir.display()
            )))
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path.into_iter().find(|d| has_server(d)) {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_server(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| {
        Error::Cluster(
            "no PostgreSQL server binaries (initdb, postgres) on PATH or under \
             /usr/lib/postgresql/*/bin; install the server (e.g. `apt-get install postgresql`), \
             set PGSHIFT_PG_BIN, or pass --dev-url to use an existing server"
                .into(),
        )
    })
}

fn has_server(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("postgres").is_file()
}
