-- Two-step verification (issue 15, item 5): a TOTP secret per account, sealed with the
-- installation's secret key (like directory client secrets), so a copy of the database alone
-- yields no codes. enabled_at is NULL while an enrollment waits for its first code (the pending
-- secret stays here, never in the page). last_step is the last accepted time step: a code is
-- single use within its window, so a step at or below it is refused.
CREATE TABLE second_factors (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,
    enabled_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0,
    -- 1 when recovery codes are to be made and shown (after enrollment, after "New recovery
    -- codes"): the next load of the page claims it with one conditional update and shows the
    -- codes that once, which also works without JavaScript (a form post's answer is not shown).
    recovery_codes_due BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Ten recovery codes shown once after enrollment; only their SHA-256 is kept, each single use.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id, used_at);

-- A session whose password was right but whose second step is still due (0/1, like every
-- boolean): the guard treats it as signed out except for the verification and sign-out.
ALTER TABLE sessions ADD COLUMN second_factor_pending BIGINT NOT NULL DEFAULT 0;
