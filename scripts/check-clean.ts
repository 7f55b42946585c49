/** Fails when the work tree differs from HEAD after `npm run generate`: a generated file was stale. */
import { execFileSync } from 'node:child_process';

const status = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim();
if (status !== '') {
  console.error('The work tree is not clean after `npm run generate`; commit the regenerated files:\n' + status);
  process.exitCode = 1;
} else {
  console.log('clean');
}
