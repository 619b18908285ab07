//! The replay cache of `pgshift generate` (and the entry `generate` leaves for `check`),
//! through the binary: a second `generate` on an unchanged history does not replay it,
//! what it writes is what a cold run writes, and an edited old migration is replayed.

mod common;

use common::output_text;
use common::project::Project;

const NOTE: &str = "not replayed: the schema of the";

/// A migration's text with its timestamps (versions, `created:`) taken out, for comparing
/// two runs made seconds apart.
fn timeless(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("-- created:"))
        .map(|l| {
            l.split(|c: char| c.is_ascii_digit())
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("#")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the newest migration's up and down files.
fn newest(p: &Project) -> (String, String) {
    let files = p.files();
    let up = files.iter().rev().find(|f| f.ends_with(".up.sql")).unwrap();
    let down = up.replace(".up.sql", ".down.sql");
    let read = |f: &str| std::fs::read_to_string(p.dir.join("migrations").join(f)).unwrap();
    (read(up), read(&down))
}

#[test]
fn a_second_generate_on_an_unchanged_history_does_not_replay_it() {
    let p = Project::new(
        "CREATE TABLE t (id bigint PRIMARY KEY, needle text);\n\
         CREATE VIEW v AS SELECT id, needle FROM t;",
    );
    let first = p.run(&["generate", "-m", "init"]);
    assert!(first.status.success(), "{}", output_text(&first));
    assert!(!output_text(&first).contains(NOTE), "cold: nothing cached");

    // Unchanged: answered from the entry the first run left, nothing written.
    let again = p.run(&["generate", "-m", "again"]);
    let said = output_text(&again);
    assert!(again.status.success(), "{said}");
    assert!(said.contains("No changes"), "{said}");
    assert!(said.contains(&format!("{NOTE} 1 migration is")), "{said}");
    assert_eq!(p.files().len(), 2, "{:?}", p.files());

    // A change: the history's schema is built from the entry, and the migration written
    // is the one a cold run writes.
    let cold = Project::new("");
    for f in p.files() {
        let from = p.dir.join("migrations").join(&f);
        std::fs::copy(from, cold.dir.join("migrations").join(&f)).unwrap();
    }
    let changed =
        "CREATE TABLE t (id bigint PRIMARY KEY, needle text, extra int NOT NULL DEFAULT 0);\n\
                   CREATE VIEW v AS SELECT id, needle, extra FROM t;\n\
                   CREATE INDEX t_extra ON t (extra);";
    p.model(changed);
    cold.model(changed);
    let warm_run = p.run(&["generate", "-m", "extra"]);
    let said = output_text(&warm_run);
    assert!(warm_run.status.success(), "{said}");
    assert!(said.contains(&format!("{NOTE} 1 migration is")), "{said}");
    let cold_run = cold.run(&["generate", "-m", "extra"]);
    assert!(cold_run.status.success(), "{}", output_text(&cold_run));
    assert!(!output_text(&cold_run).contains(NOTE));
    assert_eq!(p.files().len(), cold.files().len(), "{:?}", p.files());
    let (warm_up, warm_down) = newest(&p);
    let (cold_up, cold_down) = newest(&cold);
    assert!(warm_up.contains("CREATE INDEX CONCURRENTLY"), "{warm_up}");
    assert_eq!(timeless(&warm_up), timeless(&cold_up));
    assert_eq!(timeless(&warm_down), timeless(&cold_down));

    // `generate` left the entry of the history with its new migrations: `check` and the
    // next `generate` start warm.
    let check = p.run(&["check"]);
    assert!(check.status.success(), "{}", output_text(&check));
    assert!(
        output_text(&check).contains(NOTE),
        "{}",
        output_text(&check)
    );

    // The entry is what `generate` plans from: one whose schema says `pinned` where the
    // files say `needle` makes it write a change that replaying the files would not
    // (so the files were not replayed).
    let cache = p.dir.join(".pgshift/replay-cache");
    for e in std::fs::read_dir(&cache).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        std::fs::write(e.path(), text.replace("needle", "pinned")).unwrap();
    }
    let before = p.files();
    let tampered = p.run(&["generate", "-m", "tampered"]);
    let said = output_text(&tampered);
    assert!(tampered.status.success(), "{said}");
    let ups = before.iter().filter(|f| f.ends_with(".up.sql")).count();
    assert!(
        said.contains(&format!("{NOTE} {ups} migrations is")),
        "{said}"
    );
    let (up, _) = newest(&p);
    assert!(up.contains("pinned"), "{up}");
    for f in p.files() {
        if !before.contains(&f) {
            std::fs::remove_file(p.dir.join("migrations").join(f)).unwrap();
        }
    }
    // `check` never trusts an entry for a difference: it replays, finds none, and
    // stores the true entry over the false one.
    let check = p.run(&["check"]);
    assert!(check.status.success(), "{}", output_text(&check));
    assert!(
        !output_text(&check).contains(NOTE),
        "{}",
        output_text(&check)
    );
    assert!(p.ok(&["generate", "-m", "none"]).contains("No changes"));

    // An old migration edited: its checksum is part of the key, so the history is
    // replayed, and what the edit added is dropped again.
    let init = before.iter().find(|f| f.ends_with("_init.up.sql")).unwrap();
    let path = p.dir.join("migrations").join(init);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nCREATE TABLE edited (id int);\n")).unwrap();
    let edited = p.run(&["generate", "-m", "after_edit"]);
    let said = output_text(&edited);
    assert!(edited.status.success(), "{said}");
    assert!(!said.contains(NOTE), "{said}");
    let (up, _) = newest(&p);
    assert!(up.contains("DROP TABLE public.edited"), "{up}");

    // A deleted cache is no error.
    std::fs::remove_dir_all(p.dir.join(".pgshift")).unwrap();
    let said = p.ok(&["generate", "-m", "none"]);
    assert!(said.contains("No changes"), "{said}");
}
