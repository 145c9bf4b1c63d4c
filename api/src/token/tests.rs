//! Tokens: issued, checked, refused.

use super::*;
use chrono::TimeZone;

const ISSUER: &str = "https://lianban.example";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

fn sign(secret: &str, kid: Option<&str>, claims: &serde_json::Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn a_token_names_its_staff_until_it_expires() {
    let secret = SecretString::from("s".repeat(32));
    let tokens = Tokens::configured(&secret, ISSUER, 60);
    let staff = Uuid::now_v7();
    let session = Uuid::now_v7();
    let (token, expires) = tokens.issue(staff, session, t0()).await.unwrap();
    assert_eq!(expires, t0() + Duration::minutes(60));
    let verified = tokens
        .check(&token, t0() + Duration::minutes(59))
        .await
        .unwrap();
    assert_eq!(verified.staff_id, staff);
    assert_eq!(verified.session_id, session);
    assert_eq!(verified.expires, expires);
    let late = tokens
        .check(&token, t0() + Duration::minutes(60))
        .await
        .unwrap_err();
    assert_eq!(late.code(), "UNAUTHENTICATED");
    let other = Tokens::configured(&SecretString::from("t".repeat(32)), ISSUER, 60);
    assert_eq!(
        other.check(&token, t0()).await.unwrap_err().code(),
        "UNAUTHENTICATED"
    );
    let elsewhere = Tokens::configured(&secret, "https://other.example", 60);
    assert_eq!(
        elsewhere.check(&token, t0()).await.unwrap_err().code(),
        "UNAUTHENTICATED",
        "another installation's issuer"
    );
    assert_eq!(
        tokens.check("garbage", t0()).await.unwrap_err().code(),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn tokens_without_our_claims_or_outliving_the_lifetime_are_refused() {
    let secret = "s".repeat(32);
    let tokens = Tokens::configured(&SecretString::from(secret.clone()), ISSUER, 60);
    let staff = Uuid::now_v7();
    let iat = t0().timestamp();
    let good = serde_json::json!({
        "sub": staff, "sid": Uuid::now_v7(), "iat": iat, "exp": iat + 3600, "iss": ISSUER,
        "aud": AUDIENCE,
    });
    let kid = Some(CONFIGURED_KID);
    assert!(tokens.check(&sign(&secret, kid, &good), t0()).await.is_ok());
    let mut forged = Vec::new();
    // The old shape: only `sub` (and an expiry).
    forged.push(serde_json::json!({ "sub": staff, "exp": iat + 60 }));
    // Before sessions: every claim but `sid`.
    let mut no_session = good.clone();
    no_session.as_object_mut().unwrap().remove("sid");
    forged.push(no_session);
    let mut long = good.clone();
    long["exp"] = (iat + 3600 * 24 * 365).into();
    forged.push(long);
    let mut wrong_aud = good.clone();
    wrong_aud["aud"] = "someone-else".into();
    forged.push(wrong_aud);
    let mut no_iss = good.clone();
    no_iss.as_object_mut().unwrap().remove("iss");
    forged.push(no_iss);
    let mut future = good.clone();
    future["iat"] = (iat + 3000).into();
    future["exp"] = (iat + 3000 + 3600).into();
    forged.push(future);
    for claims in forged {
        let err = tokens
            .check(&sign(&secret, kid, &claims), t0())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "UNAUTHENTICATED", "{claims}");
    }
    // A genuine signature under another key id.
    let err = tokens
        .check(&sign(&secret, Some("other"), &good), t0())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UNAUTHENTICATED");
}

#[test]
fn a_superseded_key_verifies_only_what_it_signed_before_the_rotation() {
    let old = SigningKey {
        generation: 1,
        kid: "old".into(),
        secret: vec![1; 32],
        created_at: t0() - Duration::days(30),
    };
    let new = SigningKey {
        generation: 2,
        kid: "new".into(),
        secret: vec![2; 32],
        created_at: t0(),
    };
    let set = key_set(&[new, old]);
    assert_eq!(set[0].kid, "new");
    assert_eq!(set[0].superseded_at, None);
    assert_eq!(set[1].superseded_at, Some(t0()));
}
