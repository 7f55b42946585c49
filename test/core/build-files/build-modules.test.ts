import { describe, expect, it } from 'vitest';
import { pyprojectBuildModules } from '../../../src/core/build-files/build-modules.js';

describe('pyprojectBuildModules', () => {
  it('names an in-tree back-end on its backend-path and each setuptools command-class module', () => {
    const text = [
      '[build-system]',
      'build-backend = "pkg.hooks:backend"',
      'backend-path = ["./tools/", "."]',
      '[tool.setuptools.cmdclass]',
      'build_ext = "fast_ext.FastBuildExt"',
      'sdist = "tools_sdist.Sdist"',
    ].join('\n');
    expect(pyprojectBuildModules(text)).toEqual(['tools/pkg/hooks.py', 'pkg/hooks.py', 'fast_ext.py', 'tools/fast_ext.py', 'tools_sdist.py', 'tools/tools_sdist.py']);
  });

  it('names nothing for a back-end installed from the index, a bare class name, or a path leaving the project', () => {
    expect(pyprojectBuildModules('[build-system]\nbuild-backend = "setuptools.build_meta"\n')).toEqual([]);
    expect(pyprojectBuildModules('[tool.setuptools.cmdclass]\nbuild_ext = "BuildExt"\n')).toEqual([]);
    expect(pyprojectBuildModules('[build-system]\nbuild-backend = "be"\nbackend-path = ["../shared"]\n')).toEqual([]);
    expect(pyprojectBuildModules('[build-system\nbackend-path = [')).toEqual([]);
  });
});
