-- The ledger of `laureate serve` (docs/server.md). Portable between SQLite and PostgreSQL:
-- TEXT ids, TEXT ISO-8601 dates and times, BIGINT counters, JSON kept as TEXT. The invariants
-- are constraints here, not only in the Rust code.

CREATE TABLE orgs (
    id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    -- The next `R-<n>` record number and the next audit row number of this organisation.
    next_record BIGINT NOT NULL DEFAULT 1 CHECK (next_record >= 1),
    next_audit BIGINT NOT NULL DEFAULT 1 CHECK (next_audit >= 1),
    next_decision BIGINT NOT NULL DEFAULT 1 CHECK (next_decision >= 1)
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL REFERENCES orgs (id),
    role TEXT NOT NULL CHECK (role IN ('read', 'decide', 'correct', 'admin')),
    -- Hex SHA-256 of the token; the token itself is never stored.
    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
    created_at TEXT NOT NULL
);

CREATE TABLE rulebooks (
    org TEXT NOT NULL REFERENCES orgs (id),
    version BIGINT NOT NULL CHECK (version >= 1),
    rulebook TEXT NOT NULL,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (org, version)
);

CREATE TABLE sequence_state (
    org TEXT NOT NULL REFERENCES orgs (id),
    sequence TEXT NOT NULL,
    next BIGINT NOT NULL CHECK (next >= 1),
    PRIMARY KEY (org, sequence)
);

CREATE TABLE decisions (
    org TEXT NOT NULL REFERENCES orgs (id),
    id TEXT NOT NULL,
    idempotency_key TEXT,
    -- Hex SHA-256 of the request body: a retry with the same key must send the same body.
    request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
    answer TEXT NOT NULL,
    rulebook_version BIGINT NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org, id),
    UNIQUE (org, idempotency_key),
    FOREIGN KEY (org, rulebook_version) REFERENCES rulebooks (org, version)
);

CREATE TABLE records (
    org TEXT NOT NULL REFERENCES orgs (id),
    id TEXT NOT NULL,
    number BIGINT NOT NULL CHECK (number >= 1),
    achievement TEXT NOT NULL,
    contact TEXT NOT NULL,
    learner TEXT,
    event TEXT,
    path TEXT,
    awarded_on TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    expires_on TEXT,
    identifier TEXT,
    certificate TEXT,
    revoked_on TEXT,
    revoked_by TEXT,
    revoked_reason TEXT,
    decision TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org, id),
    UNIQUE (org, number),
    -- Certificate numbers are unique within an organisation (NULL: none could be formatted).
    UNIQUE (org, identifier),
    CHECK ((event IS NULL) <> (path IS NULL)),
    CHECK (expires_on IS NULL OR expires_on >= valid_from),
    FOREIGN KEY (org, decision) REFERENCES decisions (org, id)
);

-- A decision reads the records of the contacts and learners its evidence names.
CREATE INDEX records_by_contact ON records (org, contact);
CREATE INDEX records_by_learner ON records (org, learner);

CREATE TABLE outbox (
    org TEXT NOT NULL REFERENCES orgs (id),
    -- `<event or path>/<learner>/<achievement>/<trigger>`: one notification per award.
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    decision TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org, key),
    FOREIGN KEY (org, decision) REFERENCES decisions (org, id)
);

-- Append-only: no statement of the service updates or deletes a row. A correction's row
-- (`revoke`, `edit-expiry`) has the record before and after, and the reason.
CREATE TABLE audit (
    org TEXT NOT NULL REFERENCES orgs (id),
    number BIGINT NOT NULL CHECK (number >= 1),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('put-rulebook', 'issue', 'advance-sequence', 'revoke', 'edit-expiry')),
    record TEXT,
    decision TEXT,
    before TEXT,
    after TEXT,
    reason TEXT,
    PRIMARY KEY (org, number)
);
