-- Customer Activity (DESIGN "Customer Activity"): aggregates kept up to date in the same
-- transaction as every case change, so the page never scans the cases; proactive services
-- delivered, recorded by the agreement's staff.

-- Cases by their current status and severity.
CREATE TABLE case_counts (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, status, severity)
);

-- Cases opened and closed per calendar month (UTC, 'YYYY-MM').
CREATE TABLE case_months (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    opened BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, month)
);

CREATE TABLE proactive_deliveries (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    credits BIGINT NOT NULL CHECK (credits >= 0),
    recorded_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX proactive_deliveries_workspace ON proactive_deliveries (workspace_id, delivered_on);

-- Staff time in a date range without visiting every case.
CREATE INDEX case_events_kind_created ON case_events (kind, created_at);

-- Backfill from the cases that exist.
INSERT INTO case_counts (workspace_id, status, severity, n)
SELECT workspace_id, status, severity, COUNT(*) FROM cases GROUP BY workspace_id, status, severity;

INSERT INTO case_months (workspace_id, month, opened, closed)
SELECT workspace_id, month, SUM(opened), SUM(closed) FROM (
    SELECT workspace_id, strftime('%Y-%m', opened_at, 'unixepoch') AS month, 1 AS opened, 0 AS closed
    FROM cases
    UNION ALL
    SELECT workspace_id, strftime('%Y-%m', closed_at, 'unixepoch') AS month, 0 AS opened, 1 AS closed
    FROM cases WHERE closed_at IS NOT NULL
) t GROUP BY workspace_id, month;
