/**
 * A catalog text with its `{name}` placeholders replaced by `values`; a placeholder without a value stays
 * as written, so a mistake shows on the page instead of vanishing.
 */
export function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? values[name] : placeholder,
  );
}

/** The `{name}` placeholders of a catalog text, sorted, for checking that translations keep them. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();
}
