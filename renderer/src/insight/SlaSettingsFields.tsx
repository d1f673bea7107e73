import { useState } from 'react';
import type { Channel } from '../../../shared/model.js';
import type { BusinessHours } from '../../../shared/sla.js';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { SharedSettingNote } from './SharedSettingNote';
import { formatRanges, parseRanges, saveBusinessHours, saveTargets, useSla } from './slaSettings';
import { useSettingsScope } from './teamSettings';

const CHANNELS: readonly Channel[] = ['x_mention', 'x_dm', 'x_search', 'fb_comment', 'fb_message'];
const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Response targets per channel, and the business hours they count in: a line
 * per weekday ("09:00-17:00"), holidays and the time zone. Saved as a whole
 * when every line reads; otherwise nothing changes and the agent is told why.
 */
export function SlaSettingsFields() {
  const t = useInsightT();
  const db = useDb();
  const sla = useSla(db);
  const scope = useSettingsScope();
  const readOnly = scope === 'member';
  const [typedTarget, setTypedTarget] = useState<Partial<Record<Channel, string>>>({});
  const [form, setForm] = useState<{ days: string[]; holidays: string; timeZone: string } | null>(null);
  const [error, setError] = useState(false);
  const fail = (e: unknown) => console.warn('response targets not saved', e);
  const shown = form ?? {
    days: DAYS.map((d) => formatRanges(sla.hours.week?.[d] ?? [])),
    holidays: sla.hours.holidays.join(', '),
    timeZone: sla.hours.timeZone,
  };

  const saveHours = (next: typeof shown) => {
    const week = next.days.map(parseRanges);
    const holidays = next.holidays
      .split(/[,\s]+/)
      .map((x) => x.trim())
      .filter((x) => x !== '');
    const zoneOk = (() => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: next.timeZone.trim() });
        return next.timeZone.trim() !== '';
      } catch {
        return false;
      }
    })();
    if (week.some((w) => w === null) || holidays.some((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h)) || !zoneOk) {
      setError(true);
      return;
    }
    setError(false);
    const open = week.some((w) => (w ?? []).length > 0);
    const hours: BusinessHours = { timeZone: next.timeZone.trim(), holidays, ...(open ? { week: week.map((w) => w ?? []) } : {}) };
    // Once saved, the fields show what is stored again, unless more was typed meanwhile: that stays
    // (clearing it lost a holiday typed while the previous field's save was still on its way).
    saveBusinessHours(db, hours, scope).then(() => setForm((current) => (current === next ? null : current)), fail);
  };

  return (
    <fieldset className="field" data-testid="sla-settings">
      <legend>{t('sla.settings')}</legend>
      {CHANNELS.map((c) => (
        <label className="field-line" key={c}>
          <span>{t(`sla.channel.${c}`)}</span>
          <input
            type="number"
            min={1}
            max={10080}
            step={1}
            disabled={readOnly}
            value={typedTarget[c] ?? String(sla.targets[c])}
            onChange={(e) => setTypedTarget((x) => ({ ...x, [c]: e.target.value }))}
            onBlur={() => {
              const n = Number.parseInt(typedTarget[c] ?? '', 10);
              const clear = () => setTypedTarget((x) => ({ ...x, [c]: undefined }));
              if (typedTarget[c] === undefined || !Number.isFinite(n) || n < 1 || n > 10080) return clear();
              saveTargets(db, { [c]: n }, scope).then(clear, fail);
            }}
            data-testid={`setting-target-${c}`}
          />
        </label>
      ))}
      <span className="field-hint">{t('sla.targetsHint')}</span>
      <fieldset className="field" data-testid="sla-hours">
        <legend>{t('sla.hours')}</legend>
        {DAYS.map((d) => (
          <label className="field-line" key={d}>
            <span>{t(`sla.day.${DAY_KEYS[d]}`)}</span>
            <input
              type="text"
              disabled={readOnly}
              value={shown.days[d]}
              placeholder={d < 5 ? '09:00-17:00' : ''}
              onChange={(e) => setForm({ ...shown, days: shown.days.map((x, i) => (i === d ? e.target.value : x)) })}
              onBlur={() => form && saveHours(form)}
              data-testid={`setting-hours-${d}`}
            />
          </label>
        ))}
        <label className="field-line">
          <span>{t('sla.holidays')}</span>
          <input type="text" disabled={readOnly} value={shown.holidays} placeholder="2026-12-25, 2026-12-26" onChange={(e) => setForm({ ...shown, holidays: e.target.value })} onBlur={() => form && saveHours(form)} data-testid="setting-holidays" />
        </label>
        <label className="field-line">
          <span>{t('sla.timeZone')}</span>
          <input type="text" disabled={readOnly} value={shown.timeZone} onChange={(e) => setForm({ ...shown, timeZone: e.target.value })} onBlur={() => form && saveHours(form)} data-testid="setting-time-zone" />
        </label>
        <span className="field-hint">{sla.hours.week ? t('sla.hoursHint') : `${t('sla.alwaysOpen')}. ${t('sla.hoursHint')}`}</span>
        {error && (
          <span className="form-error" role="alert" data-testid="sla-error">
            {t('sla.invalid')}
          </span>
        )}
      </fieldset>
      <SharedSettingNote scope={scope} names={['businessHours', 'targets']} />
    </fieldset>
  );
}
