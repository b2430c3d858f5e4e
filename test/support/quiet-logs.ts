// Tests send thousands of requests: their access lines (info) stay out of the test output unless
// LOG_LEVEL asks for them. Tests that check log lines capture them at their own level. The test
// process is the entry point here: it sets the level as lib/main.ts does for a command.
import { setLogLevel, type LogLevel } from '../../lib/log';

setLogLevel((process.env.LOG_LEVEL as LogLevel | undefined) || 'warn');
