#include <Python.h>

static struct PyModuleDef legacy_module = {
    PyModuleDef_HEAD_INIT, "legacy", NULL, -1, NULL,
};

PyMODINIT_FUNC
PyInit_legacy(void)
{
    PyObject *m = PyModule_Create(&legacy_module);
    if (m == NULL) {
        return NULL;
    }
    return m;
}
