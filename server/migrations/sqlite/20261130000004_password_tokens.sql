-- "Forgot your password?" and the set-password link of a newly added user (issue 14, item 5).
-- Only the token's SHA-256 is kept: the mail worker makes the token as the message leaves
-- (outbox.password_token_id and token_at), so a copy of the database opens nothing.
-- token_hash is NULL until the mail leaves; used_at ends the token (single use, and a reset or a
-- newer request ends the account's other tokens the same way).
CREATE TABLE password_tokens (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'welcome')),
    token_hash TEXT UNIQUE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX password_tokens_account ON password_tokens (account_id, used_at);
-- A deleted account takes its tokens and their mail with it (a queued message would otherwise
-- leave with a link missing its token; and deleting the account is not blocked by its mail).
ALTER TABLE outbox ADD COLUMN password_token_id BIGINT REFERENCES password_tokens (id) ON DELETE CASCADE;
CREATE INDEX outbox_password_token ON outbox (password_token_id, id);

-- Reset requests counted per hour, per client address ('ip:…') and per canonical email
-- ('email:…'), in the database so the limit holds across server instances.
CREATE TABLE password_reset_attempts (
    subject TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (subject, window_start)
);
