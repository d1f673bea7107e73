import { useState, type FormEvent } from 'react';
import type { RoutingRule } from '../../../../shared/workflow.js';
import type { TeamMember } from '../../../../shared/team.js';
import { useWfT, type WfT } from '../../i18n/wf';
import { displayName } from '../../team/useTeam';
import { Name } from '../../text/Name';
import { useModal } from '../../useModal';
import { act, useWorkflow } from '../store';
import { RuleEditor } from './RuleEditor';

/** Positions are spaced, so a rule can be put between two without renumbering the others. */
const STEP = 10;

/** A rule in one line each for its conditions and its effect. */
export function ruleSummary(t: WfT, rule: RoutingRule, members: readonly TeamMember[]): { when: string; then: string } {
  const w = rule.when;
  const when = [
    w.text,
    w.channels.join(', '),
    w.accounts.join(', '),
    w.languages.join(', '),
    w.sentiments.map((s) => t(`routing.summary.sentiment.${s}`)).join(', '),
    w.authors.join(', '),
  ].filter((x) => x !== '');
  const th = rule.then;
  const name = (login: string) => displayName(members.find((m) => m.login === login)?.name ?? '') || login;
  const then = [
    th.department ? t('routing.summary.department', { department: th.department }) : '',
    th.assignee ? t('routing.summary.assignee', { name: name(th.assignee) }) : th.roundRobin && th.department ? t('routing.summary.roundRobin', { department: th.department }) : '',
    th.tag ? t('routing.summary.tag', { tag: th.tag }) : '',
    th.priority ? t('routing.summary.priority', { priority: t(`routing.priority.${th.priority}`) }) : '',
    rule.continue ? t('routing.summary.continue') : t('routing.summary.first'),
  ].filter((x) => x !== '');
  return {
    when: t('routing.summary.when', { what: when.length ? when.join(' · ') : t('routing.summary.any') }),
    then: t('routing.summary.then', { what: then.join(', ') }),
  };
}

/** The routing rules of the team (leads): in order, each editable with a preview; the round-robin cap. */
export function RulesDialog({ open, members, onClose }: { open: boolean; members: readonly TeamMember[]; onClose(): void }) {
  const t = useWfT();
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog rules-dialog" aria-labelledby="rules-title" onClose={onClose} data-testid="rules-dialog">
      <h2 id="rules-title">{t('routing.title')}</h2>
      {open && <Rules members={members} />}
      <div className="dialog-actions">
        <span className="dialog-spacer" />
        <button type="button" className="button" onClick={onClose}>
          {t('routing.close')}
        </button>
      </div>
    </dialog>
  );
}

function Rules({ members }: { members: readonly TeamMember[] }) {
  const t = useWfT();
  const { state } = useWorkflow();
  const rules = state.rules;
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);

  const save = (rule: RoutingRule) => {
    void act({ kind: 'ruleSave', rule });
    setEditing(null);
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...rules];
    const [r] = next.splice(index, 1);
    if (!r) return;
    next.splice(index + by, 0, r);
    // Renumbered in steps: only the rules whose position changes are saved again.
    next.forEach((x, i) => {
      const order = (i + 1) * STEP;
      if (x.order !== order) void act({ kind: 'ruleSave', rule: { ...x, order } });
    });
  };

  if (editing !== null) {
    return (
      <RuleEditor
        editing={editing === 'new' ? undefined : editing}
        rules={rules}
        order={Math.min(10_000, rules.reduce((m, r) => Math.max(m, r.order), 0) + STEP)}
        members={members}
        onSave={save}
        onCancel={() => setEditing(null)}
      />
    );
  }
  return (
    <>
      <p className="field-hint">{t('routing.intro')}</p>
      {rules.length === 0 ? (
        <p role="status" data-testid="rules-none">
          {t('routing.none')}
        </p>
      ) : (
        <ol className="rules-list" data-testid="rules-list">
          {rules.map((r, i) => {
            const s = ruleSummary(t, r, members);
            return (
              <li key={r.id} className={r.enabled ? 'rule-item' : 'rule-item rule-item--off'} data-testid="rule-item" data-rule={r.id}>
                <span className="rule-item-name">
                  <Name text={r.name} max={100} />
                  {!r.enabled && ` (${t('routing.off')})`}
                </span>
                <p className="rule-item-summary">{s.when}</p>
                <p className="rule-item-summary">{s.then}</p>
                <span className="rule-item-actions">
                  <button type="button" className="icon-button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('routing.up')} title={t('routing.up')}>
                    ↑
                  </button>
                  <button type="button" className="icon-button" disabled={i === rules.length - 1} onClick={() => move(i, 1)} aria-label={t('routing.down')} title={t('routing.down')}>
                    ↓
                  </button>
                  <button type="button" className="button" onClick={() => setEditing(r)} data-testid="rule-edit">
                    {t('routing.edit')}
                  </button>
                  <button
                    type="button"
                    className="button button--danger"
                    data-testid="rule-delete"
                    onClick={() => {
                      if (confirm !== r.id) return setConfirm(r.id);
                      setConfirm(null);
                      void act({ kind: 'ruleDelete', ruleId: r.id });
                    }}
                  >
                    {confirm === r.id ? t('routing.deleteConfirm') : t('routing.delete')}
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button--primary" onClick={() => setEditing('new')} data-testid="rule-add">
          {t('routing.add')}
        </button>
      </div>
      <CapForm cap={state.cap} />
    </>
  );
}

function CapForm({ cap }: { cap: number }) {
  const t = useWfT();
  const [value, setValue] = useState(String(cap));
  const [saved, setSaved] = useState(false);
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1000;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    void act({ kind: 'routingCap', cap: n });
    setSaved(true);
  };
  return (
    <form className="rules-cap" onSubmit={submit}>
      <label className="field">
        <span>{t('routing.cap.label')}</span>
        <input
          type="number"
          min={1}
          max={1000}
          step={1}
          inputMode="numeric"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          aria-invalid={!valid}
          data-testid="rules-cap"
        />
      </label>
      <button type="submit" className="button" disabled={!valid}>
        {t('routing.cap.save')}
      </button>
      {saved && <span role="status">{t('routing.cap.saved')}</span>}
      {!valid && (
        <span className="form-error" role="alert">
          {t('routing.cap.invalid')}
        </span>
      )}
    </form>
  );
}
