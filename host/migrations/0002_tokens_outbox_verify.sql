-- Token lifetimes (docs/server.md). Portable between SQLite and PostgreSQL, as 0001 is:
-- `ALTER TABLE … ADD COLUMN` with nullable columns.

-- When a token stops being accepted (NULL: never) and when it was revoked (NULL: it is not);
-- RFC 3339 UTC text, compared as text.
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
