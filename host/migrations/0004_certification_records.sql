-- Certification records (spec.md §7, Recertification records; docs/server.md): each `certify`
-- action a decision stores is a row here, read back into `evidence.certified` by the next
-- decisions of its contact. Portable between SQLite and PostgreSQL, as 0001 is.

-- The next `CR-<n>` certification record number of the organisation (the counter of `R-<n>` is
-- `next_record`).
ALTER TABLE orgs ADD COLUMN next_certification BIGINT NOT NULL DEFAULT 1 CHECK (next_certification >= 1);

CREATE TABLE certification_records (
    org TEXT NOT NULL REFERENCES orgs (id),
    id TEXT NOT NULL,
    number BIGINT NOT NULL CHECK (number >= 1),
    contact TEXT NOT NULL,
    certification TEXT NOT NULL,
    cycle BIGINT NOT NULL CHECK (cycle >= 1),
    completed_on TEXT NOT NULL,
    valid_until TEXT,
    -- The certification's certificate template when the cycle was certified (NULL: none).
    certificate TEXT,
    revoked_on TEXT,
    revoked_by TEXT,
    revoked_reason TEXT,
    decision TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org, id),
    UNIQUE (org, number),
    -- The engine matches a completed cycle to its record by (contact, certification,
    -- completedOn) and proposes none twice; this index also serves a decision's read of its
    -- contacts' records and the lists by contact.
    UNIQUE (org, contact, certification, completed_on),
    CHECK (valid_until IS NULL OR valid_until >= completed_on),
    FOREIGN KEY (org, decision) REFERENCES decisions (org, id)
);

-- The audit log gains the actions `certify` (a decision stored a certification record) and
-- `revoke-certification`. Neither database alters a CHECK constraint in a way the other
-- shares, so the table is rebuilt with the wider check and its rows copied in number order.
CREATE TABLE audit_0004 (
    org TEXT NOT NULL REFERENCES orgs (id),
    number BIGINT NOT NULL CHECK (number >= 1),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('put-rulebook', 'issue', 'advance-sequence', 'revoke', 'edit-expiry',
                                           'certify', 'revoke-certification')),
    record TEXT,
    decision TEXT,
    before TEXT,
    after TEXT,
    reason TEXT,
    PRIMARY KEY (org, number)
);
INSERT INTO audit_0004 (org, number, at, actor, action, record, decision, before, after, reason)
    SELECT org, number, at, actor, action, record, decision, before, after, reason FROM audit ORDER BY org, number;
DROP TABLE audit;
ALTER TABLE audit_0004 RENAME TO audit;
