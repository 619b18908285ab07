//! The `[lint]` table of pgshift.toml: a level per rule, and an allow list of objects
//! with the reason each is allowed.
//!
//! ```toml
//! [lint]
//! rules = { "timestamp-without-time-zone" = "error", "varchar-limit" = "off" }
//! varchar_allowed_lengths = [2, 3]
//!
//! [[lint.allow]]
//! rule = "missing-primary-key"
//! object = "public.event_log"
//! reason = "append-only log, read by time range"
//! ```

use super::{rules, Level, Rule};
use crate::source::model::suggest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Levels that differ from the rules' defaults, by rule code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Level>,
    /// Objects a rule does not report (shown as allowed, with the reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// `varchar(n)` limits that carry a meaning (ISO country and currency codes by
    /// default) and that `varchar-limit` does not report.
    #[serde(default = "default_lengths")]
    pub varchar_allowed_lengths: Vec<u32>,
}

fn default_lengths() -> Vec<u32> {
    vec![2, 3]
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            rules: BTreeMap::new(),
            allow: vec![],
            varchar_allowed_lengths: default_lengths(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// A rule code, or `*` for every rule.
    pub rule: String,
    /// A glob on the object's dotted name: `public.event_log`, `public.orders.amount`,
    /// `legacy.*`.
    pub object: String,
    /// Why: printed with every finding it allows.
    pub reason: String,
}

impl LintConfig {
    /// Refuses rule codes that name no rule and allow entries without a reason: a typo
    /// would otherwise silently turn nothing off.
    pub fn check(&self) -> Result<(), String> {
        let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
        let unknown = |code: &str, place: &str| {
            let hint = suggest(code, &codes)
                .map(|s| format!("; did you mean {s:?}?"))
                .unwrap_or_else(|| format!("; the rules are: {}", codes.join(", ")));
            format!("{place}: no lint rule is called {code:?}{hint}")
        };
        for code in self.rules.keys() {
            if !codes.contains(&code.as_str()) {
                return Err(unknown(code, "[lint] rules"));
            }
        }
        for a in &self.allow {
            if a.rule != "*" && !codes.contains(&a.rule.as_str()) {
                return Err(unknown(&a.rule, "[[lint.allow]]"));
            }
            if a.reason.trim().is_empty() {
                return Err(format!(
                    "[[lint.allow]] rule = {:?}, object = {:?}: give a reason: it is printed \
                     with every finding it allows, for the next reader",
                    a.rule, a.object
                ));
            }
        }
        Ok(())
    }

    pub fn level(&self, rule: &Rule) -> Level {
        self.rules
            .get(rule.code)
            .copied()
            .unwrap_or(rule.default_level)
    }

    /// The reason of the first allow entry covering `rule` on the object `path`.
    pub fn allowed(&self, rule: &str, path: &str) -> Option<String> {
        self.allow
            .iter()
            .find(|a| {
                (a.rule == "*" || a.rule == rule) && crate::source::exclude::glob(&a.object, path)
            })
            .map(|a| a.reason.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> LintConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn unknown_rules_get_did_you_mean() {
        let c = parse("rules = { \"fk-without-indx\" = \"error\" }");
        let e = c.check().unwrap_err();
        assert!(e.contains("did you mean \"fk-without-index\""), "{e}");
    }

    #[test]
    fn allow_needs_a_reason_and_matches_globs() {
        let c = parse(
            "[[allow]]\nrule = \"missing-primary-key\"\nobject = \"public.log*\"\nreason = \" \"",
        );
        assert!(c.check().unwrap_err().contains("give a reason"));
        let c = parse("[[allow]]\nrule = \"*\"\nobject = \"legacy.*\"\nreason = \"old\"");
        c.check().unwrap();
        assert_eq!(
            c.allowed("varchar-limit", "legacy.t.c").as_deref(),
            Some("old")
        );
        assert_eq!(c.allowed("varchar-limit", "public.t.c"), None);
    }

    #[test]
    fn levels_override_defaults() {
        let c = parse("rules = { \"varchar-limit\" = \"off\" }");
        let rule = rules::ALL
            .iter()
            .find(|r| r.code == "varchar-limit")
            .unwrap();
        assert_eq!(c.level(rule), Level::Off);
        assert_eq!(c.varchar_allowed_lengths, vec![2, 3]);
    }
}
