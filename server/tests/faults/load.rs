//! A write load: writers opening support cases through the `open_case` server function as fast
//! as the portal answers, each remembering which cases were acknowledged (answered 2xx/3xx with
//! their id), and every request's outcome with the time it was sent and how long it took.

use crate::portal::{call, client, Portal};
use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Answered(u16),
    /// No HTTP answer: the connection was refused or cut (the server was down or killed).
    NoAnswer,
}

impl Outcome {
    pub fn acknowledged(self) -> bool {
        matches!(self, Outcome::Answered(200..=399))
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Event {
    /// When the request was sent, from the start of the load.
    pub at: Duration,
    pub took: Duration,
    pub outcome: Outcome,
}

#[derive(Default)]
struct Writer {
    events: Vec<Event>,
    cases: Vec<(i64, String)>,
}

pub struct Load {
    stop: Arc<AtomicBool>,
    started: Instant,
    writers: Vec<tokio::task::JoinHandle<Writer>>,
}

pub struct Report {
    pub events: Vec<Event>,
    /// The acknowledged cases: (id, title). Each queued a mail to its opener.
    pub cases: Vec<(i64, String)>,
    pub elapsed: Duration,
}

impl Load {
    /// Starts `writers` writers as `cookie`'s account.
    pub fn start(portal: &Portal, cookie: &str, writers: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let client = client();
        let writers = (0..writers)
            .map(|w| {
                let (stop, client) = (stop.clone(), client.clone());
                let (base, cookie) = (portal.base_url(), cookie.to_owned());
                let workspace = portal.workspace.to_string();
                tokio::spawn(async move {
                    let mut me = Writer::default();
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        let title = format!("Fault load w{w} n{n}");
                        let form = [
                            ("workspace_id", workspace.as_str()),
                            ("title", title.as_str()),
                            ("description", "Opened by the fault tests' write load."),
                            ("severity", "c"),
                            ("product_area", "Exchange"),
                            ("contact_method", "email"),
                        ];
                        let (outcome, body) = me
                            .send(&client, &base, &cookie, "open_case", &form, started)
                            .await;
                        if outcome.acknowledged() {
                            let id: i64 = serde_json::from_str(&body).unwrap_or_else(|_| {
                                panic!("an acknowledged case without its id: {body:?}")
                            });
                            me.cases.push((id, title));
                        }
                        n += 1;
                    }
                    me
                })
            })
            .collect();
        Self {
            stop,
            started,
            writers,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Stops the writers (each finishes the request it is in) and collects what they saw.
    pub async fn finish(self) -> Report {
        self.stop.store(true, Ordering::Relaxed);
        let mut report = Report {
            events: Vec::new(),
            cases: Vec::new(),
            elapsed: Duration::ZERO,
        };
        for writer in self.writers {
            let writer = writer.await.expect("a writer panicked");
            report.events.extend(writer.events);
            report.cases.extend(writer.cases);
        }
        report.elapsed = self.started.elapsed();
        report.events.sort_by_key(|e| e.at);
        report
    }
}

impl Writer {
    async fn send(
        &mut self,
        client: &reqwest::Client,
        base: &str,
        cookie: &str,
        function: &str,
        form: &[(&str, &str)],
        started: Instant,
    ) -> (Outcome, String) {
        let sent = Instant::now();
        let (outcome, body) = match call(client, base, cookie, function, form).await {
            Ok((status, body)) => (Outcome::Answered(status), body),
            Err(_) => (Outcome::NoAnswer, String::new()),
        };
        self.events.push(Event {
            at: sent - started,
            took: sent.elapsed(),
            outcome,
        });
        if !outcome.acknowledged() {
            // A client that was refused does not hammer the server in a tight loop.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (outcome, body)
    }
}

impl Report {
    /// How many requests ended each way: "200", "503", "no answer"…
    pub fn outcomes(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for event in &self.events {
            let key = match event.outcome {
                Outcome::Answered(status) => status.to_string(),
                Outcome::NoAnswer => "no answer".to_owned(),
            };
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }

    pub fn failures(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| !e.outcome.acknowledged())
    }

    pub fn writes_per_sec(&self) -> f64 {
        self.cases.len() as f64 / self.elapsed.as_secs_f64().max(0.001)
    }

    pub fn print(&self, label: &str) {
        println!(
            "{label}: {} requests in {:.1} s, {} cases acknowledged ({:.0} writes/s); outcomes {:?}",
            self.events.len(),
            self.elapsed.as_secs_f64(),
            self.cases.len(),
            self.writes_per_sec(),
            self.outcomes()
        );
    }
}
