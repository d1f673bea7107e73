import { useMemo } from 'react';
import { useLang } from '../i18n/useLang';
import { segmentText, type Segment } from '../../../shared/text/segments.js';

/**
 * Untrusted text on screen. Every piece becomes a React text node, a span, or
 * an https/http link whose href passed `segmentText`'s checks; nothing is
 * ever parsed as markup (the 2014 TweetDeck worm came from turning escaped
 * text back into HTML). Links open outside the console: in Electron the
 * window-open handler hands them to the one audited opener.
 */
export function SafeText({ text }: { text: string }) {
  const segments = useMemo(() => segmentText(text), [text]);
  return (
    <>
      {segments.map((s, i) => (
        <SegmentView key={i} segment={s} />
      ))}
    </>
  );
}

function SegmentView({ segment }: { segment: Segment }) {
  switch (segment.kind) {
    case 'text':
      return segment.text;
    case 'mention':
      return <span className="mention">{segment.text}</span>;
    case 'hashtag':
      return <span className="hashtag">{segment.text}</span>;
    case 'link':
      return <SafeLink text={segment.text} href={segment.href} />;
  }
}

/** The host as written in the text, lower-cased and without port, to compare with where the link goes. */
function writtenHost(text: string): string {
  const rest = text.replace(/^https?:\/\//i, '');
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  return authority.replace(/:\d*$/, '').toLowerCase();
}

function SafeLink({ text, href }: { text: string; href: string }) {
  const { t } = useLang();
  const host = new URL(href).hostname;
  // An IDN or full-width host reads as one place and goes to another: show where it really goes.
  const differs = writtenHost(text) !== host;
  return (
    <a className="link" href={href} target="_blank" rel="noopener noreferrer" title={t('link.title', { host, href })}>
      {text}
      {differs && <span className="link-host">{t('link.realHost', { host })}</span>}
    </a>
  );
}
