//! The services side of "Account for organizations" over HTTP and through the lifecycle job, on
//! both engines: who may call each services function (`matrix`) and what each caller reads
//! (`reads`), signing an organization up and confirming its address (`signup`), the
//! subscription changes and their invoice lines (`subscriptions`), what parallel requests may
//! never break (`races`), and the clock's steps (`lifecycle`). Each test checks the rows the
//! database holds, not only the answer.

mod callers;
mod setup;

mod lifecycle;
mod matrix;
mod races;
mod reads;
mod signup;
mod subscriptions;
