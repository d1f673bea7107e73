import { useState } from 'react';
import { hueOf, initialsOf } from '../../../shared/text/initials.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';

/** An image only for a plain https URL (no userinfo, nothing invisible); initials in the author's colour otherwise. */

export function Avatar({ id, name, handle, url, size = 'md' }: { id: string; name: string; handle?: string; url?: string; size?: 'sm' | 'md' }) {
  const src = safeHttpsHref(url);
  const [failed, setFailed] = useState<string | null>(null);
  const showImage = src !== null && failed !== src;
  return (
    <span className={`avatar avatar--${size}`} style={{ backgroundColor: `hsl(${hueOf(id)} 42% 38%)` }} aria-hidden="true">
      {showImage ? (
        <img src={src} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" draggable={false} onError={() => setFailed(src)} />
      ) : (
        initialsOf(name, handle)
      )}
    </span>
  );
}
