-- Organizations, accounts, sessions and the audit log. Timestamps are Unix seconds (BIGINT) so
-- the same runtime-bound queries work on SQLite and PostgreSQL.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_canonical TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE organization_domains (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE,
    verified_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organization_domains_organization ON organization_domains (organization_id);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('work', 'personal')),
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    phone TEXT,
    organization_id BIGINT REFERENCES organizations (id),
    display_name TEXT NOT NULL,
    notification_email TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    password_hash TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    lockouts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    disabled_at BIGINT,
    last_sign_in_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The same email may exist once per kind (seed 000: a work and a personal account).
    UNIQUE (kind, email_canonical),
    UNIQUE (kind, phone)
);
CREATE INDEX accounts_email_canonical ON accounts (email_canonical);
CREATE INDEX accounts_phone ON accounts (phone);
CREATE INDEX accounts_organization ON accounts (organization_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BIGINT,
    organization_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_organization ON audit_log (organization_id, created_at);
