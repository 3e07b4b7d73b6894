//! A real DNS server for the tests: hickory-server on 127.0.0.1 with a port of its own (UDP),
//! answering TXT questions from a table the test sets and changes while it runs. Each test app
//! gets its own server (its port is in the app's `dns_server` setting), so tests in parallel
//! never see each other's records.

use app::state::Config;
use hickory_server::{
    net::runtime::Time,
    proto::{
        op::{Header, HeaderCounts, Metadata, ResponseCode},
        rr::{rdata::TXT, RData, Record, RecordType},
    },
    server::{Request, RequestHandler, ResponseHandler, ResponseInfo},
    zone_handler::MessageResponseBuilder,
    Server,
};
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex, OnceLock},
};

/// TXT values by lower-case host name (no final dot).
type Table = Arc<Mutex<HashMap<String, Vec<String>>>>;

fn tables() -> &'static Mutex<HashMap<u16, Table>> {
    static TABLES: OnceLock<Mutex<HashMap<u16, Table>>> = OnceLock::new();
    TABLES.get_or_init(Mutex::default)
}

struct Handler(Table);

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = true;
        let mut answers = Vec::new();
        if let Ok(info) = request.request_info() {
            let name = info.query.name().to_string();
            let host = name.trim_end_matches('.').to_lowercase();
            let values = self.0.lock().expect("table").get(&host).cloned();
            match values {
                None => metadata.response_code = ResponseCode::NXDomain,
                Some(values) if info.query.query_type() == RecordType::TXT => {
                    for value in values {
                        answers.push(Record::from_rdata(
                            info.query.name().into(),
                            0,
                            RData::TXT(TXT::new(vec![value])),
                        ));
                    }
                }
                // The name exists, with no record of that type: an empty answer.
                Some(_) => {}
            }
        } else {
            metadata.response_code = ResponseCode::FormErr;
        }
        let response = MessageResponseBuilder::new(&request.queries, None).build(
            metadata,
            answers.iter(),
            [],
            [],
            [],
        );
        match response_handle.send_response(response).await {
            Ok(info) => info,
            Err(_) => {
                let mut metadata = Metadata::response_from_request(&request.metadata);
                metadata.response_code = ResponseCode::ServFail;
                ResponseInfo::from(Header {
                    metadata,
                    counts: HeaderCounts::default(),
                })
            }
        }
    }
}

/// Starts a server for one test app and points its settings at it (`config = start`). Runs
/// on the test's runtime, which ends it.
pub fn start(config: &mut Config) {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind a UDP port");
    socket.set_nonblocking(true).expect("non-blocking");
    let address: SocketAddr = socket.local_addr().expect("address");
    let socket = tokio::net::UdpSocket::from_std(socket).expect("tokio socket");
    let table = Table::default();
    tables()
        .lock()
        .expect("tables")
        .insert(address.port(), table.clone());
    let mut server = Server::new(Handler(table));
    server.register_socket(socket);
    tokio::spawn(async move {
        let _ = server.block_until_done().await;
    });
    config.dns_server = Some(address);
}

fn table(app: &crate::common::TestApp) -> Table {
    let port = app
        .state
        .config
        .dns_server
        .expect("a test DNS server")
        .port();
    tables().lock().expect("tables")[&port].clone()
}

/// Publishes these TXT values at `host` (replacing what was there).
pub fn publish(app: &crate::common::TestApp, host: &str, values: &[&str]) {
    table(app).lock().expect("table").insert(
        host.to_lowercase(),
        values.iter().map(|v| (*v).to_owned()).collect(),
    );
}

/// Takes every record at `host` away (the name no longer exists).
pub fn unpublish(app: &crate::common::TestApp, host: &str) {
    table(app)
        .lock()
        .expect("table")
        .remove(&host.to_lowercase());
}
