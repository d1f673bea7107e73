import type { Channel } from '../../shared/model.js';
import { FbAuth, FbDeviceAuth, XAuth } from './auth.js';
import { Faults } from './faults.js';
import { Traffic } from './generator.js';
import { GraphUsage, XRateLimiter } from './limits.js';
import { Rng } from './prng.js';
import { SANDBOX_BRAND, World, type Posted } from './world.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
}

const PEOPLE = 320;
const LOG_KEEP = 20_000;

/**
 * Everything one sandbox holds: the generated world, tokens, limits, faults
 * and logs. The world is rebuilt from the seed on reset; tokens are not.
 */
export class SandboxState {
  world!: World;
  traffic!: Traffic;
  /** Randomness for injected authors, apart from the traffic stream so injects do not change later traffic. */
  injectRng!: Rng;
  readonly xAuth = new XAuth(SANDBOX_BRAND.xUserId);
  readonly fbAuth = new FbAuth();
  /** Facebook Login for Devices codes; like the tokens, kept across a reset. */
  readonly fbDevice = new FbDeviceAuth(this.fbAuth);
  readonly xLimits = new XRateLimiter();
  readonly graphUsage = new GraphUsage();
  readonly faults = new Faults();
  skewMs = 0;
  /** Most items on any page, whatever the client asked (real platforms may return fewer); a test knob. */
  pageCap = Infinity;
  /** Pages migrated to the New Pages Experience (/__sandbox/facebook/page): their visitor_posts edge is refused. */
  readonly fbNewPagesExperience = new Set<string>();
  ratePerMinute: number;
  private log: RequestLogEntry[] = [];

  constructor(
    readonly seed: number,
    readonly historyPerChannel: number,
    readonly initialRate: number,
    private readonly baseNow: () => number,
  ) {
    this.ratePerMinute = initialRate;
    this.build();
  }

  now(): number {
    return this.baseNow() + this.skewMs;
  }

  private build(): void {
    const now = this.now();
    this.world = new World(this.seed, new Rng(this.seed ^ 0x1d5));
    this.traffic = new Traffic(this.world, new Rng(this.seed));
    this.injectRng = new Rng(this.seed ^ 0x7f4a7c15);
    this.traffic.createPeople(PEOPLE, now);
    this.traffic.history(this.historyPerChannel, now);
  }

  /** Back to the seed's initial world: history regenerated against the current clock, nothing posted, no faults. */
  reset(): void {
    this.skewMs = 0;
    this.pageCap = Infinity;
    this.fbNewPagesExperience.clear();
    this.ratePerMinute = this.initialRate;
    this.faults.clear();
    this.xLimits.clear();
    this.graphUsage.clear();
    this.log = [];
    this.build();
  }

  record(p: Omit<Posted, 'at'>): void {
    this.world.posted.push({ ...p, at: this.now() });
  }

  logRequest(e: RequestLogEntry): void {
    this.log.push(e);
    // Trim in chunks: shifting one entry per request would make every request O(n).
    if (this.log.length > LOG_KEEP + 2_000) this.log = this.log.slice(-LOG_KEEP);
  }

  requests(): RequestLogEntry[] {
    return this.log.slice(-LOG_KEEP);
  }

  clearRequests(): void {
    this.log = [];
  }

  /** Page budget scales with people who engaged in the last 24 h (Meta's page-level rate limit). */
  engagedUsers(): number {
    const from = this.now() - 24 * 3_600_000;
    let n = 0;
    for (const at of this.world.engagedAt.values()) if (at >= from) n++;
    return n;
  }

  counts(): Record<Exclude<Channel, 'x_search'>, number> & Record<string, number> {
    return this.world.counts();
  }
}
