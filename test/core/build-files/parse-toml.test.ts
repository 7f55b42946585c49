import { describe, expect, it } from 'vitest';
import { tomlTableKey } from '../../../src/core/build-files/parse-toml.js';

describe('tomlTableKey', () => {
  const text = '[package]\nname = "x"\n\n[features]\n  default = ["abi3"]\nabi3 = []\n\n[lib]\ndefault = 1\n';

  it('gives the header and the key after its indentation, inside the table only', () => {
    expect(tomlTableKey(text, /^\[features\][ \t]*$/m, 'default')).toEqual({ table: text.indexOf('[features]'), key: text.indexOf('default = ["abi3"]') });
  });

  it('gives the header alone when the table does not set the key, and nothing without the table', () => {
    expect(tomlTableKey(text, /^\[features\][ \t]*$/m, 'name')).toEqual({ table: text.indexOf('[features]') });
    expect(tomlTableKey(text, /^\[tool\.maturin\][ \t]*$/m, 'features')).toBeUndefined();
  });
});
