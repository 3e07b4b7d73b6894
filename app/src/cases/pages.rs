//! The case list (filters as a GET form, plain page links, the "Open a case" form for support
//! contacts) and a case's page (its timeline and the forms acting on it). Every form posts, so
//! it works before hydration too.

use crate::{
    accounts::pages::RequireUser,
    cases::{
        case_detail, list_cases, AddCaseNote, CaseList, CaseSort, CaseStatus, ContactMethod,
        EventKind, OpenCase, RecordCaseTime, SetCaseStatus, Severity, ShareCase,
        ShareCaseWithGroup, SupportCase,
    },
    components::workspace_id_param,
    components::{
        banner_message, field_messages, format_date, format_date_time, ErrorBanner, ErrorNotice,
        FieldMessage, SelectField, TextField,
    },
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

fn severity_options(any: bool) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    if any {
        options.push((String::new(), "Any severity".to_owned()));
    }
    options.extend(
        Severity::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
    );
    options
}

fn status_options(any: bool) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    if any {
        options.push((String::new(), "Any status".to_owned()));
    }
    options.extend(
        CaseStatus::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
    );
    options
}

fn no_error() -> Signal<Option<String>> {
    Signal::derive(|| None)
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let id = workspace_id_param();
    let query = use_query_map();
    let open = ServerAction::<OpenCase>::new();
    let params = move || {
        let q = query.read();
        (
            id(),
            q.get("status").unwrap_or_default(),
            q.get("severity").unwrap_or_default(),
            q.get("mine").is_some_and(|m| m == "1"),
            q.get("q").unwrap_or_default(),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1),
            q.get("sort").unwrap_or_default(),
        )
    };
    let list = Resource::new(params, |(id, status, severity, mine, q, page, sort)| {
        list_cases(id, status, severity, mine, q, page, sort)
    });
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading cases…"</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(data) => view! { <CasesView data open /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

/// The list's filters as the page's query string reads them.
struct ListQuery {
    status: String,
    severity: String,
    mine: bool,
    q: String,
    sort: CaseSort,
}

impl ListQuery {
    fn link(&self, ws: i64, page: i64) -> String {
        format!(
            "/workspaces/{ws}/cases?status={}&severity={}&mine={}&q={}&sort={}&page={page}",
            urlencoding::encode(&self.status),
            urlencoding::encode(&self.severity),
            if self.mine { "1" } else { "0" },
            urlencoding::encode(&self.q),
            self.sort.as_str()
        )
    }
}

#[component]
fn CasesView(data: CaseList, open: ServerAction<OpenCase>) -> impl IntoView {
    let ws = data.workspace_id;
    let query = use_query_map();
    let filters = {
        let query = query.read_untracked();
        ListQuery {
            status: query.get("status").unwrap_or_default(),
            severity: query.get("severity").unwrap_or_default(),
            mine: query.get("mine").is_some_and(|m| m == "1"),
            q: query.get("q").unwrap_or_default(),
            sort: CaseSort::parse(&query.get("sort").unwrap_or_default()),
        }
    };
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let (prev, next) = (
        (data.page > 1).then(|| filters.link(ws, data.page - 1)),
        (data.page < last_page).then(|| filters.link(ws, data.page + 1)),
    );
    let ListQuery {
        status,
        severity,
        mine,
        q,
        sort,
    } = filters;
    view! {
        <p class="breadcrumb">
            <A href=format!("/workspaces/{ws}")>{data.workspace_name.clone()}</A>
        </p>
        <h1>"Support cases"</h1>
        {if data.can_open {
            view! { <OpenCaseForm ws action=open /> }.into_any()
        } else {
            view! {
                <p class="hint">
                    "Only support contacts can open support cases in this workspace. Ask your Workspace Administrator or Services Administrator to make you a support contact."
                </p>
            }
                .into_any()
        }}
        <h2 id="cases-heading">"Cases you can see"</h2>
        <form method="get" class="search" role="search">
            <SelectField
                label="Status"
                name="status"
                form="filter"
                options=status_options(true)
                selected=status.clone()
                error=no_error()
            />
            <SelectField
                label="Severity"
                name="severity"
                form="filter"
                options=severity_options(true)
                selected=severity.clone()
                error=no_error()
            />
            <div class="field checkbox">
                <input type="checkbox" id="field-filter-mine" name="mine" value="1" checked=mine />
                <label for="field-filter-mine">"Only cases I opened"</label>
            </div>
            <TextField label="Search titles" name="q" form="filter" input_type="search" value=q.clone() error=no_error() />
            <SelectField
                label="Sort by"
                name="sort"
                form="filter"
                options=CaseSort::ALL
                    .into_iter()
                    .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
                    .collect()
                selected=sort.as_str()
                error=no_error()
            />
            <button type="submit">"Filter"</button>
            <span class="hint">{format!("{} in all", data.total)}</span>
        </form>
        {if data.rows.is_empty() {
            view! { <p>"No cases match."</p> }.into_any()
        } else {
            view! {
                <table class="data cases" aria-labelledby="cases-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Case"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"Severity"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Product or area"</th>
                            <th scope="col">"Opened by"</th>
                            <th scope="col">"Opened on"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .rows
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <td>{c.id}</td>
                                        <td>
                                            <A href=format!("/workspaces/{ws}/cases/{}", c.id)>{c.title}</A>
                                        </td>
                                        <td>{c.severity.label()}</td>
                                        <td>{c.status.label()}</td>
                                        <td>{c.product_area}</td>
                                        <td>{c.opened_by}</td>
                                        <td>{format_date(Some(c.opened_at))}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    }
}

/// A labelled `<textarea>`, empty (leptos does not escape textarea children, so none are given).
#[component]
fn TextArea(
    label: &'static str,
    name: &'static str,
    form: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = crate::components::field_id(form, name);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows="5"
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            ></textarea>
            <FieldMessage id=error_id error />
        </div>
    }
}

#[component]
fn OpenCaseForm(ws: i64, action: ServerAction<OpenCase>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    const FIELDS: [&str; 5] = [
        "title",
        "description",
        "severity",
        "product_area",
        "contact_method",
    ];
    view! {
        <section aria-labelledby="open-heading" class="card">
            <h2 id="open-heading">"Open a case"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="workspace_id" value=ws.to_string() />
                <TextField label="Title" name="title" form="open" required=true error=field("title") />
                <TextArea label="Description" name="description" form="open" required=true error=field("description") />
                <SelectField
                    label="Severity"
                    name="severity"
                    form="open"
                    options=severity_options(false)
                    selected="c"
                    error=field("severity")
                />
                <TextField label="Product or area" name="product_area" form="open" error=field("product_area") />
                <SelectField
                    label="Preferred contact method"
                    name="contact_method"
                    form="open"
                    options=ContactMethod::ALL
                        .into_iter()
                        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
                        .collect()
                    selected="email"
                    error=field("contact_method")
                />
                <button type="submit" class="primary">"Open the case"</button>
            </ActionForm>
        </section>
    }
}

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
    let detail = Resource::new(
        move || (id(), case_id(), actions.version()),
        |(ws, case, _)| case_detail(ws, case),
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
    let note_error = Signal::derive(move || actions.note.value().get().and_then(Result::err));
    let status_error = Signal::derive(move || actions.status.value().get().and_then(Result::err));
    let time_error = Signal::derive(move || actions.time.value().get().and_then(Result::err));
    let share_error = Signal::derive(move || actions.share.value().get().and_then(Result::err));
    let group_error =
        Signal::derive(move || actions.share_group.value().get().and_then(Result::err));
    let note_field = field_messages(note_error);
    let status_field = field_messages(status_error);
    let time_field = field_messages(time_error);
    let share_field = field_messages(share_error);
    let group_field = field_messages(group_error);
    let share_groups: Vec<(String, String)> = data
        .share_groups
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    // What the caller may set the status to: staff any; the opener closes or reopens.
    let choices: Vec<(String, String)> = if data.is_staff {
        status_options(false)
            .into_iter()
            .filter(|(v, _)| v != data.status.as_str())
            .collect()
    } else if data.is_opener {
        match data.status {
            CaseStatus::Closed | CaseStatus::Resolved => {
                vec![("new".to_owned(), "Reopen".to_owned())]
            }
            _ => vec![("closed".to_owned(), "Close".to_owned())],
        }
    } else {
        Vec::new()
    };
    let first_choice = choices.first().map(|(v, _)| v.clone()).unwrap_or_default();
    let hidden = move || {
        view! {
            <input type="hidden" name="workspace_id" value=ws.to_string() />
            <input type="hidden" name="case_id" value=case.to_string() />
        }
    };
    view! {
        <p class="breadcrumb">
            <A href=format!("/workspaces/{ws}")>{data.workspace_name.clone()}</A>
            " · "
            <A href=format!("/workspaces/{ws}/cases")>"Support cases"</A>
        </p>
        <h1>{format!("Case {}: {}", data.id, data.title)}</h1>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
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
            <dt>"Closed"</dt>
            <dd>{data.closed_at.map(format_date_time).unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>"Shared with"</dt>
            <dd>{if data.shared_with.is_empty() { "Nobody".to_owned() } else { data.shared_with.join(", ") }}</dd>
            <dt>"Shared with groups"</dt>
            <dd>{if data.shared_with_groups.is_empty() { "None".to_owned() } else { data.shared_with_groups.join(", ") }}</dd>
            <dt>"Time recorded"</dt>
            <dd>{format!("{} minutes", data.total_minutes)}</dd>
        </dl>
        <h2>"Description"</h2>
        <p class="pre">{data.description.clone()}</p>
        <h2 id="timeline-heading">"Timeline"</h2>
        {if data.events.is_empty() {
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
        }}
        <section aria-labelledby="note-heading" class="card">
            <h2 id="note-heading">"Add a note"</h2>
            <ErrorBanner message=Signal::derive(move || note_error.get().and_then(|e| banner_message(&e, &["body"]))) />
            <ActionForm action=actions.note attr:class="stack">
                {hidden()}
                <TextArea label="Note" name="body" form="note" required=true error=note_field("body") />
                <button type="submit">"Add the note"</button>
            </ActionForm>
        </section>
        {(!choices.is_empty()).then(|| view! {
            <section aria-labelledby="status-heading" class="card">
                <h2 id="status-heading">"Status"</h2>
                <ErrorBanner message=Signal::derive(move || status_error.get().and_then(|e| banner_message(&e, &["status"]))) />
                <ActionForm action=actions.status attr:class="stack">
                    {hidden()}
                    <SelectField label="New status" name="status" form="status" options=choices selected=first_choice error=status_field("status") />
                    <button type="submit">"Change the status"</button>
                </ActionForm>
            </section>
        })}
        {data.can_share.then(|| view! {
            <section aria-labelledby="share-heading" class="card">
                <h2 id="share-heading">"Share this case"</h2>
                <ErrorBanner message=Signal::derive(move || share_error.get().and_then(|e| banner_message(&e, &["email"]))) />
                <ActionForm action=actions.share attr:class="stack">
                    {hidden()}
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
                            {hidden()}
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
        })}
        {data.is_staff.then(|| view! {
            <section aria-labelledby="time-heading" class="card">
                <h2 id="time-heading">"Record time"</h2>
                <ErrorBanner message=Signal::derive(move || time_error.get().and_then(|e| banner_message(&e, &["minutes", "note"]))) />
                <ActionForm action=actions.time attr:class="stack">
                    {hidden()}
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
        })}
    }
}
