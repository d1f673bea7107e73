/**
 * The workflow log (webcare.actions): every named action of the team workflow,
 * appended once (its id is made where the agent acted, so a replay after
 * working offline is recognised), with who did it and when. Consoles copy it
 * like messages and marks (one change sequence over all three) and derive what
 * they show from it (shared/workflowState.ts).
 *
 * Nobody inserts into it directly: `append_action` checks what a login may
 * record (the lead kinds need a lead or admin; the system kinds are written
 * only by the owner's functions and by pollers through `append_system`), and
 * takes the actor from the session, never from the caller.
 */
/** The kinds only a lead (or admin) may record, as the workflow log's first version knew them. */
const LEAD_KINDS_V5 = ['approve', 'return', 'review', 'approvalPolicy', 'ruleSave', 'ruleDelete', 'routingCap'] as const;

/**
 * `append_action`: appends an agent's action once. `leadKinds` are refused to a
 * login that is not a lead; a later migration replaces the function (CREATE OR
 * REPLACE keeps its grants) to add a kind.
 */
function appendAction(create: 'CREATE FUNCTION' | 'CREATE OR REPLACE FUNCTION', leadKinds: readonly string[]): string {
  return /* sql */ `
-- Appends an agent's action; false when this id was appended before (a replay).
${create} webcare.append_action(p_id uuid, p_kind text, p_key text, p_client_at bigint, p_data jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  n int;
BEGIN
  IF p_kind IN ('submit', 'sent', 'route') THEN
    RAISE EXCEPTION 'a % record is written by the console, not by an agent', p_kind USING ERRCODE = '42501';
  END IF;
  IF p_kind IN (${leadKinds.map((k) => `'${k}'`).join(', ')}) AND NOT webcare.is_lead() THEN
    RAISE EXCEPTION 'only a lead may %', p_kind USING ERRCODE = '42501';
  END IF;
  IF webcare.my_role() IS NULL THEN
    RAISE EXCEPTION 'not a member of the team' USING ERRCODE = '42501';
  END IF;
  IF webcare.my_role() = 'department' AND p_key IS NOT NULL
     AND NOT coalesce(webcare.conversation_department(p_key) = ANY (webcare.my_departments()), false) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  INSERT INTO webcare.actions (id, kind, conversation_key, by_login, client_at, data)
  VALUES (p_id, p_kind, p_key, session_user, p_client_at, coalesce(p_data, '{}'::jsonb))
  ON CONFLICT (id) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END
$f$;
`;
}

export const workflowCore = /* sql */ `
-- A conversation moved to another department must reach that department's consoles
-- (which could not see it before): a new department gives the message a new seq too.
CREATE OR REPLACE FUNCTION webcare.messages_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NEW.department IS NULL THEN
    SELECT a.department INTO NEW.department FROM webcare.accounts a WHERE a.id = NEW.account_id;
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.data IS DISTINCT FROM OLD.data OR NEW.department IS DISTINCT FROM OLD.department) THEN
    NEW.seq := nextval('webcare.change_seq');
  END IF;
  RETURN NEW;
END
$f$;

CREATE TABLE webcare.actions (
  id uuid PRIMARY KEY,
  seq bigint NOT NULL DEFAULT nextval('webcare.change_seq'),
  kind text NOT NULL,
  conversation_key text,
  department text,
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  client_at bigint NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX actions_seq ON webcare.actions (seq);
CREATE INDEX actions_conversation ON webcare.actions (conversation_key);

CREATE FUNCTION webcare.actions_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NEW.conversation_key IS NOT NULL THEN
    NEW.department := coalesce(webcare.conversation_department(NEW.conversation_key), NEW.department);
  END IF;
  RETURN NEW;
END
$f$;
CREATE TRIGGER actions_before BEFORE INSERT ON webcare.actions
  FOR EACH ROW EXECUTE FUNCTION webcare.actions_before();
CREATE TRIGGER actions_notify AFTER INSERT ON webcare.actions
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('wf');
CREATE TRIGGER actions_append_only BEFORE UPDATE OR DELETE ON webcare.actions
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_append_only();

-- The audit trail names each workflow action too (leads search one place).
CREATE FUNCTION webcare.actions_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  INSERT INTO webcare.audit (login, action, subject, detail)
  VALUES (NEW.by_login, NEW.kind, NEW.conversation_key, left(NEW.data::text, 500));
  RETURN NULL;
END
$f$;
CREATE TRIGGER actions_audit AFTER INSERT ON webcare.actions
  FOR EACH ROW EXECUTE FUNCTION webcare.actions_audit();

CREATE FUNCTION webcare.is_lead() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT coalesce((SELECT role IN ('lead', 'admin') FROM webcare.members WHERE login = session_user), false)
$f$;

${appendAction('CREATE FUNCTION', LEAD_KINDS_V5)}
-- The console's own records (a routed message, a reply queued for approval or sent):
-- only for logins that poll and send (staff), and only those kinds.
CREATE FUNCTION webcare.append_system(p_id uuid, p_kind text, p_key text, p_client_at bigint, p_data jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  n int;
BEGIN
  IF p_kind NOT IN ('submit', 'sent', 'route') THEN
    RAISE EXCEPTION '% is not a system record', p_kind USING ERRCODE = '42501';
  END IF;
  INSERT INTO webcare.actions (id, kind, conversation_key, by_login, client_at, data)
  VALUES (p_id, p_kind, p_key, session_user, p_client_at, coalesce(p_data, '{}'::jsonb))
  ON CONFLICT (id) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END
$f$;

ALTER TABLE webcare.actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_read ON webcare.actions FOR SELECT TO webcare_staff USING (true);
-- A record about no one conversation (a shift, a rule) is the team's, except a handover:
-- it may carry drafts and excerpts of any department's conversations, so a department
-- employee reads only their own.
CREATE POLICY department_read ON webcare.actions FOR SELECT TO webcare_department
  USING (department = ANY ((SELECT webcare.my_departments())::text[])
         OR (conversation_key IS NULL AND (kind <> 'shiftEnd' OR by_login = session_user)));

GRANT SELECT ON webcare.actions TO webcare_member;
REVOKE ALL ON FUNCTION webcare.is_lead(), webcare.append_action(uuid, text, text, bigint, jsonb),
  webcare.append_system(uuid, text, text, bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webcare.is_lead(), webcare.append_action(uuid, text, text, bigint, jsonb) TO webcare_member;
GRANT EXECUTE ON FUNCTION webcare.append_system(uuid, text, text, bigint, jsonb) TO webcare_staff;
`;

/** Team settings (hours, targets, priority lists, storm bounds) are the leads' to change. */
export const teamSettingsByLeads = appendAction('CREATE OR REPLACE FUNCTION', [...LEAD_KINDS_V5, 'teamSetting']);

/** An account's department (where its messages go) is the leads' to set. */
export const accountDepartmentByLeads = appendAction('CREATE OR REPLACE FUNCTION', [...LEAD_KINDS_V5, 'teamSetting', 'accountDepartment']);

/**
 * A conversation given to another department, by an agent or by a routing rule: its record
 * carries the department it left (`data.left`, wf/assign.ts and wf/routing.ts), and that
 * department's employees may read it too, so their consoles let go of the copies they hold
 * (shared/team.ts, leftOf). Without it they kept a conversation they could no longer act
 * on, and never learnt it had gone.
 */
export const leftReadable = /* sql */ `
DROP POLICY department_read ON webcare.actions;
CREATE POLICY department_read ON webcare.actions FOR SELECT TO webcare_department
  USING (department = ANY ((SELECT webcare.my_departments())::text[])
         OR (conversation_key IS NULL AND (kind <> 'shiftEnd' OR by_login = session_user))
         OR (kind IN ('assign', 'route') AND data->>'left' = ANY ((SELECT webcare.my_departments())::text[])));
`;
