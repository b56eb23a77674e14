-- Search finds people by their job titles ("data scientist", "recruiter"): a full-text index of
-- roles' titles, kept by triggers like the other full-text indexes, and filled once here.
CREATE VIRTUAL TABLE roles_fts USING fts5 (
    title,
    content = 'roles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER roles_fts_ai AFTER INSERT ON roles WHEN new.title != '' BEGIN
    INSERT INTO roles_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER roles_fts_ad AFTER DELETE ON roles WHEN old.title != '' BEGIN
    INSERT INTO roles_fts (roles_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER roles_fts_au AFTER UPDATE OF title ON roles BEGIN
    INSERT INTO roles_fts (roles_fts, rowid, title) SELECT 'delete', old.id, old.title WHERE old.title != '';
    INSERT INTO roles_fts (rowid, title) SELECT new.id, new.title WHERE new.title != '';
END;
INSERT INTO roles_fts (rowid, title) SELECT id, title FROM roles WHERE title != '';
