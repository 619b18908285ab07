//! `pgshift test`: proves every migration's down on a throwaway database (and, with
//! `--data`, that rows survive), for pgshift's layout and other tools' read in place.

use super::migrations::DevServerArgs;
use clap::Args;
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
    println!(
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
    let outcomes = proof::prove(loader.scratch()?, &history, &table, &options, None)?;
    print!("{}", report(&outcomes));
    Ok(i32::from(outcomes.iter().any(|o| o.verdict.is_problem())))
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
        let history = match &args.layout {
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
            o.verdict.word(),
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
            Verdict::UpFails { error } => {
                format!("the up fails; the migrations after it were not tested: {error}")
            }
            Verdict::DataChanged { findings } => format!(
                "rows did not survive:\n{}",
                findings
                    .iter()
                    .map(|f| format!("- {f}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        if !detail.is_empty() {
            for line in terminal(&detail).lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    let count = |f: &dyn Fn(&Verdict) -> bool| outcomes.iter().filter(|o| f(&o.verdict)).count();
    let problems = count(&|v| v.is_problem() && *v != Verdict::NotReached);
    out.push_str(&format!(
        "\n{} restored, {} without a down by design, {} with a problem{}.\n",
        count(&|v| *v == Verdict::Restores),
        count(&|v| matches!(v, Verdict::NoDownByDesign(_))),
        problems,
        match count(&|v| *v == Verdict::NotReached) {
            0 => String::new(),
            n => format!(", {n} not reached"),
        }
    ));
    out
}
