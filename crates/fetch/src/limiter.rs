//! Per-host rate and concurrency limits plus a global concurrency limit.
//!
//! A request takes, in order: a permit of its host (at most `per_host_concurrency` in flight),
//! then a global permit, then its host's start slot (at least the interval after the previous
//! start). The global permit is given back while waiting for the slot, so a slow host does not
//! hold global capacity it cannot use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

struct Host {
    in_flight: Arc<Semaphore>,
    /// Start of the latest request and the interval in force (ours or Crawl-delay).
    slot: Mutex<(Option<Instant>, Duration)>,
}

/// Held for the duration of one request; dropping it frees both permits.
pub(crate) struct Permit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

pub(crate) struct Limiter {
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    global: Arc<Semaphore>,
    per_host: usize,
    interval: Duration,
}

impl Limiter {
    pub fn new(global: usize, per_host: usize, interval: Duration) -> Self {
        Limiter {
            hosts: Mutex::new(HashMap::new()),
            global: Arc::new(Semaphore::new(global.max(1))),
            per_host: per_host.max(1),
            interval,
        }
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Host {
                    in_flight: Arc::new(Semaphore::new(self.per_host)),
                    slot: Mutex::new((None, self.interval)),
                })
            })
            .clone()
    }

    /// Raises a host's interval (Crawl-delay); never lowers it below ours.
    pub fn raise_interval(&self, key: &str, interval: Duration) {
        let host = self.host(key);
        let mut slot = host.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.1 = slot.1.max(interval);
    }

    /// Waits until a request to `key` may start, and records its start.
    pub async fn acquire(&self, key: &str) -> Permit {
        let host = self.host(key);
        // Semaphores are never closed, so acquiring cannot fail.
        let host_permit = host.in_flight.clone().acquire_owned().await.expect("open");
        loop {
            if let Some(wait) = wait_for(&host) {
                tokio::time::sleep(wait).await;
                continue;
            }
            let global = self.global.clone().acquire_owned().await.expect("open");
            // Another request of this host may have started while we waited for `global`.
            let mut slot = host.slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if slot.0.is_some_and(|last| now < last + slot.1) {
                continue;
            }
            slot.0 = Some(now);
            return Permit {
                _host: host_permit,
                _global: global,
            };
        }
    }
}

fn wait_for(host: &Host) -> Option<Duration> {
    let slot = host.slot.lock().unwrap_or_else(|e| e.into_inner());
    let next = slot.0? + slot.1;
    let now = Instant::now();
    (next > now).then(|| next - now)
}
