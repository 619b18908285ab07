//! A mutation fuzzer over pgshift's pure parsers (no database): TOML and Rust models
//! (text -> model -> hints and model SQL), the migration-file statement splitter and
//! header parsing. Used by `cargo run --release --example fuzz` and by tests/fuzz.rs.
//! See docs/fuzzing.md.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Toml,
    Rust,
    /// Migration scripts and `.sql` models: the statement splitter and the header parsing.
    Sql,
}

impl Target {
    fn of(path: &Path) -> Option<Target> {
        match path.extension()?.to_str()? {
            "toml" => Some(Target::Toml),
            "rs" => Some(Target::Rust),
            "sql" => Some(Target::Sql),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Target::Toml => "toml",
            Target::Rust => "rust",
            Target::Sql => "sql",
        }
    }
}

/// Runs one input through a target's parsers and everything pure after them.
pub fn run_one(target: Target, text: &str) {
    use pgshift::migrate::{files, split};
    use pgshift::source::{model_sql, rust, toml};
    let model = match target {
        Target::Toml => toml::parse(Path::new("fuzz.toml"), text).ok(),
        Target::Rust => rust::parse(Path::new("fuzz.rs"), text).ok(),
        Target::Sql => {
            let _ = split::statements(text);
            let _ = files::parents(text);
            let _ = files::header(text, "no-transaction");
            let _ = files::checksum(text);
            None
        }
    };
    if let Some(model) = model {
        let _ = model.hints();
        let Ok(rendered) = model_sql::render(&model) else {
            return;
        };
        let statements = rendered
            .schemas
            .iter()
            .chain(&rendered.extensions)
            .chain(&rendered.objects);
        for statement in statements {
            let chars = statement.sql.chars().count();
            for position in [
                None,
                Some(0),
                Some(1),
                Some(chars / 2),
                Some(chars),
                Some(chars + 7),
            ] {
                let _ = statement.locate(position);
            }
        }
    }
}

/// Strings that break parsers: multi-byte characters, quotes, comment and statement ends,
/// a BOM, line breaks, huge numbers, openers of deep nesting.
const TOKENS: &[&str] = &[
    "é",
    "€",
    "𝄞",
    "\u{FEFF}",
    "\u{202E}",
    "\u{0}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "'",
    "\"",
    "`",
    "\\",
    "$$",
    "$a$",
    ";",
    "*/",
    "/*",
    "--",
    "#",
    "=",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    ",",
    ":",
    "::",
    ".",
    "-",
    "!",
    "&",
    "'''",
    "\"\"\"",
    "[[",
    "]]",
    "18446744073709551615",
    "-9223372036854775809",
    "99999999999999999999999999",
    "0",
    "-1",
    "1e999",
    "nan",
    "inf",
    "true",
    "NULL",
    " mod m { ",
    "#[pgshift(table)]",
    "#[sea_orm(",
    "default = ",
    "check = ",
    "type = ",
    "-- parent: ",
    "-- no-transaction\n",
    "abcdé > 0",
    "r#type",
    "r#\"",
    "\"#",
    "b'x'",
    "'\\u{10FFFF}'",
    "\\u{110000}",
];

/// xorshift64*: small, seeded, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const MAX_LEN: usize = 64 * 1024;

/// One to four mutations of `base` (bytes; the result is read as UTF-8 lossily).
pub fn mutate(rng: &mut Rng, base: &[u8], seeds: &[(Target, Vec<u8>)]) -> Vec<u8> {
    let mut data = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(9) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 | 3 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            4 if !data.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            5 if !data.is_empty() => {
                let start = rng.below(data.len());
                let end = (start + 1 + rng.below(256)).min(data.len());
                let piece = data[start..end].to_vec();
                data.splice(at..at, piece);
            }
            6 => {
                // Splice: a piece of another seed.
                let (_, other) = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + 1 + rng.below(512)).min(other.len());
                    data.splice(at..at, other[start..end].iter().copied());
                }
            }
            7 => {
                // Deep nesting.
                let (open, close) = [
                    ("(", ")"),
                    ("[", "]"),
                    ("{", "}"),
                    ("mod m { ", "}"),
                    ("Vec<", ">"),
                    ("!", ""),
                ][rng.below(6)];
                let depth = [10, 200, 2_000][rng.below(3)];
                let mut nested = open.repeat(depth);
                if rng.below(2) == 0 {
                    nested.push_str(&close.repeat(depth));
                }
                data.splice(at..at, nested.into_bytes());
            }
            _ => {
                // A number where one may be expected.
                let n = [
                    "0",
                    "-0",
                    "4294967296",
                    "18446744073709551616",
                    "1e400",
                    "-2147483649",
                ][rng.below(6)];
                data.splice(at..at, n.bytes());
            }
        }
    }
    data.truncate(MAX_LEN);
    data
}

/// Seeds: the repository's test models, round-trip cases, examples, and the TOML and
/// Rust examples in docs/.
pub fn seeds(root: &Path) -> Vec<(Target, Vec<u8>)> {
    let mut out = vec![];
    let mut dirs: Vec<PathBuf> = [
        "tests/models",
        "tests/roundtrip",
        "tests/fixtures",
        "examples",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                dirs.push(p);
            } else if let (Some(target), Ok(text)) = (Target::of(&p), std::fs::read(&p)) {
                // Not the fuzzer's own source.
                if !p.starts_with(root.join("examples/fuzz")) {
                    out.push((target, text));
                }
            }
        }
    }
    for doc in ["docs/toml-spec.md", "docs/rust-models.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap_or_default();
        for (fence, target) in [
            ("```toml\n", Target::Toml),
            ("```rust\n", Target::Rust),
            ("```sql\n", Target::Sql),
        ] {
            for block in text.split(fence).skip(1) {
                if let Some((code, _)) = block.split_once("```") {
                    out.push((target, code.as_bytes().to_vec()));
                }
            }
        }
    }
    out.sort();
    out
}

pub struct Options {
    pub inputs: u64,
    pub seed: u64,
    /// An input running longer than this is a hang.
    pub time_limit: Duration,
    /// Where crashing and hanging inputs are written.
    pub out_dir: PathBuf,
    /// Panics whose location contains one of these are counted apart: known, owned
    /// elsewhere (named in docs/fuzzing.md).
    pub known: Vec<String>,
    pub quiet: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub inputs: u64,
    pub elapsed: Duration,
    /// (target, panic message with location, file the input was written to).
    pub panics: Vec<(String, String, PathBuf)>,
    pub known_panics: u64,
    pub per_target: [u64; 3],
}

/// The message and location of the last panic, captured by a quiet hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub fn fuzz(root: &Path, options: &Options) -> Report {
    let seeds = seeds(root);
    assert!(!seeds.is_empty(), "no seed files under {}", root.display());
    std::fs::create_dir_all(&options.out_dir).expect("create the output directory");
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(format!("{message} (at {})", location.unwrap_or_default()));
    }));
    let by_target: Vec<Vec<(Target, Vec<u8>)>> = [Target::Toml, Target::Rust, Target::Sql]
        .iter()
        .map(|t| seeds.iter().filter(|(s, _)| s == t).cloned().collect())
        .collect();
    assert!(
        by_target.iter().all(|s| !s.is_empty()),
        "a target without seeds"
    );
    let watchdog = Watchdog::start(options.time_limit, options.out_dir.clone());
    let mut rng = Rng::new(options.seed);
    let mut report = Report::default();
    let started = Instant::now();
    let mut seen_messages = std::collections::BTreeSet::new();
    for n in 0..options.inputs {
        // The models get most inputs: there are far more SQL seeds than model seeds.
        let target = [
            Target::Toml,
            Target::Toml,
            Target::Rust,
            Target::Rust,
            Target::Sql,
        ][rng.below(5)];
        let of_target = &by_target[target as usize];
        let (target, base) = &of_target[rng.below(of_target.len())];
        // One input in 64 is a seed as it is.
        let data = if n % 64 == 0 {
            base.clone()
        } else {
            mutate(&mut rng, base, &seeds)
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        watchdog.begin(*target, &text);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_one(*target, &text)));
        watchdog.end();
        report.per_target[*target as usize] += 1;
        if outcome.is_err() {
            let message = LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_default();
            if options.known.iter().any(|k| message.contains(k.as_str())) {
                report.known_panics += 1;
                continue;
            }
            let file = options.out_dir.join(format!(
                "panic-{}-{n}.{}",
                target.name(),
                extension(*target)
            ));
            std::fs::write(&file, &text).expect("write the crashing input");
            if seen_messages.insert(message.clone()) && !options.quiet {
                eprintln!(
                    "panic on input {n} ({}): {message}\n  input: {}",
                    target.name(),
                    file.display()
                );
            }
            report.panics.push((target.name().into(), message, file));
        }
        if !options.quiet && n > 0 && n % 100_000 == 0 {
            eprintln!(
                "{n} inputs, {:.0} s, {} panics",
                started.elapsed().as_secs_f64(),
                report.panics.len()
            );
        }
    }
    report.inputs = options.inputs;
    report.elapsed = started.elapsed();
    let _ = panic::take_hook();
    report
}

fn extension(target: Target) -> &'static str {
    match target {
        Target::Toml => "toml",
        Target::Rust => "rs",
        Target::Sql => "sql",
    }
}

/// A thread that watches the input being run: one that takes longer than the limit is
/// written to a file and the process ends with exit code 3 (a hung thread cannot be
/// stopped from outside).
struct Watchdog {
    current: Arc<Mutex<Option<(Target, String)>>>,
    generation: Arc<AtomicU64>,
}

impl Watchdog {
    fn start(limit: Duration, out_dir: PathBuf) -> Watchdog {
        let current: Arc<Mutex<Option<(Target, String)>>> = Arc::new(Mutex::new(None));
        let generation = Arc::new(AtomicU64::new(0));
        let (c, g) = (current.clone(), generation.clone());
        std::thread::spawn(move || {
            let mut last = (0, Instant::now());
            loop {
                std::thread::sleep(limit / 4);
                let now = g.load(Ordering::SeqCst);
                if now != last.0 {
                    last = (now, Instant::now());
                    continue;
                }
                // Odd generations are inputs being run.
                if now % 2 == 1 && last.1.elapsed() > limit {
                    if let Some((target, text)) =
                        c.lock().unwrap_or_else(|e| e.into_inner()).clone()
                    {
                        let file =
                            out_dir.join(format!("hang-{}.{}", target.name(), extension(target)));
                        let _ = std::fs::write(&file, text);
                        eprintln!(
                            "hang: a {} input ran longer than {:?}; written to {}",
                            target.name(),
                            limit,
                            file.display()
                        );
                    }
                    std::process::exit(3);
                }
            }
        });
        Watchdog {
            current,
            generation,
        }
    }

    fn begin(&self, target: Target, text: &str) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some((target, text.to_string()));
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn end(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}
