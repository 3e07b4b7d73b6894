//! The access layer, at the bottom of every domain (ARCHITECTURE.md): who is calling (the
//! session), what they may do where (the scopes and the guard), where the request came from, and
//! the audit log's writer. It depends only on the shared plumbing (`state`, `error`, `db`,
//! `tokens`); every domain depends on it and on nothing of another domain's queries.

pub mod kinds;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod organization;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod session;

#[cfg(feature = "ssr")]
pub use guard::{require, Authorized, Permission, WorkspaceScope};
#[cfg(feature = "ssr")]
pub use session::Caller;
