import { useTranslation } from 'react-i18next';
import { useBoardUi } from '../board/boardStore';
import { KEYMAP } from './keymap';
import { useModal } from '../useModal';

/** Every shortcut, generated from the keymap: what is listed here is exactly what exists. */
export function KeyHelp() {
  const { t } = useTranslation();
  const open = useBoardUi((s) => s.helpOpen);
  const setOpen = useBoardUi((s) => s.setHelpOpen);
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog key-help" aria-labelledby="key-help-title" onClose={() => setOpen(false)} data-testid="key-help">
      <h2 id="key-help-title">{t('keys.title')}</h2>
      <dl className="key-list">
        {KEYMAP.map((b) => (
          <div key={b.action} className="key-row">
            <dt>
              <kbd>{b.display}</kbd>
            </dt>
            <dd>{t(`keys.${b.action}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="field-hint">{t('keys.typingHint')}</p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('keys.closeHelp')}
        </button>
      </div>
    </dialog>
  );
}
