/**
 * The team database's part of the workflow: routing rules.
 *
 *   routing_rules     the rules as leads saved them (the poller reads them in the
 *                     transaction that stores new messages); the log has each change too
 *   routing_settings  the cap of open assigned conversations per agent for round-robin
 *   routed            every customer message the poller stored, once: its primary key is
 *                     what makes routing happen once per message, whoever polls, however
 *                     often a page is read again, whatever rules change later
 *   routing_turns     when round-robin last gave each colleague work
 *
 * Rules and the cap are written only by leads (grants; `append_action` checks
 * the same for the log). `routed` and the turns are written by the polling
 * console's login (staff) inside its storing transaction. Assignments belong
 * to the assignment tables (migration 6): the poller makes them through
 * `route_assign`, which only ever adds an assignment where there is none.
 */
export const workflowRouting = /* sql */ `
CREATE TABLE webcare.routing_rules (
  id uuid PRIMARY KEY,
  position int NOT NULL,
  rule jsonb NOT NULL,
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action_id uuid
);

CREATE TABLE webcare.routing_settings (
  id int PRIMARY KEY CHECK (id = 1),
  cap int NOT NULL CHECK (cap BETWEEN 1 AND 1000),
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action_id uuid
);

CREATE TABLE webcare.routed (
  key text PRIMARY KEY,
  conversation_key text NOT NULL,
  -- The rules that applied, in order (empty: none matched; the message was looked at all the same).
  rule_ids uuid[] NOT NULL DEFAULT '{}',
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE webcare.routing_turns (
  login name PRIMARY KEY,
  at timestamptz NOT NULL
);

-- Whoever writes a row is who did it, whatever the statement said.
CREATE FUNCTION webcare.routing_by() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  NEW.updated_by := session_user;
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$f$;
CREATE TRIGGER routing_rules_by BEFORE INSERT OR UPDATE ON webcare.routing_rules
  FOR EACH ROW EXECUTE FUNCTION webcare.routing_by();
CREATE TRIGGER routing_settings_by BEFORE INSERT OR UPDATE ON webcare.routing_settings
  FOR EACH ROW EXECUTE FUNCTION webcare.routing_by();

CREATE FUNCTION webcare.routed_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  NEW.by_login := session_user;
  RETURN NEW;
END
$f$;
CREATE TRIGGER routed_before BEFORE INSERT ON webcare.routed
  FOR EACH ROW EXECUTE FUNCTION webcare.routed_before();
-- What was routed stays routed: a later rule never routes it again.
CREATE FUNCTION webcare.routed_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
BEGIN
  RAISE EXCEPTION 'webcare.routed is append-only: a message is routed once' USING ERRCODE = 'insufficient_privilege';
END
$f$;
CREATE TRIGGER routed_append_only BEFORE UPDATE OR DELETE ON webcare.routed
  FOR EACH ROW EXECUTE FUNCTION webcare.routed_append_only();

-- Assigns a conversation a rule routed, unless it is assigned already (true: assigned now).
-- plpgsql: the assignment table is resolved when this runs, not when it is created.
CREATE FUNCTION webcare.route_assign(p_key text, p_login name, p_department text, p_action uuid)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  n int;
BEGIN
  IF coalesce(webcare.my_role(), 'department') = 'department' THEN
    RAISE EXCEPTION 'only a polling console routes' USING ERRCODE = '42501';
  END IF;
  IF p_login IS NULL AND p_department IS NULL THEN
    RAISE EXCEPTION 'an assignment needs a login or a department' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO webcare.assignments (conversation_key, login, department, by_login, action_id)
  VALUES (p_key, p_login, p_department, session_user, p_action)
  ON CONFLICT (conversation_key) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END
$f$;

ALTER TABLE webcare.routing_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_read ON webcare.routing_rules FOR SELECT TO webcare_member USING (true);
CREATE POLICY lead_write ON webcare.routing_rules TO webcare_lead USING (true) WITH CHECK (true);
ALTER TABLE webcare.routing_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_read ON webcare.routing_settings FOR SELECT TO webcare_member USING (true);
CREATE POLICY lead_write ON webcare.routing_settings TO webcare_lead USING (true) WITH CHECK (true);
ALTER TABLE webcare.routed ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.routed TO webcare_staff USING (true) WITH CHECK (true);
ALTER TABLE webcare.routing_turns ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.routing_turns TO webcare_staff USING (true) WITH CHECK (true);

REVOKE ALL ON webcare.routing_rules, webcare.routing_settings, webcare.routed, webcare.routing_turns FROM PUBLIC;
REVOKE ALL ON FUNCTION webcare.routing_by(), webcare.routed_before(), webcare.routed_append_only(), webcare.route_assign(text, name, text, uuid) FROM PUBLIC;
GRANT SELECT ON webcare.routing_rules, webcare.routing_settings TO webcare_member;
GRANT INSERT, UPDATE, DELETE ON webcare.routing_rules, webcare.routing_settings TO webcare_lead;
GRANT SELECT, INSERT ON webcare.routed TO webcare_staff;
GRANT SELECT, INSERT, UPDATE ON webcare.routing_turns TO webcare_staff;
GRANT EXECUTE ON FUNCTION webcare.route_assign(text, name, text, uuid) TO webcare_staff;
`;
