//! Input limits (SPEC §9): every string and list that reaches the engine is bounded, trimmed,
//! and refused with `INVALID_INPUT` naming its field when it is out of bounds.

use crate::error::{Error, Result};

/// Longest name (applicant, staff, matter), in characters.
pub const MAX_NAME: usize = 100;
/// Longest identifier-like string (ID number, phone, code, idempotency key), in characters.
pub const MAX_SHORT: usize = 64;
/// Longest free text (reason, legal basis, condition), in characters.
pub const MAX_TEXT: usize = 2000;
/// Longest list (conditions, missing items).
pub const MAX_LIST: usize = 50;

/// A required string: trimmed, not empty, at most `max` characters.
///
/// # Errors
/// `INVALID_INPUT` when empty or too long.
pub fn required(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    bounded(field, value, max)
}

/// An optional string: trimmed; empty becomes `None`; at most `max` characters.
///
/// # Errors
/// `INVALID_INPUT` when too long.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded(field, value, max).map(Some),
    }
}

/// A list of strings: at most [`MAX_LIST`] items, each required and at most `max` characters;
/// duplicates (after trimming) are dropped, order kept.
///
/// # Errors
/// `INVALID_INPUT` when too long, or when an item is empty or too long.
pub fn list(field: &str, items: &[String], max: usize) -> Result<Vec<String>> {
    if items.len() > MAX_LIST {
        return Err(Error::invalid(field, format!("at most {MAX_LIST} items")));
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let item = required(field, item, max)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

/// A mail address: `user@host.domain`, no spaces, at most [`MAX_NAME`] characters.
///
/// # Errors
/// `INVALID_INPUT` when empty, too long or not an address.
pub fn email(field: &str, value: &str) -> Result<String> {
    let email = required(field, value, MAX_NAME)?;
    let ok = email.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && !host.contains('@')
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
    }) && !email.contains(char::is_whitespace);
    if ok {
        Ok(email)
    } else {
        Err(Error::invalid(field, "is not an email address"))
    }
}

/// A username: 2–64 of ASCII letters, digits, `.`, `_` and `-`, starting with a letter or
/// digit; kept as given (sign-in compares exactly).
///
/// # Errors
/// `INVALID_INPUT` otherwise.
pub fn username(field: &str, value: &str) -> Result<String> {
    let name = required(field, value, MAX_SHORT)?;
    let ok = name.chars().count() >= 2
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name)
    } else {
        Err(Error::invalid(
            field,
            "2–64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        ))
    }
}

/// A code (department, matter): 1–32 of upper-case ASCII letters, digits and `-`, `_`; lower
/// case is raised.
///
/// # Errors
/// `INVALID_INPUT` otherwise.
pub fn code(field: &str, value: &str) -> Result<String> {
    let code = required(field, value, 32)?.to_ascii_uppercase();
    if code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
    {
        Ok(code)
    } else {
        Err(Error::invalid(
            field,
            "letters A–Z, digits, '-' or '_' (at most 32)",
        ))
    }
}

fn bounded(field: &str, value: &str, max: usize) -> Result<String> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::invalid(
            field,
            format!("at most {max} characters (got {len})"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_trimmed_and_bounded() {
        assert_eq!(required("name", "  张三 ", MAX_NAME).unwrap(), "张三");
        assert_eq!(
            required("name", "   ", MAX_NAME).unwrap_err().code(),
            "INVALID_INPUT"
        );
        let long = "字".repeat(MAX_NAME + 1);
        let err = required("name", &long, MAX_NAME).unwrap_err();
        assert_eq!(err.to_string(), "name: at most 100 characters (got 101)");
        assert_eq!(optional("reason", Some(" "), MAX_TEXT).unwrap(), None);
        assert_eq!(
            required("name", "a\u{0}b", MAX_NAME).unwrap_err().code(),
            "INVALID_INPUT"
        );
    }

    #[test]
    fn lists_are_bounded_and_deduplicated() {
        let items = vec![
            "消防验收".to_owned(),
            " 消防验收".to_owned(),
            "环评".to_owned(),
        ];
        assert_eq!(
            list("conditions", &items, MAX_TEXT).unwrap(),
            vec!["消防验收", "环评"]
        );
        let many = vec!["x".to_owned(); MAX_LIST + 1];
        assert_eq!(
            list("conditions", &many, MAX_TEXT).unwrap_err().code(),
            "INVALID_INPUT"
        );
    }
}
