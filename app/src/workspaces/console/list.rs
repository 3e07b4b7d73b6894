//! The console's list of agreements: one row each, linking to the agreement's page.

use crate::{
    components::{count, format_iso_date, EmptyState, TableBox},
    workspaces::ConsoleAgreement,
};
use leptos::prelude::*;
use leptos_router::components::A;

/// The name of an agreement on every staff page: "Contoso — Premier agreement #1".
pub(super) fn agreement_title(
    organization: &str,
    agreement_type: crate::workspaces::AgreementType,
    id: i64,
) -> String {
    format!(
        "{organization} — {} agreement #{id}",
        agreement_type.label()
    )
}

/// An agreement's term for people: "1 Dec 2026 to 30 Nov 2027".
pub(super) fn term(starts_on: &str, ends_on: &str) -> String {
    format!(
        "{} to {}",
        format_iso_date(starts_on),
        format_iso_date(ends_on)
    )
}

#[component]
pub(super) fn AgreementTable(
    agreements: Vec<ConsoleAgreement>,
    empty: &'static str,
) -> impl IntoView {
    if agreements.is_empty() {
        return view! { <EmptyState text=empty /> }.into_any();
    }
    let total = count(
        i64::try_from(agreements.len()).unwrap_or(i64::MAX),
        "agreement",
        "agreements",
    );
    view! {
        <p class="hint">{format!("{total}, newest first. Open one to activate it or to add workspaces and benefits.")}</p>
        <TableBox label="Agreements">
            <table class="data" aria-labelledby="agreements-heading">
                <thead>
                    <tr>
                        <th scope="col">"Agreement"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Term"</th>
                        <th scope="col">"Workspaces"</th>
                    </tr>
                </thead>
                <tbody>
                    {agreements
                        .into_iter()
                        .map(|a| {
                            let title = agreement_title(&a.organization, a.agreement_type, a.id);
                            let workspaces = if a.workspaces.is_empty() {
                                "None yet".to_owned()
                            } else {
                                a.workspaces
                                    .iter()
                                    .map(|w| w.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            };
                            view! {
                                <tr>
                                    <th scope="row">
                                        <A href=format!("/staff/agreements/{}", a.id)>{title}</A>
                                    </th>
                                    <td>{a.status.label()}</td>
                                    <td>{term(&a.starts_on, &a.ends_on)}</td>
                                    <td>{workspaces}</td>
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
