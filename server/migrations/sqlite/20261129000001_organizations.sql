-- Account for organizations (issue 13): administrative roles, the catalogue, subscriptions,
-- license assignments and invoices. Money is in minor units (cents) with its currency;
-- timestamps are Unix seconds; booleans 0/1.

-- Who administers an organization. Read on every request by the guard (auth::organization).
CREATE TABLE organization_roles (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('global', 'billing', 'user')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, role)
);
CREATE INDEX organization_roles_organization ON organization_roles (organization_id, role);
-- The organization's own audit log (roles, subscriptions, licenses: no workspace, no agreement)
-- is one range of this index, however busy the organization's workspaces are.
CREATE INDEX audit_log_organization_own ON audit_log (organization_id, workspace_id, agreement_id, created_at, id);

-- An address confirmed by a mailed link: a person who signed their organization up confirms
-- theirs before anything paid is bought. Only the token's hash is kept; the mail worker makes
-- the token as the message leaves (outbox.confirmation_id and token_at).
CREATE TABLE email_confirmations (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE,
    expires_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    created_at BIGINT NOT NULL
);
ALTER TABLE outbox ADD COLUMN confirmation_id BIGINT REFERENCES email_confirmations (id);

-- What the provider sells: a service (what the Services page sums) and its offers (plans).
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_canonical TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services (id),
    name TEXT NOT NULL,
    name_canonical TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    unit TEXT NOT NULL,
    price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
    currency TEXT NOT NULL,
    period_months BIGINT NOT NULL CHECK (period_months IN (1, 12)),
    trial_days BIGINT NOT NULL DEFAULT 0 CHECK (trial_days >= 0),
    volume BIGINT NOT NULL DEFAULT 0,
    listed BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX offers_service ON offers (service_id);

-- assigned is kept equal to the count of license_assignments in the same transaction as each
-- assignment (one conditional update), so neither a parallel assignment nor a parallel quantity
-- change can pass the CHECK's bound.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services (id),
    offer_id BIGINT NOT NULL REFERENCES offers (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'trial', 'active', 'expired', 'disabled', 'cancelled', 'deleted')),
    quantity BIGINT NOT NULL CHECK (quantity >= 1),
    assigned BIGINT NOT NULL DEFAULT 0 CHECK (assigned >= 0 AND assigned <= quantity),
    recurring BIGINT NOT NULL DEFAULT 1,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    -- The next moment the lifecycle job has something to do for this row (a reminder, an end,
    -- a grace period's end); NULL when nothing is ever due again.
    due_at BIGINT,
    reminded_for BIGINT,
    cancel_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX subscriptions_organization ON subscriptions (organization_id, service_id, id);
CREATE INDEX subscriptions_due ON subscriptions (due_at);

CREATE TABLE license_assignments (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, account_id)
);
CREATE INDEX license_assignments_account ON license_assignments (account_id);

-- One gap-free invoice sequence per installation: the counter is taken inside the transaction
-- that issues the invoice, so a rolled-back purchase gives its number back.
CREATE TABLE invoice_sequence (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_number BIGINT NOT NULL
);
INSERT INTO invoice_sequence (id, last_number) VALUES (1, 0);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    bill_to TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('issued', 'void')),
    issued_at BIGINT NOT NULL
);
CREATE INDEX invoices_organization ON invoices (organization_id, id);
CREATE INDEX invoices_subscription ON invoices (subscription_id, id);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'renewal', 'quantity_change', 'conversion', 'cancellation', 'credit')),
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, id);

-- Issued invoices are immutable: a mistake is voided, never edited; lines never change.
CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
WHEN NOT (OLD.status = 'issued' AND NEW.status = 'void'
    AND NEW.number = OLD.number AND NEW.organization_id = OLD.organization_id
    AND NEW.subscription_id = OLD.subscription_id AND NEW.bill_to = OLD.bill_to
    AND NEW.currency = OLD.currency AND NEW.total_minor = OLD.total_minor
    AND NEW.issued_at = OLD.issued_at)
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoices_kept BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_lines_kept BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;

-- Sign-up is limited per client address across every server instance.
CREATE TABLE signup_attempts (
    address TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (address, window_start)
);
