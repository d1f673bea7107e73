import type { SearchForm } from './searchUi';

/** Saves the search as a board column, once the board offers a column API (issue 4, part A). */
export function SaveSearchButton(_props: { form: SearchForm }) {
  return null;
}
