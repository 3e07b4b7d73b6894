//! Opening a case: the validated input, then the write.

use crate::{
    auth::{audit, guard::Authorized},
    cases::{CaseDescription, CaseStatus, CaseTitle, ContactMethod, Severity},
    error::{AppError, FieldErrors},
    state::now,
};
use sqlx::Row;

use super::{
    counts::{bump_count, bump_month},
    entry,
    notify::{case_link, involved, mail_all},
};

/// A validated new case.
pub struct NewCase {
    pub title: CaseTitle,
    pub description: CaseDescription,
    pub severity: Severity,
    pub product_area: String,
    pub contact_method: ContactMethod,
}

impl NewCase {
    /// Checks every field at once; the errors name the fields.
    pub fn parse(
        title: &str,
        description: &str,
        severity: &str,
        product_area: &str,
        contact_method: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", CaseTitle::parse(title));
        let description = errors.check("description", CaseDescription::parse(description));
        let severity = errors.check("severity", Severity::parse(severity));
        let product_area = errors.check(
            "product_area",
            crate::cases::types::parse_product_area(product_area),
        );
        let contact_method = errors.check("contact_method", ContactMethod::parse(contact_method));
        errors.into_result()?;
        match (title, description, severity, product_area, contact_method) {
            (
                Some(title),
                Some(description),
                Some(severity),
                Some(product_area),
                Some(contact_method),
            ) => Ok(Self {
                title,
                description,
                severity,
                product_area,
                contact_method,
            }),
            _ => Err(AppError::field("form", "The form was incomplete.")),
        }
    }
}

pub async fn open(who: &Authorized, input: NewCase) -> Result<i64, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    if !scope.support_contact {
        tracing::info!(
            account = caller.account_id,
            workspace_id = scope.workspace_id,
            "refused: not a support contact"
        );
        return Err(AppError::Forbidden(
            "Only support contacts can open support cases in this workspace.".to_owned(),
        ));
    }
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO cases (workspace_id, opened_by, title, description, severity, product_area, \
           contact_method, status, opened_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $8, $8) RETURNING id",
    )
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(input.title.as_str())
    .bind(input.description.as_str())
    .bind(input.severity.as_str())
    .bind(&input.product_area)
    .bind(input.contact_method.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    bump_count(
        &mut tx,
        scope.workspace_id,
        now,
        CaseStatus::New,
        input.severity.as_str(),
        1,
    )
    .await?;
    bump_month(&mut tx, scope.workspace_id, now, 1, 0).await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.open",
            id,
            format!(
                "Case {id}: {} (severity {})",
                input.title.as_str(),
                input.severity.label()
            ),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, id, 0).await?;
    let subject = format!("Case {id} opened: {}", input.title.as_str());
    let body = format!(
        "Your support case was opened in the workspace \"{}\".\n\n\
         Case {id}: {}\nSeverity: {}\nPreferred contact: {}\n\n\
         Follow it here: {}\n",
        scope.workspace_name,
        input.title.as_str(),
        input.severity.label(),
        input.contact_method.label(),
        case_link(state, scope, id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(id)
}
