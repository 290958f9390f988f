-- /verslagen (issue #28, uncached first render): per listed meeting its newest report that
-- is not a Casco, and (for a committee meeting) the committee of the activity that starts
-- at the same moment in the same room. Both lookups read only these indexes: no row of
-- verslag or activiteit, no sort per meeting.
CREATE INDEX IF NOT EXISTS verslag_vergadering_nieuwste ON verslag (vergadering_id, skiptoken, status, id);
CREATE INDEX IF NOT EXISTS activiteit_dag_zaal ON activiteit (datum, aanvangstijd, locatie, voortouwcommissie_id, skiptoken);
