//! Plans and migrations rendered for people and tools: the SQL script is
//! `Plan::to_sql_with`; this module writes the readable listing (`--format plan`) and
//! migration files from the templates in `templates/` (sql files, sea-orm modules).

pub mod migration;
pub mod sea_orm;
pub mod sea_orm_phases;
pub mod templates;

pub use templates::Templates;

use crate::plan::{Phase, Plan};
use crate::sql::comment;

/// A numbered listing of the steps with their phase, transaction mode, statements and
/// hazards, and a summary line first. Descriptions, notes and hazards are one line each,
/// through `sql::comment`; statements are printed as they will run.
pub fn plan_text(plan: &Plan) -> String {
    if plan.is_empty() {
        return "No changes.\n".to_string();
    }
    let outside = plan.steps.iter().filter(|s| !s.transactional).count();
    let alone = plan.steps.iter().filter(|s| s.own_transaction).count();
    let hazards: usize = plan.steps.iter().map(|s| s.hazards.len()).sum();
    let contract = plan
        .steps
        .iter()
        .filter(|s| s.phase == Phase::Contract)
        .count();
    let mut out = format!(
        "{} step{}: {} outside a transaction, {} in a transaction of their own, {} in the \
         contract phase, {} hazard{}\n",
        plan.steps.len(),
        plural(plan.steps.len()),
        outside,
        alone,
        contract,
        hazards,
        plural(hazards)
    );
    for (i, step) in plan.steps.iter().enumerate() {
        let phase = match step.phase {
            Phase::Expand => "expand",
            Phase::Contract => "contract",
        };
        let tx = if !step.transactional {
            ", no transaction"
        } else if step.own_transaction {
            ", own transaction"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n{:>3}. {} [{phase}{tx}]\n",
            i + 1,
            comment(&step.description)
        ));
        for s in &step.statements {
            for line in s.lines() {
                out.push_str(&format!("       {line}\n"));
            }
        }
        if let Some(note) = &step.note {
            out.push_str(&format!("     note: {}\n", comment(note)));
        }
        for h in &step.hazards {
            out.push_str(&format!(
                "     hazard {}: {}\n",
                h.code,
                comment(&h.message)
            ));
            out.push_str(&format!(
                "       help: {} (see {})\n",
                comment(&h.help),
                h.code.doc()
            ));
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
