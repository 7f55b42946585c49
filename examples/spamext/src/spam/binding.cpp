#include <pybind11/pybind11.h>

namespace py = pybind11;

static int add(int a, int b) { return a + b; }

PYBIND11_MODULE(_binding, m) {
    m.doc() = "pybind11 part of spamext";
    m.def("add", &add);
}
