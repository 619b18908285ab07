//! `timestamp` without time zone.

use super::{columns, element_type};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "timestamp-without-time-zone",
    summary: "a column is timestamp without time zone",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    columns(schema)
        .filter(|(_, c)| {
            let ty = element_type(&c.data_type);
            ty.starts_with("timestamp") && ty.ends_with("without time zone")
        })
        .map(|(t, c)| {
            Hit::new(
                ObjectId::Column(t.name.clone(), c.name.clone()),
                format!(
                    "{}.{} is {}: it stores a wall-clock reading with no zone, so the same \
                     value means different instants to clients in other zones or across a \
                     daylight-saving change, and now() is cast with the session's TimeZone",
                    t.name,
                    crate::sql::ident(&c.name),
                    c.data_type
                ),
                "use timestamptz (timestamp with time zone): it stores an instant and \
                 converts on output; changing an existing column is a rewrite, so do it \
                 while the table is small"
                    .into(),
            )
        })
        .collect()
}
