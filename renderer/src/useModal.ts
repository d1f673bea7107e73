import { useEffect, useRef } from 'react';

/** A native `<dialog>` shown as a modal while `open` holds; its own close (Esc) is the caller's `onClose`. */
export function useModal(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return ref;
}
