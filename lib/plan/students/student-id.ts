// Letters that Unicode does not decompose into ASCII base letters, spelled as people
// with these names usually spell them in email addresses.
const SPECIAL_LETTERS: Record<string, string> = {
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * The id a student's name becomes: lower case, ASCII-folded, runs of anything else
 * turned into one "-". "Søren Ærø-Bøgh" -> "soren-aero-bogh". May be empty for a name
 * with no Latin letters or digits; the caller asks for an explicit id then.
 */
export function studentIdFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[æøœßđðłþı]/g, (letter) => SPECIAL_LETTERS[letter])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Ids of a counted course: prefix-1 ... prefix-N, unpadded so that growing the count renames nobody. */
export function countedStudentIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
}
