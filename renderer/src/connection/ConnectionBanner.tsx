import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnection } from '../services';

/** A first connect this quick is not worth a banner. */
const QUIET_CONNECT_MS = 1500;

/**
 * Non-blocking: the board keeps working from the local store while the host
 * is away, so this only says what is going on.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnection();
  const [patient, setPatient] = useState(false);
  useEffect(() => {
    if (state !== 'connecting') return;
    const timer = setTimeout(() => setPatient(true), QUIET_CONNECT_MS);
    return () => clearTimeout(timer);
  }, [state]);

  if (state === 'open') return null;
  if (state === 'connecting' && !patient) return null;
  const text = state === 'unauthorized' ? t('connection.unauthorized') : state === 'closed' ? t('connection.closed') : t('connection.connecting');
  return (
    <div className={`banner banner--${state}`} role={state === 'unauthorized' ? 'alert' : 'status'} data-testid="connection-banner">
      {text}
    </div>
  );
}
