import { describe, expect, it } from 'vitest';
import { mesonF2pySteps, pythonF2pyScript } from '../../../src/core/build-files/f2py-steps.js';

describe('pythonF2pyScript', () => {
  it('finds command lists, shell strings and run_main calls, each once', () => {
    const text = [
      "subprocess.check_call(['f2py', '-c', src])",
      "subprocess.run([sys.executable, '-m', 'numpy.f2py', '-c', src])",
      "os.system('f2py -c -m _mod ' + src)",
      'numpy.f2py.run_main(["-m", "_mod", src])',
      "raise RuntimeError('f2py failed on ' + src)",
      "subprocess.run(['f2py', '-v'])",
    ].join('\n');
    const { steps, declaresAlways } = pythonF2pyScript(text);
    expect(steps.map((s) => [text.slice(0, s.start).split('\n').length, s.via, s.declared])).toEqual([
      [1, 'f2py', false],
      [2, 'numpy.f2py', false],
      [3, 'f2py', false],
      [4, 'f2py.run_main', false],
    ]);
    expect(declaresAlways).toBe(false);
  });

  it('tells a script that always passes the flag from one that leaves it to an option', () => {
    expect(pythonF2pyScript("check_call(['f2py', src, '--freethreading-compatible'])")).toMatchObject({ declaresAlways: true, steps: [{ declared: true }] });
    const optional = "p.add_argument('--free-threading', action='store_true')\nflags = ['--freethreading-compatible'] if a.free_threading else []\ncheck_call(['f2py', src])";
    expect(pythonF2pyScript(optional)).toMatchObject({ declaresAlways: false, steps: [{ declared: true }] });
    expect(pythonF2pyScript("check_call(['f2py', src] + nogil_args)").steps[0]?.declared).toBe(true);
  });

  it('stays quiet on lists that never close', () => {
    const text = "cmd = ['f2py', " + "'x', ".repeat(50_000);
    expect(pythonF2pyScript(text).steps).toEqual([]);
  });
});

describe('mesonF2pySteps', () => {
  it('reads command lists and generators that name f2py, not version checks', () => {
    const text = "v = run_command([f2py, '-v'])\ng = generator(generate_f2pymod,\n  arguments: ['@INPUT@'] + f2py_freethreading_arg,\n)\nt = custom_target('t', command: [py, '-m', 'numpy.f2py', '@INPUT@'])\n";
    expect(mesonF2pySteps(text).map((s) => [s.via, s.declared])).toEqual([
      ['generate_f2pymod', true],
      ['f2py', false],
    ]);
  });
});
