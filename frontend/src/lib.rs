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
