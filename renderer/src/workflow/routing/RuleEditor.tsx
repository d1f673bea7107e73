import { useDeferredValue, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PREVIEW_MESSAGES, previewRule } from '../../../../shared/routing.js';
import type { FilterableMessage } from '../../../../shared/filter.js';
import { ChannelSchema } from '../../../../shared/model.js';
import { PrioritySchema, type RoutingRule } from '../../../../shared/workflow.js';
import type { TeamMember } from '../../../../shared/team.js';
import { SentimentChecks } from '../../insight/SentimentChecks';
import { useWfT } from '../../i18n/wf';
import { useDb, useHostStatus } from '../../services';
import { SafeText } from '../../text/SafeText';
import { Name } from '../../text/Name';
import { displayName } from '../../team/useTeam';
import { formOfRule, ruleOfForm, type RuleForm } from './ruleForm';

const STAFF = new Set(['agent', 'specialist', 'lead', 'admin']);
const EXCERPT = 160;

/**
 * A routing rule's form, with what it would have done: the rule set, this rule
 * in its place, run over the newest messages of this console's store, and the
 * messages it would have routed listed on request. Saving is offered only for a
 * rule that does something.
 */
export function RuleEditor({
  editing,
  rules,
  order,
  members,
  onSave,
  onCancel,
}: {
  editing: RoutingRule | undefined;
  rules: readonly RoutingRule[];
  /** The new rule's position (an edited rule keeps its own). */
  order: number;
  members: readonly TeamMember[];
  onSave(rule: RoutingRule): void;
  onCancel(): void;
}) {
  const t = useWfT();
  const { t: tApp, i18n } = useTranslation();
  const num = new Intl.NumberFormat(i18n.language);
  const db = useDb();
  const status = useHostStatus();
  const ids = useId();
  const [form, setForm] = useState<RuleForm>(() => formOfRule(editing));
  const [id] = useState(() => editing?.id ?? crypto.randomUUID());
  const [messages, setMessages] = useState<FilterableMessage[] | null>(null);
  const [showList, setShowList] = useState(false);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const toggleIn = <T,>(arr: readonly T[], v: T, on: boolean): T[] => (on ? [...arr.filter((x) => x !== v), v] : arr.filter((x) => x !== v));

  // The newest messages of this console, read once per opening.
  useEffect(() => {
    let live = true;
    void db.messages
      .orderBy('createdAt')
      .reverse()
      .limit(PREVIEW_MESSAGES)
      .toArray()
      .then((ms) => {
        if (live) setMessages(ms);
      });
    return () => {
      live = false;
    };
  }, [db]);

  const built = ruleOfForm(form, id, editing?.order ?? order);
  // Typing stays quick: the preview follows the form a moment later.
  const deferred = useDeferredValue(form);
  const preview = useMemo(() => {
    const b = ruleOfForm(deferred, id, editing?.order ?? order);
    return messages && b.rule ? previewRule(rules, b.rule, messages) : null;
  }, [deferred, id, editing?.order, order, messages, rules]);

  const departments = [...new Set(members.flatMap((m) => m.departments))].sort();
  const colleagues = members.filter((m) => STAFF.has(m.role)).sort((a, b) => a.name.localeCompare(b.name));
  const accounts = status?.accounts ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (built.rule && built.problems.length === 0) onSave(built.rule);
  };

  return (
    <form onSubmit={submit} className="editor-form" data-testid="rule-editor">
      <h3>{editing ? t('routing.editor.editTitle') : t('routing.editor.addTitle')}</h3>
      <label className="field">
        <span>{t('routing.editor.name')}</span>
        <input type="text" value={form.name} maxLength={100} onChange={(e) => set('name', e.target.value)} data-testid="rule-name" />
      </label>

      <fieldset className="field">
        <legend>{t('routing.editor.when')}</legend>
        <label className="field">
          <span>{t('routing.editor.text')}</span>
          <input type="text" value={form.text} maxLength={2000} onChange={(e) => set('text', e.target.value)} aria-describedby={`${ids}-hint`} data-testid="rule-text" />
          <span id={`${ids}-hint`} className="field-hint">
            {t('routing.editor.textHint')}
          </span>
        </label>
        <fieldset className="field field--inline">
          <legend>{t('routing.editor.channels')}</legend>
          {ChannelSchema.options.map((c) => (
            <label key={c} className="check">
              <input type="checkbox" checked={form.channels.includes(c)} onChange={(e) => set('channels', toggleIn(form.channels, c, e.target.checked))} />
              <span>{tApp(`channel.${c}`)}</span>
            </label>
          ))}
          <span className="field-hint">{t('routing.editor.anyHint')}</span>
        </fieldset>
        {accounts.length > 0 && (
          <fieldset className="field field--inline">
            <legend>{t('routing.editor.accounts')}</legend>
            {accounts.map((a) => (
              <label key={a.id} className="check">
                <input type="checkbox" checked={form.accounts.includes(a.id)} onChange={(e) => set('accounts', toggleIn(form.accounts, a.id, e.target.checked))} />
                <Name text={a.handle ? `@${a.handle}` : a.name} />
              </label>
            ))}
          </fieldset>
        )}
        <SentimentChecks value={form.sentiments} onChange={(v) => set('sentiments', v)} testId="rule-sentiments" />
        <div className="field-row">
          <label className="field">
            <span>{t('routing.editor.authors')}</span>
            <input type="text" value={form.authors} onChange={(e) => set('authors', e.target.value)} placeholder={t('routing.editor.listPlaceholder')} />
          </label>
          <label className="field">
            <span>{t('routing.editor.languages')}</span>
            <input type="text" value={form.languages} onChange={(e) => set('languages', e.target.value)} placeholder="nl, en" />
          </label>
        </div>
      </fieldset>

      <fieldset className="field">
        <legend>{t('routing.editor.then')}</legend>
        <div className="field-row">
          <label className="field">
            <span>{t('routing.editor.department')}</span>
            <input type="text" list={`${ids}-deps`} value={form.department} maxLength={60} onChange={(e) => set('department', e.target.value)} placeholder={t('routing.editor.departmentNone')} data-testid="rule-department" />
            <datalist id={`${ids}-deps`}>
              {departments.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span>{t('routing.editor.tag')}</span>
            <input type="text" value={form.tag} maxLength={60} onChange={(e) => set('tag', e.target.value)} data-testid="rule-tag" />
          </label>
          <label className="field">
            <span>{t('routing.editor.priority')}</span>
            <select value={form.priority} onChange={(e) => set('priority', e.target.value as RuleForm['priority'])} data-testid="rule-priority">
              <option value="">{t('routing.editor.priorityNone')}</option>
              {PrioritySchema.options.map((p) => (
                <option key={p} value={p}>
                  {t(`routing.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="field">
          <legend>{t('routing.editor.who')}</legend>
          {(['nobody', 'colleague', 'roundRobin'] as const).map((w) => (
            <label key={w} className="radio">
              <input type="radio" name={`${ids}-who`} checked={form.who === w} onChange={() => set('who', w)} data-testid={`rule-who-${w}`} />
              <span>{t(w === 'nobody' ? 'routing.editor.whoNobody' : w === 'colleague' ? 'routing.editor.whoColleague' : 'routing.editor.whoRoundRobin')}</span>
            </label>
          ))}
          {form.who === 'colleague' && (
            <select value={form.assignee} onChange={(e) => set('assignee', e.target.value)} aria-label={t('routing.editor.colleague')} data-testid="rule-assignee">
              <option value="">—</option>
              {colleagues.map((m) => (
                <option key={m.login} value={m.login}>
                  {displayName(m.name) || m.login}
                </option>
              ))}
            </select>
          )}
          <span className="field-hint">{t('routing.editor.offDutyHint')}</span>
        </fieldset>
      </fieldset>

      <fieldset className="field field--inline">
        <legend>{t('routing.editor.afterMatch')}</legend>
        <label className="radio">
          <input type="radio" name={`${ids}-after`} checked={!form.continue} onChange={() => set('continue', false)} />
          <span>{t('routing.editor.first')}</span>
        </label>
        <label className="radio">
          <input type="radio" name={`${ids}-after`} checked={form.continue} onChange={() => set('continue', true)} data-testid="rule-continue" />
          <span>{t('routing.editor.continue')}</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          <span>{t('routing.editor.enabled')}</span>
        </label>
      </fieldset>

      <section className="rule-preview" aria-live="polite" data-testid="rule-preview">
        <h4>{t('routing.preview.title', { n: num.format(PREVIEW_MESSAGES) })}</h4>
        {messages === null ? (
          <p role="status">{t('routing.preview.loading')}</p>
        ) : preview === null || preview.tested === 0 ? (
          preview?.tested === 0 && <p>{t('routing.preview.empty')}</p>
        ) : (
          <>
            <p data-testid="rule-preview-count" data-count={preview.routed.length}>
              {t('routing.preview.result', { count: preview.routed.length, tested: num.format(preview.tested) })}{' '}
              {preview.routed.length > 0 && (
                <button type="button" className="link-button" onClick={() => setShowList((s) => !s)} aria-expanded={showList} data-testid="rule-preview-show">
                  {showList ? t('routing.preview.hide') : t('routing.preview.show')}
                </button>
              )}
            </p>
            {showList && (
              <ul className="rule-preview-list" aria-label={t('routing.preview.list')} data-testid="rule-preview-list">
                {preview.routed.map((m) => (
                  <li key={m.key} data-testid="rule-preview-item">
                    <span className="rule-preview-author">
                      <Name text={m.author.handle ? `@${m.author.handle}` : m.author.name} max={60} />
                    </span>
                    <SafeText text={m.text.length > EXCERPT ? `${m.text.slice(0, EXCERPT)}…` : m.text} />
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      {tried && built.problems.length > 0 && (
        <ul className="form-error" role="alert" data-testid="rule-problems">
          {built.problems.map((p) => (
            <li key={p}>{t(`routing.editor.${p}`)}</li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <span className="dialog-spacer" />
        <button type="button" className="button" onClick={onCancel}>
          {t('routing.editor.cancel')}
        </button>
        <button type="submit" className="button button--primary" data-testid="rule-save">
          {t('routing.editor.save')}
        </button>
      </div>
    </form>
  );
}
