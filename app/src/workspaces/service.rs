//! Agreements and workspaces (server only): creating an agreement, activating it (its Default
//! Workspace and the invitations, in one transaction), additional workspaces and benefits.

mod activation;
mod agreement;
mod benefits;
mod staff;
mod workspace;

pub use activation::activate;
pub use agreement::{create_agreement, AgreementInput};
pub use benefits::add_benefit;
pub use staff::{add_member, create_staff};
pub use workspace::create_workspace;

use crate::workspaces::types::TermDate;

fn today() -> TermDate {
    TermDate::from_date(time::OffsetDateTime::now_utc().date())
}
