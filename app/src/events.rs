//! Live updates (issue 15, "Live updates across instances"): a change announces *that* something
//! changed, never what. An `Event` carries ids only; a browser that hears one re-reads through
//! the usual guarded server functions, so nobody learns anything they could not read anyway.
//!
//! Publishing and receiving (`bus`, server only): on PostgreSQL every change is a `NOTIFY` on one
//! channel, and each process LISTENs on one connection and forwards what it hears into an
//! in-process broadcast channel, so an event raised on one instance reaches browsers connected to
//! any; on SQLite (one process) the broadcast channel is all there is. Subscribers always read
//! the broadcast channel. The `/events` route (`live`) authorizes a topic, then streams it.

pub mod client;

#[cfg(feature = "ssr")]
mod bus;
#[cfg(feature = "ssr")]
pub use bus::Bus;

use serde::{Deserialize, Serialize};

/// What changed, by id. Compact on purpose: it travels as a PostgreSQL NOTIFY payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum Event {
    /// Anything on a case's timeline or page: a note, a status, time, a share.
    #[serde(rename = "case")]
    CaseChanged {
        #[serde(rename = "w")]
        workspace_id: i64,
        #[serde(rename = "c")]
        case_id: i64,
    },
    /// The workspace's case list: a new case (a change to one case counts too, see `Topic`).
    #[serde(rename = "cases")]
    CasesChanged {
        #[serde(rename = "w")]
        workspace_id: i64,
    },
    /// Manage Users: a member added, removed or changed; an invitation sent, accepted, revoked.
    #[serde(rename = "members")]
    MembersChanged {
        #[serde(rename = "w")]
        workspace_id: i64,
    },
    /// The listener lost its connection to PostgreSQL for a while: anything may have changed,
    /// so every subscriber re-reads.
    #[serde(rename = "resync")]
    Resync,
}

impl Event {
    pub fn case(workspace_id: i64, case_id: i64) -> Self {
        Event::CaseChanged {
            workspace_id,
            case_id,
        }
    }

    pub fn cases(workspace_id: i64) -> Self {
        Event::CasesChanged { workspace_id }
    }

    pub fn members(workspace_id: i64) -> Self {
        Event::MembersChanged { workspace_id }
    }
}

/// What one browser listens to, named in the address: `case:<workspace>:<case>`,
/// `cases:<workspace>` or `members:<workspace>`. A case is named with its workspace so the
/// route can look it up within the workspace the guard authorized, as the case's page does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    Case { workspace_id: i64, case_id: i64 },
    Cases { workspace_id: i64 },
    Members { workspace_id: i64 },
}

impl Topic {
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split(':');
        let kind = parts.next()?;
        let mut id = || parts.next()?.parse::<i64>().ok().filter(|n| *n > 0);
        let topic = match kind {
            "case" => Topic::Case {
                workspace_id: id()?,
                case_id: id()?,
            },
            "cases" => Topic::Cases {
                workspace_id: id()?,
            },
            "members" => Topic::Members {
                workspace_id: id()?,
            },
            _ => return None,
        };
        parts.next().is_none().then_some(topic)
    }

    /// The address the browser opens.
    pub fn url(self) -> String {
        match self {
            Topic::Case {
                workspace_id,
                case_id,
            } => format!("/events?topic=case:{workspace_id}:{case_id}"),
            Topic::Cases { workspace_id } => format!("/events?topic=cases:{workspace_id}"),
            Topic::Members { workspace_id } => format!("/events?topic=members:{workspace_id}"),
        }
    }

    /// The data sent to a browser on this topic for `event`, or None when it is not the
    /// topic's business. Ids the subscriber named already, nothing more: the case list hears
    /// that something in its workspace changed, not which case (the caller may not see it).
    pub fn message(self, event: &Event) -> Option<String> {
        match (self, *event) {
            (_, Event::Resync) => Some(r#"{"resync":true}"#.to_owned()),
            (
                Topic::Case {
                    workspace_id,
                    case_id,
                },
                Event::CaseChanged {
                    workspace_id: w,
                    case_id: c,
                },
            ) if (w, c) == (workspace_id, case_id) => Some(format!(r#"{{"case":{case_id}}}"#)),
            (
                Topic::Cases { workspace_id },
                Event::CasesChanged { workspace_id: w }
                | Event::CaseChanged {
                    workspace_id: w, ..
                },
            )
            | (Topic::Members { workspace_id }, Event::MembersChanged { workspace_id: w })
                if w == workspace_id =>
            {
                Some(format!(r#"{{"workspace":{workspace_id}}}"#))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, Topic};

    #[test]
    fn topics_parse_strictly() {
        assert_eq!(
            Topic::parse("case:3:12"),
            Some(Topic::Case {
                workspace_id: 3,
                case_id: 12
            })
        );
        assert_eq!(
            Topic::parse("members:3"),
            Some(Topic::Members { workspace_id: 3 })
        );
        for bad in [
            "",
            "case:3",
            "case:3:12:1",
            "cases:x",
            "cases:-1",
            "users:3",
            "cases:0",
        ] {
            assert_eq!(Topic::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_topic_hears_its_own_ids_only() {
        let case = Topic::Case {
            workspace_id: 1,
            case_id: 2,
        };
        let changed = |w, c| Event::CaseChanged {
            workspace_id: w,
            case_id: c,
        };
        assert_eq!(
            case.message(&changed(1, 2)).as_deref(),
            Some(r#"{"case":2}"#)
        );
        assert_eq!(case.message(&changed(1, 3)), None);
        assert_eq!(case.message(&changed(2, 2)), None);
        let list = Topic::Cases { workspace_id: 1 };
        assert_eq!(
            list.message(&changed(1, 9)).as_deref(),
            Some(r#"{"workspace":1}"#)
        );
        assert_eq!(
            list.message(&Event::MembersChanged { workspace_id: 1 }),
            None
        );
        let members = Topic::Members { workspace_id: 1 };
        assert_eq!(
            members.message(&Event::MembersChanged { workspace_id: 2 }),
            None
        );
        assert!(members.message(&Event::Resync).is_some());
    }

    #[test]
    fn events_round_trip_as_compact_json() {
        let event = Event::CaseChanged {
            workspace_id: 1,
            case_id: 2,
        };
        let text = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(text, r#"{"k":"case","w":1,"c":2}"#);
        assert_eq!(serde_json::from_str::<Event>(&text).ok(), Some(event));
    }
}
