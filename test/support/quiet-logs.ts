// Tests send thousands of requests: their access lines (info) stay out of the test output unless
// LOG_LEVEL asks for them. Tests that check log lines capture them at their own level.
process.env.LOG_LEVEL ??= 'warn';
