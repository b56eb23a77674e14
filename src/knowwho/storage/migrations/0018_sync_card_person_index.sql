-- A person's page asks whether a synced address book deleted their card: find
-- the cards of one person through an index instead of reading every synced item.
CREATE INDEX sync_items_card_person ON sync_items (json_extract(local_ids, '$.person')) WHERE item_kind = 'card';
