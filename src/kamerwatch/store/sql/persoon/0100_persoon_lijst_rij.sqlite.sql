-- What the persoon page shows of each item of its lists, kept with the list (issue #28: a
-- first render reads the member's rows here instead of looking up every zaak, activity and
-- decision): the zaak's or activity's nummer, onderwerp and soort, datum (a zaak's
-- gestart_op, an activity's datum), a zaak's afgedaan and uitkomst (the tekst of its latest
-- besluit). Filled by the next refresh of the overviews.
ALTER TABLE persoon_lijst ADD COLUMN nummer TEXT;
ALTER TABLE persoon_lijst ADD COLUMN onderwerp TEXT;
ALTER TABLE persoon_lijst ADD COLUMN soort TEXT;
ALTER TABLE persoon_lijst ADD COLUMN datum TEXT;
ALTER TABLE persoon_lijst ADD COLUMN afgedaan INTEGER;
ALTER TABLE persoon_lijst ADD COLUMN uitkomst TEXT;

-- The overviews are computed again by the next sync; until then the pages compute live.
DELETE FROM meta WHERE key = 'overzicht';
