//! SeaORM's case styles (`rename_all`, `rename`), as sea-orm-macros converts identifiers
//! with `heck`: words split at `_`, `-`, spaces and case boundaries (`HTTPServer` is
//! `HTTP`, `Server`), then joined in the style.

/// The styles sea-orm-macros accepts (`case_style.rs`), by the names it accepts.
pub const STYLES: &[&str] = &[
    "camelCase",
    "PascalCase",
    "camel_case",
    "kebab-case",
    "kebab_case",
    "snake_case",
    "snek_case",
    "SCREAMING_SNAKE_CASE",
    "shouty_snake_case",
    "shouty_snek_case",
    "SCREAMING-KEBAB-CASE",
    "lowercase",
    "UPPERCASE",
    "title_case",
    "mixed_case",
];

/// `ident` in `style`; None for a style SeaORM does not know.
pub fn convert(ident: &str, style: &str) -> Option<String> {
    let words = words(ident.trim_start_matches("r#"));
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let capital: Vec<String> = lower.iter().map(|w| capitalize(w)).collect();
    Some(match style {
        "camel_case" | "PascalCase" => capital.concat(),
        "camelCase" | "mixed_case" => {
            let mut out = lower.first().cloned().unwrap_or_default();
            out.push_str(&capital[1.min(capital.len())..].concat());
            out
        }
        "snake_case" | "snek_case" => lower.join("_"),
        "kebab_case" | "kebab-case" => lower.join("-"),
        "SCREAMING-KEBAB-CASE" => upper.join("-"),
        "shouty_snake_case" | "shouty_snek_case" | "SCREAMING_SNAKE_CASE" => upper.join("_"),
        "title_case" => capital.join(" "),
        "lowercase" => lower.concat(),
        "UPPERCASE" => upper.concat(),
        _ => return None,
    })
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// heck's word boundaries: separators, lower-to-upper, and the last capital of a run of
/// capitals followed by a lowercase letter.
fn words(s: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next_lower)
                || (prev.is_numeric() && c.is_uppercase());
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::convert;

    #[test]
    fn styles() {
        assert_eq!(
            convert("HTTPServerError", "snake_case").unwrap(),
            "http_server_error"
        );
        assert_eq!(convert("BigCake", "camelCase").unwrap(), "bigCake");
        assert_eq!(convert("big_cake", "PascalCase").unwrap(), "BigCake");
        assert_eq!(convert("BigCake", "kebab-case").unwrap(), "big-cake");
        assert_eq!(
            convert("BigCake", "SCREAMING_SNAKE_CASE").unwrap(),
            "BIG_CAKE"
        );
        assert_eq!(convert("BigCake", "lowercase").unwrap(), "bigcake");
        assert_eq!(convert("BigCake", "title_case").unwrap(), "Big Cake");
        assert_eq!(convert("BigCake", "Sponge"), None);
    }
}
