//! The preview server's connections: an accept loop that no client can stop.
//!
//! tiny_http, which served here before, could not be made safe: its accept thread panics
//! for good when file descriptors run out (`try_clone().unwrap()` on every new connection),
//! and it reads request headers with no time limit, so slow clients held a thread each
//! for ever. This loop is small and plain std: requests are parsed by `httparse`, and
//! - an accept error is logged and retried after a pause, never fatal;
//! - at most [`Limits::connections`] connections are served at once, and at most
//!   [`Limits::event_streams`] of them may be live-reload streams; the excess is answered
//!   `503` at once and closed;
//! - a client has [`Limits::header_time`] to send its request head, and
//!   [`MAX_HEAD`] bytes for it (`408` and `431` otherwise).

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) read.
pub const MAX_HEAD: usize = 16 * 1024;

/// How many clients the server takes, and for how long it waits for them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more are answered 503.
    pub connections: usize,
    /// Live-reload event streams open at once (a page each); more are answered 503.
    pub event_streams: usize,
    /// Time a client has to send its whole request head.
    pub header_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 128,
            event_streams: 32,
            header_time: Duration::from_secs(10),
        }
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: the answer to a GET without its body.
    Head,
    /// Anything else (answered 405).
    Other,
}

/// One request, with the connection to answer it on.
pub struct Request {
    /// The method.
    pub method: Method,
    /// The request target as the client sent it (`/identify/?x=1`).
    pub url: String,
    stream: TcpStream,
    streams: Arc<Counter>,
    limits: Limits,
}

impl Request {
    /// Sends a whole response and closes the connection.
    pub fn respond(mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(name);
            head.push_str(": ");
            push_header_value(&mut head, value);
            head.push_str("\r\n");
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        let _ = self.stream.write_all(head.as_bytes());
        if self.method != Method::Head {
            let _ = self.stream.write_all(body);
        }
        let _ = self.stream.flush();
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Takes the connection for a long-lived event stream, when fewer than
    /// [`Limits::event_streams`] are open; otherwise answers 503 and gives None. The slot
    /// is given back when the returned stream drops.
    pub fn into_event_stream(self) -> Option<EventStream> {
        match self.streams.acquire(self.limits.event_streams) {
            Some(slot) => {
                // A stalled reader must not hold the writer for ever.
                let _ = self.stream.set_write_timeout(Some(Duration::from_secs(30)));
                Some(EventStream {
                    stream: self.stream,
                    _slot: slot,
                })
            }
            None => {
                self.respond(
                    503,
                    &[("Retry-After", "5"), ("Content-Type", "text/plain")],
                    b"too many live-reload connections",
                );
                None
            }
        }
    }
}

/// A connection kept open for Server-Sent Events.
pub struct EventStream {
    stream: TcpStream,
    _slot: Slot,
}

impl std::io::Write for EventStream {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.stream.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// A count of things open at once, with a cap.
#[derive(Default)]
struct Counter(AtomicUsize);

/// One place taken in a [`Counter`], given back on drop.
struct Slot(Arc<Counter>);

impl Counter {
    fn acquire(self: &Arc<Counter>, cap: usize) -> Option<Slot> {
        let mut now = self.0.load(Ordering::Relaxed);
        loop {
            if now >= cap {
                return None;
            }
            match self
                .0
                .compare_exchange_weak(now, now + 1, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return Some(Slot(Arc::clone(self))),
                Err(seen) => now = seen,
            }
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A bound listener, ready to serve.
pub struct Server {
    listener: TcpListener,
    limits: Limits,
}

impl Server {
    /// Binds `addr`.
    pub fn bind(addr: SocketAddr, limits: Limits) -> std::io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
            limits,
        })
    }

    /// The address bound (with the port the system chose, for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections for ever, on the calling thread; each request is handed to
    /// `handle` on a thread of its own.
    pub fn run(self, handle: impl Fn(Request) + Send + Sync + 'static) {
        let handle = Arc::new(handle);
        let connections = Arc::new(Counter::default());
        let streams = Arc::new(Counter::default());
        let mut last_complaint: Option<Instant> = None;
        loop {
            let stream = match self.listener.accept() {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // say so (once a second at most), wait a little, and go on.
                    if last_complaint.is_none_or(|at| at.elapsed() > Duration::from_secs(1)) {
                        eprintln!("warning: cannot accept a connection: {err}");
                        last_complaint = Some(Instant::now());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
            };
            let Some(slot) = connections.acquire(self.limits.connections) else {
                refuse_busy(stream);
                continue;
            };
            let (handle, streams, limits) =
                (Arc::clone(&handle), Arc::clone(&streams), self.limits);
            let spawned = std::thread::Builder::new()
                .name("http".into())
                .spawn(move || {
                    let _slot = slot;
                    if let Some(request) = read_request(stream, streams, limits) {
                        handle(request);
                    }
                });
            if let Err(err) = spawned {
                eprintln!("warning: cannot start a thread for a connection: {err}");
            }
        }
    }
}

/// Answers 503 to a connection over the cap, without waiting on the client.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads and parses a request head within the limits; answers 400, 408 or 431 and gives
/// None when the client does not send one in time, in size or in form.
fn read_request(mut stream: TcpStream, streams: Arc<Counter>, limits: Limits) -> Option<Request> {
    let deadline = Instant::now() + limits.header_time;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(end) = memchr::memmem::find(&head, b"\r\n\r\n") {
            break end + 4;
        }
        if head.len() > MAX_HEAD {
            return answer_early(stream, 431, "request header fields too large");
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return answer_early(stream, 408, "request timeout");
        }
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return answer_early(stream, 408, "request timeout")
            }
            Err(_) => return None,
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    let (method, url) = match parsed.parse(&head[..end]) {
        Ok(httparse::Status::Complete(_)) => (
            match parsed.method {
                Some("GET") => Method::Get,
                Some("HEAD") => Method::Head,
                _ => Method::Other,
            },
            parsed.path.unwrap_or("/").to_string(),
        ),
        Ok(httparse::Status::Partial) | Err(_) => return answer_early(stream, 400, "bad request"),
    };
    // The body, if any, is not read: the server takes only GET and HEAD.
    let _ = stream.set_read_timeout(None);
    Some(Request {
        method,
        url,
        stream,
        streams,
        limits,
    })
}

fn answer_early(mut stream: TcpStream, status: u16, text: &str) -> Option<Request> {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        reason(status),
        text.len()
    );
    let _ = stream.shutdown(Shutdown::Both);
    None
}

/// The reason phrase of the status codes this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Appends a header value made safe: printable ASCII kept, anything else (line breaks
/// among them) percent-encoded, so a value from a client cannot split the response.
fn push_header_value(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_graphic() || byte == b' ' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_cannot_split_a_response() {
        let mut out = String::new();
        push_header_value(&mut out, "/a\r\nSet-Cookie: x=1/é");
        assert_eq!(out, "/a%0D%0ASet-Cookie: x=1/%C3%A9");
    }

    #[test]
    fn the_counter_caps_and_gives_back() {
        let counter = Arc::new(Counter::default());
        let first = counter.acquire(2).unwrap();
        let _second = counter.acquire(2).unwrap();
        assert!(counter.acquire(2).is_none());
        drop(first);
        assert!(counter.acquire(2).is_some());
    }
}
