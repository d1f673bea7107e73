import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { AGENT_SETTING_KEY, loadProfile, saveProfile } from '../../renderer/src/composer/agent';
import { parseBoardSettings, AGENT_NAME_KEY } from '../../renderer/src/board/boardSettings';
import { adoptProfileName, saveAgentName, storedAgentName } from '../../renderer/src/settings/agentName';

/** "Your name" is one setting: the settings dialog, the board's "mine" and the canned-reply profile all read and write it. */
describe('one "Your name" setting', () => {
  let db: WebcareDb;
  afterEach(async () => {
    await db.delete();
  });
  const open = () => (db = openDb(`agent-name-${Math.random()}`));

  it('a name saved in settings is the canned-reply profile’s name, and the other way round', async () => {
    open();
    await saveAgentName(db, '  Gert van Aalst ');
    expect((await loadProfile(db)).name).toBe('Gert van Aalst');

    await saveProfile(db, { ...(await loadProfile(db)), name: 'Anna de Wit', initials: 'AdW' });
    const [name, profile] = await db.settings.bulkGet([AGENT_NAME_KEY, AGENT_SETTING_KEY]);
    expect(name?.value).toBe('Anna de Wit');
    // The profile keeps no name of its own any more, so the two can never disagree.
    expect((profile?.value as { name: string }).name).toBe('');
    expect(parseBoardSettings(name?.value, undefined).me).toBe('Anna de Wit');
    expect(await loadProfile(db)).toMatchObject({ name: 'Anna de Wit', initials: 'AdW' });
  });

  it('saving the profile without its name (in a team) leaves the name setting alone', async () => {
    open();
    await saveAgentName(db, 'Gert');
    await saveProfile(db, { ...(await loadProfile(db)), name: 'Team Login Name', department: 'Bezorging' }, false);
    expect((await db.settings.get(AGENT_NAME_KEY))?.value).toBe('Gert');
    expect((await loadProfile(db)).department).toBe('Bezorging');
  });

  it('a name kept only in the old profile is adopted once; a stored name (even cleared) wins', async () => {
    open();
    await db.settings.put({ key: AGENT_SETTING_KEY, value: { name: 'Oude Naam', initials: 'ON', department: '', signature: '^{{agent.initials}}', signatureOn: true } });
    expect((await loadProfile(db)).name).toBe('Oude Naam');
    await adoptProfileName(db, AGENT_SETTING_KEY);
    expect((await db.settings.get(AGENT_NAME_KEY))?.value).toBe('Oude Naam');

    await saveAgentName(db, '');
    await adoptProfileName(db, AGENT_SETTING_KEY);
    expect((await db.settings.get(AGENT_NAME_KEY))?.value).toBe('');
    expect((await loadProfile(db)).name).toBe('');
  });

  it.each<[unknown, unknown, string]>([
    ['Anna', 'Oud', 'Anna'],
    ['', 'Oud', ''],
    [undefined, 'Oud', 'Oud'],
    [undefined, undefined, ''],
    [42, 'Oud', 'Oud'],
    ['x'.repeat(150), undefined, 'x'.repeat(100)],
  ])('stored %j, legacy %j → %j', (setting, legacy, want) => {
    expect(storedAgentName(setting, legacy)).toBe(want);
  });
});
