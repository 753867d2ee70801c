/// Markdown (item prompts, rubrics, template instructions) to HTML that is safe to insert: marked
/// renders GitHub-flavoured Markdown (raw HTML passes through it), then DOMPurify removes every
/// script, event handler, style, form, frame and javascript:/data: link. The ONLY way content text
/// reaches dangerouslySetInnerHTML (pages/ContentShared.tsx: <Markdown>).

import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const md = new Marked({ gfm: true, breaks: false, async: false });

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math', 'template', 'audio', 'video', 'source', 'picture'],
  FORBID_ATTR: ['style', 'srcset', 'formaction', 'action', 'background', 'ping'],
  ALLOW_DATA_ATTR: false,
  // DOMPurify's URI check: no javascript:, vbscript: or (outside images) data: links.
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

/// Sanitizes HTML (DOMPurify with the profile above); links open in a new tab without an opener.
export function sanitizeHtml(html: string): string {
  const frag = DOMPurify.sanitize(html, { ...PURIFY, RETURN_DOM_FRAGMENT: true }) as DocumentFragment;
  frag.querySelectorAll('a[href]').forEach((a) => {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  frag.querySelectorAll('img').forEach((img) => {
    img.setAttribute('loading', 'lazy');
    img.setAttribute('referrerpolicy', 'no-referrer');
  });
  const box = document.createElement('div');
  box.appendChild(frag);
  return box.innerHTML;
}

/// Markdown text to sanitized HTML ("" for empty input). Never throws: a renderer failure shows
/// the text escaped.
export function renderMarkdown(src: string | null | undefined): string {
  if (!src) return '';
  let html: string;
  try {
    html = md.parse(src, { async: false }) as string;
  } catch {
    const p = document.createElement('p');
    p.textContent = src;
    html = p.outerHTML;
  }
  return sanitizeHtml(html);
}
