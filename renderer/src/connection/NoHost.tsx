import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { secretFromLocation } from '../api/host';

/** The page was opened without its secret (#s=…): nothing can work, so say exactly what to do. */
export function NoHost() {
  const { t } = useTranslation();
  // Pasting the link into this tab changes only the fragment, which loads nothing: start over with it.
  useEffect(() => {
    const onHash = () => {
      if (secretFromLocation(location.hash)) location.reload();
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <main className="no-host" data-testid="no-host">
      <div className="no-host-card">
        <h1>{t('noHost.title')}</h1>
        <p>{t('noHost.body')}</p>
        <p className="no-host-example">{t('noHost.example')}</p>
        <p className="no-host-why">{t('noHost.why')}</p>
      </div>
    </main>
  );
}
