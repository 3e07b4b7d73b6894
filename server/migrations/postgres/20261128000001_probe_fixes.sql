-- Fixes of issue 9 (an outside probe).

-- 1. No usable invitation token at rest. An invitation mail is stored without its token: the
-- mail worker makes the token when it delivers the message (app/src/mail.rs). token_at is where
-- the token goes, in characters from the start of body.
ALTER TABLE outbox ADD COLUMN invitation_id BIGINT REFERENCES invitations (id);
ALTER TABLE outbox ADD COLUMN token_at BIGINT;
CREATE INDEX outbox_invitation ON outbox (invitation_id, id);

-- Mail written by earlier versions holds its 43-character token after the link: cut it out.
-- A message already sent keeps working in the invitee's mailbox (the invitation's hash is
-- unchanged); one still queued is tied to the open invitation of its address, which gets a new
-- token when the message leaves, or is set aside when that invitation is no longer open.
UPDATE outbox SET
    token_at = strpos(body, '/invitations/accept?token=') + 25,
    body = substr(body, 1, strpos(body, '/invitations/accept?token=') + 25) || substr(body, strpos(body, '/invitations/accept?token=') + 69)
WHERE strpos(body, '/invitations/accept?token=') > 0;
UPDATE outbox SET invitation_id = (
    SELECT MAX(i.id) FROM invitations i WHERE i.email = outbox.to_address AND i.status = 'pending'
) WHERE sent_at IS NULL AND token_at IS NOT NULL;
UPDATE outbox SET next_attempt_at = 9223372036854775807,
    last_error = 'the invitation is no longer open, or was sent again'
WHERE sent_at IS NULL AND token_at IS NOT NULL AND invitation_id IS NULL;

-- 3. Invitations count against a daily budget per workspace: addresses, not requests.
-- day = whole days since 1970-01-01 (UTC).
CREATE TABLE invitation_budget (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
    day BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day)
);

-- 7. A phone number belongs to one account of any kind, so phone sign-in never offers an
-- account that does not own the number. Numbers were never verified: where two accounts of
-- different kinds saved the same one, the older account (the lower id) keeps it.
UPDATE accounts SET phone = NULL WHERE phone IS NOT NULL
    AND EXISTS (SELECT 1 FROM accounts b WHERE b.phone = accounts.phone AND b.id < accounts.id);
DROP INDEX accounts_phone;
CREATE UNIQUE INDEX accounts_phone ON accounts (phone);
