//! The Customer Activity page: a GET filter form (works without JavaScript), the figures, the
//! chart, the CSV link and, for the agreement's staff, the form recording a proactive service.

use crate::{
    accounts::pages::RequireUser,
    activity::{
        chart::MonthsChart, customer_activity, Activity, MonthCount, RecordDelivery,
        WorkspaceOption, ALL,
    },
    audit::{action_label, machine_time},
    components::{
        banner_message, count, field_messages, format_date_time, format_iso_date, format_month,
        plural, EmptyState, ErrorBanner, ErrorNotice, SelectField, TableBox, TextField,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

fn hours(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// What the case figures count: the cases opened in the range's whole months (the aggregates
/// are kept per month), by their current status and severity.
fn case_period(total: i64, months: &[MonthCount]) -> String {
    let cases = count(total, "case", "cases");
    match (months.first(), months.last()) {
        (Some(first), Some(last)) if first.month != last.month => format!(
            "{cases} opened from {} to {} (whole months), by their current status and severity.",
            format_month(&first.month),
            format_month(&last.month)
        ),
        (Some(only), _) => format!(
            "{cases} opened in {} (the whole month), by their current status and severity.",
            format_month(&only.month)
        ),
        _ => format!("{cases}."),
    }
}

fn query_string(workspace: &str, from: &str, to: &str) -> String {
    format!(
        "workspace={}&from={}&to={}",
        urlencoding::encode(workspace),
        urlencoding::encode(from),
        urlencoding::encode(to)
    )
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = use_query_map();
    // Recording a delivery refetches the figures (the page's address may not change).
    let record = ServerAction::<RecordDelivery>::new();
    let params = move || {
        let q = query.read();
        (
            q.get("workspace").unwrap_or_default(),
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    };
    let data = Resource::new(
        move || (params(), record.version().get()),
        |((w, f, t), _)| customer_activity(w, f, t),
    );
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading activity…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => view! { <ActivityView data record /> }.into_any(),
                            Err(error @ AppError::Validation(_)) => {
                                let (w, f, t) = params();
                                view! { <RangeError error workspace=w from=f to=t /> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

/// A bad date range: the filter again, with its messages.
#[component]
fn RangeError(error: AppError, workspace: String, from: String, to: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
    }
    let error = Signal::derive(move || Some(error.clone()));
    let field = field_messages(error);
    view! {
        <h1>"Customer Activity"</h1>
        <ErrorBanner message=Signal::derive(move || error.get().map(|e| e.to_string())) />
        <form method="get" action="/activity" class="search">
            <input type="hidden" name="workspace" value=workspace />
            <TextField label="From" name="from" input_type="date" value=from error=field("from") />
            <TextField label="To" name="to" input_type="date" value=to error=field("to") />
            <button type="submit">"Show"</button>
        </form>
    }
}

/// Each workspace as the page names it: "Default Workspace (Contoso, Premier)", so that with
/// "All Workspaces" every line says whose it is (each agreement has its own Default Workspace).
struct Names(HashMap<i64, String>);

impl Names {
    fn new(workspaces: &[WorkspaceOption]) -> Self {
        Self(
            workspaces
                .iter()
                .map(|w| {
                    let label = format!(
                        "{} ({}, {})",
                        w.name,
                        w.organization,
                        w.agreement_type.label()
                    );
                    (w.id, label)
                })
                .collect(),
        )
    }

    /// The workspace's label, or its bare name if the choice list does not hold it.
    fn of(&self, id: i64, name: &str) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| name.to_owned())
    }
}

#[component]
fn ActivityView(data: Activity, record: ServerAction<RecordDelivery>) -> impl IntoView {
    let no_error = || Signal::derive(|| None::<String>);
    let names = Names::new(&data.workspaces);
    let aggregated = data.selected == ALL;
    let mut options: Vec<(String, String)> = Vec::new();
    if data.can_aggregate {
        options.push((ALL.to_owned(), "All Workspaces".to_owned()));
    }
    options.extend(
        data.workspaces
            .iter()
            .map(|w| (w.id.to_string(), names.of(w.id, &w.name))),
    );
    let export = format!(
        "/activity/export.csv?{}",
        query_string(&data.selected, &data.from, &data.to)
    );
    let selected_id = data.selected.parse::<i64>().ok();
    let shown = match selected_id {
        Some(id) if !aggregated => names.of(id, &data.selected_name),
        _ => data.selected_name.clone(),
    };
    let chart_title = format!("Cases opened and closed per month, {shown}");
    let record = selected_id
        .filter(|_| data.can_record)
        .map(|id| view! { <RecordDeliveryForm workspace_id=id action=record /> });
    let total = data.total_cases();
    let agreements = plural(
        i64::try_from(data.agreements.len()).unwrap_or(0),
        "Agreement",
        "Agreements",
    );
    let these = if aggregated {
        "these workspaces"
    } else {
        "this workspace"
    };
    let query = use_query_map();
    let done = move || {
        query
            .read()
            .get("done")
            .filter(|d| d == "delivery")
            .map(|_| {
                view! {
                    <div class="banner banner-ok" role="status">
                        "The proactive service was recorded."
                    </div>
                }
            })
    };
    let benefits = if data.benefits.is_empty() {
        view! { <EmptyState text=format!("No benefits are assigned to {these}.") /> }.into_any()
    } else {
        let rows = data
            .benefits
            .into_iter()
            .map(|b| {
                let over = b.remaining < 0.0;
                view! {
                    <tr class:over=over>
                        <td>{names.of(b.workspace_id, &b.workspace)}</td>
                        <td>{b.kind.with_name(&b.name)}</td>
                        <td class="num">{hours(b.allotted)}</td>
                        <td class="num">{hours(b.used)}</td>
                        <td class="num">
                            {hours(b.remaining)}
                            {over.then(|| view! { <strong>" (over the allotment)"</strong> })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <TableBox label="Benefits">
                <table class="data" aria-labelledby="benefits-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Workspace"</th>
                            <th scope="col">"Benefit"</th>
                            <th scope="col" class="num">"Allotted"</th>
                            <th scope="col" class="num">"Used"</th>
                            <th scope="col" class="num">"Remaining"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
        }
        .into_any()
    };
    let deliveries = if data.deliveries.is_empty() {
        view! { <EmptyState text="No proactive services were delivered in this period." /> }
            .into_any()
    } else {
        let rows = data
            .deliveries
            .into_iter()
            .map(|d| {
                view! {
                    <tr>
                        <td>{format_iso_date(&d.delivered_on)}</td>
                        <td>{names.of(d.workspace_id, &d.workspace)}</td>
                        <td>{d.name}</td>
                        <td class="num">{d.credits}</td>
                        <td class="num">{hours(d.minutes as f64 / 60.0)}</td>
                        <td>{d.recorded_by}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <TableBox label="Proactive services delivered">
                <table class="data" aria-labelledby="deliveries-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Delivered on"</th>
                            <th scope="col">"Workspace"</th>
                            <th scope="col">"Service"</th>
                            <th scope="col" class="num">"Credits"</th>
                            <th scope="col" class="num">"Hours"</th>
                            <th scope="col">"Recorded by"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
        }
        .into_any()
    };
    let feed = if data.feed.is_empty() {
        view! {
            <EmptyState text=format!("There is no recent activity you can see in {these}.") />
        }
        .into_any()
    } else {
        let entries = data
            .feed
            .into_iter()
            .map(|f| {
                view! {
                    <li>
                        <time datetime=machine_time(f.at)>{format_date_time(f.at)}</time>
                        " — "
                        <strong title=f.action.clone()>{action_label(&f.action)}</strong>
                        {(!f.detail.is_empty()).then(|| format!(": {}", f.detail))}
                        <span class="hint">
                            {format!(" — by {}, in {}", f.who, names.of(f.workspace_id, &f.workspace))}
                        </span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="feed">{entries}</ol> }.into_any()
    };
    view! {
        <h1>"Customer Activity"</h1>
        {done}
        <p class="lead">
            {format!("{shown}, {} to {}", format_iso_date(&data.from), format_iso_date(&data.to))}
        </p>
        <form method="get" action="/activity" class="search" aria-label="Filter">
            <SelectField
                label="Workspace"
                name="workspace"
                options
                selected=data.selected.clone()
                error=no_error()
            />
            <TextField label="From" name="from" input_type="date" value=data.from.clone() error=no_error() />
            <TextField label="To" name="to" input_type="date" value=data.to.clone() error=no_error() />
            <button type="submit">"Show"</button>
        </form>
        <p><a href=export rel="external" download="customer-activity.csv">"Export to CSV"</a></p>

        <h2 id="agreement-heading">{agreements}</h2>
        <TableBox label=agreements>
            <table class="data" aria-labelledby="agreement-heading">
                <thead>
                    <tr>
                        <th scope="col">"Organization"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Term"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {data.agreements.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.organization}</td>
                            <td>{a.agreement_type.label()}</td>
                            <td>{format!("{} to {}", format_iso_date(&a.starts_on), format_iso_date(&a.ends_on))}</td>
                            <td>{a.status.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableBox>

        <h2 id="benefits-heading">"Benefits"</h2>
        {benefits}

        <h2>"Support cases"</h2>
        <p>{case_period(total, &data.months)}</p>
        <div class="columns">
            <TableBox label="Cases by status">
                <table class="data">
                    <caption>"Cases by status"</caption>
                    <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Cases"</th></tr></thead>
                    <tbody>
                        {data.by_status.into_iter().map(|c| view! {
                            <tr><th scope="row">{c.status.label()}</th><td class="num">{c.n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableBox>
            <TableBox label="Cases by severity">
                <table class="data">
                    <caption>"Cases by severity"</caption>
                    <thead><tr><th scope="col">"Severity"</th><th scope="col" class="num">"Cases"</th></tr></thead>
                    <tbody>
                        {data.by_severity.into_iter().map(|c| view! {
                            <tr><th scope="row">{c.severity.label()}</th><td class="num">{c.n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableBox>
        </div>
        <h3>"Cases opened and closed per month"</h3>
        <MonthsChart months=data.months title=chart_title />

        <h2 id="deliveries-heading">"Proactive services delivered"</h2>
        {deliveries}
        {record}

        <h2>"Users joined"</h2>
        <p>{format!("{} joined in this period.", count(data.users_joined, "user", "users"))}</p>

        <h2>"Recent activity"</h2>
        {feed}
    }
}

/// Staff (the agreement's CSAM or AC) record a proactive service delivered.
#[component]
fn RecordDeliveryForm(workspace_id: i64, action: ServerAction<RecordDelivery>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let banner = Signal::derive(move || {
        error
            .get()
            .and_then(|e| banner_message(&e, &["name", "delivered_on", "credits", "hours"]))
    });
    view! {
        <h3>"Record a proactive service"</h3>
        <ActionForm action attr:class="stack">
            <ErrorBanner message=banner />
            <input type="hidden" name="workspace_id" value=workspace_id />
            <TextField label="Service" name="name" form="delivery" required=true error=field("name") />
            <TextField
                label="Delivered on"
                name="delivered_on"
                form="delivery"
                input_type="date"
                required=true
                error=field("delivered_on")
            />
            <TextField
                label="Credits used"
                name="credits"
                form="delivery"
                input_type="number"
                required=true
                error=field("credits")
            />
            <TextField
                label="Hours delivered (optional)"
                name="hours"
                form="delivery"
                hint="For a service measured in hours, for example 1.5."
                error=field("hours")
            />
            <button type="submit" class="primary">"Record the service"</button>
        </ActionForm>
    }
}
