import type { TFunction } from 'i18next';
import type { AppError } from '../../../shared/contract.js';
import { formatMoment, formatNumber } from './format';

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

function assertNever(x: never): never {
  throw new Error(`unhandled error kind ${JSON.stringify(x)}`);
}
