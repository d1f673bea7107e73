import { workflowApproval } from './wf/approvalSchema.js';
import { workflowAssign } from './wf/assignSchema.js';
import { accountDepartmentByLeads, leftReadable, teamSettingsByLeads, workflowCore } from './wf/coreSchema.js';
import { workflowRouting } from './wf/routingSchema.js';
import { workflowShifts } from './wf/shiftsSchema.js';

/**
 * The team database, as ordered migrations. Each is applied once, in its own
 * transaction, by migrate.ts; a migration that has shipped is never edited:
 * a change is a new entry at the end.
 *
 * Rights live in the database, not in the console: a department-only login
 * must not read another department's conversations or any token whatever
 * client it uses, so every rule below is a grant, a row-level security policy
 * or a trigger. Identity is `session_user` throughout: SET ROLE cannot forge it,
 * and it stays the connecting login inside SECURITY DEFINER functions.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The group roles; every team login is granted exactly one of the last five. */
export const GROUP_ROLES = [
  'webcare_member',
  'webcare_staff',
  'webcare_agent',
  'webcare_specialist',
  'webcare_lead',
  'webcare_admin',
  'webcare_department',
] as const;

const roles = /* sql */ `
-- Group roles are cluster-wide: a second team database on the same server, or
-- two consoles migrating at once, finds them already there.
DO $roles$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY[${GROUP_ROLES.map((r) => `'${r}'`).join(', ')}] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END
$roles$;

-- Granted only when missing: on PostgreSQL 16+ re-granting needs ADMIN OPTION,
-- which a later admin of another database on the cluster may not have.
DO $grants$
DECLARE
  g record;
BEGIN
  FOR g IN
    SELECT * FROM (VALUES
      ('webcare_member', 'webcare_agent'), ('webcare_member', 'webcare_specialist'),
      ('webcare_member', 'webcare_lead'), ('webcare_member', 'webcare_admin'),
      ('webcare_member', 'webcare_department'),
      ('webcare_staff', 'webcare_agent'), ('webcare_staff', 'webcare_specialist'),
      ('webcare_staff', 'webcare_lead'),
      ('webcare_lead', 'webcare_admin')
    ) AS t(grp, mem)
  LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_auth_members am
      JOIN pg_roles gr ON gr.oid = am.roleid
      JOIN pg_roles mr ON mr.oid = am.member
      WHERE gr.rolname = g.grp AND mr.rolname = g.mem
    ) THEN
      EXECUTE format('GRANT %I TO %I', g.grp, g.mem);
    END IF;
  END LOOP;
END
$grants$;
`;

const tables = /* sql */ `
CREATE SCHEMA webcare;

CREATE TABLE webcare.schema_version (
  version int PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by name NOT NULL DEFAULT session_user
);

CREATE TABLE webcare.members (
  login name PRIMARY KEY,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'specialist', 'lead', 'admin', 'department')),
  departments text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webcare.team_key (
  id int PRIMARY KEY CHECK (id = 1),
  salt text NOT NULL,
  check_value text NOT NULL
);

CREATE TABLE webcare.accounts (
  id text PRIMARY KEY,
  platform text NOT NULL,
  record jsonb NOT NULL,
  department text,
  added_by name NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webcare.tokens (
  account_id text PRIMARY KEY REFERENCES webcare.accounts ON DELETE CASCADE,
  sealed text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One order over message and mark changes, so a console catches up with one cursor.
CREATE SEQUENCE webcare.change_seq;

CREATE TABLE webcare.messages (
  key text PRIMARY KEY,
  account_id text NOT NULL,
  channel text NOT NULL,
  conversation_id text NOT NULL,
  department text,
  from_us boolean NOT NULL,
  created_at bigint NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  seq bigint NOT NULL DEFAULT nextval('webcare.change_seq'),
  data jsonb NOT NULL
);
CREATE INDEX messages_seq ON webcare.messages (seq);
CREATE INDEX messages_conversation ON webcare.messages (account_id, channel, conversation_id);
-- Claims and the outbox name a conversation as channel:conversationId.
CREATE INDEX messages_conversation_key ON webcare.messages ((channel || ':' || conversation_id));

CREATE TABLE webcare.marks (
  key text PRIMARY KEY,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'archived')),
  tag text,
  assignee text,
  hidden boolean NOT NULL DEFAULT false,
  at bigint NOT NULL,
  by_login name NOT NULL DEFAULT session_user,
  action_id uuid,
  seq bigint NOT NULL DEFAULT nextval('webcare.change_seq')
);
CREATE INDEX marks_seq ON webcare.marks (seq);

-- Every (action, message) that applied: a replayed action is then recognised
-- even after a colleague changed the mark again.
CREATE TABLE webcare.mark_actions (
  action_id uuid NOT NULL,
  key text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (action_id, key)
);

CREATE TABLE webcare.cursors (
  stream_id text PRIMARY KEY,
  account_id text NOT NULL,
  cursor text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by name NOT NULL DEFAULT session_user
);

CREATE TABLE webcare.stream_status (
  stream_id text PRIMARY KEY,
  account_id text NOT NULL,
  status jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webcare.outbox (
  client_id uuid PRIMARY KEY,
  account_id text NOT NULL,
  conversation_key text NOT NULL,
  department text,
  input jsonb NOT NULL,
  author name NOT NULL DEFAULT session_user,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'done')),
  result jsonb,
  attempts int NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_account_state ON webcare.outbox (account_id, state);
CREATE INDEX outbox_conversation ON webcare.outbox (conversation_key);

CREATE TABLE webcare.journal (
  client_id text PRIMARY KEY,
  account_id text,
  entry jsonb NOT NULL,
  parts jsonb,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webcare.claims (
  conversation_key text PRIMARY KEY,
  department text,
  login name NOT NULL DEFAULT session_user,
  claimed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE webcare.presence (
  console_id uuid PRIMARY KEY,
  login name NOT NULL DEFAULT session_user,
  state text NOT NULL CHECK (state IN ('online', 'away')),
  seen_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- LEADING is a reserved word: queries must write "leading".
  "leading" text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE webcare.audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  login name NOT NULL DEFAULT session_user,
  action text NOT NULL,
  subject text,
  detail text
);
CREATE INDEX audit_at ON webcare.audit (at);
`;

const functions = /* sql */ `
-- SECURITY DEFINER: a department login may not read members itself beyond its
-- grant, and RLS policies call these for every query.
CREATE FUNCTION webcare.my_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT role FROM webcare.members WHERE login = session_user
$f$;

CREATE FUNCTION webcare.my_departments() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT coalesce((SELECT departments FROM webcare.members WHERE login = session_user), '{}'::text[])
$f$;

-- Departments are derived by SECURITY DEFINER triggers from data the writer may
-- not see, and always overwrite what the writer sent for claims and replies: a
-- department login cannot label another department's conversation as its own.
CREATE FUNCTION webcare.conversation_department(p_key text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT m.department FROM webcare.messages m
  WHERE (m.channel || ':' || m.conversation_id) = p_key AND m.department IS NOT NULL
  LIMIT 1
$f$;

CREATE FUNCTION webcare.messages_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NEW.department IS NULL THEN
    SELECT a.department INTO NEW.department FROM webcare.accounts a WHERE a.id = NEW.account_id;
  END IF;
  -- A changed message must reach consoles that already read past its old seq.
  IF TG_OP = 'UPDATE' AND NEW.data IS DISTINCT FROM OLD.data THEN
    NEW.seq := nextval('webcare.change_seq');
  END IF;
  RETURN NEW;
END
$f$;
CREATE TRIGGER messages_before BEFORE INSERT OR UPDATE ON webcare.messages
  FOR EACH ROW EXECUTE FUNCTION webcare.messages_before();

CREATE FUNCTION webcare.marks_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.seq := nextval('webcare.change_seq');
  END IF;
  -- Whoever writes the row is who set the mark, whatever the statement said.
  NEW.by_login := session_user;
  RETURN NEW;
END
$f$;
CREATE TRIGGER marks_before BEFORE INSERT OR UPDATE ON webcare.marks
  FOR EACH ROW EXECUTE FUNCTION webcare.marks_before();

CREATE FUNCTION webcare.claims_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  NEW.department := webcare.conversation_department(NEW.conversation_key);
  NEW.login := session_user;
  RETURN NEW;
END
$f$;
CREATE TRIGGER claims_before BEFORE INSERT OR UPDATE ON webcare.claims
  FOR EACH ROW EXECUTE FUNCTION webcare.claims_before();

CREATE FUNCTION webcare.outbox_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  NEW.department := coalesce(
    (SELECT m.department FROM webcare.messages m
      WHERE m.key = (NEW.input->>'channel') || ':' || (NEW.input->>'inReplyToId')),
    webcare.conversation_department(NEW.conversation_key),
    (SELECT a.department FROM webcare.accounts a WHERE a.id = NEW.account_id));
  NEW.author := session_user;
  RETURN NEW;
END
$f$;
CREATE TRIGGER outbox_before BEFORE INSERT ON webcare.outbox
  FOR EACH ROW EXECUTE FUNCTION webcare.outbox_before();

-- Claims: one statement decides, so concurrent callers cannot both win.
CREATE FUNCTION webcare.claim(p_key text, p_lease_ms int)
RETURNS TABLE (login name, expires_at timestamptz, won boolean)
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  r record;
  lease interval;
BEGIN
  IF p_lease_ms IS NULL OR p_lease_ms < 1 OR p_lease_ms > 3600000 THEN
    RAISE EXCEPTION 'lease must be 1 ms to 1 hour, not %', p_lease_ms USING ERRCODE = 'invalid_parameter_value';
  END IF;
  lease := make_interval(secs => p_lease_ms / 1000.0);
  -- Retried only when the holder released between our conflict and our read.
  FOR i IN 1..5 LOOP
    INSERT INTO webcare.claims AS c (conversation_key, login, claimed_at, expires_at)
    VALUES (p_key, session_user, clock_timestamp(), clock_timestamp() + lease)
    ON CONFLICT (conversation_key) DO UPDATE
      SET login = session_user,
          claimed_at = CASE WHEN c.login = session_user AND c.expires_at >= clock_timestamp() THEN c.claimed_at ELSE clock_timestamp() END,
          expires_at = clock_timestamp() + lease
      WHERE c.expires_at < clock_timestamp() OR c.login = session_user
    RETURNING c.login, c.expires_at INTO r;
    IF FOUND THEN
      RETURN QUERY SELECT r.login, r.expires_at, true;
      RETURN;
    END IF;
    SELECT c.login, c.expires_at INTO r FROM webcare.claims c WHERE c.conversation_key = p_key;
    IF FOUND THEN
      RETURN QUERY SELECT r.login, r.expires_at, false;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'claim on % kept changing', p_key USING ERRCODE = 'serialization_failure';
END
$f$;

CREATE FUNCTION webcare.release(p_key text) RETURNS boolean
LANGUAGE sql SET search_path = webcare, pg_temp AS $f$
  WITH gone AS (
    DELETE FROM webcare.claims WHERE conversation_key = p_key AND login = session_user RETURNING 1
  )
  SELECT count(*) > 0 FROM gone
$f$;

-- A mark changes only from the version the agent saw (p_base): a colleague's
-- newer mark is returned instead of being overwritten.
CREATE FUNCTION webcare.apply_mark(
  p_action uuid, p_key text, p_status text, p_tag text, p_clear_tag boolean,
  p_assignee text, p_clear_assignee boolean, p_hidden boolean, p_base bigint, p_at bigint)
RETURNS TABLE (applied boolean, status text, tag text, assignee text, hidden boolean, at bigint, by_login name)
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  cur webcare.marks%ROWTYPE;
  fresh boolean := false;
BEGIN
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'a mark needs its time' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_action IS NOT NULL AND EXISTS (
    SELECT 1 FROM webcare.mark_actions a WHERE a.action_id = p_action AND a.key = p_key
  ) THEN
    RETURN QUERY SELECT true, m.status, m.tag, m.assignee, m.hidden, m.at, m.by_login
      FROM webcare.marks m WHERE m.key = p_key;
    RETURN;
  END IF;

  SELECT * INTO cur FROM webcare.marks m WHERE m.key = p_key FOR UPDATE;
  IF NOT FOUND THEN
    -- Nothing to overwrite, whatever base the agent had (a mark made before
    -- the console joined the team has one the database never saw).
    INSERT INTO webcare.marks AS m (key, status, tag, assignee, hidden, at, action_id)
    VALUES (p_key, coalesce(p_status, 'open'),
            CASE WHEN p_clear_tag THEN NULL ELSE p_tag END,
            CASE WHEN p_clear_assignee THEN NULL ELSE p_assignee END,
            coalesce(p_hidden, false), p_at, p_action)
    ON CONFLICT (key) DO NOTHING;
    fresh := FOUND;
    IF NOT fresh THEN
      -- A colleague created it at the same moment: judge against theirs.
      SELECT * INTO cur FROM webcare.marks m WHERE m.key = p_key FOR UPDATE;
    END IF;
  END IF;

  IF NOT fresh THEN
    IF p_action IS NOT NULL AND cur.action_id = p_action THEN
      RETURN QUERY SELECT true, cur.status, cur.tag, cur.assignee, cur.hidden, cur.at, cur.by_login;
      RETURN;
    END IF;
    IF p_base IS NOT NULL AND cur.at IS DISTINCT FROM p_base THEN
      RETURN QUERY SELECT false, cur.status, cur.tag, cur.assignee, cur.hidden, cur.at, cur.by_login;
      RETURN;
    END IF;
    UPDATE webcare.marks m SET
      status = coalesce(p_status, m.status),
      tag = CASE WHEN p_clear_tag THEN NULL ELSE coalesce(p_tag, m.tag) END,
      assignee = CASE WHEN p_clear_assignee THEN NULL ELSE coalesce(p_assignee, m.assignee) END,
      hidden = coalesce(p_hidden, m.hidden),
      at = greatest(p_at, m.at + 1),
      action_id = p_action
    WHERE m.key = p_key;
  END IF;

  IF p_action IS NOT NULL THEN
    INSERT INTO webcare.mark_actions (action_id, key, at)
    SELECT p_action, p_key, m.at FROM webcare.marks m WHERE m.key = p_key
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN QUERY SELECT true, m.status, m.tag, m.assignee, m.hidden, m.at, m.by_login
    FROM webcare.marks m WHERE m.key = p_key;
END
$f$;

-- NOTIFY reaches every listener whatever its rights: payloads name only what
-- changed, never its content; consoles then read under their own RLS.
CREATE FUNCTION webcare.notify_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
BEGIN
  PERFORM pg_notify('webcare', '{"t":"' || TG_ARGV[0] || '"}');
  RETURN NULL;
END
$f$;

CREATE FUNCTION webcare.notify_outbox() RETURNS trigger
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
BEGIN
  PERFORM pg_notify('webcare', '{"t":"outbox","a":' || to_json(NEW.account_id)::text || '}');
  RETURN NULL;
END
$f$;

CREATE TRIGGER messages_notify_insert AFTER INSERT ON webcare.messages
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('msg');
CREATE TRIGGER messages_notify_update AFTER UPDATE ON webcare.messages
  FOR EACH ROW WHEN (OLD.data IS DISTINCT FROM NEW.data OR OLD.department IS DISTINCT FROM NEW.department)
  EXECUTE FUNCTION webcare.notify_row('msg');
CREATE TRIGGER marks_notify AFTER INSERT OR UPDATE ON webcare.marks
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('mark');
CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE OR DELETE ON webcare.claims
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('claim');
CREATE TRIGGER presence_notify AFTER INSERT OR UPDATE OR DELETE ON webcare.presence
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('presence');
CREATE TRIGGER accounts_notify AFTER INSERT OR UPDATE OR DELETE ON webcare.accounts
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('account');
CREATE TRIGGER outbox_notify AFTER INSERT OR UPDATE ON webcare.outbox
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_outbox();
`;

const audit = /* sql */ `
-- Audit rows are written only here, by the owner's functions: nobody has
-- INSERT on webcare.audit, so no login can write a row in another's name.
CREATE FUNCTION webcare.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  act text;
  subj text;
  det text;
BEGIN
  CASE TG_TABLE_NAME
  WHEN 'claims' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'claim'; subj := NEW.conversation_key;
    ELSIF TG_OP = 'UPDATE' THEN
      -- A renewal while typing is not news; a takeover or a fresh claim is.
      IF OLD.login IS DISTINCT FROM NEW.login OR OLD.expires_at < NEW.claimed_at THEN
        act := 'claim'; subj := NEW.conversation_key;
        IF OLD.login IS DISTINCT FROM NEW.login THEN det := 'after ' || OLD.login; END IF;
      END IF;
    ELSE
      act := 'release'; subj := OLD.conversation_key;
      IF OLD.login IS DISTINCT FROM session_user THEN det := 'held by ' || OLD.login; END IF;
    END IF;
  WHEN 'marks' THEN
    act := 'mark'; subj := NEW.key;
    det := concat_ws(' ', 'status=' || NEW.status, 'tag=' || NEW.tag, 'assignee=' || NEW.assignee,
                     CASE WHEN NEW.hidden THEN 'hidden' END, 'action=' || NEW.action_id);
  WHEN 'outbox' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'reply.queued'; subj := NEW.conversation_key;
      det := concat_ws(' ', 'client=' || NEW.client_id, 'account=' || NEW.account_id);
    ELSIF NEW.state = 'done' AND OLD.state IS DISTINCT FROM 'done' THEN
      act := CASE WHEN NEW.result->>'ok' = 'true' THEN 'reply.sent' ELSE 'reply.failed' END;
      subj := NEW.conversation_key;
      det := concat_ws(' ', 'client=' || NEW.client_id, 'author=' || NEW.author,
                       'error=' || (NEW.result->'error'->>'kind'));
    END IF;
  WHEN 'accounts' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'account.add'; subj := NEW.id; det := concat_ws(' ', NEW.platform, 'department=' || NEW.department);
    ELSIF TG_OP = 'DELETE' THEN
      act := 'account.remove'; subj := OLD.id;
    END IF;
  WHEN 'tokens' THEN
    -- Never the sealed token: the audit is readable by every lead.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      act := 'token.refresh'; subj := NEW.account_id; det := 'version ' || NEW.version;
    END IF;
  WHEN 'members' THEN
    act := CASE WHEN TG_OP = 'INSERT' THEN 'member.add' ELSE 'member.change' END;
    subj := NEW.login;
    det := concat_ws(' ', NEW.role, 'departments=' || nullif(array_to_string(NEW.departments, ','), ''));
  WHEN 'team_key' THEN
    act := 'key.set';
  END CASE;
  IF act IS NOT NULL THEN
    INSERT INTO webcare.audit (action, subject, detail) VALUES (act, subj, det);
  END IF;
  RETURN NULL;
END
$f$;

CREATE TRIGGER claims_audit AFTER INSERT OR UPDATE OR DELETE ON webcare.claims
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER marks_audit AFTER INSERT OR UPDATE ON webcare.marks
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER outbox_audit AFTER INSERT OR UPDATE ON webcare.outbox
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER accounts_audit AFTER INSERT OR DELETE ON webcare.accounts
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER tokens_audit AFTER INSERT OR UPDATE ON webcare.tokens
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER members_audit AFTER INSERT OR UPDATE ON webcare.members
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();
CREATE TRIGGER team_key_audit AFTER INSERT OR UPDATE ON webcare.team_key
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_row();

-- Grants keep everyone else out; this refuses the owner too.
CREATE FUNCTION webcare.audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
BEGIN
  RAISE EXCEPTION 'webcare.audit is append-only' USING ERRCODE = 'insufficient_privilege';
END
$f$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON webcare.audit
  FOR EACH ROW EXECUTE FUNCTION webcare.audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON webcare.audit
  FOR EACH STATEMENT EXECUTE FUNCTION webcare.audit_append_only();
`;

// Inside a policy, a sub-select makes my_departments() run once per query, not per row.
const MINE = '((SELECT webcare.my_departments())::text[])';

const security = /* sql */ `
ALTER TABLE webcare.messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.messages TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_read ON webcare.messages FOR SELECT TO webcare_department
  USING (department = ANY ${MINE});

-- The sub-select on messages runs under messages' own policies.
ALTER TABLE webcare.marks ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.marks TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_all ON webcare.marks TO webcare_department
  USING (EXISTS (SELECT 1 FROM webcare.messages m WHERE m.key = marks.key))
  WITH CHECK (EXISTS (SELECT 1 FROM webcare.messages m WHERE m.key = marks.key));

ALTER TABLE webcare.mark_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.mark_actions TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_all ON webcare.mark_actions TO webcare_department
  USING (EXISTS (SELECT 1 FROM webcare.messages m WHERE m.key = mark_actions.key))
  WITH CHECK (EXISTS (SELECT 1 FROM webcare.messages m WHERE m.key = mark_actions.key));

ALTER TABLE webcare.claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.claims TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_all ON webcare.claims TO webcare_department
  USING (department = ANY ${MINE}) WITH CHECK (department = ANY ${MINE});

ALTER TABLE webcare.outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_all ON webcare.outbox TO webcare_staff USING (true) WITH CHECK (true);
CREATE POLICY department_read ON webcare.outbox FOR SELECT TO webcare_department
  USING (department = ANY ${MINE});
CREATE POLICY department_insert ON webcare.outbox FOR INSERT TO webcare_department
  WITH CHECK (department = ANY ${MINE});

ALTER TABLE webcare.presence ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_read ON webcare.presence FOR SELECT TO webcare_member USING (true);
CREATE POLICY own_insert ON webcare.presence FOR INSERT TO webcare_member WITH CHECK (login = session_user);
CREATE POLICY own_update ON webcare.presence FOR UPDATE TO webcare_member
  USING (login = session_user) WITH CHECK (login = session_user);
CREATE POLICY own_delete ON webcare.presence FOR DELETE TO webcare_member USING (login = session_user);

REVOKE ALL ON SCHEMA webcare FROM PUBLIC;
GRANT USAGE ON SCHEMA webcare TO webcare_member;
REVOKE ALL ON ALL TABLES IN SCHEMA webcare FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA webcare FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA webcare FROM PUBLIC;

GRANT SELECT ON webcare.schema_version, webcare.members TO webcare_member;
-- Moving a colleague between departments; adding a login needs CREATEROLE (members.ts).
GRANT UPDATE (display_name, departments) ON webcare.members TO webcare_admin;
GRANT SELECT ON webcare.accounts TO webcare_member;
GRANT INSERT, UPDATE, DELETE ON webcare.accounts TO webcare_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON webcare.tokens, webcare.cursors, webcare.stream_status, webcare.journal TO webcare_staff;
GRANT SELECT ON webcare.team_key TO webcare_staff;
GRANT INSERT, UPDATE ON webcare.team_key TO webcare_admin;
GRANT SELECT ON webcare.messages TO webcare_member;
GRANT INSERT, UPDATE, DELETE ON webcare.messages TO webcare_staff;
GRANT SELECT, INSERT, UPDATE ON webcare.marks TO webcare_member;
GRANT DELETE ON webcare.marks TO webcare_staff;
GRANT SELECT, INSERT ON webcare.mark_actions TO webcare_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON webcare.claims, webcare.presence TO webcare_member;
GRANT SELECT, INSERT ON webcare.outbox TO webcare_member;
GRANT UPDATE, DELETE ON webcare.outbox TO webcare_staff;
GRANT SELECT ON webcare.audit TO webcare_lead;
GRANT USAGE ON SEQUENCE webcare.change_seq TO webcare_member;
GRANT EXECUTE ON FUNCTION webcare.my_role(), webcare.my_departments(), webcare.claim(text, int),
  webcare.release(text),
  webcare.apply_mark(uuid, text, text, text, boolean, text, boolean, boolean, bigint, bigint)
  TO webcare_member;
`;

/**
 * The console where a reply was written takes it back out of the team queue when
 * no poller sent it in time, or puts a failed one back under the same client id.
 * A department login has no UPDATE on webcare.outbox and must not get one (it
 * could rewrite any row it sees): these do only those two changes, only to the
 * caller's own rows, and only from the one state each is allowed from.
 */
const outboxAuthor = /* sql */ `
CREATE FUNCTION webcare.outbox_requeue(p_client uuid) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  WITH again AS (
    UPDATE webcare.outbox SET state = 'queued', result = NULL, updated_at = clock_timestamp()
    WHERE client_id = p_client AND author = session_user AND state = 'done'
      AND (result->>'ok') IS DISTINCT FROM 'true'
    RETURNING 1
  )
  SELECT count(*) > 0 FROM again
$f$;

-- Only a row nobody has started sending: a 'sending' row may be on the platform already.
CREATE FUNCTION webcare.outbox_withdraw(p_client uuid) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  WITH back AS (
    UPDATE webcare.outbox SET state = 'done', result = '{"ok":false,"error":{"kind":"offline"}}'::jsonb,
      updated_at = clock_timestamp()
    WHERE client_id = p_client AND author = session_user AND state = 'queued'
    RETURNING 1
  )
  SELECT count(*) > 0 FROM back
$f$;

REVOKE ALL ON FUNCTION webcare.outbox_requeue(uuid), webcare.outbox_withdraw(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webcare.outbox_requeue(uuid), webcare.outbox_withdraw(uuid) TO webcare_member;
`;

/**
 * Every console's heartbeat (every 10 s) rewrote its presence row, and each
 * write told every console to read the members again: with twenty consoles,
 * two notices a second for nothing. A heartbeat that only says "still here"
 * is silent now (consoles count a silent one gone by its age, read on their
 * own timer); a console coming, going, away or back, or polling other
 * accounts, is still told at once.
 */
const quietPresence = /* sql */ `
DROP TRIGGER presence_notify ON webcare.presence;
CREATE TRIGGER presence_notify AFTER INSERT OR DELETE ON webcare.presence
  FOR EACH ROW EXECUTE FUNCTION webcare.notify_row('presence');
CREATE TRIGGER presence_notify_change AFTER UPDATE ON webcare.presence
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD."leading" IS DISTINCT FROM NEW."leading")
  EXECUTE FUNCTION webcare.notify_row('presence');
`;

/**
 * An agent's reading of how a message sounds (positive, neutral, negative) is a
 * mark like a tag: set by a named action, audited, shared, and what reports count
 * over the console's own guess. apply_mark keeps its signature (routing and
 * assignment call it) and now goes through apply_mark_v2, which takes the
 * sentiment too; the audit line of a mark names it.
 */
const sentimentMarks = /* sql */ `
ALTER TABLE webcare.marks ADD COLUMN sentiment text CHECK (sentiment IN ('positive', 'neutral', 'negative'));

CREATE FUNCTION webcare.apply_mark_v2(
  p_action uuid, p_key text, p_status text, p_tag text, p_clear_tag boolean,
  p_assignee text, p_clear_assignee boolean, p_hidden boolean, p_sentiment text, p_clear_sentiment boolean,
  p_base bigint, p_at bigint)
RETURNS TABLE (applied boolean, status text, tag text, assignee text, hidden boolean, sentiment text, at bigint, by_login name)
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  cur webcare.marks%ROWTYPE;
  fresh boolean := false;
BEGIN
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'a mark needs its time' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_action IS NOT NULL AND EXISTS (
    SELECT 1 FROM webcare.mark_actions a WHERE a.action_id = p_action AND a.key = p_key
  ) THEN
    RETURN QUERY SELECT true, m.status, m.tag, m.assignee, m.hidden, m.sentiment, m.at, m.by_login
      FROM webcare.marks m WHERE m.key = p_key;
    RETURN;
  END IF;

  SELECT * INTO cur FROM webcare.marks m WHERE m.key = p_key FOR UPDATE;
  IF NOT FOUND THEN
    -- Nothing to overwrite, whatever base the agent had (a mark made before
    -- the console joined the team has one the database never saw).
    INSERT INTO webcare.marks AS m (key, status, tag, assignee, hidden, sentiment, at, action_id)
    VALUES (p_key, coalesce(p_status, 'open'),
            CASE WHEN p_clear_tag THEN NULL ELSE p_tag END,
            CASE WHEN p_clear_assignee THEN NULL ELSE p_assignee END,
            coalesce(p_hidden, false), CASE WHEN p_clear_sentiment THEN NULL ELSE p_sentiment END, p_at, p_action)
    ON CONFLICT (key) DO NOTHING;
    fresh := FOUND;
    IF NOT fresh THEN
      -- A colleague created it at the same moment: judge against theirs.
      SELECT * INTO cur FROM webcare.marks m WHERE m.key = p_key FOR UPDATE;
    END IF;
  END IF;

  IF NOT fresh THEN
    IF p_action IS NOT NULL AND cur.action_id = p_action THEN
      RETURN QUERY SELECT true, cur.status, cur.tag, cur.assignee, cur.hidden, cur.sentiment, cur.at, cur.by_login;
      RETURN;
    END IF;
    IF p_base IS NOT NULL AND cur.at IS DISTINCT FROM p_base THEN
      RETURN QUERY SELECT false, cur.status, cur.tag, cur.assignee, cur.hidden, cur.sentiment, cur.at, cur.by_login;
      RETURN;
    END IF;
    UPDATE webcare.marks m SET
      status = coalesce(p_status, m.status),
      tag = CASE WHEN p_clear_tag THEN NULL ELSE coalesce(p_tag, m.tag) END,
      assignee = CASE WHEN p_clear_assignee THEN NULL ELSE coalesce(p_assignee, m.assignee) END,
      hidden = coalesce(p_hidden, m.hidden),
      sentiment = CASE WHEN p_clear_sentiment THEN NULL ELSE coalesce(p_sentiment, m.sentiment) END,
      at = greatest(p_at, m.at + 1),
      action_id = p_action
    WHERE m.key = p_key;
  END IF;

  IF p_action IS NOT NULL THEN
    INSERT INTO webcare.mark_actions (action_id, key, at)
    SELECT p_action, p_key, m.at FROM webcare.marks m WHERE m.key = p_key
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN QUERY SELECT true, m.status, m.tag, m.assignee, m.hidden, m.sentiment, m.at, m.by_login
    FROM webcare.marks m WHERE m.key = p_key;
END
$f$;

CREATE OR REPLACE FUNCTION webcare.apply_mark(
  p_action uuid, p_key text, p_status text, p_tag text, p_clear_tag boolean,
  p_assignee text, p_clear_assignee boolean, p_hidden boolean, p_base bigint, p_at bigint)
RETURNS TABLE (applied boolean, status text, tag text, assignee text, hidden boolean, at bigint, by_login name)
LANGUAGE sql SET search_path = webcare, pg_temp AS $f$
  SELECT r.applied, r.status, r.tag, r.assignee, r.hidden, r.at, r.by_login
    FROM webcare.apply_mark_v2(p_action, p_key, p_status, p_tag, p_clear_tag, p_assignee, p_clear_assignee,
                               p_hidden, NULL, false, p_base, p_at) AS r
$f$;

CREATE OR REPLACE FUNCTION webcare.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  act text;
  subj text;
  det text;
BEGIN
  CASE TG_TABLE_NAME
  WHEN 'claims' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'claim'; subj := NEW.conversation_key;
    ELSIF TG_OP = 'UPDATE' THEN
      -- A renewal while typing is not news; a takeover or a fresh claim is.
      IF OLD.login IS DISTINCT FROM NEW.login OR OLD.expires_at < NEW.claimed_at THEN
        act := 'claim'; subj := NEW.conversation_key;
        IF OLD.login IS DISTINCT FROM NEW.login THEN det := 'after ' || OLD.login; END IF;
      END IF;
    ELSE
      act := 'release'; subj := OLD.conversation_key;
      IF OLD.login IS DISTINCT FROM session_user THEN det := 'held by ' || OLD.login; END IF;
    END IF;
  WHEN 'marks' THEN
    act := 'mark'; subj := NEW.key;
    det := concat_ws(' ', 'status=' || NEW.status, 'tag=' || NEW.tag, 'assignee=' || NEW.assignee,
                     CASE WHEN NEW.hidden THEN 'hidden' END, 'sentiment=' || NEW.sentiment, 'action=' || NEW.action_id);
  WHEN 'outbox' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'reply.queued'; subj := NEW.conversation_key;
      det := concat_ws(' ', 'client=' || NEW.client_id, 'account=' || NEW.account_id);
    ELSIF NEW.state = 'done' AND OLD.state IS DISTINCT FROM 'done' THEN
      act := CASE WHEN NEW.result->>'ok' = 'true' THEN 'reply.sent' ELSE 'reply.failed' END;
      subj := NEW.conversation_key;
      det := concat_ws(' ', 'client=' || NEW.client_id, 'author=' || NEW.author,
                       'error=' || (NEW.result->'error'->>'kind'));
    END IF;
  WHEN 'accounts' THEN
    IF TG_OP = 'INSERT' THEN
      act := 'account.add'; subj := NEW.id; det := concat_ws(' ', NEW.platform, 'department=' || NEW.department);
    ELSIF TG_OP = 'DELETE' THEN
      act := 'account.remove'; subj := OLD.id;
    END IF;
  WHEN 'tokens' THEN
    -- Never the sealed token: the audit is readable by every lead.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      act := 'token.refresh'; subj := NEW.account_id; det := 'version ' || NEW.version;
    END IF;
  WHEN 'members' THEN
    act := CASE WHEN TG_OP = 'INSERT' THEN 'member.add' ELSE 'member.change' END;
    subj := NEW.login;
    det := concat_ws(' ', NEW.role, 'departments=' || nullif(array_to_string(NEW.departments, ','), ''));
  WHEN 'team_key' THEN
    act := 'key.set';
  END CASE;
  IF act IS NOT NULL THEN
    INSERT INTO webcare.audit (action, subject, detail) VALUES (act, subj, det);
  END IF;
  RETURN NULL;
END
$f$;

REVOKE ALL ON FUNCTION webcare.apply_mark_v2(uuid, text, text, text, boolean, text, boolean, boolean, text, boolean, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webcare.apply_mark_v2(uuid, text, text, text, boolean, text, boolean, boolean, text, boolean, bigint, bigint)
  TO webcare_member;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'group roles and tables', sql: roles + tables },
  { version: 2, name: 'functions, triggers and audit', sql: functions + audit },
  { version: 3, name: 'row-level security and grants', sql: security },
  { version: 4, name: 'outbox: author requeue and withdraw', sql: outboxAuthor },
  { version: 5, name: 'workflow log', sql: workflowCore },
  { version: 6, name: 'workflow: assignment, notes and asks', sql: workflowAssign },
  { version: 7, name: 'workflow: shifts and handovers', sql: workflowShifts },
  { version: 8, name: 'workflow: approvals and reviews', sql: workflowApproval },
  { version: 9, name: 'workflow: routing', sql: workflowRouting },
  { version: 10, name: 'presence: a heartbeat alone tells nobody', sql: quietPresence },
  { version: 11, name: 'marks: an agent\'s reading of sentiment', sql: sentimentMarks },
  { version: 12, name: 'workflow: team settings, by leads', sql: teamSettingsByLeads },
  { version: 13, name: 'workflow: account departments, by leads', sql: accountDepartmentByLeads },
  { version: 14, name: 'workflow: a department reads what left it', sql: leftReadable },
];

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;
