//! Who is signed in, as every page sees it: the user resource the header and private pages
//! read, the epoch that makes them read it again, and the wrapper that sends anyone else to
//! "Sign in" and back.

use crate::{accounts::UserSummary, error::AppError};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

/// Bumped whenever the signed-in user may have changed (sign-in, sign-out, profile saved), so
/// the header fetches the user again.
#[derive(Clone, Copy, Default)]
pub struct SessionEpoch(RwSignal<u32>);

impl SessionEpoch {
    pub fn new() -> Self {
        Self(RwSignal::new(0))
    }

    /// Tracks the epoch (for a resource that re-reads the user).
    pub fn get(&self) -> u32 {
        self.0.get()
    }

    pub fn bump(&self) {
        self.0.update(|n| *n += 1);
    }
}

/// The signed-in user as the header and private pages see it.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<UserSummary>, AppError>>);

/// Renders its children only for a signed-in user; anyone else goes to "Sign in" and comes back
/// here afterwards.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let location = use_location();
    let children = StoredValue::new(children);
    // A Transition keeps the page on screen while the user is fetched again (after a save).
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    // Staff and Global Administrators set up two-step verification first.
                    Ok(Some(u))
                        if u.must_enroll
                            && location.pathname.get_untracked() != "/profile/two-factor" =>
                    {
                        view! { <Redirect path="/profile/two-factor?required=1" /> }.into_any()
                    }
                    Ok(Some(_)) => children.read_value()().into_any(),
                    _ => {
                        // The router's `search` has no leading "?": put it back, or
                        // `/activity?workspace=2` would come back as `/activityworkspace=2`.
                        let search = location.search.get_untracked();
                        let search = search.trim_start_matches('?');
                        let pathname = location.pathname.get_untracked();
                        let here = if search.is_empty() {
                            pathname
                        } else {
                            format!("{pathname}?{search}")
                        };
                        let next = super::encode(&crate::accounts::safe_next(&here));
                        // A right password whose code is still due goes to the code.
                        let due = crate::accounts::two_factor::second_step_due().await.is_ok();
                        let target = if due {
                            format!("/sign-in/verify?next={next}")
                        } else {
                            format!("/sign-in?next={next}")
                        };
                        view! { <Redirect path=target /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
