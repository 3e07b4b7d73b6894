//! Help's pages: the FAQ and troubleshooting (public, with an in-page table of contents),
//! Feedback and Contact support (signed in), and the operator's feedback inbox
//! (`pages/inbox.rs`). The forms post, so they work before hydration too.

mod inbox;

pub use inbox::StaffFeedbackPage;

use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, described_by, field_messages, Breadcrumbs, ErrorBanner, ErrorNotice,
        FieldMessage, SelectField, TextField,
    },
    help::{
        help_pages, support_options, FeedbackCategory, HelpContent, SendFeedback, SupportChoices,
    },
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

/// The three ways Help offers, at the top of each of its pages.
fn help_links() -> impl IntoView {
    view! {
        <ul class="links-back">
            <li><A href="/help" exact=true>"FAQ and troubleshooting"</A></li>
            <li><A href="/help/feedback">"Send feedback"</A></li>
            <li><A href="/help/contact">"Contact support"</A></li>
        </ul>
    }
}

#[component]
pub fn HelpPage() -> impl IntoView {
    let content = Resource::new(|| (), |_| help_pages());
    view! {
        <main class="page" id="main">
            <h1>"Help"</h1>
            <p class="lead">"Answers to common questions, what to do when something goes wrong, and how to reach us."</p>
            {help_links()}
            <Suspense fallback=|| view! { <p>"Loading the help…"</p> }>
                {move || Suspend::new(async move {
                    match content.await {
                        Ok(content) => view! { <HelpText content /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn HelpText(content: HelpContent) -> impl IntoView {
    let toc = content
        .toc
        .into_iter()
        .map(|entry| {
            let children = entry
                .children
                .into_iter()
                .map(|(id, title)| view! { <li><a href=format!("#{id}")>{title}</a></li> })
                .collect_view();
            view! {
                <li>
                    <a href=format!("#{}", entry.id)>{entry.title}</a>
                    <ul>{children}</ul>
                </li>
            }
        })
        .collect_view();
    // The HTML is rendered on the server from the repository's own Markdown, with raw HTML
    // turned into text (`help::render`): nothing a user wrote reaches it.
    let sections = content
        .sections
        .into_iter()
        .map(|html| view! { <section class="card help-text" inner_html=html></section> })
        .collect_view();
    view! {
        <nav aria-labelledby="toc-heading" class="card toc">
            <h2 id="toc-heading">"Contents"</h2>
            <ul>{toc}</ul>
        </nav>
        {sections}
    }
}

fn category_options() -> Vec<(String, String)> {
    FeedbackCategory::ALL
        .into_iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect()
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let send = ServerAction::<SendFeedback>::new();
    let query = use_query_map();
    let sent = move || query.read().get("done").is_some_and(|d| d == "sent");
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let field = field_messages(error);
    let message_error = field("message");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Breadcrumbs trail=vec![("Help".to_owned(), "/help".to_owned())] here="Feedback" />
                <h1>"Send feedback"</h1>
                <p class="lead">
                    "Tell the provider's team what works, what does not and what you miss. For a problem with a service under your agreement, open a support case instead, so it is tracked and answered."
                </p>
                {move || sent().then(|| view! {
                    <div class="banner banner-ok" role="status">
                        "Thank you: your message was sent to the provider's team."
                    </div>
                })}
                <section aria-labelledby="feedback-heading" class="card">
                    <h2 id="feedback-heading">"Your message"</h2>
                    <ErrorBanner message=Signal::derive(move || {
                        error.get().and_then(|e| banner_message(&e, &["category", "message", "about"]))
                    }) />
                    <ActionForm action=send attr:class="stack">
                        <SelectField label="What is it about?" name="category" options=category_options() selected="idea" error=field("category") />
                        <div class="field">
                            <label for="field-message">"Message"</label>
                            <textarea
                                id="field-message"
                                name="message"
                                rows="6"
                                maxlength="2000"
                                required=true
                                aria-invalid=move || message_error.get().is_some().then_some("true")
                                aria-describedby=described_by(
                                    "field-message-hint",
                                    "hint",
                                    "field-message-error",
                                    message_error,
                                )
                            ></textarea>
                            <p class="hint" id="field-message-hint">"Up to 2,000 characters."</p>
                            <FieldMessage id="field-message-error".to_owned() error=message_error />
                        </div>
                        <TextField
                            label="Which page is it about? (optional)"
                            name="about"
                            error=field("about")
                            hint="Its name or address, if your message is about one page."
                        />
                        <button type="submit" class="primary">"Send feedback"</button>
                    </ActionForm>
                </section>
                {help_links()}
            </main>
        </RequireUser>
    }
}

#[component]
pub fn ContactSupportPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| support_options());
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Breadcrumbs trail=vec![("Help".to_owned(), "/help".to_owned())] here="Contact support" />
                <h1>"Contact support"</h1>
                <p class="lead">
                    "Support requests are support cases of a workspace of your organization's agreement, opened by its support contacts, and answered by the provider's team."
                </p>
                <Suspense fallback=|| view! { <p>"Loading your workspaces…"</p> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Ok(data) => view! { <Choices data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
                {help_links()}
            </main>
        </RequireUser>
    }
}

#[component]
fn Choices(data: SupportChoices) -> impl IntoView {
    let (open, other): (Vec<_>, Vec<_>) = data.workspaces.into_iter().partition(|w| w.can_open);
    let open_list = (!open.is_empty()).then(|| {
        view! {
            <section aria-labelledby="open-heading" class="card">
                <h2 id="open-heading">"Open a support request"</h2>
                <p>"You are a support contact in these workspaces. Choose the one the request is about:"</p>
                <ul>
                    {open
                        .into_iter()
                        .map(|w| view! {
                            <li>
                                <A href=format!("/workspaces/{}/cases?new=1#open-heading", w.id)>
                                    {format!("New support request in {}", w.name)}
                                </A>
                                <span class="hint">{format!(" · {}", w.organization)}</span>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let none_open = open_list.is_none();
    let other_list = (!other.is_empty()).then(|| {
        view! {
            <section aria-labelledby="other-heading" class="card">
                <h2 id="other-heading">"Workspaces where you are not a support contact"</h2>
                <p>
                    "To open cases there, ask a Workspace Administrator or a Services Administrator of the workspace to make you a support contact. Meanwhile you can follow the cases shared with you."
                </p>
                <ul>
                    {other
                        .into_iter()
                        .map(|w| view! {
                            <li><A href=format!("/workspaces/{}/cases", w.id)>{format!("Support cases of {}", w.name)}</A></li>
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let who_to_ask = none_open.then(|| {
        let admins = data.administrators;
        let organization = data.organization.unwrap_or_default();
        view! {
            <section aria-labelledby="ask-heading" class="card">
                <h2 id="ask-heading">"You cannot open support requests yet"</h2>
                {if admins.is_empty() {
                    view! {
                        <p>
                            "Only the support contacts of a workspace open support requests. Ask your organization's administrator to arrange it, or send the provider a message with "
                            <A href="/help/feedback">"Feedback"</A> "."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p>
                            {format!("Only the support contacts of a workspace open support requests. The Global Administrators of {organization} can arrange it:")}
                        </p>
                        <ul>{admins.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                    }
                        .into_any()
                }}
            </section>
        }
    });
    view! {
        {open_list}
        {who_to_ask}
        {other_list}
    }
}
