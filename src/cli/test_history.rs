//! `pgshift test`: proves every migration's down on a throwaway database (and, with
//! `--data`, that rows survive), for pgshift's layout and other tools' read in place.

use super::migrations::DevServerArgs;
use clap::Args;
use pgshift::migrate::data_proof::{DataProof, Rows};
use pgshift::migrate::foreign::{self, History, Layout};
use pgshift::migrate::project::CONFIG_FILE;
use pgshift::migrate::proof::{self, Outcome, Verdict};
use pgshift::migrate::Project;
use pgshift::schema::QualifiedName;
use pgshift::source::{IntrospectOptions, Loader};
use pgshift::sql::terminal;
use pgshift::Result;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct TestArgs {
    /// The migrations folder. By default the project's (pgshift.toml), else ./migrations.
    dir: Option<PathBuf>,
    /// Whose layout DIR holds; detected from the file names when not given.
    #[arg(long, value_parser = Layout::NAMES)]
    layout: Option<String>,
    /// The project settings file, used when no DIR is given.
    #[arg(long, default_value = CONFIG_FILE, value_name = "FILE")]
    config: PathBuf,
    /// Also prove the data: before each up, fill every empty table with generated rows
    /// that satisfy its constraints; after the up (and after the down) every row must
    /// still be there with every value reading back the same, unless the file declares
    /// a DATA_LOSS hazard.
    #[arg(long)]
    data: bool,
    /// With --data: run this SQL file before each up instead of generating rows (each
    /// statement that fails, for a schema not there yet or rows already in, is skipped).
    #[arg(long, value_name = "FILE", requires = "data")]
    seed: Option<PathBuf>,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable).
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    #[command(flatten)]
    dev: DevServerArgs,
}

/// Exit 0 when every down restores its schema, 1 when one is missing, fails or does not
/// restore, 2 on error.
pub fn run(args: TestArgs) -> Result<i32> {
    let (history, table, options) = open(&args)?;
    let loader = Loader::new(args.dev.dev_url.clone(), options.clone());
    outln!(
        "Testing {} migration{} in {} ({} layout): up, down, schema compared, up again.",
        history.migrations.len(),
        if history.migrations.len() == 1 {
            ""
        } else {
            "s"
        },
        history.dir.display(),
        history.layout.as_str()
    );
    let mut data = match (&args.seed, args.data) {
        (Some(path), _) => Some(DataProof::new(Rows::Seed(
            std::fs::read_to_string(path).map_err(|e| pgshift::Error::Io {
                path: path.clone(),
                reason: e.to_string(),
            })?,
        ))),
        (None, true) => Some(DataProof::new(Rows::Generated)),
        (None, false) => None,
    };
    let observer = data.as_mut().map(|d| d as &mut dyn proof::Observer);
    let outcomes = proof::prove(loader.scratch()?, &history, &table, &options, observer)?;
    out!("{}", report(&outcomes));
    if let Some(d) = &data {
        for (table, reason) in &d.notes {
            outln!(
                "note: no generated row fits {}, so its data was not proved: {}",
                terminal(&pgshift::sql::qualified(table)),
                terminal(reason)
            );
        }
    }
    let unrunnable = pgshift::migrate::adopted::refinery_cannot_run(&history);
    for line in &unrunnable {
        outln!("{line}");
    }
    Ok(i32::from(
        outcomes.iter().any(Outcome::is_problem) || !unrunnable.is_empty(),
    ))
}

/// The history to test, the version table of its scratch database and what to compare.
fn open(args: &TestArgs) -> Result<(History, QualifiedName, IntrospectOptions)> {
    let default_table = QualifiedName::new("public", "pgshift_migrations");
    let options = IntrospectOptions::excluding(&args.exclude);
    if let Some(dir) = &args.dir {
        return Ok((read(dir, args.layout.as_deref())?, default_table, options));
    }
    if args.config.exists() {
        let project = Project::open(&args.config)?;
        let options = project.config.introspect_options(&args.exclude);
        let table = project.config.version_table();
        let layout = args.layout.as_deref().or(project.config.layout.as_deref());
        let history = match layout {
            Some(layout) => read(&project.dir(), Some(layout))?,
            None => foreign::from_project(&project.dir(), project.read()?),
        };
        return Ok((history, table, options));
    }
    Ok((
        read(Path::new("migrations"), args.layout.as_deref())?,
        default_table,
        options,
    ))
}

fn read(dir: &Path, layout: Option<&str>) -> Result<History> {
    let layout = match layout.and_then(Layout::parse) {
        Some(l) => l,
        None => foreign::detect(dir)?,
    };
    foreign::read(dir, layout)
}

/// One line per migration, the details of each problem under it, then the counts.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        out.push_str(&format!(
            "{:<9}{} {}\n",
            match o.verdict {
                _ if !o.data.is_empty() && !o.verdict.is_problem() => "DATA",
                ref v => v.word(),
            },
            terminal(&o.label),
            terminal(&o.name)
        ));
        let down = o.down_path.display();
        let detail = match &o.verdict {
            Verdict::Restores | Verdict::NotReached => String::new(),
            Verdict::NoDownByDesign(why) => format!("{why}: its up ran; nothing to undo it"),
            Verdict::MissingDown => format!("{down} is missing: the migration cannot be reverted"),
            Verdict::EmptyDown { restore } => format!(
                "{down} is empty, but the up changes the schema; a down that restores it \
                 would run:\n{restore}"
            ),
            Verdict::DownFails { error } => format!("{down} fails: {error}"),
            Verdict::NotRestored { restore } => format!(
                "{down} does not restore the schema before the migration; what is left to \
                 restore it:\n{restore}"
            ),
            Verdict::UpAgainFails { error } => format!(
                "the up fails when run again after {down} (the down leaves something \
                 behind): {error}"
            ),
            Verdict::PartOf(main) => format!(
                "holds part of the down of {}: applied and reverted with it, as one step",
                main
            ),
            Verdict::UpFails { error } => {
                format!("the up fails; the migrations after it were not tested: {error}")
            }
        };
        let mut detail = detail;
        if !o.data.is_empty() {
            if !detail.is_empty() {
                detail.push('\n');
            }
            detail.push_str("rows did not survive:");
            for f in &o.data {
                detail.push_str(&format!("\n- {f}"));
            }
        }
        if !detail.is_empty() {
            for line in terminal(&detail).lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    let count = |f: &dyn Fn(&Verdict) -> bool| outcomes.iter().filter(|o| f(&o.verdict)).count();
    let problems = outcomes
        .iter()
        .filter(|o| o.is_problem() && o.verdict != Verdict::NotReached)
        .count();
    out.push_str(&format!(
        "\n{} restored, {} without a down by design, {} with a problem{}.\n",
        outcomes
            .iter()
            .filter(|o| o.verdict == Verdict::Restores && o.data.is_empty())
            .count(),
        count(&|v| matches!(v, Verdict::NoDownByDesign(_))),
        problems,
        match count(&|v| *v == Verdict::NotReached) {
            0 => String::new(),
            n => format!(", {n} not reached"),
        }
    ));
    out
}
