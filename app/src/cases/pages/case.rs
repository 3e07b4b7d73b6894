//! A case's page: its facts, its timeline and the forms acting on it.

use crate::{
    accounts::pages::RequireUser,
    cases::{
        case_detail, AddCaseNote, CaseStatus, EventKind, RecordCaseTime, SetCaseStatus, ShareCase,
        ShareCaseWithGroup, SupportCase,
    },
    components::workspace_id_param,
    components::{
        banner_message, field_messages, format_date_time, Breadcrumbs, Confirm, ErrorBanner,
        ErrorNotice, SelectField, TextField,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{status_options, TextArea};

/// The actions of a case's page; any of them changing refetches the case.
#[derive(Clone, Copy)]
struct CaseActions {
    note: ServerAction<AddCaseNote>,
    status: ServerAction<SetCaseStatus>,
    time: ServerAction<RecordCaseTime>,
    share: ServerAction<ShareCase>,
    share_group: ServerAction<ShareCaseWithGroup>,
}

impl CaseActions {
    fn version(&self) -> usize {
        self.note.version().get()
            + self.status.version().get()
            + self.time.version().get()
            + self.share.version().get()
            + self.share_group.version().get()
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let id = workspace_id_param();
    let params = use_params_map();
    let case_id = move || {
        params
            .read()
            .get("case")
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = CaseActions {
        note: ServerAction::new(),
        status: ServerAction::new(),
        time: ServerAction::new(),
        share: ServerAction::new(),
        share_group: ServerAction::new(),
    };
    // Someone else's change to this case fetches it again (JavaScript on; events::client).
    let live = crate::events::client::live_updates(move || {
        crate::events::Topic::parse(&format!("case:{}:{}", id(), case_id()))
    });
    let detail = Resource::new(
        move || (id(), case_id(), actions.version(), live.get()),
        |(ws, case, _, _)| case_detail(ws, case),
    );
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the case…"</p> }>
                    {move || Suspend::new(async move {
                        match detail.await {
                            Ok(data) => view! { <CaseView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn CaseView(data: SupportCase, actions: CaseActions) -> impl IntoView {
    let ws = data.workspace_id;
    let case = data.id;
    // Read tracked: with JavaScript the redirect's `?done=` arrives after the refetched case.
    let query = use_query_map();
    let done = move || {
        query.read().get("done").map(|d| match d.as_str() {
            "note" => "Your note was added.",
            "status" => "The status was changed.",
            "time" => "The time was recorded.",
            "shared" => "The case was shared.",
            _ => "Your change was saved.",
        })
    };
    let share_groups: Vec<(String, String)> = data
        .share_groups
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let choices = status_choices(&data);
    let (facts, timeline) = (facts(&data), timeline(&data));
    let trail = vec![
        (data.workspace_name.clone(), format!("/workspaces/{ws}")),
        (
            "Support cases".to_owned(),
            format!("/workspaces/{ws}/cases"),
        ),
    ];
    view! {
        <Breadcrumbs trail here=format!("Case {}", data.id) />
        <h1>{format!("Case {}: {}", data.id, data.title)}</h1>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        {facts}
        <h2>"Description"</h2>
        <p class="pre">{data.description.clone()}</p>
        <h2 id="timeline-heading">"Timeline"</h2>
        {timeline}
        {note_form(ws, case, actions.note)}
        {status_section(&data, actions.status, choices)}
        {data.can_share.then(|| share_forms(ws, case, actions, share_groups))}
        {data.is_staff.then(|| time_form(ws, case, actions.time))}
    }
}

/// The statuses staff may pick from a list: any but the current one and "Closed", which has
/// its own button that asks first.
fn status_choices(data: &SupportCase) -> Vec<(String, String)> {
    if data.is_staff {
        status_options(false)
            .into_iter()
            .filter(|(v, _)| v != data.status.as_str() && v != CaseStatus::Closed.as_str())
            .collect()
    } else {
        Vec::new()
    }
}

/// "Close case" (asks first) or "Reopen case" for the opener and staff; staff also get the
/// other statuses in a list.
fn status_section(
    data: &SupportCase,
    action: ServerAction<SetCaseStatus>,
    choices: Vec<(String, String)>,
) -> Option<AnyView> {
    if !(data.is_staff || data.is_opener) {
        return None;
    }
    let (ws, case) = (data.workspace_id, data.id);
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let ended = matches!(data.status, CaseStatus::Closed | CaseStatus::Resolved);
    let button = if ended {
        view! {
            <ActionForm action attr:class="inline">
                {hidden(ws, case)}
                <input type="hidden" name="status" value="new" />
                <button type="submit">"Reopen case"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <Confirm
                key="close-case"
                ask="Close case"
                what=String::new()
                question=format!("Close case {case}: {}?", data.title)
                consequence="Support stops working on it. You can still read it, and reopen it if the problem comes back."
            >
                <ActionForm action attr:class="inline">
                    {hidden(ws, case)}
                    <input type="hidden" name="status" value="closed" />
                    <button type="submit" class="danger">"Close case"</button>
                </ActionForm>
            </Confirm>
        }
        .into_any()
    };
    let first_choice = choices.first().map(|(v, _)| v.clone()).unwrap_or_default();
    let list = (!choices.is_empty()).then(|| {
        view! {
            <ActionForm action attr:class="stack">
                {hidden(ws, case)}
                <SelectField label="New status" name="status" form="status" options=choices selected=first_choice error=field("status") />
                <button type="submit">"Change the status"</button>
            </ActionForm>
        }
    });
    Some(
        view! {
            <section aria-labelledby="status-heading" class="card">
                <h2 id="status-heading">"Status"</h2>
                <ErrorBanner message=Signal::derive(move || error.get().and_then(|e| banner_message(&e, &["status"]))) />
                {list}
                <div class="page-actions">{button}</div>
            </section>
        }
        .into_any(),
    )
}

/// The case's inputs of every form on the page.
fn hidden(ws: i64, case: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="workspace_id" value=ws.to_string() />
        <input type="hidden" name="case_id" value=case.to_string() />
    }
}

fn facts(data: &SupportCase) -> AnyView {
    view! {
        <dl class="facts">
            <dt>"Status"</dt>
            <dd>{data.status.label()}</dd>
            <dt>"Severity"</dt>
            <dd>{data.severity.label()}</dd>
            <dt>"Product or area"</dt>
            <dd>{if data.product_area.is_empty() { "—".to_owned() } else { data.product_area.clone() }}</dd>
            <dt>"Preferred contact method"</dt>
            <dd>{data.contact_method.label()}</dd>
            <dt>"Opened by"</dt>
            <dd>{data.opened_by.clone()} ", " {format_date_time(data.opened_at)}</dd>
            {data
                .closed_at
                .filter(|_| data.status == CaseStatus::Closed)
                .map(|at| view! { <dt>"Closed"</dt><dd>{format_date_time(at)}</dd> })}
            <dt>"Shared with"</dt>
            <dd>{if data.shared_with.is_empty() { "Nobody".to_owned() } else { data.shared_with.join(", ") }}</dd>
            <dt>"Shared with groups"</dt>
            <dd>{if data.shared_with_groups.is_empty() { "None".to_owned() } else { data.shared_with_groups.join(", ") }}</dd>
            <dt>"Time recorded"</dt>
            <dd>{format!("{} minutes", data.total_minutes)}</dd>
        </dl>
    }
    .into_any()
}

fn timeline(data: &SupportCase) -> AnyView {
    if data.events.is_empty() {
        view! { <p>"Nothing has happened on this case yet."</p> }.into_any()
    } else {
        view! {
            <ol class="timeline" aria-labelledby="timeline-heading">
                {data
                    .events
                    .iter()
                    .map(|e| {
                        let what = match e.kind {
                            EventKind::Note => "Note".to_owned(),
                            EventKind::Status => format!(
                                "Status: {}",
                                e.status.map(CaseStatus::label).unwrap_or("changed")
                            ),
                            EventKind::Time => format!("Time: {} minutes", e.minutes.unwrap_or(0)),
                        };
                        let who = if e.staff { format!("{} (support staff)", e.author) } else { e.author.clone() };
                        view! {
                            <li>
                                <p class="meta">
                                    <strong>{what}</strong> " · " {who} " · " {format_date_time(e.at)}
                                </p>
                                {(!e.body.is_empty()).then(|| view! { <p class="pre">{e.body.clone()}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
            .into_any()
    }
}

fn note_form(ws: i64, case: i64, action: ServerAction<AddCaseNote>) -> impl IntoView {
    let note_error = Signal::derive(move || action.value().get().and_then(Result::err));
    let note_field = field_messages(note_error);
    view! {
        <section aria-labelledby="note-heading" class="card">
            <h2 id="note-heading">"Add a note"</h2>
            <ErrorBanner message=Signal::derive(move || note_error.get().and_then(|e| banner_message(&e, &["body"]))) />
            <ActionForm action attr:class="stack">
                {hidden(ws, case)}
                <TextArea label="Note" name="body" form="note" required=true error=note_field("body") />
                <button type="submit">"Add the note"</button>
            </ActionForm>
        </section>
    }
}

/// Sharing with a member by address, or with a group of the workspace.
fn share_forms(
    ws: i64,
    case: i64,
    actions: CaseActions,
    share_groups: Vec<(String, String)>,
) -> impl IntoView {
    let share_error = Signal::derive(move || actions.share.value().get().and_then(Result::err));
    let group_error =
        Signal::derive(move || actions.share_group.value().get().and_then(Result::err));
    let share_field = field_messages(share_error);
    let group_field = field_messages(group_error);
    view! {
        <section aria-labelledby="share-heading" class="card">
            <h2 id="share-heading">"Share this case"</h2>
            <ErrorBanner message=Signal::derive(move || share_error.get().and_then(|e| banner_message(&e, &["email"]))) />
            <ActionForm action=actions.share attr:class="stack">
                {hidden(ws, case)}
                <TextField
                    label="Email address of a member of this workspace"
                    name="email"
                    form="share"
                    input_type="email"
                    required=true
                    error=share_field("email")
                />
                <button type="submit">"Share"</button>
            </ActionForm>
            {if share_groups.is_empty() {
                view! {
                    <p class="hint">"This workspace has no groups; its administrators create them on the Groups page."</p>
                }
                    .into_any()
            } else {
                view! {
                    <ErrorBanner message=Signal::derive(move || group_error.get().and_then(|e| banner_message(&e, &["group_id"]))) />
                    <ActionForm action=actions.share_group attr:class="stack">
                        {hidden(ws, case)}
                        <SelectField
                            label="Or share with a group of this workspace"
                            name="group_id"
                            form="share"
                            options=share_groups
                            selected=""
                            error=group_field("group_id")
                        />
                        <button type="submit">"Share with the group"</button>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}

fn time_form(ws: i64, case: i64, action: ServerAction<RecordCaseTime>) -> impl IntoView {
    let time_error = Signal::derive(move || action.value().get().and_then(Result::err));
    let time_field = field_messages(time_error);
    view! {
        <section aria-labelledby="time-heading" class="card">
            <h2 id="time-heading">"Record time"</h2>
            <ErrorBanner message=Signal::derive(move || time_error.get().and_then(|e| banner_message(&e, &["minutes", "note"]))) />
            <ActionForm action attr:class="stack">
                {hidden(ws, case)}
                <TextField
                    label="Minutes spent"
                    name="minutes"
                    form="time"
                    input_type="number"
                    required=true
                    hint="A whole number from 1 to 1,440 (a day)."
                    error=time_field("minutes")
                />
                <TextArea label="What was done (optional)" name="note" form="time" error=time_field("note") />
                <button type="submit">"Record the time"</button>
            </ActionForm>
        </section>
    }
}
