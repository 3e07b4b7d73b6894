-- Issue 14: the organization's groups of its users (item 2) and the Help pages' feedback
-- (item 6). An organization's groups are its own, apart from a workspace's groups.

-- name_key is the name in lower case: a name is unique per organization whatever its case, and
-- the list and its prefix search read it in the unique index's order (bytewise on both engines).
CREATE TABLE org_groups (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (organization_id, name_key)
);

-- A member is a work account of the group's organization (checked when added); deleting the
-- account or the group takes the membership with it.
CREATE TABLE org_group_members (
    group_id BIGINT NOT NULL REFERENCES org_groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX org_group_members_account ON org_group_members (account_id);

-- What people tell the provider from Help > Feedback; the operator reads it newest first.
-- The account may be deleted later: its feedback stays, without the name.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    organization_id BIGINT REFERENCES organizations (id) ON DELETE SET NULL,
    author TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('idea', 'problem', 'praise', 'other')),
    message TEXT NOT NULL,
    page TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_newest ON feedback (created_at, id);
-- The per-account hourly limit counts an account's latest rows.
CREATE INDEX feedback_account ON feedback (account_id, created_at);
