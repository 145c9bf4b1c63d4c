//! Who is on the other end: the client's network address, as the limits per address need it.
//! The connection's own address, unless it comes from a configured trusted proxy
//! (`http.trusted_proxies`): then the right-most `X-Forwarded-For` entry that is not itself a
//! trusted proxy. The header of anybody else is ignored, so a client cannot pick the address
//! its attempts are counted under.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

fn trusted(address: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|p| p.contains(&address))
}

/// The client's address behind `peer`.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    if !trusted(peer, proxies) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(address) = hop.parse::<IpAddr>() else {
            // A hop that is not an address: the last trusted proxy is all we know.
            return client;
        };
        client = address;
        if !trusted(address, proxies) {
            return address;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let headers = forwarded(&["198.51.100.7"]);
        assert_eq!(
            client_address(ip("203.0.113.5"), &headers, &proxies),
            ip("203.0.113.5"),
            "a client's own header is ignored"
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &proxies),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &[]),
            ip("10.0.0.2"),
            "no trusted proxies: the connection's address"
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // The client forged the first entry; our proxies appended the real ones.
        let headers = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.9"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &proxies),
            ip("198.51.100.7")
        );
        let garbage = forwarded(&["198.51.100.7, not-an-address"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &garbage, &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &HeaderMap::new(), &proxies),
            ip("10.0.0.2")
        );
    }
}
