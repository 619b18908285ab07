//! Names that need double quotes: upper case, spaces, punctuation or a reserved word.

use super::names;
use crate::lint::{Hit, Level, Rule};
use crate::schema::Schema;

pub const RULE: Rule = Rule {
    code: "quoted-identifier",
    summary: "a name needs double quotes in SQL",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    names(schema)
        .into_iter()
        .filter(|(_, name)| crate::sql::ident(name) != *name)
        .map(|(object, name)| {
            let quoted = crate::sql::ident(&name);
            Hit::new(
                object,
                format!(
                    "the name {quoted} must be written with double quotes in every query: \
                     unquoted, PostgreSQL folds it to lower case (or reads a keyword) and \
                     finds another object or none"
                ),
                "use a lower-case name of letters, digits and underscores that is not a \
                 reserved word; ORMs map it to the field name they need"
                    .into(),
            )
        })
        .collect()
}
