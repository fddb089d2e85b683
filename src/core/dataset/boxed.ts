/**
 * The content of the last `\boxed{...}` (or `\fbox{...}`) in a text, braces balanced;
 * null when there is none or it is never closed.
 */
export function lastBoxed(text: string): string | null {
  const at = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
  if (at < 0) return null;
  const open = text.indexOf('{', at);
  if (open < 0) return null;
  // Only whitespace may sit between the macro name and its brace.
  const name = text.startsWith('\\boxed', at) ? '\\boxed' : '\\fbox';
  if (text.slice(at + name.length, open).trim() !== '') return null;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++; // an escaped brace `\{` does not count
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open + 1, i).trim();
  }
  return null;
}
