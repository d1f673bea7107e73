import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Column } from './Column';
import { DEFAULT_COLUMNS, type ColumnDef } from './columns';

/** One renderer per column kind; a new kind of saved filter is one entry here. */
const KINDS: { [K in ColumnDef['kind']]: (column: Extract<ColumnDef, { kind: K }>) => ReactNode } = {
  channel: (column) => <Column key={column.id} column={column} />,
};

export function Board({ columns = DEFAULT_COLUMNS }: { columns?: readonly ColumnDef[] }) {
  const { t } = useTranslation();
  return (
    <div className="board" role="region" aria-label={t('board.label')}>
      {columns.map((c) => KINDS[c.kind](c))}
    </div>
  );
}
