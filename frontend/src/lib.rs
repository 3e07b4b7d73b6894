//! The browser side: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console while developing; release builds leave the formatting out
    // of the first download.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    links_stay_plain_until_hydrated();
    // Most pages are lazy routes (their code is a separate WASM chunk): hydration first waits
    // for the current page's chunk, so it runs asynchronously.
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Marks the page as live, so browser tests wait for hydration instead of guessing.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Until the page has hydrated, a click on a link is an ordinary link: the browser loads the
/// next page. Without this the router, which listens from the start of hydration, took such a
/// click as a client-side navigation, and the page's own hydration, finishing later, put the
/// first page back over it: the click was lost. The listener sits on the window in the capture
/// phase, so it runs before the router's, and only keeps the event from reaching it (the
/// browser still follows the link); once `data-hydrated` is set it lets everything through.
/// A few lines of JavaScript (a wasm-bindgen snippet, served from /pkg like the rest): the same
/// in Rust pulled 72 KB of web-sys glue into the first download.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function links_stay_plain_until_hydrated() {
  window.addEventListener('click', (event) => {
    if (document.body.hasAttribute('data-hydrated')) return;
    const target = event.target;
    if (target instanceof Element && target.closest('a[href]')) event.stopPropagation();
  }, true);
}
"#)]
extern "C" {
    fn links_stay_plain_until_hydrated();
}
