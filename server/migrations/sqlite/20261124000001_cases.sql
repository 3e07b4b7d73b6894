-- Support cases (DESIGN "Support cases"): a case belongs to one workspace; its timeline of notes,
-- status changes and staff time; the members it is shared with.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    opened_by BIGINT NOT NULL REFERENCES accounts (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('a', 'b', 'c')),
    product_area TEXT NOT NULL DEFAULT '',
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'phone')),
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'in_progress', 'waiting_on_customer', 'resolved', 'closed')),
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_workspace_status ON cases (workspace_id, status);
CREATE INDEX cases_workspace_opened ON cases (workspace_id, opened_at);
CREATE INDEX cases_opened_by ON cases (opened_by);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author BIGINT REFERENCES accounts (id),
    kind TEXT NOT NULL CHECK (kind IN ('note', 'status', 'time')),
    body TEXT NOT NULL DEFAULT '',
    status TEXT,
    minutes BIGINT,
    staff BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE case_shares (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, account_id)
);
CREATE INDEX case_shares_account ON case_shares (account_id);

-- "View all support requests": a member who sees every case of the workspace.
ALTER TABLE memberships ADD COLUMN view_all_cases BIGINT NOT NULL DEFAULT 0;
