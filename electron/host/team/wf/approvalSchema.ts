/**
 * The team database's part of the workflow: approvals and reviews.
 *
 *   approval_policy  who needs a lead's approval: a login, or a channel (for everyone
 *                    but leads, who are the ones approving)
 *   approvals        replies waiting for (or given) a lead's decision, under the reply's
 *                    own client id; written only by the functions below
 *   reviews          a lead's score of a sent reply (the newest per reply), for the
 *                    agent report
 *
 * The database, not the console, keeps approval: a reply of someone who needs it
 * cannot be put in webcare.outbox by any client (the outbox trigger refuses it)
 * until a lead approved it, and approving is one row lock and one state check, so
 * of two leads approving at the same moment one wins and the other is told who
 * did. The approved reply enters the outbox under the same client id (its primary
 * key), with the text the lead approved and its author's name, so the author's
 * console, asking again, gets the posted message and the leader sends it once.
 */
export const workflowApproval = /* sql */ `
CREATE TABLE webcare.approval_policy (
  kind text NOT NULL CHECK (kind IN ('login', 'channel')),
  value text NOT NULL,
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (kind, value)
);

CREATE TABLE webcare.approvals (
  client_id uuid PRIMARY KEY,
  account_id text NOT NULL,
  channel text NOT NULL,
  conversation_key text NOT NULL,
  department text,
  input jsonb NOT NULL,
  author name NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'returned', 'sent')),
  decided_by name,
  decided_at timestamptz,
  decision_id uuid,
  comment text,
  -- The text as the lead approved it, when they changed it (the input keeps the author's).
  edited_text text,
  message_key text
);
CREATE INDEX approvals_state ON webcare.approvals (state);

CREATE TABLE webcare.reviews (
  message_key text PRIMARY KEY,
  author name NOT NULL,
  score int NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment text,
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action_id uuid NOT NULL
);
CREATE INDEX reviews_author ON webcare.reviews (author, at);

-- Leads approve; a channel's policy therefore passes them by (a login named on its own does not).
CREATE FUNCTION webcare.approval_required(p_login name, p_channel text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT EXISTS (SELECT 1 FROM webcare.approval_policy WHERE kind = 'login' AND value = p_login::text)
      OR (EXISTS (SELECT 1 FROM webcare.approval_policy WHERE kind = 'channel' AND value = p_channel)
          AND coalesce((SELECT role NOT IN ('lead', 'admin') FROM webcare.members WHERE login = p_login), true))
$f$;

-- The department a reply belongs to: its message's, else its conversation's, else its account's.
CREATE FUNCTION webcare.reply_department(p_input jsonb, p_key text, p_account text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
  SELECT coalesce(
    (SELECT m.department FROM webcare.messages m WHERE m.key = (p_input->>'channel') || ':' || (p_input->>'inReplyToId')),
    webcare.conversation_department(p_key),
    (SELECT a.department FROM webcare.accounts a WHERE a.id = p_account))
$f$;

-- The outbox takes a reply only from someone who needs no approval, or as a lead
-- approved it: then with the approved text and the author's name, whoever inserts it.
CREATE OR REPLACE FUNCTION webcare.outbox_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  a webcare.approvals%ROWTYPE;
BEGIN
  SELECT * INTO a FROM webcare.approvals WHERE client_id = NEW.client_id;
  IF FOUND AND a.state IN ('approved', 'sent') THEN
    NEW.account_id := a.account_id;
    NEW.conversation_key := a.conversation_key;
    NEW.input := CASE WHEN a.edited_text IS NULL THEN a.input ELSE a.input || jsonb_build_object('text', a.edited_text) END;
    NEW.author := a.author;
  ELSIF FOUND THEN
    RAISE EXCEPTION 'this reply waits for a lead''s approval' USING ERRCODE = '42501';
  ELSE
    IF webcare.approval_required(session_user, NEW.input->>'channel') THEN
      RAISE EXCEPTION 'replies of % on % need a lead''s approval', session_user, NEW.input->>'channel' USING ERRCODE = '42501';
    END IF;
    NEW.author := session_user;
  END IF;
  NEW.department := webcare.reply_department(NEW.input, NEW.conversation_key, NEW.account_id);
  RETURN NEW;
END
$f$;

-- What a queued reply is never changes after it is queued (only its state and result do):
-- staff may update outbox rows to send them, not to rewrite what a lead approved.
CREATE FUNCTION webcare.outbox_fixed() RETURNS trigger
LANGUAGE plpgsql SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NEW.client_id IS DISTINCT FROM OLD.client_id OR NEW.input IS DISTINCT FROM OLD.input
     OR NEW.author IS DISTINCT FROM OLD.author OR NEW.account_id IS DISTINCT FROM OLD.account_id
     OR NEW.conversation_key IS DISTINCT FROM OLD.conversation_key THEN
    RAISE EXCEPTION 'a queued reply cannot be changed' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$f$;
CREATE TRIGGER outbox_fixed BEFORE UPDATE ON webcare.outbox
  FOR EACH ROW EXECUTE FUNCTION webcare.outbox_fixed();

-- An approved reply went out: the approval is settled and the log says so (the 'sent'
-- record), in the transaction that stores the result, so once and only when it posted.
CREATE FUNCTION webcare.outbox_sent() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  k text;
  mk text := NEW.result->'value'->>'key';
BEGIN
  UPDATE webcare.approvals SET state = 'sent', message_key = mk
   WHERE client_id = NEW.client_id AND state = 'approved'
  RETURNING conversation_key INTO k;
  IF FOUND THEN
    INSERT INTO webcare.actions (id, kind, conversation_key, by_login, client_at, data)
    VALUES (gen_random_uuid(), 'sent', k, session_user, round(extract(epoch FROM clock_timestamp()) * 1000)::bigint,
            jsonb_strip_nulls(jsonb_build_object('approvalId', NEW.client_id, 'messageKey', mk)));
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER outbox_sent AFTER UPDATE ON webcare.outbox
  FOR EACH ROW WHEN (NEW.state = 'done' AND OLD.state IS DISTINCT FROM 'done' AND (NEW.result->>'ok') = 'true')
  EXECUTE FUNCTION webcare.outbox_sent();

-- A reply that needs approval goes in the queue (once per client id, with its 'submit'
-- record built here from what is queued, so the lead reads exactly what would be sent).
-- Answers the reply's approval state, or 'none' when it needs no approval.
CREATE FUNCTION webcare.approval_submit(p_client uuid, p_input jsonb)
RETURNS TABLE (state text, comment text, decided_by text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  a webcare.approvals%ROWTYPE;
  v_channel text := p_input->>'channel';
  v_account text := p_input->>'accountId';
  v_key text := (p_input->>'channel') || ':' || (p_input->>'conversationId');
  v_dept text;
BEGIN
  IF webcare.my_role() IS NULL THEN
    RAISE EXCEPTION 'not a member of the team' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO a FROM webcare.approvals ap WHERE ap.client_id = p_client;
  IF FOUND THEN
    IF a.author <> session_user THEN
      RAISE EXCEPTION 'this reply is a colleague''s' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT a.state, a.comment, coalesce(mb.display_name, a.decided_by::text)
      FROM (SELECT 1) one LEFT JOIN webcare.members mb ON mb.login = a.decided_by;
    RETURN;
  END IF;
  IF v_channel IS NULL OR v_account IS NULL OR p_input->>'conversationId' IS NULL THEN
    RAISE EXCEPTION 'a reply needs its channel, account and conversation' USING ERRCODE = '22023';
  END IF;
  IF NOT webcare.approval_required(session_user, v_channel) THEN
    RETURN QUERY SELECT 'none'::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  v_dept := webcare.reply_department(p_input, v_key, v_account);
  IF webcare.my_role() = 'department' AND NOT coalesce(v_dept = ANY (webcare.my_departments()), false) THEN
    RAISE EXCEPTION 'conversation of another department' USING ERRCODE = '42501';
  END IF;
  INSERT INTO webcare.approvals (client_id, account_id, channel, conversation_key, department, input, author)
  VALUES (p_client, v_account, v_channel, v_key, v_dept, p_input, session_user)
  ON CONFLICT (client_id) DO NOTHING;
  IF FOUND THEN
    INSERT INTO webcare.actions (id, kind, conversation_key, by_login, client_at, data)
    VALUES (p_client, 'submit', v_key, session_user, round(extract(epoch FROM clock_timestamp()) * 1000)::bigint,
            jsonb_build_object('approvalId', p_client, 'input', jsonb_strip_nulls(jsonb_build_object(
              'accountId', v_account, 'channel', v_channel, 'conversationId', p_input->>'conversationId',
              'inReplyToId', p_input->>'inReplyToId', 'text', coalesce(p_input->>'text', ''),
              'private', p_input->'private', 'humanAgent', p_input->'humanAgent',
              'mediaCount', coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(p_input->'media') = 'array' THEN p_input->'media' END), 0)))))
    ON CONFLICT (id) DO NOTHING;
  END IF;
  RETURN QUERY SELECT 'pending'::text, NULL::text, NULL::text;
END
$f$;

-- A lead decides on a waiting reply. The row lock makes two leads deciding at once
-- one after the other: the second finds it decided and is answered who did it.
CREATE FUNCTION webcare.approval_decide(p_client uuid, p_approve boolean, p_text text, p_comment text, p_action uuid)
RETURNS TABLE (done boolean, state text, decided_by text, conversation_key text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
#variable_conflict use_column
DECLARE
  a webcare.approvals%ROWTYPE;
BEGIN
  IF NOT webcare.is_lead() THEN
    RAISE EXCEPTION 'only a lead may decide on a reply' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO a FROM webcare.approvals ap WHERE ap.client_id = p_client FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no reply waits for approval under %', p_client USING ERRCODE = 'P0002';
  END IF;
  IF a.state <> 'pending' THEN
    RETURN QUERY SELECT false, a.state, coalesce(mb.display_name, a.decided_by::text), a.conversation_key
      FROM (SELECT 1) one LEFT JOIN webcare.members mb ON mb.login = a.decided_by;
    RETURN;
  END IF;
  IF p_approve THEN
    UPDATE webcare.approvals ap SET state = 'approved', decided_by = session_user, decided_at = clock_timestamp(),
      decision_id = p_action, edited_text = CASE WHEN p_text IS DISTINCT FROM a.input->>'text' THEN p_text END
     WHERE ap.client_id = p_client;
    -- The outbox trigger fills the row from the approval; the primary key keeps it one row.
    INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input)
    VALUES (a.client_id, a.account_id, a.conversation_key, a.input)
    ON CONFLICT (client_id) DO NOTHING;
  ELSE
    IF coalesce(btrim(p_comment), '') = '' THEN
      RAISE EXCEPTION 'a returned reply needs a comment' USING ERRCODE = '22023';
    END IF;
    UPDATE webcare.approvals ap SET state = 'returned', decided_by = session_user, decided_at = clock_timestamp(),
      decision_id = p_action, comment = p_comment
     WHERE ap.client_id = p_client;
  END IF;
  RETURN QUERY SELECT true, CASE WHEN p_approve THEN 'approved' ELSE 'returned' END, NULL::text, a.conversation_key;
END
$f$;

CREATE FUNCTION webcare.approval_policy_set(p_kind text, p_value text, p_required boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
BEGIN
  IF NOT webcare.is_lead() THEN
    RAISE EXCEPTION 'only a lead may set who needs approval' USING ERRCODE = '42501';
  END IF;
  IF p_kind = 'login' AND p_required AND NOT EXISTS (SELECT 1 FROM webcare.members WHERE login = p_value) THEN
    RAISE EXCEPTION 'no colleague logs in as %', p_value USING ERRCODE = 'P0002';
  END IF;
  IF p_required THEN
    INSERT INTO webcare.approval_policy (kind, value) VALUES (p_kind, p_value)
    ON CONFLICT (kind, value) DO UPDATE SET by_login = session_user, at = clock_timestamp();
  ELSE
    DELETE FROM webcare.approval_policy WHERE kind = p_kind AND value = p_value;
  END IF;
END
$f$;

-- A lead scores one of our sent replies; answers the reply's conversation.
CREATE FUNCTION webcare.review_record(p_key text, p_author name, p_score int, p_comment text, p_action uuid) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = webcare, pg_temp AS $f$
DECLARE
  k text;
BEGIN
  IF NOT webcare.is_lead() THEN
    RAISE EXCEPTION 'only a lead may review a reply' USING ERRCODE = '42501';
  END IF;
  SELECT m.channel || ':' || m.conversation_id INTO k FROM webcare.messages m WHERE m.key = p_key AND m.from_us;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no reply of ours is stored as %', p_key USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO webcare.reviews (message_key, author, score, comment, action_id)
  VALUES (p_key, p_author, p_score, nullif(btrim(coalesce(p_comment, '')), ''), p_action)
  ON CONFLICT (message_key) DO UPDATE SET author = EXCLUDED.author, score = EXCLUDED.score, comment = EXCLUDED.comment,
    by_login = session_user, at = clock_timestamp(), action_id = EXCLUDED.action_id;
  RETURN k;
END
$f$;

ALTER TABLE webcare.approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_read ON webcare.approvals FOR SELECT TO webcare_staff USING (true);
CREATE POLICY department_read ON webcare.approvals FOR SELECT TO webcare_department
  USING (department = ANY ((SELECT webcare.my_departments())::text[]));

REVOKE ALL ON webcare.approval_policy, webcare.approvals, webcare.reviews FROM PUBLIC;
GRANT SELECT ON webcare.approval_policy, webcare.approvals TO webcare_member;
GRANT SELECT ON webcare.reviews TO webcare_staff;
REVOKE ALL ON FUNCTION webcare.approval_required(name, text), webcare.reply_department(jsonb, text, text),
  webcare.outbox_fixed(), webcare.outbox_sent(),
  webcare.approval_submit(uuid, jsonb), webcare.approval_decide(uuid, boolean, text, text, uuid),
  webcare.approval_policy_set(text, text, boolean), webcare.review_record(text, name, int, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webcare.approval_required(name, text), webcare.approval_submit(uuid, jsonb),
  webcare.approval_decide(uuid, boolean, text, text, uuid), webcare.approval_policy_set(text, text, boolean),
  webcare.review_record(text, name, int, text, uuid) TO webcare_member;
`;
