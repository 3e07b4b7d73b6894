//! The callers of the services matrix and the world they act in: seven roles, each one's own
//! organization, and the subscription ids they aim at (their own, the other organization's, a
//! missing one).

use super::setup::*;
use crate::common::TestApp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Anonymous,
    Global,
    Billing,
    UserAdmin,
    NoRole,
    OtherGlobal,
    Staff,
}

pub const ROLES: [Role; 7] = [
    Role::Anonymous,
    Role::Global,
    Role::Billing,
    Role::UserAdmin,
    Role::NoRole,
    Role::OtherGlobal,
    Role::Staff,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Missing,
    Contoso,
    Fabrikam,
}

impl Role {
    pub fn cookie(self, w: &World) -> Option<&str> {
        match self {
            Role::Anonymous => None,
            Role::Global => Some(&w.global),
            Role::Billing => Some(&w.billing),
            Role::UserAdmin => Some(&w.user_admin),
            Role::NoRole => Some(&w.nobody),
            Role::OtherGlobal => Some(&w.other_global),
            Role::Staff => Some(&w.staff),
        }
    }

    /// The status of a call this caller may not make.
    pub fn refused(self) -> u16 {
        if self == Role::Anonymous {
            401
        } else {
            403
        }
    }

    pub fn views(self) -> bool {
        matches!(
            self,
            Role::Global | Role::Billing | Role::UserAdmin | Role::OtherGlobal
        )
    }

    pub fn manages(self) -> bool {
        matches!(self, Role::Global | Role::Billing | Role::OtherGlobal)
    }

    pub fn assigns(self) -> bool {
        matches!(self, Role::Global | Role::UserAdmin | Role::OtherGlobal)
    }

    /// Their own organization's subscriptions.
    pub fn own(self) -> Option<Target> {
        match self {
            Role::Global | Role::Billing | Role::UserAdmin | Role::NoRole => Some(Target::Contoso),
            Role::OtherGlobal => Some(Target::Fabrikam),
            Role::Anonymous | Role::Staff => None,
        }
    }
}

/// The world, a paid subscription of Office in each organization (5 licenses, one held: Hal's
/// in Contoso, Hank's in Fabrikam), Fabrikam's Storage, and one unlicensed user in each.
pub struct Fixture {
    pub w: World,
    pub contoso_sub: i64,
    pub fabrikam_sub: i64,
    pub hal: i64,
    pub hank: i64,
    pub ann: i64,
    pub fay: i64,
}

pub async fn fixture(app: &TestApp) -> Fixture {
    let w = world(app).await;
    let hal = person(app, "hal@contoso.com", w.contoso, None).await;
    let hank = person(app, "hank@fabrikam.com", w.fabrikam, None).await;
    let ann = person(app, "ann@contoso.com", w.contoso, None).await;
    let fay = person(app, "fay@fabrikam.com", w.fabrikam, None).await;
    let contoso_sub = buy(app, &w.global, w.paid_offer, 5).await;
    let fabrikam_sub = buy(app, &w.other_global, w.paid_offer, 5).await;
    buy(app, &w.other_global, w.storage_offer, 2).await;
    let held = assign(app, &w.global, contoso_sub, "hal@contoso.com").await;
    assert_eq!(held.status, 200, "{}", held.body);
    let held = assign(app, &w.other_global, fabrikam_sub, "hank@fabrikam.com").await;
    assert_eq!(held.status, 200, "{}", held.body);
    Fixture {
        w,
        contoso_sub,
        fabrikam_sub,
        hal,
        hank,
        ann,
        fay,
    }
}

impl Fixture {
    pub fn sub(&self, target: Target) -> i64 {
        match target {
            Target::Missing => 999_999,
            Target::Contoso => self.contoso_sub,
            Target::Fabrikam => self.fabrikam_sub,
        }
    }
}
