//! The browser's side of live updates: a page names its topic and gets a counter that goes up
//! each time the server announces a change there; the page's resource reads the counter, so it
//! fetches again through its guarded server function. On the server, and with JavaScript off,
//! nothing is opened and the counter stays 0.

use super::Topic;
use leptos::prelude::*;

/// A counter bumped on every event of `topic` (None: listen to nothing, e.g. a bad address).
/// The stream follows the topic when the page's parameters change and closes with the page.
pub fn live_updates(topic: impl Fn() -> Option<Topic> + Send + Sync + 'static) -> ReadSignal<u64> {
    let (version, set_version) = signal(0u64);
    // Effects run only in the browser, after hydration.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(topic) = topic() {
            browser::open(topic, set_version);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (topic, set_version);
    version
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Topic;
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use leptos::{
        prelude::*,
        wasm_bindgen::JsCast,
        web_sys::{HtmlInputElement, HtmlTextAreaElement},
    };
    use std::{
        sync::{
            atomic::{AtomicBool, Ordering},
            Arc,
        },
        time::Duration,
    };

    /// Opens the stream for the running effect; its cleanup (the effect running again, or the
    /// page going away) drops the stop sender, which ends the task and closes the EventSource.
    ///
    /// A change redraws the page's view, which would throw away what the person is typing in
    /// one of its forms. So while a field is being typed in, a change is only noted, and the
    /// page fetches again once the fields are back as the page drew them (sent or cleared).
    pub fn open(topic: Topic, bump: WriteSignal<u64>) {
        let Ok(mut source) = EventSource::new(&topic.url()) else {
            return;
        };
        let Ok(mut messages) = source.subscribe("message") else {
            return;
        };
        let pending = Arc::new(AtomicBool::new(false));
        let waiting = pending.clone();
        let flush = set_interval_with_handle(
            move || {
                if waiting.load(Ordering::Relaxed) && !typing() {
                    waiting.store(false, Ordering::Relaxed);
                    bump.try_update(|n| *n += 1);
                }
            },
            Duration::from_secs(1),
        )
        .ok();
        let (stop, stopped) = futures::channel::oneshot::channel::<()>();
        on_cleanup(move || {
            drop(stop);
            if let Some(flush) = flush {
                flush.clear();
            }
        });
        leptos::task::spawn_local(async move {
            let listen = async {
                // Errors are the browser reconnecting by itself; only messages mean a change.
                while let Some(message) = messages.next().await {
                    if message.is_err() {
                        continue;
                    }
                    if typing() {
                        pending.store(true, Ordering::Relaxed);
                    } else if bump.try_update(|n| *n += 1).is_none() {
                        break;
                    }
                }
            };
            futures::pin_mut!(listen);
            futures::future::select(listen, stopped).await;
            source.close();
        });
    }

    /// True while a text field of the page holds something the page did not draw (typed and
    /// not yet sent), or has the focus.
    fn typing() -> bool {
        let Some(document) = leptos::web_sys::window().and_then(|w| w.document()) else {
            return false;
        };
        if let Some(active) = document.active_element() {
            if matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA") {
                return true;
            }
        }
        let inputs = document.get_elements_by_tag_name("input");
        let typed_input = (0..inputs.length())
            .filter_map(|i| inputs.item(i)?.dyn_into::<HtmlInputElement>().ok())
            .filter(|input| {
                !matches!(
                    input.type_().as_str(),
                    "hidden" | "checkbox" | "radio" | "submit" | "button" | "file"
                )
            })
            .any(|input| input.value() != input.default_value());
        let areas = document.get_elements_by_tag_name("textarea");
        let typed_area = (0..areas.length())
            .filter_map(|i| areas.item(i)?.dyn_into::<HtmlTextAreaElement>().ok())
            .any(|area| {
                area.default_value()
                    .is_ok_and(|drawn| area.value() != drawn)
            });
        typed_input || typed_area
    }
}
