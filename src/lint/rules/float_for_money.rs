//! Amounts of money in floating point or in the `money` type.

use super::{columns, element_type, name_words};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "float-for-money",
    summary: "an amount of money is stored as real, double precision or money",
    default_level: Level::Warn,
    check,
};

/// Words in a column name that say it holds money.
const MONEY_WORDS: &[&str] = &[
    "amount", "balance", "budget", "charge", "cost", "discount", "fee", "fees", "income", "paid",
    "payment", "price", "revenue", "salary", "subtotal", "tax", "total", "wage",
];

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    columns(schema)
        .filter_map(|(t, c)| {
            let ty = element_type(&c.data_type);
            let why = match ty {
                "money" => {
                    "the money type's scale and currency follow the server's lc_monetary \
                     setting: a dump restored under another locale reads other amounts"
                }
                "real" | "double precision"
                    if name_words(&c.name)
                        .iter()
                        .any(|w| MONEY_WORDS.contains(&w.as_str())) =>
                {
                    "floating point cannot hold most decimal fractions exactly (0.1 + 0.2 is \
                     not 0.3), so sums drift by cents"
                }
                _ => return None,
            };
            Some(Hit::new(
                ObjectId::Column(t.name.clone(), c.name.clone()),
                format!(
                    "{}.{} holds an amount as {}: {why}",
                    t.name,
                    crate::sql::ident(&c.name),
                    c.data_type
                ),
                "use numeric with the scale the currency needs (`numeric(12,2)`), or an \
                 integer count of the smallest unit (cents) in bigint"
                    .into(),
            ))
        })
        .collect()
}
