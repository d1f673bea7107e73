import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TARGETS } from '../../shared/sla';
import type { WorkflowRecord } from '../../shared/workflow';
import { emptyWorkflow, reduceWorkflow } from '../../shared/workflowState';

/**
 * Team settings: a lead's `teamSetting` record replaces the whole setting for
 * every console (the newest valid one wins; a value this version cannot read
 * is skipped), and a change right after another builds on the first while the
 * log has not caught up.
 */
const acted: unknown[] = [];
vi.mock('../../renderer/src/workflow/store', () => ({
  act: async (input: Record<string, unknown>) => {
    acted.push(input);
    return { ...input, id: `a${acted.length}`, at: 1 };
  },
  useWorkflowSelect: () => undefined,
  workflowView: () => ({ state: emptyWorkflow(), pending: new Set(), failed: [], records: [] }),
}));
const { resetSentSettings, saveTeamSetting, teamSettingNow } = await import('../../renderer/src/insight/teamSettings');

let seq = 0;
const rec = (data: Record<string, unknown>, by = 'lea'): WorkflowRecord => ({ id: `r${++seq}`, kind: 'teamSetting', seq, by, byName: by, at: 1000 + seq, clientAt: 1000 + seq, data });
const targets = (x_dm: number) => ({ setting: { name: 'targets', value: { ...DEFAULT_TARGETS, x_dm } } });

describe('team settings in the workflow state', () => {
  it('the newest valid record of a setting wins, with who set it; other settings are untouched', () => {
    const s = reduceWorkflow([rec(targets(30)), rec({ setting: { name: 'stormRule', value: { windowMin: 15, factor: 3, minCount: 8 } } }), rec(targets(45), 'max')]);
    expect(s.settings.targets).toMatchObject({ by: 'max', value: { x_dm: 45, x_mention: 60 } });
    expect(s.settings.stormRule?.value).toMatchObject({ windowMin: 15, factor: 3, minCount: 8 });
    expect(s.settings.businessHours).toBeUndefined();
  });

  it('a value this version cannot read (out of range, an unknown setting) is skipped, not half applied', () => {
    const s = reduceWorkflow([rec(targets(30)), rec(targets(0)), rec({ setting: { name: 'colours', value: {} } }), rec({ setting: { name: 'businessHours', value: { timeZone: 'Europe/Amsterdam', week: [[]] } } })]);
    expect(s.settings.targets?.value.x_dm).toBe(30);
    expect(s.settings.businessHours).toBeUndefined();
  });
});

describe('a lead’s changes in quick succession', () => {
  beforeEach(() => {
    acted.length = 0;
    resetSentSettings();
  });

  it('build on the one still on its way, then on the log once it has it; a refused one is not built on', async () => {
    const logged = (records: WorkflowRecord[], failed: string[] = []) => ({
      state: reduceWorkflow(records),
      pending: new Set<string>(),
      failed: failed.map((id) => ({ action: { id } as never, what: 'team:rights' })),
      records,
    });
    const before = logged([rec(targets(30))]);
    expect(teamSettingNow('targets', before)?.x_dm).toBe(30);
    expect(await saveTeamSetting('targets', { ...DEFAULT_TARGETS, x_dm: 10 })).toBe(true);
    expect(acted).toEqual([{ kind: 'teamSetting', setting: { name: 'targets', value: { ...DEFAULT_TARGETS, x_dm: 10 } } }]);
    // The log has not caught up: the change on its way is what the next builds on.
    expect(teamSettingNow('targets', before)?.x_dm).toBe(10);
    // The log has it (and a colleague changed it since): the log's.
    const mine = { ...rec(targets(10)), id: 'a1' };
    expect(teamSettingNow('targets', logged([rec(targets(30)), mine, rec(targets(20), 'max')]))?.x_dm).toBe(20);
    // Refused by the team: the log's value stays what it was.
    await saveTeamSetting('targets', { ...DEFAULT_TARGETS, x_dm: 5 });
    expect(teamSettingNow('targets', logged([rec(targets(30))], ['a2']))?.x_dm).toBe(30);
  });
});
