//! What the API benchmarks share: where PostgreSQL is, a free port for the server, the machine.

#![allow(dead_code)] // each benchmark uses its own share of it

/// The PostgreSQL server the benchmarks work in (`LIANBAN_TEST_DATABASE_URL`).
pub fn database_url() -> String {
    std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A local port nobody listens on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

/// The processor's model name, as `/proc/cpuinfo` gives it.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default()
}
