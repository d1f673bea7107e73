import { liveQuery } from 'dexie';
import type { WebcareDb } from '../db/db';
import './theme.css';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Density = 'comfortable' | 'compact';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const DENSITIES: readonly Density[] = ['comfortable', 'compact'];
export const THEME_SETTING_KEY = 'theme';
export const DENSITY_SETTING_KEY = 'density';

/** A copy in localStorage lets the very first paint use the right theme; Dexie stays the record. */
const EARLY_KEY = 'webcare.appearance';

export function isThemeChoice(v: unknown): v is ThemeChoice {
  return typeof v === 'string' && (THEME_CHOICES as readonly string[]).includes(v);
}

export function isDensity(v: unknown): v is Density {
  return typeof v === 'string' && (DENSITIES as readonly string[]).includes(v);
}

export interface Appearance {
  theme: ThemeChoice;
  density: Density;
}

const DEFAULT: Appearance = { theme: 'system', density: 'comfortable' };

/** `system` follows the OS setting, live. */
export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}

const darkQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

let current: Appearance = DEFAULT;

function apply(a: Appearance): void {
  current = a;
  const root = document.documentElement;
  root.dataset.theme = resolveTheme(a.theme, darkQuery()?.matches ?? false);
  root.dataset.density = a.density;
}

function readEarly(): Appearance {
  try {
    const raw = JSON.parse(localStorage.getItem(EARLY_KEY) ?? 'null') as Partial<Appearance> | null;
    return { theme: isThemeChoice(raw?.theme) ? raw.theme : DEFAULT.theme, density: isDensity(raw?.density) ? raw.density : DEFAULT.density };
  } catch {
    return DEFAULT;
  }
}

/** Applies the stored theme and density now and whenever they change (in this window or another), and follows the OS for `system`. */
export function startAppearance(db: WebcareDb): () => void {
  apply(readEarly());
  const media = darkQuery();
  const onMedia = () => apply(current);
  media?.addEventListener('change', onMedia);
  const sub = liveQuery(async () => {
    const [theme, density] = await db.settings.bulkGet([THEME_SETTING_KEY, DENSITY_SETTING_KEY]);
    return { theme: isThemeChoice(theme?.value) ? theme.value : DEFAULT.theme, density: isDensity(density?.value) ? density.value : DEFAULT.density };
  }).subscribe({
    next: (a) => {
      apply(a);
      try {
        localStorage.setItem(EARLY_KEY, JSON.stringify(a));
      } catch {
        // Private mode or a full quota: only the first paint of the next start is affected.
      }
    },
    error: (e: unknown) => console.warn('appearance settings not read', e),
  });
  return () => {
    media?.removeEventListener('change', onMedia);
    sub.unsubscribe();
  };
}

export async function saveAppearance(db: WebcareDb, patch: Partial<Appearance>): Promise<void> {
  const rows = [];
  if (patch.theme) rows.push({ key: THEME_SETTING_KEY, value: patch.theme });
  if (patch.density) rows.push({ key: DENSITY_SETTING_KEY, value: patch.density });
  await db.settings.bulkPut(rows);
}
