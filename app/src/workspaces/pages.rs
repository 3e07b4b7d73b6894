//! The workspace's main page and the workspace switcher.

use crate::components::workspace_id_param;
use crate::{
    accounts::pages::RequireUser,
    components::{format_iso_date, EmptyState, ErrorNotice, TableBox},
    workspaces::{
        my_workspaces, workspace_home, SwitchWorkspace, WorkspaceList, WorkspaceOverview,
    },
};
use leptos::prelude::*;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let id = workspace_id_param();
    let home = Resource::new(id, workspace_home);
    let mine = Resource::new(|| (), |_| my_workspaces());
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Suspense fallback=|| view! { <p>"Loading the workspace…"</p> }>
                    {move || Suspend::new(async move {
                        match home.await {
                            Ok(home) => {
                                let mine = mine.await.ok();
                                view! { <WorkspaceView home mine /> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </RequireUser>
    }
}

#[component]
fn WorkspaceView(home: WorkspaceOverview, mine: Option<WorkspaceList>) -> impl IntoView {
    let id = home.id;
    view! {
        <p class="hint">{home.organization.clone()} " · " {home.agreement_type.label()} " agreement"</p>
        <h1>{home.name.clone()}</h1>
        {mine.filter(|m| m.items.len() > 1).map(|m| view! { <Switcher mine=m current=id /> })}
        <dl class="facts">
            <dt>"Agreement"</dt>
            <dd>
                {home.agreement_type.label()} ", " {home.agreement_status.label()} ", "
                {format_iso_date(&home.starts_on)} " to " {format_iso_date(&home.ends_on)}
            </dd>
            <dt>"Your roles"</dt>
            <dd>{home.roles.join(", ")}</dd>
            <dt>"Members"</dt>
            <dd>{home.member_count}</dd>
            <dt>"Personal accounts"</dt>
            <dd>{if home.allow_personal { "Allowed" } else { "Not allowed" }}</dd>
        </dl>
        <h2 id="benefits-heading">"Benefits"</h2>
        {if home.benefits.is_empty() {
            view! { <EmptyState text="No benefits are assigned to this workspace yet." /> }.into_any()
        } else {
            view! {
                <TableBox label="Benefits">
                <table class="data" aria-labelledby="benefits-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Benefit"</th>
                            <th scope="col" class="num">"Allotment"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {home
                            .benefits
                            .iter()
                            .map(|b| {
                                let name = b.kind.with_name(&b.name);
                                view! {
                                    <tr>
                                        <td>{name}</td>
                                        <td class="num">{b.allotment}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                </TableBox>
            }
                .into_any()
        }}
    }
}

/// Opens another of the user's workspaces (a POST: it also remembers the choice).
#[component]
pub fn Switcher(mine: WorkspaceList, current: i64) -> impl IntoView {
    let action = ServerAction::<SwitchWorkspace>::new();
    view! {
        <ActionForm action attr:class="switcher">
            <label for="field-workspace_id">"Workspace"</label>
            <select id="field-workspace_id" name="workspace_id">
                {mine
                    .items
                    .into_iter()
                    .map(|w| {
                        let selected = w.id == current;
                        view! {
                            <option value=w.id.to_string() selected=selected>
                                {format!("{} ({}, {})", w.name, w.organization, w.agreement_type.label())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">"Switch"</button>
        </ActionForm>
    }
}
