import { createHash } from 'node:crypto';
import { CHECK_EVENTS } from '../handlers/on-check-rerequested.js';
import { COMMENT_EVENTS } from '../handlers/on-issue-comment.js';
import { ISSUES_EVENTS } from '../handlers/on-issues.js';
import { PULL_REQUEST_EVENTS } from '../handlers/on-pull-request.js';
import type { JobKeys } from './types.js';

/** The events the app acts on; anything else is acknowledged and dropped at the door. */
const HANDLED = new Set<string>([...PULL_REQUEST_EVENTS, ...ISSUES_EVENTS, ...COMMENT_EVENTS, ...CHECK_EVENTS]);

export type KeyedDelivery =
  | { keys: JobKeys; installationId: number | undefined; target: string }
  | { skip: 'not handled' | 'bot sender' | 'no installation' | 'malformed payload' };

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function labelNames(item: Json): string {
  const labels = Array.isArray(item.labels) ? item.labels : [];
  return labels
    .map((l) => text(object(l)?.name) ?? '')
    .sort()
    .join('\u0000');
}

/** The pull request a re-requested check run or suite belongs to (none for a fork's pull request). */
function checkedPullRequest(body: Json): Json | undefined {
  const check = object(body.check_run) ?? object(body.check_suite);
  const suite = object(check?.check_suite) ?? check;
  const prs = Array.isArray(check?.pull_requests) && check.pull_requests.length > 0 ? check.pull_requests : suite?.pull_requests;
  return Array.isArray(prs) ? object(prs[0]) : undefined;
}

function hash(parts: ReadonlyArray<string | number | boolean>): string {
  return createHash('sha256').update(parts.join('\u0001')).digest('hex').slice(0, 40);
}

/**
 * The idempotency keys of one delivery, or why it needs no job at all.
 *
 * Work keys leave the action out on purpose: `opened`, `labeled` and `synchronize` for the same
 * head SHA and labels describe the same review, so whichever arrives first does it and the
 * others are duplicates. A comment command's key is the comment id.
 *
 * @example
 *   jobKeys('d-1', 'pull_request', { action: 'labeled', installation: { id: 2 }, pull_request: { number: 7, ... } })
 *   // → { keys: { delivery: 'd-1', work: '3f…', thread: '9a…', supersede: true, order: 1700000000000 }, installationId: 2, target: 'o/r#7' }
 */
export function jobKeys(deliveryId: string, name: string, payload: unknown): KeyedDelivery {
  const body = object(payload);
  if (body === undefined) return { skip: 'malformed payload' };
  const action = text(body.action);
  if (!HANDLED.has(action === undefined ? name : `${name}.${action}`)) return { skip: 'not handled' };
  if (text(object(body.sender)?.type) === 'Bot') return { skip: 'bot sender' };
  const installation = object(body.installation)?.id;
  if (typeof installation !== 'number') return { skip: 'no installation' };
  const repo = text(object(body.repository)?.full_name);
  if (repo === undefined) return { skip: 'malformed payload' };

  const subject = object(name === 'pull_request' || name === 'pull_request_review_comment' ? body.pull_request : name === 'check_run' || name === 'check_suite' ? checkedPullRequest(body) : body.issue);
  const number = subject?.number;
  if (subject === undefined || typeof number !== 'number') return { skip: 'malformed payload' };
  const target = `${repo.slice(0, 200)}#${number}`;
  const thread = hash([repo, number]);
  const order = Date.parse(text(subject.updated_at) ?? '') || 0;

  if (name === 'pull_request') {
    const sha = text(object(subject.head)?.sha) ?? '';
    const work = hash(['pr', repo, number, sha, labelNames(subject), subject.draft === true, text(subject.state) ?? '']);
    return { keys: { delivery: deliveryId, work, thread, supersede: true, order }, installationId: installation, target };
  }
  if (name === 'issues') {
    // `updated_at` tells a new event about the issue (labelled again, edited) from a redelivery of
    // the same one, so a re-label re-runs the triage while a redelivery stays a duplicate.
    const work = hash(['issue', repo, number, labelNames(subject), text(subject.state) ?? '', text(subject.updated_at) ?? '']);
    return { keys: { delivery: deliveryId, work, thread, supersede: true, order }, installationId: installation, target };
  }
  if (name === 'check_run' || name === 'check_suite') {
    // Each "Re-run" click is its own delivery; a redelivery repeats the delivery id.
    const work = hash(['rerequest', repo, number, deliveryId]);
    return { keys: { delivery: deliveryId, work, thread, supersede: false, order }, installationId: installation, target };
  }
  const comment = object(body.comment)?.id;
  if (typeof comment !== 'number') return { skip: 'malformed payload' };
  const work = hash(name === 'issue_comment' ? ['comment', repo, number, comment] : ['review-comment', repo, number, comment]);
  return { keys: { delivery: deliveryId, work, thread, supersede: false, order }, installationId: installation, target };
}
