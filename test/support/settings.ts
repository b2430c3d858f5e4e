/**
 * A test's environment parsed as an entry point parses its own (lib/command-line.ts commandLine): through
 * the settings table, every problem thrown at once as a ConfigurationError.
 */
import { ALL_READERS, parseSettings, type SettingValues } from '../../lib/settings';

export const parsedSettings = (env: Record<string, string | undefined>): SettingValues => parseSettings(ALL_READERS, env);
