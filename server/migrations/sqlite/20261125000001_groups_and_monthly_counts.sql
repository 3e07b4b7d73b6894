-- Groups of a workspace's members, and sharing a case with a group (DESIGN "Support cases":
-- a case is shared with "a named member or a group of the same workspace").
CREATE TABLE workspace_groups (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The name lower-cased: one group of a name per workspace, whatever its case.
    name_canonical TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, name_canonical)
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES workspace_groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account ON group_members (account_id);

CREATE TABLE case_group_shares (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES workspace_groups (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, group_id)
);
CREATE INDEX case_group_shares_group ON case_group_shares (group_id);

-- Case counts by status and severity now follow the date range: they are kept per month the
-- case was opened (UTC, 'YYYY-MM'), so a range sums whole months without scanning the cases.
DROP TABLE case_counts;
CREATE TABLE case_counts (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, month, status, severity)
);
INSERT INTO case_counts (workspace_id, month, status, severity, n)
SELECT workspace_id, strftime('%Y-%m', opened_at, 'unixepoch'), status, severity, COUNT(*)
FROM cases GROUP BY workspace_id, strftime('%Y-%m', opened_at, 'unixepoch'), status, severity;

-- "Closed" per month counted every closing, so a case closed, reopened and closed again
-- counted twice; now a case counts once, in the month of its (current) closing: rebuilt.
DELETE FROM case_months;
INSERT INTO case_months (workspace_id, month, opened, closed)
SELECT workspace_id, month, SUM(opened), SUM(closed) FROM (
    SELECT workspace_id, strftime('%Y-%m', opened_at, 'unixepoch') AS month, 1 AS opened, 0 AS closed
    FROM cases
    UNION ALL
    SELECT workspace_id, strftime('%Y-%m', closed_at, 'unixepoch') AS month, 0 AS opened, 1 AS closed
    FROM cases WHERE closed_at IS NOT NULL
) t GROUP BY workspace_id, month;

-- A proactive service is measured in credits or in hours (DESIGN "Customer Activity"): the
-- hours delivered, in minutes (whole numbers on both engines).
ALTER TABLE proactive_deliveries ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;
