/** Types of lib/settings-table.js (plain JS so that --help and the settings check need no build). */
export type Reader = 'gateway' | 'subgraph' | 'database' | 'import' | 'migration' | 'bench' | 'stress' | 'client';
export interface Setting {
  name: string;
  description: string;
  /** The default as people read it (help, docs). */
  default: string;
  readBy: Reader[];
  parse(value: string, env: Record<string, string | undefined>): unknown;
}
export declare const SETTINGS: Setting[];
export declare function readSettings(readers: readonly Reader[], env: Record<string, string | undefined>): { values: Record<string, unknown>; problems: string[] };
export declare function settingRows(readers: readonly Reader[]): [string, string][];
