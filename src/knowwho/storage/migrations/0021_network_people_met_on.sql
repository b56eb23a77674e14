-- Warm paths break a tie between equal routes by when you met the first person on them (the one met
-- last first): a server's network in memory follows changes to that day too.
DROP TRIGGER network_people_update;
CREATE TRIGGER network_people_update AFTER UPDATE OF display_name, tie_strength, is_contact, interaction_count,
    first_met_on, deleted_at ON people
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.tie_strength IS NOT NEW.tie_strength
  OR OLD.is_contact IS NOT NEW.is_contact OR OLD.interaction_count IS NOT NEW.interaction_count
  OR OLD.first_met_on IS NOT NEW.first_met_on OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    INSERT INTO network_changes (tbl, row_id) VALUES ('people', NEW.id);
END;
