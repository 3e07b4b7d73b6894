//! Queries of workspace groups (server only). Every statement is pinned to the workspace the
//! guard authorized: a group id of another workspace answers like a missing one.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Entry},
        guard::{Authorized, WorkspaceScope},
    },
    db::link,
    error::AppError,
    groups::{Group, GroupList, GroupMember, GroupName, MAX_GROUPS},
    state::{now, Db},
};
use sqlx::Row;

use crate::db::Tx;

pub async fn list(db: &Db, scope: &WorkspaceScope) -> Result<GroupList, AppError> {
    // The groups and their members in one query (a group without members has NULL columns).
    let rows = sqlx::query(
        "SELECT g.id, g.name, a.id AS account_id, a.display_name, a.email \
         FROM workspace_groups g \
         LEFT JOIN group_members gm ON gm.group_id = g.id \
         LEFT JOIN accounts a ON a.id = gm.account_id \
         WHERE g.workspace_id = $1 \
         ORDER BY g.name_canonical, g.id, LOWER(a.display_name), a.id",
    )
    .bind(scope.workspace_id)
    .fetch_all(db.pool())
    .await?;
    let mut groups: Vec<Group> = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        if groups.last().map(|g| g.id) != Some(id) {
            groups.push(Group {
                id,
                name: r.try_get("name")?,
                members: Vec::new(),
            });
        }
        if let (Some(account_id), Some(group)) = (
            r.try_get::<Option<i64>, _>("account_id")?,
            groups.last_mut(),
        ) {
            group.members.push(GroupMember {
                account_id,
                name: r
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_default(),
                email: r.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
            });
        }
    }
    Ok(GroupList {
        workspace_id: scope.workspace_id,
        workspace_name: scope.workspace_name.clone(),
        groups,
    })
}

/// The groups a case of the workspace can be shared with: (id, name).
pub async fn names(db: &Db, workspace_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    sqlx::query(
        "SELECT id, name FROM workspace_groups WHERE workspace_id = $1 ORDER BY name_canonical, id",
    )
    .bind(workspace_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
    .collect()
}

/// The group's name, if it is a group of this workspace (inside a write's transaction).
pub async fn name_of(tx: &mut Tx, workspace_id: i64, group_id: i64) -> Result<String, AppError> {
    let row = sqlx::query("SELECT name FROM workspace_groups WHERE id = $1 AND workspace_id = $2")
        .bind(group_id)
        .bind(workspace_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.try_get("name")?)
}

pub async fn create(who: &Authorized, name: &GroupName) -> Result<i64, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let count: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM workspace_groups WHERE workspace_id = $1")
            .bind(scope.workspace_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
    if count >= MAX_GROUPS {
        return Err(AppError::field(
            "name",
            format!("A workspace holds at most {MAX_GROUPS} groups; delete one first."),
        ));
    }
    // ON CONFLICT DO NOTHING: a name taken (in any letter case) is a message, not an error.
    let id: Option<i64> = sqlx::query(
        "INSERT INTO workspace_groups (workspace_id, name, name_canonical, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(scope.workspace_id)
    .bind(name.as_str())
    .bind(name.canonical())
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()?;
    let Some(id) = id else {
        return Err(AppError::field(
            "name",
            "This workspace already has a group of that name.",
        ));
    };
    audit::record(
        &mut tx,
        Entry::in_workspace(
            caller,
            scope,
            "group.create",
            ("group", id),
            name.as_str().to_owned(),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(who: &Authorized, group_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let name = name_of(&mut tx, scope.workspace_id, group_id).await?;
    // Its members and the cases shared with it go with it (ON DELETE CASCADE).
    sqlx::query("DELETE FROM workspace_groups WHERE id = $1 AND workspace_id = $2")
        .bind(group_id)
        .bind(scope.workspace_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry::in_workspace(caller, scope, "group.delete", ("group", group_id), name, ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_member(who: &Authorized, group_id: i64, email: &str) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let mut tx = state.db.begin_write().await?;
    let name = name_of(&mut tx, scope.workspace_id, group_id).await?;
    let (account, _) = crate::auth::guard::member_by_email(
        &mut tx,
        scope.workspace_id,
        email.canonical(),
        "Groups hold members of their workspace only.",
    )
    .await?;
    if !link(
        &mut tx,
        "group_members",
        ["group_id", "account_id"],
        (group_id, account),
    )
    .await?
    {
        return Err(AppError::field(
            "email",
            "That member is already in the group.",
        ));
    }
    audit::record(
        &mut tx,
        Entry::in_workspace(
            caller,
            scope,
            "group.member.add",
            ("group", group_id),
            format!("{} added to {name}", email.as_str()),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_member(
    who: &Authorized,
    group_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let name = name_of(&mut tx, scope.workspace_id, group_id).await?;
    let email: String = sqlx::query(
        "SELECT a.email FROM group_members gm JOIN accounts a ON a.id = gm.account_id \
         WHERE gm.group_id = $1 AND gm.account_id = $2",
    )
    .bind(group_id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?
    .try_get("email")?;
    sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND account_id = $2")
        .bind(group_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry::in_workspace(
            caller,
            scope,
            "group.member.remove",
            ("group", group_id),
            format!("{email} removed from {name}"),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a member who leaves the workspace out of its groups, so an invitation back later starts
/// afresh.
pub async fn forget_member(
    tx: &mut Tx,
    workspace_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM group_members WHERE account_id = $2 \
         AND group_id IN (SELECT g.id FROM workspace_groups g WHERE g.workspace_id = $1)",
    )
    .bind(workspace_id)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
