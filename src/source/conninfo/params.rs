//! Connection strings as libpq reads them: `postgres[ql]://` URLs (percent-encoded parts,
//! several hosts, `?key=value` parameters) and `key=value` conninfo strings, both turned
//! into the same list of libpq keywords. No error message here quotes a password.

/// Keywords pgshift acts on. Any other libpq keyword is named in an error (or, for TLS
/// certificate files, accepted and unused: see `IGNORED`).
pub const KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "connect_timeout",
    "application_name",
    "fallback_application_name",
    "options",
    "client_encoding",
    "sslmode",
    "requiressl",
    "gssencmode",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// libpq keywords for TLS files and checks: they only matter on an encrypted connection,
/// which pgshift never opens (sslmode=require and stricter are refused), so they change
/// nothing and are accepted.
pub const IGNORED: &[&str] = &[
    "sslcert",
    "sslkey",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslpassword",
    "sslcertmode",
    "sslsni",
    "sslcompression",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "sslnegotiation",
];

/// libpq keywords pgshift cannot honour; each is an error rather than silently ignored.
const UNSUPPORTED: &[&str] = &[
    "service",
    "requirepeer",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "replication",
    "require_auth",
];

/// Whether `text` is a `key=value` conninfo string (its first keyword is libpq's).
pub fn looks_like_conninfo(text: &str) -> bool {
    let text = text.trim_start();
    let key_end = text.find(|c: char| c == '=' || c.is_whitespace());
    key_end.is_some_and(|end| {
        let key = &text[..end];
        text[end..].trim_start().starts_with('=') && is_keyword(key)
    })
}

fn is_keyword(key: &str) -> bool {
    KEYWORDS.contains(&key) || IGNORED.contains(&key) || UNSUPPORTED.contains(&key)
}

/// The keywords of a URL or conninfo string, in order (a later one wins).
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let params = match url_body(text) {
        Some(body) => parse_url(body)?,
        None => parse_conninfo(text)?,
    };
    // A password with an unencoded `&` reads as more parameters: then no name is quoted.
    let has_password = params.iter().any(|(k, _)| k == "password");
    for (key, value) in &params {
        check(key, value, !has_password)?;
    }
    Ok(params)
}

/// Known keywords, and no `password=` hidden in another value (a URL missing a `&`).
/// Values are never quoted in these errors: in a malformed string, a value may hold
/// (part of) a password.
fn check(key: &str, value: &str, quote_key: bool) -> Result<(), String> {
    if UNSUPPORTED.contains(&key) {
        return Err(format!("the connection parameter {key:?} is not supported by pgshift; give the settings it stands for directly"));
    }
    if !KEYWORDS.contains(&key) && !IGNORED.contains(&key) {
        let plain = quote_key
            && key.len() <= 40
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let named = if plain {
            format!(" {key:?}")
        } else {
            String::new()
        };
        return Err(format!(
            "unknown connection parameter{named} (libpq's names: host, port, dbname, user, password, sslmode, ...)"
        ));
    }
    if key != "password" && value.to_ascii_lowercase().contains("password") && value.contains('=') {
        return Err(format!(
            "`password=` inside the value of {key}: separate parameters with `&` in a URL, with spaces in key=value"
        ));
    }
    Ok(())
}

fn url_body(text: &str) -> Option<&str> {
    text.strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
}

/// `postgresql://[user[:password]@][host][:port][,...][/dbname][?key=value&...]`.
fn parse_url(body: &str) -> Result<Vec<(String, String)>, String> {
    let mut params = vec![];
    // As libpq: the user part ends at the first `@` before any `/`.
    let mut rest = body;
    if let Some(at) = body
        .find(['@', '/'])
        .filter(|&i| body.as_bytes()[i] == b'@')
    {
        let userinfo = &body[..at];
        rest = &body[at + 1..];
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            params.push(("user".into(), decode(user, "user name")?));
        }
        if let Some(p) = password {
            params.push(("password".into(), decode(p, "password")?));
        }
    }
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (hostspec, dbname) = match before_query.split_once('/') {
        Some((h, d)) => (h, Some(d)),
        None => (before_query, None),
    };
    if hostspec.contains('@') || dbname.is_some_and(|d| d.contains('@')) {
        return Err(
            "an `@` after the user part: percent-encode `@`, `/` and `:` in a password (%40, %2F, %3A)"
                .into(),
        );
    }
    let mut hosts = vec![];
    let mut ports = vec![];
    for entry in hostspec.split(',') {
        let (host, port) = split_host_port(entry)?;
        hosts.push(decode(host, "host")?);
        ports.push(decode(port, "port")?);
    }
    if hosts.iter().any(|h| !h.is_empty()) {
        params.push(("host".into(), hosts.join(",")));
    }
    if ports.iter().any(|p| !p.is_empty()) {
        params.push(("port".into(), ports.join(",")));
    }
    if let Some(d) = dbname.filter(|d| !d.is_empty()) {
        params.push(("dbname".into(), decode(d, "database name")?));
    }
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let Some((key, value)) = pair.split_once('=') else {
            return Err("a query parameter without `=` (write key=value)".into());
        };
        let key = decode(key, "query parameter name")?;
        let value = decode(value, "value of a query parameter")?;
        // libpq's JDBC-compatible spelling.
        if key == "ssl" && value == "true" {
            params.push(("sslmode".into(), "require".into()));
            continue;
        }
        params.push((key, value));
    }
    Ok(params)
}

/// `host`, `host:port`, `[::1]:port`; the port is what follows the last `:`.
fn split_host_port(entry: &str) -> Result<(&str, &str), String> {
    if let Some(v6) = entry.strip_prefix('[') {
        let Some((host, after)) = v6.split_once(']') else {
            return Err("an IPv6 address without its closing `]`".into());
        };
        return match after {
            "" => Ok((host, "")),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, port)),
                None => Err("unexpected text after an IPv6 address (expected `:port`)".into()),
            },
        };
    }
    Ok(entry.rsplit_once(':').unwrap_or((entry, "")))
}

/// Percent-decoding, as libpq does for every part of a URL.
fn decode(text: &str, what: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
            match byte {
                Some(0) => return Err(format!("%00 in the {what}")),
                Some(b) => out.push(b),
                None => {
                    return Err(format!(
                        "a `%` in the {what} that does not start a %XX escape (write `%` as %25)"
                    ))
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("the {what} is not UTF-8 once percent-decoded"))
}

/// `key=value key='quoted value'`, with `\` escaping the next character, as libpq reads
/// conninfo strings.
fn parse_conninfo(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut params = vec![];
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(params);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(if is_keyword(&key) {
                format!("{key:?} without `=` and a value")
            } else {
                "not a postgres:// URL nor a key=value connection string".into()
            });
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err(format!("the quoted value of {key:?} is not closed")),
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        params.push((key, value));
    }
}

/// The connection string for messages: the password in the user part and any
/// `password` parameter replaced by `***`; a `key=value` string is not shown at all.
pub fn redact(text: &str) -> String {
    let Some(body) = url_body(text) else {
        return "(connection string not shown)".into();
    };
    let scheme = &text[..text.len() - body.len()];
    // Everything up to the last `@` is the user part, whatever libpq would make of it:
    // a password holding an unencoded `@` or `/` must not show either.
    let (userinfo, rest) = match body.rsplit_once('@') {
        Some((userinfo, rest)) => (Some(userinfo), rest),
        None => (None, body),
    };
    let mut out = scheme.to_string();
    if let Some(userinfo) = userinfo {
        match userinfo.split_once(':') {
            Some((user, _)) => out.push_str(&format!("{user}:***@")),
            None => out.push_str(&format!("{userinfo}@")),
        }
    }
    // Any piece that mentions a password loses its value, wherever a malformed URL put it.
    let mut piece = String::new();
    for c in rest.chars().chain(std::iter::once('&')) {
        if c != '?' && c != '&' {
            piece.push(c);
            continue;
        }
        let plain = decode(&piece, "").unwrap_or_else(|_| piece.clone());
        if plain.to_ascii_lowercase().contains("password") {
            // What follows may be more of the password (an unencoded `&`): hidden too.
            match piece.split_once('=') {
                Some((key, _)) => out.push_str(&format!("{key}=***")),
                None => out.push_str("***"),
            }
            return out;
        }
        out.push_str(&piece);
        out.push(c);
        piece.clear();
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> Vec<(String, String)> {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn url_forms_libpq_accepts() {
        assert_eq!(
            params("postgresql://al%40ice:p%3Aw%2F@db.example:6543/app%20db?sslmode=disable"),
            pairs(&[
                ("user", "al@ice"),
                ("password", "p:w/"),
                ("host", "db.example"),
                ("port", "6543"),
                ("dbname", "app db"),
                ("sslmode", "disable"),
            ])
        );
        assert_eq!(
            params("postgres://%2Fvar%2Frun%2Fpostgresql/app"),
            pairs(&[("host", "/var/run/postgresql"), ("dbname", "app")])
        );
        assert_eq!(
            params("postgresql:///app?host=/tmp/sock&port=5433&password=x"),
            pairs(&[
                ("dbname", "app"),
                ("host", "/tmp/sock"),
                ("port", "5433"),
                ("password", "x")
            ])
        );
        assert_eq!(
            params("postgresql://a:1,[::1]:2,c/db"),
            pairs(&[("host", "a,::1,c"), ("port", "1,2,"), ("dbname", "db")])
        );
        assert_eq!(params("postgres://"), pairs(&[]));
        assert_eq!(
            params("postgres://u:p?q@h"),
            pairs(&[("user", "u"), ("password", "p?q"), ("host", "h")])
        );
    }

    #[test]
    fn conninfo_strings() {
        assert_eq!(
            params(r"host=/tmp dbname = 'my db' password='it\'s' user=a\ b"),
            pairs(&[
                ("host", "/tmp"),
                ("dbname", "my db"),
                ("password", "it's"),
                ("user", "a b"),
            ])
        );
        assert!(looks_like_conninfo("host=/tmp dbname=x"));
        assert!(looks_like_conninfo("dbname =x"));
        assert!(!looks_like_conninfo("schema.sql"));
        assert!(!looks_like_conninfo("a=b.sql"));
    }

    #[test]
    fn errors_never_quote_the_password() {
        for bad in [
            "postgres://u:hunter2%zz@h/db",
            "postgres://u:hunter2@h/db?password",
            "postgres://u:hunt@er2@h/db",
            "postgres://u:hunter2@h/db?password=hunter2&bogus=1",
            "password='hunter2",
            "host=h password=hunter2 service=x",
            "postgres://u:hunter2@[::1/db",
            "postgres://u@h/db?sslmode=verify-full?password=hunter2&x=1",
            "postgres://u@h/db?sslmode=prefer&password=hunter2&hunter2=x",
            "postgres://u@h/db&password=hunter2",
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(!e.contains("hunter2"), "{bad}: {e}");
            assert!(!redact(bad).contains("hunter2"), "{bad}: {}", redact(bad));
        }
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("postgres://bob:pw@h/db"), "postgres://bob:***@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
        assert_eq!(redact("postgres://b:p@w/x@h/db"), "postgres://b:***@h/db");
        assert_eq!(
            redact("postgresql://h/db?user=u&pass%77ord=pw&port=1"),
            "postgresql://h/db?user=u&pass%77ord=***"
        );
        assert_eq!(
            redact("host=h password=pw"),
            "(connection string not shown)"
        );
    }
}
