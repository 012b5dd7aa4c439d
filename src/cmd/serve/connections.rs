//! Accepting connections: hyper's HTTP/1 server, with a deadline for each request head.
//!
//! `axum::serve` sets no timer on hyper, so hyper's header read timeout never fires: a
//! client that opens a connection and sends nothing, or half a request, would hold a
//! socket and a task for as long as it likes, and a few hundred of them would use up the
//! process's files. Here each connection gets [`HEAD_TIMEOUT`] to send each request head,
//! from the moment the server starts waiting for it (so an idle keep-alive connection is
//! closed after the same time, as Node's servers do). The timer runs only while a head is
//! being read: a live-reload stream, which is one request answered forever, is not cut.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client has to send a request head. A browser sends it at once.
pub(super) const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on every connection `listener` accepts; never returns.
pub(super) async fn accept_forever(listener: TcpListener, app: Router) -> Infallible {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Mostly "too many open files": wait for connections to close rather
                // than spin (axum's own `serve` does the same).
                if !is_connection_error(&e) {
                    eprintln!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                continue;
            }
        };
        // Small responses (events, redirects) should not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            // A client that goes away or times out is not the server's problem.
            let _ = connection.await;
        });
    }
}

/// Errors about one connection that is already gone, not about the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}
