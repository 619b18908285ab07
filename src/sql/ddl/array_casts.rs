//! Cast arrays of constants written so that PostgreSQL stores them as it printed them.
//!
//! `col IN ('a', 'b')` on a varchar column is stored as `(col)::text = ANY
//! ((ARRAY['a'::character varying, 'b'::character varying])::text[])`; that text, run
//! again as it is, is stored differently, `ARRAY[('a'::character varying)::text, ...]`,
//! because a cast written directly on `ARRAY[...]` is pushed into its elements. Written
//! `(ARRAY['a'::character varying, ...]::character varying[])::text[]`, the outer cast
//! applies to the array, and PostgreSQL stores (and prints) the first form again, so the
//! migrated database matches its model to the byte.

/// `(ARRAY['x'::T, ...])::U[]` rewritten as `(ARRAY['x'::T, ...]::T[])::U[]` when every
/// element is a constant of one type T; anything else (other elements, text inside a
/// string constant) is left as it is.
pub fn keep_array_casts(definition: &str) -> String {
    const OPEN: &str = "(ARRAY[";
    let mut out = String::with_capacity(definition.len() + 32);
    let mut rest = definition;
    while let Some(at) = find_outside_strings(rest, OPEN) {
        out.push_str(&rest[..at + OPEN.len()]);
        rest = &rest[at + OPEN.len()..];
        if let Some((element_type, close)) = constant_elements(rest) {
            // `close` is the offset of `])::` after the elements.
            out.push_str(&rest[..close]);
            out.push_str(&format!("]::{element_type}[]"));
            rest = &rest[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Byte offset of `needle` in `text`, not inside a `'...'` constant.
fn find_outside_strings(text: &str, needle: &str) -> Option<usize> {
    let mut in_string = false;
    for (i, c) in text.char_indices() {
        if c == '\'' {
            in_string = !in_string; // '' inside a constant toggles twice
        } else if !in_string && text[i..].starts_with(needle) {
            return Some(i);
        }
    }
    None
}

/// After `(ARRAY[`: elements `'x'::T` of one type T, then `])::`; T and where `]` is.
fn constant_elements(text: &str) -> Option<(&str, usize)> {
    let mut pos = 0;
    let mut element_type: Option<&str> = None;
    loop {
        let (t, used) = element(&text[pos..])?;
        if element_type.is_some_and(|e| e != t) {
            return None;
        }
        element_type = Some(t);
        pos += used;
        if text[pos..].starts_with(", ") {
            pos += 2;
        } else if text[pos..].starts_with("])::") {
            return Some((element_type?, pos));
        } else {
            return None;
        }
    }
}

/// One `'x'::T` element (T of letters, digits and spaces): T and the element's length.
fn element(text: &str) -> Option<(&str, usize)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let mut close = None;
    let mut prev_quote = false;
    for (i, c) in chars {
        if c == '\'' {
            prev_quote = !prev_quote; // a second quote in a row is a quote inside
        } else if prev_quote {
            close = Some(i);
            break;
        }
    }
    let after = close?;
    let rest = text[after..].strip_prefix("::")?;
    let type_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == ' '))
        .unwrap_or(rest.len());
    let type_name = rest[..type_len].trim_end();
    if type_name.is_empty() {
        return None;
    }
    Some((type_name, after + 2 + type_name.len()))
}

#[cfg(test)]
mod tests {
    use super::keep_array_casts;

    #[test]
    fn the_array_gets_its_own_type_first() {
        assert_eq!(
            keep_array_casts(
                "CHECK (((status)::text = ANY ((ARRAY['new'::character varying, \
                 'it''s'::character varying])::text[])))"
            ),
            "CHECK (((status)::text = ANY ((ARRAY['new'::character varying, \
             'it''s'::character varying]::character varying[])::text[])))"
        );
    }

    #[test]
    fn other_text_stays() {
        for same in [
            "CHECK (((status)::text = ANY (ARRAY[('new'::character varying)::text])))",
            "CHECK ((region = ANY (ARRAY['EU'::bpchar, 'US'::bpchar])))",
            "CHECK ((note <> '(ARRAY[''x''::text])::text[]'::text))",
            "CHECK ((a = ANY ((ARRAY[b, c])::integer[])))",
            "CHECK ((a = ANY ((ARRAY['1'::text, 2::integer])::integer[])))",
        ] {
            assert_eq!(keep_array_casts(same), same);
        }
    }
}
