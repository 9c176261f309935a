-- Token lifetimes, and the outbox's queue order and acknowledgements (docs/server.md). Portable
-- between SQLite and PostgreSQL, as 0001 is: `ALTER TABLE … ADD COLUMN` with nullable columns,
-- and a unique index.

-- When a token stops being accepted (NULL: never) and when it was revoked (NULL: it is not);
-- RFC 3339 UTC text, compared as text.
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;

-- The queue order: `number` counts an organisation's notifications from 1, in the order they were
-- queued (the service always sets it). Rows queued before this migration are numbered in the
-- order of their (created_at, key).
ALTER TABLE outbox ADD COLUMN number BIGINT CHECK (number >= 1);
UPDATE outbox SET number = (
    SELECT COUNT(*) FROM outbox AS earlier
    WHERE earlier.org = outbox.org
      AND (earlier.created_at < outbox.created_at
           OR (earlier.created_at = outbox.created_at AND earlier.key <= outbox.key))
);
CREATE UNIQUE INDEX outbox_number ON outbox (org, number);

-- When a client acknowledged the notification and the token it used (NULL: still pending).
ALTER TABLE outbox ADD COLUMN acknowledged_at TEXT;
ALTER TABLE outbox ADD COLUMN acknowledged_by TEXT;
