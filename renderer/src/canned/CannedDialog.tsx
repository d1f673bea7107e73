import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchCanned, validateCanned, VARIABLE_NAMES, VARIANTS, type CannedProblem, type CannedReply, type VariantKey } from '../../../shared/canned.js';
import { NameField } from '../settings/NameField';
import { AgentProfileSchema, saveProfile, signatureTemplate, useAgentProfile, type AgentProfile } from '../composer/agent';
import { formatNumber } from '../i18n/format';
import { useDb } from '../services';
import { useUi } from '../store';
import { exportJson, importJson, listCanned, saveCanned, seedStarter, type ImportResult } from './library';
import { shareDelete, shareSave } from './teamShare';
import './canned.css';
import { useModal } from '../useModal';

const blank = (language: 'nl' | 'en'): CannedReply => ({
  id: crypto.randomUUID(),
  title: '',
  shortcut: '',
  body: '',
  category: '',
  language,
  variants: {},
  usage: 0,
  updatedAt: Date.now(),
});

/**
 * The team's canned replies: the list, the editor (validated as it is typed and
 * refused on save with the overflow shown), import and export as JSON, and the
 * agent's name, initials, department and signature that fill the variables.
 */
export function CannedDialog() {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const open = useUi((s) => s.composerUi.cannedOpen);
  const setOpen = useUi((s) => s.setCannedOpen);
  const ref = useModal(open);
  useEffect(() => {
    if (open) void seedStarter(db).catch(() => undefined);
  }, [db, open]);

  const library = useLiveQuery(() => (open ? listCanned(db) : Promise.resolve([])), [db, open]);
  const profile = useAgentProfile();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [refused, setRefused] = useState(false);
  const [saved, setSaved] = useState(false);
  const [imported, setImported] = useState<ImportResult | 'invalid' | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const shown = useMemo(() => searchCanned(library ?? [], query).sort((a, b) => (query ? 0 : a.title.localeCompare(b.title))), [library, query]);
  const signature = signatureTemplate(profile);
  const problems = editing ? validateCanned(editing, signature) : [];

  const edit = (r: CannedReply | null) => {
    setEditing(r);
    setRefused(false);
    setSaved(false);
  };
  const change = (patch: Partial<CannedReply>) => {
    if (!editing) return;
    setEditing({ ...editing, ...patch });
    setSaved(false);
  };
  const save = async () => {
    if (!editing) return;
    const reply = { ...editing, updatedAt: Date.now() };
    const result = await saveCanned(db, reply, signature);
    setRefused(!result.ok);
    setSaved(result.ok);
    // In a team, for every console's library (queued: it survives going offline).
    if (result.ok) void shareSave(reply);
  };
  const remove = async () => {
    if (!editing) return;
    await db.canned.delete(editing.id);
    void shareDelete(editing.id);
    edit(null);
  };
  const doExport = () => {
    const blob = new Blob([exportJson(library ?? [])], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'canned-replies.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const doImport = async (file: File | undefined) => {
    if (!file) return;
    try {
      const result = await importJson(db, await file.text(), signature);
      setImported(result ?? 'invalid');
      for (const r of result?.replies ?? []) void shareSave(r);
    } catch (e) {
      // Unreadable file or a failed write: nothing was half-imported (one transaction); say so.
      console.warn('canned import failed', e);
      setImported('invalid');
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  return (
    <dialog ref={ref} className="dialog canned-dialog" aria-labelledby="canned-title" onClose={() => setOpen(false)} data-testid="canned-library">
      <h2 id="canned-title">{t('canned.title')}</h2>
      <div className="canned-layout">
        <div className="canned-side">
          <input type="search" className="canned-filter" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('canned.searchPlaceholder')} aria-label={t('canned.search')} />
          <ul className="canned-list">
            {shown.map((r) => (
              <li key={r.id}>
                <button type="button" className={`canned-list-item${editing?.id === r.id ? ' canned-list-item--on' : ''}`} onClick={() => edit(r)}>
                  <span className="canned-list-title">{r.title}</span>
                  <span className="canned-list-meta">
                    {r.shortcut && `/${r.shortcut} · `}
                    {r.language.toUpperCase()} · {r.category} · {t('canned.used', { count: r.usage, n: formatNumber(r.usage, i18n.language) })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className="canned-side-actions">
            <button type="button" className="button button--small" onClick={() => edit(blank(lang))} data-testid="canned-new">
              {t('canned.new')}
            </button>
            <button type="button" className="button button--small" onClick={doExport} data-testid="canned-export">
              {t('canned.export')}
            </button>
            <button type="button" className="button button--small" onClick={() => fileRef.current?.click()}>
              {t('canned.import')}
            </button>
            <input ref={fileRef} type="file" accept="application/json,.json" hidden onChange={(e) => void doImport(e.target.files?.[0])} data-testid="canned-import" />
          </div>
          {imported && (
            <p className="canned-import-result" role="status">
              {imported === 'invalid'
                ? t('canned.importInvalid')
                : t('canned.imported', { count: imported.imported, n: imported.imported, refused: imported.refused.length })}
              {imported !== 'invalid' && imported.refused.length > 0 && ` ${imported.refused.map((r) => r.title).join(', ')}`}
            </p>
          )}
        </div>
        <div className="canned-main">
          {editing ? (
            <CannedEditor reply={editing} problems={problems} refused={refused} saved={saved} onChange={change} onSave={() => void save()} onDelete={() => void remove()} />
          ) : (
            <p className="canned-hint">{t('canned.pickOne')}</p>
          )}
          <ProfileEditor key={JSON.stringify({ ...profile, name: '' })} profile={profile} onSave={(p) => void saveProfile(db, p, false)} />
        </div>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('canned.close')}
        </button>
      </div>
    </dialog>
  );
}

function CannedEditor({
  reply,
  problems,
  refused,
  saved,
  onChange,
  onSave,
  onDelete,
}: {
  reply: CannedReply;
  problems: CannedProblem[];
  refused: boolean;
  saved: boolean;
  onChange: (patch: Partial<CannedReply>) => void;
  onSave: () => void;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const id = useId();
  const n = (v: number) => formatNumber(v, i18n.language);
  const problemText = (p: CannedProblem) =>
    p.kind === 'unknownVariable'
      ? t('canned.problem.unknownVariable', { variant: t(`canned.variant.${p.variant}`), name: p.name })
      : t('canned.problem.tooLong', { variant: t(`canned.variant.${p.variant}`), channel: t(`channel.${p.channel}`), length: n(p.length), limit: n(p.limit), count: p.over, over: n(p.over) });
  const missing = !reply.title.trim() || !reply.body.trim();
  const badShortcut = !/^[\p{L}\p{N}_-]*$/u.test(reply.shortcut);
  return (
    <form
      className="canned-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <div className="canned-row">
        <label htmlFor={`${id}-title`}>{t('canned.field.title')}</label>
        <input id={`${id}-title`} value={reply.title} maxLength={200} onChange={(e) => onChange({ title: e.target.value })} data-testid="canned-title" />
      </div>
      <div className="canned-row canned-row--3">
        <span>
          <label htmlFor={`${id}-shortcut`}>{t('canned.field.shortcut')}</label>
          <input id={`${id}-shortcut`} value={reply.shortcut} maxLength={40} onChange={(e) => onChange({ shortcut: e.target.value.trim() })} data-testid="canned-shortcut" />
        </span>
        <span>
          <label htmlFor={`${id}-category`}>{t('canned.field.category')}</label>
          <input id={`${id}-category`} value={reply.category} maxLength={100} onChange={(e) => onChange({ category: e.target.value })} />
        </span>
        <span>
          <label htmlFor={`${id}-lang`}>{t('canned.field.language')}</label>
          <select id={`${id}-lang`} value={reply.language} onChange={(e) => onChange({ language: e.target.value === 'nl' ? 'nl' : 'en' })}>
            <option value="nl">{t('settings.languageNl')}</option>
            <option value="en">{t('settings.languageEn')}</option>
          </select>
        </span>
      </div>
      <div className="canned-row">
        <label htmlFor={`${id}-body`}>{t('canned.field.body')}</label>
        <textarea id={`${id}-body`} rows={4} value={reply.body} onChange={(e) => onChange({ body: e.target.value })} data-testid="canned-body" />
      </div>
      {VARIANTS.map((v: VariantKey) => (
        <div className="canned-row" key={v}>
          <label htmlFor={`${id}-${v}`}>{t(`canned.variant.${v}`)}</label>
          <textarea
            id={`${id}-${v}`}
            rows={2}
            value={reply.variants[v] ?? ''}
            placeholder={t('canned.variantPlaceholder')}
            onChange={(e) => onChange({ variants: { ...reply.variants, [v]: e.target.value || undefined } })}
            data-testid={`canned-variant-${v}`}
          />
        </div>
      ))}
      <p className="canned-vars">{t('canned.variables', { list: VARIABLE_NAMES.map((v) => `{{${v}}}`).join(' '), example: lng === 'nl' ? '{{customer.name|daar}}' : '{{customer.name|there}}' })}</p>
      {problems.length > 0 && (
        <ul className={`canned-problems${refused ? ' canned-problems--refused' : ''}`} role={refused ? 'alert' : undefined} data-testid="canned-problems">
          {refused && <li className="canned-refused">{t('canned.refused')}</li>}
          {problems.map((p, i) => (
            <li key={i}>{problemText(p)}</li>
          ))}
        </ul>
      )}
      {badShortcut && <p className="canned-problems">{t('canned.problem.shortcut')}</p>}
      <div className="canned-form-actions">
        <button type="submit" className="button button--primary button--small" disabled={missing || badShortcut} data-testid="canned-save">
          {t('canned.save')}
        </button>
        <button type="button" className="button button--small" onClick={onDelete}>
          {t('canned.delete')}
        </button>
        {saved && <span role="status">{t('canned.saved')}</span>}
        {missing && <span className="canned-hint">{t('canned.needsTitleBody')}</span>}
      </div>
    </form>
  );
}

function ProfileEditor({ profile, onSave }: { profile: AgentProfile; onSave: (p: AgentProfile) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [p, setP] = useState(profile);
  const valid = AgentProfileSchema.safeParse(p).success;
  const field = (key: 'initials' | 'department' | 'signature', max: number) => (
    <span>
      <label htmlFor={`${id}-${key}`}>{t(`canned.profile.${key}`)}</label>
      <input id={`${id}-${key}`} value={p[key]} maxLength={max} onChange={(e) => setP({ ...p, [key]: e.target.value })} data-testid={`profile-${key}`} />
    </span>
  );
  return (
    <form
      className="canned-profile"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onSave(p);
      }}
    >
      <h3>{t('canned.profile.title')}</h3>
      <NameField testId="profile-name" className="canned-row canned-name" />
      <div className="canned-row canned-row--3">
        {field('initials', 10)}
        {field('department', 100)}
        {field('signature', 60)}
      </div>
      <div className="canned-row canned-row--actions">
        <label className="canned-check">
          <input type="checkbox" checked={p.signatureOn} onChange={(e) => setP({ ...p, signatureOn: e.target.checked })} />
          {t('canned.profile.signatureOn')}
        </label>
        <button type="submit" className="button button--small" disabled={!valid} data-testid="profile-save">
          {t('canned.profile.save')}
        </button>
      </div>
      <p className="canned-vars">{t('canned.profile.hint', { example: '^{{agent.initials}}' })}</p>
    </form>
  );
}
