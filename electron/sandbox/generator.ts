import type { Channel } from '../../shared/model.js';
import type { Rng } from './prng.js';
import { BASE62 } from './prng.js';
import {
  AGENTS,
  BIOS,
  BRAND_FB_POSTS,
  BRAND_REPLY,
  BRAND_X_POSTS,
  CITIES,
  COMMENT_TEXT,
  DAYS,
  DURATIONS,
  FIRST_NAMES,
  FOLLOW_UP,
  HASHTAGS,
  HUBS,
  INFLUENCERS,
  ITEMS,
  LAST_NAMES,
  LONG_PARAGRAPHS,
  NEG_EMOJI,
  NOISE_ACCOUNTS,
  PICKUPS,
  POS_EMOJI,
  PRIVATE_TEXT,
  STATUSES,
  STREETS,
  TOPIC_WEIGHTS,
  WINDOWS,
  X_TEXT,
  type Lang,
  type Topic,
} from './templates.js';
import { weightedLength } from './text.js';
import { SANDBOX_BRAND, type FbPost, type FbUser, type Person, type Tweet, type World, type XUser } from './world.js';

/** The four columns plus brand-word posts without an @mention (found only by search). */
export type GenChannel = Exclude<Channel, 'x_search'> | 'x_keyword';

export interface Created {
  channel: GenChannel;
  id: string;
  conversationId: string;
  authorId: string;
  topic: Topic;
  lang: Lang;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const FOLLOW_UP_CHANCE = 0.15;
const TWEPOCH = 1288834974657n;

function firstName(name: string): string {
  return name.split(/[ |]/)[0] || name;
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Composes webcare traffic from templates and slot values and writes it into
 * the world. All choices come from one seeded generator, so a seed replays
 * the same people, texts and threads.
 */
export class Traffic {
  private readonly xPeople: Person[] = [];
  private readonly fbPeople: Person[] = [];
  private readonly noisePeople: Person[] = [];
  private readonly influencers: Person[] = [];
  private readonly brandPosts: Tweet[] = [];

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
  ) {}

  createPeople(count: number, createdBefore: number): void {
    const r = this.rng;
    const usedNames = new Set<string>([SANDBOX_BRAND.xHandle]);
    const uniqueName = (base: string): string => {
      let name = base.slice(0, 15) || `user${r.digits(6)}`;
      while (usedNames.has(name)) name = `${base.slice(0, 11)}${r.digits(4)}`;
      usedNames.add(name);
      return name;
    };
    const xId = (): string => {
      for (;;) {
        // Accounts from before 2013 have short ids; later ones are snowflakes far above 2^53.
        const id = r.chance(0.45)
          ? String(r.int(10_000_000, 3_999_999_999))
          : (((BigInt(Date.UTC(2013, 0, 1) + Math.floor(r.next() * (createdBefore - Date.UTC(2013, 0, 1)))) - TWEPOCH) << 22n) | BigInt(r.int(0, 4_194_303))).toString();
        if (!this.world.xUsers.has(id)) return id;
      }
    };
    const psid = (): string => {
      for (;;) {
        const id = r.pick(['2', '3', '5', '6', '7', '8']) + r.digits(15);
        if (!this.world.fbUsers.has(id)) return id;
      }
    };
    const followers = (): number => {
      const u = r.next();
      if (u < 0.78) return Math.floor(r.next() * r.next() * 500);
      if (u < 0.95) return r.int(500, 5_000);
      return r.int(5_000, 60_000);
    };

    for (let i = 0; i < count; i++) {
      const noise = i < NOISE_ACCOUNTS.length ? NOISE_ACCOUNTS[i] : undefined;
      const influencer = !noise && i < NOISE_ACCOUNTS.length + INFLUENCERS.length ? INFLUENCERS[i - NOISE_ACCOUNTS.length] : undefined;
      const lang: Lang = influencer?.lang ?? (r.chance(0.7) ? 'nl' : 'en');
      const city = r.pick(CITIES);
      const first = r.pick(FIRST_NAMES[lang]);
      const last = r.pick(LAST_NAMES[lang]);
      let name: string;
      if (noise) name = noise.name;
      else if (influencer) name = influencer.name;
      else {
        name = r.weighted<string>([
          [`${first} ${last}`, 10],
          [`${first} ${r.pick(['🌷', '☕', '🚲', '🇳🇱', '✨', '🌻', '⚽'])}`, 2],
          [first.toLowerCase(), 1],
          [`${first[0]}. ${last}`, 1],
          [`${first} | ${city}`, 1],
        ]);
      }
      const kind: Person['kind'] = noise ? 'noise' : influencer ? 'influencer' : 'customer';
      const person: Person = { name, lang, kind, city };
      const wantsX = kind !== 'customer' || r.chance(0.7);
      const wantsFb = kind === 'customer' ? r.chance(0.65) || !wantsX : kind === 'influencer' && r.chance(0.5);
      if (wantsX) {
        const username = uniqueName(
          noise?.username ?? influencer?.username ?? r.pick([`${ascii(first)}${ascii(last).slice(0, 1)}${r.int(1, 99)}`, `${ascii(first)}_${ascii(last)}`, `${ascii(first)}${r.int(70, 99)}`, `${ascii(last)}${ascii(first).slice(0, 3)}`]),
        );
        const bio = noise?.bio ?? influencer?.bio ?? r.pick(BIOS[lang]).replace('{city}', city);
        const user: XUser = {
          id: xId(),
          name,
          username,
          verified: kind === 'influencer' || r.chance(0.03),
          description: bio,
          followers: kind === 'influencer' ? 245_000 : kind === 'noise' ? r.int(800, 12_000) : followers(),
          following: r.int(20, 1_800),
          tweetCount: r.int(10, 40_000),
          listed: r.int(0, 40),
          createdAt: Date.UTC(2009, 0, 1) + Math.floor(r.next() * (createdBefore - Date.UTC(2009, 0, 1) - 30 * 24 * HOUR)),
          location: r.chance(0.6) ? city : undefined,
        };
        person.x = this.world.addXUser(user);
        this.xPeople.push(person);
        if (kind === 'noise') this.noisePeople.push(person);
        if (kind === 'influencer') this.influencers.push(person);
      }
      if (wantsFb) {
        person.fb = this.world.addFbUser({ id: psid(), name: name.replace(/ \| .*$/, '') });
        this.fbPeople.push(person);
      }
      this.world.people.push(person);
    }
  }

  /** Someone writing on X: mostly ordinary customers, a few noise accounts, rarely an influencer. */
  private pickX(): Person {
    const r = this.rng;
    const u = r.next();
    if (u < 0.02 && this.influencers.length) return r.pick(this.influencers);
    if (u < 0.1 && this.noisePeople.length) return r.pick(this.noisePeople);
    return r.pick(this.xPeople);
  }

  private pickFb(): Person {
    return this.rng.pick(this.fbPeople);
  }

  private topicFor(p: Person): Topic {
    if (p.kind === 'noise') return 'noise';
    return this.rng.weighted(TOPIC_WEIGHTS);
  }

  /** Fills `{slot}`s; `brand` is how this channel names the company. */
  fill(template: string, lang: Lang, brand: string, who?: { first?: string }): string {
    const r = this.rng;
    const code = () => `3SPLD${r.digits(9)}`;
    let lastCode = '';
    return template.replace(/\{(@|\w+)\}/g, (_m, slot: string) => {
      switch (slot) {
        case '@':
          return brand;
        case 'code':
          lastCode = code();
          return lastCode;
        case 'link':
          return `https://polderpost.nl/volgen/${lastCode || code()}`;
        case 'img':
          return r.pick([`https://imgur.com/a/${r.chars(7, BASE62)}`, `https://photos.app.goo.gl/${r.chars(17, BASE62)}`]);
        case 'days':
          return r.pick(DURATIONS[lang]);
        case 'status':
          return r.pick(STATUSES[lang]);
        case 'day':
          return r.pick(DAYS[lang]);
        case 'city':
        case 'city2':
          return r.pick(CITIES);
        case 'hub':
          return r.pick(HUBS);
        case 'window':
          return r.pick(WINDOWS[lang]);
        case 'time':
          return `${r.int(8, 20)}:${r.pick(['00', '15', '30', '45'])}`;
        case 'item':
          return r.pick(ITEMS[lang]);
        case 'street':
          return r.pick(STREETS);
        case 'num':
        case 'num2':
        case 'num3':
          return `${r.int(1, 180)}${r.chance(0.1) ? r.pick(['a', 'b', '-2', ' bis']) : ''}`;
        case 'pickup':
          return r.pick(PICKUPS[lang]);
        case 'emoNeg':
          return r.pick(NEG_EMOJI);
        case 'emoPos':
          return r.pick(POS_EMOJI);
        case 'fee':
          return `${r.int(8, 45)},${r.pick(['00', '50', '95'])}`;
        case 'pct':
          return String(r.int(2, 9));
        case 'postcode':
          return `${r.int(1000, 9999)} ${r.chars(2, 'ABCEGHJKLMNPRTVWXZ')}`;
        case 'order':
          return `WS-${r.digits(7)}`;
        case 'phone':
          return r.digits(8);
        case 'hours':
          return String(r.int(2, 6));
        case 'sig':
          return r.pick(AGENTS).sig;
        case 'agent':
          return r.pick(AGENTS).name;
        case 'first':
          return who?.first ?? (lang === 'nl' ? 'daar' : 'there');
        case 'tag':
          return r.pick(HASHTAGS);
        default:
          return `{${slot}}`;
      }
    });
  }

  private xText(p: Person, topic: Topic, brand: string): string {
    const r = this.rng;
    for (let attempt = 0; attempt < 5; attempt++) {
      let text = this.fill(r.pick(X_TEXT[p.lang][topic]), p.lang, brand);
      if (r.chance(0.08) && !/#\w/.test(text)) text += ` ${r.pick(HASHTAGS)}`;
      // Templates are short; only the rare long fill needs the real counter.
      if (text.length < 200 || weightedLength(text) <= 280) return text;
    }
    return this.fill(X_TEXT[p.lang].praise[0] as string, p.lang, brand);
  }

  private longComment(lang: Lang): string {
    const r = this.rng;
    const target = r.int(1_000, 3_000);
    const paragraphs = LONG_PARAGRAPHS[lang];
    let out = '';
    let i = r.int(0, paragraphs.length - 1);
    while (out.length < target) {
      const next = this.fill(paragraphs[i % paragraphs.length] as string, lang, 'Polderpost');
      if (out.length + next.length + 2 > 3_000) break;
      out += (out ? '\n\n' : '') + next;
      i++;
    }
    return out;
  }

  private newestPost(): FbPost {
    const posts = this.world.fbPosts;
    // Most people comment under the newest posts.
    const back = Math.min(posts.length - 1, Math.floor(this.rng.next() * this.rng.next() * posts.length));
    return posts[posts.length - 1 - back] as FbPost;
  }

  private recent<T>(items: readonly T[], ok: (item: T) => boolean, window = 80): T | undefined {
    const candidates: T[] = [];
    for (let i = items.length - 1; i >= 0 && i >= items.length - window; i--) {
      const item = items[i] as T;
      if (ok(item)) candidates.push(item);
    }
    return candidates.length ? this.rng.pick(candidates) : undefined;
  }

  /** One message on `channel` at time `at`, sometimes continuing an earlier thread. */
  generate(channel: GenChannel, at: number): Created {
    const r = this.rng;
    const w = this.world;
    const brandId = SANDBOX_BRAND.xUserId;
    switch (channel) {
      case 'x_mention': {
        if (r.chance(FOLLOW_UP_CHANCE)) {
          const earlier = this.recent(w.mentionsOf.get(brandId) ?? [], (t) => !t.deleted && t.authorId !== brandId);
          const author = earlier ? w.xUsers.get(earlier.authorId) : undefined;
          if (earlier && author) {
            const person = this.world.people.find((p) => p.x === author);
            const lang: Lang = person?.lang ?? 'nl';
            // Prefer answering the brand's reply, as people do; otherwise add to their own post.
            const brandReply = (w.repliesOf.get(earlier.id) ?? []).find((t) => t.authorId === brandId && !t.deleted);
            const text = this.fill(r.pick(FOLLOW_UP.x[lang]), lang, '@polderpost');
            const t = w.addTweet({ author, text, at, lang, replyTo: brandReply ?? earlier, wrapLinks: true });
            return { channel, id: t.id, conversationId: t.conversationId, authorId: author.id, topic: 'track', lang };
          }
        }
        const p = this.pickX();
        const topic = this.topicFor(p);
        let text = this.xText(p, topic, '@polderpost');
        if (!/@polderpost/i.test(text)) text = `@polderpost ${text}`;
        const quote = r.chance(0.05) && this.brandPosts.length ? r.pick(this.brandPosts) : undefined;
        const t = w.addTweet({ author: p.x as XUser, text, at, lang: p.lang, quote, wrapLinks: true });
        return { channel, id: t.id, conversationId: t.conversationId, authorId: t.authorId, topic, lang: p.lang };
      }
      case 'x_keyword': {
        const p = this.pickX();
        const topic = this.topicFor(p);
        const text = this.xText(p, topic, r.pick(['Polderpost', 'polderpost', 'PolderPost']));
        // Quoting a brand post "summons" the brand, so it may answer although nobody @mentioned it.
        const quote = r.chance(0.3) && this.brandPosts.length ? r.pick(this.brandPosts) : undefined;
        const t = w.addTweet({ author: p.x as XUser, text, at, lang: p.lang, quote, wrapLinks: true });
        return { channel, id: t.id, conversationId: t.conversationId, authorId: t.authorId, topic, lang: p.lang };
      }
      case 'x_dm': {
        const brand = w.brandUser;
        if (r.chance(FOLLOW_UP_CHANCE)) {
          const earlier = this.recent(w.dmEvents, (e) => e.senderId !== brandId);
          const sender = earlier ? w.xUsers.get(earlier.senderId) : undefined;
          if (sender) {
            const lang = this.world.people.find((p) => p.x === sender)?.lang ?? 'nl';
            const ev = w.addDm(sender, brand, this.fill(r.pick(FOLLOW_UP.dm[lang]), lang, 'Polderpost'), at);
            return { channel, id: ev.id, conversationId: ev.conversationId, authorId: sender.id, topic: 'track', lang };
          }
        }
        const p = this.pickX();
        const topic = this.topicFor(p);
        const ev = w.addDm(p.x as XUser, brand, this.fill(r.pick(PRIVATE_TEXT[p.lang][topic]), p.lang, 'Polderpost'), at);
        return { channel, id: ev.id, conversationId: ev.conversationId, authorId: ev.senderId, topic, lang: p.lang };
      }
      case 'fb_comment': {
        if (r.chance(FOLLOW_UP_CHANCE)) {
          const earlier = this.recent(w.comments, (c) => !c.deleted && !c.parentId && c.fromId !== SANDBOX_BRAND.fbPageId);
          const post = earlier ? w.postById.get(earlier.postId) : undefined;
          if (earlier && post) {
            // Either the same person adds to their thread or someone else joins it.
            const same = r.chance(0.5);
            const from: FbUser = same ? { id: earlier.fromId, name: earlier.fromName } : (this.pickFb().fb as FbUser);
            const lang = this.world.people.find((p) => p.fb?.id === from.id)?.lang ?? 'nl';
            const c = w.addComment(post, from, this.fill(r.pick(FOLLOW_UP.comment[lang]), lang, 'Polderpost'), at, earlier);
            return { channel, id: c.id, conversationId: earlier.id, authorId: from.id, topic: 'track', lang };
          }
        }
        const p = this.pickFb();
        const topic = this.topicFor(p);
        const text = r.chance(0.04) && topic !== 'noise' && topic !== 'praise' ? this.longComment(p.lang) : this.fill(r.pick(COMMENT_TEXT[p.lang][topic]), p.lang, 'Polderpost');
        const c = w.addComment(this.newestPost(), p.fb as FbUser, text, at);
        return { channel, id: c.id, conversationId: c.id, authorId: c.fromId, topic, lang: p.lang };
      }
      case 'fb_message': {
        if (r.chance(FOLLOW_UP_CHANCE)) {
          const conv = this.recent(w.conversations, (c) => c.lastUserAt !== undefined, 40);
          const user = conv ? w.fbUsers.get(conv.userId) : undefined;
          if (conv && user) {
            const lang = this.world.people.find((p) => p.fb === user)?.lang ?? 'nl';
            const m = w.addFbMessage(user, false, this.fill(r.pick(FOLLOW_UP.messenger[lang]), lang, 'Polderpost'), at);
            return { channel, id: m.id, conversationId: m.conversationId, authorId: user.id, topic: 'track', lang };
          }
        }
        const p = this.pickFb();
        const topic = this.topicFor(p);
        const m = w.addFbMessage(p.fb as FbUser, false, this.fill(r.pick(PRIVATE_TEXT[p.lang][topic]), p.lang, 'Polderpost'), at);
        return { channel, id: m.id, conversationId: m.conversationId, authorId: m.fromId, topic, lang: p.lang };
      }
    }
  }

  /** One of the four columns, evenly. */
  pickChannel(): Exclude<Channel, 'x_search'> {
    return this.rng.pick(['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const);
  }

  /** Live traffic: the four columns plus now and then a brand-word post that only search finds. */
  randomChannel(): GenChannel {
    return this.rng.chance(0.08) ? 'x_keyword' : this.pickChannel();
  }

  /** An answer the webcare team gave before the console was started (history only). */
  private brandReply(c: Created, at: number): void {
    const r = this.rng;
    const w = this.world;
    const pick = (table: { help: readonly string[]; thanks: readonly string[] }) => r.pick(c.topic === 'praise' ? table.thanks : table.help);
    if (c.channel === 'x_mention' || c.channel === 'x_keyword') {
      const target = w.tweetById.get(c.id);
      const author = target ? w.xUsers.get(target.authorId) : undefined;
      if (!target || !author) return;
      // X puts the replied-to handle in front of a reply's text.
      const text = `@${author.username} ${this.fill(pick(BRAND_REPLY.x[c.lang]), c.lang, 'Polderpost')}`;
      w.addTweet({ author: w.brandUser, text, at, lang: c.lang, replyTo: target, wrapLinks: true });
    } else if (c.channel === 'x_dm') {
      const other = w.xUsers.get(c.authorId);
      if (other) w.addDm(w.brandUser, other, this.fill(pick(BRAND_REPLY.dm[c.lang]), c.lang, 'Polderpost'), at);
    } else if (c.channel === 'fb_comment') {
      const comment = w.commentById.get(c.id);
      const post = comment ? w.postById.get(comment.postId) : undefined;
      if (!comment || !post) return;
      const page = { id: SANDBOX_BRAND.fbPageId, name: SANDBOX_BRAND.fbPageName };
      w.addComment(post, page, this.fill(pick(BRAND_REPLY.comment[c.lang]), c.lang, 'Polderpost', { first: firstName(comment.fromName) }), at, comment);
    } else {
      const user = w.fbUsers.get(c.authorId);
      if (user) w.addFbMessage(user, true, this.fill(pick(BRAND_REPLY.messenger[c.lang]), c.lang, 'Polderpost', { first: firstName(user.name) }), at);
    }
  }

  /**
   * The last six hours: `perChannel` messages per channel at ascending times,
   * some answered by the team a few minutes later, some followed up. Page
   * posts are older than the window, as on a real Page.
   */
  history(perChannel: number, now: number): void {
    const r = this.rng;
    const w = this.world;
    const start = now - 6 * HOUR;
    for (const [i, hoursAgo] of [52, 29, 20, 9.5, 6.5].entries()) {
      w.addFbPost(BRAND_FB_POSTS[i % BRAND_FB_POSTS.length] as string, now - hoursAgo * HOUR + r.int(0, 20) * MINUTE);
    }
    type Planned = { at: number; kind: GenChannel | 'brand_post' };
    const plan: Planned[] = [];
    const span = Math.max(1, now - 30_000 - start);
    for (const ch of ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const) {
      for (let i = 0; i < perChannel; i++) plan.push({ at: start + Math.floor(r.next() * span), kind: ch });
    }
    for (let i = 0; i < Math.ceil(perChannel / 3); i++) plan.push({ at: start + Math.floor(r.next() * span), kind: 'x_keyword' });
    for (let i = 0; i < 2; i++) plan.push({ at: start + Math.floor(r.next() * span * 0.6), kind: 'brand_post' });
    plan.sort((a, b) => a.at - b.at);

    const pending: { at: number; created: Created }[] = [];
    const flush = (until: number) => {
      pending.sort((a, b) => a.at - b.at);
      while (pending.length && (pending[0] as { at: number }).at <= until) {
        const next = pending.shift() as { at: number; created: Created };
        this.brandReply(next.created, next.at);
      }
    };
    let brandPostIndex = 0;
    for (const item of plan) {
      flush(item.at);
      if (item.kind === 'brand_post') {
        const t = w.addTweet({ author: w.brandUser, text: BRAND_X_POSTS[brandPostIndex++ % BRAND_X_POSTS.length] as string, at: item.at, lang: 'nl', wrapLinks: true });
        this.brandPosts.push(t);
        continue;
      }
      const created = this.generate(item.kind, item.at);
      const replyAt = item.at + r.int(3, 50) * MINUTE;
      if (item.kind !== 'x_keyword' && created.topic !== 'noise' && r.chance(0.25) && replyAt < now - 10_000) pending.push({ at: replyAt, created });
    }
    flush(now);
  }
}
