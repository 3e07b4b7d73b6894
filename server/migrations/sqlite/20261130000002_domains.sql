-- Domains with DNS proof (issue 14). Several organizations may add the same domain; only one may
-- verify it (a partial unique index decides, so a race between two verifications cannot let both
-- win). Each domain row carries its own random TXT value, the primary flag, and the state of the
-- background re-check (when it last looked, who holds the claim, since when the record is missing
-- and whether the Global Administrators were told).
--
-- SQLite cannot drop the old UNIQUE (domain), so the table is rebuilt. Nothing referenced
-- organization_domains when this runs (federations come after it, 20261130000003), so dropping the
-- old table is valid with foreign keys on, inside the migration's transaction.
CREATE TABLE organization_domains_new (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    verified_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The value to publish: "services-hub-verification=<txt_token>". Public once published; what
    -- matters is that it differs per organization and domain. New rows get one from the code
    -- or, for accounts::insert_organization, from this default.
    txt_token TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    is_primary BIGINT NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    -- 1: written with the organization at sign-up or by the operator. Only such a domain, or a
    -- verified one, names the organization of a new work account (accounts::organization_for_domain).
    from_creation BIGINT NOT NULL DEFAULT 0 CHECK (from_creation IN (0, 1)),
    checked_at BIGINT,
    check_lease_until BIGINT,
    missing_since BIGINT,
    warned_at BIGINT,
    -- What the last check found, shown on the page (so it survives a form post without
    -- JavaScript): 'verified', 'not_found', 'different' (with the values seen, one per line),
    -- 'no_answer' (the DNS server did not answer).
    last_outcome TEXT CHECK (last_outcome IN ('verified', 'not_found', 'different', 'no_answer')),
    last_seen TEXT
);

INSERT INTO organization_domains_new
    (id, organization_id, domain, verified_at, created_at, updated_at, txt_token, is_primary,
     from_creation, checked_at)
SELECT d.id, d.organization_id, d.domain, d.verified_at, d.created_at, d.updated_at,
       lower(hex(randomblob(16))),
       CASE WHEN d.id = (SELECT MIN(o.id) FROM organization_domains o
                         WHERE o.organization_id = d.organization_id) THEN 1 ELSE 0 END,
       1, d.verified_at
FROM organization_domains d;

DROP TABLE organization_domains;
ALTER TABLE organization_domains_new RENAME TO organization_domains;

CREATE INDEX organization_domains_organization ON organization_domains (organization_id);
CREATE UNIQUE INDEX organization_domains_once ON organization_domains (organization_id, domain);
CREATE INDEX organization_domains_domain ON organization_domains (domain);
CREATE UNIQUE INDEX organization_domains_verified_once ON organization_domains (domain)
    WHERE verified_at IS NOT NULL;
CREATE UNIQUE INDEX organization_domains_one_primary ON organization_domains (organization_id)
    WHERE is_primary = 1;
-- The re-check job's queue: verified domains by when they were last checked.
CREATE INDEX organization_domains_recheck ON organization_domains (checked_at)
    WHERE verified_at IS NOT NULL;
