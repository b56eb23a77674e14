-- My own job history, so that the people I worked with are found (warm paths
-- through former colleagues). Like `roles`, without a person: the user is one.
CREATE TABLE my_roles (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    title           TEXT NOT NULL DEFAULT '',
    start_on        TEXT,
    end_on          TEXT,
    is_current      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX my_roles_organization ON my_roles (organization_id);
