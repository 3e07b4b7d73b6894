//! The accounts pages: "Sign in" and "Edit Profile".

mod password;
mod profile;
mod sign_in;
mod user;

pub use profile::ProfilePage;
pub use sign_in::{encode, SignInPage};
pub use user::{RequireUser, SessionEpoch, UserResource};
