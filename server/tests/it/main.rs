//! The repository, HTTP and command-line tests: one binary, so the whole application links once
//! (zero2prod's `tests/api/` layout). Each module is one area; `common` is the harness they share.

// First, so that `on_both_engines!` is in scope in every module after it.
#[macro_use]
mod common;

mod activity;
mod authorization;
mod billing;
mod bulk;
mod cases;
mod cli;
mod domains;
mod federation;
mod help;
mod identity;
mod instances;
mod live;
mod mail;
mod org_groups;
mod organizations;
mod passwords;
mod repository;
mod security;
mod services;
mod sign_in;
mod smtp;
mod staff;
mod sweep;
mod two_factor;
mod web;
mod workspaces;
