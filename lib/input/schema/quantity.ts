import * as z from 'zod';

// The subset of Kubernetes quantities a trainer needs: plain or milli cores for CPU,
// binary or decimal suffixes for bytes. Exotic forms (exponents, "1e3") are rejected on
// purpose: they are legal in Kubernetes but a typo far more often than an intent.
const CPU_PATTERN = /^(?:\d+(?:\.\d+)?|\d+m)$/;
const BYTES_PATTERN = /^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** CPU quantity in cores, e.g. "1.5" or "500m". */
export function parseCpu(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** Byte quantity, e.g. "2Gi" or "512M". */
export function parseBytes(quantity: string): number {
  const match = /^([\d.]+)(\D*)$/.exec(quantity);
  if (!match) throw new Error(`not a byte quantity: ${quantity}`);
  return Number(match[1]) * BYTE_UNITS[match[2]];
}

/** Accepts a string or a bare YAML number (`cpu: 2`) and yields the Kubernetes string form. */
const quantityInput = z.union([z.string(), z.number()]).transform(String);

export const cpuQuantity = quantityInput
  .refine((q) => CPU_PATTERN.test(q), {
    message: 'is not a CPU quantity: use cores ("2", "0.5") or millicores ("500m")',
  })
  .refine((q) => !CPU_PATTERN.test(q) || parseCpu(q) > 0, { message: 'must be more than 0' });

export const byteQuantity = quantityInput
  .refine((q) => BYTES_PATTERN.test(q), {
    message: 'is not a size: use a number with Ki, Mi, Gi or Ti ("512Mi", "2Gi")',
  })
  .refine((q) => !BYTES_PATTERN.test(q) || parseBytes(q) > 0, { message: 'must be more than 0' });
