//! Sample people for a workspace at scale (server only): `services-hub demo --members N` and the
//! benchmarks fill a workspace through here, with multi-row inserts into the real tables, so the
//! roster, its counts and every index the portal reads are kept by the same triggers as always.

use crate::{
    db::{insert_rows, Cell, Tx},
    error::AppError,
};
use sqlx::Row;
use std::collections::HashSet;

const FIRST: [&str; 20] = [
    "Adele",
    "Alex",
    "Allan",
    "Bianca",
    "Christie",
    "Debra",
    "Diego",
    "Emily",
    "Enrico",
    "Grady",
    "Henrietta",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Miriam",
    "Nestor",
    "Patti",
];
const LAST: [&str; 20] = [
    "Vance",
    "Wilber",
    "Deyoung",
    "Pisani",
    "Cline",
    "Berger",
    "Siciliani",
    "Braun",
    "Cattaneo",
    "Archie",
    "Gonzalez",
    "Lanier",
    "Lauer",
    "Sherman",
    "Gu",
    "Holloway",
    "Robbins",
    "Caldwell",
    "Patel",
    "Fernandez",
];

/// The `i`th sample person (0-based): a name and an address at `domain`, the same every time.
pub fn person(i: usize, domain: &str) -> (String, String) {
    let (first, last) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
    let name = format!("{first} {last}");
    let email = format!(
        "{}.{}{}@{domain}",
        first.to_lowercase(),
        last.to_lowercase(),
        i + 1
    );
    (name, email)
}

/// Makes sure the workspace has sample members 1..=`members` (work accounts of `organization`
/// with `password_hash`, each signed in once at a different time) and sample invitations
/// 1..=`invitations` still pending; those already there are left as they are. Returns how many
/// members and invitations it added.
#[allow(clippy::too_many_arguments)]
pub async fn fill(
    tx: &mut Tx,
    workspace: i64,
    organization: i64,
    domain: &str,
    members: usize,
    invitations: usize,
    password_hash: &str,
    now: i64,
) -> Result<(usize, usize), AppError> {
    let existing: HashSet<String> =
        sqlx::query("SELECT email_canonical FROM accounts WHERE organization_id = $1")
            .bind(organization)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| row.try_get("email_canonical"))
            .collect::<Result<_, _>>()?;
    let accounts: Vec<Vec<Cell>> = (0..members)
        .map(|i| (i, person(i, domain)))
        .filter(|(_, (_, email))| !existing.contains(email))
        .map(|(i, (name, email))| {
            vec![
                Cell::Text("work".into()),
                Cell::Text(email.clone()),
                Cell::Text(email),
                Cell::OptInt(Some(organization)),
                Cell::Text(name),
                Cell::Text(password_hash.to_owned()),
                Cell::OptInt(Some(now - (i as i64) * 60)),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    let added = accounts.len();
    insert_rows(
        tx,
        "accounts",
        &[
            "kind",
            "email",
            "email_canonical",
            "organization_id",
            "display_name",
            "password_hash",
            "last_sign_in_at",
            "created_at",
            "updated_at",
        ],
        accounts,
    )
    .await?;
    // Every work account of the organization not yet a member joins (the sample ones just made,
    // and any added by hand earlier).
    sqlx::query(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         invited_at, created_at, updated_at) \
         SELECT $1, a.id, 0, 0, $2, $2, $2 FROM accounts a \
         WHERE a.organization_id = $3 AND a.kind = 'work' AND NOT EXISTS \
           (SELECT 1 FROM memberships m WHERE m.workspace_id = $1 AND m.account_id = a.id)",
    )
    .bind(workspace)
    .bind(now)
    .bind(organization)
    .execute(&mut **tx)
    .await?;

    let invited: HashSet<String> =
        sqlx::query("SELECT email_canonical FROM invitations WHERE workspace_id = $1")
            .bind(workspace)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| row.try_get("email_canonical"))
            .collect::<Result<_, _>>()?;
    let rows: Vec<Vec<Cell>> = (0..invitations)
        .map(|i| person(i + members, domain))
        .filter(|(_, email)| !invited.contains(email) && !existing.contains(email))
        .map(|(name, email)| {
            vec![
                Cell::Int(workspace),
                Cell::Text(email.clone()),
                Cell::Text(email),
                Cell::Text(name),
                Cell::Text("member".into()),
                // Never mailed: the hash of a token nobody holds.
                Cell::Text(crate::tokens::hash_token(&crate::tokens::random_token())),
                Cell::Text("pending".into()),
                Cell::Int(now + 14 * 24 * 3600),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    let invitations_added = rows.len();
    insert_rows(
        tx,
        "invitations",
        &[
            "workspace_id",
            "email",
            "email_canonical",
            "name",
            "role",
            "token_hash",
            "status",
            "expires_at",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    Ok((added, invitations_added))
}

#[cfg(test)]
mod tests {
    use super::person;

    #[test]
    fn sample_people_are_distinct_and_stable() {
        let people: std::collections::HashSet<_> =
            (0..1000).map(|i| person(i, "contoso.com").1).collect();
        assert_eq!(people.len(), 1000);
        assert_eq!(
            person(0, "contoso.com"),
            (
                "Adele Vance".to_owned(),
                "adele.vance1@contoso.com".to_owned()
            )
        );
    }
}
