//! A scripted HTTP/1.1 server on 127.0.0.1 for hostile-answer tests: it answers every request
//! with what a closure makes of its path (or of the whole request), and keeps count of
//! connections and bytes received.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A server on 127.0.0.1 that answers every request with `respond(path)` and counts
/// connections and keeps what they sent.
pub struct Server {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
    pub received: Arc<Mutex<Vec<u8>>>,
}

/// One request as the server read it.
pub struct Request {
    /// The request target (path and query).
    pub path: String,
    /// The request line and the headers, as sent (CRLF line ends, blank line included).
    pub head: String,
    /// The body (`content-length` bytes).
    pub body: Vec<u8>,
}

impl Server {
    pub fn start(respond: impl Fn(&str) -> String + Send + Sync + 'static) -> Server {
        Server::start_with(move |r: &Request| respond(&r.path))
    }

    /// A server that answers every request with `respond(request)`.
    pub fn start_with(respond: impl Fn(&Request) -> String + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
            .port();
        let connections = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (c, r) = (connections.clone(), received.clone());
        let respond = Arc::new(respond);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                c.fetch_add(1, Ordering::SeqCst);
                let (r, respond) = (r.clone(), respond.clone());
                thread::spawn(move || serve(stream, &r, &*respond));
            }
        });
        Server {
            port,
            connections,
            received,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Reads requests (head and `content-length` body) off one connection and answers each.
fn serve(stream: TcpStream, received: &Mutex<Vec<u8>>, respond: &dyn Fn(&Request) -> String) {
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = Vec::new();
        let mut length = 0usize;
        let mut path = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            head.extend_from_slice(line.as_bytes());
            if path.is_empty() {
                path = line.split(' ').nth(1).unwrap_or("/").to_string();
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if let Ok(mut r) = received.lock() {
            r.extend_from_slice(&head);
            r.extend_from_slice(&body);
        }
        let request = Request {
            path,
            head: String::from_utf8_lossy(&head).into_owned(),
            body,
        };
        if out.write_all(respond(&request).as_bytes()).is_err() {
            return;
        }
    }
}

pub fn reply(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}
