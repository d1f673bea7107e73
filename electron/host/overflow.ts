import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type MessageBatch, type Result } from '../../shared/contract.js';
import { cutAt, fitMessage, rawPreview } from '../../shared/fitMessage.js';
import type { Message } from '../../shared/model.js';

/**
 * What the host does with messages that break a limit of the message model,
 * so that one of them never holds up the rest of its batch (or its stream):
 * a text cut to its limit is kept whole here, for "show full text"; a message
 * that cannot be made valid is set aside here, with its raw JSON, and counted
 * on its stream's status. Both stores are bounded: the oldest entries go first.
 */

export interface SetAsideEntry {
  raw: unknown;
  reason: string;
}

export interface FittedBatch {
  /** What the renderer is handed: only valid messages, some of them shortened. */
  batch: MessageBatch;
  setAside: SetAsideEntry[];
  /** The whole texts of the messages whose text was cut. */
  fullTexts: { key: string; accountId: string; text: string }[];
}

/** Every message of a batch through fitMessage. */
export function fitBatch(batch: MessageBatch): FittedBatch {
  const messages: Message[] = [];
  const setAside: SetAsideEntry[] = [];
  const fullTexts: FittedBatch['fullTexts'] = [];
  const raws: unknown[] = Array.isArray(batch.messages) ? batch.messages : [];
  for (const raw of raws) {
    const r = fitMessage(raw);
    if ('setAside' in r) {
      setAside.push({ raw, reason: r.setAside });
      continue;
    }
    messages.push(r.message);
    if (r.shortened.some((s) => s.field === 'text')) fullTexts.push({ key: r.message.key, accountId: r.message.accountId, text: (raw as { text: string }).text });
  }
  return { batch: { ...batch, messages }, setAside, fullTexts };
}

interface FullTextFile {
  key: string;
  accountId: string;
  text: string;
  at: number;
}

export interface OverflowLimits {
  /** Of a set-aside message, at most this much of its JSON is kept (characters). */
  setAsideRawMax: number;
  /** `set-aside.jsonl` beyond this many bytes keeps only its newest half. */
  setAsideFileMax: number;
  /** A full text longer than this (characters) is kept up to it. */
  fullTextEntryMax: number;
  /** Full texts kept together, in bytes on disk; the oldest are deleted first. */
  fullTextTotalMax: number;
}

export const OVERFLOW_LIMITS: OverflowLimits = {
  setAsideRawMax: 64 * 1024,
  setAsideFileMax: 4 * 1024 * 1024,
  fullTextEntryMax: 2 * 1024 * 1024,
  fullTextTotalMax: 64 * 1024 * 1024,
};

export class OverflowStore {
  private chain: Promise<unknown> = Promise.resolve();
  /** Full-text files and their sizes, oldest first; read from the folder on first use. */
  private files: Map<string, number> | null = null;
  private total = 0;
  private logSize: number | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly limits: OverflowLimits = OVERFLOW_LIMITS,
  ) {}

  private get textDir(): string {
    return path.join(this.dataDir, 'full-text');
  }

  private get logFile(): string {
    return path.join(this.dataDir, 'set-aside.jsonl');
  }

  /** One operation at a time: sizes and evictions stay consistent across streams. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.catch(() => undefined).then(fn);
    this.chain = next;
    return next;
  }

  /** Keeps the full texts and the set-aside messages of a fitted batch. */
  keep(batch: Pick<MessageBatch, 'batchId' | 'streamId'>, fit: FittedBatch, at: number): Promise<void> {
    return this.serial(async () => {
      for (const f of fit.fullTexts) await this.putText({ key: f.key, accountId: f.accountId, text: cutAt(f.text, this.limits.fullTextEntryMax), at });
      if (fit.setAside.length) {
        let lines = '';
        let bytes = 0;
        for (const s of fit.setAside) {
          // One batch writes at most half the file's bound; beyond it only the reasons are kept.
          const raw = bytes < this.limits.setAsideFileMax / 2 ? rawPreview(s.raw, this.limits.setAsideRawMax) : '(not kept: too much set aside at once)';
          const line = `${JSON.stringify({ at, streamId: batch.streamId, batchId: batch.batchId, reason: s.reason, raw })}\n`;
          lines += line;
          bytes += Buffer.byteLength(line);
        }
        await this.appendLog(lines);
      }
    });
  }

  /** The whole text of a shortened message, if it is still kept (and, with `accountId`, of that account). */
  fullText(key: string, accountId?: string): Promise<string | undefined> {
    return this.serial(async () => {
      let doc: FullTextFile;
      try {
        doc = JSON.parse(await readFile(path.join(this.textDir, fileOf(key)), 'utf8')) as FullTextFile;
      } catch {
        return undefined;
      }
      if (doc.key !== key || (accountId !== undefined && doc.accountId !== accountId) || typeof doc.text !== 'string') return undefined;
      return doc.text;
    });
  }

  private async index(): Promise<Map<string, number>> {
    if (this.files) return this.files;
    await mkdir(this.textDir, { recursive: true, mode: 0o700 });
    const found: { name: string; size: number; mtime: number }[] = [];
    for (const name of await readdir(this.textDir)) {
      if (!name.endsWith('.json')) continue;
      const s = await stat(path.join(this.textDir, name)).catch(() => null);
      if (s?.isFile()) found.push({ name, size: s.size, mtime: s.mtimeMs });
    }
    found.sort((a, b) => a.mtime - b.mtime);
    this.files = new Map(found.map((f) => [f.name, f.size]));
    this.total = found.reduce((n, f) => n + f.size, 0);
    return this.files;
  }

  private async putText(doc: FullTextFile): Promise<void> {
    const files = await this.index();
    const name = fileOf(doc.key);
    const body = JSON.stringify(doc);
    const size = Buffer.byteLength(body);
    const file = path.join(this.textDir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, body, { mode: 0o600 });
    await rename(tmp, file);
    this.total -= files.get(name) ?? 0;
    files.delete(name);
    files.set(name, size);
    this.total += size;
    for (const [old, oldSize] of files) {
      if (this.total <= this.limits.fullTextTotalMax || old === name) break;
      await rm(path.join(this.textDir, old), { force: true });
      files.delete(old);
      this.total -= oldSize;
    }
  }

  private async appendLog(lines: string): Promise<void> {
    const file = this.logFile;
    if (this.logSize === null) {
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      this.logSize = (await stat(file).catch(() => null))?.size ?? 0;
    }
    const add = Buffer.byteLength(lines);
    if (this.logSize + add > this.limits.setAsideFileMax) {
      // The newest lines up to half the bound stay, so this happens once in a while, not on every append.
      const old = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      const kept: string[] = [];
      let size = add;
      for (let i = old.length - 1; i >= 0; i--) {
        const lineSize = Buffer.byteLength(old[i]!) + 1;
        if (size + lineSize > this.limits.setAsideFileMax / 2) break;
        kept.unshift(old[i]!);
        size += lineSize;
      }
      const text = kept.map((l) => `${l}\n`).join('') + lines;
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
      this.logSize = Buffer.byteLength(text);
      return;
    }
    await appendFile(file, lines, { mode: 0o600 });
    this.logSize += add;
  }
}

function fileOf(key: string): string {
  return `${createHash('sha256').update(key).digest('hex')}.json`;
}

/** The `getFullText` command. */
export async function getFullText(store: OverflowStore, input: { accountId?: string; key: string }): Promise<Result<{ text: string }>> {
  const text = await store.fullText(input.key, input.accountId);
  return text === undefined ? err({ kind: 'targetGone' }) : ok({ text });
}
