-- Federation over OpenID Connect (issue 14): a verified domain of an organization connected to
-- the organization's directory. Timestamps are Unix seconds; booleans 0/1.

-- One connection per domain. The client secret is sealed (ChaCha20-Poly1305 under the server's
-- secret key, see README "Secret key"), so a copy of the database alone does not reveal it.
CREATE TABLE federations (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain_id BIGINT NOT NULL UNIQUE REFERENCES organization_domains (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    create_accounts BIGINT NOT NULL DEFAULT 0,
    enabled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX federations_organization ON federations (organization_id);

-- Who a directory says someone is: (issuer, subject) names one account, for ever. Never found
-- by the email alone: the same address from another issuer is another identity.
CREATE TABLE federated_identities (
    id INTEGER PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT,
    UNIQUE (issuer, subject)
);
CREATE INDEX federated_identities_account ON federated_identities (account_id);

-- A login under way at a directory: keyed by the hash of its state, used once, ten minutes.
-- purpose 'test' is an administrator's Test sign-in, which only records the claims.
CREATE TABLE federation_logins (
    state_hash TEXT PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('sign_in', 'test')),
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    -- Where the person goes once signed in (a path of this site).
    next_path TEXT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX federation_logins_expires ON federation_logins (expires_at);

-- The last Test sign-in of a connection: the claims that arrived (JSON) or why it failed.
CREATE TABLE federation_tests (
    federation_id BIGINT PRIMARY KEY REFERENCES federations (id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    claims TEXT NOT NULL,
    error TEXT,
    created_at BIGINT NOT NULL
);
