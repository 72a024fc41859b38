//! The live feed behind the display boards and holder pages.
//!
//! The event table is the source of truth: every call is written there in
//! its own transaction, so a board that reconnects (after a network drop or
//! a server restart) asks for the events after the last id it saw and
//! misses nothing. Wake-ups only shorten the wait: writes in this process
//! wake local readers at once, PostgreSQL `LISTEN/NOTIFY` wakes readers on
//! every other instance, and readers poll every `hall.board_poll_ms`
//! regardless (SQLite has no notifications).

use std::sync::Arc;
use std::time::Duration;

use onetrip_store::{HallEventRecord, HallKey, Store};
use tokio::sync::{OnceCell, broadcast};

use crate::App;
use crate::error::AppResult;

/// Fan-out of hall wake-ups to the readers of this process.
#[derive(Debug, Clone)]
pub struct HallFeed {
    sender: broadcast::Sender<String>,
    listening: Arc<OnceCell<()>>,
}

impl Default for HallFeed {
    fn default() -> Self {
        Self::new()
    }
}

impl HallFeed {
    /// A feed with no readers yet.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self {
            sender,
            listening: Arc::new(OnceCell::new()),
        }
    }

    /// Wakes this process's readers of a hall.
    pub fn wake(&self, hall: &HallKey) {
        // No receiver is not an error: nobody is watching.
        let _ = self.sender.send(hall.channel());
    }

    /// Subscribes to wake-ups, starting the database listener once.
    pub async fn subscribe(&self, store: &Arc<dyn Store>) -> broadcast::Receiver<String> {
        let receiver = self.sender.subscribe();
        // The forwarder holds a weak sender, so it (and the database
        // listener behind it) ends when the feed's application is dropped.
        let sender = self.sender.downgrade();
        let store = Arc::clone(store);
        self.listening
            .get_or_init(|| async move {
                match store.hall_wakeups().await {
                    Ok(Some(mut rx)) => {
                        tokio::spawn(async move {
                            loop {
                                let next =
                                    tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
                                let Some(strong) = sender.upgrade() else {
                                    break;
                                };
                                match next {
                                    Ok(Some(channel)) => {
                                        let _ = strong.send(channel);
                                    }
                                    Ok(None) => break,
                                    Err(_) => {}
                                }
                            }
                        });
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "hall listener not started; boards poll"),
                }
            })
            .await;
        receiver
    }
}

impl App {
    /// Waits until the hall has events after `after_id` and returns them
    /// (at most 200, oldest first). Returns an empty list after `max_wait`
    /// so callers can send keep-alives.
    pub async fn wait_for_hall_events(
        &self,
        hall: &HallKey,
        after_id: i64,
        wakeups: &mut broadcast::Receiver<String>,
        max_wait: Duration,
    ) -> AppResult<Vec<HallEventRecord>> {
        let poll = Duration::from_millis(self.config.hall.board_poll_ms);
        let deadline = tokio::time::Instant::now() + max_wait;
        let channel = hall.channel();
        loop {
            let events = self.store.hall_events_after(hall, after_id, 200).await?;
            if !events.is_empty() {
                return Ok(events);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(Vec::new());
            }
            let wait = poll.min(deadline - now);
            let _ = tokio::time::timeout(wait, async {
                loop {
                    match wakeups.recv().await {
                        Ok(c) if c == channel => break,
                        Ok(_) => continue,
                        Err(broadcast::error::RecvError::Lagged(_)) => break,
                        Err(broadcast::error::RecvError::Closed) => {
                            tokio::time::sleep(wait).await;
                            break;
                        }
                    }
                }
            })
            .await;
        }
    }
}
