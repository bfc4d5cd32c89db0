//! The part every stateful mock server shares: one wiremock server on a loopback port
//! whose single responder answers each request from a state the test can also read and
//! change. Each backend's mock is a [`MockHost`] over its own state and answer function.
//!
//! ```
//! use provision_core::testkit::mock_host::MockHost;
//! use wiremock::{Request, ResponseTemplate};
//!
//! fn count(calls: &mut u32, _request: &Request) -> ResponseTemplate {
//!     *calls += 1;
//!     ResponseTemplate::new(200).set_body_string(calls.to_string())
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let host = MockHost::start(0_u32, count).await;
//! let body = reqwest::get(host.url()).await.unwrap().text().await.unwrap();
//! assert_eq!(body, "1");
//! assert_eq!(*host.state(), 1);
//! # });
//! ```

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How a mock answers one request, given its state (locked for the whole answer, so
/// each request sees and leaves a consistent state).
pub type Answer<S> = fn(&mut S, &Request) -> ResponseTemplate;

/// A stateful mock server on a loopback port; the server stops when this is dropped.
pub struct MockHost<S> {
    server: MockServer,
    state: Arc<Mutex<S>>,
}

impl<S: Send + 'static> MockHost<S> {
    /// Starts a server that answers every request with `answer` over `state`.
    pub async fn start(state: S, answer: Answer<S>) -> Self {
        let state = Arc::new(Mutex::new(state));
        // The mock keeps its own bounded request log; wiremock's recorder would hold
        // every request for the life of the server.
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(any())
            .respond_with(Responder {
                state: Arc::clone(&state),
                answer,
            })
            .mount(&server)
            .await;
        MockHost { server, state }
    }
}

impl<S> MockHost<S> {
    /// The loopback address the server listens on.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The state, locked. A test thread that panicked while holding it does not take
    /// every later assertion down with it: the lock is taken back.
    pub fn state(&self) -> MutexGuard<'_, S> {
        lock(&self.state)
    }
}

impl<S> std::fmt::Debug for MockHost<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockHost")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

/// Locks `mutex`, taking it back from a thread that panicked while holding it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Responder<S> {
    state: Arc<Mutex<S>>,
    answer: Answer<S>,
}

impl<S: Send + 'static> Respond for Responder<S> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        (self.answer)(&mut lock(&self.state), request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo_and_count(calls: &mut Vec<String>, request: &Request) -> ResponseTemplate {
        calls.push(request.url.path().to_string());
        ResponseTemplate::new(200).set_body_string(calls.len().to_string())
    }

    #[tokio::test]
    async fn every_request_is_answered_from_the_shared_state_in_order() {
        let host = MockHost::start(Vec::new(), echo_and_count).await;
        let client = reqwest::Client::new();
        for (n, path) in ["/a", "/b/c"].iter().enumerate() {
            let body = client
                .get(format!("{}{path}", host.url()))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(body, (n + 1).to_string());
        }
        assert_eq!(*host.state(), vec!["/a".to_string(), "/b/c".to_string()]);
        host.state().clear();
        assert!(
            host.state().is_empty(),
            "the test changes what the server sees"
        );
        assert_eq!(
            format!("{host:?}"),
            format!("MockHost {{ url: {:?}, .. }}", host.url())
        );
        assert_eq!(host.url(), format!("http://{}", host.address()));
    }

    #[test]
    fn a_poisoned_lock_is_taken_back() {
        let mutex = Arc::new(Mutex::new(1));
        let held = Arc::clone(&mutex);
        let _ = std::thread::spawn(move || {
            let _guard = held.lock().unwrap();
            panic!("a test thread fails while holding the state");
        })
        .join();
        assert!(mutex.is_poisoned());
        *lock(&mutex) += 1;
        assert_eq!(*lock(&mutex), 2);
    }
}
