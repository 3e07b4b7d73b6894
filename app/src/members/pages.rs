//! "Manage Users": the table, its search, sort and pages (plain links and a GET form, so it works
//! before hydration), the invite form and the row actions (forms that post).

use crate::{
    accounts::pages::RequireUser,
    components::workspace_id_param,
    components::{banner_message, field_messages, format_date, ErrorBanner, ErrorNotice},
    invitations::{InviteUsers, ResendInvitation, RevokeInvitation},
    members::{
        list_users, RemoveMember, RowKind, SetSupportContact, SetViewAllCases, SetWorkspaceAdmin,
        SortKey, UserPage, UserRow,
    },
    workspaces::SetPersonalPolicy,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

/// The actions of the page; any of them changing refetches the table.
#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<InviteUsers>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    contact: ServerAction<SetSupportContact>,
    admin: ServerAction<SetWorkspaceAdmin>,
    remove: ServerAction<RemoveMember>,
    view_all: ServerAction<SetViewAllCases>,
    policy: ServerAction<SetPersonalPolicy>,
}

impl Actions {
    fn new() -> Self {
        Self {
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            revoke: ServerAction::new(),
            contact: ServerAction::new(),
            admin: ServerAction::new(),
            remove: ServerAction::new(),
            view_all: ServerAction::new(),
            policy: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.invite.version().get()
            + self.resend.version().get()
            + self.revoke.version().get()
            + self.contact.version().get()
            + self.admin.version().get()
            + self.remove.version().get()
            + self.view_all.version().get()
            + self.policy.version().get()
    }

    /// The last error of a row action, for the banner above the table.
    fn row_error(&self) -> Option<String> {
        let err = |e: Option<Result<(), crate::error::AppError>>| {
            e.and_then(Result::err).map(|e| e.to_string())
        };
        err(self.contact.value().get())
            .or_else(|| err(self.admin.value().get()))
            .or_else(|| err(self.remove.value().get()))
            .or_else(|| err(self.view_all.value().get()))
            .or_else(|| err(self.resend.value().get()))
            .or_else(|| err(self.revoke.value().get()))
            .or_else(|| err(self.policy.value().get()))
    }
}

#[component]
pub fn ManageUsersPage() -> impl IntoView {
    let id = workspace_id_param();
    let query = use_query_map();
    let actions = Actions::new();
    let params = move || {
        let q = query.read();
        (
            id(),
            q.get("q").unwrap_or_default(),
            q.get("sort").unwrap_or_else(|| "name".to_owned()),
            q.get("desc").is_some_and(|d| d == "1"),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1),
            actions.version(),
        )
    };
    let page = Resource::new(params, |(id, q, sort, desc, page, _)| {
        list_users(id, q, sort, desc, page)
    });
    let done = move || query.read().get("done");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading users…"</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(data) => view! { <UsersView data actions done=done() /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn UsersView(data: UserPage, actions: Actions, done: Option<String>) -> impl IntoView {
    let ws = data.workspace_id;
    let notice = done.map(|d| match d.as_str() {
        "resent" => "The invitation was sent again; the earlier link no longer works.",
        "revoked" => "The invitation was revoked.",
        "removed" => "The member was removed from this workspace.",
        "invited" => "The invitations were sent.",
        _ => "Your change was saved.",
    });
    let name = data.workspace_name.clone();
    let agreement = data.agreement_type.label();
    let (allow, in_use, limit) = (
        data.allow_personal,
        data.contacts_in_use,
        data.contact_limit,
    );
    let for_search = data.clone();
    view! {
        <p class="breadcrumb">
            <A href=format!("/workspaces/{ws}")>{name}</A>
            " · Contract"
        </p>
        <h1>"Manage Users"</h1>
        {notice.map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <ErrorBanner message=Signal::derive(move || actions.row_error()) />
        <p class="hint">
            {format!("Support contacts: {in_use} of {limit} in use (pending invitations count).")}
        </p>
        <InviteForm ws actions />
        <UploadForm ws />
        <PolicyForm ws allow agreement actions />
        <h2 id="users-heading">"Members and invitations"</h2>
        <SearchForm data=for_search />
        <UsersTable data actions />
    }
}

#[component]
fn InviteForm(ws: i64, actions: Actions) -> impl IntoView {
    let action = actions.invite;
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let report = move || action.value().get().and_then(Result::ok);
    view! {
        <section aria-labelledby="invite-heading" class="card">
            <h2 id="invite-heading">"Invite users"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["emails", "role"]))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="workspace_id" value=ws.to_string() />
                <div class="field">
                    <label for="field-emails">"Email addresses"</label>
                    <textarea
                        id="field-emails"
                        name="emails"
                        rows="3"
                        aria-describedby="emails-hint"
                        required
                    ></textarea>
                    <p class="hint" id="emails-hint">
                        "One or more addresses, separated by commas or on separate lines. Each person gets an invitation for this workspace only."
                    </p>
                    {move || {
                        field("emails")
                            .get()
                            .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
                    }}
                </div>
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        <option value="member" selected>"Service User"</option>
                        <option value="workspace_admin">"Workspace Administrator"</option>
                    </select>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="field-support_contact" name="support_contact" value="on" />
                    <label for="field-support_contact">"Support Contact (may open support cases)"</label>
                </div>
                <button type="submit" class="primary">"Invite"</button>
            </ActionForm>
            {move || report().map(|r| view! { <ReportTable report=r /> })}
        </section>
    }
}

/// The per-line outcome of an invitation by list or by file.
#[component]
pub fn ReportTable(report: crate::invitations::InviteReport) -> impl IntoView {
    let summary = if report.dry_run {
        let n = report.lines.iter().filter(|l| l.outcome.is_ok()).count();
        format!(
            "Dry run: {n} of {} lines would be invited. Nothing was sent.",
            report.lines.len()
        )
    } else {
        match report.invited {
            1 => "1 invitation sent.".to_owned(),
            n => format!("{n} invitations sent."),
        }
    };
    view! {
        <div role="status" class="banner banner-ok">{summary}</div>
        <table class="data report">
            <caption class="visually-hidden">"Invitation report"</caption>
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Result"</th>
                </tr>
            </thead>
            <tbody>
                {report
                    .lines
                    .into_iter()
                    .map(|l| {
                        let class = if l.outcome.is_ok() { "ok" } else { "refused" };
                        view! {
                            <tr class=class>
                                <td>{l.line}</td>
                                <td>{l.email}</td>
                                <td>{l.outcome.label()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The comma-delimited file: a plain multipart form (it works before hydration too); with
/// JavaScript a progress bar shows while the file uploads and is checked.
#[component]
fn UploadForm(ws: i64) -> impl IntoView {
    let query = use_query_map();
    let problem = query
        .read_untracked()
        .get("import_error")
        .and_then(|code| crate::invitations::bulk::problem_message(&code));
    let uploading = RwSignal::new(false);
    view! {
        <section aria-labelledby="upload-heading" class="card">
            <h2 id="upload-heading">"Invite from a file"</h2>
            <p class="hint" id="file-hint">
                "A comma-delimited file (CSV, UTF-8): one email address per line, optionally a name and Support Contact (yes or no) in the next columns; a header line is allowed. Up to 10,000 lines and 1 MiB. You see a dry run before anything is sent."
            </p>
            <form
                method="post"
                enctype="multipart/form-data"
                action=format!("/workspaces/{ws}/users/import")
                class="stack"
                on:submit=move |_| uploading.set(true)
            >
                <div class="field">
                    <label for="field-file">"Comma-delimited file"</label>
                    <input
                        id="field-file"
                        type="file"
                        name="file"
                        accept=".csv,text/csv,text/plain"
                        required
                        aria-describedby="file-hint"
                        aria-invalid=problem.is_some().then_some("true")
                    />
                    {problem.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <button type="submit">"Check the file (dry run)"</button>
                {move || {
                    uploading
                        .get()
                        .then(|| {
                            view! {
                                <progress aria-label="Uploading and checking the file"></progress>
                                <span role="status">"Uploading and checking the file…"</span>
                            }
                        })
                }}
            </form>
        </section>
    }
}

#[component]
fn PolicyForm(ws: i64, allow: bool, agreement: &'static str, actions: Actions) -> impl IntoView {
    let (state, button, value) = if allow {
        (
            "Personal accounts are allowed in this workspace.",
            "Refuse personal accounts",
            "no",
        )
    } else {
        (
            "Personal accounts are not allowed in this workspace.",
            "Allow personal accounts",
            "yes",
        )
    };
    view! {
        <section aria-labelledby="policy-heading" class="card">
            <h2 id="policy-heading">"Account kinds"</h2>
            <p>
                {state} " "
                {format!(
                    "({agreement} agreement: Premier workspaces accept work or school and personal accounts; Unified workspaces accept only work or school accounts unless you allow personal ones.)"
                )}
            </p>
            <ActionForm action=actions.policy attr:class="inline">
                <input type="hidden" name="workspace_id" value=ws.to_string() />
                <input type="hidden" name="allow" value=value />
                <button type="submit">{button}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SearchForm(data: UserPage) -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let sort = query
        .read_untracked()
        .get("sort")
        .unwrap_or_else(|| "name".to_owned());
    let desc = query.read_untracked().get("desc").unwrap_or_default();
    view! {
        <form method="get" class="search" role="search">
            <label for="field-q">"Search users"</label>
            <input id="field-q" type="search" name="q" value=q />
            <input type="hidden" name="sort" value=sort />
            <input type="hidden" name="desc" value=desc />
            <button type="submit">"Search"</button>
            <span class="hint">{format!("{} in all", data.total)}</span>
        </form>
    }
}

fn page_link(ws: i64, q: &str, sort: &str, desc: bool, page: i64) -> String {
    format!(
        "/workspaces/{ws}/users?q={}&sort={sort}&desc={}&page={page}",
        urlencoding::encode(q),
        if desc { "1" } else { "0" }
    )
}

#[component]
fn UsersTable(data: UserPage, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let sort = SortKey::parse(&query.read_untracked().get("sort").unwrap_or_default());
    let desc = query.read_untracked().get("desc").is_some_and(|d| d == "1");
    let ws = data.workspace_id;
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let header = |key: SortKey| {
        let active = key == sort;
        let next_desc = active && !desc;
        let aria = if active {
            if desc {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        let href = page_link(ws, &q, key.as_str(), next_desc, 1);
        view! {
            <th scope="col" aria-sort=aria>
                <a href=href>{key.label()}</a>
            </th>
        }
    };
    view! {
        <div class="table-scroll">
        <table class="data users" aria-labelledby="users-heading">
            <thead>
                <tr>
                    {header(SortKey::Name)}
                    {header(SortKey::Email)}
                    <th scope="col">"Account kind"</th>
                    <th scope="col">"Roles"</th>
                    <th scope="col">"Support Contact"</th>
                    {header(SortKey::Status)}
                    {header(SortKey::InvitedOn)}
                    {header(SortKey::LastSignIn)}
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {data
                    .rows
                    .into_iter()
                    .map(|row| view! { <UserRowView row ws actions /> })
                    .collect_view()}
            </tbody>
        </table>
        </div>
        <nav aria-label="Pages" class="pager">
            {(data.page > 1)
                .then(|| {
                    view! {
                        <a href=page_link(ws, &q, sort.as_str(), desc, data.page - 1)>"Previous page"</a>
                    }
                })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {(data.page < last_page)
                .then(|| {
                    view! {
                        <a href=page_link(ws, &q, sort.as_str(), desc, data.page + 1)>"Next page"</a>
                    }
                })}
        </nav>
    }
}

/// A row action: a small form posting hidden fields, with a button whose accessible name says
/// which person it acts on. (A macro: `ActionForm`'s bounds are long to spell out generically.)
macro_rules! row_form {
    ($action:expr, $fields:expr, $text:expr, $who:expr $(,)?) => {{
        let fields: Vec<(&'static str, String)> = $fields;
        let who: String = $who;
        view! {
            <ActionForm action=$action attr:class="inline">
                {fields
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button type="submit" class="small">
                    {$text}
                    <span class="visually-hidden">{format!(" for {who}")}</span>
                </button>
            </ActionForm>
        }
    }};
}

#[component]
fn UserRowView(row: UserRow, ws: i64, actions: Actions) -> impl IntoView {
    let id = row.id.to_string();
    let ws_s = ws.to_string();
    let who = row.email.clone();
    let is_member = row.kind == RowKind::Member;
    let contact = if row.support_contact { "On" } else { "Off" };
    let contact_toggle = is_member.then(|| {
        let (text, on) = if row.support_contact {
            ("Turn Off", "off")
        } else {
            ("Turn On", "on")
        };
        row_form!(
            actions.contact,
            vec![
                ("workspace_id", ws_s.clone()),
                ("membership_id", id.clone()),
                ("on", on.to_owned()),
            ],
            text,
            format!("Support Contact of {who}"),
        )
    });
    let view_all_toggle = is_member.then(|| {
        let (state, text, on) = if row.view_all_cases {
            ("Views all support requests", "Turn Off", "off")
        } else {
            ("Sees own and shared cases", "View all", "on")
        };
        view! {
            <br />
            <span class="hint">{state}</span>
            " "
            {row_form!(
                actions.view_all,
                vec![
                    ("workspace_id", ws_s.clone()),
                    ("membership_id", id.clone()),
                    ("on", on.to_owned()),
                ],
                text,
                format!("support requests of {who}"),
            )}
        }
    });
    let row_actions = if is_member {
        let (admin_text, admin_on) = if row.is_workspace_admin {
            ("Unmake Workspace Administrator", "off")
        } else {
            ("Make Workspace Administrator", "on")
        };
        view! {
            {row_form!(
                actions.admin,
                vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone()), ("on", admin_on.to_owned())],
                admin_text,
                who.clone(),
            )}
            {row_form!(
                actions.remove,
                vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone())],
                "Remove",
                who.clone(),
            )}
        }
            .into_any()
    } else {
        let open = matches!(
            row.status,
            crate::members::UserStatus::Invited | crate::members::UserStatus::Expired
        );
        open.then(|| {
            view! {
                {row_form!(
                    actions.resend,
                    vec![("workspace_id", ws_s.clone()), ("invitation_id", id.clone())],
                    "Resend",
                    who.clone(),
                )}
                {row_form!(
                    actions.revoke,
                    vec![("workspace_id", ws_s.clone()), ("invitation_id", id.clone())],
                    "Revoke",
                    who.clone(),
                )}
            }
        })
        .into_any()
    };
    view! {
        <tr>
            <td>{if row.name.is_empty() { "—".to_owned() } else { row.name.clone() }}</td>
            <td>{row.email.clone()}</td>
            <td>{row.account_kind.map(|k| k.label()).unwrap_or("—")}</td>
            <td>
                {row.roles.join(", ")}
                {view_all_toggle}
            </td>
            <td>
                <span class=if row.support_contact { "pill on" } else { "pill" }>{contact}</span>
                {contact_toggle}
            </td>
            <td>{row.status.label()}</td>
            <td>{format_date(row.invited_on)}</td>
            <td>{format_date(row.last_sign_in)}</td>
            <td class="row-actions">{row_actions}</td>
        </tr>
    }
}
