import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyHelp } from '../keys/KeyHelp';
import { useDb } from '../services';
import { useBoardUi } from './boardStore';
import { useBoardSettings, type BoardSettings } from './boardSettings';
import { BulkBar } from './BulkBar';
import { Column } from './Column';
import { ColumnEditor } from './ColumnEditor';
import { ensureColumns, loadColumns, type ColumnDef } from './columns';
import { useBoardKeys } from './useBoardKeys';
import { ApprovalColumn } from '../workflow/approval/ApprovalColumn';
import { BoardInsightContext } from '../insight/boardInsight';
import { usePriorityLists } from '../insight/prioritySettings';
import { useSla } from '../insight/slaSettings';
import './board.css';

/** One renderer per column kind; a new kind is one entry here. */
const KINDS: { [K in ColumnDef['kind']]: (column: ColumnDef, settings: BoardSettings) => ReactNode } = {
  filter: (column, settings) => <Column key={column.id} column={column} settings={settings} />,
  search: (column, settings) => <Column key={column.id} column={column} settings={settings} />,
};

export function Board() {
  const { t } = useTranslation();
  const db = useDb();
  const settings = useBoardSettings(db);
  const sla = useSla(db);
  const { compiled } = usePriorityLists(db);
  const insight = useMemo(() => ({ sla, priority: compiled }), [sla, compiled]);
  const setEditor = useBoardUi((s) => s.setEditor);
  // Read at once; the seed of a new store (one write, once) shows through the live query when it lands.
  useEffect(() => {
    ensureColumns(db).catch((e: unknown) => console.warn('default columns not written', e));
  }, [db]);
  const columns = useLiveQuery(() => loadColumns(db), [db]);
  useBoardKeys(db);

  return (
    <BoardInsightContext value={insight}>
      <div className="board-wrap">
        <BulkBar settings={settings} />
        <div className="board" role="region" aria-label={t('board.label')} data-testid="board">
          {/* Team mode, leads: the replies waiting for approval, before the saved columns. */}
          <ApprovalColumn />
          {columns?.map((c) => KINDS[c.kind](c, settings))}
          <button type="button" className="board-add" onClick={() => setEditor({ mode: 'add' })} data-testid="add-column">
            <span aria-hidden="true">+</span> {t('board.addColumn')}
          </button>
        </div>
        <ColumnEditor columns={columns ?? []} />
        <KeyHelp />
      </div>
    </BoardInsightContext>
  );
}
