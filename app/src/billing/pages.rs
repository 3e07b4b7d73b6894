//! An invoice's page (Global and Billing Administrators): its facts, its lines, the total and
//! the PDF download. It only reads, so it is whole before hydration.

use crate::{
    accounts::pages::RequireUser,
    billing::{invoice, InvoiceView},
    components::{format_date, Breadcrumbs, ErrorNotice, TableBox},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    // 0, which matches nothing, when the address holds no number.
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, invoice);
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the invoice…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => view! { <InvoiceDetail data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn InvoiceDetail(data: InvoiceView) -> impl IntoView {
    let number = data.number.clone();
    let (file, caption) = (
        format!("{number}.pdf"),
        format!("What invoice {number} bills"),
    );
    let pdf = format!("/invoices/{}/pdf", data.id);
    let void = data.status == "Void";
    let rows = data
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line.kind_label}</td>
                    <td>{line.description}</td>
                    <td class="num">{line.quantity}</td>
                    <td class="num">{line.unit_price_label}</td>
                    <td class="num">{line.amount_label}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Breadcrumbs
            trail=vec![
                ("Services".to_owned(), "/services".to_owned()),
                (data.service_name.clone(), format!("/services/{}", data.service_id)),
            ]
            here=format!("Invoice {number}")
        />
        <h1>{format!("Invoice {number}")}</h1>
        {void
            .then(|| {
                view! {
                    <div class="banner banner-error" role="status">
                        "This invoice is void: it was cancelled and is not to be paid."
                    </div>
                }
            })}
        <dl class="facts">
            <dt>"Issued"</dt>
            <dd>{format_date(Some(data.issued_at))}</dd>
            <dt>"Bill to"</dt>
            <dd>{data.bill_to}</dd>
            <dt>"Status"</dt>
            <dd>{data.status}</dd>
            <dt>"Subscription"</dt>
            <dd>{format!("{} ({})", data.offer_name, data.service_name)}</dd>
        </dl>
        <TableBox label=format!("Lines of invoice {number}")>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"What happened"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="num">"Quantity"</th>
                        <th scope="col" class="num">"Unit price"</th>
                        <th scope="col" class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="4">"Total"</th>
                        <td class="num"><strong>{data.total_label}</strong></td>
                    </tr>
                </tfoot>
            </table>
        </TableBox>
        <p>
            <a
                href=pdf
                rel="external"
                download=file
            >
                "Download PDF"
            </a>
        </p>
    }
}
