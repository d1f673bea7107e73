import { describe, expect, it } from 'vitest';
import { auditQuery, lostWhat, presenceOf, teamErr } from '../../electron/host/team/actions';
import { TeamDbError } from '../../electron/host/team/pgErrors';

describe('team actions: the pure parts', () => {
  it('a lost race says what the winner\'s mark holds of what the action wanted to change', () => {
    const winner = { status: 'done', tag: 'billing', assignee: null, hidden: false };
    expect(lostWhat({ status: 'archived' }, winner)).toBe('done');
    expect(lostWhat({ tag: 'vip' }, winner)).toBe('billing');
    expect(lostWhat({ tag: null }, { ...winner, tag: null })).toBe('untagged');
    expect(lostWhat({ assignee: 'Anna' }, winner)).toBe('unassigned');
    expect(lostWhat({ assignee: null }, { ...winner, assignee: 'Bert' })).toBe('Bert');
    expect(lostWhat({ hidden: true }, winner)).toBe('shown');
    // Status first when an action changes several things.
    expect(lostWhat({ status: 'done', tag: 'x' }, { ...winner, status: 'open' })).toBe('open');
    expect(lostWhat({ tag: 'x' }, { ...winner, tag: 'y'.repeat(100) })).toHaveLength(60);
  });

  it('presence: the liveliest console counts, a silent one is gone after the timeout', () => {
    const now = 1_000_000;
    expect(presenceOf({}, now, 30_000)).toBe('offline');
    expect(presenceOf({ onlineSeen: now - 5000 }, now, 30_000)).toBe('online');
    expect(presenceOf({ onlineSeen: now - 31_000, awaySeen: now - 1000 }, now, 30_000)).toBe('away');
    expect(presenceOf({ onlineSeen: now - 2000, awaySeen: now - 1000 }, now, 30_000)).toBe('online');
    expect(presenceOf({ onlineSeen: now - 31_000, awaySeen: now - 40_000 }, now, 30_000)).toBe('offline');
  });

  it('audit search: every word must match somewhere, literally, with the limit last', () => {
    expect(auditQuery(undefined, 50)).toMatchObject({ params: [50] });
    expect(auditQuery('  ', 50).sql).not.toContain('WHERE');
    const q = auditQuery('anna 100%_sure', 10);
    expect(q.params).toEqual(['%anna%', '%100\\%\\_sure%', 10]);
    expect(q.sql).toContain('$1');
    expect(q.sql).toContain('$2');
    expect(q.sql).toContain('LIMIT $3');
    expect(q.sql.match(/ AND /g)).toHaveLength(1);
    // Eight words at most: a pasted paragraph does not become a query of hundreds of terms.
    expect(auditQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '), 5).params).toHaveLength(9);
  });

  it('database failures become team errors the console can explain', () => {
    expect(teamErr(new TeamDbError('unreachable', 'gone'))).toEqual({ kind: 'team', team: 'unreachable', detail: 'gone' });
    expect(teamErr(Object.assign(new Error('permission denied for table audit'), { code: '42501' }))).toMatchObject({ kind: 'team', team: 'rights' });
  });
});
