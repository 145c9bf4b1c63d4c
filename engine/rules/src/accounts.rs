//! 账号 — the rules of accounts: what makes a password acceptable, how a sign-in ended, why a
//! session ended. Pure.
//!
//! Passwords follow what the well-kept identity servers and NIST SP 800-63B ask: a length, no
//! composition rules (no "one digit, one symbol"), and a refusal of the guessable ones — the
//! commonest passwords, keyboard walks, repeats, dates, and anything built from the person's
//! own username or name — judged by zxcvbn's estimate of the guesses it would take.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The fewest characters a password may have.
pub const MIN_PASSWORD: usize = 10;
/// The most characters a password may have (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD: usize = 128;
/// zxcvbn's score a password must reach: 2 means more than 10⁶ guesses (the commonest
/// passwords, their variants and short patterns score 0 or 1).
const MIN_SCORE: u8 = 2;

/// What Chinese passwords are commonly built from, which zxcvbn's English lists lack: pinyin
/// phrases and surnames, number codes (5201314 "我爱你一生一世"), the names of the commonest
/// accounts. zxcvbn ranks them like the person's own name: a password made of them is guessed
/// early.
const COMMON_CN: &[&str] = &[
    "woaini",
    "5201314",
    "1314520",
    "520520",
    "1314",
    "521",
    "woaini1314",
    "woaini520",
    "aini",
    "wodeai",
    "woainima",
    "woaiwojia",
    "zhongguo",
    "beijing",
    "shanghai",
    "xiaoming",
    "xiaohong",
    "lianban",
    "zhengwu",
    "zhengfu",
    "fuwu",
    "zhongxin",
    "mima",
    "mima123",
    "abc123",
    "qq123456",
    "a123456",
    "aa123456",
    "123qwe",
    "1qaz2wsx",
    "qazwsxedc",
    "147258369",
    "147258",
    "159357",
    "123654789",
    "789456123",
    "741852963",
    "321654987",
    "112233",
    "11223344",
    "110110",
    "888888",
    "666666",
    "168168",
    "518518",
    "99999999",
    "zhang",
    "wang",
    "li",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "zhou",
    "wu",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "he",
    "lin",
    "luo",
    "gao",
    "zheng",
    "liang",
    "xie",
    "tang",
    "admin",
    "root",
    "test",
    "guest",
    "user",
    "changeme",
];

/// Refuses a new password that is too short, too long, or guessable for this person.
///
/// # Errors
/// `INVALID_INPUT` on `field`, saying what is wrong (never echoing the password).
pub fn check_new_password(field: &str, password: &str, username: &str, name: &str) -> Result<()> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(Error::invalid(
            field,
            format!("at least {MIN_PASSWORD} characters (a few words make a good one)"),
        ));
    }
    if length > MAX_PASSWORD {
        return Err(Error::invalid(
            field,
            format!("at most {MAX_PASSWORD} characters"),
        ));
    }
    if password.trim() != password {
        return Err(Error::invalid(field, "no spaces at its start or end"));
    }
    let lowered = password.to_lowercase();
    if !username.is_empty() && lowered.contains(&username.to_lowercase()) {
        return Err(Error::invalid(field, "must not contain the username"));
    }
    let mut known: Vec<&str> = vec![username, name];
    known.extend_from_slice(COMMON_CN);
    let score = zxcvbn::zxcvbn(password, &known).score();
    if u8::from(score) < MIN_SCORE {
        return Err(Error::invalid(
            field,
            "too easy to guess: it is one of the commonest passwords or close to one; use a longer phrase",
        ));
    }
    Ok(())
}

/// How a sign-in was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignInMethod {
    /// Username and password.
    Password,
    /// 统一身份认证 — the OpenID Connect provider.
    Sso,
}

/// How a sign-in attempt ended (the sign-in log's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignInOutcome {
    /// Signed in.
    SignedIn,
    /// Signed in with a temporary password, which must be changed first.
    MustChangePassword,
    /// A wrong password for a known account.
    WrongPassword,
    /// No account has this username (or, for single sign-on, this subject).
    UnknownAccount,
    /// The account is deactivated.
    Deactivated,
    /// Too many failures: refused before the password was checked.
    Throttled,
    /// Password sign-in is switched off (single sign-on only).
    PasswordSignInOff,
    /// The single sign-on provider's answer could not be checked.
    SsoFailed,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SessionEnd {
    /// The person signed out.
    SignedOut,
    /// A centre admin ended the person's sessions.
    EndedByAdmin,
    /// The account was deactivated.
    Deactivated,
    /// The password was changed or reset: every other session ends.
    PasswordChanged,
}

macro_rules! names {
    ($($ty:ty => [$($value:ident = $name:literal),+ $(,)?]),+ $(,)?) => {$(
        impl $ty {
            /// Every value, in order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$value),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$value => $name),+ }
            }

            /// The value of a stored name.
            ///
            /// # Errors
            /// `INTERNAL` (corrupt) for an unknown name.
            pub fn parse(name: &str) -> Result<Self> {
                match name {
                    $($name => Ok(<$ty>::$value),)+
                    other => Err(Error::Corrupt(format!(
                        "{} {other:?}", stringify!($ty)
                    ))),
                }
            }
        }
    )+};
}

names! {
    SignInMethod => [Password = "PASSWORD", Sso = "SSO"],
    SignInOutcome => [
        SignedIn = "SIGNED_IN",
        MustChangePassword = "MUST_CHANGE_PASSWORD",
        WrongPassword = "WRONG_PASSWORD",
        UnknownAccount = "UNKNOWN_ACCOUNT",
        Deactivated = "DEACTIVATED",
        Throttled = "THROTTLED",
        PasswordSignInOff = "PASSWORD_SIGN_IN_OFF",
        SsoFailed = "SSO_FAILED",
    ],
    SessionEnd => [
        SignedOut = "SIGNED_OUT",
        EndedByAdmin = "ENDED_BY_ADMIN",
        Deactivated = "DEACTIVATED",
        PasswordChanged = "PASSWORD_CHANGED",
    ],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(password: &str) -> bool {
        check_new_password("newPassword", password, "scjg.window", "王窗口").is_err()
    }

    #[test]
    fn length_counts_not_composition() {
        assert!(refused("Ab1!x"), "short, however mixed");
        assert!(refused("梧桐树下的青石板路"), "nine characters are too few");
        assert!(
            !refused("tall maple quietly bends"),
            "a phrase of plain words is fine"
        );
        assert!(!refused("冬至那天的饺子很好吃呀"), "ten Chinese characters");
        assert!(refused(&"a".repeat(129)));
    }

    #[test]
    fn the_commonest_passwords_and_the_person_s_own_name_are_refused() {
        for common in [
            "1234567890",
            "password123",
            "qwertyuiop",
            "iloveyou12",
            "aaaaaaaaaaaa",
            "woaini1314520",
            "P@ssw0rd2026",
            "Password1234",
        ] {
            assert!(refused(common), "{common}");
        }
        assert!(refused("scjg.window2026"), "contains the username");
        assert!(refused(" leading space ok?"));
    }

    #[test]
    fn the_error_names_the_field_and_never_the_password() {
        let err = check_new_password("newPassword", "1234567890", "u", "n").unwrap_err();
        assert_eq!(err.code(), "INVALID_INPUT");
        assert!(err.to_string().starts_with("newPassword: "));
        assert!(!err.to_string().contains("1234567890"));
    }

    #[test]
    fn names_round_trip() {
        for value in SignInOutcome::ALL {
            assert_eq!(SignInOutcome::parse(value.as_str()).unwrap(), *value);
        }
        for value in SessionEnd::ALL {
            assert_eq!(SessionEnd::parse(value.as_str()).unwrap(), *value);
        }
        assert!(SignInMethod::parse("TOTP").is_err());
    }
}
