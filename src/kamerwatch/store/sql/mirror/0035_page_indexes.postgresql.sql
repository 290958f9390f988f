-- The person page: a member's submitted zaken and activities, found from the index alone
-- (issue #28: uncached pages).
CREATE INDEX IF NOT EXISTS zaakactor_persoon_relatie ON zaakactor (persoon_id NULLS FIRST, relatie NULLS FIRST, zaak_id NULLS FIRST);

CREATE INDEX IF NOT EXISTS activiteitactor_persoon_activiteit ON activiteitactor (persoon_id NULLS FIRST, activiteit_id NULLS FIRST);
