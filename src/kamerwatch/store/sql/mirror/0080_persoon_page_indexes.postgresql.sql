-- The person page (issue #28: uncached pages): a member's submitted zaken, their activities
-- in date order and their roll-call votes, read from covering indexes (no table rows).
CREATE INDEX IF NOT EXISTS zaak_id_persoon_page ON zaak (id NULLS FIRST, soort NULLS FIRST, afgedaan NULLS FIRST, gestart_op NULLS FIRST, nummer NULLS FIRST);

CREATE INDEX IF NOT EXISTS activiteit_id_datum ON activiteit (id NULLS FIRST, datum NULLS FIRST);

CREATE INDEX IF NOT EXISTS stemming_persoon_besluit ON stemming (persoon_id NULLS FIRST, besluit_id NULLS FIRST);
