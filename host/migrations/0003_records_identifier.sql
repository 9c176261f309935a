-- The lookup of `GET /v1/verify/{identifier}` (docs/server.md): a verification looks a
-- certificate number up across every organisation, and 0001's UNIQUE (org, identifier) index
-- starts with the organisation, so it cannot serve that lookup. Portable between SQLite and
-- PostgreSQL, as 0001 is.
CREATE INDEX records_identifier ON records (identifier);
