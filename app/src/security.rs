//! Shared plumbing against abuse: password hashing and the guards in front of it (Argon2id off
//! the async threads behind a semaphore, a dummy verification for unknown accounts), and the
//! invitation request limits. The per-address limits live in `limits` (they need the database). Domain-neutral, so
//! `AppState` can hold it.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params,
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{
    num::NonZeroU32,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, OnceLock,
    },
};
use tokio::sync::Semaphore;

/// Sign-in attempts allowed per client address and minute (counted by `limits`).
pub const DEFAULT_ATTEMPTS_PER_MINUTE: u32 = 30;

pub struct SignInGuards {
    /// Each Argon2 run takes ~19 MiB and a core for tens of milliseconds: a burst of sign-ins
    /// queues here rather than starving the runtime or the health probe.
    hashing: Arc<Semaphore>,
    verifications: AtomicU64,
    /// Per-address limit checks this instance has made (`limits` sweeps expired windows every
    /// so many, starting with the first).
    limit_checks: AtomicU64,
}

impl SignInGuards {
    pub fn new() -> Self {
        let parallel = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self {
            hashing: Arc::new(Semaphore::new(parallel)),
            verifications: AtomicU64::new(0),
            limit_checks: AtomicU64::new(0),
        }
    }

    /// Counts one per-address limit check; returns how many came before it.
    pub fn count_limit_check(&self) -> u64 {
        self.limit_checks.fetch_add(1, Ordering::Relaxed)
    }

    /// How many verifications against a real stored hash have run (a lockout test counts them).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.blocking(move || hash_now(&password)).await?
    }

    /// Verifies against the stored hash, or against a dummy hash when there is none, so an
    /// unknown account costs the same time as a wrong password.
    pub async fn verify(&self, stored: Option<String>, password: &str) -> Result<bool, AppError> {
        if stored.is_some() {
            self.verifications.fetch_add(1, Ordering::Relaxed);
        }
        let password = password.to_owned();
        self.blocking(move || {
            let (hash, real) = match stored {
                Some(hash) => (hash, true),
                None => (dummy_hash().to_owned(), false),
            };
            let ok = PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            real && ok
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(AppError::internal)
    }
}

impl Default for SignInGuards {
    fn default() -> Self {
        Self::new()
    }
}

/// Argon2id with the crate's defaults: m=19456 KiB, t=2, p=1, exactly ASVS's floor.
fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("dummy password for unknown accounts").unwrap_or_default())
}

/// True when a stored hash is weaker than today's parameters and should be replaced at the
/// next successful sign-in.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    let floor = Params::default();
    parsed.algorithm != Algorithm::Argon2id.ident()
        || params.m_cost() < floor.m_cost()
        || params.t_cost() < floor.t_cost()
        || params.p_cost() < floor.p_cost()
}

/// Invitation requests allowed per inviter and per workspace each minute, against hammering;
/// the mail an inviter can cause is bounded by the workspace's daily budget of addresses
/// (`repo::draw_budget`), which every invitation and resend draws on.
///
/// Kept in memory, so per instance: with N instances an inviter may send N times the quota a
/// minute. That is acceptable because the daily budget, the limit that bounds mail, is in the
/// database and shared.
pub struct InviteLimits {
    per_inviter: DefaultKeyedRateLimiter<i64>,
    per_workspace: DefaultKeyedRateLimiter<i64>,
}

impl Default for InviteLimits {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_inviter: RateLimiter::keyed(quota(60)),
            per_workspace: RateLimiter::keyed(quota(120)),
        }
    }
}

impl InviteLimits {
    pub fn check(&self, inviter: i64, workspace: i64) -> Result<(), AppError> {
        self.per_inviter
            .check_key(&inviter)
            .and_then(|_| self.per_workspace.check_key(&workspace))
            .map_err(|_| AppError::TooManyRequests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_the_floor_and_verify() {
        let guards = SignInGuards::default();
        let hash = guards.hash("correct horse battery").await.expect("hash");
        let parsed = PasswordHash::new(&hash).expect("phc string");
        assert_eq!(parsed.algorithm, Algorithm::Argon2id.ident());
        let params = Params::try_from(&parsed).expect("params");
        assert!(params.m_cost() >= 19_456 && params.t_cost() >= 2 && params.p_cost() >= 1);
        assert!(!needs_rehash(&hash));
        assert!(guards
            .verify(Some(hash.clone()), "correct horse battery")
            .await
            .expect("verify"));
        assert!(!guards.verify(Some(hash), "wrong").await.expect("verify"));
        assert!(!guards.verify(None, "anything").await.expect("verify"));
        assert_eq!(
            guards.verifications(),
            2,
            "the dummy verification is not counted"
        );
    }

    #[test]
    fn weak_parameters_are_rehashed() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            argon2::Version::V0x13,
            Params::new(4096, 1, 1, None).expect("params"),
        );
        let salt = SaltString::generate(&mut OsRng);
        let hash = weak
            .hash_password(b"password", &salt)
            .expect("hash")
            .to_string();
        assert!(needs_rehash(&hash));
        assert!(needs_rehash("not a hash"));
    }
}
