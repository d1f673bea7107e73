import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useInsightT } from '../i18n/insight';
import { SentimentChecks } from '../insight/SentimentChecks';
import { ColumnFilterSchema, MESSAGE_STATUSES, type ColumnFilter, type MessageStatus } from '../../../shared/filter.js';
import { ChannelSchema, type Channel, type Sentiment } from '../../../shared/model.js';
import { useDb, useHostStatus } from '../services';
import { Name } from '../text/Name';
import { useBoardUi } from './boardStore';
import { addColumn, deleteColumn, duplicateColumnIn, updateColumn, type ColumnDef } from './columns';
import { PRESETS, soleChannel } from './layout';
import { useModal } from '../useModal';

type AssigneeChoice = 'any' | 'mine' | 'unassigned' | 'named';

interface Form {
  title: string;
  channels: Channel[];
  accounts: string[];
  text: string;
  authors: string;
  languages: string;
  hasLink: boolean;
  hasMedia: boolean;
  minFollowers: string;
  statuses: MessageStatus[];
  sentiments: Sentiment[];
  tags: string;
  assignee: AssigneeChoice;
  assigneeName: string;
  searchId: string;
  /** Kept as it is: the editor has no field for it (an incident column's start). */
  since: number | undefined;
  /** Minutes, as typed; empty: the strictest of the column's channels' targets. */
  targetMin: string;
  sort: 'time' | 'priority';
  onlyHigh: boolean;
  notify: boolean;
  sound: boolean;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

function formOf(column: ColumnDef | undefined): Form {
  const f = column?.filter ?? ColumnFilterSchema.parse({});
  const a = f.assignee;
  return {
    title: column?.title ?? '',
    channels: [...f.channels],
    accounts: [...f.accounts],
    text: f.text,
    authors: f.authors.join(', '),
    languages: f.languages.join(', '),
    hasLink: f.hasLink ?? false,
    hasMedia: f.hasMedia ?? false,
    minFollowers: f.minFollowers === undefined ? '' : String(f.minFollowers),
    statuses: [...f.statuses],
    sentiments: [...f.sentiments],
    tags: f.tags.join(', '),
    assignee: a === undefined ? 'any' : typeof a === 'object' ? 'named' : a,
    assigneeName: typeof a === 'object' ? a.name : '',
    searchId: f.searchId ?? '',
    since: f.since,
    targetMin: column?.targetMin === undefined ? '' : String(column.targetMin),
    sort: column?.sort ?? 'time',
    onlyHigh: column?.onlyHigh ?? false,
    notify: column?.notify ?? false,
    sound: column?.sound ?? false,
  };
}

function filterOf(form: Form): ColumnFilter {
  const followers = Number.parseInt(form.minFollowers, 10);
  const name = form.assigneeName.trim();
  return ColumnFilterSchema.parse({
    channels: form.channels,
    accounts: form.accounts,
    text: form.text.trim(),
    authors: list(form.authors),
    languages: list(form.languages),
    hasLink: form.hasLink || undefined,
    hasMedia: form.hasMedia || undefined,
    minFollowers: Number.isFinite(followers) && followers > 0 ? followers : undefined,
    statuses: form.statuses,
    sentiments: form.sentiments,
    tags: list(form.tags),
    assignee: form.assignee === 'any' ? undefined : form.assignee === 'named' ? (name ? { name } : undefined) : form.assignee,
    searchId: form.searchId || undefined,
    since: form.since,
  });
}

/** Saved X searches, when the host reports them (a stream of their own per search). */
function savedSearches(status: unknown): Array<{ id: string; name: string }> {
  const s = (status as { searches?: Array<{ id: string; name: string; query: string }> } | null)?.searches;
  return Array.isArray(s) ? s.map((x) => ({ id: x.id, name: x.name || x.query })) : [];
}

/** Add a column (from scratch or a department preset in one step) or edit, duplicate and delete one. A native modal <dialog>. */
export function ColumnEditor({ columns }: { columns: readonly ColumnDef[] }) {
  const editor = useBoardUi((s) => s.editor);
  const setEditor = useBoardUi((s) => s.setEditor);
  const ids = useId();
  const editing = editor?.mode === 'edit' ? columns.find((c) => c.id === editor.id) : undefined;
  const editorKey = editor === null ? '' : editor.mode === 'edit' ? editor.id : 'add';
  const titleId = `${ids}-title`;
  const ref = useModal(Boolean(editor));

  const close = () => setEditor(null);
  return (
    <dialog ref={ref} className="dialog column-editor" aria-labelledby={titleId} onClose={close} data-testid="column-editor">
      {/* Keyed: a new form each time it opens for another column; a live layout update never resets typing. */}
      {editor && <EditorForm key={editorKey} editing={editing} titleId={titleId} onClose={close} />}
    </dialog>
  );
}

function EditorForm({ editing, titleId, onClose: close }: { editing: ColumnDef | undefined; titleId: string; onClose(): void }) {
  const { t } = useTranslation();
  const ti = useInsightT();
  const db = useDb();
  const status = useHostStatus();
  const ids = useId();
  const [form, setForm] = useState<Form>(() => formOf(editing));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fail = (e: unknown) => console.warn('column not saved', e);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const toggleIn = <T,>(arr: readonly T[], v: T, on: boolean): T[] => (on ? [...arr.filter((x) => x !== v), v] : arr.filter((x) => x !== v));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filter = filterOf(form);
    const target = Number.parseInt(form.targetMin, 10);
    const targetMin = Number.isInteger(target) && target >= 1 && target <= 10_080 ? target : undefined;
    const def = { title: form.title.trim().slice(0, 100), filter, notify: form.notify, sound: form.sound, targetMin, sort: form.sort, onlyHigh: form.onlyHigh, kind: filter.searchId ? ('search' as const) : ('filter' as const) };
    const done = editing ? updateColumn(db, editing.id, def) : addColumn(db, def);
    void done.then(close, fail);
  };

  const addPreset = (id: string) => {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    addColumn(db, { title: t(`preset.${preset.id}`), filter: preset.filter, preset: preset.id }).then(close, fail);
  };

  const accounts = status?.accounts ?? [];
  const searches = savedSearches(status);
  const channels = ChannelSchema.options;
  const sole = editing ? soleChannel(editing) : null;
  const channelTitle = sole ? t(`channel.${sole}`) : t('column.untitled');

  return (
    <form onSubmit={submit} className="editor-form">
      <h2 id={titleId}>{editing ? t('editor.editTitle') : t('editor.addTitle')}</h2>

      {!editing && (
        <fieldset className="field">
          <legend>{t('editor.presets')}</legend>
          <p className="field-hint">{t('editor.presetsHint')}</p>
          <div className="preset-list">
            {PRESETS.map((p) => (
              <button key={p.id} type="button" className="button" data-testid={`preset-${p.id}`} onClick={() => addPreset(p.id)}>
                {t(`preset.${p.id}`)}
              </button>
            ))}
          </div>
        </fieldset>
      )}

      <label className="field">
        <span>{t('editor.name')}</span>
        <input type="text" value={form.title} maxLength={100} onChange={(e) => set('title', e.target.value)} data-testid="editor-name" />
      </label>

      <label className="field">
        <span>{t('editor.text')}</span>
        <input type="text" value={form.text} maxLength={2000} onChange={(e) => set('text', e.target.value)} data-testid="editor-text" aria-describedby={`${ids}-texthint`} />
        <span id={`${ids}-texthint`} className="field-hint">
          {t('editor.textHint')}
        </span>
      </label>

      <fieldset className="field field--inline">
        <legend>{t('editor.channels')}</legend>
        {channels.map((c) => (
          <label key={c} className="check">
            <input type="checkbox" checked={form.channels.includes(c)} onChange={(e) => set('channels', toggleIn(form.channels, c, e.target.checked))} />
            <span>{t(`channel.${c}`)}</span>
          </label>
        ))}
        <span className="field-hint">{t('editor.anyHint')}</span>
      </fieldset>

      {accounts.length > 0 && (
        <fieldset className="field field--inline">
          <legend>{t('editor.accounts')}</legend>
          {accounts.map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={form.accounts.includes(a.id)} onChange={(e) => set('accounts', toggleIn(form.accounts, a.id, e.target.checked))} />
              <Name text={a.handle ? `@${a.handle}` : a.name} />
            </label>
          ))}
        </fieldset>
      )}

      {searches.length > 0 && (
        <label className="field">
          <span>{t('editor.search')}</span>
          <select value={form.searchId} onChange={(e) => set('searchId', e.target.value)}>
            <option value="">{t('editor.searchNone')}</option>
            {searches.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}

      <div className="field-row">
        <label className="field">
          <span>{t('editor.authors')}</span>
          <input type="text" value={form.authors} onChange={(e) => set('authors', e.target.value)} placeholder={t('editor.listPlaceholder')} />
        </label>
        <label className="field">
          <span>{t('editor.languages')}</span>
          <input type="text" value={form.languages} onChange={(e) => set('languages', e.target.value)} placeholder="nl, en" />
        </label>
      </div>

      <div className="field-row">
        <label className="field">
          <span>{t('editor.minFollowers')}</span>
          <input type="number" min={0} step={1} inputMode="numeric" value={form.minFollowers} onChange={(e) => set('minFollowers', e.target.value)} />
        </label>
        <label className="field">
          <span>{t('editor.tags')}</span>
          <input type="text" value={form.tags} onChange={(e) => set('tags', e.target.value)} placeholder={t('editor.listPlaceholder')} data-testid="editor-tags" />
        </label>
      </div>

      <fieldset className="field field--inline">
        <legend>{t('editor.content')}</legend>
        <label className="check">
          <input type="checkbox" checked={form.hasLink} onChange={(e) => set('hasLink', e.target.checked)} />
          <span>{t('editor.hasLink')}</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.hasMedia} onChange={(e) => set('hasMedia', e.target.checked)} />
          <span>{t('editor.hasMedia')}</span>
        </label>
      </fieldset>

      <fieldset className="field field--inline">
        <legend>{t('editor.statuses')}</legend>
        {MESSAGE_STATUSES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={form.statuses.includes(s)} onChange={(e) => set('statuses', toggleIn(form.statuses, s, e.target.checked))} />
            <span>{t(`status.${s}`)}</span>
          </label>
        ))}
      </fieldset>

      <SentimentChecks value={form.sentiments} onChange={(v) => set('sentiments', v)} testId="editor-sentiments" />

      <fieldset className="field field--inline">
        <legend>{t('editor.assignee')}</legend>
        {(['any', 'mine', 'unassigned', 'named'] as const).map((a) => (
          <label key={a} className="radio">
            <input type="radio" name={`${ids}-assignee`} checked={form.assignee === a} onChange={() => set('assignee', a)} />
            <span>{t(`editor.assignee_${a}`)}</span>
          </label>
        ))}
        {form.assignee === 'named' && (
          <input type="text" value={form.assigneeName} maxLength={100} onChange={(e) => set('assigneeName', e.target.value)} aria-label={t('editor.assigneeName')} />
        )}
      </fieldset>

      <fieldset className="field field--inline">
        <legend>{t('editor.alerts')}</legend>
        <label className="check">
          <input type="checkbox" checked={form.notify} onChange={(e) => set('notify', e.target.checked)} />
          <span>{t('column.notify')}</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.sound} onChange={(e) => set('sound', e.target.checked)} />
          <span>{t('column.sound')}</span>
        </label>
      </fieldset>

      <fieldset className="field field--inline" data-testid="editor-sort">
        <legend>{ti('priority.sort')}</legend>
        {(['time', 'priority'] as const).map((o) => (
          <label key={o} className="radio">
            <input type="radio" name={`${ids}-sort`} checked={form.sort === o} onChange={() => set('sort', o)} />
            <span>{ti(o === 'time' ? 'priority.sortTime' : 'priority.sortPriority')}</span>
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={form.onlyHigh} onChange={(e) => set('onlyHigh', e.target.checked)} data-testid="editor-only-high" />
          <span>{ti('priority.onlyHigh')}</span>
        </label>
      </fieldset>

      <label className="field">
        <span>{ti('sla.columnTarget')}</span>
        <input type="number" min={1} max={10080} step={1} inputMode="numeric" value={form.targetMin} onChange={(e) => set('targetMin', e.target.value)} data-testid="editor-target" />
      </label>

      <div className="dialog-actions">
        {editing && (
          <>
            <button
              type="button"
              className="button"
              data-testid="editor-duplicate"
              onClick={() => duplicateColumnIn(db, editing.id, t('editor.copyOf', { title: editing.title || channelTitle })).then(close, fail)}
            >
              {t('editor.duplicate')}
            </button>
            <button
              type="button"
              className="button button--danger"
              data-testid="editor-delete"
              onClick={() => (confirmDelete ? deleteColumn(db, editing.id).then(close, fail) : setConfirmDelete(true))}
            >
              {confirmDelete ? t('editor.deleteConfirm') : t('editor.delete')}
            </button>
          </>
        )}
        <span className="dialog-spacer" />
        <button type="button" className="button" onClick={close}>
          {t('editor.cancel')}
        </button>
        <button type="submit" className="button button--primary" data-testid="editor-save">
          {editing ? t('editor.save') : t('editor.add')}
        </button>
      </div>
    </form>
  );
}
