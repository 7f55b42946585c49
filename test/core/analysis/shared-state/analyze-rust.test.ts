import { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeRustSharedState } from '../../../../src/core/analysis/shared-state/analyze-rust.js';
import { codeList } from '../../../../src/core/analysis/shared-state/code-list.js';
import { loadGrammars } from '../../../../src/io/load-grammars.js';

let parser: Parser;
beforeAll(async () => {
  const grammars = await loadGrammars(['rust']);
  parser = new Parser();
  parser.setLanguage(grammars.rust ?? null);
});

function analyze(text: string) {
  const tree = parser.parse(text);
  if (tree === null) throw new Error('no tree');
  return analyzeRustSharedState(tree.rootNode, text);
}

describe('analyzeRustSharedState', () => {
  it('tells module init, entry points and once-closures apart for static accesses', () => {
    const r = analyze(`
use pyo3::sync::GILOnceCell;
static NUMPY: GILOnceCell<Py<PyModule>> = GILOnceCell::new();
static mut COUNT: u64 = 0;
static INIT: std::sync::Once = std::sync::Once::new();

#[pyfunction]
fn count(py: Python<'_>) -> u64 {
    NUMPY.get_or_init(py, || py.import("numpy").unwrap().unbind());
    unsafe { COUNT += 1; COUNT }
}

fn helper() { INIT.call_once(|| unsafe { COUNT = 1 }); }

#[pymodule]
fn m(py: Python<'_>) { unsafe { COUNT = 0 }; NUMPY.set(py, py.import("numpy").unwrap().unbind()); }
`);
    expect(r.statics.map((s) => `${s.kind} ${s.name}`)).toEqual(['gil-once-cell NUMPY', 'static-mut COUNT']);
    expect(r.accesses.map((a) => `${a.variable.name} ${a.kind} ${a.function} ${a.reach}${a.once ? ' once' : ''}`)).toEqual([
      'NUMPY init count entry',
      'COUNT write count entry',
      'COUNT read count entry',
      'COUNT write helper other once',
      'COUNT write m init',
      'NUMPY init m init',
    ]);
    expect(r.mentions.map((m) => `${m.type} ${m.where}`)).toEqual(['GILOnceCell import']);
  });

  it('follows calls within the file: helpers of entry points, of module init and of once-calls', () => {
    const r = analyze(`
static mut A: u8 = 0;
static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
fn write_a() { unsafe { A = 1 } }
fn setup() -> bool { write_a(); true }
fn from_python() { unsafe { A = 2 } }
fn orphan() { unsafe { A = 3 } }
#[pyfunction]
fn f() { from_python(); }
#[pymodule]
fn m() { READY.get_or_init(setup); }
`);
    expect(r.accesses.map((a) => `${a.function} ${a.reach}${a.via === undefined ? '' : ` via ${a.via}`}`)).toEqual([
      'write_a init',
      'from_python entry via f',
      'orphan other',
    ]);
  });

  it('reports a non-frozen class with a mutating method, its writers and the readers they collide with', () => {
    const r = analyze(`
#[pyclass]
struct Tok { vocab: Vec<String>, #[pyo3(get, set)] name: String }

#[pymethods]
impl Tok {
    fn add(&mut self, t: String) { self.vocab.push(t); }
    #[setter]
    fn set_label(&mut self, v: String) { self.name = v; }
    fn size(&self) -> usize { self.vocab.len() }
    fn label(slf: PyRef<'_, Self>) -> String { format!("{}", slf.name) }
}
`);
    expect(r.mutableClasses.map((c) => `${c.name}: ${c.mutMethods.join(',')}`)).toEqual(['Tok: add,set_label']);
    expect(r.mutMethods.map((m) => `${m.method} ${m.fields.join(',')}${m.setter ? ' setter' : ''}`)).toEqual(['add vocab', 'set_label name setter']);
    expect(r.sharedReads.map((s) => `${s.method} ${s.field} ${s.writers.join(',')}`)).toEqual(['size vocab add', 'label name set_label,set_name']);
  });

  it('leaves frozen classes, and classes mutated only by setters or lifecycle hooks, alone', () => {
    const r = analyze(`
#[pyclass(frozen)]
struct A { n: std::sync::atomic::AtomicU64 }
#[pymethods]
impl A { fn get(&self) -> u64 { 0 } }

#[pyclass]
struct B { open: bool, name: String }
#[pymethods]
impl B {
    fn __exit__(&mut self) { self.open = false; }
    fn __setstate__(&mut self, s: String) { self.name = s; }
    #[setter]
    fn set_name(&mut self, s: String) { self.name = s; }
    fn name(&self) -> String { self.name.clone() }
}
`);
    expect(r.mutableClasses).toEqual([]);
    expect(r.mutMethods).toEqual([]);
    expect(r.sharedReads).toEqual([]);
  });
});

describe('analyzeRustSharedState: static initialisers and raw-FFI exec slots', () => {
  it('counts accesses outside any function, and in exec slot functions, as module init; skips extern statics', () => {
    const r = analyze(`
use pyo3_ffi::*;
static mut METHODS: &mut [PyMethodDef] = &mut [PyMethodDef::zeroed()];
static mut SLOTS: &mut [PyModuleDef_Slot] = &mut [
    PyModuleDef_Slot { slot: Py_mod_exec, value: { extern "C" fn _wrap(m: *mut PyObject) -> c_int { setup(m) } _wrap } as *mut c_void },
    PyModuleDef_Slot { slot: Py_mod_exec, value: exec_named as *mut c_void },
];
static mut DEF: PyModuleDef = PyModuleDef { m_methods: unsafe { METHODS.as_mut_ptr() }, m_slots: unsafe { SLOTS.as_mut_ptr() } };
static mut A: u8 = 0;
fn setup(m: *mut PyObject) -> c_int { unsafe { A = 1 }; 0 }
unsafe extern "C" fn exec_named(m: *mut PyObject) -> c_int { A = 2; 0 }
unsafe extern "C" fn call(m: *mut PyObject) -> *mut PyObject { A = 3; m }
extern "C" { static mut PyBytes_Type: PyTypeObject; }
unsafe extern "C" fn check(m: *mut PyObject) -> bool { Py_TYPE(m) == addr_of_mut!(PyBytes_Type) }
`);
    expect(r.accesses.map((a) => `${a.variable.name} ${a.kind} ${a.function} ${a.reach}`)).toEqual([
      'METHODS write <file scope> init',
      'SLOTS write <file scope> init',
      'A write setup init',
      'A write exec_named init',
      'A write call entry',
    ]);
  });
});

describe('analyzeRustSharedState: unsynchronised cells', () => {
  const cellsOf = (text: string) => {
    const r = analyze(text);
    return {
      cells: r.cells.map((c) => `${c.owner}.${c.name} ${c.type}<${c.inner}>`),
      uses: r.cellAccesses.map((a) => `${a.cell.owner}.${a.cell.name} ${a.function} ${a.reach}${a.via === undefined ? '' : ` via ${a.via}`}`),
    };
  };

  it('finds UnsafeCell fields used through shared references, once per function', () => {
    expect(
      cellsOf(`
use pyo3_ffi::*;
struct Cache { inner: std::cell::UnsafeCell<Vec<u8>> }
struct Entry { refcnt: UnsafeCell<usize> }
struct Ptr { p: std::ptr::NonNull<Entry> }
impl Cache {
    fn push(&self, b: u8) { unsafe { (*self.inner.get()).push(b); (*self.inner.get()).push(b) } }
    fn clear(&mut self) { unsafe { (*self.inner.get()).clear() } }
}
impl Ptr { fn incref(&self) { unsafe { *self.p.as_ref().refcnt.get() += 1 } } }
impl Drop for Ptr { fn drop(&mut self) { unsafe { *self.p.as_ref().refcnt.get() -= 1 } } }
fn fill(c: &Cache) { unsafe { (*c.inner.get()).push(0) } }
unsafe extern "C" fn entry(c: &Cache) { fill(c) }
`),
    ).toEqual({
      cells: ['Cache.inner UnsafeCell<Vec<u8>>', 'Entry.refcnt UnsafeCell<usize>'],
      uses: ['Cache.inner push other', 'Entry.refcnt incref other', 'Cache.inner fill entry via entry'],
    });
  });

  it('counts Cell and RefCell only in a type declared Sync by hand, and static cells', () => {
    expect(
      cellsOf(`
use pyo3::prelude::*;
struct Shared { n: Cell<u32>, v: RefCell<Vec<u8>> }
unsafe impl Sync for Shared {}
struct Local { m: Cell<u32> }
static S: Shared = Shared { n: Cell::new(0), v: RefCell::new(Vec::new()) };
static RAW: SyncUnsafeCell<u32> = SyncUnsafeCell::new(0);
#[pyfunction]
fn f(l: &Local) { S.n.set(S.n.get() + 1); S.v.borrow_mut().clear(); l.m.set(1); unsafe { *RAW.get() = 1 } }
`),
    ).toEqual({
      cells: ['Shared.n Cell<u32>', 'Shared.v RefCell<Vec<u8>>', '.RAW SyncUnsafeCell<u32>'],
      uses: ['Shared.n f entry', 'Shared.v f entry', '.RAW f entry'],
    });
  });

  it('skips GIL-build-only items, hand-made locks, unsendable classes, init and non-Python files', () => {
    const quiet = `
use pyo3::prelude::*;
#[cfg(not(Py_GIL_DISABLED))]
mod gil { pub struct Slot<T>(std::cell::UnsafeCell<T>); impl<T> Slot<T> { pub fn get(&self) -> *mut T { self.0.get() } } }
#[cfg(all(not(Py_GIL_DISABLED), feature = "fast"))]
struct Fast { v: UnsafeCell<u8> }
impl Fast { fn bump(&self) { unsafe { *self.v.get() += 1 } } }
struct Spin { locked: AtomicBool, data: UnsafeCell<u64> }
impl Spin { fn with(&self) { unsafe { *self.data.get() += 1 } } }
struct Guarded { m: UnsafeCell<pyo3::ffi::PyMutex>, data: UnsafeCell<u64> }
impl Guarded { fn with(&self) { unsafe { *self.data.get() += 1 } } }
#[pyclass(unsendable)]
struct Cur { pos: UnsafeCell<usize> }
#[pymethods]
impl Cur { fn next(&self) { unsafe { *self.pos.get() += 1 } } }
struct OnceCellByHand { once: std::sync::Once, p: UnsafeCell<u8> }
impl OnceCellByHand { fn read(&self) -> u8 { unsafe { *self.p.get() } } }
struct Filled { v: UnsafeCell<u8> }
fn fill(f: &Filled, o: &std::sync::Once) { o.call_once(|| unsafe { *f.v.get() = 1 }) }
struct Init { v: UnsafeCell<u8> }
#[pymodule]
fn m(i: &Init) { unsafe { *i.v.get() = 1 } }
`;
    expect(cellsOf(quiet)).toEqual({ cells: [], uses: [] });
    expect(cellsOf('struct Plain { v: UnsafeCell<u8> }\nimpl Plain { fn f(&self) { unsafe { *self.v.get() = 1 } } }\n')).toEqual({ cells: [], uses: [] });
  });

  it('matches an ambiguous field name only on self inside an impl of its owner', () => {
    expect(
      cellsOf(`
use pyo3::prelude::*;
struct A { names: UnsafeCell<Vec<String>> }
struct B { names: std::sync::OnceLock<Vec<String>> }
impl A { fn f(&self) { unsafe { (*self.names.get()).clear() } } }
fn g(b: &B) { let _ = b.names.get(); }
`),
    ).toEqual({ cells: ['A.names UnsafeCell<Vec<String>>'], uses: ['A.names f other'] });
  });
});

describe('codeList', () => {
  it('joins up to three names and counts the rest', () => {
    expect(codeList([])).toBe('');
    expect(codeList(['a'])).toBe('`a`');
    expect(codeList(['a', 'b'])).toBe('`a` and `b`');
    expect(codeList(['a', 'b', 'c'])).toBe('`a`, `b` and `c`');
    expect(codeList(['a', 'b', 'c', 'd', 'e'])).toBe('`a`, `b`, `c` and 2 more');
  });
});
