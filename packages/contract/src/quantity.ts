const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

const quantityPattern = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/**
 * The value of a Kubernetes quantity (`500m`, `4Gi`, `2`) as a number of base units, or
 * `undefined` when it is not one. Covers the suffixes people type; exponents are not accepted.
 */
export function parseQuantity(quantity: string): number | undefined {
  const match = quantityPattern.exec(quantity.trim());
  if (!match?.[1]) return undefined;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ''] ?? 1);
}

/** True when `quantity` is a quantity this project accepts. */
export function isQuantity(quantity: string): boolean {
  return parseQuantity(quantity) !== undefined;
}
