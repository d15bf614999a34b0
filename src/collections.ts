/** Adds `value` to the list `map` holds for `key`, starting the list if there is none. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * `name` with every run of digits padded to 16 places, so that code-unit order compares the numbers in
 * it by value (edgepool2 before edgepool16). Not Intl's numeric collation: that costs start-up time and is
 * eight times slower to sort a large deployment's findings with.
 */
export function naturalKey(name = ''): string {
  return name.replace(/\d+/g, (digits) => digits.padStart(16, '0'));
}

/**
 * Orders names as people count (edgepool2, edgepool16, edgepool23; fe9 before fe10), for lists people
 * read: pools, servers. An absent name comes first. Names equal by value (fe01, fe1) fall back to the
 * code points, so the order never depends on the input's.
 */
export function compareNatural(a = '', b = ''): number {
  return codeUnitOrder(naturalKey(a), naturalKey(b)) || codeUnitOrder(a, b);
}

/** Code-unit order: the same on every machine. */
export const codeUnitOrder = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);
