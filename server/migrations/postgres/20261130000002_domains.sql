-- Domains with DNS proof (issue 14). Several organizations may add the same domain; only one may
-- verify it (a partial unique index decides, so a race between two verifications cannot let both
-- win). Each domain row carries its own random TXT value, the primary flag, and the state of the
-- background re-check (when it last looked, who holds the claim, since when the record is missing
-- and whether the Global Administrators were told). Same meaning as the SQLite file, which has
-- to rebuild the table.
ALTER TABLE organization_domains DROP CONSTRAINT organization_domains_domain_key;

-- The value to publish: "services-hub-verification=<txt_token>". Public once published; what
-- matters is that it differs per organization and domain.
ALTER TABLE organization_domains
    ADD COLUMN txt_token TEXT NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
    ADD COLUMN is_primary BIGINT NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    -- 1: written with the organization at sign-up or by the operator. Only such a domain, or a
    -- verified one, names the organization of a new work account.
    ADD COLUMN from_creation BIGINT NOT NULL DEFAULT 0 CHECK (from_creation IN (0, 1)),
    ADD COLUMN checked_at BIGINT,
    ADD COLUMN check_lease_until BIGINT,
    ADD COLUMN missing_since BIGINT,
    ADD COLUMN warned_at BIGINT,
    -- What the last check found, shown on the page (so it survives a form post without
    -- JavaScript); 'different' comes with the values seen, one per line.
    ADD COLUMN last_outcome TEXT
        CHECK (last_outcome IN ('verified', 'not_found', 'different', 'no_answer')),
    ADD COLUMN last_seen TEXT;

UPDATE organization_domains d SET
    is_primary = CASE WHEN d.id = (SELECT MIN(o.id) FROM organization_domains o
                                   WHERE o.organization_id = d.organization_id) THEN 1 ELSE 0 END,
    from_creation = 1,
    checked_at = d.verified_at;

CREATE UNIQUE INDEX organization_domains_once ON organization_domains (organization_id, domain);
CREATE INDEX organization_domains_domain ON organization_domains (domain);
CREATE UNIQUE INDEX organization_domains_verified_once ON organization_domains (domain)
    WHERE verified_at IS NOT NULL;
CREATE UNIQUE INDEX organization_domains_one_primary ON organization_domains (organization_id)
    WHERE is_primary = 1;
-- The re-check job's queue: verified domains by when they were last checked.
CREATE INDEX organization_domains_recheck ON organization_domains (checked_at)
    WHERE verified_at IS NOT NULL;
