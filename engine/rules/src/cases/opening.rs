//! 收件 — what opening a case checks: the applicant as the window records them, and the case's
//! number.

use crate::error::{Error, Result};
use crate::validate::{self, MAX_NAME};
use chrono::NaiveDate;

/// The applicant, as the window records them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applicant {
    /// Name of the person or organisation.
    pub name: String,
    /// ID number (身份证号) or unified social credit code.
    pub id_number: String,
    /// Phone.
    pub phone: String,
}

/// The applicant trimmed and checked: a name, an ID number of letters, digits and '-', a phone
/// of digits, '+', '-' and spaces.
///
/// # Errors
/// `INVALID_INPUT` naming the field.
pub fn check_applicant(applicant: &Applicant) -> Result<Applicant> {
    let name = validate::required("applicant.name", &applicant.name, MAX_NAME)?;
    let id_number = validate::required("applicant.idNumber", &applicant.id_number, 32)?;
    if !id_number
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Error::invalid(
            "applicant.idNumber",
            "letters, digits and '-' only",
        ));
    }
    let phone = validate::required("applicant.phone", &applicant.phone, 20)?;
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
    {
        return Err(Error::invalid(
            "applicant.phone",
            "digits, '+', '-' and spaces only",
        ));
    }
    Ok(Applicant {
        name,
        id_number,
        phone,
    })
}

/// 办件编号 — `LB-YYYYMMDD-NNNNNN`, the `n`th case of a local day.
pub fn format_number(day: NaiveDate, n: i64) -> String {
    format!("LB-{}-{n:06}", day.format("%Y%m%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_spec() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(format_number(day, 42), "LB-20261123-000042");
    }

    #[test]
    fn an_applicant_is_trimmed_and_their_id_and_phone_checked() {
        let ok = check_applicant(&Applicant {
            name: " 张三 ".into(),
            id_number: "110101199003077777".into(),
            phone: "+86 138-0000-0000".into(),
        })
        .unwrap();
        assert_eq!(ok.name, "张三");
        let bad_id = Applicant {
            id_number: "1101<script>".into(),
            ..ok.clone()
        };
        assert_eq!(
            check_applicant(&bad_id).unwrap_err().field(),
            Some("applicant.idNumber")
        );
        let bad_phone = Applicant {
            phone: "call me".into(),
            ..ok
        };
        assert_eq!(
            check_applicant(&bad_phone).unwrap_err().field(),
            Some("applicant.phone")
        );
    }
}
