import { fillIn, placeholdersOf } from '@/lib/i18n/fill-in';

describe('fillIn', () => {
  it('replaces each placeholder, wherever the language puts it', () => {
    expect(fillIn('by {author}', { author: 'Octavia E. Butler' })).toBe('by Octavia E. Butler');
    expect(fillIn('{author} 지음', { author: 'Octavia E. Butler' })).toBe('Octavia E. Butler 지음');
  });

  it('leaves a placeholder without a value as written, and ignores inherited names', () => {
    expect(fillIn('Books of {organization}', {})).toBe('Books of {organization}');
    expect(fillIn('{constructor}', {})).toBe('{constructor}');
  });

  it('inserts values literally, even when they look like placeholders or replacement patterns', () => {
    expect(fillIn('by {author}', { author: '{author} $& $1' })).toBe('by {author} $& $1');
  });
});

describe('placeholdersOf', () => {
  it('lists the placeholder names, sorted', () => {
    expect(placeholdersOf('{b} and {a}, no {} or { x }')).toEqual(['a', 'b']);
  });
});
