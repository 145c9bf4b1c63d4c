//! Slow and greedy clients against the real binary: half-sent requests, more connections than
//! the server takes, a body that never arrives, and SIGTERM while clients hang. The service
//! keeps answering, its open files stay bounded, and it stops when told to.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use support::serve_demo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Open files of process `pid` (Linux).
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Connects from `local` (any 127.x.y.z address reaches the server on loopback).
async fn connect_from(local: &str, addr: &str) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{local}:0").parse().unwrap())?;
    socket.connect(addr.parse().unwrap()).await
}

/// Reads what the server sends until it closes the connection (or `wait` passes).
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(wait, stream.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn half_sent_requests_cannot_stall_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let (running, _, base) = serve_demo(
        dir.path(),
        &[
            ("LIANBAN_HTTP__HEADER_TIMEOUT_SECONDS", "2"),
            ("LIANBAN_HTTP__MAX_CONNECTIONS", "300"),
            ("LIANBAN_HTTP__MAX_CONNECTIONS_PER_ADDRESS", "50"),
        ],
    );
    let pid = running.0.id();
    let addr = base.trim_start_matches("http://").to_owned();
    let files_before = open_files(pid);

    // 1,100 connections from one address, each with a request half sent.
    let mut hanging = Vec::new();
    for _ in 0..1100 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        let _ = stream
            .write_all(b"POST /graphql HTTP/1.1\r\nHost: lianban\r\nContent-Type: appl")
            .await;
        hanging.push((stream, Instant::now()));
    }
    // The server is not stalled: another client is answered at once.
    let asked = Instant::now();
    let health = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    // It holds at most its places for one address; its open files stay bounded.
    let files = open_files(pid);
    assert!(
        files < files_before + 50 + 20,
        "{files} open files (before: {files_before})"
    );
    // The rest were turned away at once (503, or the connection dropped), and every half-sent
    // request is closed once its headers are late (2 s here).
    let closings: Vec<_> = hanging
        .into_iter()
        .map(|(mut stream, opened)| {
            tokio::spawn(async move {
                read_until_closed(&mut stream, Duration::from_secs(8))
                    .await
                    .map(|_| opened.elapsed())
            })
        })
        .collect();
    let mut longest = Duration::ZERO;
    for closing in closings {
        let open_for = closing
            .await
            .unwrap()
            .expect("a half-sent request kept its connection past the header timeout");
        longest = longest.max(open_for);
    }
    assert!(
        longest < Duration::from_secs(6),
        "the longest a half-sent request stayed: {longest:?}"
    );
    // And the address may connect again.
    let again = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(again.status(), 200);
}

#[tokio::test]
async fn a_body_that_never_arrives_is_answered_408() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) =
        serve_demo(dir.path(), &[("LIANBAN_HTTP__BODY_TIMEOUT_SECONDS", "2")]);
    let addr = base.trim_start_matches("http://").to_owned();
    let mut stream = connect_from("127.0.0.3", &addr).await.unwrap();
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: lianban\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"INVALID_INPUT\""), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_even_while_clients_hang() {
    let dir = tempfile::tempdir().unwrap();
    let (mut running, _, base) = serve_demo(
        dir.path(),
        &[
            ("LIANBAN_HTTP__HEADER_TIMEOUT_SECONDS", "600"),
            ("LIANBAN_HTTP__BODY_TIMEOUT_SECONDS", "600"),
            ("LIANBAN_HTTP__SHUTDOWN_GRACE_SECONDS", "2"),
        ],
    );
    let addr = base.trim_start_matches("http://").to_owned();
    let mut hanging = Vec::new();
    for half in [
        "POST /graphql HTTP/1.1\r\nHost: lianban\r\n",
        "POST /graphql HTTP/1.1\r\nHost: lianban\r\nContent-Length: 500\r\n\r\n{\"query\":",
        "GET /healthz HTTP/1.1\r\nHo",
    ] {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream.write_all(half.as_bytes()).await.unwrap();
        hanging.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &running.0.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM with three clients hanging"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status.code(), Some(0));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "it gave them the grace period"
    );
    drop(hanging);
}
