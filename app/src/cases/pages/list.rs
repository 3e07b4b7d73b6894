//! The case list: filters as a GET form, plain page links, and the "Open a case" form for
//! support contacts.

use crate::{
    accounts::pages::RequireUser,
    cases::{list_cases, CaseList, CaseRow, CaseSort, ContactMethod, OpenCase},
    components::workspace_id_param,
    components::{
        banner_message, count, field_messages, format_date, Breadcrumbs, EmptyState, ErrorBanner,
        ErrorNotice, SelectField, TableBox, TextField,
    },
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use super::{no_error, severity_options, status_options, TextArea};

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
    // A case opened or changed by someone else fetches the list again (events::client).
    let live = crate::events::client::live_updates(move || {
        crate::events::Topic::parse(&format!("cases:{}", id()))
    });
    let list = Resource::new(
        move || (params(), live.get()),
        |((id, status, severity, mine, q, page, sort), _)| {
            list_cases(id, status, severity, mine, q, page, sort)
        },
    );
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
    // The form opens from "New support request" (`?new=1`, so it works without JavaScript)
    // and stays open while its last attempt was refused.
    let form_open = move || {
        query.read().get("new").is_some_and(|v| v == "1")
            || open.value().get().is_some_and(|r| r.is_err())
    };
    let filtered = !filters.q.is_empty()
        || !filters.status.is_empty()
        || !filters.severity.is_empty()
        || filters.mine;
    let opening = if data.can_open {
        view! {
            {move || {
                if form_open() {
                    view! { <OpenCaseForm ws action=open /> }.into_any()
                } else {
                    view! {
                        <div class="page-actions">
                            <A href=format!("/workspaces/{ws}/cases?new=1#open-heading") attr:class="button primary">
                                "New support request"
                            </A>
                        </div>
                    }
                        .into_any()
                }
            }}
        }
            .into_any()
    } else if data.can_manage_members {
        // An administrator is not sent to ask an administrator: they can do it themselves.
        view! {
            <p class="hint">
                "Only support contacts open support cases. You are not one in this workspace, but as its administrator you can turn Support Contact on for yourself in "
                <A href=format!("/workspaces/{ws}/users")>"Manage Users"</A> "."
            </p>
        }
            .into_any()
    } else {
        view! {
            <p class="hint">
                "Only support contacts open support cases. To become one, ask a Workspace Administrator or a Services Administrator of this workspace."
            </p>
        }
            .into_any()
    };
    view! {
        <Breadcrumbs
            trail=vec![(data.workspace_name.clone(), format!("/workspaces/{ws}"))]
            here="Support cases"
        />
        <h1>"Support cases"</h1>
        {opening}
        <h2 id="cases-heading">"Cases you can see"</h2>
        {filter_form(filters, data.total)}
        {cases_table(ws, data.rows, filtered)}
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
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
            <h2 id="open-heading">"New support request"</h2>
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
                <div class="page-actions">
                    <button type="submit" class="primary">"Open the case"</button>
                    <A href=format!("/workspaces/{ws}/cases") attr:class="button secondary">"Cancel"</A>
                </div>
            </ActionForm>
        </section>
    }
}

/// The list's filters, a GET form: the page's query string is the filter.
fn filter_form(filters: ListQuery, total: i64) -> impl IntoView {
    let ListQuery {
        status,
        severity,
        mine,
        q,
        sort,
    } = filters;
    view! {
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
            <span class="hint">{format!("{} in all", count(total, "case", "cases"))}</span>
        </form>
    }
}

fn cases_table(ws: i64, rows: Vec<CaseRow>, filtered: bool) -> AnyView {
    if rows.is_empty() {
        let text = if filtered {
            "No case you can see matches these filters. Clear a filter to see more."
        } else {
            "There are no support cases you can see in this workspace yet."
        };
        view! { <EmptyState text /> }.into_any()
    } else {
        view! {
            <TableBox label="Support cases">
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
                    {rows
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
            </TableBox>
        }
            .into_any()
    }
}
