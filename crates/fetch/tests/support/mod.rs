//! A tiny HTTP/1.1 server on 127.0.0.1 for tests and the loopback bench: keep-alive, a handler
//! per request, and a log of arrivals (path and time) and of requests in flight.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub arrived: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sleep this long before answering.
    pub delay: Duration,
    /// Send no Content-Length and end the body by closing the connection.
    pub close_delimited: bool,
}

impl Response {
    pub fn status(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            close_delimited: false,
        }
    }

    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Response {
            body: body.into(),
            ..Response::status(200)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn close_delimited(mut self) -> Self {
        self.close_delimited = true;
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

#[derive(Default)]
struct Log {
    arrivals: Mutex<Vec<(String, Instant)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

pub struct Server {
    addr: SocketAddr,
    log: Arc<Log>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Log::default());
        let handler: Arc<Handler> = Arc::new(handler);
        let accept_log = log.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler) = (accept_log.clone(), handler.clone());
                thread::spawn(move || serve(stream, &log, &*handler));
            }
        });
        Server { addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Paths requested, in arrival order.
    pub fn paths(&self) -> Vec<String> {
        let arrivals = self.log.arrivals.lock().unwrap();
        arrivals.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Arrival times of requests whose path starts with `prefix`.
    pub fn arrivals(&self, prefix: &str) -> Vec<Instant> {
        let arrivals = self.log.arrivals.lock().unwrap();
        let hits = arrivals.iter().filter(|(p, _)| p.starts_with(prefix));
        hits.map(|(_, t)| *t).collect()
    }

    pub fn max_in_flight(&self) -> usize {
        self.log.max_in_flight.load(Ordering::SeqCst)
    }
}

/// The smallest gap between consecutive times (`None` with fewer than two).
pub fn min_spacing(times: &[Instant]) -> Option<Duration> {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.windows(2).map(|w| w[1] - w[0]).min()
}

fn serve(stream: TcpStream, log: &Log, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut writer = stream;
    while let Some(request) = read_request(&mut reader) {
        let now = log.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        log.max_in_flight.fetch_max(now, Ordering::SeqCst);
        log.arrivals
            .lock()
            .unwrap()
            .push((request.path.clone(), request.arrived));
        let response = handler(&request);
        thread::sleep(response.delay);
        let written = write_response(&mut writer, &response);
        log.in_flight.fetch_sub(1, Ordering::SeqCst);
        if written.is_err() || response.close_delimited {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let arrived = Instant::now();
    Some(Request {
        path,
        headers,
        arrived,
    })
}

fn write_response(writer: &mut TcpStream, response: &Response) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} X\r\n", response.status);
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if response.close_delimited {
        head.push_str("Connection: close\r\n\r\n");
    } else {
        head.push_str(&format!("Content-Length: {}\r\n\r\n", response.body.len()));
    }
    // One write: head and body in two writes would meet Nagle and delayed ACK (40 ms stalls).
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    writer.write_all(&bytes)?;
    writer.flush()
}
