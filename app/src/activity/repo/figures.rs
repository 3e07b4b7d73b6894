//! The figures of Customer Activity, one query each over all the authorized workspaces (an
//! `IN` list of ids), gathered by `figures`.

use crate::db::placeholders;
use crate::{
    activity::{Activity, AgreementLine, DateRange, Delivery, WorkspaceOption, ALL},
    auth::{guard::Permission, guard::WorkspaceScope, session::Caller},
    error::AppError,
    state::Db,
    workspaces::{AgreementStatus, AgreementType, BenefitKind},
};
use sqlx::Row;
use std::collections::HashMap;

use super::{
    case_figures::{case_counts, months},
    feed::feed,
};

/// The most deliveries listed (the credits used count all of them).
const MAX_DELIVERIES: i64 = 200;

/// The workspaces the figures read (those the guard authorized), with their names for the
/// lines that name one.
pub(super) struct Selection<'a> {
    pub(super) db: &'a Db,
    pub(super) scopes: &'a [WorkspaceScope],
    pub(super) ids: Vec<i64>,
    names: HashMap<i64, String>,
}

impl Selection<'_> {
    pub(super) fn name_of(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_default()
    }
}

pub async fn figures(
    db: &Db,
    caller: &Caller,
    scopes: &[WorkspaceScope],
    range: &DateRange,
    workspaces: Vec<WorkspaceOption>,
    can_aggregate: bool,
    selected: String,
) -> Result<Activity, AppError> {
    let on = Selection {
        db,
        scopes,
        ids: scopes.iter().map(|s| s.workspace_id).collect(),
        names: scopes
            .iter()
            .map(|s| (s.workspace_id, s.workspace_name.clone()))
            .collect(),
    };
    let agreements = agreements(&on).await?;
    let benefits = benefits(&on, range).await?;
    let (by_status, by_severity) = case_counts(&on, range).await?;
    let months = months(&on, range).await?;
    let deliveries = deliveries(&on, range).await?;
    let users_joined = users_joined(&on, range).await?;
    let feed = feed(&on, caller).await?;
    let single = scopes.first().filter(|_| scopes.len() == 1);
    Ok(Activity {
        selected_name: match single {
            Some(scope) if selected != ALL => scope.workspace_name.clone(),
            _ => "All Workspaces".to_owned(),
        },
        selected,
        from: range.from_iso(),
        to: range.to_iso(),
        can_aggregate,
        workspaces,
        agreements,
        benefits,
        by_status,
        by_severity,
        months,
        deliveries,
        users_joined,
        feed,
        can_record: single.is_some_and(|s| s.can(Permission::ManageBenefits)),
    })
}

/// The agreements, one line each.
async fn agreements(on: &Selection<'_>) -> Result<Vec<AgreementLine>, AppError> {
    let mut agreement_ids: Vec<i64> = on.scopes.iter().map(|s| s.agreement_id).collect();
    agreement_ids.sort_unstable();
    agreement_ids.dedup();
    let sql = format!(
        "SELECT a.id, a.agreement_type, a.status, a.starts_on, a.ends_on, o.name AS organization \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id IN ({}) ORDER BY o.name, a.id",
        placeholders(1, agreement_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in &agreement_ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| -> Result<AgreementLine, AppError> {
            Ok(AgreementLine {
                agreement_id: r.try_get("id")?,
                organization: r.try_get("organization")?,
                agreement_type: crate::db::column(r, "agreement_type", AgreementType::parse)?,
                status: crate::db::column(r, "status", AgreementStatus::parse)?,
                starts_on: r.try_get("starts_on")?,
                ends_on: r.try_get("ends_on")?,
            })
        })
        .collect()
}

/// Staff time on the workspaces' cases in the range, per workspace.
async fn minutes(on: &Selection<'_>, range: &DateRange) -> Result<HashMap<i64, i64>, AppError> {
    let (start, end) = range.bounds();
    let sql = format!(
        "SELECT c.workspace_id, CAST(COALESCE(SUM(e.minutes), 0) AS BIGINT) AS minutes \
         FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE e.kind = 'time' AND e.created_at >= $1 AND e.created_at < $2 \
           AND c.workspace_id IN ({}) GROUP BY c.workspace_id",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql).bind(start).bind(end);
    for id in &on.ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("workspace_id")?, r.try_get("minutes")?)))
        .collect::<Result<_, AppError>>()
}

/// Proactive credits delivered in the range, per workspace.
async fn credits(on: &Selection<'_>, range: &DateRange) -> Result<HashMap<i64, i64>, AppError> {
    let sql = format!(
        "SELECT workspace_id, CAST(COALESCE(SUM(credits), 0) AS BIGINT) AS credits \
         FROM proactive_deliveries \
         WHERE delivered_on >= $1 AND delivered_on <= $2 AND workspace_id IN ({}) \
         GROUP BY workspace_id",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql)
        .bind(range.from_iso())
        .bind(range.to_iso());
    for id in &on.ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("workspace_id")?, r.try_get("credits")?)))
        .collect::<Result<_, AppError>>()
}

/// The benefits assigned to the workspaces: allotted, used, remaining (negative = over).
async fn benefits(
    on: &Selection<'_>,
    range: &DateRange,
) -> Result<Vec<crate::activity::BenefitLine>, AppError> {
    let minutes = minutes(on, range).await?;
    let credits = credits(on, range).await?;
    let sql = format!(
        "SELECT workspace_id, kind, name, allotment FROM benefits WHERE workspace_id IN ({}) \
         ORDER BY workspace_id, kind, name, id",
        placeholders(1, on.ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in &on.ids {
        query = query.bind(*id);
    }
    let benefit_rows = query.fetch_all(on.db.pool()).await?;
    let mut benefits = Vec::with_capacity(benefit_rows.len());
    for r in &benefit_rows {
        let workspace_id: i64 = r.try_get("workspace_id")?;
        let kind = crate::db::column(r, "kind", BenefitKind::parse)?;
        let allotted = r.try_get::<i64, _>("allotment")? as f64;
        let used = match kind {
            BenefitKind::ReactiveHours => {
                minutes.get(&workspace_id).copied().unwrap_or(0) as f64 / 60.0
            }
            BenefitKind::ProactiveCredits => {
                credits.get(&workspace_id).copied().unwrap_or(0) as f64
            }
            BenefitKind::AddOn => 0.0,
        };
        benefits.push(crate::activity::BenefitLine {
            workspace_id,
            workspace: on.name_of(workspace_id),
            kind,
            name: r.try_get("name")?,
            allotted,
            used,
            remaining: allotted - used,
        });
    }
    Ok(benefits)
}

/// Proactive services delivered in the range.
async fn deliveries(on: &Selection<'_>, range: &DateRange) -> Result<Vec<Delivery>, AppError> {
    let sql = format!(
        "SELECT d.workspace_id, d.name, d.delivered_on, d.credits, d.minutes, \
           COALESCE(a.display_name, '') AS recorded_by \
         FROM proactive_deliveries d LEFT JOIN accounts a ON a.id = d.recorded_by \
         WHERE d.delivered_on >= $1 AND d.delivered_on <= $2 AND d.workspace_id IN ({}) \
         ORDER BY d.delivered_on DESC, d.id DESC LIMIT {MAX_DELIVERIES}",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql)
        .bind(range.from_iso())
        .bind(range.to_iso());
    for id in &on.ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| -> Result<Delivery, AppError> {
            let workspace_id: i64 = r.try_get("workspace_id")?;
            Ok(Delivery {
                workspace_id,
                workspace: on.name_of(workspace_id),
                name: r.try_get("name")?,
                delivered_on: r.try_get("delivered_on")?,
                credits: r.try_get("credits")?,
                minutes: r.try_get("minutes")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

/// Users who joined in the range.
async fn users_joined(on: &Selection<'_>, range: &DateRange) -> Result<i64, AppError> {
    let (start, end) = range.bounds();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM memberships \
         WHERE created_at >= $1 AND created_at < $2 AND workspace_id IN ({})",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql).bind(start).bind(end);
    for id in &on.ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_one(on.db.pool()).await?.try_get("n")?)
}
