import './icons.css';
import { Activity, Bell, ChartColumn, ChevronsLeft, ChevronsRight, GripVertical, ListChecks, Pencil, Plus, Search, Settings, UserRoundPlus, Volume2, X, type LucideIcon } from 'lucide-react';

/**
 * The console's one icon set (Lucide: outlined, one stroke width, drawn as SVG
 * so they look the same on every system, unlike emoji and symbol glyphs such as
 * 🔔 ♪ ☑ ✎ « ◷ ⚙ that each font draws its own way). An icon is decoration: the
 * button around it carries the words, as its accessible name (aria-label) and
 * its tooltip (title), in the agent's language.
 */
const ICONS = {
  notify: Bell,
  sound: Volume2,
  selectAll: ListChecks,
  edit: Pencil,
  collapse: ChevronsLeft,
  expand: ChevronsRight,
  grip: GripVertical,
  health: Activity,
  settings: Settings,
  close: X,
  assign: UserRoundPlus,
  search: Search,
  add: Plus,
  chart: ChartColumn,
} satisfies Record<string, LucideIcon>;

export type IconName = keyof typeof ICONS;

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  const Svg = ICONS[name];
  return <Svg className="icon" size={size} strokeWidth={2} aria-hidden="true" focusable="false" />;
}
