import { createContext, useContext } from 'react';
import { compileLists, DEFAULT_PRIORITY_LISTS, type CompiledLists } from '../../../shared/priority.js';
import { parseSla, type Sla } from './slaSettings';

/**
 * The settings every column reads (response targets and hours, priority lists),
 * read once by the board and handed down: one live query each, not one per column.
 */
export interface BoardInsight {
  sla: Sla;
  priority: CompiledLists;
}

const FALLBACK: BoardInsight = { sla: parseSla(undefined, undefined), priority: compileLists(DEFAULT_PRIORITY_LISTS) };

export const BoardInsightContext = createContext<BoardInsight>(FALLBACK);

export function useBoardInsight(): BoardInsight {
  return useContext(BoardInsightContext);
}
