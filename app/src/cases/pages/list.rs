//! The case list: filters as a GET form, plain page links, and the "Open a case" form for
//! support contacts.

use crate::{
    accounts::pages::RequireUser,
    cases::{list_cases, CaseList, CaseRow, CaseSort, ContactMethod, OpenCase},
    components::workspace_id_param,
    components::{
        banner_message, field_messages, format_date, ErrorBanner, ErrorNotice, SelectField,
        TextField,
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
        {filter_form(filters, data.total)}
        {cases_table(ws, data.rows)}
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
            <span class="hint">{format!("{total} in all")}</span>
        </form>
    }
}

fn cases_table(ws: i64, rows: Vec<CaseRow>) -> AnyView {
    if rows.is_empty() {
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
        }
            .into_any()
    }
}
