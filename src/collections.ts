/** Adds `value` to the list `map` holds for `key`, starting the list if there is none. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Numbers by value, the rest as written: Intl's numeric collation, made once. */
const NATURAL = new Intl.Collator('en-US', { numeric: true });

/**
 * Orders names as people count (edgepool2, edgepool16, edgepool23; fe9 before fe10), for lists people
 * read: pools, servers. An absent name comes first. Ties that collation ignores fall back to the code
 * points, so the order never depends on the input's.
 */
export function compareNatural(a = '', b = ''): number {
  return NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
