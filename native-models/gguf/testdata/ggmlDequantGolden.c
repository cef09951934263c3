// Writes ggml-dequant.bin: two random blocks of each quantized type (every scale field a
// random finite half) and what ggml's own dequantize_row_* makes of them, for
// dequantize.test.ts. Built against llama.cpp's ggml/src/ggml-quants.c, the copy that
// node-llama-cpp 3.21.1 bundles (node_modules/node-llama-cpp/llama/gitRelease.bundle):
//
//   git clone .tmp/peers/node_modules/node-llama-cpp/llama/gitRelease.bundle /tmp/llama
//   L=/tmp/llama/ggml
//   gcc -O1 -DNDEBUG -I$L/include -I$L/src -c $L/src/ggml-quants.c -o q.o
//   gcc -w -I$L/include -I$L/src ggmlDequantGolden.c q.o -o golden -lm && ./golden
//
// Record per type: u32 ggml type, u32 blocks, u32 byte count, the block bytes, then
// blocks × block size float32 values.
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "ggml.h"
#include "ggml-quants.h"
#include "ggml-common.h"
#include "ggml-impl.h"

// ggml-quants.o refers to these on paths the dequantizers never take.
void ggml_abort(const char *f, int l, const char *fmt, ...) { fprintf(stderr, "abort %s:%d\n", f, l); abort(); }
size_t ggml_row_size(enum ggml_type t, int64_t n) { (void)t; (void)n; abort(); }
const char *ggml_type_name(enum ggml_type t) { (void)t; return "?"; }
size_t ggml_type_size(enum ggml_type t) { (void)t; abort(); }

static uint32_t s = 12345;
static uint32_t next(void) { s = s * 1103515245u + 12345u; return s >> 16; }
static void half_at(uint8_t *b, int at) {
  float v = ((int)(next() % 2000) - 1000) / 37000.0f;
  ggml_fp16_t h = GGML_FP32_TO_FP16(v);
  memcpy(b + at, &h, 2);
}
typedef void (*deq)(const void *, float *, int64_t);
struct T { int type, qk, bytes; int halves[2]; int nh; deq f; };
int main(void) {
  struct T ts[] = {
    {GGML_TYPE_Q4_0, 32, sizeof(block_q4_0), {0}, 1, (deq)dequantize_row_q4_0},
    {GGML_TYPE_Q4_1, 32, sizeof(block_q4_1), {0, 2}, 2, (deq)dequantize_row_q4_1},
    {GGML_TYPE_Q5_0, 32, sizeof(block_q5_0), {0}, 1, (deq)dequantize_row_q5_0},
    {GGML_TYPE_Q5_1, 32, sizeof(block_q5_1), {0, 2}, 2, (deq)dequantize_row_q5_1},
    {GGML_TYPE_Q8_0, 32, sizeof(block_q8_0), {0}, 1, (deq)dequantize_row_q8_0},
    {GGML_TYPE_Q2_K, 256, sizeof(block_q2_K), {80, 82}, 2, (deq)dequantize_row_q2_K},
    {GGML_TYPE_Q3_K, 256, sizeof(block_q3_K), {108}, 1, (deq)dequantize_row_q3_K},
    {GGML_TYPE_Q4_K, 256, sizeof(block_q4_K), {0, 2}, 2, (deq)dequantize_row_q4_K},
    {GGML_TYPE_Q5_K, 256, sizeof(block_q5_K), {0, 2}, 2, (deq)dequantize_row_q5_K},
    {GGML_TYPE_Q6_K, 256, sizeof(block_q6_K), {208}, 1, (deq)dequantize_row_q6_K},
  };
  FILE *out = fopen("ggml-dequant.bin", "wb");
  const uint32_t blocks = 2;
  for (size_t t = 0; t < sizeof ts / sizeof ts[0]; t++) {
    uint8_t b[2 * 256]; float y[2 * 256];
    uint32_t n = ts[t].bytes * blocks;
    for (uint32_t i = 0; i < n; i++) b[i] = next() & 0xff;
    for (uint32_t k = 0; k < blocks; k++) for (int j = 0; j < ts[t].nh; j++) half_at(b, k * ts[t].bytes + ts[t].halves[j]);
    ts[t].f(b, y, blocks * ts[t].qk);
    uint32_t head[3] = {(uint32_t)ts[t].type, blocks, n};
    fwrite(head, 4, 3, out); fwrite(b, 1, n, out); fwrite(y, 4, blocks * ts[t].qk, out);
  }
  fclose(out);
  return 0;
}
