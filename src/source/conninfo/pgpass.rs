//! The password file, read as libpq reads it (PGPASSFILE, else `~/.pgpass`): lines of
//! `hostname:port:database:username:password`, `*` matching anything, `\` escaping `:`
//! and `\`, the first matching line winning, and a file that others can read ignored
//! with a warning.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// What a line is matched against. `host` is the name as given, or `localhost` for a
/// connection over the default Unix socket directory (as libpq does).
pub struct Target<'a> {
    pub host: &'a str,
    pub port: &'a str,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// Where the password file is: `passfile`/PGPASSFILE, else `~/.pgpass`.
pub fn default_path(home: Option<PathBuf>) -> Option<PathBuf> {
    home.map(|h| h.join(".pgpass"))
}

/// The password for `target` from the file at `path`. A missing file holds none; a file
/// that is not a plain file, or that the group or others can access, is ignored with a
/// warning (libpq's rule; the warning is printed by the caller, returned here).
pub fn lookup(path: &Path, target: &Target) -> Result<Option<String>, String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(format!(
            "password file {:?} is not a plain file",
            path.display().to_string()
        ));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(format!(
            "password file {:?} has group or world access; permissions should be u=rw (0600) or less",
            path.display().to_string()
        ));
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    Ok(find(&text, target))
}

/// The first line of `text` matching `target`: its password field, unescaped.
pub fn find(text: &str, target: &Target) -> Option<String> {
    let wanted = [target.host, target.port, target.dbname, target.user];
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want);
            matches.then(|| fields[4].clone())
        })
}

/// The fields of a line: split at unescaped `:`, escapes removed. The fifth is the
/// password; anything after another unescaped `:` is ignored, as libpq does.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field at least").push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut().expect("one field at least").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(host: &'a str, port: &'a str, dbname: &'a str, user: &'a str) -> Target<'a> {
        Target {
            host,
            port,
            dbname,
            user,
        }
    }

    #[test]
    fn libpq_matching_rules() {
        let file = "# comment\n\
                    db.example:5432:app:alice:first\n\
                    db.example:*:*:alice:second\n\
                    *:*:*:bob:b\\:o\\\\b:ignored\n\
                    we\\:ird:5432:*:*:weird\r\n\
                    localhost:5432:*:carol:socket\n\
                    short:line\n";
        let find = |t: Target| find(file, &t);
        assert_eq!(
            find(target("db.example", "5432", "app", "alice")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(target("db.example", "6543", "other", "alice")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find(target("anywhere", "1", "x", "bob")).as_deref(),
            Some("b:o\\b")
        );
        assert_eq!(
            find(target("we:ird", "5432", "x", "dave")).as_deref(),
            Some("weird")
        );
        assert_eq!(
            find(target("localhost", "5432", "x", "carol")).as_deref(),
            Some("socket")
        );
        assert_eq!(find(target("db.example", "5432", "app", "eve")), None);
        assert_eq!(find(target("short", "line", "", "")), None);
    }

    #[test]
    fn readable_by_others_is_ignored_with_a_warning() {
        let dir = std::env::temp_dir().join(format!("pgshift-pgpass-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pgpass");
        std::fs::write(&path, "*:*:*:*:pw\n").unwrap();
        let t = target("h", "5432", "d", "u");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let warning = lookup(&path, &t).unwrap_err();
        assert!(warning.contains("group or world access"), "{warning}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(lookup(&path, &t).unwrap().as_deref(), Some("pw"));
        assert_eq!(lookup(&dir.join("missing"), &t).unwrap(), None);
        assert!(lookup(&dir, &t).unwrap_err().contains("not a plain file"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
