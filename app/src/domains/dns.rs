//! Asks DNS for a domain's proof (server only), through hickory's resolver and the name server
//! of the setting `SERVICES_HUB_DNS_SERVER` (the system's resolver when it is unset). A fresh
//! resolver without a cache for every check: an administrator who just published the record
//! must not be told about an old answer.

use crate::{
    domains::types::{txt_host, txt_value, CheckOutcome},
    state::Config,
};
use hickory_resolver::{
    config::{NameServerConfig, ResolverConfig},
    net::runtime::TokioRuntimeProvider,
    proto::rr::RData,
    Resolver,
};
use std::time::Duration;

/// How long one question may take before "the DNS server did not answer".
const TIMEOUT: Duration = Duration::from_secs(3);

/// What DNS said about a name's TXT records.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The values of the TXT records there (each record's strings joined).
    Values(Vec<String>),
    /// No such name, or no TXT record at it.
    NotFound,
    /// No answer in time, or an answer that was an error (SERVFAIL, REFUSED, a network error).
    NoAnswer,
}

fn resolver(config: &Config) -> Option<Resolver<TokioRuntimeProvider>> {
    let builder = match config.dns_server {
        Some(address) => {
            let mut server = NameServerConfig::udp_and_tcp(address.ip());
            for connection in &mut server.connections {
                connection.port = address.port();
            }
            Resolver::builder_with_config(
                ResolverConfig::from_parts(None, vec![], vec![server]),
                TokioRuntimeProvider::default(),
            )
        }
        None => match Resolver::builder_tokio() {
            Ok(builder) => builder,
            Err(error) => {
                tracing::warn!(%error, "cannot read the system's resolver configuration");
                return None;
            }
        },
    };
    let mut builder = builder;
    let options = builder.options_mut();
    options.timeout = TIMEOUT;
    options.attempts = 1;
    options.cache_size = 0;
    match builder.build() {
        Ok(resolver) => Some(resolver),
        Err(error) => {
            tracing::warn!(%error, "cannot start the DNS resolver");
            None
        }
    }
}

/// The TXT values at `name` (a host name without the final dot).
pub async fn txt_values(config: &Config, name: &str) -> Answer {
    let Some(resolver) = resolver(config) else {
        return Answer::NoAnswer;
    };
    // Fully qualified: no search domain is ever tried.
    let lookup = tokio::time::timeout(TIMEOUT * 2, resolver.txt_lookup(format!("{name}.")));
    match lookup.await {
        Err(_) => Answer::NoAnswer,
        Ok(Err(error)) if error.is_no_records_found() => Answer::NotFound,
        Ok(Err(error)) => {
            tracing::info!(%error, name, "DNS lookup failed");
            Answer::NoAnswer
        }
        Ok(Ok(lookup)) => {
            let values: Vec<String> = lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::TXT(txt) => Some(
                        txt.txt_data
                            .iter()
                            .map(|part| String::from_utf8_lossy(part).into_owned())
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect();
            if values.is_empty() {
                Answer::NotFound
            } else {
                Answer::Values(values)
            }
        }
    }
}

/// Checks a domain's proof: what was found, and the values seen when they differ.
pub async fn check(config: &Config, domain: &str, token: &str) -> (CheckOutcome, Vec<String>) {
    let expected = txt_value(token);
    match txt_values(config, &txt_host(domain)).await {
        Answer::Values(values) if values.iter().any(|v| v.trim() == expected) => {
            (CheckOutcome::Verified, Vec::new())
        }
        Answer::Values(values) => (CheckOutcome::Different, values),
        Answer::NotFound => (CheckOutcome::NotFound, Vec::new()),
        Answer::NoAnswer => (CheckOutcome::NoAnswer, Vec::new()),
    }
}
