import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';

// No test may reach the network: every HTTP call is intercepted by nock or refused.
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
});

afterEach(() => {
  nock.cleanAll();
});
