-- The person page: a member's submitted zaken and activities, found from the index alone
-- (issue #28: uncached pages).
CREATE INDEX IF NOT EXISTS zaakactor_persoon_relatie ON zaakactor (persoon_id, relatie, zaak_id);

CREATE INDEX IF NOT EXISTS activiteitactor_persoon_activiteit ON activiteitactor (persoon_id, activiteit_id);
