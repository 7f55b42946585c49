import type { Rule } from '../engine/define-rule.js';
import ft001 from './ft001-dict-get-item-borrowed.js';
import ft002 from './ft002-list-get-item-borrowed.js';
import ft003 from './ft003-weakref-get-object.js';
import ft004 from './ft004-borrowed-ref-then-incref.js';
import ft005 from './ft005-dict-next-unlocked.js';
import ft006 from './ft006-sequence-fast-unlocked.js';
import ft007 from './ft007-list-set-item-shared.js';
import ft008 from './ft008-module-gil-slot-missing.js';
import ft009 from './ft009-single-phase-gil-undeclared.js';
import ft010 from './ft010-cython-freethreading-undeclared.js';
import ft011 from './ft011-pyo3-gil-used.js';
import ft012 from './ft012-pybind11-gil-undeclared.js';
import ft013 from './ft013-nanobind-free-threaded-missing.js';
import ft014 from './ft014-static-global-write.js';
import ft015 from './ft015-object-field-unlocked.js';
import ft016 from './ft016-thread-unsafe-libc.js';
import ft017 from './ft017-borrowed-ref-api.js';
import ft018 from './ft018-refcnt-uniqueness-check.js';
import ft019 from './ft019-critical-section-early-exit.js';
import ft020 from './ft020-object-malloc-buffer.js';
import ft030 from './ft030-limited-api-free-threaded.js';
import ft031 from './ft031-cibuildwheel-skips-free-threaded.js';
import ft032 from './ft032-cibuildwheel-removed-option.js';
import ft033 from './ft033-ci-matrix-no-free-threaded.js';
import ft034 from './ft034-classifier-contradiction.js';
import ft035 from './ft035-build-tool-too-old.js';
import ft036 from './ft036-cibuildwheel-no-free-threaded-wheel.js';

/** Every rule, sorted by id (a meta-test keeps it sorted and checks each rule's file name). */
export const rules: readonly Rule[] = [
  ft001, ft002, ft003, ft004, ft005, ft006, ft007, ft008, ft009, ft010,
  ft011, ft012, ft013, ft014, ft015, ft016, ft017, ft018, ft019, ft020,
  ft030, ft031, ft032, ft033, ft034, ft035, ft036,
] as Rule[];

/** Looks a rule up by id (`FT001`) or name (`dict-get-item-borrowed`). */
export function findRule(idOrName: string): Rule | undefined {
  const key = idOrName.trim();
  return rules.find((r) => r.meta.id === key.toUpperCase() || r.meta.name === key);
}
