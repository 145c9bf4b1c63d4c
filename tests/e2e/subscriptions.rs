//! `taskEvents` over a real WebSocket speaking graphql-transport-ws: a reviewer hears their
//! department's task created, reassigned, turning yellow and red, and resolved — and nothing of
//! another department's; signing in is required and another department's feed is refused.

use crate::support::{TestApp, flows};
use chrono::{DateTime, TimeZone, Utc};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const EVENTS: &str = "subscription($d: ID) { taskEvents(departmentId: $d) { kind light task { id department { code } assignee { username } } } }";

/// A graphql-transport-ws client with one subscription.
struct Subscriber {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Subscriber {
    /// Connects with `token` (none: anonymous) and subscribes to `query`.
    async fn start(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Self {
        let mut ws = Self::silent(app).await;
        let payload = match token {
            Some(t) => json!({ "Authorization": format!("Bearer {t}") }),
            None => json!({}),
        };
        ws.send(Message::text(
            json!({ "type": "connection_init", "payload": payload }).to_string(),
        ))
        .await
        .unwrap();
        let mut me = Subscriber { ws };
        assert_eq!(me.next_message().await.unwrap()["type"], "connection_ack");
        me.ws
            .send(Message::text(json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": variables } }).to_string()))
            .await
            .unwrap();
        // Let the relay take its starting point before anything happens.
        tokio::time::sleep(Duration::from_millis(300)).await;
        me
    }

    /// The next protocol message (pings answered), or `None` after `wait`.
    async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let frame = tokio::time::timeout(wait, self.ws.next())
                .await
                .ok()??
                .ok()?;
            match frame {
                Message::Text(text) => {
                    let message: Value = serde_json::from_str(&text).unwrap();
                    if message["type"] == "ping" {
                        self.ws
                            .send(Message::text(json!({ "type": "pong" }).to_string()))
                            .await
                            .unwrap();
                        continue;
                    }
                    return Some(message);
                }
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// Connects (speaking graphql-transport-ws) and says nothing.
    async fn silent(app: &TestApp) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        let mut request = format!("ws://{}/graphql/ws", app.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (ws, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        ws
    }

    /// Subscribes once more on the same socket, as `id`.
    async fn subscribe(&mut self, id: &str, query: &str) {
        self.ws
            .send(Message::text(
                json!({ "id": id, "type": "subscribe", "payload": { "query": query } }).to_string(),
            ))
            .await
            .unwrap();
    }

    /// Waits for the server to close the socket; its close code.
    async fn closed(&mut self) -> Option<u16> {
        close_code(&mut self.ws).await
    }

    async fn next_message(&mut self) -> Option<Value> {
        self.next_within(Duration::from_secs(10)).await
    }

    /// The next task event's data.
    async fn event(&mut self) -> Value {
        let message = self.next_message().await.expect("a task event within 10 s");
        assert_eq!(message["type"], "next", "{message}");
        message["payload"]["data"]["taskEvents"].clone()
    }
}

/// Reads until the server closes `ws` (within 10 s); the close code.
async fn close_code(ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let frame = tokio::time::timeout_at(deadline, ws.next()).await.ok()??;
        match frame {
            Ok(Message::Close(Some(frame))) => return Some(frame.code.into()),
            Ok(Message::Close(None)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

/// A Shanghai-local instant.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - chrono::Duration::hours(8)
}

fn code_of(message: &Value) -> String {
    let errors = if message["type"] == "error" {
        message["payload"].clone()
    } else {
        message["payload"]["errors"].clone()
    };
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

on_both_databases! {
    async fn a_reviewer_hears_their_departments_task_events_as_they_happen(app: TestApp) {
        let fire = app.login("xfjy.a").await;
        let city = app.login("csgl.a").await;
        let mut fire_feed = Subscriber::start(&app, Some(&fire), EVENTS, json!({})).await;
        let mut city_feed = Subscriber::start(&app, Some(&city), EVENTS, json!({})).await;
        let readme = crate::support::readme::operation("TaskEvents");
        let mut readme_feed = Subscriber::start(&app, Some(&fire), readme, json!({})).await;

        // Monday 09:00: a joint case is accepted; 消防 gets a task.
        let (_, _, number, tasks) = flows::joint_case_in_review(&app).await;
        let task = tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap().clone();
        let created = fire_feed.event().await;
        assert_eq!(created["kind"], "CREATED");
        assert_eq!(created["task"]["id"], task.id.as_str());
        assert_eq!(created["task"]["department"]["code"], "XFJY");
        // The README's subscription hears the same event.
        let heard = readme_feed.event().await;
        assert_eq!((heard["kind"].clone(), heard["task"]["case"]["number"].clone()), (json!("CREATED"), json!(number)));
        assert_eq!((heard["task"]["status"].clone(), heard["light"].clone()), (json!("OPEN"), Value::Null));
        assert!(heard["seq"].as_i64().is_some_and(|s| s > 0) && heard["at"].is_string());

        // The head moves it to 杨消防.
        let head = app.login("xfjy.head").await;
        let b = flows::staff_id(&app, "xfjy.b").await;
        app.ok(Some(&head), "mutation($t: ID!, $to: ID!) { transferTask(input: { taskId: $t, toStaffId: $to, reason: \"刘消防外出\" }) { id } }", json!({ "t": task.id, "to": b })).await;
        let moved = fire_feed.event().await;
        assert_eq!((moved["kind"].clone(), moved["task"]["assignee"]["username"].clone()), (json!("REASSIGNED"), json!("xfjy.b")));

        // The sweep turns it yellow a working day before its deadline, red at it. (Days later:
        // the morning's sign-in has expired, so the reviewer signs in and subscribes again.)
        let mut lights = Vec::new();
        for now in [at(11, 27, 18, 1), at(11, 30, 18, 1)] {
            app.clock.set(now - chrono::Duration::minutes(1));
            let fresh = app.login("xfjy.b").await;
            let mut feed = Subscriber::start(&app, Some(&fresh), EVENTS, json!({})).await;
            app.clock.set(now);
            app.workers.tick(now).await.unwrap();
            lights.push(feed.event().await);
        }
        let (yellow, red) = (&lights[0], &lights[1]);
        assert_eq!((yellow["kind"].clone(), yellow["light"].clone()), (json!("LIGHT_CHANGED"), json!("YELLOW")));
        assert_eq!((red["kind"].clone(), red["light"].clone()), (json!("LIGHT_CHANGED"), json!("RED")));
        // The morning's socket was closed when its token expired.
        assert_eq!(fire_feed.closed().await, Some(4401));
        let mut fire_feed = Subscriber::start(&app, Some(&app.login("xfjy.a").await), EVENTS, json!({})).await;

        // 杨消防 approves it.
        flows::approve(&app, &flows::TaskRef { assignee: "xfjy.b".to_owned(), ..task.clone() }).await;
        let resolved = fire_feed.event().await;
        assert_eq!(resolved["kind"], "RESOLVED");

        // 城市管理局 had no task on the case: it heard nothing.
        assert_eq!(city_feed.next_within(Duration::from_millis(800)).await, None);
    }

    async fn task_events_need_a_sign_in_and_stay_in_the_department(app: TestApp) {
        let mut anonymous = Subscriber::start(&app, None, EVENTS, json!({})).await;
        let refused = anonymous.next_message().await.unwrap();
        assert_eq!(code_of(&refused), "UNAUTHENTICATED", "{refused}");

        let departments = app.ok(Some(&app.login("admin").await), "{ departments { id code } }", json!({})).await["departments"].clone();
        let sthj = departments.as_array().unwrap().iter().find(|d| d["code"] == "STHJ").unwrap()["id"].clone();
        let fire = app.login("xfjy.a").await;
        let mut prying = Subscriber::start(&app, Some(&fire), EVENTS, json!({ "d": sthj })).await;
        let refused = prying.next_message().await.unwrap();
        assert_eq!(code_of(&refused), "FORBIDDEN", "{refused}");

        // A supervisor may follow any department.
        let supervisor = app.login("supervisor").await;
        let mut watching = Subscriber::start(&app, Some(&supervisor), EVENTS, json!({ "d": sthj })).await;
        flows::joint_case_in_review(&app).await;
        let created = watching.event().await;
        assert_eq!((created["kind"].clone(), created["task"]["department"]["code"].clone()), (json!("CREATED"), json!("STHJ")));
    }
}

on_both_databases! {
    async fn a_subscription_ends_when_its_account_is_deactivated(app: TestApp) {
        let fire = app.login("xfjy.a").await;
        let mut feed = Subscriber::start(&app, Some(&fire), EVENTS, json!({})).await;
        flows::joint_case_in_review(&app).await;
        assert_eq!(feed.event().await["kind"], "CREATED");
        app.deactivate("xfjy.a").await;
        // The next batch of events is not delivered: the stream ends with the reason and the
        // socket closes.
        flows::joint_case_in_review(&app).await;
        let ended = feed.next_message().await.expect("the end of the stream");
        assert_eq!(code_of(&ended), "UNAUTHENTICATED", "{ended}");
        assert!(ended.to_string().contains("no longer active"), "{ended}");
        assert!(!ended.to_string().contains("110101"), "no applicant data after the end: {ended}");
        assert_eq!(feed.closed().await, Some(4401));
        // And a new subscription with the same token is refused.
        let mut again = Subscriber::start(&app, Some(&fire), EVENTS, json!({})).await;
        assert_eq!(code_of(&again.next_message().await.unwrap()), "UNAUTHENTICATED");
    }

    async fn a_socket_is_bounded_in_time_and_subscriptions(app: TestApp) {
        // Ten subscriptions on one socket; the eleventh is refused.
        let fire = app.login("xfjy.a").await;
        let mut feed = Subscriber::start(&app, Some(&fire), EVENTS, json!({})).await;
        for id in 2..=10 {
            feed.subscribe(&id.to_string(), "subscription { taskEvents { kind } }").await;
        }
        feed.subscribe("11", "subscription { taskEvents { kind } }").await;
        let refused = feed.next_message().await.unwrap();
        assert_eq!((refused["id"].clone(), code_of(&refused)), (json!("11"), "INVALID_STATE".to_owned()), "{refused}");
        assert_eq!(feed.next_message().await.unwrap(), json!({ "id": "11", "type": "complete" }));
        // Completing one frees its place.
        feed.ws.send(Message::text(json!({ "id": "2", "type": "complete" }).to_string())).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        feed.subscribe("12", "subscription { taskEvents { kind } }").await;
        while let Some(message) = feed.next_within(Duration::from_millis(800)).await {
            assert_eq!(message, json!({ "id": "2", "type": "complete" }), "12 is taken without an error");
        }
        // A socket that never sends connection_init is closed after five seconds.
        let mut silent = Subscriber::silent(&app).await;
        let started = std::time::Instant::now();
        assert_eq!(close_code(&mut silent).await, Some(4408));
        assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
    }
}

/// With the check every second: a socket whose token expires is closed though no event comes.
async fn expired_sign_in_closes_the_socket(db: crate::support::Db) {
    let app = crate::support::spawn_app_configured(
        db,
        crate::support::Mail::Memory,
        json!({ "http": { "websocket_recheck_seconds": 1 } }),
    )
    .await;
    let fire = app.login("xfjy.a").await;
    let mut feed = Subscriber::start(&app, Some(&fire), EVENTS, json!({})).await;
    assert_eq!(
        feed.next_within(Duration::from_millis(1500)).await,
        None,
        "still open"
    );
    app.clock.advance(chrono::Duration::hours(12));
    assert_eq!(
        feed.closed().await,
        Some(4401),
        "closed once the token expired"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_closes_when_its_token_expires_sqlite() {
    expired_sign_in_closes_the_socket(crate::support::Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_closes_when_its_token_expires_postgres() {
    expired_sign_in_closes_the_socket(crate::support::Db::Postgres).await;
}
