#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    Py_ssize_t hits;
    PyObject *last;
} CounterObject;

/* Module-level registry shared by every thread. */
static PyObject *registry = NULL;
static PyObject *cached_sep = NULL;

static PyObject *
spam_lookup(PyObject *module, PyObject *key)
{
    PyObject *value = PyDict_GetItem(registry, key);
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(value);
}

static PyObject *
spam_first(PyObject *module, PyObject *items)
{
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "expected a list");
        return NULL;
    }
    return Py_NewRef(PyList_GetItem(items, 0));
}

static PyObject *
spam_keys_as_list(PyObject *module, PyObject *mapping)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        if (PyList_Append(out, key) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *
spam_deref(PyObject *module, PyObject *ref)
{
    PyObject *obj = PyWeakref_GetObject(ref);
    return Py_NewRef(obj);
}

static PyObject *
spam_separator(PyObject *module, PyObject *unused)
{
    if (cached_sep == NULL) {
        cached_sep = PyUnicode_FromString(", ");
    }
    return Py_NewRef(cached_sep);
}

static PyObject *
spam_split(PyObject *module, PyObject *arg)
{
    char buf[256];
    const char *s = PyUnicode_AsUTF8(arg);
    if (s == NULL) {
        return NULL;
    }
    strncpy(buf, s, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        PyObject *item = PyUnicode_FromString(tok);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(item);
    }
    return out;
}

static PyObject *
spam_fresh_pairs(PyObject *module, PyObject *unused)
{
    /* Safe: the list is created here and not yet visible to other threads. */
    PyObject *pairs = PyList_New(2);
    if (pairs == NULL) {
        return NULL;
    }
    PyList_SET_ITEM(pairs, 0, PyLong_FromLong(1));
    PyList_SET_ITEM(pairs, 1, PyLong_FromLong(2));
    PyObject *first = PyList_GET_ITEM(pairs, 0);
    Py_INCREF(first);
    Py_DECREF(pairs);
    return first;
}

static PyObject *
Counter_add(CounterObject *self, PyObject *item)
{
    self->hits += 1;
    Py_XSETREF(self->last, Py_NewRef(item));
    Py_RETURN_NONE;
}

static PyMethodDef Counter_methods[] = {
    {"add", (PyCFunction)Counter_add, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef spam_methods[] = {
    {"lookup", spam_lookup, METH_O, NULL},
    {"first", spam_first, METH_O, NULL},
    {"keys_as_list", spam_keys_as_list, METH_O, NULL},
    {"deref", spam_deref, METH_O, NULL},
    {"separator", spam_separator, METH_NOARGS, NULL},
    {"split", spam_split, METH_O, NULL},
    {"fresh_pairs", spam_fresh_pairs, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
spam_exec(PyObject *module)
{
    registry = PyDict_New();
    if (registry == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "registry", registry);
}

static PyModuleDef_Slot spam_slots[] = {
    {Py_mod_exec, spam_exec},
    {0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spam",
    .m_methods = spam_methods,
    .m_slots = spam_slots,
};

PyMODINIT_FUNC
PyInit_spam(void)
{
    return PyModuleDef_Init(&spam_module);
}
