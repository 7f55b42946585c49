import { describe, expect, it } from 'vitest';
import { checkWheelFilenames, type WheelCheck } from '../../../src/core/wheels/check-wheels.js';
import { renderWheelReport } from '../../../src/core/wheels/render-wheel-report.js';

const psutil = checkWheelFilenames({
  filenames: [
    'psutil-7.1.2-cp314-cp314t-manylinux2014_aarch64.manylinux_2_17_aarch64.manylinux_2_28_aarch64.whl',
    'psutil-7.1.2-cp314-cp314t-win_arm64.whl',
    'psutil-7.1.2-cp313-cp313-win_amd64.whl',
    'psutil-7.1.2.tar.gz',
  ],
});

describe('renderWheelReport', () => {
  it('renders a GitHub table with a footnote naming the wheel behind each check mark', () => {
    const markdown = renderWheelReport(psutil, 'markdown');
    expect(markdown).toBe(
      [
        '### Free-threaded wheels: `psutil` 7.1.2',
        '',
        'Wheels install on 3.14t.',
        '',
        '| Python | manylinux x86_64 | manylinux aarch64 | musllinux x86_64 | musllinux aarch64 | macOS arm64 | macOS x86_64 | Windows amd64 | Windows arm64 |',
        '| :-- | :-: | :-: | :-: | :-: | :-: | :-: | :-: | :-: |',
        '| 3.13t | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ |',
        '| 3.14t | ❌ | ✅[^1] | ❌ | ❌ | ❌ | ❌ | ❌ | ✅[^2] |',
        '| 3.15t | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ |',
        '',
        '✅ a wheel installs · ❌ no wheel',
        '',
        'Not valid wheel filenames:',
        '- `psutil-7.1.2.tar.gz`: `E_WHEEL_FILENAME_EXTENSION`',
        '',
        '[^1]: `psutil-7.1.2-cp314-cp314t-manylinux2014_aarch64.manylinux_2_17_aarch64.manylinux_2_28_aarch64.whl`',
        '[^2]: `psutil-7.1.2-cp314-cp314t-win_arm64.whl`',
        '',
      ].join('\n'),
    );
  });

  it('renders a plain table for the terminal', () => {
    const text = renderWheelReport(psutil, 'text');
    expect(text.split('\n').slice(0, 7)).toEqual([
      'Free-threaded wheels: psutil 7.1.2',
      'Wheels install on 3.14t.',
      '',
      'Python  manylinux  manylinux  musllinux  musllinux  macOS  macOS   Windows  Windows',
      '        x86_64     aarch64    x86_64     aarch64    arm64  x86_64  amd64    arm64',
      '3.13t   no         no         no         no         no     no      no       no',
      '3.14t   no         yes        no         no         no     no      no       yes',
    ]);
    expect(text).toContain('  psutil-7.1.2-cp314-cp314t-win_arm64.whl');
    expect(text).toContain("wheels: wheel filename must end in '.whl': 'psutil-7.1.2.tar.gz' [E_WHEEL_FILENAME_EXTENSION]");
  });

  it('mentions the pure-Python wheel and says when nothing installs', () => {
    const pure = renderWheelReport(checkWheelFilenames({ filenames: ['flask-3.1.3-py3-none-any.whl'] }), 'markdown');
    expect(pure).toContain('`flask-3.1.3-py3-none-any.whl` is a pure-Python wheel: it installs on every free-threaded build.');
    const none = renderWheelReport(checkWheelFilenames({ filenames: ['numpy-2.4.2-cp314-cp314-win_amd64.whl'] }), 'text');
    expect(none).toContain('No wheel installs on a free-threaded build.');
  });

  it('renders an unknown check as one line with the reason', () => {
    const unknown: WheelCheck = {
      project: 'numpy',
      version: null,
      wheels: [],
      errors: [],
      matrix: null,
      status: 'unknown',
      note: 'PyPI answered 503 for `numpy`',
    };
    expect(renderWheelReport(unknown, 'markdown')).toBe('### Free-threaded wheels: `numpy`\n\nCould not check: PyPI answered 503 for `numpy`\n');
    expect(renderWheelReport(unknown, 'text')).toBe('Free-threaded wheels: numpy\nCould not check: PyPI answered 503 for `numpy`\n');
  });

  it('keeps untrusted names from breaking out of code spans', () => {
    const check = checkWheelFilenames({ filenames: ['evil`](http://x)\n# hi.whl'] });
    const markdown = renderWheelReport(check, 'markdown');
    expect(markdown).toContain("- `evil'](http://x) # hi.whl`: `E_WHEEL_FILENAME_PARTS`");
    expect(markdown).not.toContain('\n# hi');
  });
});
