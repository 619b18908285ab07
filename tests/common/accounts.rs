//! The `public.accounts` table of the rollout tests, as TOML models: keyed by `id`
//! (bigint, identity), with the text columns each test names. Literals (`concat!`), so
//! a test keeps its model in a `const` and states only its columns.

// Every test binary compiles `common`; most use no model from here.
#![allow(unused_imports, unused_macros)]

/// One `[[tables."public.accounts".columns]]` entry: its name, type and further settings
/// (TOML lines).
macro_rules! accounts_column {
    ($name:ident, $type:literal $(, $settings:literal)?) => {
        concat!(
            "\n[[tables.\"public.accounts\".columns]]\nname = \"",
            stringify!($name),
            "\"\ntype = \"",
            $type,
            "\"\n",
            $($settings, "\n")?
        )
    };
}

/// `public.accounts` with its key `id`, then a text column for each `name: "settings"`
/// (or bare `name`: nullable, nothing more), in order: `accounts!(email: "not_null = true")`.
macro_rules! accounts {
    ($($name:ident $(: $settings:literal)?),* $(,)?) => {
        concat!(
            "\n[tables.\"public.accounts\"]\nprimary_key = [\"id\"]\n",
            $crate::common::accounts::accounts_column!(
                id,
                "bigint",
                "not_null = true\nidentity = \"by_default\""
            ),
            $($crate::common::accounts::accounts_column!($name, "text" $(, $settings)?)),*
        )
    };
}

pub(crate) use accounts;
pub(crate) use accounts_column;

/// A required `email_lower`, filled from `email` by a backfill: the column the rollout
/// tests add to a loaded table.
pub const EMAIL_LOWER: &str = accounts_column!(
    email_lower,
    "text",
    "not_null = true\nbackfill = \"lower(email)\""
);
