import { describe, expect, it } from 'vitest';
import { describePlatformTag } from '../../../src/core/wheels/describe-platform-tag.js';

describe('describePlatformTag', () => {
  it.each([
    ['manylinux_2_28_aarch64', 'manylinux', 'aarch64', ['manylinux-aarch64'], { of: 'glibc', version: '2.28' }],
    ['manylinux1_x86_64', 'manylinux', 'x86_64', ['manylinux-x86_64'], { of: 'glibc', version: '2.5' }],
    ['manylinux2010_i686', 'manylinux', 'i686', ['manylinux-i686'], { of: 'glibc', version: '2.12' }],
    ['manylinux2014_ppc64le', 'manylinux', 'ppc64le', ['manylinux-ppc64le'], { of: 'glibc', version: '2.17' }],
    ['musllinux_1_2_x86_64', 'musllinux', 'x86_64', ['musllinux-x86_64'], { of: 'musl', version: '1.2' }],
    ['macosx_11_0_arm64', 'macos', 'arm64', ['macos-arm64'], { of: 'macos', version: '11.0' }],
    ['macosx_10_13_universal2', 'macos', 'universal2', ['macos-arm64', 'macos-x86_64'], { of: 'macos', version: '10.13' }],
    ['macosx_10_9_intel', 'macos', 'intel', ['macos-x86_64', 'macos-i386'], { of: 'macos', version: '10.9' }],
  ] as const)('reads %s', (tag, family, arch, targets, minimum) => {
    expect(describePlatformTag(tag)).toEqual({ tag, family, os: family === 'macos' ? 'macos' : 'linux', arch, targets, minimum });
  });

  it('maps the Windows tags to their CPUs', () => {
    expect(describePlatformTag('win_amd64').targets).toEqual(['windows-amd64']);
    expect(describePlatformTag('win_arm64').targets).toEqual(['windows-arm64']);
    expect(describePlatformTag('win32')).toMatchObject({ family: 'windows', arch: 'x86', targets: ['windows-x86'] });
  });

  it('treats `any` as every platform', () => {
    expect(describePlatformTag('any')).toEqual({ tag: 'any', family: 'any', os: 'any', arch: 'any', targets: ['any'] });
  });

  it('puts mobile, WebAssembly and plain linux tags under other', () => {
    expect(describePlatformTag('android_24_arm64_v8a')).toMatchObject({
      family: 'other',
      os: 'android',
      arch: 'arm64_v8a',
      targets: ['android-arm64_v8a'],
      minimum: { of: 'android-api', version: '24' },
    });
    expect(describePlatformTag('ios_13_0_x86_64_iphonesimulator')).toMatchObject({
      family: 'other',
      os: 'ios',
      arch: 'x86_64',
      targets: ['ios-x86_64-iphonesimulator'],
    });
    expect(describePlatformTag('pyemscripten_2026_0_wasm32')).toMatchObject({ family: 'other', os: 'pyemscripten', arch: 'wasm32' });
    expect(describePlatformTag('pyodide_2024_0_wasm32')).toMatchObject({ os: 'pyodide', targets: ['pyodide-wasm32'] });
    expect(describePlatformTag('linux_armv7l')).toMatchObject({ family: 'other', os: 'linux', targets: ['linux-armv7l'] });
    expect(describePlatformTag('solaris_2_11_sun4v')).toEqual({
      tag: 'solaris_2_11_sun4v',
      family: 'other',
      os: 'unknown',
      arch: '',
      targets: ['other-solaris_2_11_sun4v'],
    });
  });
});
