/** The ftbot version, reported in JSON and SARIF output. Kept in step with package.json by a test. */
export const VERSION = '0.1.0';
