//! Services Hub: routes, the app shell and the domains. Server-only code (the data layer,
//! hashing, sessions) sits behind the `ssr` feature so the WASM build never pulls it in.
#![recursion_limit = "256"]

pub mod accounts;
pub mod activity;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod cases;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domains;
pub mod error;
pub mod events;
pub mod federation;
pub mod groups;
pub mod help;
pub mod identity;
pub mod invitations;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod members;
pub mod org_groups;
pub mod organizations;
#[cfg(feature = "ssr")]
pub mod security;
pub mod services;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod workspaces;

#[cfg(all(test, feature = "ssr"))]
mod architecture;

use accounts::{
    current_user,
    pages::{RequireUser, SessionEpoch, UserResource},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes, A},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

/// The HTML document around the app. The nonce from `leptos_axum` goes on every inline script
/// leptos emits; the server's security layer names it in the page's Content-Security-Policy.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The style sheet's name carries its content hash in release builds.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let epoch = SessionEpoch::new();
    provide_context(epoch);
    let user = Resource::new(move || epoch.get(), |_| current_user());
    provide_context(UserResource(user));

    view! {
        <Title text="Services Hub" />
        <Router>
            <Frame />
        </Router>
    }
}

/// The shell (header, navigation) and the page: inside the router, which the navigation reads
/// to know the page's workspace.
#[component]
fn Frame() -> impl IntoView {
    let epoch = expect_context::<SessionEpoch>();
    provide_context(shell::NavResource::new(epoch));
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <shell::Header />
        <div class="frame">
            <shell::SideNav />
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view=accounts::pages::SignInPage ssr=SsrMode::Async />
                <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/profile/two-factor") view={Lazy::<TwoFactorRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/verify") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/workspaces/:id")
                    view={Lazy::<WorkspaceRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/activity")
                    view={Lazy::<ActivityRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/staff")
                    view={Lazy::<StaffConsoleRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/staff/agreements/:id")
                    view={Lazy::<StaffAgreementRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/audit")
                    view={Lazy::<AuditLogRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/cases")
                    view={Lazy::<CasesRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/cases/:case")
                    view={Lazy::<CaseRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/groups")
                    view={Lazy::<GroupsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/users")
                    view={Lazy::<ManageUsersRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/workspaces/:id/users/import/:import")
                    view={Lazy::<BulkImportRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/organization") view={Lazy::<IdentityRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/users") view={Lazy::<OrgUsersRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/users/:id") view={Lazy::<OrgUserRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/groups") view={Lazy::<OrgGroupsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/groups/:id") view={Lazy::<OrgGroupRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/help") view={Lazy::<HelpRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/help/feedback") view={Lazy::<FeedbackRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/help/contact") view={Lazy::<ContactSupportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/staff/feedback") view={Lazy::<StaffFeedbackRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/roles") view={Lazy::<OrgRolesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/audit") view={Lazy::<OrgAuditRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/domains") view={Lazy::<DomainsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/organization/federation") view={Lazy::<FederationRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("/invitations/accept")
                    view={Lazy::<AcceptInvitationRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/invoices/:id") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/catalogue") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-up") view={Lazy::<SignUpRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/confirm-email") view={Lazy::<ConfirmEmailRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/set-password") view={Lazy::<SetPasswordRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/services") view={Lazy::<ServicesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/services/:id") view={Lazy::<ServiceRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/staff/offers") view={Lazy::<StaffOffersRoute>::new()} ssr=SsrMode::Async />
            </Routes>
        </div>
    }
}

/// A page whose code the browser downloads when a person first goes there (its own WASM chunk,
/// from cargo-leptos' split build), so the sign-in page loads only what it needs.
/// The server renders it like any other page, and hydration waits for its chunk.
macro_rules! lazy_pages {
    ($($route:ident => $page:path,)*) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    HomeRoute => HomePage,
    ProfileRoute => ProfileWithLicenses,
    TwoFactorRoute => accounts::two_factor::pages::TwoFactorPage,
    VerifyRoute => accounts::two_factor::pages::VerifyPage,
    WorkspaceRoute => workspaces::pages::WorkspacePage,
    ActivityRoute => activity::pages::ActivityPage,
    StaffConsoleRoute => workspaces::console::StaffConsolePage,
    StaffAgreementRoute => workspaces::console::StaffAgreementPage,
    AuditLogRoute => audit::pages::AuditLogPage,
    CasesRoute => cases::pages::CasesPage,
    CaseRoute => cases::pages::CasePage,
    GroupsRoute => groups::pages::GroupsPage,
    ManageUsersRoute => members::pages::ManageUsersPage,
    BulkImportRoute => invitations::import_page::BulkImportPage,
    AcceptInvitationRoute => invitations::pages::AcceptInvitationPage,
    InvoiceRoute => billing::pages::InvoicePage,
    CatalogueRoute => services::pages::CataloguePage,
    SignUpRoute => services::pages::SignUpPage,
    ConfirmEmailRoute => services::pages::ConfirmEmailPage,
    ForgotPasswordRoute => accounts::passwords::pages::ForgotPasswordPage,
    ResetPasswordRoute => accounts::passwords::pages::PasswordLinkPage,
    SetPasswordRoute => accounts::passwords::pages::PasswordLinkPage,
    ServicesRoute => services::pages::ServicesPage,
    ServiceRoute => services::pages::ServicePage,
    StaffOffersRoute => services::pages::StaffOffersPage,
    OrgRolesRoute => organizations::pages::OrgRolesPage,
    OrgGroupsRoute => org_groups::pages::OrgGroupsPage,
    OrgGroupRoute => org_groups::pages::OrgGroupPage,
    HelpRoute => help::pages::HelpPage,
    FeedbackRoute => help::pages::FeedbackPage,
    ContactSupportRoute => help::pages::ContactSupportPage,
    StaffFeedbackRoute => help::pages::StaffFeedbackPage,
    IdentityRoute => identity::pages::IdentityPage,
    OrgUsersRoute => identity::pages::OrgUsersPage,
    OrgUserRoute => identity::pages::OrgUserPage,
    OrgAuditRoute => organizations::audit_page::OrgAuditPage,
    DomainsRoute => domains::pages::DomainsPage,
    FederationRoute => FederationSignedIn,
}

/// The Federation page behind "Sign in" (here, since the federation domain names no accounts
/// code: the sign-in page uses federation).
#[component]
fn FederationSignedIn() -> impl IntoView {
    view! {
        <RequireUser>
            <federation::pages::FederationPage />
        </RequireUser>
    }
}

/// Edit Profile, with the licenses the person holds (the services domain's part of the page).
#[component]
fn ProfileWithLicenses() -> impl IntoView {
    view! {
        <accounts::pages::ProfilePage>
            <services::pages::MyLicenses />
        </accounts::pages::ProfilePage>
    }
}

/// The main page: the workspace used last (or the first one) opens; someone with no workspace
/// yet is told what comes next.
#[component]
fn HomePage() -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let mine = Resource::new(|| (), |_| workspaces::my_workspaces());
    let nav = expect_context::<shell::NavResource>().0;
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let name = user.await.ok().flatten().map(|u| u.display_name).unwrap_or_default();
                        let mine = mine.await.ok();
                        if let Some(current) = mine.as_ref().and_then(|m| m.current) {
                            return view! { <Redirect path=format!("/workspaces/{current}") /> }.into_any();
                        }
                        // An organization's administrator with no workspace yet (a new sign-up)
                        // has their organization's services to manage.
                        if nav.await.ok().is_some_and(|n| n.organization.is_some()) {
                            return view! { <Redirect path="/services" /> }.into_any();
                        }
                        let staff = mine.is_some_and(|m| m.is_staff);
                        // The provider's staff hold no agreement of their own: they are told
                        // where their work is, not to wait for an invitation.
                        let next = if staff {
                            view! {
                                <p>
                                    "You are signed in as the provider's staff. Agreements, their activation and their workspaces are in the "
                                    <A href="/staff">"Staff console"</A> "."
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p>
                                    "You are not a member of any workspace yet. Once your organization's agreement is active, its Services Administrator or a Workspace Administrator invites you by email: open the link in that email to join."
                                </p>
                            }
                                .into_any()
                        };
                        view! {
                            <h1>"Welcome, " {name}</h1>
                            {next}
                            <p>
                                <A href="/profile">"Edit Profile"</A>
                                " — your name, phone, language, time zone and the email address that receives notices."
                            </p>
                        }
                            .into_any()
                    })}
                </Suspense>
            </main>
        </RequireUser>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page" id="main">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. Check the link you followed."</p>
            <ul class="links-back">
                <li><A href="/">"Go to the main page"</A></li>
                <li><A href="/sign-in">"Sign in"</A></li>
            </ul>
        </main>
    }
}
