//! The templates migration files are rendered from: the defaults in `templates/` are
//! built into the binary; a project's own templates folder overrides them file by file.
//! Rendering is strict: an unknown variable is an error, as is a syntax error, both
//! reported with the template's file and line.

use crate::error::{Error, Result};
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::path::{Path, PathBuf};

pub const SQL_UP: &str = "sql/up.sql.j2";
pub const SQL_DOWN: &str = "sql/down.sql.j2";
pub const SEA_ORM_HEADER: &str = "sea-orm/header.txt.j2";

/// Every default template: its name under `templates/` and its text.
pub const DEFAULTS: &[(&str, &str)] = &[
    (SQL_UP, include_str!("../../templates/sql/up.sql.j2")),
    (SQL_DOWN, include_str!("../../templates/sql/down.sql.j2")),
    (
        "sql/steps.sql.j2",
        include_str!("../../templates/sql/steps.sql.j2"),
    ),
    (
        SEA_ORM_HEADER,
        include_str!("../../templates/sea-orm/header.txt.j2"),
    ),
];

/// The templates of one project: the defaults, with the files of `dir` (when it exists)
/// in place of the defaults of the same name.
pub struct Templates {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    origins: Vec<(String, PathBuf)>,
}

impl Templates {
    /// The built-in templates only.
    pub fn builtin() -> Templates {
        Templates::load(None).expect("the built-in templates parse")
    }

    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // `{{ text|comment }}`: any text (a statement, say) made safe inside a comment, as
        // the text variables already are (writing twice changes nothing).
        env.add_filter("comment", |text: &str| crate::sql::comment(text));
        env.set_syntax(
            SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("a valid syntax configuration"),
        );
        let mut t = Templates {
            env,
            origins: vec![],
        };
        for (name, text) in DEFAULTS {
            let own = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let (origin, source) = match own {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| Error::Io {
                        path: path.clone(),
                        reason: e.to_string(),
                    })?;
                    (path, text)
                }
                None => (
                    PathBuf::from(format!("templates/{name} (built in)")),
                    text.to_string(),
                ),
            };
            t.origins.push((name.to_string(), origin));
            let added = t.env.add_template_owned(name.to_string(), source);
            added.map_err(|e| t.error(e))?;
        }
        Ok(t)
    }

    /// Renders the template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String> {
        let template = self.env.get_template(name).map_err(|e| self.error(e))?;
        template.render(context).map_err(|e| self.error(e))
    }

    /// The file the template `name` was read from (or the built-in default's name).
    pub fn origin(&self, name: &str) -> Option<PathBuf> {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
    }

    fn error(&self, e: minijinja::Error) -> Error {
        let name = e.name().unwrap_or("").to_string();
        Error::Template {
            path: self.origin(&name).unwrap_or_else(|| PathBuf::from(&name)),
            line: e.line().unwrap_or(0),
            message: match e.detail() {
                Some(detail) => format!("{}: {detail}", e.kind()),
                None => e.kind().to_string(),
            },
        }
    }
}

/// Writes the default templates into `dir` for a project to change. Refuses, writing
/// nothing, when any of them exists already.
pub fn copy_defaults(dir: &Path) -> Result<Vec<PathBuf>> {
    let targets: Vec<(PathBuf, &str)> = DEFAULTS
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    if let Some((path, _)) = targets.iter().find(|(p, _)| p.exists()) {
        return Err(Error::Io {
            path: path.clone(),
            reason: "already exists; no template was written (move it away to get the \
                     default again)"
                .into(),
        });
    }
    for (path, text) in &targets {
        let io = |e: std::io::Error| Error::Io {
            path: path.clone(),
            reason: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(path, text).map_err(io)?;
    }
    Ok(targets.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_with(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "pgshift-templates-{}-{}",
            std::process::id(),
            name.replace('/', "_")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sql")).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
        dir
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let dir = project_with(SQL_UP, "-- ok\n-- {% if %}\n");
        let Err(Error::Template { path, line, .. }) = Templates::load(Some(&dir)) else {
            panic!("expected a template error");
        };
        assert_eq!(path, dir.join(SQL_UP));
        assert_eq!(line, 2);
    }

    #[test]
    fn an_unknown_variable_is_an_error_with_its_line() {
        let dir = project_with(SQL_DOWN, "-- a\n-- b\n-- {{ no_such_thing }}\n");
        let t = Templates::load(Some(&dir)).unwrap();
        let err = t.render(SQL_DOWN, Value::from(())).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}:3:", dir.join(SQL_DOWN).display())),
            "{text}"
        );
        assert!(text.contains("undefined"), "{text}");
    }

    #[test]
    fn builtin_templates_parse() {
        let t = Templates::builtin();
        assert_eq!(t.origins.len(), DEFAULTS.len());
    }

    #[test]
    fn the_comment_filter_keeps_text_on_its_line() {
        let dir = project_with("sql/steps.sql.j2", "-- {{ text|comment }}\n");
        let t = Templates::load(Some(&dir)).unwrap();
        let text = Value::from("DROP TABLE \"a\nDELETE FROM precious; --\"");
        let out = t
            .render("sql/steps.sql.j2", Value::from_pairs([("text", text)]))
            .unwrap();
        assert_eq!(out, "-- DROP TABLE \"a\\nDELETE FROM precious; --\"");
    }
}
