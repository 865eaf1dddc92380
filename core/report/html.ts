// Escaping for the report page: text and attributes, JSON inside a <script> tag, and which URLs may become links.
// Every string in a result can come from a user's file or an AWS API, so nothing reaches the page unescaped.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`… so a string holding
 * `</script>` or `<!--` cannot end or alter the tag, and U+2028/2029 are escaped for old parsers. JSON.parse gives back
 * the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * True for URLs safe to put in an href: http(s), file, or a relative path (report.html beside result.json).
 * `javascript:`, `data:` and other schemes are shown as text instead; so are `s3://` URLs, which browsers cannot open.
 */
export function isLinkableUrl(url: string): boolean {
  const trimmed = url.trim();
  // Browsers drop tabs and newlines inside a URL, so `java\nscript:` would still run: any whitespace or control character refuses.
  if (
    trimmed === '' ||
    /\s/.test(trimmed) ||
    [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    return false;
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (!scheme) return !trimmed.startsWith('//');
  return ['http', 'https', 'file'].includes(scheme[1]!.toLowerCase());
}

/** A link when the URL is safe (see isLinkableUrl), otherwise the URL as code text. */
export function linkOrText(url: string, label: string = url): string {
  if (!isLinkableUrl(url)) return `<code>${escapeHtml(url)}</code>`;
  return `<a href="${escapeHtml(url.trim())}" rel="noopener noreferrer">${escapeHtml(label)}</a>`;
}

/**
 * The opening of a self-contained shaketable page up to its styles: no network (the Content-Security-Policy
 * `csp` allows inline content only), readable from disk or S3.
 */
export function pageHead(title: string, csp: string): string[] {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="shaketable">',
    `<title>${escapeHtml(title)}</title>`,
  ];
}
