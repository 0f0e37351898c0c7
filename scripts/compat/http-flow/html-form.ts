/** A form found in a page: where it posts, and the values of its named fields. */
export interface HtmlForm {
  id?: string;
  method: string;
  /** Resolved against the page URL; the page URL itself when the form has no action. */
  action: URL;
  /** Named `<input>` fields with their `value` (empty when absent), in document order. */
  fields: Record<string, string>;
  /** Named submit buttons inside the form or pointing at it with `form="<id>"`. */
  buttons: Record<string, string>;
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
const INPUT = /<input\b([^>]*)>/gi;
const BUTTON = /<button\b([^>]*)>/gi;
const ATTRIBUTE = /([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Every form in `html`, a page served at `pageUrl`. Enough for server-rendered forms; no scripts run. */
export function parseForms(html: string, pageUrl: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const [, formAttributes, inner] of html.matchAll(FORM)) {
    const attributes = parseAttributes(formAttributes);
    const fields: Record<string, string> = {};
    for (const [, inputAttributes] of inner.matchAll(INPUT)) {
      const input = parseAttributes(inputAttributes);
      if (input.name) fields[input.name] = decodeEntities(input.value ?? '');
    }
    const buttons: Record<string, string> = {};
    for (const [, buttonAttributes] of inner.matchAll(BUTTON)) {
      const button = parseAttributes(buttonAttributes);
      if (button.name) buttons[button.name] = decodeEntities(button.value ?? '');
    }
    forms.push({
      id: attributes.id,
      method: (attributes.method ?? 'get').toLowerCase(),
      action: new URL(decodeEntities(attributes.action ?? ''), pageUrl),
      fields,
      buttons,
    });
  }
  // Buttons outside a form that name it in their `form` attribute (oidc-provider's logout page does this).
  for (const [, buttonAttributes] of html.matchAll(BUTTON)) {
    const button = parseAttributes(buttonAttributes);
    const owner = button.form ? forms.find((form) => form.id === button.form) : undefined;
    if (owner && button.name) owner.buttons[button.name] = decodeEntities(button.value ?? '');
  }
  return forms;
}

/** The first form `matches` accepts; throws with the forms seen when none does. */
export function findForm(html: string, pageUrl: URL, matches: (form: HtmlForm) => boolean, what: string): HtmlForm {
  const forms = parseForms(html, pageUrl);
  const form = forms.find(matches);
  if (!form) {
    const seen = forms.map((f) => `${f.method.toUpperCase()} ${f.action.pathname} [${Object.keys(f.fields).join(', ')}]`);
    throw new Error(`${pageUrl.href} shows no ${what}; forms on the page: ${seen.join('; ') || 'none'}`);
  }
  return form;
}

function parseAttributes(source: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {};
  for (const [, name, doubleQuoted, singleQuoted, bare] of source.matchAll(ATTRIBUTE)) {
    attributes[name.toLowerCase()] = doubleQuoted ?? singleQuoted ?? bare ?? '';
  }
  return attributes;
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
