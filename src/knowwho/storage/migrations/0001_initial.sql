-- knowwho schema, version 1: the whole data model of the design (people,
-- organizations, roles, knows edges, interactions, follow-ups, events,
-- opportunities, introductions, reciprocity ledger, items to share, my
-- profile and updates, templates), plus agenda state and the undo journal.
-- Timestamps are UTC text 'YYYY-MM-DD HH:MM:SS'; dates are 'YYYY-MM-DD'.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    field      TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    is_target  INTEGER NOT NULL DEFAULT 0,
    interest   INTEGER,                      -- 1..5 when a target
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX organizations_name ON organizations (name COLLATE NOCASE);

CREATE TABLE organization_domains (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain          TEXT NOT NULL,
    PRIMARY KEY (organization_id, domain)
);
CREATE INDEX organization_domains_domain ON organization_domains (domain);

CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    display_name   TEXT NOT NULL,
    given_name     TEXT NOT NULL DEFAULT '',
    family_name    TEXT NOT NULL DEFAULT '',
    location       TEXT NOT NULL DEFAULT '',
    situation      TEXT NOT NULL DEFAULT '',  -- what they are going through now
    needs          TEXT NOT NULL DEFAULT '',
    offers         TEXT NOT NULL DEFAULT '',
    how_met        TEXT NOT NULL DEFAULT '',
    first_met_on   TEXT,
    birthday       TEXT,
    cadence_days   INTEGER,                   -- NULL: default by closeness; 0: none
    closeness      INTEGER CHECK (closeness BETWEEN 1 AND 5),
    is_advocate    INTEGER NOT NULL DEFAULT 0,
    is_contact     INTEGER NOT NULL DEFAULT 1, -- 0: second degree, known through others
    photo          BLOB,
    photo_type     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    merged_into_id INTEGER REFERENCES people (id),
    -- Derived from interactions, kept by the data layer so the agenda needs
    -- no scan of the interaction table.
    first_interaction_at TEXT,
    last_interaction_at  TEXT,
    last_inbound_at      TEXT,
    last_outbound_at     TEXT,
    interaction_count    INTEGER NOT NULL DEFAULT 0,
    tie_strength         REAL NOT NULL DEFAULT 0
);
CREATE INDEX people_name ON people (display_name COLLATE NOCASE);
CREATE INDEX people_last_inbound ON people (last_inbound_at) WHERE deleted_at IS NULL;
CREATE INDEX people_first_met ON people (first_met_on) WHERE deleted_at IS NULL;

CREATE TABLE person_emails (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    email     TEXT NOT NULL,                  -- stored lower-case
    label     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, email)
);
CREATE INDEX person_emails_email ON person_emails (email);

CREATE TABLE person_phones (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    phone     TEXT NOT NULL,                  -- E.164 where it parses
    label     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, phone)
);
CREATE INDEX person_phones_phone ON person_phones (phone);

CREATE TABLE person_links (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    url       TEXT NOT NULL,
    kind      TEXT NOT NULL DEFAULT 'web',    -- linkedin, web, twitter, ...
    PRIMARY KEY (person_id, url)
);
CREATE INDEX person_links_url ON person_links (url);

CREATE TABLE person_addresses (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    address   TEXT NOT NULL,
    label     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, address)
);

-- kind: tag, interest, need, offer, situation
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    kind      TEXT NOT NULL DEFAULT 'tag',
    PRIMARY KEY (person_id, kind, tag)
);
CREATE INDEX person_tags_tag ON person_tags (kind, tag);

CREATE TABLE roles (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    title           TEXT NOT NULL DEFAULT '',
    start_on        TEXT,
    end_on          TEXT,
    is_current      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX roles_person ON roles (person_id);
CREATE INDEX roles_organization ON roles (organization_id, is_current);

CREATE TABLE notes (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX notes_person ON notes (person_id);
CREATE INDEX notes_organization ON notes (organization_id);

-- person <-> person; source: me, same-organization, mail-co-recipient,
-- same-event, introduced
CREATE TABLE knows (
    id          INTEGER PRIMARY KEY,
    person_a_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_b_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    source      TEXT NOT NULL DEFAULT 'me',
    confidence  REAL NOT NULL DEFAULT 1.0,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (person_a_id, person_b_id, source),
    CHECK (person_a_id < person_b_id)
);
CREATE INDEX knows_b ON knows (person_b_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT,
    place       TEXT NOT NULL DEFAULT '',
    recurrence  TEXT NOT NULL DEFAULT '',     -- '', yearly, monthly
    series      TEXT NOT NULL DEFAULT '',     -- groups editions of a recurring event
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX events_starts ON events (starts_on);

CREATE TABLE event_people (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    note      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_people_person ON event_people (person_id);

CREATE TABLE opportunities (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations (id),
    role_title      TEXT NOT NULL DEFAULT '',
    link            TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL DEFAULT 'exploring'
        CHECK (stage IN ('exploring', 'applied', 'interviewing', 'offer',
                         'accepted', 'rejected', 'withdrawn')),
    opened_on       TEXT,
    closed_on       TEXT,
    outcome         TEXT NOT NULL DEFAULT '',
    reengage_on     TEXT,
    reengaged_at    TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX opportunities_reengage ON opportunities (reengage_on) WHERE reengaged_at IS NULL;

-- part: referrer, recruiter, interviewer, hiring-manager, contact
CREATE TABLE opportunity_people (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    part           TEXT NOT NULL DEFAULT 'contact',
    PRIMARY KEY (opportunity_id, person_id, part)
);
CREATE INDEX opportunity_people_person ON opportunity_people (person_id);

CREATE TABLE interactions (
    id                INTEGER PRIMARY KEY,
    occurred_at       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    direction         TEXT NOT NULL CHECK (direction IN ('in', 'out', 'mutual')),
    subject           TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL DEFAULT '',
    source_message_id TEXT,
    event_id          INTEGER REFERENCES events (id) ON DELETE SET NULL,
    opportunity_id    INTEGER REFERENCES opportunities (id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    deleted_at        TEXT
);
CREATE INDEX interactions_occurred ON interactions (occurred_at);
CREATE INDEX interactions_message_id ON interactions (source_message_id)
    WHERE source_message_id IS NOT NULL;

CREATE TABLE interaction_participants (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, interaction_id)
) WITHOUT ROWID;
CREATE INDEX interaction_participants_interaction ON interaction_participants (interaction_id);

-- status: open, done, dismissed; kind: explicit, thank-you, nice-to-meet
CREATE TABLE followups (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER REFERENCES people (id) ON DELETE CASCADE,
    due_on         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT 'explicit',
    status         TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'done', 'dismissed')),
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    closed_at      TEXT
);
CREATE INDEX followups_open ON followups (due_on) WHERE status = 'open';
CREATE INDEX followups_person ON followups (person_id);

-- stage: suggested, asked-a, asked-b, made, declined, outcome
CREATE TABLE introductions (
    id          INTEGER PRIMARY KEY,
    person_a_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_b_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL DEFAULT '',
    stage       TEXT NOT NULL DEFAULT 'suggested',
    outcome     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    made_on     TEXT
);
CREATE INDEX introductions_a ON introductions (person_a_id);
CREATE INDEX introductions_b ON introductions (person_b_id);

-- direction: gave, received; what: intro, article, reference, advice, referral
CREATE TABLE ledger_entries (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    direction   TEXT NOT NULL CHECK (direction IN ('gave', 'received')),
    what        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    occurred_on TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ledger_person ON ledger_entries (person_id);

CREATE TABLE share_items (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    url        TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    tags       TEXT NOT NULL DEFAULT '',      -- space-separated, normalised
    created_at TEXT NOT NULL
);

CREATE TABLE shares (
    item_id   INTEGER NOT NULL REFERENCES share_items (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    shared_on TEXT NOT NULL,
    PRIMARY KEY (item_id, person_id)
);

-- Me: one profile row, my addresses (to tell inbound from outbound mail),
-- my interests and targets as tags, and my dated updates.
CREATE TABLE my_profile (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    name     TEXT NOT NULL DEFAULT '',
    headline TEXT NOT NULL DEFAULT '',
    interests TEXT NOT NULL DEFAULT '',
    targets  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE my_emails (
    email TEXT PRIMARY KEY
);

CREATE TABLE my_updates (
    id          INTEGER PRIMARY KEY,
    happened_on TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE templates (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Where each imported record came from, so that importing twice adds nothing.
CREATE TABLE provenance (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,                -- person, interaction, organization, event
    entity_id   INTEGER NOT NULL,
    source      TEXT NOT NULL,                -- linkedin, vcard, csv, ics, mail, manual
    file        TEXT NOT NULL DEFAULT '',
    external_id TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
CREATE UNIQUE INDEX provenance_key ON provenance (source, entity, external_id)
    WHERE external_id != '';
CREATE INDEX provenance_entity ON provenance (entity, entity_id);

-- Agenda state: done/dismissed/snoozed derived actions, keyed by what they
-- are about, and the numbered rows of the last listing (for `knowwho done N`).
CREATE TABLE agenda_marks (
    key        TEXT PRIMARY KEY,
    status     TEXT NOT NULL CHECK (status IN ('done', 'dismissed', 'snoozed')),
    until_on   TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE agenda_listing (
    number    INTEGER PRIMARY KEY,
    key       TEXT NOT NULL,
    action    TEXT NOT NULL,
    person_id INTEGER,
    label     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE undo_log (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL,
    payload     TEXT NOT NULL,                -- JSON
    undone_at   TEXT
);

-- Full-text search, kept in sync by triggers.
CREATE VIRTUAL TABLE people_fts USING fts5 (
    display_name, location, situation, needs, offers, how_met,
    content = 'people', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, display_name, location, situation, needs, offers, how_met)
    VALUES (new.id, new.display_name, new.location, new.situation, new.needs, new.offers, new.how_met);
END;
CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, display_name, location, situation, needs, offers, how_met)
    VALUES ('delete', old.id, old.display_name, old.location, old.situation, old.needs, old.offers, old.how_met);
END;
CREATE TRIGGER people_fts_au AFTER UPDATE OF display_name, location, situation, needs, offers, how_met ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, display_name, location, situation, needs, offers, how_met)
    VALUES ('delete', old.id, old.display_name, old.location, old.situation, old.needs, old.offers, old.how_met);
    INSERT INTO people_fts (rowid, display_name, location, situation, needs, offers, how_met)
    VALUES (new.id, new.display_name, new.location, new.situation, new.needs, new.offers, new.how_met);
END;

CREATE VIRTUAL TABLE organizations_fts USING fts5 (
    name, field, notes,
    content = 'organizations', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER organizations_fts_ai AFTER INSERT ON organizations BEGIN
    INSERT INTO organizations_fts (rowid, name, field, notes) VALUES (new.id, new.name, new.field, new.notes);
END;
CREATE TRIGGER organizations_fts_ad AFTER DELETE ON organizations BEGIN
    INSERT INTO organizations_fts (organizations_fts, rowid, name, field, notes)
    VALUES ('delete', old.id, old.name, old.field, old.notes);
END;
CREATE TRIGGER organizations_fts_au AFTER UPDATE OF name, field, notes ON organizations BEGIN
    INSERT INTO organizations_fts (organizations_fts, rowid, name, field, notes)
    VALUES ('delete', old.id, old.name, old.field, old.notes);
    INSERT INTO organizations_fts (rowid, name, field, notes) VALUES (new.id, new.name, new.field, new.notes);
END;

CREATE VIRTUAL TABLE notes_fts USING fts5 (
    body, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER notes_fts_au AFTER UPDATE OF body ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE VIRTUAL TABLE interactions_fts USING fts5 (
    subject, notes, content = 'interactions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER interactions_fts_ai AFTER INSERT ON interactions
WHEN new.subject != '' OR new.notes != '' BEGIN
    INSERT INTO interactions_fts (rowid, subject, notes) VALUES (new.id, new.subject, new.notes);
END;
CREATE TRIGGER interactions_fts_ad AFTER DELETE ON interactions
WHEN old.subject != '' OR old.notes != '' BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, subject, notes)
    VALUES ('delete', old.id, old.subject, old.notes);
END;
CREATE TRIGGER interactions_fts_au AFTER UPDATE OF subject, notes ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, subject, notes)
    SELECT 'delete', old.id, old.subject, old.notes WHERE old.subject != '' OR old.notes != '';
    INSERT INTO interactions_fts (rowid, subject, notes)
    SELECT new.id, new.subject, new.notes WHERE new.subject != '' OR new.notes != '';
END;
