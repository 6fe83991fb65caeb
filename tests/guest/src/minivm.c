/* Guest test: a small stack-machine interpreter dispatched two ways, by switch (a jump table) and
 * by computed goto (an indirect branch per bytecode): the indirect-branch-heavy code a JIT's block
 * chaining and lookup table must handle. Runs a few bytecode programs and compares both ways. */
#include <stdint.h>
#include <stdio.h>

enum Op {
  kPush,
  kAdd,
  kSub,
  kMul,
  kDivMod,
  kDup,
  kSwap,
  kOver,
  kDrop,
  kJz,
  kJmp,
  kLoad,
  kStore,
  kLt,
  kCall,
  kRet,
  kPrint,
  kHalt
};

typedef struct {
  int64_t stack[256];
  int sp;
  int64_t mem[16];
  int calls[64];
  int csp;
  uint64_t out_hash;
  long steps;
} Vm;

static void Emit(Vm* vm, int64_t v) {
  vm->out_hash = (vm->out_hash ^ (uint64_t)v) * 0x100000001b3ULL;
}

/* clang-format off: one bytecode per line reads like an instruction table. */
static void RunSwitch(Vm* vm, const int* code) {
  int pc = 0;
  for (;;) {
    ++vm->steps;
    int op = code[pc++];
    int64_t a, b;
    switch (op) {
      case kPush: vm->stack[vm->sp++] = code[pc++]; break;
      case kAdd:
        b = vm->stack[--vm->sp];
        vm->stack[vm->sp - 1] += b;
        break;
      case kSub:
        b = vm->stack[--vm->sp];
        vm->stack[vm->sp - 1] -= b;
        break;
      case kMul:
        b = vm->stack[--vm->sp];
        vm->stack[vm->sp - 1] *= b;
        break;
      case kDivMod:
        b = vm->stack[vm->sp - 1];
        a = vm->stack[vm->sp - 2];
        vm->stack[vm->sp - 2] = b ? a / b : 0;
        vm->stack[vm->sp - 1] = b ? a % b : 0;
        break;
      case kDup:
        vm->stack[vm->sp] = vm->stack[vm->sp - 1];
        ++vm->sp;
        break;
      case kSwap:
        a = vm->stack[vm->sp - 1];
        vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2];
        vm->stack[vm->sp - 2] = a;
        break;
      case kOver:
        vm->stack[vm->sp] = vm->stack[vm->sp - 2];
        ++vm->sp;
        break;
      case kDrop: --vm->sp; break;
      case kJz:
        a = vm->stack[--vm->sp];
        if (a == 0)
          pc = code[pc];
        else
          ++pc;
        break;
      case kJmp: pc = code[pc]; break;
      case kLoad: vm->stack[vm->sp++] = vm->mem[code[pc++]]; break;
      case kStore: vm->mem[code[pc++]] = vm->stack[--vm->sp]; break;
      case kLt:
        b = vm->stack[--vm->sp];
        vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] < b;
        break;
      case kCall:
        vm->calls[vm->csp++] = pc + 1;
        pc = code[pc];
        break;
      case kRet: pc = vm->calls[--vm->csp]; break;
      case kPrint: Emit(vm, vm->stack[--vm->sp]); break;
      case kHalt: return;
    }
  }
}

static void RunThreaded(Vm* vm, const int* code) {
  static void* const kLabels[] = {&&push,  &&add,  &&sub,  &&mul, &&divmod, &&dup,
                                  &&swap,  &&over, &&drop, &&jz,  &&jmp,    &&load,
                                  &&store, &&lt,   &&call, &&ret, &&print,  &&halt};
  int pc = 0;
  int64_t a, b;
#define NEXT                   \
  do {                         \
    ++vm->steps;               \
    goto* kLabels[code[pc++]]; \
  } while (0)
  NEXT;
push:
  vm->stack[vm->sp++] = code[pc++];
  NEXT;
add:
  b = vm->stack[--vm->sp];
  vm->stack[vm->sp - 1] += b;
  NEXT;
sub:
  b = vm->stack[--vm->sp];
  vm->stack[vm->sp - 1] -= b;
  NEXT;
mul:
  b = vm->stack[--vm->sp];
  vm->stack[vm->sp - 1] *= b;
  NEXT;
divmod:
  b = vm->stack[vm->sp - 1];
  a = vm->stack[vm->sp - 2];
  vm->stack[vm->sp - 2] = b ? a / b : 0;
  vm->stack[vm->sp - 1] = b ? a % b : 0;
  NEXT;
dup:
  vm->stack[vm->sp] = vm->stack[vm->sp - 1];
  ++vm->sp;
  NEXT;
swap:
  a = vm->stack[vm->sp - 1];
  vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2];
  vm->stack[vm->sp - 2] = a;
  NEXT;
over:
  vm->stack[vm->sp] = vm->stack[vm->sp - 2];
  ++vm->sp;
  NEXT;
drop:
  --vm->sp;
  NEXT;
jz:
  a = vm->stack[--vm->sp];
  if (a == 0)
    pc = code[pc];
  else
    ++pc;
  NEXT;
jmp:
  pc = code[pc];
  NEXT;
load:
  vm->stack[vm->sp++] = vm->mem[code[pc++]];
  NEXT;
store:
  vm->mem[code[pc++]] = vm->stack[--vm->sp];
  NEXT;
lt:
  b = vm->stack[--vm->sp];
  vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] < b;
  NEXT;
call:
  vm->calls[vm->csp++] = pc + 1;
  pc = code[pc];
  NEXT;
ret:
  pc = vm->calls[--vm->csp];
  NEXT;
print:
  Emit(vm, vm->stack[--vm->sp]);
  NEXT;
halt:
  return;
#undef NEXT
}

/* s = (s + i*i) mod 1000003 for i < 50000, then print s. */
static const int kSquares[] = {
    kPush,  0,     kStore, 0,     kPush, 0,     kStore, 1, /* i = 0; s = 0 */
    kLoad,  0,     kPush,  50000, kLt,   kJz,   44,        /* 8: while i < N */
    kLoad,  1,     kLoad,  0,     kDup,  kMul,  kAdd,   kPush,  1000003, kDivMod, kSwap, kDrop,
    kStore, 1,     kLoad,  0,     kPush, 1,     kAdd,   kStore, 0,       kJmp,    8, /* i++ */
    kHalt,  kHalt, kHalt,  kHalt, kHalt, kHalt, kLoad,  1,      kPrint,  kHalt};     /* 44 */

/* Recursive-style fib via call/ret with an explicit loop: fib(n) for n = 0..60 printed. */
static const int kFib[] = {kPush,  0,    kStore, 2,                        /* n = 0 */
                           kLoad,  2,    kPush,  61,    kLt,   kJz,    22, /* 4: while n < 61 */
                           kCall,  23,   kLoad,  2,     kPush, 1,      kAdd,   kStore,
                           2,      kJmp, 4,      kHalt, /* 22 */
                           kPush,  0,    kStore, 3,     kPush, 1,      kStore, 4,
                           kLoad,  2,    kStore, 5,  /* 23: a=0 b=1 k=n */
                           kLoad,  5,    kJz,    58, /* 35: while k */
                           kLoad,  3,    kLoad,  4,     kDup,  kStore, 3,      kAdd,
                           kStore, 4,    kLoad,  5,     kPush, 1,      kSub,   kStore,
                           5,      kJmp, 35,     kLoad, 3,     kPrint, kRet}; /* 58 */

/* clang-format on */

int main(void) {
  const struct {
    const char* name;
    const int* code;
  } programs[] = {{"squares", kSquares}, {"fib", kFib}};
  for (unsigned i = 0; i < 2; ++i) {
    Vm a = {.out_hash = 14695981039346656037ULL}, b = {.out_hash = 14695981039346656037ULL};
    RunSwitch(&a, programs[i].code);
    RunThreaded(&b, programs[i].code);
    printf(
        "%s: switch hash %016llx steps %ld, threaded hash %016llx steps %ld, agree %d, mem %lld "
        "%lld\n",
        programs[i].name, (unsigned long long)a.out_hash, a.steps, (unsigned long long)b.out_hash,
        b.steps, a.out_hash == b.out_hash && a.steps == b.steps, (long long)a.mem[1],
        (long long)a.mem[3]);
  }
  return 0;
}
