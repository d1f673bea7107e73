/**
 * The renderer's Content-Security-Policy, sent as a header by both shells (the
 * same policy is in renderer/index.html as a meta tag). The renderer never calls
 * a platform API (the host does), so connect-src is only our own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
