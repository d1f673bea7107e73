import type { TFunction } from 'i18next';
import type { AppError } from '../../../shared/contract.js';
import type { TeamErrorKind } from '../../../shared/team.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { formatMoment, formatNumber, formatRelative } from './format';
import { teamT, type TeamT } from './team';

type Collision = Extract<AppError, { kind: 'collision' }>;

/** An expected failure from the host, in the agent's language (key `error.<kind>`). */
export function errorMessage(t: TFunction, error: AppError, lng: string, now: number): string {
  switch (error.kind) {
    case 'rateLimited':
      return error.resetAt ? t('error.rateLimitedUntil', { time: formatMoment(error.resetAt, now, lng) }) : t('error.rateLimited');
    case 'tooLong':
      return t('error.tooLong', { limit: formatNumber(error.limit, lng) });
    case 'invalidInput':
      return t('error.invalidInput', { detail: error.detail });
    case 'platform':
      return error.status !== undefined
        ? t('error.platformStatus', { status: error.status, detail: error.detail })
        : t('error.platform', { detail: error.detail });
    case 'replyRestricted':
      return t('error.replyRestricted');
    case 'mediaFailed':
      return t(error.timedOut ? 'error.mediaFailedTimedOut' : 'error.mediaFailed');
    case 'team':
      return t('error.team', { reason: teamErrorMessage(teamT(t), error.team, error.detail) });
    case 'collision':
      return t('error.collision', { reason: collisionReason(teamT(t), error, lng, now) });
    case 'approval':
      return error.state === 'returned'
        ? t('error.approvalReturned', { by: error.by ?? '', comment: error.comment ?? '' })
        : t('error.approval');
    case 'unknownAccount':
    case 'reconnectNeeded':
    case 'offline':
    case 'empty':
    case 'permissionMissing':
    case 'windowClosed':
    case 'duplicate':
    case 'targetGone':
    case 'notAllowed':
    case 'notConfigured':
    case 'consentNeeded':
    case 'sendUnknown':
    case 'creditsDepleted':
      return t(`error.${error.kind}`);
    default:
      return assertNever(error);
  }
}

/** Why the team database cannot be used, and what to do about it (`error.<kind>` of the team namespace). */
export function teamErrorMessage(t: TeamT, kind: TeamErrorKind, detail?: string): string {
  if (kind === 'other') return t('error.other', { detail: detail?.trim() || t('error.noDetail') });
  return t(`error.${kind}`);
}

/**
 * What the collision guard saw, in one sentence ("Anna replied 2 min ago").
 * `now` is the moment the sentence is read, so the age stays true while it is on screen.
 */
export function collisionReason(t: TeamT, c: Omit<Collision, 'kind'>, lng: string, now: number): string {
  // A colleague's name comes from the team database: shown as text, without direction controls.
  const by = c.by ? stripBidiControls(c.by).trim() : '';
  switch (c.reason) {
    case 'replied': {
      const ago = c.at !== undefined && Number.isFinite(c.at) ? formatRelative(Math.min(c.at, now), now, lng) : null;
      if (ago) return by ? t('collision.replied', { by, ago }) : t('collision.repliedAnon', { ago });
      return by ? t('collision.repliedNoTime', { by }) : t('collision.repliedAnonNoTime');
    }
    case 'queued':
      return by ? t('collision.queued', { by }) : t('collision.queuedAnon');
    case 'newMessage':
      return t('collision.newMessage');
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled error kind ${JSON.stringify(x)}`);
}
