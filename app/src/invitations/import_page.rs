//! The uploaded file's report: the dry run first, then "Send" sends the valid lines at once.

use crate::{
    accounts::pages::RequireUser,
    components::workspace_id_param,
    components::{count, Breadcrumbs, ErrorBanner, ErrorNotice, TableBox},
    invitations::{check_bulk_file, BulkReport, SendBulkInvitations},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn BulkImportPage() -> impl IntoView {
    let id = workspace_id_param();
    let params = use_params_map();
    let import = move || {
        params
            .read()
            .get("import")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let report = Resource::new(
        move || (id(), import()),
        |(ws, import)| check_bulk_file(ws, import),
    );
    let commit = ServerAction::<SendBulkInvitations>::new();
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Breadcrumbs
                    trail=vec![("Manage Users".to_owned(), format!("/workspaces/{}/users", id()))]
                    here="Invite from a file"
                />
                <h1>"Invite from a file"</h1>
                <Suspense fallback=|| view! { <p>"Checking the file…"</p> }>
                    {move || Suspend::new(async move {
                        match report.await {
                            Ok(report) => view! { <ReportView ws=id() report commit /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </RequireUser>
    }
}

#[component]
fn ReportView(
    ws: i64,
    report: BulkReport,
    commit: ServerAction<SendBulkInvitations>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        commit
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.field_message("file").unwrap_or_else(|| e.to_string()))
    });
    let hidden = report.problems.len() < report.lines - report.will_invite;
    let refused = report.lines - report.will_invite;
    let will_invite = i64::try_from(report.will_invite).unwrap_or(i64::MAX);
    let lines = i64::try_from(report.lines).unwrap_or(i64::MAX);
    // Green only when every line can be invited; otherwise a warning that asks to read the
    // lines below before sending.
    let (class, summary) = if refused == 0 {
        (
            "banner banner-ok",
            format!(
                "Dry run: all {} can be invited. Nothing has been sent yet.",
                count(lines, "line", "lines")
            ),
        )
    } else {
        (
            "banner banner-warn",
            format!(
                "Dry run: {will_invite} of {} can be invited; {} cannot (listed below). Nothing has been sent yet.",
                count(lines, "line", "lines"),
                refused
            ),
        )
    };
    let send = if will_invite == 1 {
        "Send 1 invitation".to_owned()
    } else {
        format!("Send {will_invite} invitations")
    };
    view! {
        <p role="status" class=class>{summary}</p>
        <ErrorBanner message=error />
        <TableBox label="Summary of the file">
        <table class="data">
            <caption>"Summary"</caption>
            <thead>
                <tr>
                    <th scope="col">"Result"</th>
                    <th scope="col" class="num">"Lines"</th>
                </tr>
            </thead>
            <tbody>
                {report
                    .counts
                    .iter()
                    .map(|(label, n)| view! { <tr><td>{label.clone()}</td><td class="num">{*n}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
        </TableBox>
        {(!report.problems.is_empty())
            .then(|| {
                view! {
                    <TableBox label="Lines that will not be invited">
                    <table class="data report">
                        <caption>"Lines that will not be invited"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Line"</th>
                                <th scope="col">"Email"</th>
                                <th scope="col">"Result"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {report
                                .problems
                                .into_iter()
                                .map(|l| {
                                    view! {
                                        <tr>
                                            <td>{l.line}</td>
                                            <td>{l.email}</td>
                                            <td>{l.outcome.label()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    </TableBox>
                }
            })}
        {hidden.then(|| view! { <p class="hint">"Only the first 1,000 such lines are listed."</p> })}
        // "Send" comes after the report it acts on.
        {(report.will_invite > 0)
            .then(|| {
                view! {
                    <ActionForm action=commit attr:class="stack">
                        <input type="hidden" name="workspace_id" value=ws.to_string() />
                        <input type="hidden" name="import_id" value=report.import_id.to_string() />
                        <button type="submit" class="primary" disabled=move || commit.pending().get()>
                            {send.clone()}
                        </button>
                        {move || {
                            commit
                                .pending()
                                .get()
                                .then(|| {
                                    view! {
                                        <progress aria-label="Sending invitations"></progress>
                                        <span role="status">"Sending…"</span>
                                    }
                                })
                        }}
                    </ActionForm>
                }
            })}
        <p><A href=format!("/workspaces/{ws}/users")>"Cancel and go back to Manage Users"</A></p>
    }
}
