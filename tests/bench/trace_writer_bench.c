/* What a trace writer costs per event, with no CPU and no kernel: the
 * events a page-touching guest makes (a demand fault at each page, and a
 * syscall's begin and end now and then) go through tr_writer_emit into
 * /dev/null, so the figure is the record's construction, the format's
 * encoding and the buffering, not the disk.
 *
 * Usage: trace_writer_bench [EVENTS] [RUNS] [FORMAT]
 *        (default 1000000 events, 5 runs, every format)
 *
 * Prints, per format, the CPU time per event of the best of RUNS runs (a
 * shared machine's other work only ever adds time). */
#include "traces/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One in 64 events is a syscall (its begin and end); the rest are faults
 * on consecutive pages, as bench_touch makes them. */
static double run(FILE *sink, tr_format format, uint64_t events)
{
    tr_meta meta = {
        .clock = TR_CLOCK_LOGICAL,
        .ticks_per_second = TR_TICKS_PER_SECOND,
        .guest = "bench_touch-x86_64.elf",
        .isa = "x86-64",
        .version = "bench",
        .categories = TR_CAT_PROCESS | TR_CAT_FAULTS | TR_CAT_SYSCALLS,
    };
    tr_writer *w = tr_writer_new(sink, format, &meta);
    tr_event fault = {.kind = TR_EV_FAULT};
    fault.u.fault.pc = 0x10000330;
    fault.u.fault.access = TR_ACCESS_WRITE;
    fault.u.fault.kind = TR_FAULT_DEMAND_ZERO;
    fault.u.fault.vmo_koid = 1028;
    tr_event call = {.kind = TR_EV_SYSCALL_BEGIN};
    call.u.syscall.number = 24;
    call.u.syscall.name = "vmar_map";
    call.u.syscall.nargs = 7;
    for (int i = 0; i < 7; i++)
        call.u.syscall.args[i] = 0x1000u * (unsigned)i;
    double start = cpu_seconds();
    for (uint64_t i = 0; i < events; i++) {
        if (i % 64 == 63) {
            call.kind = i % 128 == 127 ? TR_EV_SYSCALL : TR_EV_SYSCALL_BEGIN;
            call.time = i;
            call.u.syscall.duration = 1;
            tr_writer_emit(w, &call);
            continue;
        }
        fault.time = i;
        fault.u.fault.va = 0x10010000 + (i << 12);
        fault.u.fault.vmo_offset = i << 12;
        fault.u.fault.pa = 0x20000 + (i << 12);
        tr_writer_emit(w, &fault);
    }
    GError *error = NULL;
    if (!tr_writer_close(w, &error)) {
        fprintf(stderr, "trace_writer_bench: %s\n", error->message);
        exit(1);
    }
    return cpu_seconds() - start;
}

int main(int argc, char **argv)
{
    uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (events == 0 || runs <= 0) {
        fprintf(stderr, "usage: trace_writer_bench [EVENTS] [RUNS] [fxt|json|csv]\n");
        return 2;
    }
    static const struct {
        const char *name;
        tr_format format;
    } formats[] = {{"fxt", TR_FORMAT_FXT}, {"json", TR_FORMAT_JSON}, {"csv", TR_FORMAT_CSV}};
    printf("%-8s %14s\n", "format", "us per event");
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        if (argc > 3 && strcmp(argv[3], formats[f].name) != 0)
            continue;
        double best = 0;
        for (int r = 0; r < runs; r++) {
            FILE *sink = fopen("/dev/null", "wb");
            if (sink == NULL) {
                perror("trace_writer_bench: /dev/null");
                return 1;
            }
            double took = run(sink, formats[f].format, events);
            fclose(sink);
            if (r == 0 || took < best)
                best = took;
        }
        printf("%-8s %14.4f\n", formats[f].name, best / (double)events * 1e6);
    }
    printf("(CPU time, best of %d runs of %llu events into /dev/null)\n", runs,
           (unsigned long long)events);
    return 0;
}
