/**
 * Graph field expansion: `id,message,comments.filter(stream).limit(25){id,from,parent{id}}`.
 * Each field may carry modifiers (.name(value)) and nested fields in braces.
 */
export interface FieldSpec {
  name: string;
  mods: Record<string, string>;
  sub?: FieldSpec[];
}

export class FieldSyntaxError extends Error {}

export function parseFields(input: string): FieldSpec[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new FieldSyntaxError(`Syntax error "${what}" at character ${i}: ${input}`);
  };
  const ws = () => {
    while (i < input.length && /\s/.test(input[i] as string)) i++;
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z0-9_]+/.exec(input.slice(i));
    if (!m) return fail('Expected a field name');
    i += m[0].length;
    ws();
    return m[0];
  };
  const list = (depth: number): FieldSpec[] => {
    const out: FieldSpec[] = [];
    for (;;) {
      const name = ident();
      const spec: FieldSpec = { name, mods: {} };
      while (input[i] === '.') {
        i++;
        const mod = ident();
        if (input[i] !== '(') fail('Expected (');
        const close = input.indexOf(')', i);
        if (close < 0) fail('Expected )');
        spec.mods[mod] = input.slice(i + 1, close).trim();
        i = close + 1;
        ws();
      }
      if (input[i] === '{') {
        i++;
        spec.sub = list(depth + 1);
        if (input[i] !== '}') fail('Expected }');
        i++;
        ws();
      }
      out.push(spec);
      if (input[i] === ',') {
        i++;
        continue;
      }
      if (depth > 0 && input[i] === '}') return out;
      if (i >= input.length && depth === 0) return out;
      return fail(`Expected end of string instead of "${input[i] ?? ''}".`);
    }
  };
  if (input.trim() === '') return [];
  return list(0);
}

/** Modifiers also arrive as plain query parameters when an edge is requested directly. */
export function modsFromQuery(q: URLSearchParams, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = q.get(n);
    if (v !== null) out[n] = v;
  }
  return out;
}
