//! The machine's PostgreSQL server, stopped and started under the portal with Debian's
//! `pg_ctlcluster` (postgresql-common).

/// The machine's PostgreSQL cluster (version and name, for `pg_ctlcluster`) that serves the
/// test database's port, or None (with the reason printed) when this machine cannot restart it.
pub fn postgres_cluster() -> Option<Cluster> {
    let admin = crate::portal::postgres_admin_url();
    let skip = |why: String| {
        println!("postgres_restart_under_load skipped: {why}");
        None
    };
    // postgres://user@host[:port]/database
    let Some(host_port) = admin
        .split_once('@')
        .and_then(|(_, rest)| rest.split('/').next())
    else {
        return skip(format!("cannot read the host of {admin}"));
    };
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "5432"));
    if !matches!(host, "127.0.0.1" | "localhost") {
        return skip(format!("the test database {admin} is not on this machine"));
    }
    let Ok(listed) = std::process::Command::new("pg_lsclusters")
        .arg("--no-header")
        .output()
    else {
        return skip("no pg_lsclusters/pg_ctlcluster (Debian's postgresql-common)".to_owned());
    };
    // "15 main 5432 online postgres /var/lib/postgresql/15/main …"
    let found = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|fields| fields.get(2) == Some(&port))
        .map(|fields| Cluster {
            version: fields[0].to_owned(),
            name: fields[1].to_owned(),
        });
    match found {
        Some(cluster) => Some(cluster),
        None => skip(format!(
            "no cluster of pg_lsclusters listens on port {port}"
        )),
    }
}

pub struct Cluster {
    version: String,
    name: String,
}

fn pg_ctlcluster(cluster: &Cluster, action: &[&str]) -> Result<(), String> {
    let status = std::process::Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &cluster.version, &cluster.name])
        .args(action)
        .status()
        .map_err(|e| format!("pg_ctlcluster: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("pg_ctlcluster {action:?}: {status}"))
    }
}

/// PostgreSQL stopped; started again by `end`, or on drop when the test fails first, so a failed
/// test never leaves the machine's database server down.
pub struct Outage<'a> {
    cluster: &'a Cluster,
    over: bool,
}

impl<'a> Outage<'a> {
    pub fn begin(cluster: &'a Cluster) -> Self {
        pg_ctlcluster(cluster, &["stop", "-m", "fast"]).expect("stop PostgreSQL");
        Self {
            cluster,
            over: false,
        }
    }

    pub fn end(mut self) {
        self.over = true;
        pg_ctlcluster(self.cluster, &["start"]).expect("start PostgreSQL");
    }
}

impl Drop for Outage<'_> {
    fn drop(&mut self) {
        if !self.over {
            let _ = pg_ctlcluster(self.cluster, &["start"]);
        }
    }
}
