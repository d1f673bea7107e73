import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What only the person who installs the console needs (environment variables,
 * OAuth flavours, callback URLs, permission names): folded under "Details", so an
 * agent reading the accounts screen sees what to do, not how it is wired.
 */
export function DevDetails({ children, testId }: { children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <details className="dev-details" data-testid={testId}>
      <summary>{t('accounts.details')}</summary>
      {children}
    </details>
  );
}
