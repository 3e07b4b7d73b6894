//! The Customer Activity page: a GET filter form (works without JavaScript), the figures, the
//! chart, the CSV link and, for the agreement's staff, the form recording a proactive service.

use crate::{
    accounts::pages::RequireUser,
    activity::{chart::MonthsChart, customer_activity, Activity, RecordDelivery, ALL},
    components::{
        banner_message, field_messages, format_date_time, ErrorBanner, ErrorNotice, SelectField,
        TextField,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

fn hours(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// What the case figures count: the cases opened in the range's whole months (the aggregates
/// are kept per month), by their current status and severity.
fn case_period(total: i64, months: &[crate::activity::MonthCount]) -> String {
    match (months.first(), months.last()) {
        (Some(first), Some(last)) if first.month != last.month => format!(
            "{total} cases opened from {} to {} (whole months), by their current status and severity.",
            first.month, last.month
        ),
        (Some(only), _) => format!(
            "{total} cases opened in {} (the whole month), by their current status and severity.",
            only.month
        ),
        _ => format!("{total} cases."),
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

#[component]
fn ActivityView(data: Activity, record: ServerAction<RecordDelivery>) -> impl IntoView {
    let no_error = || Signal::derive(|| None::<String>);
    let mut options: Vec<(String, String)> = Vec::new();
    if data.can_aggregate {
        options.push((ALL.to_owned(), "All Workspaces".to_owned()));
    }
    options.extend(
        data.workspaces
            .iter()
            .map(|w| (w.id.to_string(), format!("{} ({})", w.name, w.organization))),
    );
    let export = format!(
        "/activity/export.csv?{}",
        query_string(&data.selected, &data.from, &data.to)
    );
    let name = data.selected_name.clone();
    let back = data.selected.parse::<i64>().ok().map(|id| {
        view! {
            <p class="breadcrumb">
                <A href=format!("/workspaces/{id}")>{name}</A>
            </p>
        }
    });
    let chart_title = format!("Cases opened and closed per month, {}", data.selected_name);
    let record = data
        .selected
        .parse::<i64>()
        .ok()
        .filter(|_| data.can_record)
        .map(|id| view! { <RecordDeliveryForm workspace_id=id action=record /> });
    let total = data.total_cases();
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
    view! {
        {back}
        <h1>"Customer Activity"</h1>
        {done}
        <p class="lead">{format!("{}, {} to {}", data.selected_name, data.from, data.to)}</p>
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

        <h2 id="agreement-heading">"Agreement"</h2>
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
                        <td>{format!("{} to {}", a.starts_on, a.ends_on)}</td>
                        <td>{a.status.label()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>

        <h2 id="benefits-heading">"Benefits"</h2>
        {if data.benefits.is_empty() {
            view! { <p>"No benefits are assigned to this workspace."</p> }.into_any()
        } else {
            view! {
                <table class="data" aria-labelledby="benefits-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Workspace"</th>
                            <th scope="col">"Benefit"</th>
                            <th scope="col">"Allotted"</th>
                            <th scope="col">"Used"</th>
                            <th scope="col">"Remaining"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.benefits.into_iter().map(|b| {
                            let over = b.remaining < 0.0;
                            view! {
                                <tr class:over=over>
                                    <td>{b.workspace}</td>
                                    <td>{format!("{} ({})", b.name, b.kind.label())}</td>
                                    <td>{hours(b.allotted)}</td>
                                    <td>{hours(b.used)}</td>
                                    <td>
                                        {hours(b.remaining)}
                                        {over.then(|| view! { <strong>" (over the allotment)"</strong> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}

        <h2>"Support cases"</h2>
        <p>{case_period(total, &data.months)}</p>
        <div class="columns">
            <table class="data">
                <caption>"Cases by status"</caption>
                <thead><tr><th scope="col">"Status"</th><th scope="col">"Cases"</th></tr></thead>
                <tbody>
                    {data.by_status.into_iter().map(|c| view! {
                        <tr><th scope="row">{c.status.label()}</th><td>{c.n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <table class="data">
                <caption>"Cases by severity"</caption>
                <thead><tr><th scope="col">"Severity"</th><th scope="col">"Cases"</th></tr></thead>
                <tbody>
                    {data.by_severity.into_iter().map(|c| view! {
                        <tr><th scope="row">{c.severity.label()}</th><td>{c.n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h3>"Cases opened and closed per month"</h3>
        <MonthsChart months=data.months title=chart_title />

        <h2 id="deliveries-heading">"Proactive services delivered"</h2>
        {if data.deliveries.is_empty() {
            view! { <p>"None in this period."</p> }.into_any()
        } else {
            view! {
                <table class="data" aria-labelledby="deliveries-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Delivered on"</th>
                            <th scope="col">"Workspace"</th>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Credits"</th>
                            <th scope="col">"Hours"</th>
                            <th scope="col">"Recorded by"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.deliveries.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.delivered_on}</td>
                                <td>{d.workspace}</td>
                                <td>{d.name}</td>
                                <td>{d.credits}</td>
                                <td>{hours(d.minutes as f64 / 60.0)}</td>
                                <td>{d.recorded_by}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {record}

        <h2>"Users joined"</h2>
        <p>{format!("{} users joined in this period.", data.users_joined)}</p>

        <h2>"Recent activity"</h2>
        {if data.feed.is_empty() {
            view! { <p>"Nothing yet."</p> }.into_any()
        } else {
            view! {
                <ol class="feed">
                    {data.feed.into_iter().map(|f| view! {
                        <li>
                            <time>{format_date_time(f.at)}</time>
                            " — " {f.workspace} ": " {f.who} " — " {f.detail}
                            <span class="hint">{format!(" ({})", f.action)}</span>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
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
            <button type="submit">"Record the service"</button>
        </ActionForm>
    }
}
