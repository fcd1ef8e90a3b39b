//! An answer body larger than any page of these APIs (a hostile or misconfigured endpoint) is
//! refused with a clear error naming the cap, for every provider, whether its size is announced
//! (`Content-Length`) or not (read until the cap): never held whole in memory.

mod common;

use common::server::Server;
use common::{Auth, Sim, imgcat, region, stderr};
use imgcat::providers::ProviderId;

/// 40 MiB: over the 32 MiB cap.
const BIG: usize = 40 << 20;

fn huge(announced: bool) -> String {
    let pad = "x".repeat(BIG);
    let body = format!("{{\"images\":[],\"pad\":\"{pad}\"}}");
    if announced {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    } else {
        // No length: the body ends when the connection closes.
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{body}"
        )
    }
}

#[test]
fn an_answer_over_the_cap_is_refused_for_every_provider() {
    let sim = Sim::with_images(5);
    for announced in [true, false] {
        let server = Server::start(move |_| huge(announced));
        for p in ProviderId::all() {
            let mut env: Vec<(String, String)> = sim
                .env(p, Auth::KeysWithProject)
                .into_iter()
                .filter(|(k, _)| k != "HUAWEICLOUD_SDK_IAM_ENDPOINT")
                .collect();
            env.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), server.url()));
            let out = imgcat(
                &env,
                [
                    "--retries",
                    "0",
                    "list",
                    "-p",
                    p.as_str(),
                    "-r",
                    region(p),
                    "--endpoint",
                    &server.url(),
                ],
            );
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(5),
                "{p} (announced {announced}): {err}"
            );
            assert!(
                err.contains("larger than 32 MiB") && err.contains(p.as_str()),
                "{p}: {err}"
            );
            assert!(out.stdout.is_empty(), "{p}: nothing listed");
        }
    }
}
