//! The app shell around every page: a header with the organization, the current workspace
//! (switchable there) and the account menu, and a navigation that reaches every tool the
//! person's roles open in one click. Menus are `<details>` elements, so they open and close
//! without JavaScript; every item is a link or a form that posts.

use crate::{
    accounts::{
        pages::{SessionEpoch, UserResource},
        SignOut, UserSummary,
    },
    workspaces::{navigation, CurrentWorkspace, Navigation, SwitchWorkspace},
};
use leptos::{html, prelude::*};
use leptos_router::{components::A, hooks::use_location};

/// The workspace a page is about: `/workspaces/<id>/…`, or Customer Activity's `?workspace=<id>`.
pub fn workspace_in(path: &str, search: &str) -> Option<i64> {
    if let Some(rest) = path.strip_prefix("/workspaces/") {
        return rest.split('/').next().and_then(|id| id.parse().ok());
    }
    if path == "/activity" {
        return search
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("workspace="))
            .and_then(|id| id.parse().ok());
    }
    None
}

/// The navigation the shell shows, fetched again when the page moves to another workspace or
/// the signed-in person changes.
#[derive(Clone, Copy)]
pub struct NavResource(pub Resource<Result<Navigation, crate::error::AppError>>);

impl NavResource {
    pub fn new(epoch: SessionEpoch) -> Self {
        let location = use_location();
        let workspace =
            Memo::new(move |_| workspace_in(&location.pathname.get(), &location.search.get()));
        Self(Resource::new(
            move || (epoch.get(), workspace.get()),
            |(_, id)| navigation(id),
        ))
    }
}

/// Closes an open menu once the page has moved (with JavaScript a link does not reload the
/// page, so a `<details>` would stay open over the next one).
fn close_on_navigation(menu: NodeRef<html::Details>) {
    let location = use_location();
    Effect::new(move || {
        location.pathname.track();
        location.search.track();
        if let Some(menu) = menu.get_untracked() {
            let _ = menu.remove_attribute("open");
        }
    });
}

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let nav = expect_context::<NavResource>().0;
    view! {
        <header class="top">
            <A href="/" attr:class="brand">"Services Hub"</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let user = user.await.ok().flatten();
                    let nav = nav.await.ok();
                    match (user, nav) {
                        (Some(user), Some(nav)) => view! {
                            {nav.current.clone().map(|current| view! { <WorkspaceMenu nav current /> })}
                            <AccountMenu user />
                        }
                            .into_any(),
                        _ => view! { <span class="spacer"></span> }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// The organization and workspace in the header; opening it lists the others to switch to.
#[component]
fn WorkspaceMenu(nav: Navigation, current: CurrentWorkspace) -> impl IntoView {
    let menu = NodeRef::<html::Details>::new();
    close_on_navigation(menu);
    let switch = ServerAction::<SwitchWorkspace>::new();
    let others: Vec<_> = nav
        .workspaces
        .into_iter()
        .filter(|w| w.id != current.id)
        .collect();
    view! {
        <details class="menu workspace-menu" node_ref=menu>
            <summary>
                <span class="visually-hidden">"Workspace: "</span>
                <span class="org">{current.organization.clone()}</span>
                <span class="sep" aria-hidden="true">" · "</span>
                <span class="ws">{current.name.clone()}</span>
            </summary>
            <div class="menu-panel">
                <p class="menu-heading">"Switch workspace"</p>
                {if others.is_empty() {
                    view! { <p class="empty">"This is your only workspace."</p> }.into_any()
                } else {
                    others
                        .into_iter()
                        .map(|w| {
                            view! {
                                <ActionForm action=switch attr:class="menu-item">
                                    <input type="hidden" name="workspace_id" value=w.id.to_string() />
                                    <button type="submit" class="menu-button">
                                        <span class="ws">{w.name.clone()}</span>
                                        <span class="hint">
                                            {format!("{} · {} agreement", w.organization, w.agreement_type.label())}
                                        </span>
                                    </button>
                                </ActionForm>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
                <A href="/activity?workspace=all" attr:class="menu-link">
                    "Customer Activity of all your workspaces"
                </A>
            </div>
        </details>
    }
}

/// The signed-in person's menu: who they are, Edit Profile, Sign out.
#[component]
fn AccountMenu(user: UserSummary) -> impl IntoView {
    let epoch = expect_context::<SessionEpoch>();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move || {
        if let Some(Ok(())) = sign_out.value().get() {
            epoch.bump();
        }
    });
    let menu = NodeRef::<html::Details>::new();
    close_on_navigation(menu);
    view! {
        <details class="menu account-menu" node_ref=menu>
            <summary>
                <span class="visually-hidden">"Account: "</span>
                <span class="user-name">{user.display_name.clone()}</span>
            </summary>
            <div class="menu-panel">
                <p class="menu-heading">{user.display_name.clone()}</p>
                <p class="hint">{user.email.clone()}</p>
                <A href="/profile" attr:class="menu-link">"Edit Profile"</A>
                <A href="/help" attr:class="menu-link">"Help"</A>
                <ActionForm action=sign_out attr:class="menu-item">
                    <button type="submit" class="menu-button">"Sign out"</button>
                </ActionForm>
            </div>
        </details>
    }
}

/// The tools of the current workspace and the provider's console, as the person's roles allow.
/// (The organization's Services and Identity pages join here as a third group.)
#[component]
pub fn SideNav() -> impl IntoView {
    let nav = expect_context::<NavResource>().0;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                nav.await.ok().map(|nav| view! { <NavLinks nav /> })
            })}
        </Transition>
    }
}

#[component]
fn NavLinks(nav: Navigation) -> impl IntoView {
    let workspace = nav.current.map(|w| {
        let id = w.id;
        let mut tools = vec![
            ("Overview", format!("/workspaces/{id}")),
            ("Support cases", format!("/workspaces/{id}/cases")),
            ("Customer Activity", format!("/activity?workspace={id}")),
        ];
        if w.can_manage_members {
            tools.push(("Manage Users", format!("/workspaces/{id}/users")));
            tools.push(("Groups", format!("/workspaces/{id}/groups")));
        }
        if w.can_view_audit {
            tools.push(("Audit log", format!("/workspaces/{id}/audit")));
        }
        view! {
            <p class="nav-heading" id="nav-workspace">{w.name}</p>
            <ul aria-labelledby="nav-workspace">
                {tools
                    .into_iter()
                    .map(|(text, href)| {
                        // The overview's address begins every other tool's: only an exact
                        // match marks it as the current page.
                        let exact = text == "Overview";
                        view! { <li><A href=href exact>{text}</A></li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let organization = nav.organization.map(|org| {
        view! {
            <p class="nav-heading" id="nav-organization">{org.name}</p>
            <ul aria-labelledby="nav-organization">
                <li><A href="/services">"Services"</A></li>
                {org.identity.then(|| view! {
                    <li><A href="/organization" exact=true>"Identity"</A></li>
                    <li><A href="/organization/users">"Users"</A></li>
                })}
                {org.manage_roles.then(|| view! {
                    <li><A href="/organization/roles">"Administrative roles"</A></li>
                    <li><A href="/organization/audit">"Organization audit log"</A></li>
                    <li><A href="/organization/domains">"Domains"</A></li>
                    <li><A href="/organization/federation">"Federation"</A></li>
                })}
            </ul>
        }
    });
    let operator = nav.is_operator;
    let staff = nav.is_staff.then(|| {
        view! {
            <p class="nav-heading" id="nav-provider">"Provider"</p>
            <ul aria-labelledby="nav-provider">
                <li><A href="/staff" exact=true>"Staff console"</A></li>
                {operator.then(|| view! { <li><A href="/staff/offers">"Offers"</A></li> })}
                {operator.then(|| view! { <li><A href="/staff/feedback">"Feedback"</A></li> })}
            </ul>
        }
    });
    view! {
        <nav class="side" aria-label="Portal">
            {workspace}
            {organization}
            {staff}
            // Help, for everyone signed in (the FAQ itself is public).
            <p class="nav-heading" id="nav-help">"Help"</p>
            <ul aria-labelledby="nav-help">
                <li><A href="/help" exact=true>"FAQ and troubleshooting"</A></li>
                <li><A href="/help/feedback">"Send feedback"</A></li>
                <li><A href="/help/contact">"Contact support"</A></li>
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_workspace_of_a_page() {
        use super::workspace_in;
        assert_eq!(workspace_in("/workspaces/12/users", ""), Some(12));
        assert_eq!(workspace_in("/workspaces/12", ""), Some(12));
        assert_eq!(workspace_in("/activity", "?workspace=3&from=x"), Some(3));
        assert_eq!(workspace_in("/activity", "workspace=all"), None);
        assert_eq!(workspace_in("/profile", ""), None);
    }
}
