import { useState } from 'react';
import type { Channel } from '../../../shared/model.js';
import { BusinessHoursSchema, type BusinessHours, type Targets } from '../../../shared/sla.js';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { useHeldEdit } from '../settings/heldEdit';
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
  const edit = useHeldEdit<{ days: string[]; holidays: string; timeZone: string }>(JSON.stringify(sla.hours));
  const form = edit.typed;
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
    // Once the store shows the save, the fields show what is stored again, unless more was typed
    // meanwhile: that stays (clearing it lost a holiday typed while the previous save was on its way).
    edit.save(next, JSON.stringify(BusinessHoursSchema.parse(hours)), () => saveBusinessHours(db, hours, scope), fail);
  };

  return (
    <fieldset className="field" data-testid="sla-settings">
      <legend>{t('sla.settings')}</legend>
      {CHANNELS.map((c) => (
        <TargetField key={c} channel={c} targets={sla.targets} readOnly={readOnly} save={(n) => saveTargets(db, { [c]: n }, scope)} />
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
              onChange={(e) => edit.type({ ...shown, days: shown.days.map((x, i) => (i === d ? e.target.value : x)) })}
              onBlur={() => form && saveHours(form)}
              data-testid={`setting-hours-${d}`}
            />
          </label>
        ))}
        <label className="field-line">
          <span>{t('sla.holidays')}</span>
          <input type="text" disabled={readOnly} value={shown.holidays} placeholder="2026-12-25, 2026-12-26" onChange={(e) => edit.type({ ...shown, holidays: e.target.value })} onBlur={() => form && saveHours(form)} data-testid="setting-holidays" />
        </label>
        <label className="field-line">
          <span>{t('sla.timeZone')}</span>
          <input type="text" disabled={readOnly} value={shown.timeZone} onChange={(e) => edit.type({ ...shown, timeZone: e.target.value })} onBlur={() => form && saveHours(form)} data-testid="setting-time-zone" />
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

/** One channel's target in minutes; a value out of range is put back as it was. */
function TargetField({ channel, targets, readOnly, save }: { channel: Channel; targets: Targets; readOnly: boolean; save: (minutes: number) => Promise<void> }) {
  const t = useInsightT();
  const stored = String(targets[channel]);
  const edit = useHeldEdit<string>(stored);
  return (
    <label className="field-line">
      <span>{t(`sla.channel.${channel}`)}</span>
      <input
        type="number"
        min={1}
        max={10080}
        step={1}
        disabled={readOnly}
        value={edit.typed ?? stored}
        onChange={(e) => edit.type(e.target.value)}
        onBlur={() => {
          const typed = edit.typed;
          const n = Number.parseInt(typed ?? '', 10);
          if (typed === null || !Number.isFinite(n) || n < 1 || n > 10080) return edit.drop();
          edit.save(typed, String(n), () => save(n), (e) => console.warn('response targets not saved', e));
        }}
        data-testid={`setting-target-${channel}`}
      />
    </label>
  );
}
