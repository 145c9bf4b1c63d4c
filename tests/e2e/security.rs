//! The attacks of issue 17, each tried as an attacker on the network would and shown failing:
//! forged and overlong tokens, the staff directory read without the right, evaluation codes
//! seen by a co-handling department, control characters sent to the database, many copies of a
//! board in one request, and the endpoints an operator turns on.

use crate::support::{METRICS_TOKEN, Mail, TestApp, code, flows, spawn_app_configured};
use chrono::Duration;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

/// The secret an earlier `lianban.toml` shipped.
const PUBLISHED: &str = "development-only-secret-change-me-for-production-use";
/// The tests' `base_url`, which tokens name as their issuer.
const ISSUER: &str = "http://127.0.0.1:8080";
const ME: &str = "{ me { id username } }";

fn sign(secret: &[u8], kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

/// The session a token names (its `sid` claim), read without checking the signature.
fn sid_of(token: &str) -> String {
    let data = jsonwebtoken::dangerous::insecure_decode::<serde_json::Value>(token).unwrap();
    data.claims["sid"].as_str().unwrap().to_owned()
}

async fn my_id(app: &TestApp, token: &str) -> String {
    app.ok(Some(token), ME, json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_databases! {
    async fn nobody_signs_a_session_with_a_published_or_guessed_secret(app: TestApp) {
        let admin = app.login("admin").await;
        let admin_id = my_id(&app, &admin).await;
        let now = app.clock_now().timestamp();
        let sid = sid_of(&admin);
        let claims = |iat: i64, exp: i64| json!({ "sub": admin_id, "sid": sid, "iat": iat, "exp": exp, "iss": ISSUER, "aud": "lianban-api" });
        // The forgery of the report: `{"sub": <admin>}` signed with the secret anyone could read.
        for token in [
            sign(PUBLISHED.as_bytes(), None, &json!({ "sub": admin_id, "exp": now + 3600 })),
            sign(PUBLISHED.as_bytes(), Some("configured"), &claims(now, now + 3600)),
            sign(b"guess-guess-guess-guess-guess-guess", Some("configured"), &claims(now, now + 3600)),
        ] {
            let refused = app.fails(Some(&token), ME, json!({})).await;
            assert_eq!(code(&refused), "UNAUTHENTICATED", "{refused}");
        }
        // The installation made its own 256-bit key at first start, and signs with it.
        let keys = app.engine.signing_keys().await.unwrap();
        assert_eq!(keys.len(), 1);
        assert!(keys[0].secret.len() >= 32, "at least 256 bits");
        assert_eq!(kid_of(&admin), keys[0].kid);
        // Even with the real key, a token must name this installation and this API, and live no
        // longer than the configured 720 minutes.
        let key = &keys[0];
        let genuine = sign(&key.secret, Some(&key.kid), &claims(now, now + 720 * 60));
        assert_eq!(my_id(&app, &genuine).await, admin_id, "the test's own signing is right");
        let outliving = claims(now, now + 720 * 60 + 3600);
        let mut foreign = claims(now, now + 600);
        foreign["aud"] = json!("another-api");
        let mut unnamed = claims(now, now + 600);
        unnamed.as_object_mut().unwrap().remove("iss");
        let mut no_iat = claims(now, now + 600);
        no_iat.as_object_mut().unwrap().remove("iat");
        // Nor does the real key open a session that was never signed in, or one signed out.
        let mut unopened = claims(now, now + 600);
        unopened["sid"] = json!(uuid::Uuid::now_v7());
        let mut no_session = claims(now, now + 600);
        no_session.as_object_mut().unwrap().remove("sid");
        for forged in [outliving, foreign, unnamed, no_iat, unopened, no_session] {
            let token = sign(&key.secret, Some(&key.kid), &forged);
            assert_eq!(code(&app.fails(Some(&token), ME, json!({})).await), "UNAUTHENTICATED", "{forged}");
        }
    }

    async fn a_rotated_key_keeps_the_tokens_it_signed_until_they_expire(app: TestApp) {
        let before = app.login("scjg.window").await;
        app.clock.advance(Duration::hours(6));
        let old = app.engine.signing_keys().await.unwrap().remove(0);
        let new = app.engine.rotate_signing_key().await.unwrap();
        assert_eq!((old.generation, new.generation), (1, 2));
        let after = app.login("scjg.window").await;
        assert_eq!(kid_of(&before), old.kid);
        assert_eq!(kid_of(&after), new.kid, "new sign-ins use the new key");
        assert_eq!(my_id(&app, &before).await, my_id(&app, &after).await, "and the old token still works");
        // The old key signs nothing new: a token it signed after the rotation is refused.
        app.clock.advance(Duration::minutes(10));
        let now = app.clock_now().timestamp();
        let id = my_id(&app, &after).await;
        let late = sign(&old.secret, Some(&old.kid), &json!({ "sub": id, "iat": now, "exp": now + 3600, "iss": ISSUER, "aud": "lianban-api" }));
        assert_eq!(code(&app.fails(Some(&late), ME, json!({})).await), "UNAUTHENTICATED");
        // Twelve hours after it was issued the old token has expired; the new one has not.
        app.clock.advance(Duration::hours(6) - Duration::minutes(9));
        assert_eq!(code(&app.fails(Some(&before), ME, json!({})).await), "UNAUTHENTICATED");
        my_id(&app, &after).await;
    }

    async fn the_public_sees_windows_and_never_people(app: TestApp) {
        let windows = app.ok(None, "{ serviceWindows { name location department { name } } }", json!({})).await;
        assert!(!windows["serviceWindows"].as_array().unwrap().is_empty(), "a window's name and place are public");
        for prying in [
            "{ serviceWindows { department { staff { id username roles email } } } }",
            "{ serviceGuide(matterCode: \"JOINT-001\") { coHandlers { department { staff { name email } } } } }",
            "{ serviceGuide(matterCode: \"JOINT-001\") { leadDepartment { staff { id } } window { department { staff { username } } } } }",
        ] {
            let body = app.post(None, prying, json!({})).await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{prying}: {body}");
            let text = body["data"].to_string();
            for person in ["@lianban.example", "scjg.", "xfjy.", "admin", "王窗口", "REVIEWER"] {
                assert!(!text.contains(person), "{prying} leaks {person}: {text}");
            }
        }
    }

    async fn staff_see_the_people_they_work_with_and_contacts_only_where_their_role_needs_them(app: TestApp) {
        let people = "query { departments { code staff { username name roles email absences { reason } } } }";
        let directory = |data: &Value, department: &str| -> Vec<Value> {
            data["departments"].as_array().unwrap().iter()
                .find(|d| d["code"] == department).unwrap()["staff"].as_array().unwrap().clone()
        };
        let person = |list: &[Value], username: &str| list.iter().find(|s| s["username"] == username).cloned();

        // A reviewer: their own department by name and role, who is away, not their colleagues'
        // mail; of another department only its window staff; of the centre office nobody.
        let reviewer = app.login("xfjy.a").await;
        let seen = app.ok(Some(&reviewer), people, json!({})).await;
        let own = directory(&seen, "XFJY");
        assert_eq!(own.len(), 3);
        let colleague = person(&own, "xfjy.b").unwrap();
        assert_eq!((colleague["name"].clone(), colleague["email"].clone()), (json!("杨消防"), Value::Null));
        assert!(colleague["absences"].is_array(), "who is away, for the department");
        assert_eq!(person(&own, "xfjy.a").unwrap()["email"], "xfjy.a@lianban.example", "their own");
        let market = directory(&seen, "SCJG");
        assert_eq!(market.iter().map(|s| s["username"].as_str().unwrap()).collect::<Vec<_>>(), ["scjg.window"], "only the front desk");
        assert_eq!((market[0]["email"].clone(), market[0]["absences"].clone()), (Value::Null, Value::Null));
        assert_eq!(directory(&seen, "ZXGLB"), Vec::<Value>::new(), "nobody of the centre office");

        // The department head keeps the department's accounts: its mail and absences.
        let head = app.login("xfjy.head").await;
        let seen = app.ok(Some(&head), people, json!({})).await;
        assert_eq!(person(&directory(&seen, "XFJY"), "xfjy.b").unwrap()["email"], "xfjy.b@lianban.example");
        assert_eq!(person(&directory(&seen, "SCJG"), "scjg.window").unwrap()["email"], Value::Null);

        // The centre admin keeps every account.
        let admin = app.login("admin").await;
        let seen = app.ok(Some(&admin), people, json!({})).await;
        assert_eq!(person(&directory(&seen, "SCJG"), "scjg.head").unwrap()["email"], "scjg.head@lianban.example");

        // Through a case: a co-handling reviewer sees who received it, not their address.
        let (_, case, _, _) = flows::joint_case_in_review(&app).await;
        let through = flows::case(&app, &reviewer, &case, "firstResponder { name email absences { reason } }").await;
        assert_eq!(through["firstResponder"], json!({ "name": "王窗口", "email": null, "absences": null }));
    }

    async fn only_the_lead_window_sees_the_evaluation_code(app: TestApp) {
        let (window, case, _, _) = flows::joint_case_in_review(&app).await;
        let by_window = flows::case(&app, &window, &case, "evaluationCode").await;
        assert!(by_window["evaluationCode"].as_str().is_some_and(|c| c.len() == 10), "{by_window}");
        for username in ["xfjy.a", "xfjy.head", "leader", "supervisor", "admin"] {
            let token = app.login(username).await;
            let seen = flows::case(&app, &token, &case, "number evaluationCode").await;
            assert_eq!(seen["evaluationCode"], Value::Null, "{username}");
        }
    }

    async fn control_characters_never_reach_the_database(app: TestApp) {
        let admin = app.login("admin").await;
        let department = app.ok(Some(&admin), "{ departments { id code } }", json!({})).await["departments"]
            .as_array().unwrap().iter().find(|d| d["code"] == "XFJY").unwrap()["id"].clone();
        let entries = "{ scoreEntries { totalCount } }";
        let before = app.ok(Some(&admin), entries, json!({})).await;
        let rules = app.ok(Some(&admin), "{ scoringRules { code points } }", json!({})).await;
        for (document, variables) in [
            ("mutation { setScoringRule(code: \"WRITTEN_THANKS\\u0000\", points: 3) { code } }", json!({})),
            ("mutation($c: String!) { setScoringRule(code: $c, points: 3) { code } }", json!({ "c": "WRITTEN\u{0}THANKS" })),
            ("mutation($i: RecordScoreInput!) { recordScore(input: $i) { id } }", json!({ "i": { "departmentId": department, "ruleCode": "WRITTEN_THANKS", "reason": "感谢信\u{0}" } })),
            ("mutation($i: RecordScoreInput!) { recordScore(input: $i) { id } }", json!({ "i": { "departmentId": department, "ruleCode": "WRITTEN_THANKS", "reason": "\u{1b}[31m红色" } })),
        ] {
            let refused = app.fails(Some(&admin), document, variables).await;
            assert_eq!(code(&refused), "INVALID_INPUT", "{refused}");
        }
        assert_eq!(app.ok(Some(&admin), entries, json!({})).await, before, "nothing written");
        assert_eq!(app.ok(Some(&admin), "{ scoringRules { code points } }", json!({})).await, rules);
        // Line breaks and tabs are text.
        let thanks = app.ok(Some(&admin), "mutation($i: RecordScoreInput!) { recordScore(input: $i) { reason } }",
            json!({ "i": { "departmentId": department, "ruleCode": "WRITTEN_THANKS", "reason": "感谢信：\n\t办事快" } })).await;
        assert_eq!(thanks["recordScore"]["reason"], "感谢信：\n\t办事快");
    }

    async fn many_copies_of_a_board_in_one_request_are_refused(app: TestApp) {
        let leader = app.login("leader").await;
        let copies = |n: usize| format!("{{ {} }}", (0..n).map(|i| format!("b{i}: leadershipBoard {{ at }}")).collect::<Vec<_>>().join(" "));
        let fine = app.ok(Some(&leader), &copies(4), json!({})).await;
        assert!(fine["b3"]["at"].is_string());
        let refused = app.fails(Some(&leader), &copies(5), json!({})).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        assert!(refused["message"].as_str().unwrap().contains("complex"), "{refused}");
        // 900 copies, as in the report, are refused before any runs.
        let started = std::time::Instant::now();
        assert_eq!(code(&app.fails(Some(&leader), &copies(900), json!({})).await), "INVALID_INPUT");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    async fn metrics_need_the_operators_token(app: TestApp) {
        let url = format!("http://{}/metrics", app.addr);
        let anonymous = app.client.get(&url).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let window = app.login("scjg.window").await;
        let staff = app.client.get(&url).bearer_auth(&window).send().await.unwrap();
        assert_eq!(staff.status(), 401, "a sign-in token is not the metrics token");
        let operator = app.client.get(&url).bearer_auth(METRICS_TOKEN).send().await.unwrap();
        assert_eq!(operator.status(), 200);
        assert!(operator.text().await.unwrap().contains("lianban_graphql_requests_total"));
    }

    async fn pages_carry_security_headers(app: TestApp) {
        for path in ["/", "/board", "/cases/x", "/assets/app.js", "/healthz"] {
            let response = app.client.get(format!("http://{}{path}", app.addr)).send().await.unwrap();
            let headers = response.headers();
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        }
        let page = app.client.get(format!("http://{}/", app.addr)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("<script>") && !page.contains("style="), "no inline script or style: {page}");
    }
}

/// An app with `overrides` on the tests' settings, on `db`.
async fn configured(db: crate::support::Db, overrides: Value) -> TestApp {
    spawn_app_configured(db, Mail::Memory, overrides).await
}

/// The HTTP status of `GET path`, and the body.
async fn get(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let response = app
        .client
        .get(format!("http://{}{path}", app.addr))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

async fn off_unless_a_setting_turns_them_on(db: crate::support::Db) {
    // The defaults: no GraphiQL, no introspection, no /metrics.
    let app = configured(
        db,
        json!({ "api": { "introspection": false }, "metrics": { "token": null } }),
    )
    .await;
    let graphiql = app.client.get(app.url()).send().await.unwrap();
    assert_eq!(graphiql.status(), 404);
    let body: Value = graphiql.json().await.unwrap();
    assert_eq!(code(&body["errors"][0]), "NOT_FOUND");
    for asset in ["/graphiql/graphiql.min.js", "/graphiql/start.js"] {
        assert_eq!(get(&app, asset).await.0, 404, "{asset}");
    }
    let window = app.login("scjg.window").await;
    for probe in [
        "{ __schema { types { name } } }",
        "{ __type(name: \"Case\") { fields { name } } }",
    ] {
        let refused = app.fails(Some(&window), probe, json!({})).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("api.introspection"),
            "{refused}"
        );
    }
    let metrics = app
        .client
        .get(format!("http://{}/metrics", app.addr))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 404);
    drop(app);

    // Turned on: GraphiQL from the binary (no script from elsewhere), introspection, and
    // /metrics on a listener of its own.
    let app = configured(db, json!({ "api": { "graphiql": true, "introspection": true }, "metrics": { "token": null, "bind": "127.0.0.1:0" } })).await;
    let page = app.client.get(app.url()).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe"),
        "{csp}"
    );
    let page = page.text().await.unwrap();
    assert!(page.contains("/graphiql/graphiql.min.js"), "{page}");
    for foreign in ["http://", "https://", "unpkg", "cdn", "<script>"] {
        assert!(!page.contains(foreign), "the page holds {foreign}: {page}");
    }
    for asset in [
        "/graphiql/graphiql.min.js",
        "/graphiql/react.production.min.js",
        "/graphiql/react-dom.production.min.js",
        "/graphiql/graphiql.min.css",
        "/graphiql/start.js",
    ] {
        let (status, body) = get(&app, asset).await;
        assert_eq!(status, 200, "{asset}");
        assert!(body.len() > 100, "{asset}");
    }
    let window = app.login("scjg.window").await;
    let types = app
        .ok(Some(&window), "{ __schema { types { name } } }", json!({}))
        .await;
    assert!(types["__schema"]["types"].as_array().unwrap().len() > 50);
    assert_eq!(
        app.client
            .get(format!("http://{}/metrics", app.addr))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "not on the public listener"
    );
    let metrics_addr = app.metrics_addr.unwrap();
    let metrics = app
        .client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics
            .text()
            .await
            .unwrap()
            .contains("lianban_graphql_requests_total")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_introspection_and_metrics_are_off_unless_a_setting_turns_them_on_sqlite() {
    off_unless_a_setting_turns_them_on(crate::support::Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_introspection_and_metrics_are_off_unless_a_setting_turns_them_on_postgres() {
    off_unless_a_setting_turns_them_on(crate::support::Db::Postgres).await;
}
