//! Inviting: the typed list, the uploaded file, and the report of what each line became.

use crate::components::{banner_message, count, field_messages, ErrorBanner, TableBox};
use leptos::{html, prelude::*};
use leptos_router::hooks::use_query_map;

use super::Actions;

#[component]
pub(super) fn InviteForm(ws: i64, actions: Actions) -> impl IntoView {
    let action = actions.invite;
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let report = move || action.value().get().and_then(Result::ok);
    // With JavaScript the page stays: once the invitations are sent the box empties, ready for
    // the next ones (without it, the page is loaded afresh anyway).
    let emails = NodeRef::<html::Textarea>::new();
    Effect::new(move || {
        if let (Some(Ok(_)), Some(area)) = (action.value().get(), emails.get_untracked()) {
            area.set_value("");
        }
    });
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
                        node_ref=emails
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
    let total = i64::try_from(report.lines.len()).unwrap_or(i64::MAX);
    let good = i64::try_from(report.lines.iter().filter(|l| l.outcome.is_ok()).count())
        .unwrap_or(i64::MAX);
    let refused = total - good;
    let summary = if report.dry_run {
        format!(
            "Dry run: {good} of {} would be invited. Nothing was sent.",
            count(total, "line", "lines")
        )
    } else {
        format!(
            "{} sent.",
            count(
                i64::try_from(report.invited).unwrap_or(i64::MAX),
                "invitation",
                "invitations"
            )
        )
    };
    let summary = if refused > 0 {
        format!(
            "{summary} {} cannot be invited: see the Result column.",
            count(refused, "line", "lines")
        )
    } else {
        summary
    };
    // Green only when every line went through; otherwise a warning that asks to read on.
    let class = if refused > 0 {
        "banner banner-warn"
    } else {
        "banner banner-ok"
    };
    view! {
        <div role="status" class=class>{summary}</div>
        <TableBox label="Invitation report">
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
        </TableBox>
    }
}

/// The comma-delimited file: a plain multipart form (it works before hydration too); with
/// JavaScript a progress bar shows while the file uploads and is checked.
#[component]
pub(super) fn UploadForm(ws: i64) -> impl IntoView {
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
