/**
 * The team database's part of the workflow: assignment, notes and asks.
 *
 *   webcare.assignments  who (a login) or which department a conversation is given to,
 *                        one row a conversation; an unassign deletes it. What the row says
 *                        is what the messages show: a trigger keeps the conversation's
 *                        assignee marks (the assignee's display name, so the board's
 *                        "assignee" filter and card mark work) and, for a department, the
 *                        messages' department (row-level security then lets that
 *                        department's employees see it), whoever writes the row (an agent
 *                        through `webcare.assign`, or routing in the poller's transaction).
 *                        Messages that arrive later in the conversation follow it too.
 *   webcare.open_load    per login, assigned conversations with an open customer message
 *                        (round-robin reads it for its cap).
 *   webcare.asks         questions to a specialist or a department: answered once (the
 *                        first answer wins in one statement), with when it was asked and
 *                        answered, which is how long the conversation waited on the
 *                        specialist (the response-time report keeps it apart).
 *
 * Notes have no table: the log (webcare.actions) is their only copy, and the log
 * never leaves the team database (nothing in the outbox or the poller reads it).
 */
export const workflowAssign = /* sql */ `
CREATE TABLE webcare.assignments (
  conversation_key text PRIMARY KEY,
  login name,
  department text,
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action_id uuid,
  CHECK (login IS NOT NULL OR department IS NOT NULL)
);
CREATE INDEX assignments_login ON webcare.assignments (login);

CREATE TABLE webcare.asks (
  id uuid PRIMARY KEY,
  conversation_key text NOT NULL,
  to_login name,
  to_department text,
  asked_by name NOT NULL DEFAULT session_user,
  asked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  answered_by name,
  answered_at timestamptz,
  answer_id uuid UNIQUE,
  CHECK (to_login IS NOT NULL OR to_department IS NOT NULL)
);
CREATE INDEX asks_conversation ON webcare.asks (conversation_key);

-- Whoever writes an assignment is who made it, whatever the statement said.
CREATE FUNCTION webcare.assignments_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  NEW.by_login := session_user;
  NEW.at := clock_timestamp();
  RETURN NEW;
END
$f$;
CREATE TRIGGER assignments_before BEFORE INSERT OR UPDATE ON webcare.assignments
  FOR EACH ROW EXECUTE FUNCTION webcare.assignments_before();

-- The assignee mark every console shows: the login's display name (the login itself
-- when it is no member any more).
CREATE FUNCTION webcare.member_name(p_login name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT left(coalesce((SELECT display_name FROM webcare.members WHERE login = p_login), p_login::text), 100)
$f$;

-- Sets (p_name) or clears (NULL) the assignee mark of a conversation's customer
-- messages. A clear only takes off p_only's name: a mark someone set by hand for
-- another colleague stays. Unconditional (no base): the assignment decides.
CREATE FUNCTION webcare.assignee_marks(p_key text, p_name text, p_only text, p_action uuid, p_at bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  k text;
BEGIN
  -- One lock order for every writer: two assignments of one conversation never deadlock.
  FOR k IN
    SELECT m.key FROM webcare.messages m
    LEFT JOIN webcare.marks mk ON mk.key = m.key
    WHERE (m.channel || ':' || m.conversation_id) = p_key AND NOT m.from_us
      AND (p_name IS NOT NULL OR mk.assignee = p_only)
      AND mk.assignee IS DISTINCT FROM p_name
    ORDER BY m.key
  LOOP
    PERFORM webcare.apply_mark(p_action, k, NULL, NULL, false, p_name, p_name IS NULL, NULL, NULL, p_at);
  END LOOP;
END
$f$;

-- The row is the truth; marks and departments follow it, for every writer.
CREATE FUNCTION webcare.assignments_after() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  at_ms bigint;
  old_name text;
  new_name text;
BEGIN
  at_ms := round(extract(epoch FROM clock_timestamp()) * 1000);
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.login IS NOT NULL THEN
    old_name := webcare.member_name(OLD.login);
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF old_name IS NOT NULL THEN
      PERFORM webcare.assignee_marks(OLD.conversation_key, NULL, old_name, NULL, at_ms);
    END IF;
    RETURN NULL;
  END IF;
  IF NEW.login IS NOT NULL THEN
    new_name := webcare.member_name(NEW.login);
  END IF;
  IF old_name IS NOT NULL AND old_name IS DISTINCT FROM new_name THEN
    PERFORM webcare.assignee_marks(NEW.conversation_key, NULL, old_name, NEW.action_id, at_ms);
  END IF;
  IF new_name IS NOT NULL THEN
    PERFORM webcare.assignee_marks(NEW.conversation_key, new_name, NULL, NEW.action_id, at_ms);
  END IF;
  IF NEW.department IS NOT NULL THEN
    UPDATE webcare.messages m SET department = NEW.department
    WHERE (m.channel || ':' || m.conversation_id) = NEW.conversation_key AND m.department IS DISTINCT FROM NEW.department;
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER assignments_after AFTER INSERT OR UPDATE OR DELETE ON webcare.assignments
  FOR EACH ROW EXECUTE FUNCTION webcare.assignments_after();

-- Messages that arrive in an assigned conversation follow the assignment: the
-- department's (so its employees see them) and, a customer's, the assignee's. One
-- set-based pass per statement: a poller's page of messages costs one join, not a
-- function call per message.
CREATE FUNCTION webcare.messages_follow_assignment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  r record;
  at_ms bigint := round(extract(epoch FROM clock_timestamp()) * 1000);
BEGIN
  UPDATE webcare.messages m SET department = a.department
  FROM new_rows n JOIN webcare.assignments a ON a.conversation_key = n.channel || ':' || n.conversation_id
  WHERE m.key = n.key AND a.department IS NOT NULL AND m.department IS DISTINCT FROM a.department;
  FOR r IN
    SELECT n.key, webcare.member_name(a.login) AS name
    FROM new_rows n JOIN webcare.assignments a ON a.conversation_key = n.channel || ':' || n.conversation_id
    WHERE a.login IS NOT NULL AND NOT n.from_us
    ORDER BY n.key
  LOOP
    PERFORM webcare.apply_mark(NULL, r.key, NULL, NULL, false, r.name, false, NULL, NULL, at_ms);
  END LOOP;
  RETURN NULL;
END
$f$;
CREATE TRIGGER messages_follow_assignment AFTER INSERT ON webcare.messages
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION webcare.messages_follow_assignment();

-- The conversation's department as this login may act on it: a department employee only
-- on their own departments' conversations (the same rule append_action applies).
CREATE FUNCTION webcare.may_act_on(p_key text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT webcare.my_role() IS NOT NULL AND (
    webcare.my_role() <> 'department'
    OR coalesce(webcare.conversation_department(p_key) = ANY (webcare.my_departments()), false))
$f$;

-- A target must be someone or something the team knows: a member, or a department a
-- member or an account has.
CREATE FUNCTION webcare.check_target(p_login name, p_department text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF (p_login IS NULL) = (p_department IS NULL) THEN
    RAISE EXCEPTION 'give it to a colleague or to a department' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_login IS NOT NULL AND NOT EXISTS (SELECT 1 FROM webcare.members WHERE login = p_login) THEN
    RAISE EXCEPTION 'no member %', p_login USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_department IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM webcare.members WHERE p_department = ANY (departments)
    UNION ALL SELECT 1 FROM webcare.accounts WHERE department = p_department) THEN
    RAISE EXCEPTION 'no department %', p_department USING ERRCODE = 'invalid_parameter_value';
  END IF;
END
$f$;

-- Gives a conversation to a colleague or a department (replacing whoever had it).
CREATE FUNCTION webcare.assign(p_action uuid, p_key text, p_login name, p_department text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NOT webcare.may_act_on(p_key) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  PERFORM webcare.check_target(p_login, p_department);
  INSERT INTO webcare.assignments AS a (conversation_key, login, department, action_id)
  VALUES (p_key, p_login, p_department, p_action)
  ON CONFLICT (conversation_key) DO UPDATE
    SET login = EXCLUDED.login, department = EXCLUDED.department, action_id = EXCLUDED.action_id;
END
$f$;

-- Takes the assignment off; answers whether there was one.
CREATE FUNCTION webcare.unassign(p_key text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  n int;
BEGIN
  IF NOT webcare.may_act_on(p_key) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  DELETE FROM webcare.assignments WHERE conversation_key = p_key;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END
$f$;

CREATE FUNCTION webcare.ask(p_id uuid, p_key text, p_login name, p_department text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NOT webcare.may_act_on(p_key) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  PERFORM webcare.check_target(p_login, p_department);
  INSERT INTO webcare.asks (id, conversation_key, to_login, to_department) VALUES (p_id, p_key, p_login, p_department);
END
$f$;

-- Answers an ask: the first answer wins (one UPDATE decides, so two specialists
-- answering at the same moment cannot both). Answers the ask's conversation, and,
-- when it was answered already, who did (won false).
CREATE FUNCTION webcare.answer_ask(p_ask uuid, p_answer uuid)
RETURNS TABLE (conversation_key text, won boolean, answered_by name)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  r webcare.asks%ROWTYPE;
BEGIN
  SELECT * INTO r FROM webcare.asks a WHERE a.id = p_ask;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no question %', p_ask USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT webcare.may_act_on(r.conversation_key) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  UPDATE webcare.asks a SET answered_by = session_user, answered_at = clock_timestamp(), answer_id = p_answer
  WHERE a.id = p_ask AND a.answered_at IS NULL;
  IF FOUND THEN
    RETURN QUERY SELECT r.conversation_key, true, session_user::name;
    RETURN;
  END IF;
  RETURN QUERY SELECT a.conversation_key, false, a.answered_by FROM webcare.asks a WHERE a.id = p_ask;
END
$f$;

CREATE VIEW webcare.open_load AS
  SELECT a.login, count(*)::int AS open
  FROM webcare.assignments a
  WHERE a.login IS NOT NULL AND EXISTS (
    SELECT 1 FROM webcare.messages m LEFT JOIN webcare.marks k ON k.key = m.key
    WHERE (m.channel || ':' || m.conversation_id) = a.conversation_key
      AND NOT m.from_us AND coalesce(k.status, 'open') = 'open')
  GROUP BY a.login;

-- How long each conversation waited on specialists, per ask (open ones until now):
-- the figure the response-time report takes out of the agent's own time.
CREATE VIEW webcare.specialist_waits AS
  SELECT id, conversation_key, to_login, to_department, asked_by, asked_at, answered_by, answered_at,
         coalesce(answered_at, clock_timestamp()) - asked_at AS waited
  FROM webcare.asks;

ALTER TABLE webcare.assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.assignments TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_read ON webcare.assignments FOR SELECT TO webcare_department
  USING (webcare.conversation_department(conversation_key) = ANY ((SELECT webcare.my_departments())::text[]));

ALTER TABLE webcare.asks ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_read ON webcare.asks FOR SELECT TO webcare_staff USING (true);
CREATE POLICY department_read ON webcare.asks FOR SELECT TO webcare_department
  USING (webcare.conversation_department(conversation_key) = ANY ((SELECT webcare.my_departments())::text[]));

REVOKE ALL ON webcare.assignments, webcare.asks, webcare.open_load, webcare.specialist_waits FROM PUBLIC;
REVOKE ALL ON FUNCTION webcare.assignments_before(), webcare.member_name(name),
  webcare.assignee_marks(text, text, text, uuid, bigint), webcare.assignments_after(),
  webcare.messages_follow_assignment(), webcare.may_act_on(text),
  webcare.check_target(name, text), webcare.assign(uuid, text, name, text), webcare.unassign(text),
  webcare.ask(uuid, text, name, text), webcare.answer_ask(uuid, uuid) FROM PUBLIC;
GRANT SELECT ON webcare.assignments, webcare.asks, webcare.open_load TO webcare_member;
GRANT SELECT ON webcare.specialist_waits TO webcare_lead;
-- Routing writes assignments in the poller's own transaction (staff logins poll).
GRANT INSERT, UPDATE, DELETE ON webcare.assignments TO webcare_staff;
GRANT EXECUTE ON FUNCTION webcare.member_name(name), webcare.assign(uuid, text, name, text), webcare.unassign(text),
  webcare.ask(uuid, text, name, text), webcare.answer_ask(uuid, uuid) TO webcare_member;
`;
