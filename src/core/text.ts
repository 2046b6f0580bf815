/**
 * Control characters cannot be typed, browsers drop some of them from addresses, and PostgreSQL
 * refuses NUL in text. Tab, line feed and carriage return are ordinary typing and stay.
 */
function isControl(code: number, keepTyping: boolean): boolean {
  if (keepTyping && (code === 9 || code === 10 || code === 13)) return false;
  return code < 32 || code === 127;
}

export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i), false)) return true;
  return false;
}

export function withoutControlCharacters(value: string): string {
  let kept = '';
  for (const character of value) if (!isControl(character.charCodeAt(0), true)) kept += character;
  return kept;
}
