-- Which rows of the network changed, in order: a long-running server keeps
-- the network (people, who knows whom, job histories) in memory for warm
-- paths, and reads here what to update after any commit, whoever made it
-- (this server, the CLI, an undo). Not part of backups; kept short: every
-- thousandth change drops those more than 50,000 changes old, and a reader
-- that has fallen that far behind reads the whole network again.
CREATE TABLE network_changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl    TEXT NOT NULL,     -- people | knows | roles | my_roles | organizations
    row_id INTEGER NOT NULL
);

CREATE TRIGGER network_changes_prune AFTER INSERT ON network_changes WHEN NEW.seq % 1000 = 0
BEGIN
    DELETE FROM network_changes WHERE seq <= NEW.seq - 50000;
END;

-- People: only what the route search reads.
CREATE TRIGGER network_people_insert AFTER INSERT ON people
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('people', NEW.id);
END;
CREATE TRIGGER network_people_update AFTER UPDATE OF display_name, tie_strength, is_contact, interaction_count,
    deleted_at ON people
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.tie_strength IS NOT NEW.tie_strength
  OR OLD.is_contact IS NOT NEW.is_contact OR OLD.interaction_count IS NOT NEW.interaction_count
  OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('people', NEW.id);
END;
CREATE TRIGGER network_people_delete AFTER DELETE ON people
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('people', OLD.id);
END;

CREATE TRIGGER network_knows_insert AFTER INSERT ON knows
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('knows', NEW.id);
END;
CREATE TRIGGER network_knows_update AFTER UPDATE ON knows
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('knows', OLD.id);
    INSERT INTO network_changes (tbl, row_id) SELECT 'knows', NEW.id WHERE NEW.id != OLD.id;
END;
CREATE TRIGGER network_knows_delete AFTER DELETE ON knows
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('knows', OLD.id);
END;

CREATE TRIGGER network_roles_insert AFTER INSERT ON roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('roles', NEW.id);
END;
CREATE TRIGGER network_roles_update AFTER UPDATE ON roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('roles', OLD.id);
    INSERT INTO network_changes (tbl, row_id) SELECT 'roles', NEW.id WHERE NEW.id != OLD.id;
END;
CREATE TRIGGER network_roles_delete AFTER DELETE ON roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('roles', OLD.id);
END;

CREATE TRIGGER network_my_roles_insert AFTER INSERT ON my_roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('my_roles', NEW.id);
END;
CREATE TRIGGER network_my_roles_update AFTER UPDATE ON my_roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('my_roles', NEW.id);
END;
CREATE TRIGGER network_my_roles_delete AFTER DELETE ON my_roles
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('my_roles', OLD.id);
END;

CREATE TRIGGER network_organizations_insert AFTER INSERT ON organizations
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('organizations', NEW.id);
END;
CREATE TRIGGER network_organizations_update AFTER UPDATE OF name, deleted_at ON organizations
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('organizations', NEW.id);
END;
CREATE TRIGGER network_organizations_delete AFTER DELETE ON organizations
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('organizations', OLD.id);
END;
