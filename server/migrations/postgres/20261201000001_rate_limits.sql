-- Per-address sign-in limits (issue 15): counted in the database so that several server
-- instances on one database share one count per client address. One row per key
-- ('sign-in:<ip>', 'lookup:<ip>'), a fixed window of a minute; `security::SignInGuards` moves
-- the window and the count in one upsert, and deletes expired rows as it goes (by the index).
CREATE TABLE rate_limits (
    key TEXT NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
