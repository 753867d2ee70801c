/// Differences between two versions of a library item for the review queue: every field of the
/// body as text (lib/content.ts bodyFields), a line diff per field (the `diff` package), and for a
/// changed line a word diff against the line it replaced.

import { diffLines, diffWordsWithSpace } from 'diff';

export type SegKind = 'same' | 'add' | 'del';

export interface Seg {
  kind: SegKind;
  text: string;
}

export interface DiffLine {
  kind: SegKind;
  text: string;
  /** For a changed line paired with its counterpart: the words that differ (kind add/del mark them). */
  words?: Seg[];
}

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/// The line diff of two texts; removed lines come before the added lines that replace them, and
/// the i-th removed line of a block is paired with the i-th added one for a word diff.
export function diffText(oldText: string, newText: string): DiffLine[] {
  const nl = (t: string) => (t === '' || t.endsWith('\n') ? t : t + '\n');
  const a = nl(oldText);
  const b = nl(newText);
  const parts = diffLines(a, b);
  const out: DiffLine[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.removed && i + 1 < parts.length && parts[i + 1].added) {
      const dels = splitLines(p.value);
      const adds = splitLines(parts[i + 1].value);
      const paired = Math.min(dels.length, adds.length);
      const words = dels.slice(0, paired).map((d, k) => diffWordsWithSpace(d, adds[k]));
      dels.forEach((t, k) =>
        out.push({ kind: 'del', text: t, words: k < paired ? words[k].filter((w) => !w.added).map((w) => ({ kind: w.removed ? 'del' : 'same', text: w.value })) : undefined }),
      );
      adds.forEach((t, k) =>
        out.push({ kind: 'add', text: t, words: k < paired ? words[k].filter((w) => !w.removed).map((w) => ({ kind: w.added ? 'add' : 'same', text: w.value })) : undefined }),
      );
      i++;
      continue;
    }
    const kind: SegKind = p.added ? 'add' : p.removed ? 'del' : 'same';
    for (const t of splitLines(p.value)) out.push({ kind, text: t });
  }
  return out;
}

export interface FieldDiff {
  field: string;
  changed: boolean;
  lines: DiffLine[];
}

/// Field-by-field diff of two ordered [label, text] lists (a field missing on one side is empty).
export function diffFields(oldFields: [string, string][], newFields: [string, string][]): FieldDiff[] {
  const oldMap = new Map(oldFields);
  const newMap = new Map(newFields);
  const order: string[] = [];
  for (const [k] of [...newFields, ...oldFields]) if (!order.includes(k)) order.push(k);
  return order.map((field) => {
    const a = oldMap.get(field) ?? '';
    const b = newMap.get(field) ?? '';
    return { field, changed: a !== b, lines: a === b ? splitLines(b).map((text) => ({ kind: 'same' as const, text })) : diffText(a, b) };
  });
}
