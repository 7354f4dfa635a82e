/**
 * `ORDER BY name` as Distr's database sorts: the official PostgreSQL image's default collation is glibc's
 * en_US.utf8, which compares letters and digits first (case-insensitively, punctuation and spaces ignored) and only
 * then breaks ties. Intl's collator with ignored punctuation comes close; exact ties fall back to code points.
 */
const primary = new Intl.Collator("en", { ignorePunctuation: true, sensitivity: "variant" });
const full = new Intl.Collator("en");

export function compareNames(a: string, b: string): number {
  return primary.compare(a, b) || full.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
