/**
 * The team database's part of the workflow: shifts and handovers.
 *
 * `webcare.shifts` says who is on duty now (one row per login, `ended_at` NULL
 * while on duty); routing reads it so nobody off duty receives work. Nobody
 * writes it directly: `shift_start` and `shift_end` change only the caller's
 * own row (`session_user`), so no login can put a colleague on or off duty.
 * `shift_end` also gives up every claim the caller holds, in the caller's
 * transaction, so the handover and the released claims are one change.
 * The handover itself is the `shiftEnd` record of the log (webcare.actions).
 */
export const workflowShifts = /* sql */ `
CREATE TABLE webcare.shifts (
  login name PRIMARY KEY,
  started_at timestamptz NOT NULL,
  ended_at timestamptz
);

-- The caller goes on duty; NULL when they already are (another console of theirs started first).
CREATE FUNCTION webcare.shift_start() RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  t timestamptz;
BEGIN
  IF webcare.my_role() IS NULL THEN
    RAISE EXCEPTION 'not a member of the team' USING ERRCODE = '42501';
  END IF;
  INSERT INTO webcare.shifts AS s (login, started_at, ended_at)
  VALUES (session_user, clock_timestamp(), NULL)
  ON CONFLICT (login) DO UPDATE SET started_at = clock_timestamp(), ended_at = NULL
    WHERE s.ended_at IS NOT NULL
  RETURNING s.started_at INTO t;
  RETURN t;
END
$f$;

-- The caller goes off duty and gives up their claims (the conversations they were replying in,
-- released). started_at is NULL when they were not on duty (nothing changed then).
CREATE FUNCTION webcare.shift_end(OUT started_at timestamptz, OUT released text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  released := '{}';
  UPDATE webcare.shifts s SET ended_at = clock_timestamp()
  WHERE s.login = session_user AND s.ended_at IS NULL
  RETURNING s.started_at INTO started_at;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  WITH gone AS (
    DELETE FROM webcare.claims c WHERE c.login = session_user RETURNING c.conversation_key
  )
  SELECT coalesce(array_agg(conversation_key ORDER BY conversation_key), '{}') INTO released FROM gone;
END
$f$;

ALTER TABLE webcare.shifts ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_read ON webcare.shifts FOR SELECT TO webcare_member USING (true);

REVOKE ALL ON webcare.shifts FROM PUBLIC;
GRANT SELECT ON webcare.shifts TO webcare_member;
REVOKE ALL ON FUNCTION webcare.shift_start(), webcare.shift_end() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webcare.shift_start(), webcare.shift_end() TO webcare_member;
`;
