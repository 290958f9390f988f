-- The person page (issue #28: uncached pages): a member's submitted zaken, their activities
-- in date order and their roll-call votes, read from covering indexes (no table rows).
CREATE INDEX IF NOT EXISTS zaak_id_persoon_page ON zaak (id, soort, afgedaan, gestart_op, nummer);

CREATE INDEX IF NOT EXISTS activiteit_id_datum ON activiteit (id, datum);

CREATE INDEX IF NOT EXISTS stemming_persoon_besluit ON stemming (persoon_id, besluit_id);
