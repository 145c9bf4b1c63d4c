//! The HTTP server loop, with what a connection may cost:
//! - at most `max_connections` open at once, and at most `max_connections_per_address` from one
//!   address (a trusted proxy's connections excepted): past either, a new connection is told
//!   `503` and closed at once, so file descriptors never run out, the kernel's queue keeps
//!   moving, and one client cannot take every place;
//! - a request's headers within `header_timeout` (also the longest a kept-alive connection may
//!   sit idle), so a half-sent request frees its place;
//! - on the stop signal, new connections are refused and those open get `shutdown_grace` to
//!   finish; then the server returns even if a client never finishes its request.
//!
//! (`axum::serve` offers none of these; this is the same hyper loop with them added.)

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use ipnet::IpNet;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::Service as _;

/// What a connection may cost.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Connections open at once from one address (a trusted proxy's are not counted).
    pub max_connections_per_address: usize,
    /// Proxies whose connections carry many clients.
    pub trusted_proxies: Arc<[IpNet]>,
    /// Headers of a request (and the next request on a kept-alive connection) must arrive
    /// within this.
    pub header_timeout: Duration,
    /// After the stop signal, connections get this long to finish.
    pub shutdown_grace: Duration,
}

/// Open connections per address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// A connection's place under the per-address cap; given back when dropped.
struct AddressPlace {
    counts: Arc<PerAddress>,
    address: Option<IpAddr>,
}

impl Drop for AddressPlace {
    fn drop(&mut self) {
        let Some(address) = self.address else {
            return;
        };
        let mut counts = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&address) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&address);
            }
        }
    }
}

impl PerAddress {
    /// A place for one more connection from `address`, unless it has `cap` open (`None` for an
    /// address that is not counted).
    fn claim(self: &Arc<Self>, address: Option<IpAddr>, cap: usize) -> Option<AddressPlace> {
        if let Some(address) = address {
            let mut counts = self.0.lock().unwrap_or_else(|p| p.into_inner());
            let n = counts.entry(address).or_insert(0);
            if *n >= cap {
                return None;
            }
            *n += 1;
        }
        Some(AddressPlace {
            counts: self.clone(),
            address,
        })
    }
}

/// Tells a connection there is no room and closes it, without waiting on the client.
fn turn_away(stream: TcpStream) {
    let _ = stream.try_write(
        b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n",
    );
    drop(stream);
}

/// Serves `router` on `listener` until `stop` resolves, then lets requests in flight finish
/// for at most `limits.shutdown_grace`.
///
/// # Errors
/// Never at present; accept errors (a full file table, a reset connection) are logged and
/// retried.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(PerAddress::default());
    let (stopping_tx, stopping_rx) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(error = %err, "accepting a connection failed");
                    // A full file table clears when connections close; don't spin meanwhile.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "connection turned away: the server is full");
            turn_away(stream);
            continue;
        };
        let counted = (!limits
            .trusted_proxies
            .iter()
            .any(|p| p.contains(&peer.ip())))
        .then_some(peer.ip());
        let Some(place) = per_address.claim(counted, limits.max_connections_per_address) else {
            tracing::warn!(%peer, "connection turned away: too many from this address");
            turn_away(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { router.call(request.map(axum::body::Body::new)).await }
        });
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stopping = stopping_rx.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            let mut asked = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(err) = result {
                            tracing::debug!(error = %err, %peer, "connection ended with an error");
                        }
                        break;
                    }
                    changed = stopping.changed(), if !asked => {
                        asked = true;
                        if changed.is_ok() {
                            connection.as_mut().graceful_shutdown();
                        }
                    }
                }
            }
            drop((slot, place));
        });
    }
    drop(listener);
    let _ = stopping_tx.send(true);
    // Every connection holds a slot until it ends: all slots back means all ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all))
        .await
        .is_err()
    {
        let open = limits.max_connections - slots.available_permits();
        tracing::warn!(
            open,
            grace_seconds = limits.shutdown_grace.as_secs(),
            "connections still open after the shutdown grace period; stopping anyway"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_its_cap_and_places_come_back() {
        let counts = Arc::new(PerAddress::default());
        let a: IpAddr = "203.0.113.9".parse().unwrap();
        let b: IpAddr = "198.51.100.7".parse().unwrap();
        let first = counts.claim(Some(a), 2).unwrap();
        let _second = counts.claim(Some(a), 2).unwrap();
        assert!(
            counts.claim(Some(a), 2).is_none(),
            "a third from one address"
        );
        assert!(counts.claim(Some(b), 2).is_some(), "another address");
        assert!(
            counts.claim(None, 2).is_some(),
            "a trusted proxy is not counted"
        );
        drop(first);
        assert!(counts.claim(Some(a), 2).is_some(), "a place came back");
    }
}
