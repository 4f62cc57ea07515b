const rules = new Intl.PluralRules('en-US');

/** "1 run", "2,048 runs": a count with the noun in the form English gives it. */
export function countOf(count: number, one: string, other: string): string {
  return `${count.toLocaleString('en-US')} ${rules.select(count) === 'one' ? one : other}`;
}
