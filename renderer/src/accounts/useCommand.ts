import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, CommandInput, CommandName, CommandOutput } from '../../../shared/contract.js';
import { errorMessage } from '../i18n/errors';
import { useServices } from '../services';

type Value<C extends CommandName> = Extract<CommandOutput<C>, { ok: true }>['value'];

/**
 * Runs one host command at a time for a form: `busy` while it runs, the
 * failure explained in the agent's language. Resolves with the value, or null.
 */
export function useCommand<C extends CommandName>(name: C) {
  const { host } = useServices();
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (input: CommandInput<C>): Promise<Value<C> | null> => {
      setBusy(true);
      setError(null);
      try {
        const r = (await host.call(name, input)) as { ok: true; value: Value<C> } | { ok: false; error: AppError };
        if (r.ok) return r.value;
        setError(errorMessage(t, r.error, i18n.language, Date.now()));
        return null;
      } catch {
        setError(t('error.offline'));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [host, name, t, i18n.language],
  );
  return { run, busy, error, setError };
}
