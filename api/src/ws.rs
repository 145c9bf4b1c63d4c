//! Subscriptions over WebSocket at `/graphql/ws` (graphql-transport-ws, or the older graphql-ws).
//!
//! The token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`, as
//! GraphiQL sends its headers, or `{"token": "…"}`) or in the upgrade request's `Authorization`
//! header. What a socket may cost is bounded: at most `http.max_connections` sockets at once,
//! `connection_init` within `http.websocket_init_seconds` (else closed with 4408), at most
//! `http.subscriptions_per_socket` subscriptions open on one socket. A socket lives no longer
//! than its sign-in: its account is checked again every `RECHECK` and at every batch of events
//! (see `taskEvents`); once the token has expired (4401) or the account may no longer sign in
//! (4403), the socket is closed.

use crate::graphql::{self, Session};
use crate::startup::AppState;
use crate::token::Verified;
use async_graphql::Data;
use async_graphql::futures_util::{SinkExt as _, StreamExt as _, future};
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lianban_engine::{Engine, Error};
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// What sockets may cost.
#[derive(Debug, Clone)]
pub struct SocketSettings {
    /// `connection_init` must come within this.
    pub init_timeout: Duration,
    /// Subscriptions open at once on one socket.
    pub subscriptions: usize,
    /// How often an open socket's account is checked again.
    pub recheck: Duration,
    /// Sockets open at once.
    pub slots: Arc<Semaphore>,
}

/// graphql-transport-ws close codes.
const UNAUTHORIZED: u16 = 4401;
const FORBIDDEN: u16 = 4403;
const INIT_TIMEOUT: u16 = 4408;

/// What one socket's subscriptions share: how many are open, and a way to close the socket.
#[derive(Debug)]
pub struct SocketControl {
    cap: usize,
    open: AtomicUsize,
    close: watch::Sender<Option<(u16, String)>>,
}

/// One open subscription's place on its socket; given back when dropped.
#[derive(Debug)]
pub struct SubscriptionSlot(Arc<SocketControl>);

impl Drop for SubscriptionSlot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SocketControl {
    /// A place for one more subscription, unless the socket has its cap open.
    pub fn claim(self: &Arc<Self>) -> Option<SubscriptionSlot> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.cap).then_some(n + 1)
            })
            .ok()
            .map(|_| SubscriptionSlot(self.clone()))
    }

    /// Subscriptions one socket may have open.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Closes the socket with `code` and `reason`.
    pub fn close(&self, error: &Error) {
        let code = if error.code() == "UNAUTHENTICATED" {
            UNAUTHORIZED
        } else {
            FORBIDDEN
        };
        let _ = self.close.send(Some((code, error.to_string())));
    }
}

/// Whether the holder of `verified` may still listen: the token unexpired, its session open
/// (not signed out or ended by an admin), the account active.
///
/// # Errors
/// `UNAUTHENTICATED` otherwise.
pub async fn still_allowed(engine: &Engine, verified: Verified) -> Result<(), Error> {
    if engine.now() >= verified.expires {
        return Err(Error::Unauthenticated(
            "the sign-in token has expired; sign in again".into(),
        ));
    }
    engine
        .read_session(verified.session_id, verified.staff_id)
        .await
        .map(|_| ())
}

/// `GET /graphql/ws`: upgrades to a socket, unless all sockets are taken (HTTP 503).
pub async fn graphql_ws(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(protocol) = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|protocols| {
            protocols
                .split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        })
    else {
        return crate::http::refusal(
            StatusCode::BAD_REQUEST,
            "ask for the graphql-transport-ws (or graphql-ws) subprotocol".to_owned(),
        );
    };
    let Ok(permit) = state.sockets.slots.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open WebSocket connections; try again later",
        )
            .into_response();
    };
    let client = crate::client::client_address(peer.ip(), &headers, &state.proxies);
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve_socket(socket, state, protocol, client, header, permit))
}

/// The bearer token of a `connection_init` payload.
fn bearer_of(payload: &serde_json::Value) -> Option<String> {
    ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
        .map(str::to_owned)
        .or_else(|| {
            payload
                .get("token")
                .and_then(|v| v.as_str())
                .map(|t| format!("Bearer {t}"))
        })
}

async fn serve_socket(
    socket: WebSocket,
    state: AppState,
    protocol: WebSocketProtocols,
    client: IpAddr,
    header: Option<String>,
    _permit: OwnedSemaphorePermit,
) {
    let (mut sink, stream) = socket.split();
    let (close_tx, mut close_rx) = watch::channel(None);
    let control = Arc::new(SocketControl {
        cap: state.sockets.subscriptions,
        open: AtomicUsize::new(0),
        close: close_tx,
    });
    let signed_in: Arc<Mutex<Option<Verified>>> = Arc::default();
    let initialised = Arc::new(AtomicBool::new(false));
    let input = stream
        .take_while(|message| future::ready(message.is_ok()))
        .filter_map(|message| {
            future::ready(match message {
                Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
                _ => None,
            })
        });
    let engine = state.engine.clone();
    let init = {
        let (tokens, engine, control) = (state.tokens.clone(), engine.clone(), control.clone());
        let (signed_in, initialised) = (signed_in.clone(), initialised.clone());
        move |payload: serde_json::Value| async move {
            let bearer = bearer_of(&payload).or(header);
            let session = Session::from_header(bearer.as_deref(), &tokens, engine.now())
                .await
                .from_address(client);
            *signed_in.lock().unwrap_or_else(|p| p.into_inner()) =
                session.verified().ok().flatten();
            initialised.store(true, Ordering::Release);
            let mut data = Data::default();
            data.insert(session);
            data.insert(graphql::loaders::Loaders::for_connection(&engine));
            data.insert(control);
            Ok(data)
        }
    };
    let messages = async_graphql::http::WebSocket::new(state.pipeline.clone(), input, protocol)
        .on_connection_init(init);
    tokio::pin!(messages);
    let init_deadline = tokio::time::sleep(state.sockets.init_timeout);
    tokio::pin!(init_deadline);
    let mut recheck = tokio::time::interval(state.sockets.recheck);
    recheck.tick().await;
    let closing = loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break Some((code, reason)),
                None => break None,
            },
            () = &mut init_deadline, if !initialised.load(Ordering::Acquire) => {
                break Some((INIT_TIMEOUT, "Connection initialisation timeout".to_owned()));
            }
            changed = close_rx.changed() => {
                if changed.is_err() {
                    break None;
                }
                if let Some(close) = close_rx.borrow().clone() {
                    break Some(close);
                }
            }
            _ = recheck.tick() => {
                let verified = *signed_in.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(verified) = verified
                    && let Err(err) = still_allowed(&engine, verified).await
                {
                    let code = if err.code() == "UNAUTHENTICATED" { UNAUTHORIZED } else { FORBIDDEN };
                    break Some((code, err.to_string()));
                }
            }
        }
    };
    if let Some((code, reason)) = closing {
        let _ = sink
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }
    let _ = sink.close().await;
}
