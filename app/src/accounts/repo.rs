//! Queries of the accounts domain (server only). Every query that reads or writes an account's
//! own data takes the account id from the session (`Caller`), never from the request.

mod insert;
mod organizations;
mod profile;
mod sign_in;

pub use insert::{create_account, insert_account, NewAccount};
pub use organizations::{
    create_organization, insert_organization, organization_by_name, organization_for_domain,
    work_account_in, NewOrganization,
};
pub use profile::{password_hash, profile, set_password, update_profile};
pub use sign_in::{
    credentials, kinds_for, record_success, refused_everywhere, reserve_attempt, Credentials,
    LOCK_STEP_SECS, MAX_FAILED_ATTEMPTS,
};

use crate::{accounts::types::PhoneNumber, error::AppError};
use sqlx::Row;

/// A phone number signs in to the one account that has it, of either kind: another account
/// (`except` is the caller's own) with the same number is refused at the field. Numbers are not
/// verified, so a number someone else saved first is theirs; the unique index decides races.
const PHONE_TAKEN: &str = "This phone number is already used by another account.";

async fn phone_is_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    phone: &PhoneNumber,
    except: Option<i64>,
) -> Result<(), AppError> {
    let clash = sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE phone = $1 AND id <> $2")
        .bind(phone.as_str())
        .bind(except.unwrap_or(0))
        .fetch_one(&mut **tx)
        .await?;
    if clash.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field("phone", PHONE_TAKEN));
    }
    Ok(())
}
