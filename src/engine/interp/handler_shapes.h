// Operand-kind shapes for the handler list (handlers.def). A shape expands one row macro R per
// combination of operand kinds it offers, so a family declares "d in {S,F}, a in {S,F}, b in
// {S,F,I}" once and gets every specialised handler. Row macro signature:
//   R(name, xop, type, type2, kd, ka, kb, kc, body, ctypes...)
#pragma once

#define PV_ROW(R, x, t, t2, kd, ka, kb, kc, body, ...) \
  R(x##_##t##_##t2##_##kd##ka##kb##kc, x, t, t2, kd, ka, kb, kc, body, __VA_ARGS__)

// d{S,F} x a{S,F} x b{S,F,I}: the common ALU forms (register or immediate operands, register or
// temporary result).
#define PV_BIN_HOT(R, x, t, body, ...)                  \
  PV_ROW(R, x, t, Void, S, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, S, I, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, F, I, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, I, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, I, N, body, __VA_ARGS__)

// F x F x {F,I}
#define PV_BIN_COLD(R, x, t, body, ...)                 \
  PV_ROW(R, x, t, Void, F, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, I, N, body, __VA_ARGS__)

// F x a{S,F} x b{S,F,I}: comparisons (their i1 results live in slots).
#define PV_CMP_HOT(R, x, t, body, ...)                  \
  PV_ROW(R, x, t, Void, F, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, I, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, I, N, body, __VA_ARGS__)

// d{S,F} x a{S,F,I}: moves.
#define PV_MOV(R, x, t, body, ...)                      \
  PV_ROW(R, x, t, Void, S, S, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, F, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, S, I, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, S, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, F, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, F, I, N, N, body, __VA_ARGS__)

// d{S,F} x a{S,F}: extensions and loads (a = address for loads).
#define PV_DA(R, x, t, t2, body, ...)                 \
  PV_ROW(R, x, t, t2, S, S, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, N, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, N, N, body, __VA_ARGS__)

// a{S,F} x b{S,F,J}, no result: stores (a = address) and fused compare-and-branch exits.
#define PV_AB(R, x, t, body, ...)                       \
  PV_ROW(R, x, t, Void, N, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, N, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, N, S, J, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, N, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, N, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, Void, N, F, J, N, body, __VA_ARGS__)

// d{S,F} x a{S,F} x b{S,F}: FP binary ops.
#define PV_DAB(R, x, t, t2, body, ...)                \
  PV_ROW(R, x, t, t2, S, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, F, N, body, __VA_ARGS__)

// d{S,F} x a{S,F} x b{S,F} x c{S,F}: fused multiply-add.
#define PV_DABC(R, x, t, t2, body, ...)               \
  PV_ROW(R, x, t, t2, S, S, S, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, S, S, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, S, F, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, S, F, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, S, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, S, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, F, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, S, F, F, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, S, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, S, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, F, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, F, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, S, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, S, F, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, F, S, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, F, F, body, __VA_ARGS__)

// F x a{S,F} x b{S,F}: FP comparisons.
#define PV_FAB(R, x, t, t2, body, ...)                \
  PV_ROW(R, x, t, t2, F, S, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, S, F, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, S, N, body, __VA_ARGS__) \
  PV_ROW(R, x, t, t2, F, F, F, N, body, __VA_ARGS__)

// Fixed shapes, slots only.
#define PV_NNNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, N, N, N, N, body, __VA_ARGS__)
#define PV_FNNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, F, N, N, N, body, __VA_ARGS__)
#define PV_NFNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, N, F, N, N, body, __VA_ARGS__)
#define PV_FFNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, F, F, N, N, body, __VA_ARGS__)
#define PV_FFFN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, F, F, F, N, body, __VA_ARGS__)
#define PV_FFFF(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, F, F, F, F, body, __VA_ARGS__)
#define PV_NFFN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, N, F, F, N, body, __VA_ARGS__)
#define PV_FSNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, F, S, N, N, body, __VA_ARGS__)
#define PV_NSNN(R, x, t, t2, body, ...) PV_ROW(R, x, t, t2, N, S, N, N, body, __VA_ARGS__)
