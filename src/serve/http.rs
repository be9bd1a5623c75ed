//! The preview server's HTTP side: serves the site from memory, refuses anything that could
//! reach outside it, injects the live-reload script into pages, and streams reload events.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use super::server::{Method, Request};

/// Where the live-reload machinery lives, apart from the site's own paths.
pub const PREFIX: &str = "/__framewright/";
const SCRIPT: &str = include_str!("livereload.js");
const MAX_PATH: usize = 2048;
/// The content type of the server's own short answers (errors, refusals).
const PLAIN_TEXT: (&str, &str) = ("Content-Type", "text/plain; charset=utf-8");

/// What the watcher publishes and the HTTP threads read.
#[derive(Default)]
pub struct Shared {
    /// The site's files by path (`identify/index.html`).
    pub files: RwLock<HashMap<String, Arc<Vec<u8>>>>,
    /// Build generation and current error, guarded together so events are consistent.
    pub status: Mutex<Status>,
    /// Signalled whenever `status` changes.
    pub changed: Condvar,
}

/// The state of the last rebuild.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Increases with every finished rebuild (good or bad).
    pub generation: u64,
    /// The error text of the last rebuild, when it failed.
    pub error: Option<String>,
    /// Set when the server is shutting down.
    pub stopping: bool,
}

impl Shared {
    /// Announces a finished rebuild (its files are already in place) with its error state,
    /// and wakes the clients waiting for events.
    pub fn publish(&self, error: Option<String>) {
        if let Ok(mut status) = self.status.lock() {
            status.generation += 1;
            status.error = error;
        }
        self.changed.notify_all();
    }

    /// Adds or replaces some files, without announcing a rebuild (see [`Shared::publish`]).
    pub fn extend(&self, files: HashMap<String, Arc<Vec<u8>>>) {
        if let Ok(mut current) = self.files.write() {
            current.extend(files);
        }
    }

    /// Removes files the site no longer has (a page whose content went away).
    pub fn remove(&self, paths: &[String]) {
        if let Ok(mut current) = self.files.write() {
            for path in paths {
                current.remove(path);
            }
        }
    }

    /// Replaces all files at once (after a full rebuild).
    pub fn replace_all(&self, files: HashMap<String, Arc<Vec<u8>>>) {
        if let Ok(mut current) = self.files.write() {
            *current = files;
        }
    }

    fn snapshot(&self) -> Status {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// Not a path this server will ever serve.
    Refused,
}

/// Turns a request URL into a site path: percent-decoded, no `..`, no backslashes, no NUL,
/// not absolute on any platform, bounded in length.
pub fn site_path(url: &str) -> Result<String, PathError> {
    if url.len() > MAX_PATH {
        return Err(PathError::Refused);
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).ok_or(PathError::Refused)?;
    if !decoded.starts_with('/')
        || decoded.starts_with("//")
        || decoded.contains(['\\', '\0'])
        || decoded.contains(':')
    {
        return Err(PathError::Refused);
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err(PathError::Refused);
    }
    Ok(decoded.trim_start_matches('/').to_string())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "yaml" | "yml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page (preview only).
fn inject_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}livereload.js\"></script>");
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Answers one request.
pub fn handle(request: Request, shared: &Shared) {
    if request.method == Method::Other {
        return request.respond(
            405,
            &[("Allow", "GET, HEAD"), PLAIN_TEXT],
            b"method not allowed",
        );
    }
    let url = request.url.clone();
    if let Some(endpoint) = url.strip_prefix(PREFIX) {
        return handle_internal(request, endpoint, shared);
    }
    let path = match site_path(&url) {
        Ok(path) => path,
        Err(PathError::Refused) => return request.respond(400, &[PLAIN_TEXT], b"bad request"),
    };
    let files = match shared.files.read() {
        Ok(files) => files,
        Err(_) => return,
    };
    let lookup = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(bytes) = files.get(&lookup).cloned() {
        drop(files);
        return send_file(request, &lookup, &bytes, 200);
    }
    if files.contains_key(&format!("{path}/index.html")) {
        drop(files);
        // Redirect with the URL as the client wrote it (still percent-encoded).
        let (raw_path, query) = url
            .split_once('?')
            .map_or((url.as_str(), None), |(p, q)| (p, Some(q)));
        let location = match query {
            Some(query) => format!("{raw_path}/?{query}"),
            None => format!("{raw_path}/"),
        };
        return request.respond(301, &[("Location", &location)], b"");
    }
    let not_found = files.get("404.html").cloned();
    drop(files);
    match not_found {
        Some(bytes) => send_file(request, "404.html", &bytes, 404),
        None => request.respond(404, &[PLAIN_TEXT], b"not found"),
    }
}

fn send_file(request: Request, path: &str, bytes: &[u8], status: u16) {
    let kind = content_type(path);
    let headers = [("Content-Type", kind), ("Cache-Control", "no-store")];
    if kind.starts_with("text/html") {
        request.respond(status, &headers, &inject_script(bytes));
    } else {
        request.respond(status, &headers, bytes);
    }
}

fn handle_internal(request: Request, endpoint: &str, shared: &Shared) {
    match endpoint.split('?').next().unwrap_or("") {
        "livereload.js" => request.respond(
            200,
            &[
                ("Content-Type", "text/javascript; charset=utf-8"),
                ("Cache-Control", "no-store"),
            ],
            SCRIPT.as_bytes(),
        ),
        "status" => {
            let status = shared.snapshot();
            let body = serde_json::json!({"generation": status.generation, "error": status.error});
            request.respond(
                200,
                &[("Content-Type", "application/json")],
                body.to_string().as_bytes(),
            );
        }
        "events" => stream_events(request, shared),
        _ => request.respond(404, &[PLAIN_TEXT], b"not found"),
    }
}

/// Server-Sent Events: `hello` on connect, then `reload` after each good rebuild and
/// `error-report` after each failed one, each written and flushed at once.
fn stream_events(request: Request, shared: &Shared) {
    let Some(mut writer) = request.into_event_stream() else {
        return;
    };
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    let mut seen = shared.snapshot();
    let hello = serde_json::json!({"generation": seen.generation, "error": seen.error});
    if write_event(&mut writer, head, "hello", &hello.to_string()).is_err() {
        return;
    }
    loop {
        let Ok(guard) = shared.status.lock() else {
            return;
        };
        let wait = shared
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |s| {
                s.generation == seen.generation && !s.stopping
            });
        let Ok((guard, timeout)) = wait else { return };
        let status = guard.clone();
        drop(guard);
        if status.stopping {
            return;
        }
        let result = if timeout.timed_out() {
            // A comment line keeps proxies and the browser from closing an idle stream.
            writer
                .write_all(b": keep-alive\n\n")
                .and_then(|_| writer.flush())
        } else if let Some(error) = &status.error {
            let data = serde_json::json!({"generation": status.generation, "error": error});
            write_event(&mut writer, "", "error-report", &data.to_string())
        } else {
            let data = serde_json::json!({"generation": status.generation});
            write_event(&mut writer, "", "reload", &data.to_string())
        };
        if result.is_err() {
            return;
        }
        seen = status;
    }
}

fn write_event(writer: &mut dyn Write, head: &str, event: &str, data: &str) -> std::io::Result<()> {
    write!(writer, "{head}event: {event}\ndata: {data}\n\n")?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_are_accepted() {
        assert_eq!(site_path("/").unwrap(), "");
        assert_eq!(site_path("/identify/").unwrap(), "identify/");
        assert_eq!(site_path("/id/ID.AM-01/?x=1#y").unwrap(), "id/ID.AM-01/");
        assert_eq!(site_path("/r%C3%A9ponse/").unwrap(), "réponse/");
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "/a/%5c..%5c..%5cwindows",
            "/a\\..\\b",
            "//etc/passwd",
            "/C:/Windows",
            "/a%00.html",
            "/./a",
            "/%zz",
            "relative",
        ] {
            assert_eq!(site_path(bad), Err(PathError::Refused), "{bad}");
        }
        assert_eq!(
            site_path(&format!("/{}", "a".repeat(5000))),
            Err(PathError::Refused)
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("static/framewright.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("static/favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("framework.json"), "application/json");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let page = inject_script(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(page).unwrap();
        assert!(
            text.ends_with("<script src=\"/__framewright/livereload.js\"></script></body></html>")
        );
    }
}
