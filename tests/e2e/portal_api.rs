//! What a portal team relies on besides the operations themselves: lists page by cursor and
//! filter as documented, bad requests of every shape get a JSON error with its code, and every
//! response names its request while `/metrics` counts it by operation.

use crate::support::{code, flows};
use chrono::Duration;
use serde_json::{Value, json};

const PAGE: &str = "query($first: Int, $after: String, $status: TaskStatus, $light: Light, $kind: CaseKind, $matter: String, $from: DateTime, $to: DateTime) {
  myTasks(first: $first, after: $after, filter: {status: $status, light: $light, kind: $kind, matterCode: $matter, from: $from, to: $to}) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id } }
    nodes { id light case { number } }
  }
}";

/// The numbers of the cases on one page of `myTasks`, and the page itself.
async fn tasks(app: &crate::support::TestApp, token: &str, filter: Value) -> (Vec<String>, Value) {
    let data = app.ok(Some(token), PAGE, filter).await;
    let page = data["myTasks"].clone();
    let numbers = page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["case"]["number"].as_str().unwrap().to_owned())
        .collect();
    (numbers, page)
}

/// Posts a raw body to `/graphql`; returns the HTTP status and the JSON body.
async fn raw(app: &crate::support::TestApp, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON (HTTP {status}): {text}"));
    (status, body)
}

/// What a window shows after opening a case; asked of the mutation and of a read after it.
const OPENED: &str = "id number status dueAt light remaining { minutes } provisional
  tasks { id status dueAt light urgent reviewLimit department { code name } assignee { username name email } actingFor { username }
    clock { state dueAt unit budget remaining { minutes } pauses { reason } } }";

on_both_databases! {
    async fn open_case_answers_as_a_read_of_the_case_right_after_it_would(app: TestApp) {
        let window = app.login("scjg.window").await;
        let opened = app
            .ok(
                Some(&window),
                &format!("mutation {{ openCase(input: {{ matterCode: \"JOINT-001\", acceptNow: true, applicant: {{ name: \"李四\", idNumber: \"110101199003071234\", phone: \"13900139000\" }} }}) {{ {OPENED} }} }}"),
                json!({}),
            )
            .await;
        let opened = &opened["openCase"];
        assert_eq!(opened["tasks"].as_array().unwrap().len(), 3, "{opened}");
        let read = app
            .ok(
                Some(&window),
                &format!("query($id: ID!) {{ case(id: $id) {{ {OPENED} }} }}"),
                json!({ "id": opened["id"] }),
            )
            .await;
        assert_eq!(opened, &read["case"]);
        // A co-handling department reads its own task only, and so would it be answered.
        let fire = app.login("xfjy.a").await;
        let theirs = app
            .ok(
                Some(&fire),
                "query($id: ID!) { case(id: $id) { tasks { department { code } } } }",
                json!({ "id": opened["id"] }),
            )
            .await;
        assert_eq!(theirs["case"]["tasks"], json!([{ "department": { "code": "XFJY" } }]));

        // Accepted later (受理 after 收件): the same.
        let received = app
            .ok(
                Some(&window),
                "mutation { openCase(input: { matterCode: \"JOINT-001\", applicant: { name: \"王五\", idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { id } }",
                json!({}),
            )
            .await;
        let accepted = app
            .ok(
                Some(&window),
                &format!("mutation($id: ID!) {{ acceptCase(caseId: $id) {{ {OPENED} }} }}"),
                json!({ "id": received["openCase"]["id"] }),
            )
            .await;
        let read = app
            .ok(
                Some(&window),
                &format!("query($id: ID!) {{ case(id: $id) {{ {OPENED} }} }}"),
                json!({ "id": received["openCase"]["id"] }),
            )
            .await;
        assert_eq!(accepted["acceptCase"], read["case"]);
        assert_eq!(read["case"]["tasks"].as_array().unwrap().len(), 3);
    }

    async fn a_reviewers_tasks_page_by_cursor_and_filter_by_status_light_kind_matter_and_time(app: TestApp) {
        // Three joint cases an hour apart: 刘消防 (xfjy.a) reviews one task of each.
        let mut numbers = Vec::new();
        let mut all_tasks = Vec::new();
        let mut second_opened_at = None;
        for i in 0..3 {
            if i == 1 {
                second_opened_at = Some(app.clock_now());
            }
            let (_, _, number, tasks) = flows::joint_case_in_review(&app).await;
            numbers.push(number);
            all_tasks.push(tasks);
            app.clock.advance(Duration::hours(1));
        }
        let reviewer = app.login("xfjy.a").await;

        // Oldest first, two to a page: the cursor of the first page opens the second.
        let (first, page) = tasks(&app, &reviewer, json!({ "first": 2 })).await;
        assert_eq!(first, numbers[..2]);
        assert_eq!(page["totalCount"], 3);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
        assert_eq!(page["pageInfo"]["endCursor"], page["edges"][1]["cursor"]);
        assert_eq!(page["edges"][0]["node"]["id"], page["nodes"][0]["id"]);
        let after = page["pageInfo"]["endCursor"].clone();
        let (second, page) = tasks(&app, &reviewer, json!({ "first": 2, "after": after })).await;
        assert_eq!(second, numbers[2..]);
        assert_eq!(page["totalCount"], 3, "the count is of every page");
        assert_eq!(page["pageInfo"]["hasNextPage"], false);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], true);

        // By matter, kind and creation time.
        assert_eq!(tasks(&app, &reviewer, json!({ "matter": "JOINT-001" })).await.0, numbers);
        assert!(tasks(&app, &reviewer, json!({ "matter": "SCJG-PRM-001" })).await.0.is_empty());
        assert_eq!(tasks(&app, &reviewer, json!({ "kind": "JOINT" })).await.0, numbers);
        assert!(tasks(&app, &reviewer, json!({ "kind": "IMMEDIATE" })).await.0.is_empty());
        let from = second_opened_at.unwrap().to_rfc3339();
        assert_eq!(tasks(&app, &reviewer, json!({ "from": from })).await.0, numbers[1..]);
        assert_eq!(tasks(&app, &reviewer, json!({ "to": from })).await.0, numbers[..1]);
        let unknown = app.fails(Some(&reviewer), PAGE, json!({ "matter": "NO-SUCH" })).await;
        assert_eq!((code(&unknown), unknown["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("matterCode")));

        // By light: five working days each, so all green now and all red a week later.
        assert_eq!(tasks(&app, &reviewer, json!({ "light": "GREEN" })).await.0, numbers);
        assert!(tasks(&app, &reviewer, json!({ "light": "RED" })).await.0.is_empty());
        app.clock.advance(Duration::days(8));
        let reviewer = app.login("xfjy.a").await; // a token lasts 12 hours
        let (red, page) = tasks(&app, &reviewer, json!({ "light": "RED" })).await;
        assert_eq!(red, numbers);
        assert!(page["nodes"].as_array().unwrap().iter().all(|n| n["light"] == "RED"));
        assert!(tasks(&app, &reviewer, json!({ "light": "GREEN" })).await.0.is_empty());
        // The README's page of red tasks.
        let readme = app.readme(Some(&reviewer), "MyRedTasks", json!({ "after": null })).await;
        assert_eq!(readme["myTasks"]["totalCount"], 3);
        assert_eq!(readme["myTasks"]["pageInfo"]["hasNextPage"], false);
        let listed: Vec<&str> = readme["myTasks"]["nodes"].as_array().unwrap().iter().map(|n| n["case"]["number"].as_str().unwrap()).collect();
        assert_eq!(listed, numbers);

        // By status: an approved task leaves the open ones.
        let mine = all_tasks[0].iter().find(|t| t.assignee == "xfjy.a").unwrap();
        flows::approve(&app, mine).await;
        assert_eq!(tasks(&app, &reviewer, json!({ "status": "OPEN" })).await.0, numbers[1..]);
        let (resolved, page) = tasks(&app, &reviewer, json!({ "status": "RESOLVED" })).await;
        assert_eq!((resolved, page["totalCount"].clone()), (numbers[..1].to_vec(), json!(1)));

        // A colleague of another department has none of them.
        let other = app.login("sthj.b").await;
        assert_eq!(tasks(&app, &other, json!({})).await.1["totalCount"], 0);
    }

    async fn bad_requests_of_every_shape_get_a_json_error_with_a_code(app: TestApp) {
        // A body over 256 KiB.
        let big = json!({ "query": format!("{{ __typename }} #{}", "x".repeat(300 * 1024)) });
        let (status, body) = raw(&app, "application/json", serde_json::to_vec(&big).unwrap()).await;
        assert_eq!(status, 413);
        assert_eq!(code(&body["errors"][0]), "INVALID_INPUT");
        // Not JSON, and JSON that is no GraphQL request.
        let (status, body) = raw(&app, "application/json", b"{\"query\": ".to_vec()).await;
        assert_eq!((status, code(&body["errors"][0])), (400, "INVALID_INPUT"));
        let (status, body) = raw(&app, "application/json", b"[1, 2]".to_vec()).await;
        assert_eq!((status, code(&body["errors"][0])), (400, "INVALID_INPUT"));
        // Thirteen levels deep.
        let window = app.login("scjg.window").await;
        let deep = "{ myTasks { edges { node { case { tasks { case { tasks { case { tasks { case { tasks { case { tasks { id } } } } } } } } } } } } } }";
        let error = app.fails(Some(&window), deep, json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert!(error["message"].as_str().unwrap().contains("deep"), "{error}");
        // More than 2,000 fields.
        let wide = format!("{{ me {{ {} }} }}", (0..2001).map(|i| format!("f{i}: name")).collect::<Vec<_>>().join(" "));
        let error = app.fails(Some(&window), &wide, json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert!(error["message"].as_str().unwrap().contains("complex"), "{error}");
        // Each of these was refused whole: the window can still work.
        assert_eq!(app.ok(Some(&window), "{ me { username } }", json!({})).await["me"]["username"], "scjg.window");
    }

    async fn responses_name_their_request_and_metrics_count_each_operation(app: TestApp) {
        let reviewer = app.login("xfjy.a").await;
        let send = |id: Option<&'static str>| {
            let mut request = app
                .client
                .post(app.url())
                .header("Authorization", format!("Bearer {reviewer}"))
                .json(&json!({ "query": "query Queue { myTasks(first: 5) { nodes { id } } }" }));
            if let Some(id) = id {
                request = request.header("x-request-id", id);
            }
            request.send()
        };
        let mine = send(Some("portal-7f3a")).await.unwrap();
        assert_eq!(mine.headers()["x-request-id"], "portal-7f3a", "the client's id comes back");
        let given = send(None).await.unwrap();
        let id = given.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(uuid::Uuid::parse_str(&id).map(|_| ()), Ok(()), "a fresh id: {id}");
        app.fails(Some(&reviewer), "{ case(id: \"nope\") { id } }", json!({})).await;

        let metrics = app.metrics().await;
        let count = |labels: &str| -> f64 {
            metrics
                .lines()
                .find(|l| l.starts_with(&format!("lianban_graphql_requests_total{{{labels}}}")))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no lianban_graphql_requests_total{{{labels}}} in\n{metrics}"))
        };
        assert_eq!(count("operation=\"query myTasks\",outcome=\"ok\""), 2.0);
        assert_eq!(count("operation=\"query case\",outcome=\"INVALID_INPUT\""), 1.0);
        assert!(count("operation=\"mutation login\",outcome=\"ok\"") >= 1.0);
        assert!(
            metrics.contains("lianban_graphql_request_duration_seconds_count{operation=\"query myTasks\"} 2"),
            "latency histogram per operation:\n{metrics}"
        );
    }

    async fn healthz_says_whether_the_database_answers(app: TestApp) {
        let health = || async {
            let response = app.client.get(format!("http://{}/healthz", app.addr)).send().await.unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        };
        assert_eq!(health().await, (200, json!({ "status": "ok", "database": "ok" })));
        // The database goes away (every connection of the app's pool closed).
        app.engine.db().clone().close().await.unwrap();
        assert_eq!(health().await, (503, json!({ "status": "unavailable", "database": "unreachable" })));
    }
}
