//! The services domain's queries, all scoped to one organization (except the public catalogue).

pub mod licenses;
pub mod offers;
pub mod signup;
pub mod subscriptions;
