/**
 * What a platform tag means: which operating system family and CPU it targets, and the oldest
 * system it needs. Tag forms are those of the platform compatibility tags specification.
 */

export type PlatformFamily = 'manylinux' | 'musllinux' | 'macos' | 'windows' | 'any' | 'other';

export type PlatformInfo = {
  /** The platform tag as written (lowercased). */
  tag: string;
  family: PlatformFamily;
  /** `linux`, `macos`, `windows`, `any`, `android`, `ios`, `pyemscripten`, `pyodide`, `emscripten` or `unknown`. */
  os: string;
  /** The architecture part of the tag, e.g. `x86_64`, `aarch64`, `universal2`, `amd64`; `any` for `any`. */
  arch: string;
  /**
   * The `<family>-<cpu>` targets the tag can install on. Usually one; a macOS multi-architecture
   * tag covers several (`universal2` → `macos-arm64` and `macos-x86_64`). Unknown tags map to
   * `other-<tag>`.
   */
  targets: string[];
  /** The oldest system the tag needs, when the tag says: glibc 2.17, musl 1.2, macOS 11.0, … */
  minimum?: { of: 'glibc' | 'musl' | 'macos' | 'android-api' | 'ios' | 'emscripten'; version: string };
};

/** Legacy manylinux names and the glibc each stands for (PEP 513, 571, 599). */
const MANYLINUX_LEGACY: Record<string, string> = {
  manylinux1: '2.5',
  manylinux2010: '2.12',
  manylinux2014: '2.17',
};

/**
 * The CPUs each macOS binary format runs on, as installers list them for a given machine
 * (pypa/packaging `_mac_binary_formats`): an arm64 Mac accepts `arm64` and `universal2`, an Intel
 * Mac accepts `x86_64`, `intel`, `fat64`, `fat3`, `universal2` and `universal`.
 */
const MACOS_ARCHES: Record<string, string[]> = {
  arm64: ['arm64'],
  x86_64: ['x86_64'],
  universal2: ['arm64', 'x86_64'],
  intel: ['x86_64', 'i386'],
  fat64: ['x86_64', 'ppc64'],
  fat3: ['x86_64', 'i386', 'ppc'],
  fat: ['i386', 'ppc'],
  universal: ['x86_64', 'i386', 'ppc', 'ppc64'],
  i386: ['i386'],
  ppc: ['ppc'],
  ppc64: ['ppc64'],
};

const WINDOWS: Record<string, string> = {
  win32: 'x86',
  win_amd64: 'amd64',
  win_arm64: 'arm64',
  win_ia64: 'ia64',
};

/*
 * Worked examples of the patterns below:
 *   'manylinux_2_28_aarch64'        → manylinux, glibc 2.28, aarch64
 *   'manylinux2014_x86_64'          → manylinux, glibc 2.17 (legacy alias), x86_64
 *   'musllinux_1_2_x86_64'          → musllinux, musl 1.2, x86_64
 *   'macosx_10_13_universal2'       → macos 10.13, targets macos-arm64 and macos-x86_64
 *   'android_24_arm64_v8a'          → other/android, API 24, arm64_v8a
 *   'ios_13_0_arm64_iphonesimulator'→ other/ios, iOS 13.0, arm64 (simulator)
 *   'pyemscripten_2026_0_wasm32'    → other/pyemscripten, wasm32
 */
const MANYLINUX = /^manylinux_(\d+)_(\d+)_([a-z0-9_]+)$/;
const MANYLINUX_OLD = /^(manylinux1|manylinux2010|manylinux2014)_([a-z0-9_]+)$/;
const MUSLLINUX = /^musllinux_(\d+)_(\d+)_([a-z0-9_]+)$/;
const MACOS = /^macosx_(\d+)_(\d+)_([a-z0-9_]+)$/;
const ANDROID = /^android_(\d+)_([a-z0-9_]+)$/;
const IOS = /^ios_(\d+)_(\d+)_([a-z0-9]+(?:_[a-z0-9]+)*?)_(iphoneos|iphonesimulator)$/;
const WASM = /^(pyemscripten|pyodide)_(\d+)_(\d+)_([a-z0-9_]+)$/;
const EMSCRIPTEN = /^emscripten_(\d+)_(\d+)_(\d+)_([a-z0-9_]+)$/;
const LINUX = /^linux_([a-z0-9_]+)$/;

/**
 * Describes one platform tag.
 *
 * @param platform
 *   One member of a wheel's platform field, e.g. `manylinux_2_17_x86_64` or `win_arm64`.
 * @returns
 *   Family, OS, architecture, the `<family>-<cpu>` targets it covers and its minimum system.
 *
 * @example
 *   describePlatformTag('manylinux2014_aarch64')
 *   // { family: 'manylinux', os: 'linux', arch: 'aarch64', targets: ['manylinux-aarch64'],
 *   //   minimum: { of: 'glibc', version: '2.17' }, tag: 'manylinux2014_aarch64' }
 */
export function describePlatformTag(platform: string): PlatformInfo {
  const tag = platform.toLowerCase();
  if (tag === 'any') return { tag, family: 'any', os: 'any', arch: 'any', targets: ['any'] };

  let m = MANYLINUX.exec(tag);
  if (m !== null) {
    const [, major = '', minor = '', arch = ''] = m;
    return linux(tag, 'manylinux', arch, { of: 'glibc', version: `${major}.${minor}` });
  }
  m = MANYLINUX_OLD.exec(tag);
  if (m !== null) {
    const [, alias = '', arch = ''] = m;
    return linux(tag, 'manylinux', arch, { of: 'glibc', version: MANYLINUX_LEGACY[alias] ?? '' });
  }
  m = MUSLLINUX.exec(tag);
  if (m !== null) {
    const [, major = '', minor = '', arch = ''] = m;
    return linux(tag, 'musllinux', arch, { of: 'musl', version: `${major}.${minor}` });
  }
  m = MACOS.exec(tag);
  if (m !== null) {
    const [, major = '', minor = '', arch = ''] = m;
    const cpus = MACOS_ARCHES[arch];
    return {
      tag,
      family: 'macos',
      os: 'macos',
      arch,
      targets: cpus === undefined ? [`other-${tag}`] : cpus.map((cpu) => `macos-${cpu}`),
      minimum: { of: 'macos', version: `${major}.${minor}` },
    };
  }
  const windowsArch = WINDOWS[tag];
  if (windowsArch !== undefined) {
    return { tag, family: 'windows', os: 'windows', arch: windowsArch, targets: [`windows-${windowsArch}`] };
  }
  m = ANDROID.exec(tag);
  if (m !== null) {
    const [, api = '', arch = ''] = m;
    return other(tag, 'android', arch, { of: 'android-api', version: api });
  }
  m = IOS.exec(tag);
  if (m !== null) {
    const [, major = '', minor = '', arch = '', sdk = ''] = m;
    return { ...other(tag, 'ios', arch, { of: 'ios', version: `${major}.${minor}` }), targets: [`ios-${arch}-${sdk}`] };
  }
  m = WASM.exec(tag);
  if (m !== null) {
    const [, os = '', , , arch = ''] = m;
    return other(tag, os, arch);
  }
  m = EMSCRIPTEN.exec(tag);
  if (m !== null) {
    const [, major = '', minor = '', patch = '', arch = ''] = m;
    return other(tag, 'emscripten', arch, { of: 'emscripten', version: `${major}.${minor}.${patch}` });
  }
  m = LINUX.exec(tag);
  if (m !== null) {
    // Plain `linux_*` wheels promise nothing about the C library; PyPI refuses them on upload.
    return other(tag, 'linux', m[1] ?? '');
  }
  return { tag, family: 'other', os: 'unknown', arch: '', targets: [`other-${tag}`] };
}

function linux(
  tag: string,
  family: 'manylinux' | 'musllinux',
  arch: string,
  minimum: NonNullable<PlatformInfo['minimum']>,
): PlatformInfo {
  return { tag, family, os: 'linux', arch, targets: [`${family}-${arch}`], minimum };
}

function other(tag: string, os: string, arch: string, minimum?: PlatformInfo['minimum']): PlatformInfo {
  const info: PlatformInfo = { tag, family: 'other', os, arch, targets: [`${os}-${arch}`] };
  if (minimum !== undefined) info.minimum = minimum;
  return info;
}
