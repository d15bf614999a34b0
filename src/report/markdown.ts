import type { Formatter } from './types.js';
export const format: Formatter = () => '';
