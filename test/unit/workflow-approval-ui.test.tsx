import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, Status } from '../../shared/contract';
import type { ApprovalView } from '../../shared/workflowState';
import type { HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { initI18n } from '../../renderer/src/i18n/index';
import type { OutboxEntry } from '../../renderer/src/outbox/outbox';
import { OutboxItem } from '../../renderer/src/outbox/OutboxItem';
import { ServicesContext } from '../../renderer/src/services';
import { ApprovalItem } from '../../renderer/src/workflow/approval/ApprovalItem';

/**
 * What the agent sees on a reply waiting for approval or returned, and what a
 * lead sees of a reply in the approval queue, in both languages.
 */
const host: HostApi = {
  connection: 'open',
  // Nothing here is sent: rendering only.
  call: async () => ({ ok: false, error: { kind: 'offline' } }) as never,
  on: () => () => undefined,
  onConnection: () => () => undefined,
};
const status: StatusSource = { get: () => null as Status | null, subscribe: () => () => undefined };
let db: WebcareDb;

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});
beforeEach(async () => {
  db = openDb(`approval-ui-${crypto.randomUUID()}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const entry = (error: AppError, state: OutboxEntry['state']): OutboxEntry => ({
  clientId: '6f1c1f4e-5a55-4f53-9d0a-1d2b3c4d5e6f',
  state,
  conversationKey: 'x_mention:A',
  messageKey: 'x_mention:A',
  createdAt: Date.now() - 5 * 60_000,
  seq: 0,
  request: { accountId: 'acc', channel: 'x_mention', conversationId: 'A', inReplyToId: 'A', text: 'Wij kijken het na!' },
  attempts: 1,
  updatedAt: Date.now() - 60_000,
  error,
});

const render = (node: React.ReactNode) => renderToStaticMarkup(<ServicesContext value={{ host, db, status }}>{node}</ServicesContext>);

describe('the agent’s reply in the approval queue', () => {
  for (const lng of ['en', 'nl'] as const) {
    it(`pending (${lng}): says it waits for a lead, and offers neither edit nor discard`, async () => {
      await i18next.changeLanguage(lng);
      const html = render(<OutboxItem entry={entry({ kind: 'approval', state: 'pending' }, 'queued')} />);
      expect(html).toContain('data-approval="pending"');
      expect(html).toContain(lng === 'en' ? 'Waiting for approval' : 'Wacht op goedkeuring');
      expect(html).toContain('data-testid="outbox-approval-pending"');
      expect(html).not.toContain('data-testid="outbox-edit"');
      expect(html).not.toContain('data-testid="outbox-discard"');
      expect(html).not.toContain('data-testid="outbox-retry"');
    });

    it(`returned (${lng}): the lead's comment and name, then edit or discard (no retry of the same text)`, async () => {
      await i18next.changeLanguage(lng);
      const html = render(<OutboxItem entry={entry({ kind: 'approval', state: 'returned', by: 'Lea', comment: 'Noem het ordernummer' }, 'failed')} />);
      expect(html).toContain('data-approval="returned"');
      expect(html).toContain(lng === 'en' ? 'Returned by Lea: Noem het ordernummer' : 'Teruggestuurd door Lea: Noem het ordernummer');
      expect(html).toContain('data-testid="outbox-edit"');
      expect(html).toContain('data-testid="outbox-discard"');
      expect(html).not.toContain('data-testid="outbox-retry"');
    });
  }

  it('an ordinary queued reply keeps edit and discard', async () => {
    await i18next.changeLanguage('en');
    const html = render(<OutboxItem entry={entry({ kind: 'offline' }, 'queued')} />);
    expect(html).not.toContain('data-approval');
    expect(html).toContain('data-testid="outbox-discard"');
  });
});

describe('a reply in the lead’s approval queue', () => {
  const approval: ApprovalView = {
    id: '6f1c1f4e-5a55-4f53-9d0a-1d2b3c4d5e6f',
    conversationKey: 'x_mention:A',
    channel: 'x_mention',
    accountId: 'acc',
    text: 'Hoi Fleur, je pakket komt morgen.',
    mediaCount: 1,
    state: 'pending',
    by: 'bram',
    byName: 'Bram',
    at: Date.now() - 60_000,
  };
  for (const lng of ['en', 'nl'] as const) {
    it(`shows the author, the text and the three decisions (${lng})`, async () => {
      await i18next.changeLanguage(lng);
      const html = render(<ApprovalItem approval={approval} records={[]} />);
      expect(html).toContain(lng === 'en' ? 'Reply by Bram' : 'Antwoord van Bram');
      expect(html).toContain('Hoi Fleur, je pakket komt morgen.');
      expect(html).toContain(lng === 'en' ? 'with 1 image' : 'met 1 afbeelding');
      for (const id of ['approval-approve', 'approval-edit', 'approval-return']) expect(html).toContain(`data-testid="${id}"`);
    });
  }
});
